/**
 * Working (not finished) orders as counts and open quantities per venue and instrument, kept up
 * to date as the repository writes orders. Pre-trade checks read these per order; scanning every
 * working order instead made each new order cost more the more were open.
 */
import { Decimal, ZERO } from '../domain/money';
import type { OrderStatus, Side } from '../domain/order';
import { remainingQty } from '../domain/order-remaining';

const FINISHED: ReadonlySet<OrderStatus> = new Set<OrderStatus>(['filled', 'cancelled', 'rejected', 'expired']);

export interface WorkingEntry {
  readonly venue: string;
  readonly instrumentId: string;
  readonly side: Side;
  readonly filledQty: string;
  /** qty − filled, never below 0 (remainingQty). */
  readonly remaining: Decimal;
}

export interface WorkingStats {
  readonly total: number;
  readonly venue: number;
  readonly instrument: number;
  readonly buy: Decimal;
  readonly sell: Decimal;
  /** The excluded order, when it is working (a modify's own order). */
  readonly excluded?: WorkingEntry;
}

export interface WorkingOrderFields {
  readonly id: string;
  readonly venue: string;
  readonly instrumentId: string;
  readonly side: Side;
  readonly qty: string;
  readonly filledQty: string;
  readonly status: OrderStatus;
}

export class WorkingOrdersIndex {
  private readonly entries = new Map<string, WorkingEntry>();
  private readonly perVenue = new Map<string, number>();
  private readonly perInstrument = new Map<string, { count: number; buy: Decimal; sell: Decimal }>();

  get total(): number {
    return this.entries.size;
  }

  apply(o: WorkingOrderFields): void {
    this.drop(o.id);
    if (FINISHED.has(o.status)) return;
    // A notional order (qty "0") reserves no quantity here: its size is money (see domain/order-remaining.ts).
    const remaining = remainingQty(o);
    const e: WorkingEntry = { venue: o.venue, instrumentId: o.instrumentId, side: o.side, filledQty: o.filledQty, remaining };
    this.entries.set(o.id, e);
    this.perVenue.set(e.venue, (this.perVenue.get(e.venue) ?? 0) + 1);
    const k = key(e.venue, e.instrumentId);
    const agg = this.perInstrument.get(k) ?? { count: 0, buy: ZERO, sell: ZERO };
    this.perInstrument.set(k, { count: agg.count + 1, buy: e.side === 'buy' ? agg.buy.plus(remaining) : agg.buy, sell: e.side === 'sell' ? agg.sell.plus(remaining) : agg.sell });
  }

  stats(venue: string, instrumentId: string, excludeId?: string): WorkingStats {
    const agg = this.perInstrument.get(key(venue, instrumentId)) ?? { count: 0, buy: ZERO, sell: ZERO };
    const base = { total: this.entries.size, venue: this.perVenue.get(venue) ?? 0, instrument: agg.count, buy: agg.buy, sell: agg.sell };
    const ex = excludeId !== undefined ? this.entries.get(excludeId) : undefined;
    if (!ex || ex.venue !== venue) return base;
    const same = ex.instrumentId === instrumentId;
    return {
      total: base.total,
      venue: base.venue - 1,
      instrument: same ? base.instrument - 1 : base.instrument,
      buy: same && ex.side === 'buy' ? base.buy.minus(ex.remaining) : base.buy,
      sell: same && ex.side === 'sell' ? base.sell.minus(ex.remaining) : base.sell,
      excluded: ex,
    };
  }

  private drop(id: string): void {
    const e = this.entries.get(id);
    if (!e) return;
    this.entries.delete(id);
    this.perVenue.set(e.venue, (this.perVenue.get(e.venue) ?? 1) - 1);
    const k = key(e.venue, e.instrumentId);
    const agg = this.perInstrument.get(k)!;
    this.perInstrument.set(k, { count: agg.count - 1, buy: e.side === 'buy' ? agg.buy.minus(e.remaining) : agg.buy, sell: e.side === 'sell' ? agg.sell.minus(e.remaining) : agg.sell });
  }
}

function key(venue: string, instrumentId: string): string {
  return `${venue}\u0000${instrumentId}`;
}
