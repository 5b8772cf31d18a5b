import { MINUTE_MS as MIN, Priority, type VenueLimits } from '../../net/venue-limits';

/** Alpaca Trading API: 200 requests per minute per account (alpaca.md). */
export const alpacaLimits: VenueLimits = {
  venue: 'alpaca',
  displayName: 'Alpaca',
  headers: 'ratelimit',
  budgets: [{ kind: 'window', id: 'requests', limit: 200, windowMs: MIN, source: 'Alpaca docs: 200 requests / min' }],
  groups: {
    query: { costs: { requests: 1 }, priority: Priority.query },
    orderNew: { costs: { requests: 1 }, priority: Priority.order },
    orderReplace: { costs: { requests: 1 }, priority: Priority.order },
    orderCancel: { costs: { requests: 1 }, priority: Priority.cancel },
  },
};
