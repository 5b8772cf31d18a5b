import { MINUTE_MS as MIN, Priority, type VenueLimits } from '../../net/venue-limits';
import { sharedLimiters, type RateLimiter } from '../../net/rate-limiter';

/** tastytrade Open API: ~120 requests and ~60 orders per minute (tastytrade.md). */
export const tastytradeLimits: VenueLimits = {
  venue: 'tastytrade',
  displayName: 'tastytrade',
  headers: 'none',
  budgets: [
    { kind: 'window', id: 'requests', limit: 120, windowMs: MIN, source: 'tastytrade.md: ~120 req/min' },
    { kind: 'window', id: 'orders', limit: 60, windowMs: MIN, source: 'tastytrade.md: ~60 orders/min' },
  ],
  groups: {
    query: { costs: { requests: 1 }, priority: Priority.query },
    orderNew: { costs: { requests: 1, orders: 1 }, priority: Priority.order },
    orderReplace: { costs: { requests: 1, orders: 1 }, priority: Priority.order },
    orderCancel: { costs: { requests: 1 }, priority: Priority.cancel },
  },
};

/** One limiter per login (REST host + login identity, tastytrade-login.ts): every connector of that login draws on the same budgets. */
export function sharedLimiter(login: string): RateLimiter {
  return sharedLimiters.get(tastytradeLimits, login);
}
