/**
 * The Interactive Brokers connector: TWS / IB Gateway over its socket API (@stoqey/ib's IBApi).
 * A thin front: it wires the parts below to one session and implements the venue port.
 *
 * Why IBApi and not IBApiNext: the connector owns reconnection (pinned client id, fresh socket
 * object per session, our own backoff) and pacing (the network kit's limiter). IBApiNext brings
 * its own reconnect loop that moves to another client id, treats 1100 as a disconnect, and
 * wraps every request in observables whose sends we could not pace or prioritize.
 *
 * What it keeps in memory is a view of TWS, rebuilt at each session start (all open orders,
 * completed orders, positions, account values, market data subscriptions) and kept current by
 * TWS's streams. What must survive a restart is in SQLite: order ids used (ibkr-order-ids.ts)
 * and the conId cache (ibkr-instruments.ts).
 *
 * The parts: ibkr-connection (session state machine), ibkr-requests (pacing, session-bound
 * requests), ibkr-order-views (order state from TWS's streams), ibkr-orders (entry, cancel,
 * modify), ibkr-fills, ibkr-queries (open/completed orders, lookup), ibkr-market-data,
 * ibkr-account, ibkr-instrument-lookup, ibkr-preview (whatIf).
 */
import { EventName, type CommissionReport, type Contract, type Execution, type IBApi, type Order as IbOrder, type OrderState } from '@stoqey/ib';
import type { VenuePhase, VenueState } from '../../api/commands';
import type { VenueHealthReport } from '../../api/venue-health';
import type { Instrument } from '../../domain/instrument';
import type { Balance, BookSnapshot, Order, Position, Quote } from '../../domain/order';
import type { NormalizedTicket } from '../../domain/order-validation';
import type { OrderCapabilities } from '../../domain/order-capabilities';
import { CircuitBreaker, type BreakerOptions, type CallOutcome } from '../../net/circuit-breaker';
import { RateLimiter } from '../../net/rate-limiter';
import type { Timers } from '../../ports/clock';
import { VenueHealthReporter } from '../../net/venue-health';
import type {
  ReplaceAck,
  ReplaceChanges,
  SubmitAck,
  VenueAccountFigures,
  VenueConnector,
  VenueContext,
  VenueFillReport,
  VenueListener,
  VenueOrderReport,
  VenuePreview,
  VenueStatus,
} from '../venue-port';
import { IbkrAccount } from './ibkr-account';
import { ibkrPacing, readIbkrSettings, type IbkrSettings } from './ibkr-config';
import { IbkrConnection, type IbConnState, type IbSession } from './ibkr-connection';
import { IbkrFills } from './ibkr-fills';
import { IbkrInstrumentLookup } from './ibkr-instrument-lookup';
import { IbkrInstrumentCache } from './ibkr-instruments';
import { IBKR_CAPABILITIES, intentFromOrder, type IbOrderIntent, type WhatIfNumbers } from './ibkr-mapping';
import { IbkrMarketData } from './ibkr-market-data';
import { IbkrOrderIds } from './ibkr-order-ids';
import { IbkrOrderViews } from './ibkr-order-views';
import { IbkrOrders } from './ibkr-orders';
import { IbkrPreview } from './ibkr-preview';
import { IbkrQueries } from './ibkr-queries';
import { IbkrRequests, type IbkrScope } from './ibkr-requests';

export interface IbkrConnectorOptions {
  /** Timers for backoff (tests may pass fake ones). */
  readonly timers?: Timers;
  /** Breaker thresholds (default: 5 failed connection attempts → OPEN for 60 s). */
  readonly breaker?: Pick<BreakerOptions, 'failureThreshold' | 'openMs'>;
}

export class IbkrConnector implements VenueConnector {
  readonly kind = 'ibkr';
  readonly name: string;
  readonly settings: IbkrSettings;
  readonly limiter: RateLimiter;
  /**
   * Counts failed connection attempts and lost sessions to TWS: 5 in a row open it, which the
   * engine shows in the status bar and uses to pause this venue's strategies. Order entry itself
   * is governed by the connection state (no session, no order), so the breaker never blocks a
   * working connection.
   */
  readonly breaker: CircuitBreaker;
  private readonly healthReporter: VenueHealthReporter;
  readonly conn: IbkrConnection;
  private readonly rq: IbkrRequests;
  private readonly cache: IbkrInstrumentCache;
  private readonly ids: IbkrOrderIds;
  private readonly lookupParts: IbkrInstrumentLookup;
  private readonly market: IbkrMarketData;
  private readonly account: IbkrAccount;
  private readonly views: IbkrOrderViews;
  private readonly orders: IbkrOrders;
  private readonly fills: IbkrFills;
  private readonly queries: IbkrQueries;
  private readonly previews: IbkrPreview;
  private listener: VenueListener | undefined;
  private status: VenueStatus = { state: 'disconnected', detail: 'not started', phase: 'down' };
  /** Last version TWS announced: still shown while TWS restarts. */
  private lastServerVersion?: string;
  /** A problem to show on the status line while connected (pacing violation, watchlist, account). */
  private problem = '';

  constructor(ctx: VenueContext, opts: IbkrConnectorOptions = {}) {
    this.name = ctx.name;
    this.settings = readIbkrSettings(ctx.settings);
    this.cache = new IbkrInstrumentCache(ctx.db, ctx.name);
    this.ids = new IbkrOrderIds(ctx.db, ctx.name);
    this.limiter = new RateLimiter(ibkrPacing(this.settings.maxMessagesPerSecond), { keyId: `${this.settings.host}:${this.settings.port}` });
    const timers = opts.timers ? { timers: opts.timers } : {};
    this.breaker = new CircuitBreaker(ctx.name, { displayName: 'Interactive Brokers', ...timers, ...opts.breaker });
    this.healthReporter = new VenueHealthReporter({ limiter: this.limiter, breaker: this.breaker, ...timers, feeds: () => [this.market.quotesFeed], onReport: (r) => this.listener?.health?.(r) });
    this.breaker.on('state', (e) => {
      // Reconnected while OPEN: the live session is the half-open probe.
      if (e.to === 'half_open' && this.conn.state === 'connected') this.breakerOutcome('success', 'connected');
    });
    this.conn = new IbkrConnection({
      host: this.settings.host,
      port: this.settings.port,
      clientId: this.settings.clientId,
      fallbackClientId: this.settings.fallbackClientId,
      reconnectMinMs: this.settings.reconnectMinMs,
      reconnectMaxMs: this.settings.reconnectMaxMs,
      ...(opts.timers ? { timers: opts.timers } : {}),
      attach: (api, sessionId) => this.attach(api, sessionId),
      onSession: (s) => this.onSession(s),
      onDataLost: (s) => this.market.resubscribe(s),
      onState: (st, why) => this.onConnState(st, why),
      onPacingViolation: (m) => {
        this.problem = `TWS pacing violation (100): ${m}`;
      },
      // A failed attempt or a lost session counts against TWS; a client id in use (326) or our own stop does not.
      onOutcome: (ok, why) => this.breakerOutcome(ok ? 'success' : 'failure', why),
    });
    this.rq = new IbkrRequests(this.conn, this.limiter);
    const scope: IbkrScope = {
      name: ctx.name,
      clock: ctx.clock,
      settings: this.settings,
      rq: this.rq,
      ids: this.ids,
      cache: this.cache,
      listener: () => this.listener,
      account: () => this.account.id,
    };
    this.lookupParts = new IbkrInstrumentLookup(scope);
    const describe = (conId: number) => this.lookupParts.describeConId(conId);
    this.market = new IbkrMarketData(scope);
    this.account = new IbkrAccount(scope, ctx.claimAccount, describe);
    this.views = new IbkrOrderViews(scope, describe);
    this.orders = new IbkrOrders(scope, this.views);
    this.fills = new IbkrFills(scope, this.views);
    this.queries = new IbkrQueries(scope, this.views, (id) => this.lookupInstrument(id));
    this.previews = new IbkrPreview(scope, this.views, (id) => this.quote(id), { value: (key) => this.account.value(key), fillsSince: (ts) => this.fills.since(ts) });
  }

  // ── lifecycle and status ──────────────────────────────────────────────────────────────────

  async start(listener: VenueListener): Promise<void> {
    this.listener = listener;
    this.healthReporter.start();
    await this.conn.start();
  }

  async stop(): Promise<void> {
    this.healthReporter.stop();
    this.conn.stop();
    this.rq.failPendings(new Error('Interactive Brokers venue stopped'));
    this.listener = undefined;
  }

  state(): VenueStatus {
    return this.status;
  }

  health(): VenueHealthReport {
    return this.healthReporter.report();
  }

  /** Count of market-data subscriptions sent, for status and tests. */
  get mdRequests(): number {
    return this.market.requests;
  }

  /** One connection outcome for the breaker. While OPEN it is not counted: the probe comes after the open period. */
  private breakerOutcome(outcome: CallOutcome, detail: string): void {
    let ticket;
    try {
      ticket = this.breaker.admit();
    } catch {
      return;
    }
    this.breaker.record(ticket, outcome, detail);
  }

  /** The one line for the status bar: "TWS 193 · DU123456 · client 7". */
  private detail(st: IbConnState, why: string): string {
    const s = this.conn.open;
    const id = this.conn.clientId;
    // The fallback id is never taken silently: orders placed under the other id are cancellable only from it.
    const client = id === this.settings.clientId ? `client ${id}` : `client ${id} (fallback: client id ${this.settings.clientId} is held by another session)`;
    const head = [s ? `TWS ${s.serverVersion}` : 'TWS', this.account.id || undefined, client].filter(Boolean).join(' · ');
    if (st === 'connected') return this.problem ? `${head} · ${this.problem}` : head;
    if (st === 'degraded') return `${head} · degraded: ${why} — new orders paused`;
    return `${head} · ${why}`;
  }

  private onConnState(st: IbConnState, why: string): void {
    if (this.account.conflict) {
      this.status = { state: 'error', detail: this.account.conflict, phase: 'down' };
      this.listener?.state('error', this.account.conflict);
      return;
    }
    if (st === 'connected' && this.status.phase !== 'connected') void this.loadWatchlist().catch(() => undefined);
    const state: VenueState =
      st === 'connected' ? 'connected' : st === 'degraded' ? 'degraded' : st === 'connecting' ? 'connecting' : st === 'restarting' ? 'disconnected' : why === 'stopped' ? 'disconnected' : 'error';
    if (st === 'restarting' || st === 'down') this.rq.failPendings(new Error(`connection to TWS lost (${why})`));
    if (st === 'restarting' || st === 'down' || st === 'degraded') this.market.feedDown();
    else if (st === 'connected') this.market.feedUp();
    if (this.conn.open) this.lastServerVersion = String(this.conn.open.serverVersion);
    // Retrying before any session ever opened is not "TWS restarting": nothing answers there.
    const phase: VenuePhase = st === 'restarting' && !this.lastServerVersion ? 'down' : st;
    this.status = { state, detail: this.detail(st, why), phase, ...(this.lastServerVersion ? { serverVersion: this.lastServerVersion } : {}) };
    this.listener?.state(state, this.status.detail);
  }

  // ── session setup ─────────────────────────────────────────────────────────────────────────

  private async onSession(s: IbSession): Promise<void> {
    this.ids.seed(s.nextValidId);
    this.problem = this.account.claim(s, () => this.conn.stop());
    // Everything TWS knew while we were away: open orders, orders that finished, positions.
    await Promise.all([this.queries.refreshOpenOrders(s), this.account.refreshPositions(s)]);
    await this.queries.refreshCompleted(s);
    await this.rq.send('message', s, (api) => api.reqAccountUpdates(true, this.account.id));
    await this.market.resubscribe(s);
  }

  /**
   * The watchlist ("symbols to load at start"): looked up once the session is `connected` (contract
   * details need a session queries may use) and streamed, so they appear in Quotes. A symbol TWS
   * cannot resolve is said in the status line, not swallowed.
   */
  private async loadWatchlist(): Promise<void> {
    const missing: string[] = [];
    for (const sym of this.settings.watchlist) {
      const hit = this.cache.get(sym)?.instrument ?? (await this.lookupInstrument(sym).catch(() => undefined));
      if (hit) this.market.watch(hit.id);
      else missing.push(sym);
    }
    if (missing.length > 0 && this.conn.state === 'connected' && !this.problem) {
      this.problem = `watchlist: TWS could not resolve ${missing.join(', ')}`;
      this.onConnState('connected', 'connected');
    }
  }

  /** Routes TWS's events of one session to the part that owns them; a stale session's events are dropped. */
  private attach(api: IBApi, sessionId: number): void {
    const live = () => this.conn.open?.id === sessionId;
    const { views, fills, market, account } = this;
    api.on(EventName.openOrder, (orderId: number, contract: Contract, order: IbOrder, state: OrderState) => live() && views.onOpenOrder(orderId, contract, order, state));
    api.on(
      EventName.orderStatus,
      (orderId: number, status: string, filled: number, remaining: number, avgFillPrice: number, permId?: number, _parentId?: number, _last?: number, clientId?: number, whyHeld?: string) =>
        live() && views.onOrderStatus(orderId, status, filled, remaining, avgFillPrice, permId ?? 0, clientId ?? 0, whyHeld),
    );
    api.on(EventName.completedOrder, (contract: Contract, order: IbOrder, state: OrderState) => live() && views.onCompletedOrder(contract, order, state));
    api.on(EventName.execDetails, (reqId: number, contract: Contract, execution: Execution) => live() && fills.onExec(reqId, contract, execution));
    api.on(EventName.commissionReport, (r: CommissionReport) => live() && fills.onCommission(r));
    api.on(EventName.error, (err: Error, code: number, reqId: number) => live() && this.onError(reqId, code, err?.message ?? String(err)));
    api.on(EventName.tickPrice, (reqId: number, field: number, value: number) => live() && market.onTick(reqId, field, value, 'price'));
    api.on(EventName.tickSize, (reqId: number, field?: number, value?: number) => live() && field !== undefined && market.onTick(reqId, field, value, 'size'));
    api.on(EventName.position, (acct: string, contract: Contract, pos: number, avgCost?: number) => live() && account.onPosition(acct, contract, pos, avgCost));
    api.on(EventName.updateAccountValue, (key: string, value: string, currency: string, acct: string) => live() && account.onAccountValue(key, value, currency, acct, true));
    api.on(EventName.accountSummary, (_reqId: number, acct: string, tag: string, value: string, currency: string) => live() && account.onAccountValue(tag, value, currency, acct, false));
  }

  /** An error id is an order a waiter watches, else a request, else an order whose reason it becomes. */
  private onError(id: number, code: number, message: string): void {
    if (this.views.takeError(id, code, message)) return;
    if (this.rq.onError(id, code, message)) return;
    this.views.noteReason(id, code, message);
  }

  // ── instruments and market data ───────────────────────────────────────────────────────────

  instruments(): readonly Instrument[] {
    return this.lookupParts.all();
  }

  instrument(idOrSymbol: string): Instrument | undefined {
    return this.lookupParts.instrument(idOrSymbol);
  }

  lookupInstrument(symbolOrId: string): Promise<Instrument | undefined> {
    return this.lookupParts.lookupInstrument(symbolOrId);
  }

  resolveSymbol(symbol: string): Promise<Instrument[]> {
    return this.lookupParts.resolveSymbol(symbol);
  }

  resolveContract(contract: Contract): Promise<Instrument[]> {
    return this.lookupParts.resolveContract(contract);
  }

  searchInstruments(query: string): Promise<Instrument[]> {
    return this.lookupParts.search(query);
  }

  quote(instrumentId: string): Quote | undefined {
    return this.market.quote(instrumentId);
  }

  snapshotQuote(instrumentId: string): Promise<Quote | undefined> {
    return this.market.snapshotQuote(instrumentId);
  }

  book(instrumentId: string, depth: number): BookSnapshot | undefined {
    return this.market.book(instrumentId, depth);
  }

  // ── orders ────────────────────────────────────────────────────────────────────────────────

  /** Everything the unified ticket can ask for except fill-or-kill (see tifToIb). */
  capabilities(): OrderCapabilities {
    return IBKR_CAPABILITIES;
  }

  submit(order: Order): Promise<SubmitAck> {
    return this.submitIntent(intentFromOrder(order), order.instrumentId);
  }

  /** Places an order with IB's extras (trailing, OPG, outside RTH, OCA). */
  async submitIntent(intent: IbOrderIntent, instrumentId: string): Promise<SubmitAck> {
    const [ack] = await this.orders.placeGroup(instrumentId, [intent]);
    return ack!;
  }

  /**
   * A bracket: the parent, then its take-profit and stop-loss children. TWS holds the legs until
   * the last one arrives with transmit=true, so the group goes live together or not at all.
   */
  submitBracket(instrumentId: string, parent: IbOrderIntent, takeProfit: IbOrderIntent, stopLoss: IbOrderIntent): Promise<SubmitAck[]> {
    return this.orders.placeGroup(instrumentId, [parent, takeProfit, stopLoss], true);
  }

  /** The venue port's bracket path: the engine's journaled entry and children (one or two), as one IB group. */
  submitBracketOrders(parent: Order, children: readonly Order[]): Promise<SubmitAck[]> {
    return this.orders.placeGroup(parent.instrumentId, [intentFromOrder(parent), ...children.map((c) => intentFromOrder(c))], true);
  }

  cancel(order: Order): Promise<void> {
    return this.orders.cancel(order);
  }

  replace(order: Order, changes: ReplaceChanges): Promise<ReplaceAck> {
    return this.orders.replace(order, changes);
  }

  lookup(clientOrderId: string): Promise<VenueOrderReport | undefined> {
    return this.queries.lookup(clientOrderId);
  }

  openOrders(): Promise<VenueOrderReport[]> {
    return this.queries.openOrders();
  }

  fillsSince(sinceTs: number): Promise<VenueFillReport[]> {
    return this.fills.since(sinceTs);
  }

  // ── account ───────────────────────────────────────────────────────────────────────────────

  positions(): Promise<Position[]> {
    return this.account.refreshPositions(this.rq.querySession());
  }

  balances(): Promise<Balance[]> {
    return this.account.balances();
  }

  accountFigures(): VenueAccountFigures | undefined {
    return this.account.figures();
  }

  /** Latest account values (NetLiquidation, BuyingPower, …) as TWS streams them. */
  accountValue(key: string): string | undefined {
    return this.account.value(key);
  }

  // ── preview ───────────────────────────────────────────────────────────────────────────────

  preview(inst: Instrument, t: NormalizedTicket): Promise<VenuePreview> {
    // The whatIf is the entry's (a bracket's children only ever reduce what it opens).
    return this.previewIntent(inst, intentFromOrder({ ...t, clientOrderId: '' }));
  }

  previewIntent(inst: Instrument, intent: IbOrderIntent): Promise<VenuePreview & { whatIf?: WhatIfNumbers }> {
    return this.previews.previewIntent(inst, intent);
  }
}
