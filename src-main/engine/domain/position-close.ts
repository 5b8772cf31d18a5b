/**
 * The order that closes, reverses or flattens a position, and what a flatten-all would touch. Pure
 * (decimal.js only): the engine builds its tickets from it and the positions view shows the same
 * words before the trader confirms.
 */
import { Decimal, type DecimalString } from './money';
import type { Position } from './order';

/** `close`: to flat. `reverse`: to the same size on the other side. `flatten`: cancel the instrument's working orders, then close. */
export type PositionAction = 'close' | 'reverse' | 'flatten';
export const POSITION_ACTIONS: readonly PositionAction[] = ['close', 'reverse', 'flatten'];

export interface ClosingOrder {
  readonly side: 'buy' | 'sell';
  /** Exact: the position's size (close, flatten) or twice it (reverse). */
  readonly qty: DecimalString;
}

/** The market order that does `action` to a position of signed size `qty`; null when it is flat. */
export function closingOrder(qty: DecimalString, action: PositionAction): ClosingOrder | null {
  const q = new Decimal(qty);
  if (q.isZero()) return null;
  const size = q.abs().mul(action === 'reverse' ? 2 : 1);
  return { side: q.isNeg() ? 'buy' : 'sell', qty: size.toFixed() };
}

export interface FlattenScope {
  readonly positions: readonly Position[];
  readonly count: number;
  /** The venues holding them, sorted. */
  readonly venues: readonly string[];
}

/** The open positions a flatten-all (on one venue, or every venue) closes. */
export function flattenScope(positions: readonly Position[], venue?: string): FlattenScope {
  const open = positions.filter((p) => !new Decimal(p.qty).isZero() && (venue === undefined || p.venue === venue));
  const sorted = [...open].sort((a, b) => a.venue.localeCompare(b.venue) || a.symbol.localeCompare(b.symbol));
  return { positions: sorted, count: sorted.length, venues: [...new Set(sorted.map((p) => p.venue))].sort() };
}

/** What the confirmation says: "Flatten 3 positions on alpaca, paper?" */
export function flattenQuestion(scope: Pick<FlattenScope, 'count' | 'venues'>): string {
  const what = `${scope.count} position${scope.count === 1 ? '' : 's'}`;
  return `Flatten ${what} on ${scope.venues.join(', ')}? Their working orders are cancelled and each position is closed with a market order.`;
}
