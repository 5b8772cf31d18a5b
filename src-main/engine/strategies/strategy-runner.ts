/**
 * The strategy runner: owns the timers, quotes and fills of every strategy and feeds them to its
 * pure planner (planner.ts). Its parts, one job each: deciding and journaling (runner-decide.ts),
 * sending steps (runner-steps.ts), accounting fills and recovering from the journal
 * (runner-accounting.ts), timers and market-session pauses (runner-timers.ts). Every order goes
 * through the engine API exactly as a trader's order (`order.place` with actor `strategy`: schema,
 * risk, modes, order-rate guard, kill switch and audit all apply).
 *
 * This front holds the trader's commands, the breaker's hook (BreakerPauseTracker resumes what an
 * OPEN breaker paused) and the kill switch, which stops every strategy until the trader resumes each.
 */
import type { AccountSummaryView, RiskView, StrategyDetail, StrategyStepView, StrategyView } from '../api/commands';
import type { Instrument } from '../domain/instrument';
import type { EngineEvent } from '../api/events';
import type { StrategySimulation } from '../api/strategy-simulation';
import { TradeportError } from '../api/errors';
import { Decimal } from '../domain/money';
import { isTerminal } from '../domain/order';
import type { StrategyRegistry } from '../ports/strategies';
import { plannerFor } from './kinds';
import type { Touch } from './planner';
import { StepAccounting } from './runner-accounting';
import { ACTIVE, RunnerCore, type StrategyRunnerDeps } from './runner-core';
import { decide } from './runner-decide';
import { findInstrument, instrumentOf, quoteOf, touchOf } from './runner-lookup';
import { StepSender } from './runner-steps';
import { RunnerTimers } from './runner-timers';
import { strategyView } from './runner-view';
import { mayTrade, splitParams } from './strategy-market';
import { runSimulation, seedOf, SIM_TICK_MS, type LiveGuards } from './strategy-simulate';
import type { StepRow, StrategyRow } from './strategy-types';

export type { StrategyRunnerDeps } from './runner-core';

export class StrategyRunner {
  private readonly c: RunnerCore;

  constructor(d: StrategyRunnerDeps) {
    const c = (this.c = new RunnerCore(d));
    const steps = new StepSender(c);
    const acc = new StepAccounting(c);
    const timers = new RunnerTimers(c);
    c.parts = {
      decide: (row, ev, heard) => decide(c, row, ev, heard),
      flush: (id) => steps.flush(id),
      cancelStep: (s) => steps.cancelStep(s),
      refused: (s, reason) => steps.refused(s, reason),
      onFill: (f, then) => acc.onFill(f, then),
      checkEnded: (id) => acc.checkEnded(id),
      catchUp: (id) => acc.catchUp(id),
      kick: (id, type) => timers.kick(id, type),
      arm: (id) => timers.arm(id),
      disarm: (id) => timers.disarm(id),
      later: (id, err, ms) => timers.later(id, err, ms),
      disarmAll: () => timers.disarmAll(),
    };
  }
  // ── lifecycle ─────────────────────────────────────────────────────────────────────────────────

  /** After the engine started: resumes every strategy where its journal says it stopped. */
  async start(): Promise<void> {
    const ks = await this.c.d.call('killSwitch.status', {});
    const halted = ks.ok && (ks.value as { state: string }).state !== 'running';
    for (const row of this.c.d.store.all()) {
      if (row.status === 'done' && this.c.d.store.openSteps(row.id).length > 0) {
        await instrumentOf(this.c, row).catch(() => undefined);
        this.c.parts.catchUp(row.id);
        this.c.parts.flush(row.id);
      }
      if (!ACTIVE.has(row.status)) continue;
      // A restarted venue comes back with a fresh breaker: what it had paused runs again.
      if (row.status === 'paused_breaker') this.c.setStatus(row.id, 'running', null, this.c.now());
      await instrumentOf(this.c, row).catch(() => undefined);
      this.c.parts.catchUp(row.id);
      if (halted && this.c.status(row.id) === 'running') this.c.setStatus(row.id, 'stopped_kill', 'the kill switch is tripped', this.c.now());
      if (this.c.status(row.id) === 'running') this.c.parts.kick(row.id, 'timer');
    }
  }

  /** Resolves once the sends and wakes under way have finished (tests, close). */
  async idle(): Promise<void> {
    while (this.c.work.size > 0) await Promise.allSettled([...this.c.work]);
  }

  async close(): Promise<void> {
    this.c.closed = true;
    this.c.parts.disarmAll();
    await this.idle();
    this.c.rows.clear();
    for (const [id, state] of this.c.dirty) this.c.d.store.commit({ ...this.c.keep(id), state, steps: [], now: this.c.now() });
    this.c.dirty.clear();
  }

  // ── the trader's commands ─────────────────────────────────────────────────────────────────────

  async add(kind: string, venue: string, symbol: string, raw: Record<string, unknown>): Promise<StrategyView> {
    const planner = plannerFor(kind);
    const { common, own } = splitParams(kind, raw);
    const params = planner.parse(own);
    const inst = await findInstrument(this.c, venue, symbol);
    const now = this.c.now();
    // Ids made in the same millisecond differ by their random tail; a collision just draws again.
    let id = this.c.d.newId();
    while (this.c.d.store.get(id)) id = this.c.d.newId();
    this.c.d.store.insert({
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
    this.c.parsed.set(id, { planner, params, common });
    this.c.subscribe(this.c.row(id), planner);
    this.c.instruments.set(id, inst);
    this.c.parts.kick(id, 'start');
    return this.view(this.c.row(id));
  }

  pause(id: string): StrategyView {
    const row = this.c.row(id);
    if (row.status !== 'running' && row.status !== 'paused_breaker') throw this.cannot(row, 'pause');
    this.c.d.userActed(id);
    this.c.setStatus(id, 'paused_user', 'paused by you', this.c.now());
    this.c.parts.disarm(id);
    return this.view(this.c.row(id));
  }

  async resume(id: string): Promise<StrategyView> {
    const row = this.c.row(id);
    if (row.status === 'running') return this.view(row);
    if (row.status !== 'paused_user' && row.status !== 'paused_breaker' && row.status !== 'stopped_kill') throw this.cannot(row, 'resume');
    const ks = await this.c.d.call('killSwitch.status', {});
    if (ks.ok && (ks.value as { state: string }).state !== 'running') {
      throw new TradeportError('halted', `The kill switch is ${(ks.value as { state: string }).state}; reset it (tradeport kill-switch reset --confirm) before resuming ${id}.`);
    }
    this.c.d.userActed(id);
    this.c.setStatus(id, 'running', null, this.c.now());
    this.c.parts.catchUp(id);
    this.c.parts.kick(id, 'timer');
    return this.view(this.c.row(id));
  }

  async stop(id: string, cancelOrders: boolean): Promise<StrategyView> {
    const row = this.c.row(id);
    if (row.status === 'stopped' || row.status === 'done') {
      if (!cancelOrders) return this.view(row);
    } else {
      this.c.d.userActed(id);
      this.c.setStatus(id, 'stopped', 'stopped by you', this.c.now());
      this.c.parts.disarm(id);
    }
    if (cancelOrders) await Promise.all(this.c.d.store.openSteps(id).map((s) => this.c.parts.cancelStep(s)));
    return this.view(this.c.row(id));
  }

  list(): StrategyView[] {
    return this.c.d.store.all().map((r) => this.view(r));
  }

  show(id: string): StrategyDetail {
    const row = this.c.row(id);
    const steps = this.c.d.store.steps(id).map(stepView);
    return { ...this.view(row), progress: row.state, steps };
  }

  /**
   * The plan over simulated time, run by this same runner code in a sandbox engine on Paper
   * (strategy-simulate.ts) from the instrument's current price: nothing reaches this engine.
   */
  async simulate(i: { kind: string; venue: string; symbol: string; params: Record<string, unknown>; hours: number; seed?: string }): Promise<StrategySimulation> {
    // Bad parameters are told before anything is looked up.
    plannerFor(i.kind).parse(splitParams(i.kind, i.params).own);
    const inst = await findInstrument(this.c, i.venue, i.symbol);
    const t = (await quoteOf(this.c, i.venue, inst.symbol))?.touch;
    const start = t?.bid && t.ask ? new Decimal(t.bid).plus(t.ask).div(2) : (t?.last ?? t?.ask ?? t?.bid);
    if (!start) throw new TradeportError('no_quote', `${i.venue} has no price for ${inst.symbol} yet to simulate from; try again once it quotes.`);
    const sandboxes = this.c.d.sandboxes;
    if (!sandboxes) throw new TradeportError('internal', 'This engine cannot run simulations (it has no sandbox).');
    const seed = i.seed ?? JSON.stringify([i.kind, i.venue, inst.symbol, i.params, i.hours]);
    const from = this.c.now();
    const sb = await sandboxes({ from, seed: seedOf(seed), tickMs: SIM_TICK_MS, live: await this.liveGuards(i.venue, inst) });
    try {
      const sim = await runSimulation(sb, { kind: i.kind, params: i.params, symbol: inst.symbol, from, hours: i.hours, seed: seedOf(seed), tickMs: SIM_TICK_MS, startPrice: new Decimal(start) });
      return { venue: i.venue, symbol: inst.symbol, kind: i.kind, hours: i.hours, seed, ...sim };
    } finally {
      await sb.close();
    }
  }

  /** The risk limits and buying power the live run would be checked against (the simulation checks the same). */
  private async liveGuards(venue: string, inst: Instrument): Promise<LiveGuards> {
    const risk = await this.c.d.call('risk.get', {});
    if (!risk.ok) throw new TradeportError(risk.error.code, risk.error.message);
    const acct = await this.c.d.call('account.summary', {});
    const bp = acct.ok ? ((acct.value as AccountSummaryView).venues.find((v) => v.venue === venue)?.buyingPower ?? null) : null;
    return { venue, symbol: inst.symbol, instrumentId: inst.id, risk: (risk.value as RiskView).configured, buyingPower: bp };
  }

  // ── the breaker's hook (ports/strategies.ts) ──────────────────────────────────────────────────

  /** What the venue health monitor pauses and resumes strategies through. */
  readonly breakerHook: StrategyRegistry = {
    running: (venue) => this.running(venue),
    pause: (id, reason) => this.pauseForBreaker(id, reason),
    resume: (id) => this.resumeAfterBreaker(id),
  };

  running(venue: string): readonly string[] {
    return this.c.d.store
      .all()
      .filter((r) => r.venue === venue && r.status === 'running')
      .map((r) => r.id);
  }

  pauseForBreaker(id: string, reason: string): void {
    if (this.c.status(id) !== 'running') return;
    this.c.setStatus(id, 'paused_breaker', reason, this.c.now());
    this.c.parts.disarm(id);
  }

  resumeAfterBreaker(id: string): void {
    if (this.c.status(id) !== 'paused_breaker') return;
    this.c.setStatus(id, 'running', null, this.c.now());
    this.c.parts.catchUp(id);
    this.c.parts.kick(id, 'timer');
  }

  // ── engine events ─────────────────────────────────────────────────────────────────────────────

  /** Fills, ends and quotes are handled in arrival order in the next group (runner-core.ts); the kill switch at once. */
  onEvent(e: EngineEvent): void {
    if (this.c.closed) return;
    try {
      if (e.type === 'fill') this.c.enqueue(() => this.c.parts.onFill(e.fill, true));
      else if (e.type === 'order' && isTerminal(e.order.status)) this.c.enqueue(() => this.c.parts.checkEnded(e.order.clientOrderId));
      else if (e.type === 'quote') this.c.enqueue(() => this.onQuote(e.quote.venue, e.quote.symbol, e.quote));
      else if (e.type === 'killSwitch' && e.state.state !== 'running') this.stopAllForKill(e.state.reason);
    } catch (err) {
      // A journal write that failed (disk full) is retried from the order journal at the next catch-up; the trader hears of it now.
      this.c.problem('runner', err);
    }
  }

  private onQuote(venue: string, symbol: string, t: Touch): void {
    const touch = touchOf(t);
    this.c.touches.set(`${venue}|${symbol}`, touch);
    const now = this.c.now();
    // Whether a session is open is the same for every strategy on this instrument with the same sessions allowed: asked once per quote.
    const open = new Map<string, boolean>();
    for (const id of this.c.quoteSubs.get(`${venue}|${symbol}`) ?? []) {
      const row = this.c.cached(id);
      if (!row || row.status !== 'running') continue;
      const inst = this.c.instruments.get(id);
      if (!inst) continue;
      const common = this.c.parse(row).common;
      const key = `${inst.session}|${common.sessions}`;
      let may = open.get(key);
      if (may === undefined) open.set(key, (may = mayTrade(inst, common, now)));
      if (!may) continue;
      this.c.parts.decide(row, { type: 'quote', now, touch });
    }
  }

  private stopAllForKill(reason: string | null): void {
    for (const row of this.c.d.store.all()) {
      if (row.status !== 'running' && row.status !== 'paused_breaker' && row.status !== 'paused_user') continue;
      this.c.setStatus(row.id, 'stopped_kill', `kill switch${reason ? `: ${reason}` : ''}`, this.c.now());
      this.c.parts.disarm(row.id);
    }
  }

  private view(row: StrategyRow): StrategyView {
    return strategyView(this.c, row);
  }

  private cannot(row: StrategyRow, what: string): TradeportError {
    return new TradeportError('invalid_input', `Strategy ${row.id} is ${row.status.replace('_', ' ')}; it cannot ${what}.`);
  }
}

function stepView(s: StepRow): StrategyStepView {
  const t = s.ticket;
  return {
    step: s.step,
    clientOrderId: s.clientOrderId,
    tag: s.tag,
    status: s.status,
    orderId: s.orderId,
    error: s.error,
    ts: s.createdAt ?? 0,
    side: t.side,
    qty: t.qty,
    ...(t.notional ? { notional: t.notional } : {}),
    price: t.limitPrice ?? t.stopPrice ?? null,
  };
}
