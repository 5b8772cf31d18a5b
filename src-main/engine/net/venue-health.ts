/**
 * The connector side of venue health: turns a RateLimiter's `usage` events and a CircuitBreaker's
 * `state` events into `VenueHealthReport`s for the venue port's `health` hook. Breaker changes are
 * reported at once (the engine pauses strategies on OPEN); usage at the limiter's own coalescing
 * interval, plus a slow refresh while anything is in use so the gauge decays back to 0 % and a
 * 429 hold or a ban is seen to end.
 */
import type { BreakerView, FeedSource, RateUsageView, VenueHealthReport } from '../api/venue-health';
import type { BreakerStateChange, CircuitBreaker } from './circuit-breaker';
import type { RateLimiter, VenueUsage } from './rate-limiter';
import { systemClock, type TimerHandle, type Timers } from '../ports/clock';

export function usageView(u: VenueUsage): RateUsageView {
  let top = 0;
  const budgets = u.budgets.map((b) => {
    const pct = b.limit > 0 ? Math.min(100, Math.round((b.used / b.limit) * 100)) : 0;
    if (pct > top) top = pct;
    return { id: b.id, used: Math.round(b.used * 100) / 100, limit: b.limit, pct };
  });
  return {
    budgets,
    // Nothing goes out while held back or banned: the gauge shows the venue as full.
    pct: u.bannedUntil !== undefined || u.blockedUntil !== undefined ? 100 : top,
    waiting: u.waiting,
    ...(u.blockedUntil !== undefined ? { blockedUntil: u.blockedUntil } : {}),
    ...(u.bannedUntil !== undefined ? { bannedUntil: u.bannedUntil } : {}),
    at: u.at,
  };
}

export interface VenueHealthReporterOptions {
  readonly limiter?: RateLimiter;
  readonly breaker?: CircuitBreaker;
  readonly timers?: Timers;
  /** How often usage is re-read while it is above 0 % (default 1 s). */
  readonly refreshMs?: number;
  readonly onReport: (r: VenueHealthReport) => void;
  /** Side feeds (the market-data socket's quotes): in every report, and a report each time one changes. Read when started and per report, so a connector can name parts it builds later. */
  readonly feeds?: () => readonly FeedSource[];
}

export class VenueHealthReporter {
  private readonly timers: Timers;
  private readonly refreshMs: number;
  private refreshTimer?: TimerHandle;
  private lastKey = '';
  private breakerReason: string | undefined;
  private breakerSince = 0;
  private readonly offs: (() => void)[] = [];

  constructor(private readonly o: VenueHealthReporterOptions) {
    this.timers = o.timers ?? systemClock;
    this.refreshMs = o.refreshMs ?? 1000;
  }

  /** Subscribes and sends the current state (a restarted connector reports its fresh breaker). */
  start(): void {
    this.stop();
    const { limiter, breaker } = this.o;
    for (const f of this.o.feeds?.() ?? []) this.offs.push(f.onFeedChange(() => this.send(true)));
    if (limiter) {
      const onUsage = (): void => this.send(false);
      limiter.on('usage', onUsage);
      this.offs.push(() => limiter.off('usage', onUsage));
    }
    if (breaker) {
      const onState = (e: BreakerStateChange): void => {
        this.breakerReason = e.reason;
        this.breakerSince = e.at;
        this.send(true);
      };
      breaker.on('state', onState);
      this.offs.push(() => breaker.off('state', onState));
    }
    this.send(true);
  }

  stop(): void {
    for (const off of this.offs.splice(0)) off();
    if (this.refreshTimer !== undefined) this.timers.clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
  }

  report(): VenueHealthReport {
    const { limiter, breaker } = this.o;
    let b: BreakerView | null = null;
    if (breaker) {
      const state = breaker.state;
      const retryAt = breaker.retryAt;
      b = {
        state,
        consecutiveFailures: breaker.consecutiveFailures,
        since: this.breakerSince,
        ...(retryAt !== undefined ? { retryAt } : {}),
        ...(this.breakerReason !== undefined ? { reason: this.breakerReason } : {}),
      };
    }
    const feeds = this.o.feeds?.().map((f) => f.feed());
    return { usage: limiter ? usageView(limiter.usage()) : null, breaker: b, ...(feeds && feeds.length > 0 ? { feeds } : {}) };
  }

  private send(force: boolean): void {
    const r = this.report();
    const u = r.usage;
    // Usage events arrive several times a second while busy; only a visible change is reported.
    const key = `${u?.pct ?? ''}|${u?.waiting ?? ''}|${u?.blockedUntil ?? ''}|${u?.bannedUntil ?? ''}|${r.breaker?.state ?? ''}|${r.breaker?.retryAt ?? ''}|${r.breaker?.consecutiveFailures ?? ''}`;
    if (force || key !== this.lastKey) {
      this.lastKey = key;
      this.o.onReport(r);
    }
    if (u && (u.pct > 0 || u.waiting > 0) && this.refreshTimer === undefined && this.offs.length > 0) {
      this.refreshTimer = this.timers.setTimeout(() => {
        this.refreshTimer = undefined;
        this.send(false);
      }, this.refreshMs);
    }
  }
}
