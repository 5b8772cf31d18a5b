/**
 * The Interactive Brokers connector: TWS / IB Gateway over its socket API (@stoqey/ib's IBApi).
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
 */
import { EventName, type CommissionReport, type Contract, type ContractDetails, type Execution, type IBApi, type Order as IbOrder, type OrderState } from '@stoqey/ib';
import type { PreviewIssue, VenuePhase, VenueState } from '../../api/commands';
import type { Instrument } from '../../domain/instrument';
import { Decimal, toStr, ZERO } from '../../domain/money';
import type { Balance, BookSnapshot, Order, OrderStatus, Position, Quote } from '../../domain/order';
import { isTerminal } from '../../domain/order';
import type { NormalizedTicket } from '../../domain/order-validation';
import type { OrderCapabilities } from '../../domain/order-capabilities';
import { RateLimiter } from '../../net/rate-limiter';
import { CircuitBreaker, type BreakerOptions, type CallOutcome } from '../../net/circuit-breaker';
import { VenueHealthReporter } from '../../net/venue-health';
import type { VenueHealthReport } from '../../api/venue-health';
import type { Timers } from '../../ports/clock';
import type { Clock } from '../../ports/clock';
import { OutcomeUnknownError, VenueRejectedError, type ReplaceAck, type ReplaceChanges, type SubmitAck, type VenueAccountFigures, type VenueConnector, type VenueContext, type VenueFillReport, type VenueListener, type VenueOrderReport, type VenuePreview, type VenueStatus } from '../venue-port';
import { ibkrPacing, readIbkrSettings, type IbkrSettings } from './ibkr-config';
import { IbkrConnection, type IbConnState, type IbSession } from './ibkr-connection';
import { contractForSymbol, IbkrInstrumentCache, instrumentFromDetails, orderContract, rollAlert, symbolOfContract, wireDecimal, type CachedContract } from './ibkr-instruments';
import { ibFilterTime, IbMappingError, intentFromOrder, parseIbTime, pricesFromIb, statusFromIb, tifFromIb, toIbOrder, typeFromIb, whatIfFromState, type IbOrderIntent, type WhatIfNumbers } from './ibkr-mapping';
import { IbkrOrderIds } from './ibkr-order-ids';

/** Error codes that are warnings about an order, not its rejection. */
const ORDER_WARNINGS = new Set([399, 404, 2109, 2137, 2148]);
const isWarning = (code: number) => ORDER_WARNINGS.has(code) || (code >= 2100 && code < 2200);

const IBKR_CAPABILITIES: OrderCapabilities = {
  orderTypes: ['market', 'limit', 'stop', 'stop_limit', 'trailing_stop'],
  tifs: ['day', 'gtc', 'ioc', 'opg'],
  extendedHours: true,
  brackets: true,
  oca: true,
};

const DEGRADED_MESSAGE = 'TWS has lost its connection to Interactive Brokers; new orders are paused until it is restored. Your working orders stay at IB.';

interface OrderView {
  readonly venueOrderId: string;
  readonly ours: boolean;
  orderId: number;
  clientId: number;
  permId: number;
  clientOrderId: string;
  instrumentId?: string;
  side?: Order['side'];
  type?: Order['type'];
  qty?: string;
  limitPrice?: string;
  stopPrice?: string;
  /** TRAIL: the stop TWS last reported (trailStopPrice). */
  trailStop?: string;
  tif?: Order['tif'];
  ibStatus: string;
  status: OrderStatus;
  filled: Decimal;
  avgFillPrice: string;
  reason?: string;
  ts: number;
  /** What the listener last heard, so repeated openOrder/orderStatus pairs make one report. */
  lastSent?: string;
  /**
   * External orders first reach the engine through openOrders() (reconciliation), which records
   * the adoption as a change the trader can read; only then do stream updates follow.
   */
  surfaced?: boolean;
}

interface Pending {
  readonly session: number;
  fail(err: Error): void;
}

interface AckWaiter {
  resolve(status: OrderStatus): void;
  reject(err: Error): void;
}

interface ExecRecord {
  readonly contract: Contract;
  readonly execution: Execution;
  streamed: boolean;
}

interface MutableQuote {
  bid?: string;
  bidSize?: string;
  ask?: string;
  askSize?: string;
  last?: string;
  ts: number;
}

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
  private readonly clock: Clock;
  private readonly ids: IbkrOrderIds;
  private readonly cache: IbkrInstrumentCache;
  private listener: VenueListener | undefined;
  private account = '';
  private reqSeq = 900_000_000;
  private status: VenueStatus = { state: 'disconnected', detail: 'not started', phase: 'down' };
  /** Last version TWS announced: still shown while TWS restarts. */
  private lastServerVersion?: string;

  private readonly views = new Map<string, OrderView>();
  private readonly viewByCoid = new Map<string, string>();
  private readonly viewByPerm = new Map<number, string>();
  private readonly acks = new Map<number, AckWaiter>();
  private readonly cancels = new Map<number, AckWaiter>();
  /** Modifies in flight: resolved when TWS echoes the new terms (openOrder), rejected by an error for the order id. */
  private readonly modifies = new Map<number, { readonly want: { qty: string; limitPrice?: string; stopPrice?: string }; resolve(): void; reject(err: Error): void }>();
  private readonly whatIfs = new Map<number, { resolve(n: WhatIfNumbers): void; reject(err: Error): void }>();
  private readonly requests = new Map<number, { onError(code: number, message: string): void }>();
  private readonly pendings = new Set<Pending>();
  private readonly single = new Map<string, Promise<unknown>>();

  private readonly execs = new Map<string, ExecRecord>();
  private readonly commissions = new Map<string, CommissionReport>();
  private readonly emittedFills = new Set<string>();
  private readonly execCollectors = new Map<number, string[]>();

  private readonly wanted = new Set<string>();
  private readonly mdByReq = new Map<number, string>();
  private readonly mdByInst = new Map<string, number>();
  private readonly quotes = new Map<string, MutableQuote>();
  /** Count of market-data subscriptions sent, for status and tests. */
  mdRequests = 0;

  private readonly positionsNow = new Map<string, Position>();
  private positionsCollect: Map<string, Position> | undefined;
  private readonly accountValues = new Map<string, { value: string; currency: string }>();
  private summaryCollect: Map<string, { value: string; currency: string }> | undefined;
  private readonly resolving = new Map<string, Promise<Instrument[]>>();
  private problem = '';
  private readonly claimAccount: VenueContext['claimAccount'];
  /** Set when another venue already trades this account: this one stays stopped, in error. */
  private accountConflict = '';

  constructor(ctx: VenueContext, opts: IbkrConnectorOptions = {}) {
    this.name = ctx.name;
    this.clock = ctx.clock;
    this.claimAccount = ctx.claimAccount;
    this.settings = readIbkrSettings(ctx.settings);
    this.ids = new IbkrOrderIds(ctx.db, ctx.name);
    this.cache = new IbkrInstrumentCache(ctx.db, ctx.name);
    this.limiter = new RateLimiter(ibkrPacing(this.settings.maxMessagesPerSecond), { keyId: `${this.settings.host}:${this.settings.port}` });
    this.breaker = new CircuitBreaker(ctx.name, { displayName: 'Interactive Brokers', ...(opts.timers ? { timers: opts.timers } : {}), ...opts.breaker });
    this.healthReporter = new VenueHealthReporter({ limiter: this.limiter, breaker: this.breaker, ...(opts.timers ? { timers: opts.timers } : {}), onReport: (r) => this.listener?.health?.(r) });
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
      onSession: (s, reconnect) => this.onSession(s, reconnect),
      onDataLost: (s) => this.resubscribe(s),
      onState: (st, why) => this.onConnState(st, why),
      onPacingViolation: (m) => {
        this.problem = `TWS pacing violation (100): ${m}`;
      },
      // A failed attempt or a lost session counts against TWS; a client id in use (326) or our own stop does not.
      onOutcome: (ok, why) => this.breakerOutcome(ok ? 'success' : 'failure', why),
    });
  }

  // ── lifecycle ─────────────────────────────────────────────────────────────────────────────

  async start(listener: VenueListener): Promise<void> {
    this.listener = listener;
    this.healthReporter.start();
    await this.conn.start();
  }

  async stop(): Promise<void> {
    this.healthReporter.stop();
    this.conn.stop();
    this.failPendings(new Error('Interactive Brokers venue stopped'));
    this.listener = undefined;
  }

  state(): VenueStatus {
    return this.status;
  }

  health(): VenueHealthReport {
    return this.healthReporter.report();
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
    const head = [s ? `TWS ${s.serverVersion}` : 'TWS', this.account || undefined, client].filter(Boolean).join(' · ');
    if (st === 'connected') return this.problem ? `${head} · ${this.problem}` : head;
    if (st === 'degraded') return `${head} · degraded: ${why} — new orders paused`;
    return `${head} · ${why}`;
  }

  private onConnState(st: IbConnState, why: string): void {
    if (this.accountConflict) {
      this.status = { state: 'error', detail: this.accountConflict, phase: 'down' };
      this.listener?.state('error', this.accountConflict);
      return;
    }
    if (st === 'connected' && this.status.phase !== 'connected') void this.loadWatchlist().catch(() => undefined);
    const state: VenueState = st === 'connected' ? 'connected' : st === 'degraded' ? 'degraded' : st === 'connecting' ? 'connecting' : st === 'restarting' ? 'disconnected' : why === 'stopped' ? 'disconnected' : 'error';
    if (st === 'restarting' || st === 'down') this.failPendings(new Error(`connection to TWS lost (${why})`));
    if (this.conn.open) this.lastServerVersion = String(this.conn.open.serverVersion);
    // Retrying before any session ever opened is not "TWS restarting": nothing answers there.
    const phase: VenuePhase = st === 'restarting' && !this.lastServerVersion ? 'down' : st;
    this.status = { state, detail: this.detail(st, why), phase, ...(this.lastServerVersion ? { serverVersion: this.lastServerVersion } : {}) };
    this.listener?.state(state, this.status.detail);
  }

  private failPendings(err: Error): void {
    for (const p of [...this.pendings]) p.fail(err);
  }

  /** A promise tied to one session: it fails when that session ends, or after `timeoutMs`. */
  private pending<T>(session: number, timeoutMs: number, timeoutError: () => Error, run: (resolve: (v: T) => void, reject: (e: Error) => void) => () => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let cleanup: () => void = () => undefined;
      const entry: Pending = {
        session,
        fail: (e) => done(() => reject(e)),
      };
      const timer = setTimeout(() => entry.fail(timeoutError()), timeoutMs);
      timer.unref?.();
      let settled = false;
      const done = (f: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.pendings.delete(entry);
        cleanup();
        f();
      };
      this.pendings.add(entry);
      // Registered for a session that has already ended: it can never be answered.
      if (this.conn.open?.id !== session) entry.fail(new Error(`connection to TWS lost (${this.conn.reason})`));
      const c = run(
        (v) => done(() => resolve(v)),
        (e) => done(() => reject(e)),
      );
      // run may settle synchronously, before its cleanup is known.
      if (settled) c();
      else cleanup = c;
    });
  }

  /** One in-flight request per key: concurrent callers share it. */
  private once<T>(key: string, f: () => Promise<T>): Promise<T> {
    const cur = this.single.get(key) as Promise<T> | undefined;
    if (cur) return cur;
    const p = f().finally(() => this.single.delete(key));
    this.single.set(key, p);
    return p;
  }

  private nextReqId(): number {
    return ++this.reqSeq;
  }

  /** Every request to TWS goes out through the pacing limiter, and only on the session it was meant for. */
  private async send(group: 'message' | 'orderNew' | 'orderCancel', s: IbSession, f: (api: IBApi) => void): Promise<void> {
    await this.limiter.acquire(group);
    if (this.conn.open !== s) throw new Error('the connection to TWS was lost before the request was sent');
    f(s.api);
  }

  /** The session order entry may use: connected and not degraded. */
  private tradingSession(): IbSession {
    if (this.conn.state === 'degraded') throw new VenueRejectedError(DEGRADED_MESSAGE, 'venue_degraded');
    const s = this.conn.current;
    if (!s || this.conn.state !== 'connected') throw new VenueRejectedError(`Interactive Brokers is not connected (${this.conn.reason}); the order was not sent.`, 'venue_unavailable');
    return s;
  }

  /** The session queries may use: connected or degraded (TWS still answers from its own state). */
  private querySession(): IbSession {
    const s = this.conn.current;
    if (!s) throw new Error(`Interactive Brokers is not connected (${this.conn.reason}).`);
    return s;
  }

  // ── session setup ─────────────────────────────────────────────────────────────────────────

  private async onSession(s: IbSession, _reconnect: boolean): Promise<void> {
    this.ids.seed(s.nextValidId);
    const configured = this.settings.account;
    this.account = configured || s.accounts[0] || '';
    // Before any position or balance is reported: a second venue on the same account would double them.
    const holder = this.account ? this.claimAccount?.(this.account) : undefined;
    if (holder) {
      this.accountConflict = `IB account ${this.account} is already traded by venue "${holder}" — one account, one venue: remove "${this.name}" (its positions, cash and risk would count twice)`;
      this.conn.stop();
      throw new Error(this.accountConflict);
    }
    this.problem = configured && s.accounts.length > 0 && !s.accounts.includes(configured) ? `account ${configured} is not managed by this TWS (it manages ${s.accounts.join(', ')})` : '';
    // Everything TWS knew while we were away: open orders, orders that finished, positions.
    await Promise.all([this.refreshOpenOrders(s), this.refreshPositions(s)]);
    await this.refreshCompleted(s);
    await this.send('message', s, (api) => api.reqAccountUpdates(true, this.account));
    await this.resubscribe(s);
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
      if (hit) this.watch(hit.id);
      else missing.push(sym);
    }
    if (missing.length > 0 && this.conn.state === 'connected' && !this.problem) {
      this.problem = `watchlist: TWS could not resolve ${missing.join(', ')}`;
      this.onConnState('connected', 'connected');
    }
  }

  /** Market data again for every instrument we watch (after a reconnect or a 1101). */
  private async resubscribe(s: IbSession): Promise<void> {
    this.mdByReq.clear();
    this.mdByInst.clear();
    await Promise.all([...this.wanted].map((id) => this.subscribeOn(s, id)));
  }

  private async subscribeOn(s: IbSession, instrumentId: string): Promise<void> {
    const c = this.cache.get(instrumentId);
    if (!c || this.mdByInst.has(instrumentId)) return;
    const reqId = this.nextReqId();
    this.mdByInst.set(instrumentId, reqId);
    this.mdByReq.set(reqId, instrumentId);
    this.mdRequests++;
    await this.send('message', s, (api) => api.reqMktData(reqId, orderContract(c.contract), '', false, false)).catch(() => {
      this.mdByInst.delete(instrumentId);
      this.mdByReq.delete(reqId);
    });
  }

  /** Starts streaming quotes for an instrument (kept across reconnects). */
  watch(instrumentId: string): void {
    if (this.wanted.has(instrumentId) || !this.cache.get(instrumentId)) return;
    this.wanted.add(instrumentId);
    const s = this.conn.open;
    if (s) void this.subscribeOn(s, instrumentId);
  }

  // ── events from TWS ───────────────────────────────────────────────────────────────────────

  private attach(api: IBApi, sessionId: number): void {
    const live = () => this.conn.open?.id === sessionId;
    api.on(EventName.openOrder, (orderId: number, contract: Contract, order: IbOrder, state: OrderState) => live() && this.onOpenOrder(orderId, contract, order, state));
    api.on(EventName.orderStatus, (orderId: number, status: string, filled: number, remaining: number, avgFillPrice: number, permId?: number, _parentId?: number, _last?: number, clientId?: number, whyHeld?: string) =>
      live() && this.onOrderStatus(orderId, status, filled, remaining, avgFillPrice, permId ?? 0, clientId ?? 0, whyHeld),
    );
    api.on(EventName.completedOrder, (contract: Contract, order: IbOrder, state: OrderState) => live() && this.onCompletedOrder(contract, order, state));
    api.on(EventName.execDetails, (reqId: number, contract: Contract, execution: Execution) => live() && this.onExec(reqId, contract, execution));
    api.on(EventName.commissionReport, (r: CommissionReport) => live() && this.onCommission(r));
    api.on(EventName.error, (err: Error, code: number, reqId: number) => live() && this.onError(reqId, code, err?.message ?? String(err)));
    api.on(EventName.tickPrice, (reqId: number, field: number, value: number) => live() && this.onTick(reqId, field, value, 'price'));
    api.on(EventName.tickSize, (reqId: number, field?: number, value?: number) => live() && field !== undefined && this.onTick(reqId, field, value, 'size'));
    api.on(EventName.position, (account: string, contract: Contract, pos: number, avgCost?: number) => live() && this.onPosition(account, contract, pos, avgCost));
    api.on(EventName.updateAccountValue, (key: string, value: string, currency: string, account: string) => live() && this.onAccountValue(key, value, currency, account, true));
    api.on(EventName.accountSummary, (_reqId: number, account: string, tag: string, value: string, currency: string) => live() && this.onAccountValue(tag, value, currency, account, false));
  }

  private onError(id: number, code: number, message: string): void {
    const mod = this.modifies.get(id);
    if (mod && !isWarning(code) && code !== 202) {
      mod.reject(new VenueRejectedError(`Interactive Brokers refused the change (${code}): ${message}`, String(code)));
      return;
    }
    const ack = this.acks.get(id);
    if (ack) {
      if (isWarning(code)) return;
      if (code === 202) ack.resolve('cancelled');
      else ack.reject(new VenueRejectedError(`Interactive Brokers rejected the order (${code}): ${message}`, String(code)));
      return;
    }
    const wi = this.whatIfs.get(id);
    if (wi && !isWarning(code)) {
      wi.reject(new VenueRejectedError(`Interactive Brokers: ${message} (${code})`, String(code)));
      return;
    }
    const cancel = this.cancels.get(id);
    if (cancel && code !== 202 && !isWarning(code)) {
      cancel.reject(new VenueRejectedError(`Interactive Brokers refused the cancel (${code}): ${message}`, String(code)));
      return;
    }
    const req = this.requests.get(id);
    if (req) {
      req.onError(code, message);
      return;
    }
    // An error about one of our orders after its ack (a rejected modify, a cancel reason): keep it as the reason.
    const row = this.ids.byOrderId(id);
    const v = row ? this.views.get(String(id)) : undefined;
    if (v && !isWarning(code) && code !== 202) v.reason = `${message} (${code})`;
  }

  /** Which of our rows an IB order id + client id belongs to. */
  private ourRow(orderId: number, clientId: number, orderRef?: string) {
    if (orderId <= 0) return undefined;
    const row = this.ids.byOrderId(orderId);
    if (!row) return undefined;
    return row.clientId === clientId || (orderRef !== undefined && orderRef !== '' && row.clientOrderId === orderRef) ? row : undefined;
  }

  private viewFor(orderId: number, clientId: number, permId: number, orderRef?: string): OrderView | undefined {
    const row = this.ourRow(orderId, clientId, orderRef);
    const vid = row ? String(orderId) : this.viewByPerm.get(permId) ?? (permId > 0 ? `p${permId}` : undefined);
    if (!vid) return undefined;
    let v = this.views.get(vid);
    if (!v) {
      if (!row && permId <= 0) return undefined;
      v = {
        venueOrderId: vid,
        ours: !!row,
        orderId,
        clientId,
        permId,
        clientOrderId: row ? row.clientOrderId : `ext-${this.name}-${vid}`,
        ...(row ? { instrumentId: row.instrumentId } : {}),
        ibStatus: '',
        status: 'submitted',
        filled: ZERO,
        avgFillPrice: '0',
        ts: this.clock.now(),
      };
      this.views.set(vid, v);
      this.viewByCoid.set(v.clientOrderId, vid);
    }
    if (permId > 0 && v.permId !== permId) v.permId = permId;
    if (permId > 0) {
      this.viewByPerm.set(permId, vid);
      if (row) this.ids.setPermId(orderId, permId);
    }
    return v;
  }

  private onOpenOrder(orderId: number, contract: Contract, order: IbOrder, state: OrderState): void {
    const wi = this.whatIfs.get(orderId);
    if (wi || order.whatIf) {
      wi?.resolve(whatIfFromState(state));
      return;
    }
    const v = this.viewFor(orderId, order.clientId ?? 0, order.permId ?? 0, order.orderRef);
    if (!v) return;
    if (contract.conId) {
      v.instrumentId = `${this.name}:${contract.conId}`;
      if (!this.cache.byConId(contract.conId)) void this.resolveConId(contract.conId).catch(() => undefined);
    }
    v.side = String(order.action).toUpperCase() === 'BUY' ? 'buy' : 'sell';
    v.type = typeFromIb(order);
    if (order.totalQuantity !== undefined) v.qty = toStr(wireDecimal(order.totalQuantity) ?? ZERO);
    const px = pricesFromIb(order);
    if (px.limitPrice) v.limitPrice = px.limitPrice;
    if (px.stopPrice) v.stopPrice = px.stopPrice;
    if (px.trailStop) v.trailStop = px.trailStop;
    v.tif = tifFromIb(order.tif);
    if (state.status) this.setStatus(v, String(state.status), undefined);
    this.emitReport(v);
    this.acks.get(orderId)?.resolve(v.status);
    this.settleModify(orderId, v);
  }

  /** A modify is acknowledged when TWS reports the order with the terms we sent (or the order has finished). */
  private settleModify(orderId: number, v: OrderView): void {
    const m = this.modifies.get(orderId);
    if (!m) return;
    const same = (a: string | undefined, b: string | undefined) => (a === undefined || b === undefined ? a === b : new Decimal(a).eq(b));
    if (isTerminal(v.status) || (same(v.qty, m.want.qty) && (m.want.limitPrice === undefined || same(v.limitPrice, m.want.limitPrice)) && (m.want.stopPrice === undefined || same(v.stopPrice, m.want.stopPrice)))) m.resolve();
  }

  private onOrderStatus(orderId: number, status: string, filled: number, remaining: number, avgFillPrice: number, permId: number, clientId: number, whyHeld?: string): void {
    const v = this.viewFor(orderId, clientId, permId);
    if (!v) return;
    const f = wireDecimal(filled) ?? ZERO;
    if (f.gte(v.filled)) {
      v.filled = f;
      const avg = wireDecimal(avgFillPrice);
      if (avg && f.gt(0)) v.avgFillPrice = toStr(avg);
    }
    this.setStatus(v, status, wireDecimal(remaining));
    if (whyHeld) v.reason = `held: ${whyHeld}`;
    this.emitReport(v);
    if (v.ours) {
      this.acks.get(orderId)?.resolve(v.status);
      if (isTerminal(v.status)) this.cancels.get(orderId)?.resolve(v.status);
      if (isTerminal(v.status)) this.settleModify(orderId, v);
    }
  }

  private onCompletedOrder(contract: Contract, order: IbOrder, state: OrderState): void {
    const permId = order.permId ?? 0;
    const row = order.orderRef ? this.ids.byClientOrderId(order.orderRef) : permId > 0 ? this.ids.byPermId(permId) : undefined;
    const v = row ? this.viewFor(row.orderId, row.clientId, permId, order.orderRef) : this.viewFor(0, order.clientId ?? 0, permId);
    if (!v) return;
    if (!v.instrumentId && contract.conId) v.instrumentId = `${this.name}:${contract.conId}`;
    if (!v.side) v.side = String(order.action).toUpperCase() === 'BUY' ? 'buy' : 'sell';
    if (!v.type) v.type = typeFromIb(order);
    if (!v.qty && order.totalQuantity !== undefined) v.qty = toStr(wireDecimal(order.totalQuantity) ?? ZERO);
    if (!v.tif) v.tif = tifFromIb(order.tif);
    const raw = order as unknown as Record<string, unknown>;
    const filled = wireDecimal(typeof raw['filledQuantity'] === 'number' ? (raw['filledQuantity'] as number) : undefined);
    if (filled && filled.gt(v.filled)) v.filled = filled;
    const st = String(state.status ?? '');
    if (st) this.setStatus(v, st, undefined);
    const reason = (state as unknown as Record<string, unknown>)['completedStatus'];
    if (typeof reason === 'string' && reason && v.status !== 'filled') v.reason = reason;
    this.emitReport(v);
  }

  private setStatus(v: OrderView, ibStatus: string, remaining: Decimal | undefined): void {
    const next = statusFromIb(ibStatus, v.filled, remaining);
    if (next === 'unknown') return;
    // TWS repeats older states after newer ones (openOrder after orderStatus); a finished order stays finished.
    if (isTerminal(v.status) && !isTerminal(next)) return;
    v.ibStatus = ibStatus;
    v.status = next;
    v.ts = this.clock.now();
  }

  private report(v: OrderView): VenueOrderReport {
    return {
      clientOrderId: v.clientOrderId,
      venueOrderId: v.venueOrderId,
      status: v.status,
      filledQty: toStr(v.filled),
      avgFillPrice: v.avgFillPrice,
      ...(v.reason && (v.status === 'rejected' || v.status === 'cancelled') ? { reason: v.reason } : {}),
      ts: v.ts,
      ...(v.instrumentId ? { instrumentId: v.instrumentId } : {}),
      ...(v.side ? { side: v.side } : {}),
      ...(v.type ? { type: v.type } : {}),
      ...(v.qty ? { qty: v.qty } : {}),
      ...(v.limitPrice ? { limitPrice: v.limitPrice } : {}),
      ...(v.stopPrice ? { stopPrice: v.stopPrice } : {}),
      ...(v.trailStop ? { trailStop: v.trailStop } : {}),
      ...(v.tif ? { tif: v.tif } : {}),
      raw: { ibStatus: v.ibStatus, orderId: v.orderId, permId: v.permId, clientId: v.clientId, external: !v.ours },
    };
  }

  private emitReport(v: OrderView): void {
    // The trail stop is in the key: a report goes out when the stop moves, not on every repeat.
    const key = `${v.status}|${v.filled.toFixed()}|${v.avgFillPrice}|${v.instrumentId ?? ''}|${v.qty ?? ''}|${v.limitPrice ?? ''}|${v.stopPrice ?? ''}|${v.trailStop ?? ''}`;
    if (key === v.lastSent) return;
    // An external order is adoptable only with its instrument, side, type and quantity.
    if (!v.ours && !(v.surfaced && v.instrumentId && v.side && v.type && v.qty)) return;
    v.lastSent = key;
    this.listener?.orderReport(this.report(v));
  }

  private onExec(reqId: number, contract: Contract, execution: Execution): void {
    const execId = execution.execId;
    if (!execId) return;
    const known = this.execs.get(execId);
    this.execs.set(execId, { contract, execution, streamed: (known?.streamed ?? false) || reqId === -1 });
    if (reqId !== -1) this.execCollectors.get(reqId)?.push(execId);
    else this.tryEmitFill(execId);
  }

  private onCommission(r: CommissionReport): void {
    if (!r.execId) return;
    this.commissions.set(r.execId, r);
    this.tryEmitFill(r.execId);
  }

  /** A fill goes to the engine once both halves (execDetails, commissionReport) are in. */
  private tryEmitFill(execId: string): void {
    const e = this.execs.get(execId);
    if (!e?.streamed || this.emittedFills.has(execId)) return;
    const f = this.fillOf(execId);
    if (!f) return;
    this.emittedFills.add(execId);
    this.listener?.fill(f);
  }

  private fillOf(execId: string): VenueFillReport | undefined {
    const e = this.execs.get(execId);
    const c = this.commissions.get(execId);
    if (!e || !c) return undefined;
    const x = e.execution;
    const qty = wireDecimal(x.shares);
    const price = wireDecimal(x.price);
    if (!qty || !price) return undefined;
    const row = this.ourRow(x.orderId ?? 0, x.clientId ?? 0, x.orderRef);
    const venueOrderId = row ? String(x.orderId) : `p${x.permId ?? 0}`;
    const liq = Number(x.lastLiquidity ?? 0);
    return {
      clientOrderId: row ? row.clientOrderId : `ext-${this.name}-${venueOrderId}`,
      venueOrderId,
      venueFillId: execId,
      instrumentId: `${this.name}:${e.contract.conId}`,
      side: String(x.side).toUpperCase() === 'BOT' ? 'buy' : 'sell',
      qty: toStr(qty),
      price: toStr(price),
      fee: toStr(wireDecimal(c.commission) ?? ZERO),
      feeCurrency: c.currency || e.contract.currency || 'USD',
      // IB lastLiquidity: 1 added liquidity, 2 removed, 3 routed out.
      liquidity: liq === 1 ? 'maker' : 'taker',
      ts: parseIbTime(x.time) ?? this.clock.now(),
      raw: { execId, orderId: x.orderId, permId: x.permId, clientId: x.clientId, exchange: x.exchange, orderRef: x.orderRef },
    };
  }

  private onTick(reqId: number, field: number, value: number | undefined, kind: 'price' | 'size'): void {
    const id = this.mdByReq.get(reqId);
    if (!id || value === undefined) return;
    const q = this.quotes.get(id) ?? { ts: 0 };
    const d = wireDecimal(value);
    // IB sends -1 (or 0 size) when a side has no quote.
    const text = d && d.gt(0) ? toStr(d) : undefined;
    // Tick types: 1/2/4 bid/ask/last price, 0/3/5 their sizes; 66–71 the same, delayed.
    const f = field >= 66 && field <= 71 ? [1, 2, 4, 0, 3, 5][field - 66]! : field;
    if (kind === 'price') {
      if (f === 1) q.bid = text;
      else if (f === 2) q.ask = text;
      else if (f === 4) q.last = text;
      else return;
    } else {
      if (f === 0) q.bidSize = text;
      else if (f === 3) q.askSize = text;
      else return;
    }
    q.ts = this.clock.now();
    this.quotes.set(id, q);
    this.listener?.quote(this.toQuote(id, q));
  }

  private toQuote(id: string, q: MutableQuote): Quote {
    return {
      instrumentId: id,
      ...(q.bid ? { bid: q.bid } : {}),
      ...(q.bidSize ? { bidSize: q.bidSize } : {}),
      ...(q.ask ? { ask: q.ask } : {}),
      ...(q.askSize ? { askSize: q.askSize } : {}),
      ...(q.last ? { last: q.last } : {}),
      ts: q.ts,
    };
  }

  private positionOf(contract: Contract, pos: number, avgCost: number | undefined): Position | undefined {
    if (!contract.conId) return undefined;
    const id = `${this.name}:${contract.conId}`;
    const inst = this.cache.byConId(contract.conId)?.instrument;
    const mult = inst ? new Decimal(inst.multiplier) : (wireDecimal(typeof contract.multiplier === 'number' ? contract.multiplier : Number(contract.multiplier || 1)) ?? new Decimal(1));
    const cost = wireDecimal(avgCost) ?? ZERO;
    // IB's avgCost is per contract, multiplier included (and commissions folded in for stocks).
    const avg = mult.gt(0) ? cost.div(mult) : cost;
    return {
      venue: this.name,
      instrumentId: id,
      symbol: inst?.symbol ?? symbolOfContract(contract) ?? contract.localSymbol ?? String(contract.conId),
      qty: toStr(wireDecimal(pos) ?? ZERO),
      avgPrice: toStr(avg.toDecimalPlaces(8)),
      realizedPnl: '0',
    };
  }

  private onPosition(account: string, contract: Contract, pos: number, avgCost?: number): void {
    if (this.account && account && account !== this.account) return;
    const p = this.positionOf(contract, pos, avgCost);
    if (!p) return;
    if (this.positionsCollect) this.positionsCollect.set(p.instrumentId, p);
    const prev = this.positionsNow.get(p.instrumentId);
    if (new Decimal(p.qty).isZero()) this.positionsNow.delete(p.instrumentId);
    else this.positionsNow.set(p.instrumentId, p);
    if (!prev || prev.qty !== p.qty || prev.avgPrice !== p.avgPrice) this.listener?.position(p);
    if (contract.conId && !this.cache.byConId(contract.conId)) void this.resolveConId(contract.conId).catch(() => undefined);
  }

  private onAccountValue(key: string, value: string, currency: string, account: string, stream: boolean): void {
    if (this.account && account && account !== this.account) return;
    if (!stream && this.summaryCollect) this.summaryCollect.set(key, { value, currency });
    const prev = this.accountValues.get(key);
    this.accountValues.set(key, { value, currency });
    if (stream && (key === 'TotalCashValue' || key === 'AvailableFunds') && prev?.value !== value) {
      const b = this.balanceFrom(this.accountValues);
      if (b) this.listener?.balance(b);
    }
  }

  private balanceFrom(values: Map<string, { value: string; currency: string }>): Balance | undefined {
    const cash = values.get('TotalCashValue');
    if (!cash) return undefined;
    const d = (t: string) => new Decimal(t.trim() === '' ? '0' : t);
    const total = d(cash.value);
    // AvailableFunds is margin (equity with loan minus initial margin), not cash: it counts the
    // stocks held and can exceed the cash. The cash balance can never have more available than it
    // holds; what margin adds is buying power (accountSummary).
    const funds = values.get('AvailableFunds');
    const available = funds ? Decimal.min(total, d(funds.value)) : total;
    return { venue: this.name, asset: cash.currency || 'USD', total: toStr(total), available: toStr(available) };
  }

  // ── refreshes (session setup and reconciliation inputs) ──────────────────────────────────

  private refreshOpenOrders(s: IbSession): Promise<void> {
    return this.once('openOrders', () =>
      this.pending<void>(s.id, 15_000, () => new Error('TWS did not finish listing open orders'), (resolve) => {
        const end = () => resolve();
        s.api.once(EventName.openOrderEnd, end);
        this.send('message', s, (api) => api.reqAllOpenOrders()).catch(() => undefined);
        return () => s.api.off(EventName.openOrderEnd, end);
      }),
    );
  }

  private refreshCompleted(s: IbSession): Promise<void> {
    return this.once('completed', () =>
      this.pending<void>(s.id, 15_000, () => new Error('TWS did not finish listing completed orders'), (resolve) => {
        const end = () => resolve();
        s.api.once(EventName.completedOrdersEnd, end);
        this.send('message', s, (api) => api.reqCompletedOrders(true)).catch(() => undefined);
        return () => s.api.off(EventName.completedOrdersEnd, end);
      }),
    );
  }

  private refreshPositions(s: IbSession): Promise<Position[]> {
    return this.once('positions', () =>
      this.pending<Position[]>(s.id, 15_000, () => new Error('TWS did not finish listing positions'), (resolve) => {
        const collect = new Map<string, Position>();
        this.positionsCollect = collect;
        const end = () => {
          // Positions TWS no longer lists are closed.
          for (const id of [...this.positionsNow.keys()]) {
            if (!collect.has(id)) {
              const p = this.positionsNow.get(id)!;
              this.positionsNow.delete(id);
              this.listener?.position({ ...p, qty: '0' });
            }
          }
          resolve([...collect.values()].filter((p) => !new Decimal(p.qty).isZero()));
        };
        s.api.once(EventName.positionEnd, end);
        this.send('message', s, (api) => api.reqPositions()).catch(() => undefined);
        return () => {
          s.api.off(EventName.positionEnd, end);
          if (this.positionsCollect === collect) this.positionsCollect = undefined;
        };
      }),
    );
  }

  // ── instruments ───────────────────────────────────────────────────────────────────────────

  instruments(): readonly Instrument[] {
    return this.cache.all();
  }

  /**
   * Synchronous by the port's contract, so a symbol TWS has not described yet is not here on the
   * first ask: the miss starts a background lookup and the next ask finds it (and it stays cached).
   */
  instrument(idOrSymbol: string): Instrument | undefined {
    const hit = this.cache.get(idOrSymbol);
    if (hit) return hit.instrument;
    const prefix = `${this.name}:`;
    if (idOrSymbol.startsWith(prefix) && /^\d+$/.test(idOrSymbol.slice(prefix.length))) void this.resolveConId(Number(idOrSymbol.slice(prefix.length))).catch(() => undefined);
    else if (this.conn.current) void this.resolveSymbol(idOrSymbol).catch(() => undefined);
    return undefined;
  }

  /** The instrument a display symbol or `ib:<conId>` names, asked of TWS when it is not cached. */
  async lookupInstrument(symbolOrId: string): Promise<Instrument | undefined> {
    const hit = this.cache.get(symbolOrId);
    if (hit) return hit.instrument;
    if (!this.conn.current) return undefined;
    const prefix = `${this.name}:`;
    const conId = symbolOrId.startsWith(prefix) ? symbolOrId.slice(prefix.length) : '';
    const found = /^\d+$/.test(conId) ? await this.resolveConId(Number(conId)) : await this.resolveSymbol(symbolOrId);
    const want = symbolOrId.toUpperCase();
    return found.find((i) => i.id === symbolOrId || i.symbol.toUpperCase() === want) ?? (found.length === 1 ? found[0] : undefined);
  }

  /** Asks TWS for the contracts a display symbol names, caches them, and returns them. */
  resolveSymbol(symbol: string): Promise<Instrument[]> {
    const contract = contractForSymbol(symbol);
    if (!contract) return Promise.reject(new Error(`"${symbol}" is not a symbol Tradeport can trade at Interactive Brokers (AAPL, ES:FUT:20261218, AAPL:OPT:C:150:20261218, EUR/USD).`));
    return this.resolveContract(contract);
  }

  resolveConId(conId: number): Promise<Instrument[]> {
    return this.resolveContract({ conId });
  }

  /** Contract details for any contract query (a futures root without expiry lists every expiry). */
  resolveContract(contract: Contract): Promise<Instrument[]> {
    const key = JSON.stringify(contract);
    const cur = this.resolving.get(key);
    if (cur) return cur;
    const p = this.contractDetails(contract).finally(() => this.resolving.delete(key));
    this.resolving.set(key, p);
    return p;
  }

  private async contractDetails(contract: Contract): Promise<Instrument[]> {
    const s = this.querySession();
    const reqId = this.nextReqId();
    const details = await this.pending<ContractDetails[]>(s.id, 15_000, () => new Error('TWS did not answer the contract lookup'), (resolve, reject) => {
      const out: ContractDetails[] = [];
      const onData = (id: number, d: ContractDetails) => id === reqId && out.push(d);
      const onEnd = (id: number) => id === reqId && resolve(out);
      s.api.on(EventName.contractDetails, onData);
      s.api.on(EventName.contractDetailsEnd, onEnd);
      this.requests.set(reqId, { onError: (code, message) => (code === 200 ? resolve([]) : reject(new Error(`${message} (${code})`))) });
      this.send('message', s, (api) => api.reqContractDetails(reqId, contract)).catch(reject);
      return () => {
        s.api.off(EventName.contractDetails, onData);
        s.api.off(EventName.contractDetailsEnd, onEnd);
        this.requests.delete(reqId);
      };
    });
    const now = this.clock.now();
    const out: Instrument[] = [];
    for (const d of details) {
      const c: CachedContract | undefined = instrumentFromDetails(this.name, d);
      if (!c) continue;
      this.cache.save(c, now);
      out.push(c.instrument);
    }
    return out;
  }

  /** Instrument search for the UI: a display symbol, or a futures root listing every expiry. */
  async searchInstruments(query: string): Promise<Instrument[]> {
    const q = query.trim().toUpperCase();
    if (!q) return this.cache.all();
    const found = await this.resolveSymbol(q).catch(() => [] as Instrument[]);
    if (/^[A-Z0-9]{1,6}$/.test(q)) found.push(...(await this.resolveContract({ symbol: q, secType: 'FUT' as Contract['secType'] }).catch(() => [] as Instrument[])));
    return found;
  }

  /** Futures that expire within the configured window, with where to roll. */
  rollAlerts(): string[] {
    const all = this.cache.all();
    const now = this.clock.now();
    const held = new Set([...this.positionsNow.keys(), ...[...this.views.values()].filter((v) => !isTerminal(v.status)).map((v) => v.instrumentId)]);
    return all.filter((i) => held.has(i.id)).flatMap((i) => rollAlert(i, now, this.settings.rollAlertDays, all) ?? []);
  }

  /** Synchronous by the port; the first ask subscribes, the stream fills it in. */
  quote(instrumentId: string): Quote | undefined {
    this.watch(instrumentId);
    const q = this.quotes.get(instrumentId);
    return q ? this.toQuote(instrumentId, q) : undefined;
  }

  /**
   * A one-off quote (reqMktData with snapshot=true): TWS streams only changes, so a quiet market
   * leaves the streamed quote old; this asks for the current bid/ask/last and stamps them now.
   */
  async snapshotQuote(instrumentId: string): Promise<Quote | undefined> {
    const c = this.cache.get(instrumentId);
    const s = this.conn.current;
    if (!c || !s) return undefined;
    const reqId = this.nextReqId();
    this.mdByReq.set(reqId, instrumentId);
    try {
      await this.pending<void>(s.id, 5_000, () => new Error('TWS did not answer the quote snapshot'), (resolve, reject) => {
        const onEnd = (id: number) => id === reqId && resolve();
        s.api.on(EventName.tickSnapshotEnd, onEnd);
        this.requests.set(reqId, { onError: (code, message) => !isWarning(code) && reject(new Error(`${message} (${code})`)) });
        this.send('message', s, (api) => api.reqMktData(reqId, orderContract(c.contract), '', true, false)).catch(reject);
        return () => {
          s.api.off(EventName.tickSnapshotEnd, onEnd);
          this.requests.delete(reqId);
        };
      });
    } finally {
      this.mdByReq.delete(reqId);
    }
    const q = this.quotes.get(instrumentId);
    return q ? this.toQuote(instrumentId, q) : undefined;
  }

  /** Top of book only: TWS depth (reqMktDepth) needs a paid subscription per exchange. */
  book(instrumentId: string, _depth: number): BookSnapshot | undefined {
    const q = this.quote(instrumentId);
    if (!q) return undefined;
    return {
      instrumentId,
      bids: q.bid ? [{ price: q.bid, qty: q.bidSize ?? '0' }] : [],
      asks: q.ask ? [{ price: q.ask, qty: q.askSize ?? '0' }] : [],
      ts: q.ts,
    };
  }

  // ── orders ────────────────────────────────────────────────────────────────────────────────

  submit(order: Order): Promise<SubmitAck> {
    return this.submitIntent(intentFromOrder(order), order.instrumentId);
  }

  /**
   * Places an order with IB's extras (trailing, OPG, outside RTH, OCA). Throws VenueRejectedError
   * when nothing was sent or TWS refused it, OutcomeUnknownError when it may be working.
   */
  async submitIntent(intent: IbOrderIntent, instrumentId: string): Promise<SubmitAck> {
    const [ack] = await this.placeGroup(instrumentId, [intent]);
    return ack!;
  }

  /**
   * A bracket: the parent, then its take-profit and stop-loss children. TWS holds the legs until
   * the last one arrives with transmit=true, so the group goes live together or not at all.
   */
  async submitBracket(instrumentId: string, parent: IbOrderIntent, takeProfit: IbOrderIntent, stopLoss: IbOrderIntent): Promise<SubmitAck[]> {
    return this.placeGroup(instrumentId, [parent, takeProfit, stopLoss], true);
  }

  /** The venue port's bracket path: the engine's journaled entry and children (one or two), as one IB group. */
  async submitBracketOrders(parent: Order, children: readonly Order[]): Promise<SubmitAck[]> {
    return this.placeGroup(parent.instrumentId, [intentFromOrder(parent), ...children.map((c) => intentFromOrder(c))], true);
  }

  /** Everything the unified ticket can ask for except fill-or-kill (see tifToIb). */
  capabilities(): OrderCapabilities {
    return IBKR_CAPABILITIES;
  }

  private async placeGroup(instrumentId: string, intents: IbOrderIntent[], bracket = false): Promise<SubmitAck[]> {
    const s = this.tradingSession();
    const c = this.cache.get(instrumentId);
    if (!c) throw new VenueRejectedError(`Interactive Brokers has no contract for ${instrumentId} in Tradeport's cache; search for the symbol first.`, 'unknown_instrument');
    for (const i of intents) {
      const sent = this.ids.byClientOrderId(i.clientOrderId);
      // Never a second send for one client order id: whatever happened to the first is looked up.
      if (sent) throw new OutcomeUnknownError(`Order ${i.clientOrderId} was already sent to IB as order ${sent.orderId}; its state is looked up, it is never sent twice.`);
    }
    // Check every leg maps before any id is used or byte is sent.
    const mapped = intents.map((i, k) => {
      try {
        return toIbOrder({ ...i, ...(bracket ? { transmit: k === intents.length - 1 } : {}) }, c.instrument, this.account);
      } catch (e) {
        if (e instanceof IbMappingError) throw new VenueRejectedError(e.message, 'unsupported_order');
        throw e;
      }
    });
    const now = this.clock.now();
    const orderIds: number[] = [];
    for (const i of intents) orderIds.push(this.ids.takeForOrder(i.clientOrderId, s.clientId, c.instrument.id, now));
    if (bracket) for (let k = 1; k < mapped.length; k++) mapped[k]!.parentId = orderIds[0];
    // Each ack is awaited from the moment its order leaves (the limiter may hold it back a while).
    const acks: Array<Promise<OrderStatus>> = [];
    for (let k = 0; k < mapped.length; k++) {
      const orderId = orderIds[k]!;
      const v = this.viewFor(orderId, s.clientId, 0, intents[k]!.clientOrderId)!;
      const it = intents[k]!;
      Object.assign(v, {
        instrumentId: c.instrument.id,
        side: it.side,
        type: it.type === 'trailing' ? 'trailing_stop' : it.type,
        qty: it.qty,
        tif: it.tif,
        ...(it.limitPrice ? { limitPrice: it.limitPrice } : {}),
        ...(it.stopPrice ? { stopPrice: it.stopPrice } : {}),
      });
      try {
        await this.send('orderNew', s, (api) => api.placeOrder(orderId, orderContract(c.contract), mapped[k]!));
      } catch {
        // Not sent: this leg and any after it never left; earlier legs of a bracket stay untransmitted in TWS.
        for (let j = k; j < mapped.length; j++) this.forgetView(String(orderIds[j]));
        for (const a of acks) a.catch(() => undefined);
        throw new VenueRejectedError(`The connection to TWS dropped before order ${intents[k]!.clientOrderId} was sent; nothing was placed.`, 'venue_unavailable');
      }
      // Registered in the same tick as the send: TWS's answer can only arrive on a later one.
      const ack = this.awaitAck(s, orderId);
      ack.catch(() => undefined);
      acks.push(ack);
    }
    const out: SubmitAck[] = [];
    for (let k = 0; k < acks.length; k++) out.push({ venueOrderId: String(orderIds[k]), status: await acks[k]! });
    return out;
  }

  private forgetView(vid: string): void {
    const v = this.views.get(vid);
    if (!v) return;
    this.views.delete(vid);
    this.viewByCoid.delete(v.clientOrderId);
  }

  private awaitAck(s: IbSession, orderId: number): Promise<OrderStatus> {
    return this.pending<OrderStatus>(
      s.id,
      this.settings.ackTimeoutMs,
      () => new OutcomeUnknownError(`TWS did not acknowledge IB order ${orderId} within ${this.settings.ackTimeoutMs} ms; Tradeport looks it up instead of sending it again.`),
      (resolve, reject) => {
        this.acks.set(orderId, {
          resolve,
          reject: (e) => reject(e),
        });
        return () => this.acks.delete(orderId);
      },
    ).catch((e: Error) => {
      if (e instanceof VenueRejectedError || e instanceof OutcomeUnknownError) throw e;
      throw new OutcomeUnknownError(`${e.message} before TWS acknowledged IB order ${orderId}; Tradeport looks it up after reconnecting and never sends it twice.`);
    });
  }

  async cancel(order: Order): Promise<void> {
    const row = this.ids.byClientOrderId(order.clientOrderId);
    if (!row) {
      if (order.venueOrderId?.startsWith('p')) {
        throw new VenueRejectedError('This order was placed in TWS by hand (or by another program); Tradeport shows it read-only. Cancel it in TWS.', 'external_order');
      }
      throw new VenueRejectedError(`Interactive Brokers has no order ${order.clientOrderId} from Tradeport.`, 'not_found');
    }
    const s = this.querySession();
    if (row.clientId !== s.clientId) {
      throw new VenueRejectedError(`Order ${order.clientOrderId} was placed under API client id ${row.clientId}, and this session is client ${s.clientId}: TWS lets only the placing client cancel it. Cancel it in TWS.`, 'wrong_client');
    }
    try {
      await this.send('orderCancel', s, (api) => api.cancelOrder(row.orderId));
    } catch (e) {
      throw new VenueRejectedError(`The cancel could not be sent: ${(e as Error).message}.`, 'venue_unavailable');
    }
    // Registered in the same tick as the send; TWS answers on a later one.
    await this.pending<OrderStatus | undefined>(
      s.id,
      5_000,
      () => new Error('timeout'),
      (resolve, reject) => {
        this.cancels.set(row.orderId, { resolve, reject });
        return () => this.cancels.delete(row.orderId);
      },
    ).catch((e: Error) => {
      // No answer yet is not a refusal: the status arrives through the stream later.
      if (e instanceof VenueRejectedError) throw e;
      return undefined;
    });
  }

  /**
   * IB modifies an order by sending placeOrder again with the same order id and the new terms.
   * Acknowledged when TWS echoes those terms; an error for the id is a refusal; silence or a
   * dropped socket is an unknown outcome (looked up, never sent again).
   */
  async replace(order: Order, changes: ReplaceChanges): Promise<ReplaceAck> {
    const row = this.ids.byClientOrderId(order.clientOrderId);
    if (!row) {
      if (order.venueOrderId?.startsWith('p')) throw new VenueRejectedError('This order was placed in TWS by hand (or by another program); Tradeport shows it read-only. Modify it in TWS.', 'external_order');
      throw new VenueRejectedError(`Interactive Brokers has no order ${order.clientOrderId} from Tradeport.`, 'not_found');
    }
    const s = this.tradingSession();
    if (row.clientId !== s.clientId) {
      throw new VenueRejectedError(`Order ${order.clientOrderId} was placed under API client id ${row.clientId}, and this session is client ${s.clientId}: TWS lets only the placing client modify it. Modify it in TWS.`, 'wrong_client');
    }
    const c = this.cache.get(row.instrumentId);
    if (!c) throw new VenueRejectedError(`Interactive Brokers has no contract for ${row.instrumentId} in Tradeport's cache; search for the symbol first.`, 'unknown_instrument');
    const next = { ...order, ...changes } as Order;
    let mapped: IbOrder;
    try {
      mapped = toIbOrder(intentFromOrder(next), c.instrument, this.account);
    } catch (e) {
      if (e instanceof IbMappingError) throw new VenueRejectedError(e.message, 'unsupported_order');
      throw e;
    }
    const want = { qty: next.qty, ...(next.limitPrice ? { limitPrice: next.limitPrice } : {}), ...(next.stopPrice ? { stopPrice: next.stopPrice } : {}) };
    try {
      await this.send('orderNew', s, (api) => api.placeOrder(row.orderId, orderContract(c.contract), mapped));
    } catch {
      throw new VenueRejectedError('The connection to TWS dropped before the change was sent; the order works on unchanged.', 'venue_unavailable');
    }
    // Registered in the same tick as the send: TWS's answer can only arrive on a later one.
    const done = this.pending<void>(
      s.id,
      this.settings.ackTimeoutMs,
      () => new OutcomeUnknownError(`TWS did not acknowledge the change to IB order ${row.orderId} within ${this.settings.ackTimeoutMs} ms; Tradeport looks it up instead of sending it again.`),
      (resolve, reject) => {
        this.modifies.set(row.orderId, { want, resolve: () => resolve(), reject });
        return () => this.modifies.delete(row.orderId);
      },
    );
    await done.catch((e: Error) => {
      if (e instanceof VenueRejectedError || e instanceof OutcomeUnknownError) throw e;
      throw new OutcomeUnknownError(`${e.message} before TWS acknowledged the change to IB order ${row.orderId}; Tradeport looks it up and never sends it twice.`);
    });
    const v = this.views.get(String(row.orderId));
    return {
      venueOrderId: String(row.orderId),
      status: v?.status ?? 'accepted',
      qty: v?.qty ?? next.qty,
      ...((v?.limitPrice ?? next.limitPrice) ? { limitPrice: (v?.limitPrice ?? next.limitPrice)! } : {}),
      ...((v?.stopPrice ?? next.stopPrice) ? { stopPrice: (v?.stopPrice ?? next.stopPrice)! } : {}),
    };
  }

  async lookup(clientOrderId: string): Promise<VenueOrderReport | undefined> {
    const known = this.viewByCoid.get(clientOrderId);
    const v = known ? this.views.get(known) : undefined;
    if (v && v.ours && (this.conn.state === 'connected' || this.conn.state === 'degraded')) return this.report(v);
    // The row is committed before any send: without it, IB cannot have this order.
    const row = this.ids.byClientOrderId(clientOrderId);
    if (!row) return v ? this.report(v) : undefined;
    const s = this.querySession();
    await this.refreshOpenOrders(s);
    let hit = this.viewByCoid.get(clientOrderId);
    if (!hit) {
      await this.refreshCompleted(s);
      hit = this.viewByCoid.get(clientOrderId);
    }
    const found = hit ? this.views.get(hit) : undefined;
    return found ? this.report(found) : undefined;
  }

  async openOrders(): Promise<VenueOrderReport[]> {
    const s = this.querySession();
    const before = [...this.views.values()].filter((v) => !isTerminal(v.status));
    const seen = new Set<string>();
    const mark = (orderId: number, _c: Contract, order: IbOrder) => {
      const v = this.viewFor(orderId, order.clientId ?? 0, order.permId ?? 0, order.orderRef);
      if (v) seen.add(v.venueOrderId);
    };
    s.api.on(EventName.openOrder, mark);
    try {
      await this.refreshOpenOrders(s);
    } finally {
      s.api.off(EventName.openOrder, mark);
    }
    // Orders we thought working that TWS no longer lists finished while we were not told.
    if (before.some((v) => !seen.has(v.venueOrderId))) await this.refreshCompleted(s);
    // An order typed into TWS for a contract we never looked up: its conId is resolved before it is
    // adopted, so the blotter shows the symbol, not the number.
    const unresolved = new Set([...this.views.values()].flatMap((v) => (!v.ours && v.instrumentId && seen.has(v.venueOrderId) && !this.cache.get(v.instrumentId) ? [v.instrumentId] : [])));
    await Promise.all([...unresolved].map((id) => this.lookupInstrument(id).catch(() => undefined)));
    const out = [...this.views.values()].filter((v) => !isTerminal(v.status) && seen.has(v.venueOrderId) && (v.ours || (v.instrumentId && v.side && v.type && v.qty)));
    for (const v of out) {
      if (v.ours) continue;
      v.surfaced = true;
      v.lastSent = undefined;
    }
    return out.map((v) => this.report(v));
  }

  async fillsSince(sinceTs: number): Promise<VenueFillReport[]> {
    const s = this.querySession();
    const reqId = this.nextReqId();
    const execIds = await this.pending<string[]>(s.id, 15_000, () => new Error('TWS did not finish listing executions'), (resolve, reject) => {
      const ids: string[] = [];
      this.execCollectors.set(reqId, ids);
      const onEnd = (id: number) => id === reqId && resolve(ids);
      s.api.on(EventName.execDetailsEnd, onEnd);
      this.requests.set(reqId, { onError: (code, message) => reject(new Error(`${message} (${code})`)) });
      this.send('message', s, (api) => api.reqExecutions(reqId, { clientId: '0', acctCode: this.account, time: ibFilterTime(sinceTs) })).catch(reject);
      return () => {
        s.api.off(EventName.execDetailsEnd, onEnd);
        this.execCollectors.delete(reqId);
        this.requests.delete(reqId);
      };
    });
    const floor = Math.floor(sinceTs / 1000) * 1000;
    const out: VenueFillReport[] = [];
    for (const id of execIds) {
      // A fill without its commission report is left for the next pass (it is never sent twice with fee 0).
      const f = this.fillOf(id);
      if (f && f.ts >= floor) out.push(f);
    }
    return out;
  }

  async positions(): Promise<Position[]> {
    return this.refreshPositions(this.querySession());
  }

  async balances(): Promise<Balance[]> {
    const s = this.querySession();
    const reqId = this.nextReqId();
    const values = await this.pending<Map<string, { value: string; currency: string }>>(s.id, 15_000, () => new Error('TWS did not answer the account summary'), (resolve, reject) => {
      const collect = new Map<string, { value: string; currency: string }>();
      this.summaryCollect = collect;
      const onEnd = (id: number) => id === reqId && resolve(collect);
      s.api.on(EventName.accountSummaryEnd, onEnd);
      this.requests.set(reqId, { onError: (code, message) => reject(new Error(`${message} (${code})`)) });
      this.send('message', s, (api) => api.reqAccountSummary(reqId, 'All', 'TotalCashValue,AvailableFunds,NetLiquidation,BuyingPower,EquityWithLoanValue,InitMarginReq,MaintMarginReq')).catch(reject);
      return () => {
        s.api.off(EventName.accountSummaryEnd, onEnd);
        this.requests.delete(reqId);
        if (this.summaryCollect === collect) this.summaryCollect = undefined;
      };
    });
    void this.send('message', s, (api) => api.cancelAccountSummary(reqId)).catch(() => undefined);
    const b = this.balanceFrom(values);
    return b ? [b] : [];
  }

  /** NetLiquidation and BuyingPower as TWS streams them for the account (reqAccountUpdates). */
  accountFigures(): VenueAccountFigures | undefined {
    const net = this.accountValues.get('NetLiquidation');
    const bp = this.accountValues.get('BuyingPower');
    const ok = (v: { value: string } | undefined) => v !== undefined && v.value.trim() !== '' && Number.isFinite(Number(v.value));
    if (!ok(net) && !ok(bp)) return undefined;
    return {
      currency: (net ?? bp)!.currency || 'USD',
      ...(ok(net) ? { netLiquidation: toStr(new Decimal(net!.value)) } : {}),
      ...(ok(bp) ? { buyingPower: toStr(new Decimal(bp!.value)) } : {}),
    };
  }

  /** Latest account values (NetLiquidation, BuyingPower, …) as TWS streams them. */
  accountValue(key: string): string | undefined {
    return this.accountValues.get(key)?.value;
  }

  // ── preview ───────────────────────────────────────────────────────────────────────────────

  async preview(inst: Instrument, t: NormalizedTicket): Promise<VenuePreview> {
    // The whatIf is the entry's (a bracket's children only ever reduce what it opens).
    return this.previewIntent(inst, intentFromOrder({ ...t, clientOrderId: '' }));
  }

  /** The unified preview from IB's own whatIf answer: commission, margin before and after, equity with loan. */
  async previewIntent(inst: Instrument, intent: IbOrderIntent): Promise<VenuePreview & { whatIf?: WhatIfNumbers }> {
    const warnings: PreviewIssue[] = [];
    const violations: PreviewIssue[] = [];
    const roll = rollAlert(inst, this.clock.now(), this.settings.rollAlertDays, this.cache.all());
    if (roll) warnings.push({ code: 'ib.roll', message: roll });
    const q = this.quote(inst.id);
    const qty = new Decimal(intent.qty);
    const mult = new Decimal(inst.multiplier);
    const touch = intent.side === 'buy' ? q?.ask : q?.bid;
    const px = intent.limitPrice ?? (intent.type === 'stop' ? intent.stopPrice : undefined) ?? touch ?? q?.last;
    const price = px ? new Decimal(px) : undefined;
    const notional = price ? qty.mul(price).mul(mult) : undefined;
    const base = (fee: Decimal | undefined, bpBefore: Decimal | undefined, bpAfter: Decimal | undefined, whatIf?: WhatIfNumbers) => {
      const total = notional && fee ? (inst.assetClass === 'future' ? fee : intent.side === 'buy' ? notional.plus(fee) : notional.minus(fee)) : null;
      return {
        estPrice: price ? toStr(price) : null,
        estNotional: notional ? toStr(notional.toDecimalPlaces(2)) : null,
        estFee: fee ? toStr(fee) : null,
        estTotal: total ? toStr(total.toDecimalPlaces(2)) : null,
        currency: inst.quote,
        buyingPowerBefore: bpBefore ? toStr(bpBefore.toDecimalPlaces(2, Decimal.ROUND_DOWN)) : null,
        buyingPowerAfter: bpAfter ? toStr(bpAfter.toDecimalPlaces(2, Decimal.ROUND_DOWN)) : null,
        warnings,
        violations,
        ...(whatIf ? { whatIf } : {}),
      };
    };
    let ibOrder: IbOrder;
    try {
      ibOrder = toIbOrder({ ...intent, clientOrderId: '' }, inst, this.account);
    } catch (e) {
      if (!(e instanceof IbMappingError)) throw e;
      violations.push({ code: 'unsupported_order', message: e.message });
      return base(undefined, undefined, undefined);
    }
    if (this.conn.state === 'degraded') {
      violations.push({ code: 'venue_degraded', message: DEGRADED_MESSAGE });
      return base(undefined, undefined, undefined);
    }
    const s = this.conn.current;
    const c = this.cache.get(inst.id);
    if (!s || !c) {
      violations.push({ code: 'venue_unavailable', message: `Interactive Brokers is not connected (${this.conn.reason}); orders cannot be previewed or placed now.` });
      return base(undefined, undefined, undefined);
    }
    // A whatIf order takes a real order id (burned, never reused) and never becomes a working order.
    const orderId = this.ids.take();
    let w: WhatIfNumbers;
    try {
      await this.send('orderNew', s, (api) => api.placeOrder(orderId, orderContract(c.contract), { ...ibOrder, whatIf: true, orderRef: '' }));
      w = await this.pending<WhatIfNumbers>(s.id, 5_000, () => new Error('TWS did not answer the margin preview in time'), (resolve, reject) => {
        this.whatIfs.set(orderId, { resolve, reject });
        return () => this.whatIfs.delete(orderId);
      });
    } catch (e) {
      if (e instanceof VenueRejectedError) violations.push({ code: 'venue_rejected', message: e.message });
      else warnings.push({ code: 'ib.whatif_unavailable', message: `IB's margin preview is unavailable: ${(e as Error).message}. Commission and margin are not shown.` });
      return base(undefined, undefined, undefined);
    }
    const before = w.equityWithLoanBefore && w.initMarginBefore ? w.equityWithLoanBefore.minus(w.initMarginBefore) : undefined;
    const after = w.equityWithLoanAfter && w.initMarginAfter ? w.equityWithLoanAfter.minus(w.initMarginAfter) : undefined;
    if (w.warningText) warnings.push({ code: 'ib.warning', message: `IB: ${w.warningText}` });
    const m = (d: Decimal | undefined) => (d ? d.toDecimalPlaces(2).toFixed(2) : '—');
    warnings.push({
      code: 'ib.margin',
      message: `IB margin: initial ${m(w.initMarginBefore)} → ${m(w.initMarginAfter)}, maintenance ${m(w.maintMarginBefore)} → ${m(w.maintMarginAfter)}, equity with loan ${m(w.equityWithLoanBefore)} → ${m(w.equityWithLoanAfter)} ${w.commissionCurrency ?? inst.quote}.`,
    });
    if (after && after.lt(0)) {
      violations.push({
        code: 'insufficient_funds',
        message: `IB would not accept this order: initial margin after it (${m(w.initMarginAfter)}) exceeds equity with loan (${m(w.equityWithLoanAfter)}). Reduce the quantity.`,
      });
    }
    return base(w.commission, before, after, w);
  }
}
