/**
 * Our replace → order/cancelReplace parameters (rest-api.md "Cancel an Existing Order and Send a
 * New Order"): the new order keeps the type, side and time in force, takes the changed price or
 * quantity, passes the same filters as any order, and carries the next `.rN` client id.
 */
import type { Instrument } from '../../domain/instrument';
import type { Order } from '../../domain/order';
import { Decimal, toStr } from '../../domain/money';
import type { ReplaceChanges } from '../venue-port';
import { VenueRejectedError } from '../venue-port';
import type { SymbolFilters } from './binance-instruments';
import { orderParams, replacementCid, venueCid, type WireOrder } from './binance-mapping';

export function replaceParams(inst: Instrument, f: SymbolFilters | undefined, order: Order, changes: ReplaceChanges, now: WireOrder): { params: Record<string, string>; next: string } {
  // What filled before this Binance order (earlier links of the chain) plus what it filled itself.
  const filled = Decimal.max(0, new Decimal(order.qty).minus(now.origQty)).plus(now.executedQty);
  const total = new Decimal(changes.qty ?? order.qty);
  const left = total.minus(filled);
  if (left.lte(0)) throw new VenueRejectedError(`Binance: ${toStr(filled)} of this order already filled, so a total of ${toStr(total)} leaves nothing to replace; cancel it instead.`, 'binance_rule');
  const cur = venueCid(now);
  const next = replacementCid(cur);
  const terms: Order = {
    ...order,
    clientOrderId: next,
    qty: toStr(left),
    ...(changes.limitPrice !== undefined ? { limitPrice: changes.limitPrice } : {}),
    ...(changes.stopPrice !== undefined ? { stopPrice: changes.stopPrice } : {}),
  };
  return { params: { ...orderParams(inst, f, terms), cancelOrigClientOrderId: cur }, next };
}
