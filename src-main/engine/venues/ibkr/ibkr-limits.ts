import { MINUTE_MS as MIN, Priority, type VenueLimits } from '../../net/venue-limits';

/**
 * IB TWS socket: 50 messages/s (error 100 and a possible disconnect above it) and historical
 * data pacing of 60 requests per 10 minutes (tws.md). The per-contract pacing (≤ 6 per 2 s,
 * no identical request within 15 s) is keyed by contract and belongs to the TWS connector.
 */
export const twsLimits: VenueLimits = {
  venue: 'tws',
  displayName: 'Interactive Brokers',
  headers: 'none',
  budgets: [
    { kind: 'window', id: 'messages', limit: 50, windowMs: 1000, source: 'TWS API: 50 messages/s' },
    { kind: 'window', id: 'historical', limit: 60, windowMs: 10 * MIN, source: 'TWS historical pacing: 60 / 10 min' },
  ],
  groups: {
    message: { costs: { messages: 1 }, priority: Priority.query },
    historical: { costs: { messages: 1, historical: 1 }, priority: Priority.query },
    orderNew: { costs: { messages: 1 }, priority: Priority.order },
    orderCancel: { costs: { messages: 1 }, priority: Priority.cancel },
  },
};
