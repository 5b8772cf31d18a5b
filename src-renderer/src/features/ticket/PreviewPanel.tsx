/** What the engine says this exact order would do; and why it refused, when it did. */
import type { Instrument } from '../../../../src-main/engine/domain/instrument';
import { Num, SideTag } from '../../components/Num';
import { formatQty } from '../../components/format';
import type { FieldIssue } from './validation';
import { describeRoute } from '../safety/safety-model';
import type { TicketState } from './ticket-model';
import { ticketVertical } from './vertical-model';

const FIELD_LABEL: Record<FieldIssue['field'], string> = {
  venue: 'Venue',
  notional: 'Amount',
  expireAt: 'Expiry',
  symbol: 'Symbol',
  qty: 'Quantity',
  limitPrice: 'Limit',
  stopPrice: 'Stop',
  trailAmount: 'Trail',
  takeProfit: 'Take profit',
  stopLoss: 'Stop loss',
};

export function PreviewPanel(props: { state: TicketState; issues: FieldIssue[]; instrument: Instrument | undefined; expired: boolean }) {
  const { state, issues, instrument } = props;
  const p = state.preview?.preview;
  const tick = instrument?.tickSize;
  const vertical = ticketVertical(state.form, instrument);

  return (
    <section className="preview" aria-label="Order preview" aria-live="polite">
      {state.attempted && issues.length > 0 && (
        <div className="preview-error" data-testid="preview-error" data-code={issues[0]!.code} role="alert">
          {issues.map((i) => (
            <div key={i.field + i.code}>
              <code>{i.code}</code> {FIELD_LABEL[i.field]}: {i.message}
            </div>
          ))}
        </div>
      )}
      {state.error && (
        <div className="preview-error" data-testid="preview-error" data-code={state.error.code} role="alert">
          <div className="err-head">{state.error.stage === 'place' ? 'Order refused' : 'Preview refused'}</div>
          <div>
            <code>{state.error.code}</code> {state.error.message}
          </div>
        </div>
      )}
      {state.placed && (
        <div className="placed" data-testid="place-result" data-order-id={state.placed.id} data-status={state.placed.status}>
          <SideTag side={state.placed.side} /> {formatQty(state.placed.qty, instrument?.lotSize)} {state.placed.symbol} sent · <b>{state.placed.status}</b>
          <span className="muted"> · {state.placed.id}</span>
        </div>
      )}
      {state.previewing && <div className="muted pad">Previewing…</div>}
      {p && (
        <div data-testid="preview-panel" data-allowed={String(p.allowed)} data-route={p.route} data-mode={p.mode} className={props.expired ? 'preview-body expired' : 'preview-body'}>
          <RouteStrip preview={p} />
          <div className="preview-title">
            <SideTag side={p.side} />
            <span className="strong">
              {formatQty(p.qty, instrument?.lotSize)} {p.symbol}
            </span>
            {vertical && state.form.leg2 && (
              <span className="strong" data-testid="preview-vertical">
                / {state.form.leg2.symbol} vertical · {vertical.net.toLowerCase()}
              </span>
            )}
            <span className="muted">{p.type.replace('_', ' ')}</span>
            <span className={p.allowed ? 'verdict ok' : 'verdict bad'}>{p.allowed ? 'ALLOWED' : 'BLOCKED'}</span>
          </div>
          <dl className="kv">
            <dt>{vertical ? 'Net price' : 'Est. price'}</dt>
            <dd>
              <Num kind="price" value={p.estPrice} tick={tick} />
            </dd>
            <dt>Bid / Ask</dt>
            <dd>
              <Num kind="price" value={p.bid} tick={tick} className="bid" /> <span className="muted">/</span> <Num kind="price" value={p.ask} tick={tick} className="ask" />
            </dd>
            <dt>Notional</dt>
            <dd>
              <Num kind="money" value={p.estNotional} /> <span className="ccy">{p.currency}</span>
            </dd>
            <dt>Fee</dt>
            <dd>
              <Num kind="money" value={p.estFee} /> <span className="ccy">{p.currency}</span>
            </dd>
            <dt>{p.side === 'buy' ? 'Total cost' : 'Net proceeds'}</dt>
            <dd className="strong">
              <Num kind="money" value={p.estTotal} /> <span className="ccy">{p.currency}</span>
            </dd>
            <dt>Buying power</dt>
            <dd>
              <Num kind="money" value={p.buyingPowerBefore} /> <span className="muted">→</span>{' '}
              <Num kind="money" value={p.buyingPowerAfter} className={p.buyingPowerAfter?.startsWith('-') ? 'neg' : ''} />
            </dd>
          </dl>
          {p.legs && p.legs.length > 0 && (
            <ul className="issues legs" data-testid="preview-legs">
              {p.legs.map((l) => (
                <li key={l.role} data-role={l.role}>
                  <span className="muted">{l.role.replace('_', ' ')}</span> <SideTag side={l.side} /> {formatQty(l.qty, instrument?.lotSize)} {l.type.replace('_', ' ')}
                  {l.stopPrice && (
                    <>
                      {' '}
                      stop <Num kind="price" value={l.stopPrice} tick={tick} />
                    </>
                  )}
                  {l.limitPrice && (
                    <>
                      {' '}
                      limit <Num kind="price" value={l.limitPrice} tick={tick} />
                    </>
                  )}{' '}
                  <span className="muted">{l.tif.toUpperCase()}</span>
                </li>
              ))}
            </ul>
          )}
          {p.violations.length > 0 && (
            <ul className="issues violations" data-testid="preview-violations">
              {p.violations.map((v, i) => (
                <li key={i} data-code={v.code}>
                  <span className="badge bad">✕</span> <code>{v.code}</code> {v.message}
                </li>
              ))}
            </ul>
          )}
          {p.warnings.length > 0 && (
            <ul className="issues warnings" data-testid="preview-warnings">
              {p.warnings.map((w, i) => (
                <li key={i} data-code={w.code}>
                  <span className="badge warn">!</span> <code>{w.code}</code> {w.message}
                </li>
              ))}
            </ul>
          )}
          <div className="coid muted" title="Idempotency key sent with Place: one preview can make at most one order">
            {props.expired ? 'Preview expired — press Enter to refresh · ' : ''}client id {state.preview!.clientOrderId}
          </div>
        </div>
      )}
    </section>
  );
}

/** Where THIS order goes, before anything else: PAPER / SHADOW / CANARY n% · LIVE|SHADOW / LIVE. */
function RouteStrip({ preview }: { preview: Parameters<typeof describeRoute>[0] }) {
  const r = describeRoute(preview);
  return (
    <div className={`route-strip tone-${r.tone}`} data-testid="preview-route" data-route={preview.route} data-mode={preview.mode ?? ''} data-canary-pct={preview.canaryPct ?? ''}>
      <span className={`route route-${r.tone}`}>{r.badge}</span>
      <span className="route-text">{r.text}</span>
    </div>
  );
}
