/**
 * Depth of the instrument on the ticket. The engine has no book event, so this polls book.get
 * while visible; clicking a level puts its price into the ticket's limit field.
 */
import { useEffect, useState } from 'react';
import type { BookLevel } from '../../../../src-main/engine/domain/order';
import { Decimal } from '../../../../src-main/engine/domain/money';
import { formatDecimal, formatPrice } from '../../components/format';
import { invoke } from '../../api/invoke';
import { editTicket, useTicket } from '../ticket/ticket-store';
import { LadderToggle } from '../ladder/Ladder';

const DEPTH = 10;
const POLL_MS = 500;

interface BookView {
  readonly id: string;
  readonly bids: BookLevel[];
  readonly asks: BookLevel[];
}

export function Book() {
  const inst = useTicket((s) => s.instrument);
  const [book, setBook] = useState<BookView | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    setBook(undefined);
    setError(undefined);
    if (!inst) return;
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      const r = await invoke('book.get', { venue: inst.venue, symbol: inst.symbol, depth: DEPTH });
      if (!alive) return;
      if (r.ok) {
        setBook({ id: inst.id, bids: r.value.bids, asks: r.value.asks });
        setError(undefined);
      } else setError(`${r.error.code}: ${r.error.message}`);
      if (!document.hidden) timer = setTimeout(poll, POLL_MS);
      else timer = setTimeout(poll, POLL_MS * 4);
    };
    void poll();
    return () => {
      alive = false;
      if (timer) clearTimeout(timer);
    };
  }, [inst]);

  const levels = [...(book?.asks ?? [])].slice(0, DEPTH).reverse();
  const bids = (book?.bids ?? []).slice(0, DEPTH);
  let max = new Decimal(0);
  for (const l of [...levels, ...bids]) if (new Decimal(l.qty).gt(max)) max = new Decimal(l.qty);
  const width = (qty: string) => (max.isZero() ? '0%' : `${new Decimal(qty).div(max).mul(100).toDecimalPlaces(1).toFixed()}%`);
  const row = (l: BookLevel, side: 'bid' | 'ask') => (
    <tr key={side + l.price} className={`lvl ${side} clickable`} onClick={() => editTicket({ limitPrice: l.price })} title="Click to use as limit price">
      <td className="r num px">{formatPrice(l.price, inst?.tickSize)}</td>
      <td className="r num qty">
        <span className="bar" style={{ width: width(l.qty) }} />
        <span className="v">{formatDecimal(l.qty, { maxDp: 6 })}</span>
      </td>
    </tr>
  );

  return (
    <section className="panel" aria-label="Order book">
      <div className="panel-head">
        <h2>Book</h2>
        <span className="muted">{inst ? inst.symbol : '—'}</span>
        <LadderToggle />
      </div>
      <div className="panel-body scroll">
        {!inst && <div className="muted pad">Pick an instrument to see its depth.</div>}
        {error && <div className="muted pad">{error}</div>}
        {inst && book && (
          <table className="grid book" data-testid="book-table">
            <thead>
              <tr>
                <th className="r">Price</th>
                <th className="r">Size</th>
              </tr>
            </thead>
            <tbody>
              {levels.map((l) => row(l, 'ask'))}
              <tr className="spread-row">
                <td colSpan={2} className="muted">
                  {bids[0] && levels.length > 0 ? `spread ${formatDecimal(new Decimal(levels[levels.length - 1]!.price).minus(bids[0].price).toFixed())}` : ''}
                </td>
              </tr>
              {bids.map((l) => row(l, 'bid'))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
