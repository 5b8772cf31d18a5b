/**
 * Coinbase's request budgets. Coinbase counts them per CDP API key, so every connector configured
 * with the same `apiKeyName` draws from ONE limiter (a registry keyed by a digest of the key name:
 * the name itself never shows in usage reports or logs). The key is read from the secret store
 * when the connector starts, so the limiter is bound then; no request is signed before it.
 */
import { secretKeyId, sharedLimiters, type RateLimiter, type RateLimiterRegistry } from '../../net/rate-limiter';
import { VenueHealthReporter } from '../../net/venue-health';
import type { CircuitBreaker } from '../../net/circuit-breaker';
import { Priority, type VenueLimits } from '../../net/venue-limits';
import type { FeedSource, VenueHealthReport } from '../../api/venue-health';

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

/** The limiter's key id for a CDP key name: a digest, so usage reports never carry the name. */
function coinbaseKeyId(apiKeyName: string): string {
  return `cdp-${secretKeyId(apiKeyName.trim())}`;
}

export interface CoinbaseBudgetOptions {
  readonly registry?: RateLimiterRegistry;
  readonly breaker: CircuitBreaker;
  readonly onReport: (r: VenueHealthReport) => void;
  /** The connector's side feeds (its market-data socket), read when a report is made. */
  readonly feeds?: () => readonly FeedSource[];
}

/** One connector's view of its key's limiter and its health reports (breaker only until the key is bound). */
export class CoinbaseBudget {
  private bound: RateLimiter | undefined;
  private reporter: VenueHealthReporter;
  private running = false;

  constructor(private readonly o: CoinbaseBudgetOptions) {
    this.reporter = new VenueHealthReporter({ breaker: o.breaker, ...(o.feeds ? { feeds: o.feeds } : {}), onReport: o.onReport });
  }

  /** Binds the key's shared limiter (once; the key name of a running connector does not change). */
  bind(apiKeyName: string): void {
    if (this.bound) return;
    this.bound = (this.o.registry ?? sharedLimiters).get(coinbaseLimits, coinbaseKeyId(apiKeyName));
    this.reporter.stop();
    this.reporter = new VenueHealthReporter({ limiter: this.bound, breaker: this.o.breaker, ...(this.o.feeds ? { feeds: this.o.feeds } : {}), onReport: this.o.onReport });
    if (this.running) this.reporter.start();
  }

  /** The bound limiter (undefined before the key is loaded, when nothing can be signed anyway). */
  limiter = (): RateLimiter | undefined => this.bound;

  start(): void {
    this.running = true;
    this.reporter.start();
  }

  stop(): void {
    this.running = false;
    this.reporter.stop();
  }

  report(): VenueHealthReport {
    return this.reporter.report();
  }
}
