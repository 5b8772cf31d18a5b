/**
 * One request budget per venue API key, shared by everything that uses the key (UI, strategies,
 * reconciliation), so together they can never get the key banned.
 *
 * The hot path is `acquire` when there is room: no allocation beyond the group lookup, and it
 * returns one shared already-resolved promise. Everything else (queueing by priority, deadlines,
 * 429/418 handling, corrections from venue headers) happens only when the budget is short.
 */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { TradeportError } from '../api/errors';
import { systemClock, type TimerHandle, type Timers } from '../ports/clock';
import type { BudgetSpec, GroupSpec, Priority, VenueLimits } from './venue-limits';

interface Budget {
  readonly id: string;
  readonly max: number;
  /** Cost units in use now (after expiry/decay at `now`). */
  used(now: number): number;
  take(now: number, cost: number): void;
  /** Earliest time at which `cost` more units fit (≥ now). */
  freeAt(now: number, cost: number): number;
}

/** Sliding-window log; entries are appended in time order, so expiry trims a prefix. */
class WindowBudget implements Budget {
  private t: number[] = [];
  private c: number[] = [];
  private head = 0;
  private sum = 0;
  constructor(
    readonly id: string,
    readonly max: number,
    private readonly windowMs: number,
  ) {}

  private expire(now: number): void {
    const cutoff = now - this.windowMs;
    const t = this.t;
    let h = this.head;
    while (h < t.length && t[h]! <= cutoff) {
      this.sum -= this.c[h]!;
      h++;
    }
    if (h !== this.head) {
      if (h === t.length) {
        this.t = [];
        this.c = [];
        this.head = 0;
        // Re-anchor so float costs cannot drift the running sum across long sessions.
        this.sum = 0;
      } else if (h > 1024 && h > t.length >>> 1) {
        this.t = t.slice(h);
        this.c = this.c.slice(h);
        this.head = 0;
      } else this.head = h;
    }
  }

  used(now: number): number {
    this.expire(now);
    return this.sum;
  }

  take(now: number, cost: number): void {
    if (cost <= 0) return;
    // Calls within one clock millisecond expire together, so they share one log entry: the log
    // holds at most one entry per millisecond of the window, not one per call.
    const last = this.t.length - 1;
    if (last >= this.head && this.t[last] === now) this.c[last]! += cost;
    else {
      this.t.push(now);
      this.c.push(cost);
    }
    this.sum += cost;
  }

  freeAt(now: number, cost: number): number {
    this.expire(now);
    let excess = this.sum + cost - this.max;
    if (excess <= 0) return now;
    for (let i = this.head; i < this.t.length; i++) {
      excess -= this.c[i]!;
      if (excess <= 0) return this.t[i]! + this.windowMs + 1;
    }
    // cost alone exceeds the window's limit: it can never fit.
    if (cost > this.max) return Number.POSITIVE_INFINITY;
    // Fractional costs can leave the running sum a float residue above its entries: once the
    // last entry expires the window is empty (and the sum re-anchored), so the cost fits then.
    return this.t.length > this.head ? this.t[this.t.length - 1]! + this.windowMs + 1 : now + 1;
  }
}

/** Leaky-bucket counter: +cost per call, −rate per second, never above max. */
class DecayBudget implements Budget {
  private level = 0;
  private at = 0;
  constructor(
    readonly id: string,
    readonly max: number,
    private readonly perMs: number,
  ) {}

  used(now: number): number {
    if (now > this.at) {
      this.level = Math.max(0, this.level - (now - this.at) * this.perMs);
      this.at = now;
    }
    return this.level;
  }

  take(now: number, cost: number): void {
    this.used(now);
    this.level += cost;
  }

  freeAt(now: number, cost: number): number {
    const excess = this.used(now) + cost - this.max;
    // The same test as `fits` (used + cost > max), with no tolerance: a float residue of the decay
    // (13.000000000000002 + 1 > 14) that `fits` refuses must get a future time here, or the waiter
    // would be told "free now", never fit, and never be woken.
    if (excess <= 0) return now;
    if (cost > this.max) return Number.POSITIVE_INFINITY;
    return now + Math.ceil(excess / this.perMs);
  }
}

function makeBudget(s: BudgetSpec): Budget {
  return s.kind === 'window' ? new WindowBudget(s.id, s.limit, s.windowMs) : new DecayBudget(s.id, s.max, s.decayPerSec / 1000);
}

/** A group resolved to budget objects once, so acquire does no string lookups per budget. */
interface CompiledGroup {
  readonly name: string;
  readonly priority: Priority;
  readonly budgets: Budget[];
  readonly costs: number[];
}

interface Waiter {
  readonly group: CompiledGroup;
  readonly costs: number[];
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
  deadlineTimer?: TimerHandle;
  abortCleanup?: () => void;
  done: boolean;
}

export interface AcquireOptions {
  /** Overrides a budget's cost for this call (e.g. a depth endpoint whose weight depends on `limit`). */
  readonly costs?: Readonly<Record<string, number>>;
  readonly priority?: Priority;
  /** Absolute time (clock ms) after which the caller no longer wants the slot. */
  readonly deadline?: number;
  readonly signal?: AbortSignal;
}

export interface BudgetUsage {
  readonly id: string;
  readonly used: number;
  readonly limit: number;
}

export interface VenueUsage {
  readonly venue: string;
  readonly keyId: string;
  readonly budgets: readonly BudgetUsage[];
  readonly waiting: number;
  /** Set while a 429 Retry-After is in force. */
  readonly blockedUntil?: number;
  /** Set while a 418 IP ban is in force: no call goes out. */
  readonly bannedUntil?: number;
  readonly at: number;
}

export interface ObservedResponse {
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface RateLimiterOptions {
  readonly timers?: Timers;
  readonly keyId?: string;
  /** Coalescing interval for `usage` events (the status bar needs a few per second at most). */
  readonly usageIntervalMs?: number;
}

const RESOLVED: Promise<void> = Promise.resolve();

export interface RateLimiterEvents {
  usage: [VenueUsage];
  blocked: [{ venue: string; until: number; reason: '429' | 'ratelimit-reset' }];
  banned: [{ venue: string; until: number }];
}

export class RateLimiter extends EventEmitter<RateLimiterEvents> {
  readonly venue: string;
  readonly keyId: string;
  private readonly timers: Timers;
  private readonly budgets: Budget[];
  private readonly byId = new Map<string, Budget>();
  private readonly groups = new Map<string, CompiledGroup>();
  private readonly queues: Waiter[][] = [[], [], []];
  private waiting = 0;
  private wakeTimer?: TimerHandle;
  private wakeAt = Number.POSITIVE_INFINITY;
  private blockedUntil = 0;
  private bannedUntil = 0;
  private usageTimer?: TimerHandle;
  private readonly usageIntervalMs: number;
  /** Cached so the hot path does not ask the emitter for its listeners on every call. */
  private usageWanted = false;

  constructor(
    readonly limits: VenueLimits,
    opts: RateLimiterOptions = {},
  ) {
    super();
    this.venue = limits.venue;
    this.keyId = opts.keyId ?? 'default';
    this.timers = opts.timers ?? systemClock;
    this.usageIntervalMs = opts.usageIntervalMs ?? 250;
    this.budgets = limits.budgets.map(makeBudget);
    for (const b of this.budgets) this.byId.set(b.id, b);
    for (const [name, g] of Object.entries(limits.groups)) this.groups.set(name, this.compile(name, g));
    const untyped = this as EventEmitter;
    untyped.on('newListener', (e: string | symbol) => {
      if (e === 'usage') this.usageWanted = true;
    });
    untyped.on('removeListener', () => {
      this.usageWanted = this.listenerCount('usage') > 0;
    });
  }

  private compile(name: string, g: GroupSpec): CompiledGroup {
    const budgets: Budget[] = [];
    const costs: number[] = [];
    for (const [id, cost] of Object.entries(g.costs)) {
      const b = this.byId.get(id);
      if (!b) throw new Error(`${this.venue}: group ${name} draws from unknown budget ${id}`);
      budgets.push(b);
      costs.push(cost);
    }
    return { name, priority: g.priority, budgets, costs };
  }

  private group(name: string): CompiledGroup {
    const g = this.groups.get(name);
    if (!g) throw new TradeportError('internal', `${this.limits.displayName}: no rate-limit group "${name}"`);
    return g;
  }

  private costsFor(g: CompiledGroup, override?: Readonly<Record<string, number>>): number[] {
    if (!override) return g.costs;
    return g.budgets.map((b, i) => override[b.id] ?? g.costs[i]!);
  }

  private fits(g: CompiledGroup, costs: number[], now: number): boolean {
    const bs = g.budgets;
    for (let i = 0; i < bs.length; i++) if (bs[i]!.used(now) + costs[i]! > bs[i]!.max) return false;
    return true;
  }

  private take(g: CompiledGroup, costs: number[], now: number): void {
    const bs = g.budgets;
    for (let i = 0; i < bs.length; i++) bs[i]!.take(now, costs[i]!);
    if (this.usageWanted && this.usageTimer === undefined) this.scheduleUsage();
  }

  private bannedError(now: number): TradeportError {
    return new TradeportError(
      'rate_limited',
      `${this.limits.displayName} banned this IP for exceeding its rate limits; Tradeport has stopped all calls to it until ${new Date(this.bannedUntil).toISOString()} (${Math.ceil((this.bannedUntil - now) / 1000)} s).`,
      { venue: this.venue, until: this.bannedUntil },
    );
  }

  /** Takes the slot now if it is free and nobody is queued; never waits. */
  tryAcquire(group: string, costs?: Readonly<Record<string, number>>): boolean {
    const g = this.group(group);
    const now = this.timers.now();
    if (this.waiting > 0 || now < this.blockedUntil || now < this.bannedUntil) return false;
    const c = this.costsFor(g, costs);
    if (!this.fits(g, c, now)) return false;
    this.take(g, c, now);
    return true;
  }

  /**
   * Resolves when the request may go out. Rejects with `rate_limited` when the venue has banned
   * us or the deadline passes first, and with `timeout` when the signal aborts the wait.
   */
  acquire(group: string, opts?: AcquireOptions): Promise<void> {
    const g = this.group(group);
    const now = this.timers.now();
    if (now < this.bannedUntil) return Promise.reject(this.bannedError(now));
    const costs = this.costsFor(g, opts?.costs);
    if (this.waiting === 0 && now >= this.blockedUntil && this.fits(g, costs, now)) {
      this.take(g, costs, now);
      return RESOLVED;
    }
    for (let i = 0; i < costs.length; i++) {
      if (g.budgets[i]!.freeAt(now, costs[i]!) === Number.POSITIVE_INFINITY) {
        return Promise.reject(new TradeportError('internal', `${this.limits.displayName}: a ${group} call costing ${costs[i]} can never fit budget ${g.budgets[i]!.id}`));
      }
    }
    const deadline = opts?.deadline;
    if (deadline !== undefined && (deadline <= now || this.blockedUntil > deadline)) {
      return Promise.reject(this.deadlineError(group, now));
    }
    if (opts?.signal?.aborted) return Promise.reject(abortError());
    return new Promise<void>((resolve, reject) => {
      const w: Waiter = { group: g, costs, resolve, reject, done: false };
      const priority = opts?.priority ?? g.priority;
      this.queues[priority]!.push(w);
      this.waiting++;
      if (deadline !== undefined) {
        w.deadlineTimer = this.timers.setTimeout(() => this.drop(w, this.deadlineError(group, this.timers.now())), deadline - now);
      }
      const signal = opts?.signal;
      if (signal) {
        const onAbort = (): void => this.drop(w, abortError());
        signal.addEventListener('abort', onAbort, { once: true });
        w.abortCleanup = () => signal.removeEventListener('abort', onAbort);
      }
      this.pump();
    });
  }

  private deadlineError(group: string, now: number): TradeportError {
    const until = Math.max(this.blockedUntil, now);
    return new TradeportError('rate_limited', `${this.limits.displayName} rate limit: the ${group} request could not be sent before its deadline; try again shortly.`, {
      venue: this.venue,
      retryAt: until,
    });
  }

  private finish(w: Waiter): void {
    w.done = true;
    this.waiting--;
    if (w.deadlineTimer !== undefined) this.timers.clearTimeout(w.deadlineTimer);
    w.abortCleanup?.();
  }

  private drop(w: Waiter, e: Error): void {
    if (w.done) return;
    const q = this.queues[this.queues.findIndex((q) => q.includes(w))];
    if (q) q.splice(q.indexOf(w), 1);
    this.finish(w);
    w.reject(e);
    // A dropped head may have been the one holding others back.
    this.pump();
  }

  /** Serves waiters in priority order; one that cannot fit blocks only lower-ranked users of its budgets. */
  private pump(): void {
    const now = this.timers.now();
    if (now < this.blockedUntil) {
      this.scheduleWake(this.blockedUntil);
      return;
    }
    const blocked = new Set<Budget>();
    let nextAt = Number.POSITIVE_INFINITY;
    for (const q of this.queues) {
      for (let i = 0; i < q.length;) {
        const w = q[i]!;
        const bs = w.group.budgets;
        let eligible = true;
        for (const b of bs) if (blocked.has(b)) eligible = false;
        if (eligible && this.fits(w.group, w.costs, now)) {
          this.take(w.group, w.costs, now);
          q.splice(i, 1);
          this.finish(w);
          w.resolve();
          continue;
        }
        // Hold back lower-ranked users only of the budgets this waiter is short of: an order
        // waiting for its 10-second order count must not stall weight-only queries.
        let short = false;
        for (let k = 0; k < bs.length; k++) {
          const at = bs[k]!.freeAt(now, w.costs[k]!);
          if (at > now || blocked.has(bs[k]!)) {
            blocked.add(bs[k]!);
            short = true;
            if (eligible) nextAt = Math.min(nextAt, Math.max(now + 1, at));
          }
        }
        // An eligible waiter that did not fit always has a wake-up, even if a budget's arithmetic
        // claimed it fits now: a waiter without one would wait forever.
        if (eligible && !short) nextAt = Math.min(nextAt, now + 1);
        i++;
      }
    }
    if (this.waiting > 0 && nextAt !== Number.POSITIVE_INFINITY) this.scheduleWake(nextAt);
  }

  private scheduleWake(at: number): void {
    if (this.wakeTimer !== undefined) {
      if (this.wakeAt <= at) return;
      this.timers.clearTimeout(this.wakeTimer);
    }
    this.wakeAt = at;
    this.wakeTimer = this.timers.setTimeout(
      () => {
        this.wakeTimer = undefined;
        this.wakeAt = Number.POSITIVE_INFINITY;
        this.pump();
      },
      Math.max(0, at - this.timers.now()),
    );
  }

  /**
   * Corrects the local count from what the venue reports. Only ever raises usage: the venue may
   * count calls we did not make through this process (another app on the same key or IP).
   */
  observe(res: ObservedResponse): void {
    const now = this.timers.now();
    const h = res.headers;
    const retryAfterMs = parseRetryAfter(header(h, 'retry-after'), now);
    if (res.status === 418) {
      this.ban(now + (retryAfterMs ?? this.limits.defaultBanMs ?? 120_000));
      return;
    }
    if (res.status === 429) this.block(now + (retryAfterMs ?? 1000), '429');
    const scheme = this.limits.headers;
    if (typeof scheme === 'object') {
      for (const [budget, name] of Object.entries(scheme.usage)) this.raiseTo(budget, header(h, name), now);
    } else if (this.limits.headers === 'ratelimit') {
      const remaining = num(header(h, 'x-ratelimit-remaining'));
      const limit = num(header(h, 'x-ratelimit-limit'));
      const b = this.budgets[0];
      if (b && remaining !== undefined) {
        const total = limit ?? b.max;
        this.raiseTo(b.id, String(total - remaining), now);
        const reset = num(header(h, 'x-ratelimit-reset'));
        // Unix seconds; only trusted when it lies in the near future of our clock.
        if (remaining <= 0 && reset !== undefined && reset * 1000 > now && reset * 1000 - now < 10 * 60_000) this.block(reset * 1000, 'ratelimit-reset');
      }
    }
  }

  private raiseTo(id: string, reported: string | undefined, now: number): void {
    const n = num(reported);
    const b = this.byId.get(id);
    if (n === undefined || !b) return;
    const gap = n - b.used(now);
    if (gap > 0) b.take(now, gap);
  }

  private block(until: number, reason: '429' | 'ratelimit-reset'): void {
    if (until <= this.blockedUntil) return;
    this.blockedUntil = until;
    this.emit('blocked', { venue: this.venue, until, reason });
    this.emitUsage();
    // Waiters keep their deadline timers: one that falls inside the block rejects on its own.
    if (this.waiting > 0) this.scheduleWake(until);
  }

  private ban(until: number): void {
    if (until <= this.bannedUntil) return;
    this.bannedUntil = until;
    this.blockedUntil = Math.max(this.blockedUntil, until);
    this.emit('banned', { venue: this.venue, until });
    const e = this.bannedError(this.timers.now());
    for (const q of this.queues) {
      for (const w of q.splice(0)) {
        this.finish(w);
        w.reject(e);
      }
    }
    this.emitUsage();
  }

  /** True while a 418 ban is in force. */
  isBanned(): boolean {
    return this.timers.now() < this.bannedUntil;
  }

  usage(): VenueUsage {
    const now = this.timers.now();
    return {
      venue: this.venue,
      keyId: this.keyId,
      budgets: this.budgets.map((b) => ({ id: b.id, used: b.used(now), limit: b.max })),
      waiting: this.waiting,
      ...(now < this.blockedUntil ? { blockedUntil: this.blockedUntil } : {}),
      ...(now < this.bannedUntil ? { bannedUntil: this.bannedUntil } : {}),
      at: now,
    };
  }

  private scheduleUsage(): void {
    this.usageTimer = this.timers.setTimeout(() => {
      this.usageTimer = undefined;
      this.emitUsage();
    }, this.usageIntervalMs);
  }

  private emitUsage(): void {
    if (this.listenerCount('usage') > 0) this.emit('usage', this.usage());
  }
}

function abortError(): TradeportError {
  return new TradeportError('timeout', 'The request was cancelled before the rate limiter let it out.');
}

function header(h: ObservedResponse['headers'], name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

function num(s: string | undefined): number | undefined {
  if (s === undefined || s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** Retry-After is either delta-seconds or an HTTP date. Returns milliseconds from now. */
export function parseRetryAfter(v: string | undefined, now: number): number | undefined {
  if (v === undefined) return undefined;
  const s = num(v);
  if (s !== undefined) return Math.max(0, s * 1000);
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

/**
 * A limiter's key id for secret material (an API key, a login's grant): the first 16 hex digits of
 * SHA-256 over the parts, so a key shared by several venues is recognised while usage reports and
 * logs never carry the material itself.
 */
export function secretKeyId(...parts: readonly string[]): string {
  const h = createHash('sha256');
  parts.forEach((p, i) => (i === 0 ? h.update(p) : h.update('\u0000').update(p)));
  return h.digest('hex').slice(0, 16);
}

/** One limiter per (venue, API key): every user of a key draws from the same budget. */
export class RateLimiterRegistry {
  private readonly map = new Map<string, RateLimiter>();
  constructor(private readonly opts: { timers?: Timers } = {}) {}

  get(limits: VenueLimits, keyId: string): RateLimiter {
    const k = `${limits.venue}\u0000${keyId}`;
    let l = this.map.get(k);
    if (!l) {
      l = new RateLimiter(limits, { keyId, ...(this.opts.timers ? { timers: this.opts.timers } : {}) });
      this.map.set(k, l);
    }
    return l;
  }

  all(): RateLimiter[] {
    return [...this.map.values()];
  }
}

/** The process-wide registry: every connector on one key (of one venue) draws from one limiter. */
export const sharedLimiters = new RateLimiterRegistry();
