/**
 * The strategy runner: owns the timers, quotes and fills of every strategy and feeds them to its
 * pure planner (planner.ts). What a planner intends is journaled — new planner state and numbered
 * steps, each with its deterministic client order id, in one transaction — before it is sent, and
 * it is sent through the engine API exactly as a trader's order (`order.place` with actor
 * `strategy`: schema, risk, modes, order-rate guard, kill switch and audit all apply). A step whose
 * send did not surely happen stays journaled and is sent again with the same client order id,
 * which the engine answers with the order it already made: a restart or a lost answer never
 * doubles a step.
 *
 * It pauses a strategy while its market is closed to it (waking at each session change), when the
 * venue's breaker opens (BreakerPauseTracker resumes it) and stops every strategy when the kill
 * switch trips; those stay stopped until the trader resumes each.
 */
import type { EngineApi } from '../api/engine-api';
import type { EngineEvent } from '../api/events';
import type { StrategyDetail, StrategyView } from '../api/commands';
import type { StrategySimulation } from '../api/strategy-simulation';
import { TradeportError, type ApiError } from '../api/errors';
import type { Instrument } from '../domain/instrument';
import { Decimal } from '../domain/money';
import { isTerminal, type Fill, type Order } from '../domain/order';
import type { TimerHandle, Timers } from '../ports/clock';
import type { StrategyRegistry } from '../ports/strategies';
import { plannerFor } from './kinds';
import type { Planner, PlannedOrder, StrategyEvent, Touch } from './planner';
import { inRegularSession, mayTrade, nextSessionChange, splitParams, toTicket, type CommonParams } from './strategy-market';
import { strategyMoney } from './strategy-pnl';
import { priceWalk, simulateStrategy } from './strategy-simulate';
import type { Commit, StrategyStore } from './strategy-store';
import { stepClientOrderId, type StepRow, type StrategyRow, type StrategyStatus } from './strategy-types';

export interface StrategyRunnerDeps {
  readonly store: StrategyStore;
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
  /** At a wake with no fresh quote (an open before its first tick), the plan waits this long for one (default 5 s). */
  readonly quoteWaitMs?: number;
}

/** A quote older than this is not used to price a step (the engine's default max quote age). */
const FRESH_QUOTE_MS = 10_000;

interface Parsed {
  readonly planner: Planner<unknown, unknown>;
  readonly params: unknown;
  readonly common: CommonParams;
}

/** Send failures that say nothing about the order itself: the step stays journaled and is tried again. */
const PASSING: ReadonlySet<string> = new Set(['venue_unavailable', 'rate_limited', 'timeout', 'engine_busy', 'disk_full', 'storage_read_only', 'storage_failed', 'no_quote', 'internal']);
const ACTIVE: ReadonlySet<StrategyStatus> = new Set(['running', 'paused_user', 'paused_breaker', 'stopped_kill']);
/** A finished plan still sends the steps it journaled with its last decision (the last DCA buy). */
const sends = (s: StrategyStatus | undefined): boolean => s === 'running' || s === 'done';
const CTX = (strategyId: string) => ({ actor: 'strategy' as const, transport: 'internal' as const, strategyId });

export class StrategyRunner {
  private readonly parsed = new Map<string, Parsed>();
  private readonly instruments = new Map<string, Instrument>();
  private readonly touches = new Map<string, Touch>();
  private readonly timers = new Map<string, TimerHandle>();
  private readonly sending = new Map<string, Promise<void>>();
  private readonly inflight = new Set<string>();
  private readonly work = new Set<Promise<unknown>>();
  /** Planner state changed by quotes alone (a rolling high): kept here, written with the next decision that matters. */
  private readonly dirty = new Map<string, unknown>();
  /** Rows as last written (every write here drops its entry): the quote path reads no SQL. */
  private readonly rows = new Map<string, StrategyRow>();
  /** Strategies that want quotes, by `venue|symbol`. */
  private readonly quoteSubs = new Map<string, Set<string>>();
  private closed = false;

  constructor(private readonly d: StrategyRunnerDeps) {}

  // ── lifecycle ─────────────────────────────────────────────────────────────────────────────────

  /** After the engine started: resumes every strategy where its journal says it stopped. */
  async start(): Promise<void> {
    const ks = await this.d.call('killSwitch.status', {});
    const halted = ks.ok && (ks.value as { state: string }).state !== 'running';
    for (const row of this.d.store.all()) {
      if (row.status === 'done' && this.d.store.openSteps(row.id).length > 0) {
        await this.instrumentOf(row).catch(() => undefined);
        this.catchUp(row.id);
        this.flush(row.id);
      }
      if (!ACTIVE.has(row.status)) continue;
      // A restarted venue comes back with a fresh breaker: what it had paused runs again.
      if (row.status === 'paused_breaker') this.setStatus(row.id, 'running', null, this.now());
      await this.instrumentOf(row).catch(() => undefined);
      this.catchUp(row.id);
      if (halted && this.status(row.id) === 'running') this.setStatus(row.id, 'stopped_kill', 'the kill switch is tripped', this.now());
      if (this.status(row.id) === 'running') this.kick(row.id, 'timer');
    }
  }

  /** Resolves once the sends and wakes under way have finished (tests, close). */
  async idle(): Promise<void> {
    while (this.work.size > 0) await Promise.allSettled([...this.work]);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const h of this.timers.values()) this.d.timers.clearTimeout(h);
    this.timers.clear();
    await this.idle();
    this.rows.clear();
    for (const [id, state] of this.dirty) this.d.store.commit({ ...this.keep(id), state, steps: [], now: this.now() });
    this.dirty.clear();
  }

  // ── the trader's commands ─────────────────────────────────────────────────────────────────────

  async add(kind: string, venue: string, symbol: string, raw: Record<string, unknown>): Promise<StrategyView> {
    const planner = plannerFor(kind);
    const { common, own } = splitParams(kind, raw);
    const params = planner.parse(own);
    const inst = await this.findInstrument(venue, symbol);
    const now = this.now();
    // Ids made in the same millisecond differ by their random tail; a collision just draws again.
    let id = this.d.newId();
    while (this.d.store.get(id)) id = this.d.newId();
    this.d.store.insert({
      id,
      kind,
      venue,
      symbol: inst.symbol,
      params: raw,
      state: planner.init(params, now),
      status: 'running',
      reason: null,
      nextStep: 1,
      wakeAt: null,
      createdAt: now,
      updatedAt: now,
    });
    this.parsed.set(id, { planner, params, common });
    this.subscribe(this.row(id), planner);
    this.instruments.set(id, inst);
    this.kick(id, 'start');
    return this.view(this.row(id));
  }

  pause(id: string): StrategyView {
    const row = this.row(id);
    if (row.status !== 'running' && row.status !== 'paused_breaker') throw this.cannot(row, 'pause');
    this.d.userActed(id);
    this.setStatus(id, 'paused_user', 'paused by you', this.now());
    this.disarm(id);
    return this.view(this.row(id));
  }

  async resume(id: string): Promise<StrategyView> {
    const row = this.row(id);
    if (row.status === 'running') return this.view(row);
    if (row.status !== 'paused_user' && row.status !== 'paused_breaker' && row.status !== 'stopped_kill') throw this.cannot(row, 'resume');
    const ks = await this.d.call('killSwitch.status', {});
    if (ks.ok && (ks.value as { state: string }).state !== 'running') {
      throw new TradeportError('halted', `The kill switch is ${(ks.value as { state: string }).state}; reset it (tradeport kill-switch reset --confirm) before resuming ${id}.`);
    }
    this.d.userActed(id);
    this.setStatus(id, 'running', null, this.now());
    this.catchUp(id);
    this.kick(id, 'timer');
    return this.view(this.row(id));
  }

  async stop(id: string, cancelOrders: boolean): Promise<StrategyView> {
    const row = this.row(id);
    if (row.status === 'stopped' || row.status === 'done') {
      if (!cancelOrders) return this.view(row);
    } else {
      this.d.userActed(id);
      this.setStatus(id, 'stopped', 'stopped by you', this.now());
      this.disarm(id);
    }
    if (cancelOrders) await Promise.all(this.d.store.openSteps(id).map((s) => this.cancelStep(s)));
    return this.view(this.row(id));
  }

  list(): StrategyView[] {
    return this.d.store.all().map((r) => this.view(r));
  }

  show(id: string): StrategyDetail {
    const row = this.row(id);
    const steps = this.d.store.steps(id).map((s) => ({ step: s.step, clientOrderId: s.clientOrderId, tag: s.tag, status: s.status, orderId: s.orderId, error: s.error }));
    return { ...this.view(row), progress: row.state, steps };
  }

  /** The plan over simulated time from the current quote (strategy-simulate.ts): reads only — nothing is journaled, sent or kept. */
  async simulate(i: { kind: string; venue: string; symbol: string; params: Record<string, unknown>; hours: number; seed?: string }): Promise<StrategySimulation> {
    // Bad parameters are told before anything is looked up.
    plannerFor(i.kind).parse(splitParams(i.kind, i.params).own);
    const inst = await this.findInstrument(i.venue, i.symbol);
    const q = await this.d.call('quote.get', { venue: i.venue, symbol: inst.symbol });
    const t = q.ok ? (q.value as Touch) : undefined;
    const start = t?.last ?? t?.ask ?? t?.bid;
    if (!start) throw new TradeportError('no_quote', `${i.venue} has no price for ${inst.symbol} yet to simulate from; try again once it quotes.`);
    const seed = i.seed ?? JSON.stringify([i.kind, i.venue, inst.symbol, i.params, i.hours]);
    const from = this.now();
    const sim = simulateStrategy({ kind: i.kind, params: i.params, instrument: inst, from, hours: i.hours, priceAt: priceWalk(new Decimal(start), seed, from, 60_000) });
    return { venue: i.venue, symbol: inst.symbol, kind: i.kind, hours: i.hours, seed, ...sim };
  }

  // ── the breaker's hook (ports/strategies.ts) ──────────────────────────────────────────────────

  /** What the venue health monitor pauses and resumes strategies through. */
  readonly breakerHook: StrategyRegistry = {
    running: (venue) => this.running(venue),
    pause: (id, reason) => this.pauseForBreaker(id, reason),
    resume: (id) => this.resumeAfterBreaker(id),
  };

  running(venue: string): readonly string[] {
    return this.d.store
      .all()
      .filter((r) => r.venue === venue && r.status === 'running')
      .map((r) => r.id);
  }

  pauseForBreaker(id: string, reason: string): void {
    if (this.status(id) !== 'running') return;
    this.setStatus(id, 'paused_breaker', reason, this.now());
    this.disarm(id);
  }

  resumeAfterBreaker(id: string): void {
    if (this.status(id) !== 'paused_breaker') return;
    this.setStatus(id, 'running', null, this.now());
    this.catchUp(id);
    this.kick(id, 'timer');
  }

  // ── engine events ─────────────────────────────────────────────────────────────────────────────

  onEvent(e: EngineEvent): void {
    if (this.closed) return;
    try {
      if (e.type === 'fill') this.onFill(e.fill, true);
      else if (e.type === 'order' && isTerminal(e.order.status)) this.checkEnded(e.order.clientOrderId);
      else if (e.type === 'quote') this.onQuote(e.quote.venue, e.quote.symbol, e.quote);
      else if (e.type === 'killSwitch' && e.state.state !== 'running') this.stopAllForKill(e.state.reason);
    } catch (err) {
      // A journal write that failed (disk full) is retried from the order journal at the next catch-up; the trader hears of it now.
      this.problem('runner', err);
    }
  }

  private onQuote(venue: string, symbol: string, t: Touch): void {
    const touch: Touch = { ...(t.bid ? { bid: t.bid } : {}), ...(t.ask ? { ask: t.ask } : {}), ...(t.last ? { last: t.last } : {}) };
    this.touches.set(`${venue}|${symbol}`, touch);
    for (const id of this.quoteSubs.get(`${venue}|${symbol}`) ?? []) {
      const row = this.cached(id);
      if (!row || row.status !== 'running') continue;
      const inst = this.instruments.get(id);
      if (!inst || !mayTrade(inst, this.parse(row).common, this.now())) continue;
      this.decide(row, { type: 'quote', now: this.now(), touch });
    }
  }

  private onFill(f: Fill, thenCheckEnd: boolean): void {
    const step = this.d.store.stepByClientId(f.clientOrderId);
    if (!step) return;
    const row = this.row(step.strategyId);
    const ev: StrategyEvent = { type: 'fill', now: f.ts, tag: step.tag, side: f.side, qty: f.qty, price: f.price, fee: f.fee };
    this.decide(row, ev, { fill: { fillId: f.id, step: step.step, side: f.side, qty: f.qty, price: f.price, fee: f.fee, ts: f.ts } });
    if (thenCheckEnd) this.checkEnded(f.clientOrderId);
  }

  /** A step whose order is final hears so once, after all its fills (taken from the journal if the events were missed). */
  private checkEnded(clientOrderId: string): void {
    const step = this.d.store.stepByClientId(clientOrderId);
    if (!step || (step.status !== 'sent' && step.status !== 'journaled')) return;
    const o = this.d.orderByClientId(clientOrderId);
    if (!o || !isTerminal(o.status)) return;
    for (const f of this.d.fillsOfOrder(o.id)) this.onFill(f, false);
    if (new Decimal(this.d.store.stepFilled(step.strategyId, step.step)).lt(o.filledQty)) return;
    if (step.status === 'journaled') this.d.store.stepSent(clientOrderId, o.id);
    const ev: StrategyEvent = { type: 'ended', now: this.now(), tag: step.tag, filledQty: o.filledQty, status: o.status };
    this.decide(this.row(step.strategyId), ev, { stepOutcome: { clientOrderId, status: 'ended' } });
  }

  private stopAllForKill(reason: string | null): void {
    for (const row of this.d.store.all()) {
      if (row.status !== 'running' && row.status !== 'paused_breaker' && row.status !== 'paused_user') continue;
      this.setStatus(row.id, 'stopped_kill', `kill switch${reason ? `: ${reason}` : ''}`, this.now());
      this.disarm(row.id);
    }
  }

  /** Fills and ends the journal holds that the events of a past run did not deliver. */
  private catchUp(id: string): void {
    for (const s of this.d.store.openSteps(id)) {
      const o = this.d.orderByClientId(s.clientOrderId);
      if (!o) continue;
      if (s.status === 'journaled') this.d.store.stepSent(s.clientOrderId, o.id);
      for (const f of this.d.fillsOfOrder(o.id)) this.onFill(f, false);
      this.checkEnded(s.clientOrderId);
    }
  }

  // ── deciding: the planner, the journal, then the sends ────────────────────────────────────────

  private decide(row: StrategyRow, ev: StrategyEvent, heard: Pick<Commit, 'fill' | 'stepOutcome'> = {}): void {
    const { planner, params, common } = this.parse(row);
    const r = planner.next(params, this.dirty.has(row.id) ? this.dirty.get(row.id) : row.state, ev);
    const now = this.now();
    if (ev.type === 'quote' && r.orders.length === 0 && r.done === undefined && !r.cancels?.length) {
      this.dirty.set(row.id, r.state);
      return;
    }
    // Orders are planned only while the plan lives; a stopped or finished one still accounts its fills.
    const live = ACTIVE.has(row.status);
    const max = planner.maxOrders(params);
    let orders: readonly PlannedOrder[] = live ? r.orders : [];
    if (max !== undefined && row.nextStep - 1 + orders.length > max) orders = orders.slice(0, Math.max(0, max - (row.nextStep - 1)));
    const inst = this.instruments.get(row.id);
    const steps: StepRow[] = orders.map((o, i) => {
      const step = row.nextStep + i;
      const clientOrderId = stepClientOrderId(row.id, step);
      return { strategyId: row.id, step, clientOrderId, tag: o.tag, ticket: toTicket(o, inst, row.venue, row.symbol, clientOrderId, common), status: 'journaled', orderId: null, error: null };
    });
    const done = r.done !== undefined && live ? { status: 'done' as const, reason: r.done } : undefined;
    this.rows.delete(row.id);
    const wrote = this.d.store.commit({ id: row.id, state: r.state, nextStep: row.nextStep + steps.length, wakeAt: r.wakeAt ?? null, steps, ...heard, ...(done ? { status: done } : {}), now });
    if (!wrote) return;
    this.dirty.delete(row.id);
    if (done) {
      this.disarm(row.id);
      this.d.emit({ type: 'notice', level: 'info', ts: now, message: `Strategy ${row.id} (${row.kind} ${row.symbol} on ${row.venue}) is done: ${r.done}.` });
    }
    for (const tag of r.cancels ?? []) for (const s of this.d.store.openSteps(row.id).filter((x) => x.tag === tag)) this.track(this.cancelStep(s));
    if (steps.length > 0) this.flush(row.id);
    else if (!done && (ev.type === 'start' || ev.type === 'timer')) this.arm(row.id);
  }

  /** Sends the strategy's journaled steps, in order, while it runs and its market is open to it. */
  private flush(id: string): void {
    const prev = this.sending.get(id) ?? Promise.resolve();
    const next = prev.then(async () => {
      for (const s of this.d.store.openSteps(id)) {
        if (s.status !== 'journaled' || this.inflight.has(s.clientOrderId)) continue;
        const row = this.row(id);
        const inst = this.instruments.get(id);
        if (!sends(row.status) || !inst || !mayTrade(inst, this.parse(row).common, this.now())) return;
        if (s.ticket.type === 'market' && !inRegularSession(inst, this.now())) {
          this.refused(s, 'market orders are sent only in the regular session; outside it the venues take limit orders only');
          continue;
        }
        this.inflight.add(s.clientOrderId);
        try {
          await this.send(s);
        } finally {
          this.inflight.delete(s.clientOrderId);
        }
      }
      if (sends(this.status(id))) this.arm(id);
    });
    const tracked = next.catch((err: unknown) => this.problem(id, err));
    this.sending.set(id, tracked);
    this.track(tracked);
  }

  private async send(s: StepRow): Promise<void> {
    const r = await this.d.call('order.place', s.ticket, CTX(s.strategyId));
    // Whatever the answer, an order the engine journaled under this client id is this step's order.
    const o = this.d.orderByClientId(s.clientOrderId);
    if (o) {
      this.d.store.stepSent(s.clientOrderId, o.id);
      this.checkEnded(s.clientOrderId);
      return;
    }
    if (r.ok) return;
    if (PASSING.has(r.error.code)) return this.later(s.strategyId, r.error);
    this.refused(s, r.error.message);
  }

  private refused(s: StepRow, reason: string): void {
    this.decide(this.row(s.strategyId), { type: 'refused', now: this.now(), tag: s.tag, reason }, { stepOutcome: { clientOrderId: s.clientOrderId, status: 'refused', error: reason } });
    this.d.emit({ type: 'notice', level: 'warn', ts: this.now(), message: `Strategy ${s.strategyId}: ${s.tag} (${s.clientOrderId}) was not placed: ${reason}` });
  }

  private async cancelStep(s: StepRow): Promise<void> {
    if (!this.d.orderByClientId(s.clientOrderId)) {
      // Never sent: it never will be.
      this.rows.delete(s.strategyId);
      this.d.store.commit({ ...this.keep(s.strategyId), steps: [], stepOutcome: { clientOrderId: s.clientOrderId, status: 'refused', error: 'cancelled before it was sent' }, now: this.now() });
      return;
    }
    const r = await this.d.call('order.cancel', { id: s.clientOrderId, venue: this.row(s.strategyId).venue }, CTX(s.strategyId));
    if (!r.ok && r.error.code !== 'order_not_cancellable') this.problem(s.strategyId, new Error(r.error.message));
  }

  // ── timers ────────────────────────────────────────────────────────────────────────────────────

  /** Wakes the strategy now: `start` the first time, else `timer` (after a restart, a resume, a retry). */
  private kick(id: string, type: 'start' | 'timer'): void {
    this.disarm(id);
    this.track(this.wake(id, type));
  }

  private async wake(id: string, type: 'start' | 'timer'): Promise<void> {
    if (this.closed) return;
    const row0 = this.d.store.get(id);
    if (row0?.status === 'done') return this.flush(id);
    if (!row0 || row0.status !== 'running') return;
    const inst = await this.instrumentOf(row0).catch(() => undefined);
    if (!inst) return this.later(id);
    const q = await this.quote(row0.venue, inst.symbol);
    const row = this.d.store.get(id);
    if (!row || row.status !== 'running' || this.closed) return;
    const open = mayTrade(inst, this.parse(row).common, this.now());
    // At an open the first quotes may not be in yet: a plan is never priced from a stale touch.
    if (open && (!q || this.now() - q.ts > FRESH_QUOTE_MS)) return this.later(id, undefined, this.d.quoteWaitMs ?? 5000);
    const touch = q?.touch;
    if (open) this.flush(id);
    this.decide(row, { type, now: this.now(), ...(touch ? { touch } : {}), open });
  }

  /** One timer per strategy: at its planner's wake time while open, else at the next session change. */
  private arm(id: string): void {
    this.disarm(id);
    const row = this.d.store.get(id);
    const inst = this.instruments.get(id);
    if (!row || !sends(row.status) || !inst || this.closed) return;
    const now = this.now();
    const pending = this.d.store.openSteps(id).some((s) => s.status === 'journaled');
    if (row.status === 'done' && !pending) return;
    const change = nextSessionChange(inst, now);
    const open = mayTrade(inst, this.parse(row).common, now);
    const candidates = [change, open ? (row.wakeAt ?? undefined) : undefined, open && pending ? now + (this.d.retryMs ?? 30_000) : undefined].filter((t): t is number => t !== undefined);
    if (candidates.length === 0) return;
    const at = Math.max(Math.min(...candidates), now + 1);
    this.timers.set(
      id,
      this.d.timers.setTimeout(() => {
        this.timers.delete(id);
        this.track(this.wake(id, 'timer'));
      }, at - now),
    );
  }

  private disarm(id: string): void {
    const h = this.timers.get(id);
    if (h !== undefined) this.d.timers.clearTimeout(h);
    this.timers.delete(id);
  }

  /** Something passing (venue down, instrument not yet listed): try again after the retry delay. */
  private later(id: string, err?: ApiError, ms = this.d.retryMs ?? 30_000): void {
    if (err) this.setStatus(id, this.status(id) ?? 'running', `waiting: ${err.message}`, this.now());
    if (this.status(id) !== 'running' || this.closed) return;
    this.disarm(id);
    this.timers.set(
      id,
      this.d.timers.setTimeout(() => {
        this.timers.delete(id);
        this.track(this.wake(id, 'timer'));
      }, ms),
    );
  }

  // ── helpers ───────────────────────────────────────────────────────────────────────────────────

  private async quote(venue: string, symbol: string): Promise<{ touch: Touch; ts: number } | undefined> {
    const r = await this.d.call('quote.get', { venue, symbol });
    if (!r.ok) return undefined;
    const q = r.value as Touch & { ts: number };
    return { touch: { ...(q.bid ? { bid: q.bid } : {}), ...(q.ask ? { ask: q.ask } : {}), ...(q.last ? { last: q.last } : {}) }, ts: q.ts };
  }

  private async instrumentOf(row: StrategyRow): Promise<Instrument> {
    const known = this.instruments.get(row.id);
    if (known) return known;
    const inst = await this.findInstrument(row.venue, row.symbol);
    this.instruments.set(row.id, inst);
    return inst;
  }

  private async findInstrument(venue: string, symbol: string): Promise<Instrument> {
    const r = await this.d.call('instruments.search', { venue, query: symbol, limit: 50 });
    if (!r.ok) throw new TradeportError(r.error.code, r.error.message);
    const want = symbol.trim().toUpperCase();
    const inst = (r.value as Instrument[]).find((i) => i.symbol.toUpperCase() === want || i.id.toUpperCase() === want);
    if (!inst) throw new TradeportError('unknown_instrument', `${venue} lists no instrument "${symbol}"; find its symbol with: tradeport instruments ${venue} ${symbol}`);
    return inst;
  }

  private parse(row: StrategyRow): Parsed {
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

  private subscribe(row: StrategyRow, planner: Planner<unknown, unknown>): void {
    if (!planner.wantsQuotes) return;
    const key = `${row.venue}|${row.symbol}`;
    let set = this.quoteSubs.get(key);
    if (!set) this.quoteSubs.set(key, (set = new Set()));
    set.add(row.id);
  }

  private view(row: StrategyRow): StrategyView {
    const { planner, params, common } = this.parse(row);
    const inst = this.instruments.get(row.id);
    const marketClosed = row.status === 'running' && inst !== undefined && !mayTrade(inst, common, this.now());
    const fills = this.d.store.fills(row.id);
    const t = this.touches.get(`${row.venue}|${row.symbol}`);
    const mark = t?.bid && t.ask ? new Decimal(t.bid).plus(t.ask).div(2).toFixed() : t?.last;
    const sent = this.d.store.steps(row.id).filter((s) => s.status === 'sent' || s.status === 'ended').length;
    return {
      id: row.id,
      kind: row.kind,
      venue: row.venue,
      symbol: row.symbol,
      params: row.params,
      state: marketClosed ? 'paused_market' : row.status,
      reason: marketClosed ? 'its market is closed' : row.reason,
      ordersSent: sent,
      maxOrders: planner.maxOrders(params) ?? null,
      fills: fills.length,
      ...strategyMoney(fills, mark),
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }

  private setStatus(id: string, status: StrategyStatus, reason: string | null, now: number): void {
    this.rows.delete(id);
    this.d.store.setStatus(id, status, reason, now);
  }

  private cached(id: string): StrategyRow | undefined {
    let r = this.rows.get(id);
    if (!r) {
      r = this.d.store.get(id);
      if (r) this.rows.set(id, r);
    }
    return r;
  }

  private keep(id: string): Pick<Commit, 'id' | 'state' | 'nextStep' | 'wakeAt'> {
    const r = this.row(id);
    return { id, state: r.state, nextStep: r.nextStep, wakeAt: r.wakeAt };
  }

  private row(id: string): StrategyRow {
    const r = this.d.store.get(id);
    if (!r) throw new TradeportError('invalid_input', `No strategy "${id}"; list them with: tradeport strategy list`);
    return r;
  }

  private status(id: string): StrategyStatus | undefined {
    return this.d.store.get(id)?.status;
  }

  private cannot(row: StrategyRow, what: string): TradeportError {
    return new TradeportError('invalid_input', `Strategy ${row.id} is ${row.status.replace('_', ' ')}; it cannot ${what}.`);
  }

  private problem(id: string, err: unknown): void {
    this.d.emit({ type: 'notice', level: 'error', ts: this.now(), message: `Strategy ${id}: ${(err as Error).message ?? String(err)}` });
  }

  private track(p: Promise<unknown>): void {
    const t = p.catch(() => undefined).finally(() => this.work.delete(t));
    this.work.add(t);
  }

  private now(): number {
    return this.d.timers.now();
  }
}
