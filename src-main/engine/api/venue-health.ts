/**
 * A venue's network health as the status bar shows it: how much of its rate budget is in use,
 * whether the venue is holding us back (429) or has banned us (418), and its circuit breaker.
 * Plain data: it crosses IPC, the headless bridge and the CLI unchanged.
 */

export type BreakerStateView = 'closed' | 'open' | 'half_open';

/** One rate budget (e.g. Binance request weight per minute, TWS messages per second). */
export interface RateBudgetView {
  readonly id: string;
  readonly used: number;
  readonly limit: number;
  /** 0–100, rounded. */
  readonly pct: number;
}

export interface RateUsageView {
  readonly budgets: readonly RateBudgetView[];
  /** The fullest budget's percentage: what the status bar gauge shows. */
  readonly pct: number;
  /** Requests waiting for budget. */
  readonly waiting: number;
  /** While a 429 Retry-After (or an exhausted X-RateLimit window) holds every call back. */
  readonly blockedUntil?: number;
  /** While a 418 ban stops every call to the venue. */
  readonly bannedUntil?: number;
  readonly at: number;
}

export interface BreakerView {
  readonly state: BreakerStateView;
  /** When OPEN: when the probe will be let through. */
  readonly retryAt?: number;
  readonly consecutiveFailures: number;
  /** Why it last changed state ("5 consecutive failures, last: HTTP 503"). */
  readonly reason?: string;
  /** When it entered this state (0 when it never changed). */
  readonly since: number;
}

/**
 * A stream a venue runs beside its main connection (a separate market-data feed, say): whether it
 * is up, since when, and the connector's words. While a quote feed is down its quotes are stale.
 */
export interface FeedView {
  /** Stable within the venue (`quotes`). */
  readonly id: string;
  /** What the trader reads (the feed's own name). */
  readonly label: string;
  readonly up: boolean;
  /** When it last went up or down (UTC ms; 0 before it first changed). */
  readonly since: number;
  readonly detail: string;
}

/** A side feed a connector's health reporter follows: its state now, and a call when it changes. */
export interface FeedSource {
  feed(): FeedView;
  /** Calls `cb` each time the feed goes down or comes back; returns the unsubscribe. */
  onFeedChange(cb: () => void): () => void;
}

/** What a connector reports; `null` for a part it does not have. */
export interface VenueHealthReport {
  readonly usage: RateUsageView | null;
  readonly breaker: BreakerView | null;
  /** Side feeds, for a venue that has any. */
  readonly feeds?: readonly FeedView[];
}

export interface VenueHealthView extends VenueHealthReport {
  readonly venue: string;
}
