/**
 * Composition root. Builds the engine from a config object: store, venues, order manager, the
 * command table and the event fan-out. Electron, the headless bridge and the CLI all talk to the
 * result through `callRaw` / `subscribe` and nothing else.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  commandSchemas,
  type CommandName,
  type CommandOutput,
  type EngineInfo,
  type FlattenResult,
  type KillSwitchStatus,
  type KillSwitchSweep,
  type Preview,
  type QuoteView,
  type ReconcileReportView,
  type RiskLimitView,
  type Snapshot,
  type VenueInfo,
  type VenueMode,
} from './api/commands';
import { TradeportError, type ErrorCode, type Result } from './api/errors';
import type { CallContext, EngineApi } from './api/engine-api';
import type { EngineEvent } from './api/events';
import { Decimal, toStr } from './domain/money';
import type { Instrument } from './domain/instrument';
import type { Actor, Position } from './domain/order';
import type { NormalizedTicket } from './domain/order-validation';
import type { Clock } from './ports/clock';
import { systemClock } from './ports/clock';
import { SeededRandom } from './ports/random';
import type { SecretStore } from './ports/secrets';
import { openDatabase, DB_FILE, type Db } from './store/db';
import { OrdersRepo } from './store/orders-repo';
import { AuditRepo, auditToCsv } from './store/audit-repo';
import { EngineStateRepo } from './store/kv';
import { ReconcileRepo, type ReconcileTrigger, type StoredReconcileReport } from './store/reconcile-repo';
import type { StoredOrder } from './store/orders-repo';
import { VenuesRepo } from './store/venues-repo';
import { PortfolioRepo } from './store/portfolio-repo';
import { OrderManager } from './oms/order-manager';
import { mergeReplace } from './oms/replace';
import { reconcileVenue } from './oms/reconciler';
import { buildPreview, resolveTicket } from './oms/preview';
import { cancelWithChildren } from './oms/brackets';
import { BASIC_CAPABILITIES, capabilityRefusal } from './domain/order-capabilities';
import { ShadowExecutor } from './oms/shadow-executor';
import { RiskService } from './risk/risk-service';
import { describeScope, KEY_OF_FIELD, LIMIT_FIELDS, resolveLimits, type EffectiveLimits, type LimitField } from './risk/limits';
import { validateModeChange, type RoutingMode } from './risk/modes';
import type { TripMode } from './risk/kill-switch';
import { VenueManager } from './venues/venue-manager';
import { VenueHealthMonitor } from './venues/health-monitor';
import type { StrategyRegistry } from './strategies/registry';
import { VENUE_FACTORIES } from './venues/registry';
import { createDispatcher, type CommandHandlers } from './dispatcher';
import type { VenueConnector, VenueFactory } from './venues/venue-port';

export interface EngineConfig {
  readonly dataDir: string;
  readonly secrets: SecretStore;
  readonly clock?: Clock;
  /** Seed for the Paper price source (deterministic sessions in tests). */
  readonly paperSeed?: number;
  /** Paper price-source tick interval in ms (default 250). 0 disables the timer (tests step by hand). */
  readonly paperTickMs?: number;
  readonly version?: string;
  /** Venue kinds this engine can run (default: every kind in venues/registry.ts). Tests add scripted venues here. */
  readonly venueFactories?: ReadonlyMap<string, VenueFactory>;
  /** Delays between lookups of an order whose submit outcome is unknown. */
  readonly unknownLookupDelays?: readonly number[];
  /** Currency of money risk limits and equity (default USD). */
  readonly accountCurrency?: string;
  /** The strategy runner: a venue's breaker OPEN pauses its strategies, CLOSED resumes them. None yet. */
  readonly strategies?: StrategyRegistry;
}

export interface Engine extends EngineApi {
  readonly info: EngineInfo;
  /** For tests and the composition of other transports: the parts behind the API. */
  readonly internals: {
    readonly db: Db;
    readonly venues: VenueManager;
    readonly oms: OrderManager;
    readonly orders: OrdersRepo;
    readonly audit: AuditRepo;
    readonly risk: RiskService;
    readonly reconcileReports: ReconcileRepo;
    /** Rate-limit usage and breakers per venue, and the strategies the breakers paused. */
    readonly health: VenueHealthMonitor;
    /** The SHADOW route of a venue (created on first use). */
    shadow(venue: string): ShadowExecutor;
    /** Resolves once background work started by events (kill-switch sweeps, reconciliations) has finished. */
    idle(): Promise<void>;
  };
  close(): Promise<void>;
}

export async function createEngine(config: EngineConfig): Promise<Engine> {
  const clock = config.clock ?? systemClock;
  fs.mkdirSync(config.dataDir, { recursive: true });
  const db = openDatabase(path.join(config.dataDir, DB_FILE));
  const orders = new OrdersRepo(db);
  const audit = new AuditRepo(db);
  const venuesRepo = new VenuesRepo(db);
  const portfolio = new PortfolioRepo(db);
  const state = new EngineStateRepo(db);
  const reconcileReports = new ReconcileRepo(db);
  const random = new SeededRandom((config.paperSeed ?? Date.now()) ^ 0x5eed);
  const info: EngineInfo = { version: config.version ?? '0.1.0', dataDir: config.dataDir, pid: process.pid, startedAt: clock.now() };

  const listeners = new Set<(e: EngineEvent) => void>();
  const eventCounts: Record<string, number> = {};
  const emit = (e: EngineEvent) => {
    eventCounts[e.type] = (eventCounts[e.type] ?? 0) + 1;
    for (const l of listeners) {
      try {
        l(e);
      } catch {
        // A broken listener (a closed socket) must not stop the others or the engine.
      }
    }
  };
  const health = new VenueHealthMonitor({ emit, clock, ...(config.strategies ? { strategies: config.strategies } : {}) });

  let oms!: OrderManager;
  /** Background work started from event handlers; `internals.idle()` and close() wait for it. */
  const background = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    const q = p.catch((err: unknown) => emit({ type: 'notice', level: 'error', ts: clock.now(), message: `Background task failed: ${(err as Error).message ?? String(err)}` }));
    background.add(q);
    void q.finally(() => background.delete(q));
  };
  const shadows = new Map<string, ShadowExecutor>();
  function shadowFor(venue: string): ShadowExecutor {
    let s = shadows.get(venue);
    if (!s) {
      s = new ShadowExecutor({
        venue,
        db,
        clock,
        real: () => venues.get(venue),
        report: {
          orderReport: (r) => oms.applyReport(venue, r, 'venue'),
          fill: (f) => {
            oms.applyFill(venue, f, 'venue');
            checkDailyLoss(venue, f.instrumentId);
          },
        },
      });
      shadows.set(venue, s);
    }
    return s;
  }
  /** The connector an order's route talks to: SHADOW orders never reach the venue's submit. */
  const connectorFor = (venue: string, route?: StoredOrder['route']): VenueConnector | undefined => (route === 'shadow' ? (venues.get(venue) ? shadowFor(venue) : undefined) : venues.get(venue));

  const risk = new RiskService({
    state,
    orders,
    portfolio,
    clock,
    connector: (v) => venues.get(v),
    ...(config.accountCurrency ? { accountCurrency: config.accountCurrency } : {}),
    onProblem: (message) => emit({ type: 'notice', level: 'warn', ts: clock.now(), message }),
  });
  const ks = risk.killSwitch;
  ks.onChange((c) => {
    audit.append({ ts: c.at, actor: c.actor, transport: 'internal', action: `killSwitch.${c.kind}`, venue: null, ok: true, detail: { from: c.from, to: c.to, reason: c.reason, flatten: c.snapshot.flatten } });
    emit({ type: 'killSwitch', state: ksStatus() });
    emit({ type: 'notice', level: c.to === 'running' ? 'info' : 'warn', ts: c.at, message: c.to === 'running' ? `Kill switch reset by ${c.actor}: trading resumes.` : `Kill switch ${c.to.toUpperCase()}${c.reason ? `: ${c.reason}` : ''}` });
  });

  const venues = new VenueManager({
    db,
    repo: venuesRepo,
    clock,
    secrets: config.secrets,
    paperSeed: config.paperSeed,
    paperTickMs: config.paperTickMs,
    factories: config.venueFactories ?? VENUE_FACTORIES,
    emit,
    listener: (venue) => ({
      orderReport: (r) => oms.applyReport(venue, r, 'venue'),
      fill: (f) => {
        oms.applyFill(venue, f, 'venue');
        checkDailyLoss(venue, f.instrumentId);
      },
      quote: (q) => {
        const inst = venues.get(venue)?.instrument(q.instrumentId);
        emit({ type: 'quote', quote: { ...q, venue, symbol: inst?.symbol ?? q.instrumentId } });
        // SHADOW orders rest against this venue's real market: a new quote may fill them.
        shadows.get(venue)?.onMarketData(q.instrumentId);
      },
      position: (p) => {
        if (new Decimal(p.qty).isZero()) portfolio.deletePosition(venue, p.instrumentId);
        else portfolio.upsertPosition(p, clock.now());
        emit({ type: 'position', position: withMark(p) });
      },
      balance: (b) => {
        portfolio.upsertBalance(b, clock.now());
        emit({ type: 'balance', balance: b });
      },
      state: () => {
        const v = venues.info(venue);
        if (v) emit({ type: 'venue', venue: v });
      },
      health: (h) => health.report(venue, h),
    }),
  });
  oms = new OrderManager({ repo: orders, clock, random, emit: omsEmit, connector: connectorFor, ...(config.unknownLookupDelays ? { unknownLookupDelays: config.unknownLookupDelays } : {}) });

  /**
   * Orders the kill switch's sweep could not cancel because their submit had not been answered
   * yet (pending_submit / unknown). Each is cancelled as soon as the venue says it is working.
   */
  const cancelWhenWorking = new Set<string>();
  function omsEmit(e: EngineEvent): void {
    emit(e);
    if (e.type !== 'order' || !cancelWhenWorking.has(e.order.id)) return;
    const st = e.order.status;
    if (st === 'submitted' || st === 'accepted' || st === 'partially_filled') {
      cancelWhenWorking.delete(e.order.id);
      // After the OMS finished this transition, not inside it.
      track(Promise.resolve().then(() => oms.cancel(e.order.id, 'system')));
    } else if (st !== 'pending_submit' && st !== 'unknown') cancelWhenWorking.delete(e.order.id);
  }

  function withMark(p: Position): Position {
    const conn = venues.get(p.venue);
    const inst = conn?.instrument(p.instrumentId);
    const q = conn?.quote(p.instrumentId);
    const mark = q?.bid && q?.ask ? new Decimal(q.bid).plus(q.ask).div(2) : q?.last ? new Decimal(q.last) : undefined;
    if (!mark || !inst) return p;
    const upnl = mark.minus(p.avgPrice).mul(p.qty).mul(inst.multiplier);
    return { ...p, mark: toStr(mark.toDecimalPlaces(new Decimal(inst.tickSize).decimalPlaces() + 1)), unrealizedPnl: toStr(upnl.toDecimalPlaces(2)) };
  }

  function quoteView(venue: string, inst: Instrument): QuoteView | undefined {
    const q = venues.get(venue)?.quote(inst.id);
    return q ? { ...q, venue, symbol: inst.symbol } : undefined;
  }

  function findInstrument(venue: string, symbol: string): Instrument {
    const conn = venues.require(venue);
    const inst = conn.instrument(symbol);
    if (!inst) throw new TradeportError('unknown_instrument', `${venue} has no instrument "${symbol}". Search with: tradeport instruments ${venue} ${symbol.slice(0, 3)}`);
    return inst;
  }

  /** One reconciliation per venue at a time; a second request waits for the first and runs after it. */
  const reconciling = new Map<string, Promise<StoredReconcileReport>>();
  function reconcile(venue: string, trigger: ReconcileTrigger): Promise<StoredReconcileReport> {
    const prev = reconciling.get(venue) ?? Promise.resolve(undefined);
    const next = prev.catch(() => undefined).then(() => reconcileOnce(venue, trigger));
    reconciling.set(venue, next);
    void next.finally(() => {
      if (reconciling.get(venue) === next) reconciling.delete(venue);
    }).catch(() => undefined);
    return next;
  }
  async function reconcileOnce(venue: string, trigger: ReconcileTrigger): Promise<StoredReconcileReport> {
    let changes: StoredReconcileReport['changes'] = [];
    let error: string | null = null;
    try {
      const conn = venues.require(venue);
      const report = await reconcileVenue(venue, conn, oms, orders, portfolio, clock, (o) => connectorFor(o.venue, o.route));
      changes = report.changes;
    } catch (err) {
      error = err instanceof TradeportError ? err.message : `Reconciliation of ${venue} failed: ${(err as Error).message ?? String(err)}`;
    }
    const stored = reconcileReports.insert({ venue, ts: clock.now(), trigger, ok: error === null, error, changes });
    audit.append({ ts: stored.ts, actor: 'reconcile', transport: 'internal', action: 'reconcile', venue, ok: stored.ok, detail: { trigger, changes, ...(error ? { error } : {}) } });
    emit({ type: 'reconcile', report: stored });
    if (error) emit({ type: 'notice', level: 'error', ts: stored.ts, message: error });
    else if (changes.length > 0) {
      const when = trigger === 'reconnect' ? 'while disconnected' : trigger === 'start' ? 'while Tradeport was closed' : 'found';
      emit({ type: 'notice', level: 'info', ts: stored.ts, message: `${venue} reconciled (${when}): ${changes.map((c) => c.message).join('; ')}` });
    }
    return stored;
  }
  venues.onStarted = async (name) => {
    // SHADOW orders resting from a previous run work again once the venue's market data is back.
    await shadowFor(name).start();
    await reconcile(name, 'start');
  };
  venues.onReconnected = (name) => track(reconcile(name, 'reconnect'));

  // ── risk, kill switch, order entry ────────────────────────────────────────────────────────────

  function ksStatus(): KillSwitchStatus {
    return { ...ks.snapshot(), workingOrders: orders.list({ workingOnly: true, limit: 100_000 }).length };
  }

  /** After every fill: today's loss at or over the daily limit trips the kill switch to REDUCING. */
  function checkDailyLoss(venue: string, instrumentId: string): void {
    if (ks.state !== 'running') return;
    const r = risk.dailyLossBreached(venue, instrumentId);
    if (!r.breached) return;
    const l = risk.limits(venue, instrumentId).dailyLossLimit;
    const reason = `Daily loss limit reached: today's P&L is ${r.realized.plus(r.unrealized).toDecimalPlaces(2).toFixed()} ${risk.accountCurrency} (limit ${l.value?.toFixed() ?? 'off'}, ${describeScope(l.scope)}).`;
    track(tripKillSwitch('reducing', false, reason, 'system'));
  }

  /** Cancels every working order on every venue and route. Orders still being sent are cancelled once acknowledged. */
  async function cancelSweep(actor: Actor): Promise<KillSwitchSweep> {
    const working = orders.list({ workingOnly: true, limit: 100_000 });
    const failed: Array<{ orderId: string; clientOrderId: string; venue: string; message: string }> = [];
    let cancelled = 0;
    await Promise.all(
      working.map(async (o) => {
        if (o.status === 'pending_submit' || o.status === 'unknown') {
          cancelWhenWorking.add(o.id);
          failed.push({ orderId: o.id, clientOrderId: o.clientOrderId, venue: o.venue, message: `still being sent (${o.status}); it is cancelled as soon as the venue acknowledges it` });
          return;
        }
        if (o.status === 'pending_cancel') return;
        try {
          const after = await oms.cancel(o.id, actor);
          if (after.status === 'cancelled' || after.status === 'pending_cancel') cancelled++;
        } catch (err) {
          failed.push({ orderId: o.id, clientOrderId: o.clientOrderId, venue: o.venue, message: (err as Error).message });
        }
      }),
    );
    const sweep = { requested: working.length, cancelled, failed };
    audit.append({ ts: clock.now(), actor, transport: 'internal', action: 'killSwitch.sweep', venue: null, ok: failed.length === 0, detail: sweep });
    return sweep;
  }

  /**
   * Closes positions with marketable orders. A real position is closed only where real orders are
   * allowed (LIVE/CANARY or Paper): flattening must not be the way a SHADOW venue first goes live.
   */
  async function flattenAll(actor: Actor): Promise<FlattenResult[]> {
    const out: FlattenResult[] = [];
    for (const e of risk.exposures()) {
      const parts: Array<{ qty: Decimal; route: StoredOrder['route'] | null; why?: string }> = [];
      const mode = venues.modeOf(e.venue).mode;
      if (!e.venueQty.isZero()) {
        parts.push(mode === 'paper' ? { qty: e.venueQty, route: 'paper' } : mode === 'live' || mode === 'canary' ? { qty: e.venueQty, route: 'live' } : { qty: e.venueQty, route: null, why: `${e.venue} is in SHADOW mode; close this real position at the venue or arm LIVE first` });
      }
      if (!e.shadowQty.isZero()) parts.push({ qty: e.shadowQty, route: 'shadow' });
      for (const p of parts) {
        const side = p.qty.isNeg() ? 'buy' : 'sell';
        const qty = p.qty.abs().toFixed();
        if (!p.route) {
          out.push({ venue: e.venue, symbol: e.symbol, side, qty, message: p.why! });
          continue;
        }
        try {
          const o = await placeOrder({ venue: e.venue, symbol: e.instrumentId, side, type: 'market', qty, tif: 'ioc' }, { actor, transport: 'internal' }, { flatten: true, route: p.route });
          out.push({ venue: e.venue, symbol: e.symbol, side, qty, orderId: o.id });
        } catch (err) {
          out.push({ venue: e.venue, symbol: e.symbol, side, qty, message: (err as Error).message });
        }
      }
    }
    audit.append({ ts: clock.now(), actor, transport: 'internal', action: 'killSwitch.flatten', venue: null, ok: out.every((r) => r.orderId), detail: { orders: out } });
    ks.flattenCompleted(actor);
    return out;
  }

  async function tripKillSwitch(mode: TripMode, flatten: boolean, reason: string, actor: Actor) {
    const r = ks.trip({ mode, flatten, reason, actor });
    if (!r.ok) throw new TradeportError(r.error.code, r.error.message);
    // Sweep even when the state did not change: a trip is also "make sure nothing is working".
    const sweep = await cancelSweep(actor);
    const flat = ks.snapshot().flattenPending ? await flattenAll(actor) : [];
    return { status: ksStatus(), changed: r.value.changed, ...(r.value.note ? { note: r.value.note } : {}), sweep, flatten: flat };
  }

  interface PreviewPlus {
    readonly preview: Preview;
    readonly reduces: boolean;
    readonly trip: { reason: string } | null;
  }

  /** The unified preview plus every risk check, for this very client id and route. */
  async function previewOrder(venue: string, inst: Instrument, ticket: NormalizedTicket, clientOrderId: string, route: Preview['route'], ctx: CallContext, flatten = false, replacing?: StoredOrder): Promise<PreviewPlus> {
    const raw = await buildPreview({ venue, connector: venues.require(venue), instrument: inst, ticket, route, clock });
    // A modify: the venue's estimate counts the working order's reservation and the new ticket
    // both, so its account check would double count; the venue checks the change itself.
    const base = replacing ? { ...raw, violations: raw.violations.filter((v) => v.code !== 'insufficient_funds' && v.code !== 'insufficient_position') } : raw;
    const r = risk.evaluate({ venue, instrument: inst, ticket, actor: ctx.actor, strategyId: ctx.strategyId, flatten, replacing });
    const has = (code: string) => base.violations.some((v) => v.code === code);
    // The venue-level checks already said it in their own words: no second message for the same problem.
    const dup = (code: string) => (code === 'risk.no_quote' && has('no_quote')) || (code === 'risk.session' && has('market_closed'));
    const violations = [...base.violations, ...r.violations.filter((v) => !dup(v.code))];
    const warnings = [...base.warnings, ...r.warnings.filter((w) => !(w.code === 'risk.no_quote' && base.warnings.some((x) => x.code === 'no_quote')))];
    const m = venues.modeOf(venue);
    return {
      preview: { ...base, allowed: violations.length === 0, violations, warnings, clientOrderId, mode: m.mode, ...(m.mode === 'canary' ? { canaryPct: m.canaryPct } : {}) },
      reduces: r.reduces,
      trip: r.tripKillSwitch,
    };
  }

  /**
   * Refuses (`unsupported_order`) what the connector of this route cannot carry, naming the venue
   * and the alternative. A SHADOW order is simulated by the Paper engine, so it follows Paper's
   * capabilities even when the real venue could take it (then the message says so).
   */
  function assertSupported(venue: string, route: StoredOrder['route'], ticket: NormalizedTicket): void {
    const conn = connectorFor(venue, route);
    if (!conn) return;
    const label = (venues.info(venue)?.label ?? venue).replace(/\s*\(.*\)\s*$/, '');
    const named = label.toLowerCase() === venue.toLowerCase() ? label : `${label} (${venue})`;
    const caps = conn.capabilities?.() ?? BASIC_CAPABILITIES;
    let who = named;
    let hint = '';
    if (route === 'shadow') {
      who = `${named} in SHADOW mode (simulated by the Paper engine)`;
      const live = venues.get(venue)?.capabilities?.() ?? BASIC_CAPABILITIES;
      if (!capabilityRefusal(live, ticket, named)) hint = `or arm LIVE to send it to ${label}`;
    }
    const r = capabilityRefusal(caps, ticket, who, hint);
    if (r) throw new TradeportError('unsupported_order', r.message, { feature: r.feature, venue, route });
  }

  type TicketInput = ReturnType<(typeof commandSchemas)['order.place']['parse']>;
  type TicketLike = Omit<TicketInput, 'tif'> & { tif: TicketInput['tif'] };

  /** Every order (user, CLI, strategy, flatten) enters here: preview + risk, then the OMS. */
  async function placeOrder(i: TicketLike, ctx: CallContext, opts: { flatten?: boolean; route?: StoredOrder['route'] } = {}): Promise<StoredOrder> {
    const { inst, ticket } = resolveTicket(i, findInstrument(i.venue, i.symbol));
    if (i.clientOrderId) {
      // A repeated idempotency key returns the order it made (or refuses a different one), even if the market has moved since.
      const existing = orders.byClientId(i.clientOrderId);
      if (existing) return oms.place({ venue: i.venue, instrument: inst, ticket, clientOrderId: i.clientOrderId, route: existing.route, actor: ctx.actor });
    }
    const clientOrderId = i.clientOrderId ?? oms.newClientOrderId();
    const route = opts.route ?? venues.route(i.venue, clientOrderId);
    // What the route's connector cannot carry is refused here: nothing journaled, nothing sent.
    assertSupported(i.venue, route, ticket);
    const p = await previewOrder(i.venue, inst, ticket, clientOrderId, route, ctx, opts.flatten === true);
    if (p.trip && ks.state === 'running') await tripKillSwitch('reducing', false, p.trip.reason, 'system');
    if (!p.preview.allowed) {
      const v = p.preview.violations;
      audit.append({ ts: clock.now(), actor: ctx.actor, transport: ctx.transport, action: 'risk.breach', venue: i.venue, ok: false, detail: { symbol: inst.symbol, side: ticket.side, qty: ticket.qty, clientOrderId, route, violations: v } });
      throw new TradeportError(refusalCode(v.map((x) => x.code)), v.map((x) => x.message).join(' '), { violations: v, clientOrderId, route });
    }
    const key = risk.rateKeyFor(ctx.actor, ctx.strategyId);
    return oms.place({
      venue: i.venue,
      instrument: inst,
      ticket,
      clientOrderId,
      route,
      actor: ctx.actor,
      gate: () => {
        // The preview awaited the venue; the kill switch may have tripped since. Checked in the same tick as the journal write.
        if (!ks.allows(p.reduces) && !(opts.flatten && p.reduces)) {
          const snap = ks.snapshot();
          throw new TradeportError('halted', `Trading is ${snap.state} by the kill switch${snap.reason ? ` (${snap.reason})` : ''}; the order was not sent.`);
        }
        risk.rate.record(key);
      },
    });
  }

  type ReplaceCommandInput = ReturnType<(typeof commandSchemas)['order.replace']['parse']>;

  /** Modify a working order: the merged ticket goes through the same preview + risk as a new one, then the OMS. */
  async function replaceOrder(i: ReplaceCommandInput, ctx: CallContext): Promise<StoredOrder> {
    const o = findOrder(i.id, i.venue);
    const inst = venues.get(o.venue)?.instrument(o.instrumentId);
    if (!inst) throw new TradeportError('venue_unavailable', `Venue "${o.venue}" is not running (or no longer lists ${o.symbol}); the order stays as it is.`);
    const { ticket, changes } = mergeReplace(o, i, inst);
    if (changes.qty === undefined && changes.limitPrice === undefined && changes.stopPrice === undefined) return o;
    const p = await previewOrder(o.venue, inst, ticket, o.clientOrderId, o.route, ctx, false, o);
    if (p.trip && ks.state === 'running') await tripKillSwitch('reducing', false, p.trip.reason, 'system');
    if (!p.preview.allowed) {
      const v = p.preview.violations;
      audit.append({ ts: clock.now(), actor: ctx.actor, transport: ctx.transport, action: 'risk.breach', venue: o.venue, ok: false, detail: { symbol: inst.symbol, side: ticket.side, qty: ticket.qty, clientOrderId: o.clientOrderId, route: o.route, replace: changes, violations: v } });
      throw new TradeportError(refusalCode(v.map((x) => x.code)), v.map((x) => x.message).join(' '), { violations: v, clientOrderId: o.clientOrderId, route: o.route });
    }
    return oms.replace(o.id, changes, ctx.actor, () => {
      // The preview awaited the venue; the kill switch may have tripped since.
      if (!ks.allows(p.reduces)) {
        const snap = ks.snapshot();
        throw new TradeportError('halted', `Trading is ${snap.state} by the kill switch${snap.reason ? ` (${snap.reason})` : ''}; the change was not sent.`);
      }
    });
  }

  /** An order by local id, client order id or venue order id. */
  function findOrder(id: string, venue?: string): StoredOrder {
    const o = orders.byId(id) ?? orders.byClientId(id) ?? (venue ? orders.byVenueOrderId(venue, id) : venues.list().map((v) => orders.byVenueOrderId(v.name, id)).find(Boolean));
    if (!o || (venue && o.venue !== venue)) throw new TradeportError('order_not_found', `No order "${id}"${venue ? ` on ${venue}` : ''}. List working orders with: tradeport orders`);
    return o;
  }

  function limitView(limits: EffectiveLimits, f: LimitField, symbol?: string): RiskLimitView {
    const l = limits[f];
    return { key: KEY_OF_FIELD[f], value: l.value === null ? null : l.value.toFixed(), scope: describeScope(l.scope, symbol) };
  }

  const handlers: CommandHandlers = {
    'engine.info': () => info,
    'engine.stats': () => {
      const mem = process.memoryUsage();
      return { uptimeMs: clock.now() - info.startedAt, rssBytes: mem.rss, heapUsedBytes: mem.heapUsed, events: { ...eventCounts } };
    },
    'snapshot.get': (): Snapshot => {
      const quotes: QuoteView[] = [];
      for (const v of venues.list()) {
        const conn = venues.get(v.name);
        if (!conn) continue;
        for (const inst of conn.instruments()) {
          const q = quoteView(v.name, inst);
          if (q) quotes.push(q);
        }
      }
      const working = orders.list({ workingOnly: true, limit: 5000 });
      const recent = orders.list({ limit: 300 });
      const seen = new Set(working.map((o) => o.id));
      return {
        info,
        venues: venues.list(),
        orders: [...working, ...recent.filter((o) => !seen.has(o.id))],
        fills: orders.fills({ limit: 300 }),
        positions: portfolio.positions().map(withMark),
        balances: portfolio.balances(),
        quotes,
        venueHealth: health.latest(),
      };
    },
    'venues.list': () => venues.list(),
    'venue.kinds': () => venues.kinds(),
    'venue.add': (i) => venues.add(i.kind, i.name, i.settings),
    'venue.set': (i) => venues.set(i.name, i.settings),
    'venue.remove': async (i) => {
      const working = orders.list({ venue: i.name, workingOnly: true, limit: 1 });
      if (working.length > 0) {
        throw new TradeportError('invalid_input', `Venue "${i.name}" still has working orders. Cancel them first (tradeport cancel-all ${i.name}).`);
      }
      await venues.remove(i.name);
      portfolio.clearVenue(i.name);
      health.forget(i.name);
      return { name: i.name, removed: true as const };
    },
    'secret.set': (i) => venues.setSecret(i.venue, i.field, i.value),
    'secret.status': (i) => venues.secretStatus(i.venue),
    'instruments.search': async (i) => {
      const conn = venues.require(i.venue);
      const q = i.query.trim().toUpperCase();
      // Ask venues that look instruments up remotely first, so a symbol never seen before is found.
      if (q && conn.searchInstruments) await conn.searchInstruments(q).catch(() => []);
      const rank = (inst: Instrument) => {
        if (!q) return 3;
        const s = inst.symbol.toUpperCase();
        if (s === q || inst.venueSymbol.toUpperCase() === q) return 0;
        if (s.startsWith(q) || inst.base.toUpperCase().startsWith(q)) return 1;
        if (s.includes(q) || inst.description.toUpperCase().includes(q)) return 2;
        return -1;
      };
      return conn
        .instruments()
        .map((inst) => [rank(inst), inst] as const)
        .filter(([r]) => r >= 0)
        .sort((a, b) => a[0] - b[0] || a[1].symbol.localeCompare(b[1].symbol))
        .slice(0, i.limit)
        .map(([, inst]) => inst);
    },
    'quote.get': (i) => {
      const inst = findInstrument(i.venue, i.symbol);
      const q = quoteView(i.venue, inst);
      if (!q) throw new TradeportError('no_quote', `No quote for ${inst.symbol} on ${i.venue} yet.`);
      return q;
    },
    'book.get': (i) => {
      const inst = findInstrument(i.venue, i.symbol);
      const b = venues.require(i.venue).book(inst.id, i.depth);
      if (!b) throw new TradeportError('no_quote', `No order book for ${inst.symbol} on ${i.venue} yet.`);
      return { ...b, venue: i.venue, symbol: inst.symbol };
    },
    'order.preview': async (i, ctx) => {
      const { inst, ticket } = resolveTicket(i, findInstrument(i.venue, i.symbol));
      // The preview reserves nothing: it names the client id the route was computed for, and the ticket sends it back on place.
      const existing = i.clientOrderId ? orders.byClientId(i.clientOrderId) : undefined;
      const clientOrderId = i.clientOrderId ?? oms.newClientOrderId();
      const route = existing?.route ?? venues.route(i.venue, clientOrderId);
      assertSupported(i.venue, route, ticket);
      return (await previewOrder(i.venue, inst, ticket, clientOrderId, route, ctx)).preview;
    },
    'order.place': (i, ctx) => placeOrder(i, ctx),
    'order.cancel': (i, ctx) => {
      const o =
        orders.byId(i.id) ??
        orders.byClientId(i.id) ??
        (i.venue ? orders.byVenueOrderId(i.venue, i.id) : venues.list().map((v) => orders.byVenueOrderId(v.name, i.id)).find(Boolean));
      if (!o || (i.venue && o.venue !== i.venue)) throw new TradeportError('order_not_found', `No order "${i.id}"${i.venue ? ` on ${i.venue}` : ''}. List working orders with: tradeport orders`);
      // A bracket entry takes its working children with it (oms/brackets.ts).
      return cancelWithChildren(orders, (id) => oms.cancel(id, ctx.actor), o.id, (child, err) =>
        emit({ type: 'notice', level: 'warn', ts: clock.now(), message: `Cancelled ${o.clientOrderId}, but its ${child.leg ?? 'child'} order ${child.clientOrderId} could not be cancelled: ${err.message}` }),
      );
    },
    'order.replace': (i, ctx) => replaceOrder(i, ctx),
    'order.cancelAll': async (i, ctx) => {
      const working = orders.list({ workingOnly: true, limit: 100_000, ...(i.venue ? { venue: i.venue } : {}) }).filter((o) => o.status !== 'pending_cancel' && o.status !== 'pending_submit');
      const results = await Promise.allSettled(working.map((o) => oms.cancel(o.id, ctx.actor)));
      return { requested: working.length, orders: results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])) };
    },
    'orders.list': (i) => orders.list({ workingOnly: !i.all, limit: i.limit, ...(i.venue ? { venue: i.venue } : {}) }),
    'fills.list': (i) => orders.fills({ limit: i.limit, ...(i.venue ? { venue: i.venue } : {}) }),
    'positions.list': (i) => portfolio.positions(i.venue).map(withMark),
    'balances.list': (i) => portfolio.balances(i.venue),

    'mode.set': (i, ctx) => {
      const rec = venues.record(i.venue);
      if (!rec) throw new TradeportError('unknown_venue', `Unknown venue "${i.venue}". Configured venues: ${venues.list().map((v) => v.name).join(', ')}.`);
      const cur = venues.modeOf(i.venue);
      if (cur.mode === 'paper') throw new TradeportError('invalid_input', `${i.venue} is the simulated Paper venue: it has no SHADOW/CANARY/LIVE modes and never sends real orders.`);
      const v = validateModeChange({ venue: i.venue, from: cur.mode as RoutingMode, fromCanaryPct: cur.canaryPct, to: i.mode, canaryPct: i.canaryPct, arm: i.arm, typedVenueName: i.typedVenueName, liveCapable: true });
      if (!v.ok) throw new TradeportError(v.error.code, v.error.message);
      const c = v.value;
      const info = c.changed ? venues.setMode(i.venue, c.to, c.canaryPct) : venues.info(i.venue)!;
      if (c.changed) {
        const share = (m: VenueMode, p: number | null) => (m === 'live' ? 100 : m === 'canary' ? (p ?? 0) : 0);
        const action = c.armed ? 'mode.arm' : share(c.to, c.canaryPct) < share(c.from, cur.canaryPct) ? 'mode.disarm' : 'mode.change';
        audit.append({ ts: clock.now(), actor: ctx.actor, transport: ctx.transport, action, venue: i.venue, ok: true, detail: { from: c.from, fromCanaryPct: cur.mode === 'canary' ? cur.canaryPct : null, to: c.to, canaryPct: c.canaryPct, armed: c.armed, via: i.typedVenueName !== undefined ? 'typed venue name' : i.arm ? '--arm' : 'none needed', summary: c.summary } });
        emit({ type: 'notice', level: c.armed ? 'warn' : 'info', ts: clock.now(), message: c.summary });
      }
      return { venue: info, from: cur.mode, to: c.to, canaryPct: c.canaryPct, changed: c.changed, armed: c.armed, summary: c.summary };
    },
    'killSwitch.trip': (i, ctx) => tripKillSwitch(i.mode, i.flatten, i.reason ?? `Tripped by ${ctx.actor} (${ctx.transport}).`, ctx.actor),
    'killSwitch.reset': (i, ctx) => {
      const r = ks.reset({ confirm: i.confirm, actor: ctx.actor, ...(i.note ? { note: i.note } : {}) });
      if (!r.ok) throw new TradeportError(r.error.code, r.error.message);
      cancelWhenWorking.clear();
      return { status: ksStatus(), changed: r.value.changed, ...(r.value.note ? { note: r.value.note } : {}) };
    },
    'killSwitch.status': () => ksStatus(),
    'risk.get': (i) => {
      if (i.symbol && !i.venue) throw new TradeportError('invalid_input', 'Limits for a symbol need its venue too (--venue).');
      const inst = i.venue && i.symbol ? findInstrument(i.venue, i.symbol) : undefined;
      const limits = resolveLimits(risk.config, i.venue ?? '', inst?.id ?? '');
      return {
        venue: i.venue ?? null,
        symbol: inst?.symbol ?? null,
        instrumentId: inst?.id ?? null,
        effective: LIMIT_FIELDS.map((f) => limitView(limits, f, inst?.symbol)),
        configured: risk.config,
        killSwitch: ks.state,
      };
    },
    'risk.set': (i) => {
      if (i.venue && !venues.record(i.venue)) throw new TradeportError('unknown_venue', `Unknown venue "${i.venue}".`);
      const inst = i.venue && i.symbol ? findInstrument(i.venue, i.symbol) : undefined;
      risk.set({ field: i.field, value: i.value, venue: i.venue, instrumentId: inst?.id });
      const limits = resolveLimits(risk.config, i.venue ?? '', inst?.id ?? '');
      return { key: i.key, value: i.value, venue: i.venue ?? null, symbol: inst?.symbol ?? null, instrumentId: inst?.id ?? null, effective: limitView(limits, i.field, inst?.symbol) };
    },
    'reconcile.run': async (i) => {
      const names = i.venue ? [venues.require(i.venue).name] : venues.list().filter((v) => venues.get(v.name)).map((v) => v.name);
      const out: ReconcileReportView[] = [];
      for (const n of names) out.push(await reconcile(n, 'manual'));
      return out;
    },
    'reconcile.reports': (i) => reconcileReports.list({ limit: i.limit, ...(i.venue ? { venue: i.venue } : {}) }),
    'audit.list': (i) => audit.list(auditFilters(i)),
    'audit.csv': (i) => {
      const rows = audit.list(auditFilters(i));
      return { csv: auditToCsv(rows), rows: rows.length };
    },
  };

  let closed = false;
  const callRaw = createDispatcher({ handlers, audit, clock, closed: () => closed });

  await venues.startAll();
  if (ks.state !== 'running') {
    // Restored tripped: a crash may have cut the last sweep short, and orders may have been placed elsewhere since.
    await cancelSweep('system');
    if (ks.snapshot().flattenPending) await flattenAll('system');
    emit({ type: 'killSwitch', state: ksStatus() });
  }

  const engine: Engine = {
    info,
    internals: {
      db,
      venues,
      oms,
      orders,
      audit,
      risk,
      reconcileReports,
      health,
      shadow: shadowFor,
      async idle() {
        while (background.size > 0 || reconciling.size > 0) await Promise.allSettled([...background, ...reconciling.values()]);
      },
    },
    call: <C extends CommandName>(command: C, input: unknown, ctx?: CallContext) => callRaw(command, input, ctx) as Promise<Result<CommandOutput<C>>>,
    callRaw,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...background, ...reconciling.values()]);
      oms.close();
      await venues.stopAll();
      listeners.clear();
      db.close();
    },
  };
  return engine;
}

/** The error code of a refused order: the kill switch first, then a venue-specific code, else risk_violation. */
function refusalCode(codes: readonly string[]): ErrorCode {
  if (codes.some((c) => c === 'risk.halted' || c === 'risk.reducing_only')) return 'halted';
  const specific: readonly ErrorCode[] = ['insufficient_funds', 'insufficient_position', 'market_closed', 'no_quote', 'notional_below_minimum'];
  return specific.find((c) => c === codes[0]) ?? 'risk_violation';
}

function auditFilters(i: { action?: string | undefined; venue?: string | undefined; actor?: string | undefined; sinceTs?: number | undefined; limit: number }) {
  return { limit: i.limit, ...(i.action ? { action: i.action } : {}), ...(i.venue ? { venue: i.venue } : {}), ...(i.actor ? { actor: i.actor } : {}), ...(i.sinceTs !== undefined ? { sinceTs: i.sinceTs } : {}) };
}

export type { VenueInfo };
