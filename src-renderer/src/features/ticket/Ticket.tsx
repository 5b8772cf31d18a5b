/**
 * The order ticket. Keyboard: B / S side, Enter preview, Ctrl+Enter place, Esc clear, / symbol.
 */
import { useEffect, useRef, useState } from 'react';
import type { OrderType, TimeInForce } from '../../../../src-main/engine/domain/order';
import type { Instrument } from '../../../../src-main/engine/domain/instrument';
import { Decimal } from '../../../../src-main/engine/domain/money';
import { Num } from '../../components/Num';
import { formatDecimal } from '../../components/format';
import { engineStore, useEngine } from '../../store/hooks';
import { linkView } from '../../store/link-view';
import { PreviewPanel } from './PreviewPanel';
import { SymbolSearch } from './SymbolSearch';
import { ChainPicker } from './ChainPicker';
import { showsChainPicker } from './chain-model';
import { PREVIEW_MAX_AGE_MS, placeBlock, placeLabel, visibleIssues } from './ticket-model';
import { fitToOffers, ticketOffers } from './ticket-offers';
import { dialogOpen, focusOf, hotkeyAction } from './hotkeys';
import { chordShort } from '../hotkeys/hotkeys-model';
import { hotkeysStore, useHotkeys } from '../hotkeys/hotkeys-instance';
import { clearTicket, editTicket, placeTicket, previewTicket, selectInstrument, selectSecondLeg, setDefaultVenue, useTicket } from './ticket-store';
import { offersVertical, ticketVertical } from './vertical-model';
import { VerticalStrip } from './VerticalStrip';
import { inAmountMode, isOcoForm, needsLimit, needsStop, type TicketField } from './validation';

const TYPE_LABEL: Record<OrderType, string> = { market: 'Market', limit: 'Limit', stop: 'Stop', stop_limit: 'Stop limit', trailing_stop: 'Trailing stop' };
const TIF_LABEL: Record<TimeInForce, string> = { day: 'DAY', gtc: 'GTC', ioc: 'IOC', fok: 'FOK', opg: 'OPG (at the open)', cls: 'CLS (at the close)', gtd: 'GTD (until a date)' };

const BLOCK_HINT: Record<NonNullable<ReturnType<typeof placeBlock>>, string> = {
  no_preview: 'Preview (Enter) to enable Place',
  stale: 'Ticket changed — preview again (Enter)',
  expired: 'Preview expired — preview again (Enter)',
  not_allowed: 'The preview shows violations',
  in_flight: 'Working…',
};

export function Ticket() {
  const state = useTicket((s) => s);
  const venues = useEngine((s) => s.venues);
  const halt = useEngine((s) => s.killSwitch?.state);
  const quote = useEngine((s) => (state.instrument ? s.quotes[state.instrument.id] : undefined));
  const [now, setNow] = useState(() => Date.now());
  const root = useRef<HTMLFormElement>(null);
  const keys = useHotkeys((s) => s.bindings);

  const venueList = Object.values(venues);
  useEffect(() => {
    const pick = venueList.find((v) => v.name === 'paper') ?? venueList.find((v) => v.state === 'connected') ?? venueList[0];
    if (pick) setDefaultVenue(pick.name);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- venueList is derived from venues
  }, [venues]);

  // A preview ages out; re-render once a second while one is on screen so Place disables on time.
  useEffect(() => {
    if (!state.preview) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [state.preview]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      // No engine, no orders: the disabled buttons say so; the hotkeys must not get around them.
      const eng = engineStore.getState();
      if (linkView(eng.link, eng.loaded).offline) return;
      const action = hotkeyAction(e, focusOf(e.target, root.current), dialogOpen(document), hotkeysStore.getState().bindings);
      if (!action || action === 'help') return;
      e.preventDefault();
      if (action === 'place') void placeTicket();
      else if (action === 'preview') void previewTicket();
      else if (action === 'clear') clearTicket();
      else if (action === 'focus-symbol') document.getElementById('ticket-symbol')?.focus();
      else editTicket({ side: action });
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const { form, instrument } = state;
  const venue = venues[form.venue];
  const offers = ticketOffers(venue?.capabilities, form.type, instrument);
  const fit = fitToOffers(form, offers);
  // A venue, mode, instrument or type change can take a choice away: fall back to the plain one.
  const fitKey = fit ? JSON.stringify(fit) : '';
  useEffect(() => {
    if (fit) editTicket(fit);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- fitKey is fit's identity
  }, [fitKey]);

  const issues = visibleIssues(state);
  const issueOf = (f: TicketField) => issues.find((i) => i.field === f);
  const block = placeBlock(state, now);
  const expired = !!state.preview && now - state.preview.at > PREVIEW_MAX_AGE_MS;

  const fieldError = (f: TicketField) => {
    const i = issueOf(f);
    return i ? (
      <div className="field-error" id={`err-${f}`} data-testid={`ticket-error-${f}`} data-code={i.code}>
        {i.message}
      </div>
    ) : null;
  };

  const canVertical = offersVertical(venue?.capabilities, instrument);
  const vertical = canVertical ? ticketVertical(form, instrument) : undefined;
  const spread = quote?.bid && quote?.ask ? formatDecimal(spreadOf(quote.bid, quote.ask), { maxDp: 10 }) : undefined;

  return (
    <form
      ref={root}
      className={`ticket side-${form.side}`}
      data-ticket
      aria-label="Order ticket"
      onSubmit={(e) => {
        e.preventDefault();
        void previewTicket();
      }}
    >
      <div className="panel-head">
        <h2>Order ticket</h2>
        <span className="muted keys" data-testid="ticket-keys">
          {chordShort(keys.buy)}/{chordShort(keys.sell)} · {chordShort(keys.preview)} preview · {chordShort(keys.place)} place · {chordShort(keys.clear)}
        </span>
      </div>
      <div className="ticket-body">
        <div className="row2">
          <label className="field">
            <span>Venue</span>
            <select data-testid="ticket-venue" value={form.venue} onChange={(e) => editTicket({ venue: e.target.value })}>
              {form.venue === '' && <option value="">—</option>}
              {venueList.map((v) => (
                <option key={v.name} value={v.name}>
                  {v.label || v.name}
                  {v.mode !== 'paper' ? ` · ${v.mode.toUpperCase()}` : ''}
                  {v.state !== 'connected' ? ` · ${v.state}` : ''}
                </option>
              ))}
            </select>
          </label>
          <div className="field">
            <label htmlFor="ticket-symbol">Symbol</label>
            <SymbolSearch venue={form.venue} value={form.symbol} selected={instrument} invalid={!!issueOf('symbol')} onText={(symbol) => editTicket({ symbol })} onSelect={selectInstrument} />
          </div>
        </div>
        {showsChainPicker(venue) && <ChainPicker venue={form.venue} onPick={selectInstrument} {...(canVertical ? { secondLeg: form.leg2?.id, onSecondLeg: selectSecondLeg } : {})} />}
        {vertical && form.leg2 && instrument && <VerticalStrip v={vertical} firstId={instrument.id} second={form.leg2} />}

        <div className="quote-strip" data-testid="ticket-quote" data-quote-ts={quote?.ts} data-stale={quote?.stale === true ? 'true' : 'false'}>
          <div className="q bid">
            <span className="lbl">BID</span>
            <Num kind="price" value={quote?.bid} tick={instrument?.tickSize} />
            <span className="sz">{quote?.bidSize ? formatDecimal(quote.bidSize, { maxDp: 4 }) : ''}</span>
          </div>
          <div className="q mid">
            <span className="lbl">{instrument ? instrument.description : 'no instrument'}</span>
            <span className="muted">{quote?.stale ? 'STALE: the feed is down' : spread ? `spread ${spread}` : ''}</span>
          </div>
          <div className="q ask">
            <span className="lbl">ASK</span>
            <Num kind="price" value={quote?.ask} tick={instrument?.tickSize} />
            <span className="sz">{quote?.askSize ? formatDecimal(quote.askSize, { maxDp: 4 }) : ''}</span>
          </div>
        </div>

        <div className="sides" role="radiogroup" aria-label="Side">
          <button
            type="button"
            role="radio"
            aria-checked={form.side === 'buy'}
            data-enter-previews="true"
            data-testid="ticket-side-buy"
            className={form.side === 'buy' ? 'side-btn buy on' : 'side-btn buy'}
            onClick={() => editTicket({ side: 'buy' })}
          >
            Buy <kbd>B</kbd>
          </button>
          <button
            type="button"
            role="radio"
            aria-checked={form.side === 'sell'}
            data-enter-previews="true"
            data-testid="ticket-side-sell"
            className={form.side === 'sell' ? 'side-btn sell on' : 'side-btn sell'}
            onClick={() => editTicket({ side: 'sell' })}
          >
            Sell <kbd>S</kbd>
          </button>
        </div>

        <div className="row2">
          <label className="field">
            <span>Type</span>
            <select data-testid="ticket-type" value={form.type} onChange={(e) => editTicket({ type: e.target.value as OrderType })}>
              {offers.orderTypes.map((t) => (
                <option key={t} value={t}>
                  {TYPE_LABEL[t]}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>TIF</span>
            <select data-testid="ticket-tif" value={form.tif} onChange={(e) => editTicket({ tif: e.target.value as TimeInForce })}>
              {offers.tifs.map((t) => (
                <option key={t} value={t}>
                  {TIF_LABEL[t]}
                </option>
              ))}
            </select>
          </label>
        </div>

        <label className="field">
          <span>
            Quantity
            {instrument && (
              <em className="hint">
                lot {instrument.lotSize} · min {instrument.minQty}
              </em>
            )}
          </span>
          {inAmountMode(form) ? (
            <>
              <DecimalInput testId="ticket-notional" field="notional" value={form.notional ?? ''} placeholder="$ amount" onChange={(v) => editTicket({ notional: v })} issue={issueOf('notional')} />
              {fieldError('notional')}
            </>
          ) : (
            <>
              <DecimalInput testId="ticket-qty" field="qty" value={form.qty} placeholder="0" onChange={(v) => editTicket({ qty: v })} issue={issueOf('qty')} />
              {fieldError('qty')}
            </>
          )}
        </label>
        {offers.notional && (
          <label className="check">
            <input type="checkbox" data-testid="ticket-amount-mode" checked={form.amountMode === true} onChange={(e) => editTicket({ amountMode: e.target.checked })} />
            <span>$ amount instead of a quantity</span>
          </label>
        )}
        {form.tif === 'gtd' && (
          <label className="field">
            <span>Expires (your local time)</span>
            <input type="datetime-local" data-testid="ticket-expire-at" value={form.expireAt ?? ''} onChange={(e) => editTicket({ expireAt: e.target.value })} />
            {fieldError('expireAt')}
          </label>
        )}

        {(needsLimit(form.type) || needsStop(form.type)) && (
          <div className={needsLimit(form.type) && needsStop(form.type) ? 'row2' : 'row1'}>
            {needsStop(form.type) && (
              <label className="field">
                <span>Stop price{instrument && <em className="hint">tick {instrument.tickSize}</em>}</span>
                <DecimalInput testId="ticket-stop" field="stopPrice" value={form.stopPrice} placeholder="0.00" onChange={(v) => editTicket({ stopPrice: v })} issue={issueOf('stopPrice')} />
                {fieldError('stopPrice')}
              </label>
            )}
            {needsLimit(form.type) && (
              <label className="field">
                <span>
                  {vertical ? vertical.net : 'Limit price'}
                  {instrument && <em className="hint">tick {instrument.tickSize}</em>}
                </span>
                <DecimalInput testId="ticket-limit" field="limitPrice" value={form.limitPrice} placeholder="0.00" onChange={(v) => editTicket({ limitPrice: v })} issue={issueOf('limitPrice')} />
                {fieldError('limitPrice')}
              </label>
            )}
          </div>
        )}

        {form.type === 'trailing_stop' && (
          <div className="row2">
            <label className="field">
              <span>Trail amount{instrument && <em className="hint">tick {instrument.tickSize}</em>}</span>
              <DecimalInput
                testId="ticket-trail"
                field="trailAmount"
                value={form.trailAmount ?? ''}
                placeholder="0.00"
                onChange={(v) => editTicket({ trailAmount: v })}
                issue={issueOf('trailAmount')}
              />
              {fieldError('trailAmount')}
            </label>
            <label className="field">
              <span>or Trail %</span>
              <DecimalInput testId="ticket-trail-pct" value={form.trailPercent ?? ''} placeholder="%" onChange={(v) => editTicket({ trailPercent: v })} />
            </label>
          </div>
        )}

        {offers.extendedHours && (
          <label className="check">
            <input type="checkbox" data-testid="ticket-ext-hours" checked={form.extendedHours === true} onChange={(e) => editTicket({ extendedHours: e.target.checked })} />
            <span>Extended hours (pre- and post-market)</span>
          </label>
        )}
        {offers.postOnly && (
          <label className="check">
            <input type="checkbox" data-testid="ticket-post-only" checked={form.postOnly === true} onChange={(e) => editTicket({ postOnly: e.target.checked })} />
            <span>Post-only (rejected rather than taking liquidity)</span>
          </label>
        )}
        {offers.reduceOnly && (
          <label className="check">
            <input type="checkbox" data-testid="ticket-reduce-only" checked={form.reduceOnly === true} onChange={(e) => editTicket({ reduceOnly: e.target.checked })} />
            <span>Reduce-only</span>
          </label>
        )}
        {offers.brackets && !form.oco && (
          <label className="check">
            <input type="checkbox" data-testid="ticket-bracket" checked={form.bracket === true} onChange={(e) => editTicket({ bracket: e.target.checked })} />
            <span>Bracket: take-profit / stop-loss</span>
          </label>
        )}
        {offers.oco && !form.bracket && (
          <label className="check" title="For a position you hold: this limit order takes the profit, the stop-loss limits the loss; the first to fill cancels the other.">
            <input type="checkbox" data-testid="ticket-oco" checked={form.oco === true} onChange={(e) => editTicket({ oco: e.target.checked })} />
            <span>OCO exit: this limit is the take-profit, plus a stop-loss</span>
          </label>
        )}
        {(form.bracket || isOcoForm(form)) && (
          <div className="row2 bracket">
            {!isOcoForm(form) && (
              <label className="field">
                <span>Take profit (limit)</span>
                <DecimalInput
                  testId="ticket-take-profit"
                  field="takeProfit"
                  value={form.takeProfit ?? ''}
                  placeholder="0.00"
                  onChange={(v) => editTicket({ takeProfit: v })}
                  issue={issueOf('takeProfit')}
                />
                {fieldError('takeProfit')}
              </label>
            )}
            <label className="field">
              <span>Stop loss (stop)</span>
              <DecimalInput testId="ticket-stop-loss" field="stopLoss" value={form.stopLoss ?? ''} placeholder="0.00" onChange={(v) => editTicket({ stopLoss: v })} issue={issueOf('stopLoss')} />
              <DecimalInput testId="ticket-stop-loss-limit" value={form.stopLossLimit ?? ''} placeholder="limit (optional)" onChange={(v) => editTicket({ stopLossLimit: v })} />
              {fieldError('stopLoss')}
            </label>
          </div>
        )}

        <div className="actions">
          <button type="submit" className="btn" data-testid="ticket-preview" disabled={state.previewing || state.placing}>
            Preview <kbd>Enter</kbd>
          </button>
          <button type="button" className="btn ghost" data-testid="ticket-clear" onClick={clearTicket} title="Clear amounts and preview">
            Clear <kbd>Esc</kbd>
          </button>
          <button
            type="button"
            className={`btn place ${form.side}`}
            data-testid="ticket-place"
            disabled={block !== undefined}
            title={block ? BLOCK_HINT[block] : 'Send this order (Ctrl+Enter)'}
            onClick={() => void placeTicket()}
          >
            <span className="place-label">{state.placing ? 'Placing…' : placeLabel(form, instrument)}</span>
            <kbd>Ctrl+Enter</kbd>
          </button>
        </div>
        {block && block !== 'in_flight' && <div className="place-hint muted">{BLOCK_HINT[block]}</div>}
        {venue && venue.mode === 'live' && <div className="live-warning">LIVE venue — orders go to the market.</div>}
        {venue && venue.mode === 'canary' && <div className="live-warning canary">CANARY {venue.canaryPct ?? 0}% — some orders go to the market; the preview says which.</div>}
        {halt && halt !== 'running' && (
          <div className="halt-note" data-testid="ticket-halted" data-state={halt}>
            Kill switch {halt === 'halted' ? 'HALTED: new orders are refused' : 'REDUCE ONLY: only orders that shrink a position are accepted'}.
          </div>
        )}
      </div>
      <PreviewPanel state={state} issues={issues} instrument={instrument} expired={expired} />
      {instrument && <InstrumentCard inst={instrument} />}
    </form>
  );
}

/**
 * A decimal text box. Text, not type=number: the value reaches the engine as the exact string the
 * trader typed (no float parsing), and its error is announced with the field.
 */
function DecimalInput(props: { testId: string; field?: TicketField; value: string; placeholder: string; issue?: unknown; onChange: (v: string) => void }) {
  const invalid = !!props.issue;
  return (
    <input
      data-testid={props.testId}
      type="text"
      inputMode="decimal"
      autoComplete="off"
      className={invalid ? 'invalid num-input' : 'num-input'}
      aria-invalid={invalid}
      aria-describedby={invalid && props.field ? `err-${props.field}` : undefined}
      value={props.value}
      placeholder={props.placeholder}
      onChange={(e) => props.onChange(e.target.value)}
    />
  );
}

function InstrumentCard({ inst }: { inst: Instrument }) {
  return (
    <section className="inst-card" aria-label="Instrument details" data-testid="instrument-card">
      <div className="inst-title">
        <span className="sym">{inst.symbol}</span>
        <span className="muted">{inst.assetClass.replace('_', ' ')}</span>
        <span className="muted id">{inst.id}</span>
      </div>
      <dl className="kv compact">
        <dt>Tick</dt>
        <dd className="num">{inst.tickSize}</dd>
        <dt>Lot</dt>
        <dd className="num">{inst.lotSize}</dd>
        <dt>Min qty</dt>
        <dd className="num">{inst.minQty}</dd>
        <dt>Min notional</dt>
        <dd className="num">
          {inst.minNotional} {inst.quote}
        </dd>
        <dt>Multiplier</dt>
        <dd className="num">{inst.multiplier}</dd>
        <dt>Session</dt>
        <dd>{inst.session.replace(/_/g, ' ')}</dd>
      </dl>
    </section>
  );
}

/** Exact: floats would print a spread of 0.010000000000218. */
function spreadOf(bid: string, ask: string): string {
  return new Decimal(ask).minus(bid).toFixed();
}
