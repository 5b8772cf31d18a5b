/**
 * What a venue tells the engine about its orders and fills. Here rather than in venues/ so the
 * simulator (sim/), which produces them for the Paper venue and the SHADOW route, needs no venue.
 */
import type { Order, OrderStatus } from '../domain/order';
import type { OrderLeg } from '../domain/order-legs';

/** The venue's view of one order, as reported by a stream, a lookup or a reconciliation. */
export interface VenueOrderReport {
  readonly clientOrderId: string;
  readonly venueOrderId?: string;
  readonly status: OrderStatus;
  readonly filledQty: string;
  readonly avgFillPrice: string;
  readonly reason?: string;
  readonly ts: number;
  /** For orders the venue knows that we may not: enough to adopt them. */
  readonly instrumentId?: string;
  readonly side?: Order['side'];
  readonly type?: Order['type'];
  readonly qty?: string;
  readonly limitPrice?: string;
  readonly stopPrice?: string;
  /** A trailing stop's current stop price (it moves with the market); only for trailing stops. */
  readonly trailStop?: string;
  readonly tif?: Order['tif'];
  /** A multi-leg order's legs (its instrumentId is the first), so an adopted spread books each leg's fills to its own instrument. */
  readonly legs?: readonly OrderLeg[];
  /** The raw venue message, kept for the transition record. */
  readonly raw?: unknown;
}

export interface VenueFillReport {
  readonly clientOrderId: string;
  readonly venueOrderId?: string;
  /** Unique per venue; the engine drops a fill it has already recorded under this id. */
  readonly venueFillId: string;
  readonly instrumentId: string;
  readonly side: Order['side'];
  readonly qty: string;
  readonly price: string;
  readonly fee: string;
  readonly feeCurrency: string;
  readonly liquidity: 'maker' | 'taker';
  readonly ts: number;
  readonly raw?: unknown;
}
