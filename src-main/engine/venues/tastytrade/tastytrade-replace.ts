/**
 * A replace at tastytrade: a PUT that cancels the working order and creates a NEW one (new id,
 * `replaces-order-id` linking it) carrying our `external-identifier`. The superseded order's
 * cancel then arrives on the account streamer under our identifier too; it is not our order's
 * end, so its id is marked superseded before the PUT is sent (the streamer may beat the answer)
 * and unmarked if tastytrade refuses the change (the old order then still works, and its own
 * cancel later must count). An unclear outcome keeps the mark: lookups find the newest order.
 */
import type { Order } from '../../domain/order';
import { atVenueBoundary } from '../submit-errors';
import { VenueRejectedError, type ReplaceAck, type ReplaceChanges } from '../venue-port';
import { statusFromTasty } from './tastytrade-mapping';
import type { TtOrder } from './tastytrade-parsers';

export interface ReplaceDeps {
  readonly name: string;
  readonly superseded: Set<string>;
  /** The venue id of the order that carries ours now. */
  readonly venueId: (order: Order) => Promise<string>;
  /** PUT /orders/{id} with the body for `next`. */
  readonly put: (venueId: string, next: Order) => Promise<TtOrder>;
}

export async function replaceOrder(d: ReplaceDeps, order: Order, changes: ReplaceChanges): Promise<ReplaceAck> {
  const next: Order = {
    ...order,
    ...(changes.qty !== undefined ? { qty: changes.qty } : {}),
    ...(changes.limitPrice !== undefined ? { limitPrice: changes.limitPrice } : {}),
    ...(changes.stopPrice !== undefined ? { stopPrice: changes.stopPrice } : {}),
  };
  let old = '';
  const send = async (): Promise<TtOrder> => {
    old = await d.venueId(order);
    d.superseded.add(old);
    return d.put(old, next);
  };
  const o = await atVenueBoundary(d.name, 'replace', send).catch((e: unknown) => {
    if (e instanceof VenueRejectedError) d.superseded.delete(old);
    throw e;
  });
  return {
    venueOrderId: o.id,
    status: statusFromTasty(o),
    qty: o.legs[0]!.quantity ?? next.qty,
    ...(o.price != null ? { limitPrice: o.price } : {}),
    ...(o['stop-trigger'] != null ? { stopPrice: o['stop-trigger'] } : {}),
  };
}
