import { Priority, type VenueLimits } from '../../net/venue-limits';

/** Coinbase Advanced Trade: ~30 req/s private, ~10 req/s public (coinbase.md). */
export const coinbaseLimits: VenueLimits = {
  venue: 'coinbase',
  displayName: 'Coinbase',
  headers: 'none',
  budgets: [
    { kind: 'window', id: 'private', limit: 30, windowMs: 1000, source: 'Advanced Trade rate limits: 30 req/s private' },
    { kind: 'window', id: 'public', limit: 10, windowMs: 1000, source: 'Advanced Trade rate limits: 10 req/s public' },
  ],
  groups: {
    public: { costs: { public: 1 }, priority: Priority.query },
    query: { costs: { private: 1 }, priority: Priority.query },
    orderNew: { costs: { private: 1 }, priority: Priority.order },
    orderCancel: { costs: { private: 1 }, priority: Priority.cancel },
  },
};
