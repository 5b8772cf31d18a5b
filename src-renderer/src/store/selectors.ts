/**
 * Derived views. P&L and marks are computed from the live quote at render time rather than stored,
 * so they cannot drift from the quote on screen.
 */
// Shares the engine's Decimal configuration (40 significant digits) rather than decimal.js defaults.
import { Decimal } from '../../../src-main/engine/domain/money';
import type { QuoteView } from '../../../src-main/engine/api/commands';
import type { Instrument } from '../../../src-main/engine/domain/instrument';
import type { Order, Position } from '../../../src-main/engine/domain/order';
import { isWorking } from '../../../src-main/engine/domain/order';

/** Mid when both sides are quoted, else last; undefined when the quote cannot mark. */
export function markFromQuote(q: Pick<QuoteView, 'bid' | 'ask' | 'last'> | undefined): string | undefined {
  if (!q) return undefined;
  if (q.bid !== undefined && q.ask !== undefined) return new Decimal(q.bid).plus(q.ask).div(2).toFixed();
  return q.last;
}

export interface PositionView {
  readonly position: Position;
  readonly mark: string | undefined;
  readonly unrealized: string | undefined;
  /** True when mark and P&L come from the live quote rather than the engine's last position event. */
  readonly live: boolean;
}

/**
 * (mark − avg) × qty × multiplier, exactly. Uses the live quote only when the instrument (and so
 * its multiplier) is known; otherwise shows the engine's own figures, which already include it.
 */
export function positionView(p: Position, quote: QuoteView | undefined, instrument: Instrument | undefined): PositionView {
  const liveMark = instrument ? markFromQuote(quote) : undefined;
  if (liveMark !== undefined && instrument) {
    const pnl = new Decimal(liveMark).minus(p.avgPrice).mul(p.qty).mul(instrument.multiplier);
    return { position: p, mark: liveMark, unrealized: pnl.toFixed(), live: true };
  }
  return { position: p, mark: p.mark, unrealized: p.unrealizedPnl, live: false };
}

export function isFlat(p: Position): boolean {
  return new Decimal(p.qty).isZero();
}

export function workingOrders(orders: Readonly<Record<string, Order>>): Order[] {
  return Object.values(orders)
    .filter((o) => isWorking(o.status))
    .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
}

export function orderHistory(orders: Readonly<Record<string, Order>>): Order[] {
  return Object.values(orders).sort((a, b) => b.updatedAt - a.updatedAt || (a.id < b.id ? 1 : -1));
}

/** Count without sorting: this runs on every store update (every frame while quotes stream). */
export function countWorking(orders: Readonly<Record<string, Order>>): number {
  let n = 0;
  for (const id in orders) if (isWorking(orders[id]!.status)) n++;
  return n;
}
