/**
 * Alpaca's request budget: 200 requests per minute per account, shared by everything using the
 * key (other apps included), which is why the limiter is corrected from X-RateLimit-* headers.
 */
import { Priority, type VenueLimits } from '../../net/venue-limits';

export const ALPACA_LIMITS: VenueLimits = {
  venue: 'alpaca',
  displayName: 'Alpaca',
  headers: 'ratelimit',
  budgets: [{ kind: 'window', id: 'requests', limit: 200, windowMs: 60_000, source: 'docs.alpaca.markets: 200 requests / min per account' }],
  groups: {
    query: { costs: { requests: 1 }, priority: Priority.query },
    orderNew: { costs: { requests: 1 }, priority: Priority.order },
    orderReplace: { costs: { requests: 1 }, priority: Priority.order },
    orderCancel: { costs: { requests: 1 }, priority: Priority.cancel },
  },
};
