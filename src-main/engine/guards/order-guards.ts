/**
 * Account guards on the trader's own working orders, for any venue: what they hold of the buying
 * power, and whether a new order could trade against one of them (a possible wash trade).
 * Pure: the venue gathers its open orders.
 */
import { Decimal } from '../domain/money';
import type { NormalizedTicket } from '../domain/order-validation';
import type { Order } from '../domain/order';

/** A working order as a venue reports it (the fields these guards read). */
export interface OpenOrderView {
  readonly clientOrderId: string;
  readonly instrumentId?: string | undefined;
  readonly side?: Order['side'] | undefined;
  readonly type?: Order['type'] | undefined;
  readonly qty?: string | undefined;
  readonly filledQty: string;
  readonly limitPrice?: string | undefined;
  readonly stopPrice?: string | undefined;
}

/** What our working buy orders hold of the buying power (limit, else stop, else nothing known). */
export function workingBuys(open: readonly OpenOrderView[]): Decimal {
  return open.filter((o) => o.side === 'buy' && o.qty !== undefined).reduce((s, o) => s.plus(new Decimal(o.qty!).minus(o.filledQty || '0').mul(o.limitPrice ?? o.stopPrice ?? '0')), new Decimal(0));
}

/** An open order of ours on the other side that this ticket could execute against. */
export function washOpponent(t: Pick<NormalizedTicket, 'side' | 'type' | 'limitPrice'>, instrumentId: string, open: readonly OpenOrderView[]): OpenOrderView | undefined {
  return open.find((o) => {
    if (o.instrumentId !== instrumentId || o.side === t.side || (o.type !== 'limit' && o.type !== 'market')) return false;
    if (t.type === 'market' || o.type === 'market') return t.type === 'market' || t.type === 'limit';
    if (t.type !== 'limit' || t.limitPrice === undefined || o.limitPrice === undefined) return false;
    return t.side === 'buy' ? new Decimal(t.limitPrice).gte(o.limitPrice) : new Decimal(t.limitPrice).lte(o.limitPrice);
  });
}
