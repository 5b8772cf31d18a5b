/**
 * What the runner's parts share: the engine's seams (deps), the per-strategy caches, and the small
 * reads and writes every part needs (a row, its status, its parsed parameters, its instrument).
 * The parts (timers, steps, decisions, accounting) each hold this core and reach each other
 * through `parts`, which the runner wires once.
 *
 * Group commit (store/group-commit.ts): the engine events of one turn of the event loop (a Paper
 * tick reports dozens of fills, then its quotes) are handled together, in arrival order, inside ONE
 * SQLite transaction (each decision a savepoint of it), with the steps' sent marks; one fsync instead of one per
 * decision. Nothing is sent while a group is open: the sends and cancels its decisions ask for
 * run after its commit (`afterCommit`), so every step's journal row is durable before the engine
 * sees its order. Steps a quote or a timer triggered go out first; re-placements that fills
 * caused follow a macrotask later, so a triggered step never queues behind a tick's re-placements.
 */
import type { EngineApi } from '../api/engine-api';
import type { EngineEvent, StrategyPauseCause } from '../api/events';
import { TradeportError, type ApiError } from '../api/errors';
import type { Instrument } from '../domain/instrument';
import type { Fill, Order } from '../domain/order';
import type { Timers } from '../ports/clock';
import type { GroupCommit } from '../store/group-commit';
import { plannerFor } from './kinds';
import type { Planner, StrategyEvent, Touch } from './planner';
import { splitParams, type CommonParams } from './strategy-market';
import type { SandboxFactory } from './strategy-simulate';
import type { Commit, StrategyStore } from './strategy-store';
import type { StepRow, StrategyRow, StrategyStatus } from './strategy-types';

export interface StrategyRunnerDeps {
  readonly store: StrategyStore;
  /** The journal's group commit (store/group-commit.ts): one transaction per turn's decisions, sends after it. */
  readonly commits: GroupCommit;
  readonly timers: Timers;
  /** The engine API, as every transport calls it. */
  readonly call: EngineApi['callRaw'];
  /** Reads of the order journal (never writes): a step's order by its client id, and its fills. */
  readonly orderByClientId: (clientOrderId: string) => Order | undefined;
  readonly fillsOfOrder: (orderId: string) => readonly Fill[];
  readonly emit: (e: EngineEvent) => void;
  /** The trader acted on a strategy: its venue's breaker must not resume it later. */
  readonly userActed: (id: string) => void;
  readonly newId: () => string;
  /** A step whose send failed for a passing reason (venue down, rate limit) is tried again after this long (default 30 s). */
  readonly retryMs?: number;
  /** The oldest quote a step is priced from (default 10 s, the engine's default max quote age). */
  readonly quoteMaxAgeMs?: number;
  /** Sandbox engines for `strategy simulate` (strategy-sandbox.ts); absent = no simulations (a sandbox itself). */
  readonly sandboxes?: SandboxFactory;
  /** At a wake with no fresh quote (an open before its first tick), the plan waits this long for one (default 5 s). */
  readonly quoteWaitMs?: number;
}

export interface Parsed {
  readonly planner: Planner<unknown, unknown>;
  readonly params: unknown;
  readonly common: CommonParams;
}

/** Statuses in which a plan lives (it may be resumed); `stopped` and `done` only account fills. */
export const ACTIVE: ReadonlySet<StrategyStatus> = new Set(['running', 'paused_user', 'paused_breaker', 'stopped_kill']);
/** A finished plan still sends the steps it journaled with its last decision (the last DCA buy). */
export const sends = (s: StrategyStatus | undefined): boolean => s === 'running' || s === 'done';
/** Why a status stops a strategy trading for a while (the `strategyPaused` event's cause). */
const PAUSE_CAUSES: Partial<Record<StrategyStatus, StrategyPauseCause>> = { paused_user: 'trader', paused_breaker: 'breaker', stopped_kill: 'kill_switch' };

/** The engine call context of a strategy's orders. */
export const CTX = (strategyId: string) => ({ actor: 'strategy' as const, transport: 'internal' as const, strategyId });

/** The parts of the runner, each in its own module; they call each other only through this. */
export interface RunnerParts {
  decide(row: StrategyRow, ev: StrategyEvent, heard?: Pick<Commit, 'fill' | 'stepOutcome'>): void;
  flush(id: string): void;
  cancelStep(s: StepRow): Promise<void>;
  refused(s: StepRow, reason: string): void;
  onFill(f: Fill, thenCheckEnd: boolean): void;
  checkEnded(clientOrderId: string): void;
  catchUp(id: string): void;
  kick(id: string, type: 'start' | 'timer'): void;
  arm(id: string): void;
  disarm(id: string): void;
  later(id: string, err?: ApiError, ms?: number): void;
  disarmAll(): void;
}

export class RunnerCore {
  readonly parsed = new Map<string, Parsed>();
  readonly instruments = new Map<string, Instrument>();
  /** The last touch per `venue|symbol` (views mark P&L with it). */
  readonly touches = new Map<string, Touch>();
  readonly work = new Set<Promise<unknown>>();
  /** Planner state changed by quotes alone (a rolling high): kept here, written with the next decision that matters. */
  readonly dirty = new Map<string, unknown>();
  /** Rows as last written (every write here drops its entry): the quote path reads no SQL. */
  readonly rows = new Map<string, StrategyRow>();
  /** Strategies that want quotes, by `venue|symbol`: a quote wakes only those watching its instrument. */
  readonly quoteSubs = new Map<string, Set<string>>();
  /** Whether each running strategy's market was open at its last wake (a close is told once). */
  readonly marketWasOpen = new Map<string, boolean>();
  closed = false;
  parts!: RunnerParts;
  /** Work for the next group (engine events, sent marks), in arrival order. */
  private queued: (() => void)[] = [];
  /** The open group: what runs after its commit, triggered steps first. */
  private group: { readonly urgent: (() => void)[]; readonly later: (() => void)[] } | null = null;
  /** Steps the engine took whose `sent` mark waits for the next group. */
  readonly sentMarks = new Set<string>();

  constructor(readonly d: StrategyRunnerDeps) {}

  now(): number {
    return this.d.timers.now();
  }

  row(id: string): StrategyRow {
    const r = this.d.store.get(id);
    if (!r) throw new TradeportError('invalid_input', `No strategy "${id}"; list them with: tradeport strategy list`);
    return r;
  }

  status(id: string): StrategyStatus | undefined {
    return this.d.store.get(id)?.status;
  }

  setStatus(id: string, status: StrategyStatus, reason: string | null, now: number): void {
    const before = this.d.store.get(id);
    this.rows.delete(id);
    this.d.store.setStatus(id, status, reason, now);
    const cause = PAUSE_CAUSES[status];
    if (before && cause && before.status !== status) this.paused(before, cause, reason ?? cause, now);
  }

  /** Tells the windows a strategy stopped trading for a while (status bar, alerts). */
  paused(row: Pick<StrategyRow, 'id' | 'kind' | 'venue' | 'symbol'>, cause: StrategyPauseCause, reason: string, now = this.now()): void {
    this.d.emit({ type: 'strategyPaused', strategyId: row.id, kind: row.kind, venue: row.venue, symbol: row.symbol, cause, reason, ts: now });
  }

  /** The market a strategy trades closed under it (a running one waits for the open): told once per close. */
  marketOpen(row: StrategyRow, open: boolean): void {
    const was = this.marketWasOpen.get(row.id);
    this.marketWasOpen.set(row.id, open);
    if (was === true && !open) this.paused(row, 'market_closed', `${row.symbol} market closed: the plan waits for the next open`);
  }

  cached(id: string): StrategyRow | undefined {
    let r = this.rows.get(id);
    if (!r) {
      r = this.d.store.get(id);
      if (r) this.rows.set(id, r);
    }
    return r;
  }

  /** The row's current plan fields, for a commit that changes only what it heard. */
  keep(id: string): Pick<Commit, 'id' | 'state' | 'nextStep' | 'wakeAt'> {
    const r = this.row(id);
    return { id, state: r.state, nextStep: r.nextStep, wakeAt: r.wakeAt };
  }

  parse(row: StrategyRow): Parsed {
    let p = this.parsed.get(row.id);
    if (!p) {
      const planner = plannerFor(row.kind);
      const { common, own } = splitParams(row.kind, row.params);
      p = { planner, params: planner.parse(own), common };
      this.parsed.set(row.id, p);
      this.subscribe(row, planner);
    }
    return p;
  }

  subscribe(row: StrategyRow, planner: Planner<unknown, unknown>): void {
    if (!planner.wantsQuotes) return;
    const key = `${row.venue}|${row.symbol}`;
    let set = this.quoteSubs.get(key);
    if (!set) this.quoteSubs.set(key, (set = new Set()));
    set.add(row.id);
  }

  problem(id: string, err: unknown): void {
    this.d.emit({ type: 'notice', level: 'error', ts: this.now(), message: `Strategy ${id}: ${(err as Error).message ?? String(err)}` });
  }

  /** Handles `fn` in the next group (this turn's events are gathered first); `idle()` waits for it. */
  enqueue(fn: () => void): void {
    this.queued.push(fn);
    if (this.queued.length === 1) this.track(Promise.resolve().then(() => this.drain()));
  }

  private drain(): void {
    const work = this.queued;
    this.queued = [];
    // A closed runner drops them: the next start accounts them from the order journal (catchUp).
    if (this.closed) return;
    try {
      this.batch(() => {
        for (const w of work) {
          try {
            w();
          } catch (err) {
            // That decision's savepoint was rolled back; the others commit. Retried from the order journal at the next catch-up.
            this.problem('runner', err);
          }
        }
      });
    } catch (err) {
      // The group's commit failed (disk full): nothing of it was sent; the order journal replays its fills at the next catch-up.
      this.problem('runner', err);
    }
  }

  /**
   * Runs `fn` in the open group, or in a group of its own (store/group-commit.ts, shared with the
   * engine's venue bursts): its writes commit together, then what it deferred runs.
   */
  batch(fn: () => void): void {
    if (this.group) return fn();
    const g = (this.group = { urgent: [] as (() => void)[], later: [] as (() => void)[] });
    try {
      this.d.commits.run(() => {
        try {
          fn();
        } finally {
          // Closed before its sends run (after the commit): what they defer goes to a group of its own.
          this.group = null;
        }
        this.d.commits.afterCommit(() => this.release(g));
      });
    } finally {
      this.group = null;
    }
  }

  /** A committed group's sends: triggered steps first, the rest a macrotask later when there were any. */
  private release(g: { readonly urgent: (() => void)[]; readonly later: (() => void)[] }): void {
    for (const f of g.urgent) f();
    if (g.later.length > 0) {
      const run = () => {
        for (const f of g.later) f();
      };
      if (g.urgent.length > 0) this.track(new Promise<void>((resolve) => setImmediate(() => resolve(run()))));
      else run();
    }
  }

  /** Runs `fn` once the open group has committed (at once when none is open); `urgent` (a triggered step) before the rest. */
  afterCommit(fn: () => void, urgent: boolean): void {
    if (!this.group) return this.d.commits.afterCommit(fn);
    (urgent ? this.group.urgent : this.group.later).push(fn);
  }

  /** The engine took a step: its `sent` mark is written with the next group. */
  markSent(clientOrderId: string, orderId: string): void {
    this.sentMarks.add(clientOrderId);
    this.enqueue(() => {
      this.d.store.stepSent(clientOrderId, orderId);
      this.sentMarks.delete(clientOrderId);
    });
  }

  /** Background work that `idle()` waits for. */
  track(p: Promise<unknown>): void {
    const t = p.catch(() => undefined).finally(() => this.work.delete(t));
    this.work.add(t);
  }
}
