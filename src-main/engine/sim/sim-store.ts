/**
 * What the simulator keeps about a simulated venue: its orders, fills, cash and positions, and a
 * few named values. The simulator is handed an implementation (the Paper venue's SQLite tables);
 * it never knows where they live.
 */
import type { OrderStatus, Side, OrderType, TimeInForce } from '../domain/order';

export interface SimOrderRow {
  readonly venueOrderId: string;
  readonly clientOrderId: string;
  readonly instrumentId: string;
  readonly side: Side;
  readonly type: OrderType;
  /** Quantity and prices change with a modify (replace). */
  qty: string;
  limitPrice: string | null;
  stopPrice: string | null;
  readonly tif: TimeInForce;
  status: OrderStatus;
  filledQty: string;
  avgFillPrice: string;
  triggered: boolean;
  expiresAt: number | null;
  reason: string | null;
  /** Time priority: creation, or the last modify that lost the order its place in the queue. */
  createdAt: number;
  updatedAt: number;
  /** Trailing stops: the trail asked for, the extreme tracked and its current stop. */
  readonly trailAmount: string | null;
  readonly trailPercent: string | null;
  trailExtreme: string | null;
  trailStop: string | null;
  readonly ocaGroup: string | null;
  /** Bracket children: the entry's venue order id, what it released (filled) and what the exits used. */
  readonly parentId: string | null;
  releasedQty: string | null;
  exitedQty: string | null;
}

export interface SimFillRow {
  readonly fillId: string;
  readonly venueOrderId: string;
  readonly clientOrderId: string;
  readonly instrumentId: string;
  readonly side: Side;
  readonly qty: string;
  readonly price: string;
  readonly fee: string;
  readonly feeCurrency: string;
  readonly liquidity: 'maker' | 'taker';
  readonly ts: number;
}

export interface SimPositionRow {
  readonly instrumentId: string;
  qty: string;
  avgPrice: string;
  realizedPnl: string;
}

export interface SimStore {
  /** Runs fn in one transaction; a throw rolls every write back. */
  transaction<T>(fn: () => T): T;
  saveOrder(o: SimOrderRow): void;
  orderByVenueId(id: string): SimOrderRow | undefined;
  orderByClientId(id: string): SimOrderRow | undefined;
  /** Accepted and partially filled orders, oldest first. */
  openOrders(): SimOrderRow[];
  /** False when a fill with this id is already stored (nothing is written). */
  insertFill(f: SimFillRow): boolean;
  fillsSince(ts: number): SimFillRow[];
  balances(): Map<string, string>;
  saveBalance(asset: string, total: string): void;
  positions(): Map<string, SimPositionRow>;
  savePosition(p: SimPositionRow): void;
  deletePosition(instrumentId: string): void;
  getState<T>(key: string): T | undefined;
  setState(key: string, value: unknown): void;
  /** Told of every order row written (the account's running reservation totals follow it). */
  onOrderSaved: (o: SimOrderRow) => void;
  /** A transaction rolled back: whatever followed its writes must be rebuilt from the store. */
  onRollback: () => void;
}
