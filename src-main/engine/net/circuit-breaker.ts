/**
 * Per-venue circuit breaker. During a venue outage every strategy would otherwise pile up
 * retries against it; the breaker turns that into one fast, readable failure and one probe a
 * minute. The engine listens to its state changes to pause and resume the venue's strategies.
 */
import { EventEmitter } from 'node:events';
import { TradeportError } from '../api/errors';
import { systemClock, type TimerHandle, type Timers } from '../ports/clock';

export type BreakerState = 'closed' | 'open' | 'half_open';

/**
 * What one call told us about the venue's health. `neutral` means the venue answered but the
 * request was wrong (4xx): the venue is up, so it counts as a success for the breaker.
 */
export type CallOutcome = 'success' | 'failure' | 'neutral';

export interface BreakerTicket {
  readonly epoch: number;
  /** True for the single call HALF_OPEN lets through. */
  readonly probe: boolean;
}

export interface BreakerOptions {
  /** Consecutive failures that open the breaker. */
  readonly failureThreshold?: number;
  /** How long OPEN fails fast before one probe is let through. */
  readonly openMs?: number;
  readonly timers?: Timers;
  /** Shown in the venue_unavailable message. */
  readonly displayName?: string;
}

export interface BreakerStateChange {
  readonly venue: string;
  readonly from: BreakerState;
  readonly to: BreakerState;
  readonly at: number;
  /** When OPEN: the time the probe will be allowed. */
  readonly retryAt?: number;
  readonly reason: string;
}

export interface CircuitBreakerEvents {
  state: [BreakerStateChange];
}

export class CircuitBreaker extends EventEmitter<CircuitBreakerEvents> {
  private st: BreakerState = 'closed';
  private failures = 0;
  private openUntil = 0;
  private probeInFlight = false;
  private timer?: TimerHandle;
  private readonly threshold: number;
  private readonly openMs: number;
  private readonly timers: Timers;
  private readonly displayName: string;
  private lastFailure = '';
  /** Bumped on every state change; tickets from an older epoch are stale. */
  private epoch = 0;

  constructor(
    readonly venue: string,
    opts: BreakerOptions = {},
  ) {
    super();
    this.threshold = opts.failureThreshold ?? 5;
    this.openMs = opts.openMs ?? 60_000;
    this.timers = opts.timers ?? systemClock;
    this.displayName = opts.displayName ?? venue;
  }

  get state(): BreakerState {
    // The timer moves OPEN → HALF_OPEN for the status bar; this covers a late or missing timer.
    if (this.st === 'open' && this.timers.now() >= this.openUntil) this.toHalfOpen();
    return this.st;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  get retryAt(): number | undefined {
    return this.st === 'open' ? this.openUntil : undefined;
  }

  /**
   * Asks to send one call. Throws `venue_unavailable` while OPEN, and in HALF_OPEN once the probe
   * is out. Every admitted call must be reported once with `record(ticket, …)`.
   */
  admit(): BreakerTicket {
    const s = this.state;
    if (s === 'closed') return { epoch: this.epoch, probe: false };
    if (s === 'half_open' && !this.probeInFlight) {
      this.probeInFlight = true;
      return { epoch: this.epoch, probe: true };
    }
    const now = this.timers.now();
    const wait = s === 'open' ? Math.max(1, Math.ceil((this.openUntil - now) / 1000)) : undefined;
    throw new TradeportError(
      'venue_unavailable',
      s === 'open'
        ? `${this.displayName} is not responding (${this.lastFailure || 'repeated failures'}); Tradeport paused calls to it and will try again in ${wait} s.`
        : `${this.displayName} is not responding; Tradeport is testing the connection, try again in a moment.`,
      { venue: this.venue, state: s, ...(s === 'open' ? { retryAt: this.openUntil } : {}) },
    );
  }

  /**
   * Reports how an admitted call went. `detail` (e.g. "HTTP 503", "timeout") goes into the OPEN
   * message. Calls admitted before the last state change are ignored: a slow answer to a request
   * sent before the breaker opened says nothing about the venue now, and must not close it.
   */
  record(ticket: BreakerTicket, outcome: CallOutcome, detail?: string): void {
    if (ticket.epoch !== this.epoch) return;
    if (ticket.probe) this.probeInFlight = false;
    if (outcome === 'failure') {
      if (detail) this.lastFailure = detail;
      if (this.st === 'half_open') {
        if (ticket.probe) this.open(`probe failed${detail ? `: ${detail}` : ''}`);
        return;
      }
      this.failures++;
      if (this.failures >= this.threshold) this.open(`${this.failures} consecutive failures${detail ? `, last: ${detail}` : ''}`);
      return;
    }
    this.failures = 0;
    if (this.st === 'half_open' && ticket.probe) this.transition('closed', outcome === 'success' ? 'probe succeeded' : 'venue answered the probe');
  }

  /** Gives back an admitted slot without an outcome (the call never went out, e.g. rate-limited locally). */
  release(ticket: BreakerTicket): void {
    if (ticket.probe && ticket.epoch === this.epoch) this.probeInFlight = false;
  }

  /** Runs `fn` under the breaker; `classify` maps its result or error to an outcome. */
  async run<T>(fn: () => Promise<T>, classify: (r: { ok: true; value: T } | { ok: false; error: unknown }) => CallOutcome): Promise<T> {
    const ticket = this.admit();
    let value: T;
    try {
      value = await fn();
    } catch (error) {
      this.record(ticket, classify({ ok: false, error }), describe(error));
      throw error;
    }
    this.record(ticket, classify({ ok: true, value }));
    return value;
  }

  /** Forces CLOSED (the user pressed "retry now" and reconciliation succeeded). */
  reset(): void {
    this.failures = 0;
    this.probeInFlight = false;
    if (this.st !== 'closed') this.transition('closed', 'reset');
  }

  private open(reason: string): void {
    const now = this.timers.now();
    this.openUntil = now + this.openMs;
    this.failures = 0;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      if (this.st === 'open' && this.timers.now() >= this.openUntil) this.toHalfOpen();
    }, this.openMs);
    this.transition('open', reason, this.openUntil);
  }

  private toHalfOpen(): void {
    this.probeInFlight = false;
    this.transition('half_open', 'open period over; one probe allowed');
  }

  private transition(to: BreakerState, reason: string, retryAt?: number): void {
    const from = this.st;
    this.st = to;
    this.epoch++;
    if (to !== 'open' && this.timer !== undefined) {
      this.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.emit('state', { venue: this.venue, from, to, at: this.timers.now(), reason, ...(retryAt !== undefined ? { retryAt } : {}) });
  }
}

function describe(e: unknown): string | undefined {
  if (e instanceof TradeportError) return (e.details?.['failure'] as string | undefined) ?? e.code;
  return e instanceof Error ? e.message.slice(0, 80) : undefined;
}

/** The engine side of pausing: which strategies exist on a venue, and how to pause/resume one. */
export interface PausableStrategies {
  /** Ids of strategies currently running on `venue`. */
  running(venue: string): readonly string[];
  pause(id: string, reason: string): void;
  resume(id: string, reason: string): void;
}

/**
 * Pauses a venue's running strategies when its breaker opens and resumes exactly those when it
 * closes. A strategy the user touched during the outage (paused, stopped, resumed by hand) is
 * `forget`-ten so the breaker never overrides the user.
 */
export class BreakerPauseTracker {
  readonly pausedBy = new Map<string, Set<string>>();
  private readonly offs: (() => void)[] = [];

  constructor(private readonly strategies: PausableStrategies) {}

  watch(breaker: CircuitBreaker): void {
    const onState = (e: BreakerStateChange): void => void this.onState(e.venue, e.to, e.reason);
    breaker.on('state', onState);
    this.offs.push(() => breaker.off('state', onState));
  }

  /**
   * A breaker state change reported another way (the engine hears it through the venue port,
   * under the configured venue name). Returns the ids it paused (OPEN) or resumed (CLOSED).
   */
  onState(venue: string, to: BreakerState, reason: string): readonly string[] {
    if (to === 'open') return this.pauseVenue(venue, reason);
    if (to === 'closed') return this.resumeVenue(venue);
    return [];
  }

  private pauseVenue(venue: string, reason: string): string[] {
    let set = this.pausedBy.get(venue);
    if (!set) this.pausedBy.set(venue, (set = new Set()));
    const paused: string[] = [];
    for (const id of this.strategies.running(venue)) {
      if (set.has(id)) continue;
      this.strategies.pause(id, `${venue} unavailable: ${reason}`);
      set.add(id);
      paused.push(id);
    }
    return paused;
  }

  private resumeVenue(venue: string): string[] {
    const set = this.pausedBy.get(venue);
    if (!set) return [];
    this.pausedBy.delete(venue);
    for (const id of set) this.strategies.resume(id, `${venue} available again`);
    return [...set];
  }

  /** The user acted on this strategy; the breaker must not resume it later. */
  forget(id: string): void {
    for (const set of this.pausedBy.values()) set.delete(id);
  }

  isPausedByBreaker(id: string): boolean {
    for (const set of this.pausedBy.values()) if (set.has(id)) return true;
    return false;
  }

  dispose(): void {
    for (const off of this.offs.splice(0)) off();
  }
}
