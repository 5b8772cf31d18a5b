/**
 * A replace at tastytrade: a PUT that cancels the working order and creates a NEW one (new id,
 * `replaces-order-id` linking it) carrying our `external-identifier`. The superseded order's
 * cancel then arrives on the account streamer under our identifier too; it is not our order's
 * end, so its id is marked superseded before the PUT is sent (the streamer may beat the answer)
 * and unmarked if tastytrade refuses the change (the old order then still works, and its own
 * cancel later must count). An unclear outcome keeps the mark: lookups find the newest order.
 * A mark is pruned once its order has ended: the last few ended ids are kept (a repeated cancel
 * on the streamer is still recognised), older ones forgotten, so the marks never grow all day.
 */
import { TERMINAL_STATUSES, type Order, type OrderStatus } from '../../domain/order';
import { atVenueBoundary } from '../submit-errors';
import { VenueRejectedError, type ReplaceAck, type ReplaceChanges } from '../venue-port';
import { statusFromTasty } from './tastytrade-mapping';
import type { TtOrder } from './tastytrade-parsers';

/** Venue ids a replace superseded: those still working, and the last `keepEnded` that ended. */
export class SupersededOrders {
  private readonly working = new Set<string>();
  /** Ended marks, oldest first (a Set keeps insertion order). */
  private readonly ended = new Set<string>();
  constructor(private readonly keepEnded = 256) {}

  add(venueId: string): void {
    this.ended.delete(venueId);
    this.working.add(venueId);
  }
  delete(venueId: string): void {
    this.working.delete(venueId);
    this.ended.delete(venueId);
  }
  has(venueId: string): boolean {
    return this.working.has(venueId) || this.ended.has(venueId);
  }
  get size(): number {
    return this.working.size + this.ended.size;
  }

  /**
   * A report of `venueId` in `status`: true when it is a superseded order's cancel (not our
   * order's end, so not reported). A superseded order that ended moves to the bounded ended list.
   */
  swallows(venueId: string, status: OrderStatus): boolean {
    if (!this.has(venueId)) return false;
    if (TERMINAL_STATUSES.has(status) && this.working.delete(venueId)) {
      this.ended.add(venueId);
      for (const oldest of this.ended) {
        if (this.ended.size <= this.keepEnded) break;
        this.ended.delete(oldest);
      }
    }
    return status === 'cancelled';
  }
}

export interface ReplaceDeps {
  readonly name: string;
  readonly superseded: Pick<SupersededOrders, 'add' | 'delete'>;
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
