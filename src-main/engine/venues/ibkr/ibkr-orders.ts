/**
 * Order entry at IB: place (single, OCA, bracket), cancel and modify. The order id is committed
 * before a byte is sent; an order is acknowledged by TWS's echo, refused by an error for its id,
 * and anything in between is an unknown outcome that is looked up, never sent again.
 */
import type { Order as IbOrder } from '@stoqey/ib';
import type { Order, OrderStatus } from '../../domain/order';
import { OutcomeUnknownError, VenueRejectedError, type ReplaceAck, type ReplaceChanges, type SubmitAck } from '../venue-port';
import type { IbSession } from './ibkr-connection';
import { orderContract } from './ibkr-instruments';
import { IbMappingError, intentFromOrder, toIbOrder, type IbOrderIntent } from './ibkr-mapping';
import type { IbkrOrderViews } from './ibkr-order-views';
import type { IbkrScope } from './ibkr-requests';

export class IbkrOrders {
  constructor(
    private readonly k: IbkrScope,
    private readonly orders: IbkrOrderViews,
  ) {}

  /**
   * Places orders as one group: each leg is mapped before any id is used or byte sent; a bracket's
   * children carry the parent's id and only the last leg transmits, so TWS holds the group until
   * it is complete. Throws VenueRejectedError when nothing was sent or TWS refused, and
   * OutcomeUnknownError when an order may be working.
   */
  async placeGroup(instrumentId: string, intents: IbOrderIntent[], bracket = false): Promise<SubmitAck[]> {
    const { rq, ids } = this.k;
    const s = rq.tradingSession();
    const c = this.k.cache.get(instrumentId);
    if (!c) throw new VenueRejectedError(`Interactive Brokers has no contract for ${instrumentId} in Tradeport's cache; search for the symbol first.`, 'unknown_instrument');
    for (const i of intents) {
      const sent = ids.byClientOrderId(i.clientOrderId);
      // Never a second send for one client order id: whatever happened to the first is looked up.
      if (sent) throw new OutcomeUnknownError(`Order ${i.clientOrderId} was already sent to IB as order ${sent.orderId}; its state is looked up, it is never sent twice.`);
    }
    // Check every leg maps before any id is used or byte is sent.
    const mapped = intents.map((i, k) => {
      try {
        return toIbOrder({ ...i, ...(bracket ? { transmit: k === intents.length - 1 } : {}) }, c.instrument, this.k.account());
      } catch (e) {
        if (e instanceof IbMappingError) throw new VenueRejectedError(e.message, 'unsupported_order');
        throw e;
      }
    });
    const now = this.k.clock.now();
    const orderIds: number[] = [];
    for (const i of intents) orderIds.push(ids.takeForOrder(i.clientOrderId, s.clientId, c.instrument.id, now));
    if (bracket) for (let k = 1; k < mapped.length; k++) mapped[k]!.parentId = orderIds[0];
    // Each ack is awaited from the moment its order leaves (the limiter may hold it back a while).
    const acks: Array<Promise<OrderStatus>> = [];
    for (let k = 0; k < mapped.length; k++) {
      const orderId = orderIds[k]!;
      const v = this.orders.viewFor(orderId, s.clientId, 0, intents[k]!.clientOrderId)!;
      const it = intents[k]!;
      Object.assign(v, {
        instrumentId: c.instrument.id,
        side: it.side,
        type: it.type === 'trailing' ? 'trailing_stop' : it.type,
        qty: it.qty,
        tif: it.tif,
        ...(it.limitPrice ? { limitPrice: it.limitPrice } : {}),
        ...(it.stopPrice ? { stopPrice: it.stopPrice } : {}),
      });
      try {
        await rq.send('orderNew', s, (api) => api.placeOrder(orderId, orderContract(c.contract), mapped[k]!));
      } catch {
        // Not sent: this leg and any after it never left; earlier legs of a bracket stay untransmitted in TWS.
        for (let j = k; j < mapped.length; j++) this.orders.forget(String(orderIds[j]));
        for (const a of acks) a.catch(() => undefined);
        throw new VenueRejectedError(`The connection to TWS dropped before order ${intents[k]!.clientOrderId} was sent; nothing was placed.`, 'venue_unavailable');
      }
      // Registered in the same tick as the send: TWS's answer can only arrive on a later one.
      const ack = this.awaitAck(s, orderId);
      ack.catch(() => undefined);
      acks.push(ack);
    }
    const out: SubmitAck[] = [];
    for (let k = 0; k < acks.length; k++) out.push({ venueOrderId: String(orderIds[k]), status: await acks[k]! });
    return out;
  }

  private awaitAck(s: IbSession, orderId: number): Promise<OrderStatus> {
    const { ackTimeoutMs } = this.k.settings;
    return this.k.rq
      .pending<OrderStatus>(
        s.id,
        ackTimeoutMs,
        () => new OutcomeUnknownError(`TWS did not acknowledge IB order ${orderId} within ${ackTimeoutMs} ms; Tradeport looks it up instead of sending it again.`),
        (resolve, reject) => {
          this.orders.acks.set(orderId, {
            resolve,
            reject: (e) => reject(e),
          });
          return () => this.orders.acks.delete(orderId);
        },
      )
      .catch((e: Error) => {
        if (e instanceof VenueRejectedError || e instanceof OutcomeUnknownError) throw e;
        throw new OutcomeUnknownError(`${e.message} before TWS acknowledged IB order ${orderId}; Tradeport looks it up after reconnecting and never sends it twice.`);
      });
  }

  async cancel(order: Order): Promise<void> {
    const { rq } = this.k;
    const row = this.k.ids.byClientOrderId(order.clientOrderId);
    if (!row) {
      if (order.venueOrderId?.startsWith('p')) {
        throw new VenueRejectedError('This order was placed in TWS by hand (or by another program); Tradeport shows it read-only. Cancel it in TWS.', 'external_order');
      }
      throw new VenueRejectedError(`Interactive Brokers has no order ${order.clientOrderId} from Tradeport.`, 'not_found');
    }
    const s = rq.querySession();
    if (row.clientId !== s.clientId) {
      throw new VenueRejectedError(
        `Order ${order.clientOrderId} was placed under API client id ${row.clientId}, and this session is client ${s.clientId}: TWS lets only the placing client cancel it. Cancel it in TWS.`,
        'wrong_client',
      );
    }
    try {
      await rq.send('orderCancel', s, (api) => api.cancelOrder(row.orderId));
    } catch (e) {
      throw new VenueRejectedError(`The cancel could not be sent: ${(e as Error).message}.`, 'venue_unavailable');
    }
    // Registered in the same tick as the send; TWS answers on a later one.
    await rq
      .pending<OrderStatus | undefined>(
        s.id,
        5_000,
        () => new Error('timeout'),
        (resolve, reject) => {
          this.orders.cancels.set(row.orderId, { resolve, reject });
          return () => this.orders.cancels.delete(row.orderId);
        },
      )
      .catch((e: Error) => {
        // No answer yet is not a refusal: the status arrives through the stream later.
        if (e instanceof VenueRejectedError) throw e;
        return undefined;
      });
  }

  /**
   * IB modifies an order by sending placeOrder again with the same order id and the new terms.
   * Acknowledged when TWS echoes those terms; an error for the id is a refusal; silence or a
   * dropped socket is an unknown outcome (looked up, never sent again).
   */
  async replace(order: Order, changes: ReplaceChanges): Promise<ReplaceAck> {
    const { rq } = this.k;
    const { ackTimeoutMs } = this.k.settings;
    const row = this.k.ids.byClientOrderId(order.clientOrderId);
    if (!row) {
      if (order.venueOrderId?.startsWith('p'))
        throw new VenueRejectedError('This order was placed in TWS by hand (or by another program); Tradeport shows it read-only. Modify it in TWS.', 'external_order');
      throw new VenueRejectedError(`Interactive Brokers has no order ${order.clientOrderId} from Tradeport.`, 'not_found');
    }
    const s = rq.tradingSession();
    if (row.clientId !== s.clientId) {
      throw new VenueRejectedError(
        `Order ${order.clientOrderId} was placed under API client id ${row.clientId}, and this session is client ${s.clientId}: TWS lets only the placing client modify it. Modify it in TWS.`,
        'wrong_client',
      );
    }
    const c = this.k.cache.get(row.instrumentId);
    if (!c) throw new VenueRejectedError(`Interactive Brokers has no contract for ${row.instrumentId} in Tradeport's cache; search for the symbol first.`, 'unknown_instrument');
    const next = { ...order, ...changes } as Order;
    let mapped: IbOrder;
    try {
      mapped = toIbOrder(intentFromOrder(next), c.instrument, this.k.account());
    } catch (e) {
      if (e instanceof IbMappingError) throw new VenueRejectedError(e.message, 'unsupported_order');
      throw e;
    }
    const want = { qty: next.qty, ...(next.limitPrice ? { limitPrice: next.limitPrice } : {}), ...(next.stopPrice ? { stopPrice: next.stopPrice } : {}) };
    try {
      await rq.send('orderNew', s, (api) => api.placeOrder(row.orderId, orderContract(c.contract), mapped));
    } catch {
      throw new VenueRejectedError('The connection to TWS dropped before the change was sent; the order works on unchanged.', 'venue_unavailable');
    }
    // Registered in the same tick as the send: TWS's answer can only arrive on a later one.
    const done = rq.pending<void>(
      s.id,
      ackTimeoutMs,
      () => new OutcomeUnknownError(`TWS did not acknowledge the change to IB order ${row.orderId} within ${ackTimeoutMs} ms; Tradeport looks it up instead of sending it again.`),
      (resolve, reject) => {
        this.orders.modifies.set(row.orderId, { want, resolve: () => resolve(), reject });
        return () => this.orders.modifies.delete(row.orderId);
      },
    );
    await done.catch((e: Error) => {
      if (e instanceof VenueRejectedError || e instanceof OutcomeUnknownError) throw e;
      throw new OutcomeUnknownError(`${e.message} before TWS acknowledged the change to IB order ${row.orderId}; Tradeport looks it up and never sends it twice.`);
    });
    const v = this.orders.views.get(String(row.orderId));
    return {
      venueOrderId: String(row.orderId),
      status: v?.status ?? 'accepted',
      qty: v?.qty ?? next.qty,
      ...((v?.limitPrice ?? next.limitPrice) ? { limitPrice: (v?.limitPrice ?? next.limitPrice)! } : {}),
      ...((v?.stopPrice ?? next.stopPrice) ? { stopPrice: (v?.stopPrice ?? next.stopPrice)! } : {}),
    };
  }
}
