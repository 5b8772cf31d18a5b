/**
 * Our limiter in place of ccxt's throttler (which is switched off): one request budget per
 * exchange and API key, sized from ccxt's `rateLimit` (milliseconds per cost-1 request, as ccxt
 * derives it from the exchange's documented limits), shared by every venue using the same key.
 * Each call draws its endpoint's ccxt cost from it (ccxt-http.ts).
 */
import { secretKeyId, sharedLimiters, type RateLimiter } from '../../net/rate-limiter';
import { Priority, type VenueLimits } from '../../net/venue-limits';

/** The budget's window and size for a ccxt `rateLimit`: at least a second, never less than one request. */
export function ccxtLimits(exchange: string, rateLimitMs: number): VenueLimits {
  const per = Number.isFinite(rateLimitMs) && rateLimitMs > 0 ? rateLimitMs : 1000;
  const windowMs = Math.max(1000, Math.ceil(per));
  const limit = Math.max(1, Math.floor(windowMs / per));
  return {
    venue: `ccxt-${exchange}`,
    displayName: exchange,
    headers: 'none',
    budgets: [{ kind: 'window', id: 'requests', limit, windowMs, source: `ccxt ${exchange}.rateLimit = ${per} ms per request (cost 1)` }],
    groups: {
      query: { costs: { requests: 1 }, priority: Priority.query },
      orderNew: { costs: { requests: 1 }, priority: Priority.order },
      orderReplace: { costs: { requests: 1 }, priority: Priority.order },
      orderCancel: { costs: { requests: 1 }, priority: Priority.cancel },
    },
  };
}

/** A ccxt endpoint cost, as our budget counts it: whole or fractional units, never more than the whole budget. */
export function budgetCost(limits: VenueLimits, ccxtCost: unknown): number {
  const max = limits.budgets[0]?.kind === 'window' ? limits.budgets[0].limit : 1;
  const c = typeof ccxtCost === 'number' && Number.isFinite(ccxtCost) && ccxtCost > 0 ? ccxtCost : 1;
  return Math.min(c, max);
}

/**
 * The limiter for this exchange and key: two venues on one key share it, as the exchange counts
 * them together. `key` is the API key (or wallet address); the limiter is named by its digest.
 */
export function sharedLimiter(limits: VenueLimits, key: string): RateLimiter {
  return sharedLimiters.get(limits, secretKeyId(key));
}
