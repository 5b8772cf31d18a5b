import { MINUTE_MS as MIN, Priority, type VenueLimits } from '../../net/venue-limits';

/** Binance spot REST: request weight per minute, new orders per 10 s and per day (binance.md). */
export const binanceLimits: VenueLimits = {
  venue: 'binance',
  displayName: 'Binance',
  headers: { usage: { weight: 'x-mbx-used-weight-1m', orders10s: 'x-mbx-order-count-10s', ordersDay: 'x-mbx-order-count-1d' } },
  defaultBanMs: 2 * MIN,
  budgets: [
    { kind: 'window', id: 'weight', limit: 6000, windowMs: MIN, source: 'rest-api.md: REQUEST_WEIGHT 6000 / 1m (older docs 1200)' },
    { kind: 'window', id: 'orders10s', limit: 50, windowMs: 10_000, source: 'rest-api.md: ORDERS 50 / 10s' },
    { kind: 'window', id: 'ordersDay', limit: 160_000, windowMs: 24 * 60 * MIN, source: 'rest-api.md: ORDERS 160,000 / 1d' },
  ],
  groups: {
    // Weights from the endpoint docs; depth's weight depends on `limit`, callers override it.
    time: { costs: { weight: 1 }, priority: Priority.query },
    exchangeInfo: { costs: { weight: 20 }, priority: Priority.query },
    depth: { costs: { weight: 5 }, priority: Priority.query },
    account: { costs: { weight: 20 }, priority: Priority.query },
    orderNew: { costs: { weight: 1, orders10s: 1, ordersDay: 1 }, priority: Priority.order },
    orderTest: { costs: { weight: 1 }, priority: Priority.order },
    orderReplace: { costs: { weight: 1, orders10s: 1, ordersDay: 1 }, priority: Priority.order },
    // Amend keep priority: weight 4, adds nothing to the unfilled order count (rest-api.md).
    orderAmend: { costs: { weight: 4 }, priority: Priority.order },
    orderCancel: { costs: { weight: 1 }, priority: Priority.cancel },
    cancelAll: { costs: { weight: 1 }, priority: Priority.cancel },
    orderQuery: { costs: { weight: 4 }, priority: Priority.query },
    openOrders: { costs: { weight: 6 }, priority: Priority.query },
    openOrdersAll: { costs: { weight: 80 }, priority: Priority.query },
    myTrades: { costs: { weight: 20 }, priority: Priority.query },
    userDataStream: { costs: { weight: 2 }, priority: Priority.query },
  },
};
