/**
 * Live quotes for every instrument the engine streams. Each row subscribes to its own quote so a
 * tick re-renders one row, not the table. Click a row to load it into the ticket.
 */
import { memo, useRef } from 'react';
import { Decimal } from '../../../../src-main/engine/domain/money';
import { Num } from '../../components/Num';
import { formatDecimal, formatTime } from '../../components/format';
import { searchInstruments } from '../../store/actions';
import { engineStore, useEngine } from '../../store/hooks';
import { selectInstrument, useTicket } from '../ticket/ticket-store';

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

const QuoteRow = memo(function QuoteRow({ id, selected }: { id: string; selected: boolean }) {
  const q = useEngine((s) => s.quotes[id]);
  const inst = useEngine((s) => s.instruments[id]);
  const prev = useRef<{ bid?: string; ask?: string; last?: string; dir: { bid: string; ask: string; last: string } }>({ dir: { bid: '', ask: '', last: '' } });
  if (!q) return null;
  // Direction of the last change per field, kept until the next change (a tick arrow, not a blink).
  const p = prev.current;
  const dir = {
    bid: direction(p.bid, q.bid) || (p.bid === q.bid ? p.dir.bid : ''),
    ask: direction(p.ask, q.ask) || (p.ask === q.ask ? p.dir.ask : ''),
    last: direction(p.last, q.last) || (p.last === q.last ? p.dir.last : ''),
  };
  prev.current = { bid: q.bid, ask: q.ask, last: q.last, dir };
  const spread = q.bid && q.ask ? new Decimal(q.ask).minus(q.bid).toFixed() : undefined;
  return (
    <tr
      data-testid="quote-row"
      data-instrument-id={id}
      data-symbol={q.symbol}
      data-quote-ts={q.ts}
      className={selected ? 'clickable selected' : 'clickable'}
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
      <td className="sym">{q.symbol}</td>
      <td className="muted">{q.venue}</td>
      <td className="r muted">{q.bidSize ? formatDecimal(q.bidSize, { maxDp: 4 }) : ''}</td>
      <td className={`r bidc ${dir.bid}`}>
        <Num kind="price" value={q.bid} tick={inst?.tickSize} />
      </td>
      <td className={`r askc ${dir.ask}`}>
        <Num kind="price" value={q.ask} tick={inst?.tickSize} />
      </td>
      <td className="r muted">{q.askSize ? formatDecimal(q.askSize, { maxDp: 4 }) : ''}</td>
      <td className={`r ${dir.last}`}>
        <Num kind="price" value={q.last} tick={inst?.tickSize} />
      </td>
      <td className="r muted">
        <Num kind="price" value={spread} tick={inst?.tickSize} />
      </td>
      <td className="r muted num">{formatTime(q.ts)}</td>
    </tr>
  );
});

export function Watchlist() {
  // A joined string is stable across ticks, so the table re-renders only when the set changes.
  const ids = useEngine((s) =>
    Object.values(s.quotes)
      .sort((a, b) => a.venue.localeCompare(b.venue) || a.symbol.localeCompare(b.symbol))
      .map((q) => q.instrumentId)
      .join('\n'),
  );
  const selectedId = useTicket((s) => s.instrument?.id);
  const list = ids === '' ? [] : ids.split('\n');
  return (
    <section className="panel" aria-label="Quotes">
      <div className="panel-head">
        <h2>Quotes</h2>
        <span className="muted">{list.length} instruments · click or Enter to load</span>
      </div>
      <div className="panel-body scroll">
        <table className="grid" data-testid="quotes-table">
          <thead>
            <tr>
              <th>Symbol</th>
              <th>Venue</th>
              <th className="r">Bid size</th>
              <th className="r">Bid</th>
              <th className="r">Ask</th>
              <th className="r">Ask size</th>
              <th className="r">Last</th>
              <th className="r">Spread</th>
              <th className="r">Time (UTC)</th>
            </tr>
          </thead>
          <tbody>
            {list.length === 0 && (
              <tr className="empty">
                <td colSpan={9}>No quotes streaming</td>
              </tr>
            )}
            {list.map((id) => (
              <QuoteRow key={id} id={id} selected={id === selectedId} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
