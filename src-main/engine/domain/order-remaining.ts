/**
 * How much of an order is left, in one place. A notional order (`notional` set, `qty` "0") asks
 * for a quote-currency amount: its quantity is unknown until it fills and it is complete when the
 * venue says so, so every quantity-based computation goes through these helpers instead of
 * `qty - filledQty`.
 */
import { Decimal } from './money';
import type { Order } from './order';

type Sized = Pick<Order, 'qty' | 'filledQty' | 'notional'>;

/** Quantity still to fill; 0 for a notional order (it is sized in money: see remainingNotional). */
export function remainingQty(o: Sized): Decimal {
  if (o.notional !== undefined) return new Decimal(0);
  return Decimal.max(new Decimal(o.qty).minus(o.filledQty), 0);
}

/** The order's full value in quote currency: its notional, or quantity × the given price (undefined without one). */
export function orderNotional(o: Pick<Order, 'qty' | 'notional'>, price?: Decimal.Value): Decimal | undefined {
  if (o.notional !== undefined) return new Decimal(o.notional);
  return price === undefined ? undefined : new Decimal(o.qty).times(price);
}

/** Quote-currency value still to trade: notional less what has filled (at the average price), or remaining quantity × price. */
export function remainingNotional(o: Sized & Pick<Order, 'avgFillPrice'>, price?: Decimal.Value): Decimal | undefined {
  if (o.notional !== undefined) return Decimal.max(new Decimal(o.notional).minus(new Decimal(o.filledQty).times(o.avgFillPrice || 0)), 0);
  return price === undefined ? undefined : remainingQty(o).times(price);
}

/**
 * Whether the fills complete the order: quantity reached for a sized order; a notional order
 * completes only when the venue (or the simulator) says so, never by arithmetic here.
 */
export function fillsComplete(o: Sized): boolean {
  if (o.notional !== undefined) return false;
  return new Decimal(o.filledQty).gte(o.qty);
}
