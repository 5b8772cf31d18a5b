/**
 * Asking TWS what it knows about orders: all open orders, completed orders, and one order by our
 * client order id. Reconciliation adopts from `openOrders`, so an order typed into TWS arrives
 * with its symbol resolved.
 */
import { EventName, type Contract, type Order as IbOrder } from '@stoqey/ib';
import type { Instrument } from '../../domain/instrument';
import { isTerminal } from '../../domain/order';
import type { VenueOrderReport } from '../venue-port';
import type { IbSession } from './ibkr-connection';
import type { IbkrOrderViews } from './ibkr-order-views';
import type { IbkrScope } from './ibkr-requests';

export class IbkrQueries {
  constructor(
    private readonly k: IbkrScope,
    private readonly orders: IbkrOrderViews,
    private readonly lookupInstrument: (id: string) => Promise<Instrument | undefined>,
  ) {}

  refreshOpenOrders(s: IbSession): Promise<void> {
    const { rq } = this.k;
    return rq.once('openOrders', () =>
      rq.pending<void>(
        s.id,
        15_000,
        () => new Error('TWS did not finish listing open orders'),
        (resolve) => {
          const end = () => resolve();
          s.api.once(EventName.openOrderEnd, end);
          rq.send('message', s, (api) => api.reqAllOpenOrders()).catch(() => undefined);
          return () => s.api.off(EventName.openOrderEnd, end);
        },
      ),
    );
  }

  refreshCompleted(s: IbSession): Promise<void> {
    const { rq } = this.k;
    return rq.once('completed', () =>
      rq.pending<void>(
        s.id,
        15_000,
        () => new Error('TWS did not finish listing completed orders'),
        (resolve) => {
          const end = () => resolve();
          s.api.once(EventName.completedOrdersEnd, end);
          rq.send('message', s, (api) => api.reqCompletedOrders(true)).catch(() => undefined);
          return () => s.api.off(EventName.completedOrdersEnd, end);
        },
      ),
    );
  }

  async lookup(clientOrderId: string): Promise<VenueOrderReport | undefined> {
    const { views, byCoid } = this.orders;
    const known = byCoid.get(clientOrderId);
    const v = known ? views.get(known) : undefined;
    const state = this.k.rq.conn.state;
    if (v && v.ours && (state === 'connected' || state === 'degraded')) return this.orders.report(v);
    // The row is committed before any send: without it, IB cannot have this order.
    const row = this.k.ids.byClientOrderId(clientOrderId);
    if (!row) return v ? this.orders.report(v) : undefined;
    const s = this.k.rq.querySession();
    await this.refreshOpenOrders(s);
    let hit = byCoid.get(clientOrderId);
    if (!hit) {
      await this.refreshCompleted(s);
      hit = byCoid.get(clientOrderId);
    }
    const found = hit ? views.get(hit) : undefined;
    return found ? this.orders.report(found) : undefined;
  }

  async openOrders(): Promise<VenueOrderReport[]> {
    const { views } = this.orders;
    const s = this.k.rq.querySession();
    const before = [...views.values()].filter((v) => !isTerminal(v.status));
    const seen = new Set<string>();
    const mark = (orderId: number, _c: Contract, order: IbOrder) => {
      const v = this.orders.viewFor(orderId, order.clientId ?? 0, order.permId ?? 0, order.orderRef);
      if (v) seen.add(v.venueOrderId);
    };
    s.api.on(EventName.openOrder, mark);
    try {
      await this.refreshOpenOrders(s);
    } finally {
      s.api.off(EventName.openOrder, mark);
    }
    // Orders we thought working that TWS no longer lists finished while we were not told.
    if (before.some((v) => !seen.has(v.venueOrderId))) await this.refreshCompleted(s);
    // An order typed into TWS for a contract we never looked up: its conId is resolved before it is
    // adopted, so the blotter shows the symbol, not the number.
    const unresolved = new Set([...views.values()].flatMap((v) => (!v.ours && v.instrumentId && seen.has(v.venueOrderId) && !this.k.cache.get(v.instrumentId) ? [v.instrumentId] : [])));
    await Promise.all([...unresolved].map((id) => this.lookupInstrument(id).catch(() => undefined)));
    const out = [...views.values()].filter((v) => !isTerminal(v.status) && seen.has(v.venueOrderId) && (v.ours || (v.instrumentId && v.side && v.type && v.qty)));
    for (const v of out) {
      if (v.ours) continue;
      v.surfaced = true;
      v.lastSent = undefined;
    }
    return out.map((v) => this.orders.report(v));
  }
}
