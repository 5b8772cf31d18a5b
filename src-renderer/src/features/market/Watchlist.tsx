/**
 * Live quotes: every instrument the engine streams (All quotes), or one of the trader's named
 * watchlists in their order (features/watchlists). Each row subscribes to its own quote so a tick
 * re-renders one row, not the table. Click a row to load it into the ticket.
 */
import { memo, useRef, type ReactNode } from 'react';
import { Decimal } from '../../../../src-main/engine/domain/money';
import { Num } from '../../components/Num';
import { formatDecimal, formatTime } from '../../components/format';
import { searchInstruments } from '../../store/actions';
import { engineStore, useEngine } from '../../store/hooks';
import { selectInstrument, useTicket } from '../ticket/ticket-store';
import { compactVolume, dayStats, quoteTitle, ALL_QUOTES } from '../watchlists/watchlists-model';
import { useWatchlists } from '../watchlists/watchlists-instance';
import { RowTools, WatchlistTabs, WatchlistTools } from '../watchlists/WatchlistBar';

const COLUMNS = 14;

/** A listed instrument with no quote streaming (yet): its row says so. */
function QuietRow(props: { id: string; tools: ReactNode }) {
  const [venue, ...sym] = props.id.split(':');
  return (
    <tr data-testid="quote-row" data-instrument-id={props.id} data-symbol={sym.join(':')} className="quiet">
      <td className="sym">{sym.join(':')}</td>
      <td className="muted">{venue}</td>
      <td className="muted" colSpan={COLUMNS - 2}>
        no quote streaming
      </td>
      {props.tools}
    </tr>
  );
}

function direction(prev: string | undefined, next: string | undefined): '' | 'up' | 'down' {
  if (!prev || !next || prev === next) return '';
  return new Decimal(next).gt(prev) ? 'up' : 'down';
}

async function load(venue: string, symbol: string, instrumentId: string) {
  const known = engineStore.getState().instruments[instrumentId];
  if (known) return selectInstrument(known);
  const found = (await searchInstruments(venue, symbol, 20)).find((i) => i.id === instrumentId);
  if (found) selectInstrument(found);
}

const QuoteRow = memo(function QuoteRow({ id, selected, tools }: { id: string; selected: boolean; tools?: ReactNode }) {
  const q = useEngine((s) => s.quotes[id]);
  const inst = useEngine((s) => s.instruments[id]);
  const prev = useRef<{ bid?: string; ask?: string; last?: string; dir: { bid: string; ask: string; last: string } }>({ dir: { bid: '', ask: '', last: '' } });
  if (!q) return tools ? <QuietRow id={id} tools={tools} /> : null;
  // Direction of the last change per field, kept until the next change (a tick arrow, not a blink).
  const p = prev.current;
  const dir = {
    bid: direction(p.bid, q.bid) || (p.bid === q.bid ? p.dir.bid : ''),
    ask: direction(p.ask, q.ask) || (p.ask === q.ask ? p.dir.ask : ''),
    last: direction(p.last, q.last) || (p.last === q.last ? p.dir.last : ''),
  };
  prev.current = { bid: q.bid, ask: q.ask, last: q.last, dir };
  const spread = q.bid && q.ask ? new Decimal(q.ask).minus(q.bid).toFixed() : undefined;
  const day = dayStats(q);
  const tone = day.change === undefined ? '' : day.change.startsWith('-') ? 'down' : day.change === '0' ? '' : 'up';
  return (
    <tr
      data-testid="quote-row"
      data-instrument-id={id}
      data-symbol={q.symbol}
      data-quote-ts={q.ts}
      data-stale={q.stale ? 'true' : undefined}
      className={`clickable${selected ? ' selected' : ''}${q.stale ? ' stale' : ''}`}
      tabIndex={0}
      aria-selected={selected}
      onClick={() => void load(q.venue, q.symbol, id)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          e.stopPropagation();
          void load(q.venue, q.symbol, id);
        }
      }}
    >
      <td className="sym" title={quoteTitle(q, day)}>
        {q.symbol}
      </td>
      <td className="muted opt4">{q.venue}</td>
      <td className="r muted opt">{q.bidSize ? formatDecimal(q.bidSize, { maxDp: 4 }) : ''}</td>
      <td className={`r bidc ${dir.bid}`}>
        <Num kind="price" value={q.bid} tick={inst?.tickSize} />
      </td>
      <td className={`r askc ${dir.ask}`}>
        <Num kind="price" value={q.ask} tick={inst?.tickSize} />
      </td>
      <td className="r muted opt">{q.askSize ? formatDecimal(q.askSize, { maxDp: 4 }) : ''}</td>
      <td className={`r ${dir.last}`}>
        <Num kind="price" value={q.last} tick={inst?.tickSize} />
      </td>
      <td className={`r day-chg opt3 ${tone}`} data-testid="quote-change">
        <Num kind="price" value={day.change} tick={inst?.tickSize} />
      </td>
      <td className={`r day-chg ${tone}`} data-testid="quote-change-pct">
        {day.changePct !== undefined ? <span className="num">{day.changePct}%</span> : null}
      </td>
      <td className="r muted opt2">
        <Num kind="price" value={day.dayHigh} tick={inst?.tickSize} />
      </td>
      <td className="r muted opt2">
        <Num kind="price" value={day.dayLow} tick={inst?.tickSize} />
      </td>
      <td className="r muted num" data-testid="quote-volume" title={day.volume ? `Volume ${formatDecimal(day.volume)}` : 'The venue gives no volume'}>
        {day.volume ? compactVolume(day.volume) : ''}
      </td>
      <td className="r muted opt">
        <Num kind="price" value={spread} tick={inst?.tickSize} />
      </td>
      <td className="r muted num opt">{q.stale ? 'stale' : formatTime(q.ts)}</td>
      {tools}
    </tr>
  );
});

/** `tools`: controls for the head's right end (the chart toggle). */
export function Watchlist({ tools }: { tools?: ReactNode } = {}) {
  // A joined string is stable across ticks, so the table re-renders only when the set changes.
  const ids = useEngine((s) =>
    Object.values(s.quotes)
      .sort((a, b) => a.venue.localeCompare(b.venue) || a.symbol.localeCompare(b.symbol))
      .map((q) => q.instrumentId)
      .join('\n'),
  );
  const selectedId = useTicket((s) => s.instrument?.id);
  const all = ids === '' ? [] : ids.split('\n');
  const active = useWatchlists((s) => s.active);
  const named = useWatchlists((s) => s.lists.find((l) => l.name === s.active));
  const list = active === ALL_QUOTES || !named ? all : named.items;
  return (
    <section className="panel" aria-label="Quotes">
      <div className="panel-head">
        <WatchlistTabs allCount={all.length} />
        <span className="muted watch-hint">{list.length} instruments · click or Enter to load</span>
        {tools ? <span className="panel-tools">{tools}</span> : null}
      </div>
      {named ? <WatchlistTools list={named.name} /> : null}
      <div className="panel-body scroll quotes-body">
        <table className="grid" data-testid="quotes-table">
          <thead>
            <tr>
              <th>Symbol</th>
              <th className="opt4">Venue</th>
              <th className="r opt">Bid size</th>
              <th className="r">Bid</th>
              <th className="r">Ask</th>
              <th className="r opt">Ask size</th>
              <th className="r">Last</th>
              <th className="r opt3" title="Change since the previous close">
                Chg
              </th>
              <th className="r">Chg %</th>
              <th className="r opt2">High</th>
              <th className="r opt2">Low</th>
              <th className="r">Volume</th>
              <th className="r opt">Spread</th>
              <th className="r opt">Time (UTC)</th>
              {named ? <th className="r" aria-label="Order and remove" /> : null}
            </tr>
          </thead>
          <tbody>
            {list.length === 0 && (
              <tr className="empty">
                <td colSpan={COLUMNS}>{named ? `“${named.name}” is empty: add symbols above.` : 'No quotes streaming'}</td>
              </tr>
            )}
            {list.map((id, i) => (
              <QuoteRow key={id} id={id} selected={id === selectedId} tools={named ? <RowTools list={named.name} id={id} index={i} count={list.length} /> : undefined} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
