/**
 * Composition root. Builds the engine from a config object: store, venues, order manager, risk and
 * kill switch, order entry, reconciliation, the command table and the event fan-out. Electron, the
 * headless bridge and the CLI all talk to the result through `callRaw` / `subscribe` and nothing
 * else. The behaviour lives in the parts; this file only says which part talks to which.
 */
import fs from 'node:fs';
import type { CommandName, CommandOutput, EngineInfo, VenueInfo } from './api/commands';
import type { Result } from './api/errors';
import type { CallContext, EngineApi } from './api/engine-api';
import type { EngineEvent } from './api/events';
import { Decimal } from './domain/money';
import type { Clock, Timers } from './ports/clock';
import { systemClock } from './ports/clock';
import { SeededRandom } from './ports/random';
import type { SecretStore } from './ports/secrets';
import type { Db } from './store/db';
import { openJournal } from './store/journal-file';
import { BackupScheduler } from './store/backups';
import { StorageHealth } from './store/storage-health';
import { OrdersRepo } from './store/orders-repo';
import { GroupCommit } from './store/group-commit';
import { AuditRepo } from './store/audit-repo';
import { EngineStateRepo } from './store/kv';
import { ReconcileRepo } from './store/reconcile-repo';
import { VenuesRepo } from './store/venues-repo';
import { PortfolioRepo } from './store/portfolio-repo';
import { OrderManager } from './oms/order-manager';
import { OrderEntry } from './oms/order-entry';
import { ReconcileScheduler } from './oms/reconcile-scheduler';
import { RouteConnectors } from './oms/route-connectors';
import { ShadowTwins } from './oms/shadow-twins';
import { TwinsRepo } from './store/twins-repo';
import type { ShadowExecutor } from './oms/shadow-executor';
import { withMark } from './portfolio/marks';
import { RiskService } from './risk/risk-service';
import { KillSwitchOps } from './risk/kill-switch-ops';
import { VenueManager } from './venues/venue-manager';
import { VenueHealthMonitor } from './venues/health-monitor';
import type { StrategyRegistry } from './ports/strategies';
import { applyVenueMigrations, VENUE_FACTORIES } from './venues/registry';
import { PaperStore } from './venues/paper';
import type { VenueFactory, VenueListener } from './venues/venue-port';
import type { CommandHandlers } from './api/engine-api';
import { createDispatcher } from './dispatcher';
import { BackgroundTasks } from './background-tasks';
import { engineInfoCommands } from './commands/engine-info';
import { venueCommands } from './commands/venues';
import { marketDataCommands } from './commands/market-data';
import { optionChainCommands } from './commands/option-chain';
import { orderCommands } from './commands/orders';
import { positionCommands } from './commands/positions';
import { bookWatchCommands } from './commands/book-watch';
import { BookWatch } from './market/book-watch';
import { priceAlertCommands } from './commands/price-alerts';
import { deskPrefsCommands } from './commands/desk-prefs';
import { DeskPrefsRepo } from './store/desk-prefs-repo';
import { isLiveState, OneClickArming } from './risk/one-click-arming';
import { DailyLossWatch } from './risk/daily-loss-watch';
import { PriceAlertMonitor } from './portfolio/price-alert-monitor';
import { PriceAlertsRepo } from './store/price-alerts-repo';
import { riskCommands } from './commands/risk';
import { auditReconcileCommands } from './commands/audit-reconcile';
import { qualityCommands } from './commands/quality';
import { accountCommands, accountNow } from './commands/account';
import { equityCommands } from './commands/equity';
import { barsCommands } from './commands/bars';
import { EquityHistory } from './portfolio/equity-history';
import { EquityRepo } from './store/equity-repo';
import { strategyCommands } from './commands/strategies';
import { StrategyStore } from './strategies/strategy-store';
import { StrategyRunner } from './strategies/strategy-runner';
import { strategySandboxes } from './strategy-sandbox';
import { newStrategyId } from './strategies/strategy-types';
import { pnlTotals, portfolioCommands } from './commands/portfolio';
import { LedgerRepo } from './store/ledger-repo';
import { LotLedger } from './portfolio/ledger-service';

export interface EngineConfig {
  readonly dataDir: string;
  readonly secrets: SecretStore;
  readonly clock?: Clock;
  /** Seed for the Paper price source (deterministic sessions in tests). */
  readonly paperSeed?: number;
  /** Paper price-source tick interval in ms (default 250). 0 disables the timer (tests step by hand). */
  readonly paperTickMs?: number;
  /** The built-in Paper venue's settings when a data dir starts for the first time (a simulation's sandbox). */
  readonly paperSettings?: Readonly<Record<string, string>>;
  readonly version?: string;
  /** Venue kinds this engine can run (default: every kind in venues/registry.ts). Tests add scripted venues here. */
  readonly venueFactories?: ReadonlyMap<string, VenueFactory>;
  /** Delays between lookups of an order whose submit outcome is unknown. */
  readonly unknownLookupDelays?: readonly number[];
  /** Currency of money risk limits and equity (default USD). */
  readonly accountCurrency?: string;
  /** Replaces the strategy runner's breaker hook (a venue's breaker OPEN pauses its strategies, CLOSED resumes them); tests only. */
  readonly strategies?: StrategyRegistry;
  /** The oldest quote a strategy prices a step from (default 10 s); a simulation's sandbox, whose prices move once a tick, allows its tick. */
  readonly strategyQuoteMaxAgeMs?: number;
  /** The trader's IANA time zone: where "today" starts for crypto and other 24-hour markets (default UTC). */
  readonly timeZone?: string;
  /** How often the equity curve samples the account (default every minute); a test that moves its clock by days samples less. */
  readonly equityEveryMs?: number;
  /** Rolling journal backups: interval (default 6 h; 0 = only the one at start) and how many are kept (default 5). */
  readonly backups?: { readonly everyMs?: number; readonly keep?: number };
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
    /** The strategy loops (strategies/strategy-runner.ts). */
    readonly strategies: StrategyRunner;
    /** The SHADOW route of a venue (created on first use). */
    shadow(venue: string): ShadowExecutor;
    /** CANARY's SHADOW twins of live orders (never in the journal's orders or fills). */
    readonly twins: TwinsRepo;
    /** Resolves once background work started by events (kill-switch sweeps, reconciliations) has finished. */
    idle(): Promise<void>;
  };
  close(): Promise<void>;
}

export async function createEngine(config: EngineConfig): Promise<Engine> {
  const clock = config.clock ?? systemClock;
  fs.mkdirSync(config.dataDir, { recursive: true });
  // Checked before anything writes: a damaged or emptied journal stops the start with a message naming the backup.
  const db = openJournal(config.dataDir, clock.now());
  const factories = config.venueFactories ?? VENUE_FACTORIES;
  // Every venue kind this build knows owns its tables; they exist before any connector is built.
  applyVenueMigrations(db, factories, () => clock.now());
  const orders = new OrdersRepo(db);
  const audit = new AuditRepo(db);
  const venuesRepo = new VenuesRepo(db);
  const portfolio = new PortfolioRepo(db);
  const state = new EngineStateRepo(db);
  const reconcileReports = new ReconcileRepo(db);
  const random = new SeededRandom((config.paperSeed ?? Date.now()) ^ 0x5eed);
  const info: EngineInfo = { version: config.version ?? '0.1.0', dataDir: config.dataDir, pid: process.pid, startedAt: clock.now() };

  // ── event fan-out ─────────────────────────────────────────────────────────────────────────────

  const listeners = new Set<(e: EngineEvent) => void>();
  const eventCounts: Record<string, number> = {};
  /**
   * Group commit (store/group-commit.ts): a venue's burst of reports, or the strategy decisions of
   * one turn, in one transaction; events and sends wait for its commit.
   */
  const commits = new GroupCommit(db, (err) => emit({ type: 'notice', level: 'error', ts: clock.now(), message: `After a journal commit: ${(err as Error).message ?? String(err)}` }));
  /** No event leaves the engine before the writes it tells of are committed. */
  const emit = (e: EngineEvent) => (commits.open ? commits.afterCommit(() => fanOut(e)) : fanOut(e));
  const fanOut = (e: EngineEvent) => {
    eventCounts[e.type] = (eventCounts[e.type] ?? 0) + 1;
    for (const l of listeners) {
      try {
        l(e);
      } catch {
        // A broken listener (a closed socket) must not stop the others or the engine.
      }
    }
  };
  /** OMS events also tell the kill switch when an order its sweep is waiting for becomes cancellable. */
  const omsEmit = (e: EngineEvent) => {
    // The lot ledger takes the fill first, so a screen that asks on this event sees it.
    if (e.type === 'fill') onLedgerFill(e.fill.id);
    emit(e);
    commits.afterCommit(() => {
      killSwitch.onOrderEvent(e);
      // CANARY: a live order gets its SHADOW twin, and the twin follows its cancel or modify.
      twins.onOrderEvent(e);
    });
  };
  /** Daily-loss checks waiting for the open group's commit, by venue and instrument: one each per burst (all read the same journal). */
  const lossChecks = new Set<string>();
  /**
   * Order reports and fills of a venue, real or SHADOW, go into the OMS; each fill is then checked
   * against the daily loss limit (after its commit: a trip cancels orders). A burst (a tick's
   * fills) is journaled in one transaction.
   */
  const executionReports = (venue: string): Pick<VenueListener, 'orderReport' | 'fill' | 'burst'> => ({
    orderReport: (r) => oms.applyReport(venue, r, 'venue'),
    fill: (f) => {
      oms.applyFill(venue, f, 'venue');
      const key = `${venue}\u0000${f.instrumentId}`;
      if (lossChecks.has(key)) return;
      lossChecks.add(key);
      commits.afterCommit(() => {
        lossChecks.delete(key);
        killSwitch.checkDailyLoss(venue, f.instrumentId);
      });
    },
    burst: (deliver) => commits.run(deliver),
  });

  // ── the parts, in dependency order ────────────────────────────────────────────────────────────
  // Some parts call each other both ways (a fill reaches the kill switch, whose flatten places
  // orders through order entry, which can trip the kill switch). Those calls are closures over
  // parts built further down; none of them runs before createEngine has built everything.

  /** Disk full / read-only journal: reported once, new orders refused, reconciled when writes work again. */
  const storage = new StorageHealth({
    clock,
    emit,
    probe: () => state.set('storage_probe', clock.now()),
    onRecovered: () => {
      for (const v of venues.list()) if (venues.get(v.name)) track(reconciler.reconcile(v.name, 'manual'));
    },
  });
  const reportStorage = (err: unknown) => void storage.report(err);

  // Strategies place orders through the engine API (callRaw, below) like any trader, and read the order journal.
  const strategies: StrategyRunner = new StrategyRunner({
    store: new StrategyStore(db, () => clock.now()),
    commits,
    timers: 'setTimeout' in clock ? (clock as Timers) : systemClock,
    call: (command, input, ctx) => callRaw(command, input, ctx),
    orderByClientId: (id) => orders.byClientId(id),
    fillsOfOrder: (id) => orders.fills({ orderId: id, limit: 100_000 }).reverse(),
    emit,
    userActed: (id) => health.userActed(id),
    newId: () => newStrategyId(clock.now(), random.next()),
    sandboxes: strategySandboxes(createEngine, () => venuesRepo.get('paper')?.settings),
    ...(config.strategyQuoteMaxAgeMs !== undefined ? { quoteMaxAgeMs: config.strategyQuoteMaxAgeMs } : {}),
  });
  listeners.add((e) => strategies.onEvent(e));
  // One-click's armed state lives for this session only: an arm left open by the last run (kept in engine_state) is closed in the audit log now.
  const arming = new OneClickArming({ audit, state, now: () => clock.now(), emit });
  arming.closeDangling();
  listeners.add((e) => arming.onEvent(e));
  const health = new VenueHealthMonitor({ emit, clock, strategies: config.strategies ?? strategies.breakerHook });
  /** Background work started from event handlers; `internals.idle()` and close() wait for it. */
  const tasks = new BackgroundTasks({ emit, clock });
  const track = (p: Promise<unknown>) => tasks.track(p);

  const risk = new RiskService({
    state,
    orders,
    portfolio,
    clock,
    connector: (v) => venues.get(v),
    connectors: () => venues.runningEntries(),
    ...(config.accountCurrency ? { accountCurrency: config.accountCurrency } : {}),
    onProblem: (message) => emit({ type: 'notice', level: 'warn', ts: clock.now(), message }),
    accountKey: (v) => venues.accountKey(v),
  });

  // The DOM ladder's books: sent on each quote of a watched instrument (market/book-watch.ts).
  const bookWatch = new BookWatch({ book: (v, id, depth) => venues.get(v)?.book(id, depth), emit: (venue, book) => emit({ type: 'book', venue, book }) });
  const priceAlerts = new PriceAlertsRepo(db);
  const alertMonitor = new PriceAlertMonitor({ repo: priceAlerts, now: () => clock.now(), fired: (alert) => emit({ type: 'priceAlert', alert }) });
  const venues = new VenueManager({
    db,
    repo: venuesRepo,
    clock,
    secrets: config.secrets,
    paperSeed: config.paperSeed,
    paperTickMs: config.paperTickMs,
    paperSettings: config.paperSettings,
    factories,
    emit,
    forgetVenue: (venue) => {
      portfolio.clearVenue(venue);
      bookWatch.dropVenue(venue);
    },
    listener: (venue) => ({
      ...executionReports(venue),
      quote: (q) => {
        const inst = venues.get(venue)?.instrument(q.instrumentId);
        emit({ type: 'quote', quote: { ...q, venue, symbol: inst?.symbol ?? q.instrumentId } });
        bookWatch.onQuote(venue, q.instrumentId);
        alertMonitor.onQuote(venue, q);
        // SHADOW orders rest against this venue's real market: a new quote may fill them.
        routes.existingShadow(venue)?.onMarketData(q.instrumentId);
        twins.onMarketData(venue, q.instrumentId);
      },
      position: (p) => {
        if (new Decimal(p.qty).isZero()) portfolio.deletePosition(venue, p.instrumentId);
        else portfolio.upsertPosition(p, clock.now());
        emit({ type: 'position', position: withMark(venues, p) });
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
      storageFault: reportStorage,
    }),
  });

  const ledgerRepo = new LedgerRepo(db, () => clock.now());
  const ledger = new LotLedger({ repo: ledgerRepo, instrument: (v, id) => venues.get(v)?.instrument(id) });
  const onLedgerFill = (fillId: string) => {
    try {
      ledger.onFill(fillId);
    } catch (err) {
      emit({ type: 'notice', level: 'warn', ts: clock.now(), message: `The lot ledger could not take fill ${fillId}: ${(err as Error).message ?? String(err)}` });
    }
  };
  // A rolled-back group leaves no trace in memory either: the working-order index and the lot ledger are rebuilt from the rows.
  commits.onRollback(() => {
    orders.forgetWorking();
    ledger.rebuild();
    // Their deferred checks were dropped with the group: the next fills ask again.
    lossChecks.clear();
  });

  const routes = new RouteConnectors({ simStore: (key) => new PaperStore(db, key), clock, venue: (v) => venues.get(v), reports: executionReports });
  const connectorFor = routes.connectorFor.bind(routes);
  const twinsRepo = new TwinsRepo(db);
  const twins = new ShadowTwins({
    repo: twinsRepo,
    clock,
    modeOf: (v) => venues.modeOf(v).mode,
    simStore: (key) => new PaperStore(db, key),
    venue: (v) => venues.get(v),
  });

  const oms = new OrderManager({
    repo: orders,
    clock,
    random,
    emit: omsEmit,
    connector: connectorFor,
    onStorageError: reportStorage,
    ...(config.unknownLookupDelays ? { unknownLookupDelays: config.unknownLookupDelays } : {}),
  });

  const killSwitch: KillSwitchOps = new KillSwitchOps({
    orders,
    oms,
    audit,
    clock,
    risk,
    venueModes: venues,
    placeOrder: (i, ctx, opts) => entry.place(i, ctx, opts),
    track,
    emit,
    dailyLoss: new DailyLossWatch({ emit, now: () => clock.now() }),
  });

  const entry: OrderEntry = new OrderEntry({
    venues,
    orders,
    oms,
    risk,
    audit,
    clock,
    connectorFor,
    tripKillSwitch: (mode, flatten, reason, actor) => killSwitch.trip(mode, flatten, reason, actor),
  });

  const reconciler = new ReconcileScheduler({ venues, oms, orders, portfolio, clock, reports: reconcileReports, audit, emit, connectorFor });
  venues.onStarted = async (name) => {
    // SHADOW orders resting from a previous run work again once the venue's market data is back.
    await routes.shadowFor(name).start();
    await twins.start(name);
    await reconciler.reconcile(name, 'start');
  };
  venues.onReconnected = (name) => track(reconciler.reconcile(name, 'reconnect'));

  // The equity curve: the account's net liquidation sampled every minute into SQLite.
  const equityHistory = new EquityHistory({
    repo: new EquityRepo(db, () => clock.now()),
    timers: 'setTimeout' in clock ? (clock as Timers) : systemClock,
    summary: () => accountNow({ venues, portfolio, risk, clock }),
    pnl: pnlTotals({ ledger, repo: ledgerRepo, venues, risk, clock, ...(config.timeZone ? { timeZone: config.timeZone } : {}) }),
    onError: reportStorage,
    ...(config.equityEveryMs !== undefined ? { everyMs: config.equityEveryMs } : {}),
  });

  // ── the command table ─────────────────────────────────────────────────────────────────────────

  const handlers: CommandHandlers = {
    ...engineInfoCommands({ info, clock, eventCounts, venues, orders, portfolio, health, storage: () => storage.status() }),
    ...venueCommands({ venues, orders, portfolio, health, audit, clock, emit }),
    ...marketDataCommands({ venues }),
    ...optionChainCommands({ venues }),
    ...orderCommands({ entry, oms, orders, portfolio, venues, clock, emit, assertWritable: () => storage.assertWritable(), track, oneClickArmed: (v) => arming.isArmed(v) }),
    ...riskCommands({ killSwitch, risk, venues }),
    ...auditReconcileCommands({ audit, reconciler, reconcileReports, venues }),
    ...qualityCommands({ db, clock, twins: twinsRepo }),
    ...accountCommands({ venues, portfolio, risk, clock }),
    ...strategyCommands({ runner: strategies }),
    ...equityCommands({ history: equityHistory }),
    ...barsCommands({ venues }),
    ...portfolioCommands({ ledger, repo: ledgerRepo, venues, risk, clock, ...(config.timeZone ? { timeZone: config.timeZone } : {}) }),
    ...bookWatchCommands({ venues, watch: bookWatch }),
    ...priceAlertCommands({ venues, repo: priceAlerts, monitor: alertMonitor, now: () => clock.now() }),
    ...positionCommands({ entry, oms, orders, portfolio, assertWritable: () => storage.assertWritable() }),
    ...deskPrefsCommands({
      repo: new DeskPrefsRepo(db),
      now: () => clock.now(),
      haltState: () => killSwitch.status().state,
      venueExists: (v) => venues.get(v) !== undefined,
      venueLive: (v) => isLiveState(venues.info(v)?.state),
      arming,
    }),
  };

  let closed = false;
  const callRaw = createDispatcher({ handlers, audit, clock, closed: () => closed, declaredSettings: (by) => venues.declaredSettings(by), onStorageError: reportStorage });

  await venues.startAll();
  // After the venues started: their instruments give each book its currency and multiplier.
  ledger.rebuild();
  equityHistory.start();
  await killSwitch.resumeAfterRestart();
  await strategies.start();
  const backups = new BackupScheduler({
    db,
    dataDir: config.dataDir,
    now: () => clock.now(),
    ...config.backups,
    onError: (err) => {
      if (!storage.report(err)) emit({ type: 'notice', level: 'warn', ts: clock.now(), message: `Could not back up the journal: ${(err as Error).message ?? String(err)}` });
    },
  });
  void backups.start();

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
      strategies,
      shadow: (venue: string): ShadowExecutor => routes.shadowFor(venue),
      twins: twinsRepo,
      async idle() {
        while (tasks.size > 0 || reconciler.size > 0) await Promise.allSettled([...tasks.pending(), ...reconciler.pending()]);
        await strategies.idle();
        await twins.idle();
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
      await strategies.close();
      closed = true;
      await Promise.allSettled([...tasks.pending(), ...reconciler.pending()]);
      await twins.idle();
      await backups.stop();
      equityHistory.stop();
      storage.stop();
      oms.close();
      await venues.stopAll();
      listeners.clear();
      db.close();
    },
  };
  return engine;
}

export type { VenueInfo };
