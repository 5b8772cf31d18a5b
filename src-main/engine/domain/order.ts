/**
 * The unified order model: one request shape for every venue, one lifecycle.
 * Quantities and prices are canonical decimal strings on the wire and in storage.
 */
import type { DecimalString } from './money';
import type { OrderLeg } from './order-legs';

export type Side = 'buy' | 'sell';
export type OrderType = 'market' | 'limit' | 'stop' | 'stop_limit' | 'trailing_stop';
/**
 * `opg`: the opening auction only (market-on-open / limit-on-open); unfilled, it is cancelled.
 * `cls`: the closing auction only (market-on-close / limit-on-close); unfilled, it is cancelled.
 * `gtd`: good till `expireAt` (UTC epoch ms), then expired.
 */
export type TimeInForce = 'day' | 'gtc' | 'ioc' | 'fok' | 'opg' | 'cls' | 'gtd';
/** A bracket child's role: the exit at a profit (limit) or at a loss (stop / stop-limit). */
export type BracketLeg = 'take_profit' | 'stop_loss';

export const SIDES: readonly Side[] = ['buy', 'sell'];
export const ORDER_TYPES: readonly OrderType[] = ['market', 'limit', 'stop', 'stop_limit', 'trailing_stop'];
export const TIFS: readonly TimeInForce[] = ['day', 'gtc', 'ioc', 'fok', 'opg', 'cls', 'gtd'];

/**
 * The lifecycle (DESIGN.md). `pending_submit` means journaled locally, not yet known to the venue.
 * `unknown` means a submit whose outcome we could not observe; it is resolved by lookup or
 * reconciliation, never by sending again.
 */
export type OrderStatus = 'pending_submit' | 'submitted' | 'accepted' | 'partially_filled' | 'filled' | 'cancelled' | 'rejected' | 'expired' | 'pending_cancel' | 'pending_replace' | 'unknown';

export const TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set(['filled', 'cancelled', 'rejected', 'expired']);

export function isTerminal(s: OrderStatus): boolean {
  return TERMINAL_STATUSES.has(s);
}

/** Orders the trader would call "working": they can still fill or be cancelled. */
export function isWorking(s: OrderStatus): boolean {
  return !isTerminal(s);
}

export type Actor = 'user' | 'cli' | 'strategy' | 'venue' | 'reconcile' | 'system';

/** What a trader asks for, already validated against the instrument. */
export interface OrderRequest {
  readonly venue: string;
  readonly instrumentId: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly qty: DecimalString;
  readonly limitPrice?: DecimalString;
  readonly stopPrice?: DecimalString;
  readonly tif: TimeInForce;
  /** GTD only (required then): when the order expires, UTC epoch ms. */
  readonly expireAt?: number;
  /** Limit orders only: rejected rather than taking liquidity. */
  readonly postOnly?: boolean;
  /** Derivatives only: may only reduce a position. */
  readonly reduceOnly?: boolean;
  /** A quote-currency amount instead of a quantity (market orders); `qty` is then "0". */
  readonly notional?: DecimalString;
  /** Idempotency key from the caller; when absent the engine makes one. */
  readonly clientOrderId?: string;
}

export interface Order {
  /** Local id (primary key). */
  readonly id: string;
  readonly clientOrderId: string;
  venueOrderId?: string;
  readonly venue: string;
  readonly instrumentId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly qty: DecimalString;
  readonly limitPrice?: DecimalString;
  readonly stopPrice?: DecimalString;
  readonly tif: TimeInForce;
  /** GTD only (required then): when the order expires, UTC epoch ms. */
  readonly expireAt?: number;
  /** Limit orders only: rejected rather than taking liquidity. */
  readonly postOnly?: boolean;
  /** Derivatives only: may only reduce a position. */
  readonly reduceOnly?: boolean;
  /** A quote-currency amount instead of a quantity (market orders); `qty` is then "0". */
  readonly notional?: DecimalString;
  /** Trailing stops: the trail as a price distance or a percent (exactly one is set). */
  readonly trailAmount?: DecimalString;
  readonly trailPercent?: DecimalString;
  /**
   * Trailing stops: where the stop is now, as the venue last reported it (it moves with the
   * market; `stopPrice` stays what the trader asked for). Absent until the venue says.
   */
  trailStop?: DecimalString;
  /** May work (and a stop may trigger) outside regular trading hours (IB outsideRth). */
  readonly extendedHours?: boolean;
  /** One-cancels-other group: a fill of any order in the group cancels the others (at the venue). */
  readonly ocaGroup?: string;
  /** Bracket children: the local id of the entry order they protect, and which exit they are. */
  readonly parentOrderId?: string;
  readonly leg?: BracketLeg;
  /** A multi-leg order (a vertical): its legs, the first being `instrumentId` (domain/order-legs.ts). */
  readonly legs?: readonly OrderLeg[];
  status: OrderStatus;
  filledQty: DecimalString;
  /** Volume-weighted average fill price; "0" before the first fill. */
  avgFillPrice: DecimalString;
  fees: DecimalString;
  rejectReason?: string;
  /** Who created it. External = found at the venue, placed elsewhere. */
  readonly source: Actor | 'external';
  readonly createdAt: number;
  updatedAt: number;
}

export interface Fill {
  readonly id: string;
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly venue: string;
  readonly venueFillId: string;
  readonly instrumentId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly qty: DecimalString;
  readonly price: DecimalString;
  readonly fee: DecimalString;
  readonly feeCurrency: string;
  readonly liquidity: 'maker' | 'taker';
  readonly ts: number;
}

export interface Position {
  readonly venue: string;
  readonly instrumentId: string;
  readonly symbol: string;
  /** Signed: negative is short. */
  readonly qty: DecimalString;
  readonly avgPrice: DecimalString;
  readonly mark?: DecimalString;
  readonly unrealizedPnl?: DecimalString;
  readonly realizedPnl: DecimalString;
  /** Derivatives: the mark at which the venue liquidates the position, where it reports one. */
  readonly liquidationPrice?: DecimalString;
  /** Derivatives: the position's leverage as the venue reports it (e.g. '10' for 10×). */
  readonly leverage?: DecimalString;
}

export interface Balance {
  readonly venue: string;
  readonly asset: string;
  readonly total: DecimalString;
  /** Available for new orders (total minus what working orders reserve). */
  readonly available: DecimalString;
}

export interface Quote {
  readonly instrumentId: string;
  readonly bid?: DecimalString;
  readonly bidSize?: DecimalString;
  readonly ask?: DecimalString;
  readonly askSize?: DecimalString;
  readonly last?: DecimalString;
  /** Day statistics, when the venue gives them: the previous session's close, today's high, low and volume. */
  readonly prevClose?: DecimalString;
  readonly dayHigh?: DecimalString;
  readonly dayLow?: DecimalString;
  readonly volume?: DecimalString;
  readonly ts: number;
  /** True while the venue's feed for it is down: the last price seen, not a live one (risk treats it as too old). */
  readonly stale?: boolean;
}

export interface BookLevel {
  readonly price: DecimalString;
  readonly qty: DecimalString;
}

export interface BookSnapshot {
  readonly instrumentId: string;
  readonly bids: BookLevel[];
  readonly asks: BookLevel[];
  readonly ts: number;
}

/** True when the order is for a quote-currency amount (`notional`) rather than a quantity. */
export function isNotional(o: Pick<Order, 'notional'>): boolean {
  return o.notional !== undefined;
}
