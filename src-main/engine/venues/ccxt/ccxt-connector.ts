/**
 * Any exchange ccxt trades, behind the venue port: a thin front over ccxt's unified methods.
 * Rules it keeps:
 * - every request goes through our HTTP kit (ccxt-http.ts): our limiter (ccxt's throttler off),
 *   the breaker on order calls, a submit sent once — a lost answer is OutcomeUnknownError,
 *   resolved by `lookup` (open and recent orders scanned for our client id), never resent;
 * - our client id travels in ccxt's unified `clientOrderId` param, and the order's market is
 *   written before it is sent (ccxt_orders), so a lookup after a lost answer or a restart knows
 *   where to look;
 * - orders and fills stream through ccxt.pro where the exchange has it (ccxt-streams.ts), and are
 *   polled every `pollMs` for the markets with working orders either way; a failed poll reports
 *   `disconnected`, the next good one `connected`, so the engine reconciles on reconnect.
 */
import type * as Ccxt from 'ccxt';
import type { Instrument } from '../../domain/instrument';
import type { Balance, BookSnapshot, Order, Position, Quote } from '../../domain/order';
import type { NormalizedTicket } from '../../domain/order-validation';
import { BASIC_CAPABILITIES, type OrderCapabilities } from '../../domain/order-capabilities';
import { CircuitBreaker } from '../../net/circuit-breaker';
import { VenueHealthReporter } from '../../net/venue-health';
import { systemClock, type TimerHandle } from '../../ports/clock';
import type { VenueCall } from '../submit-errors';
import { VenueRejectedError } from '../venue-port';
import type { ReplaceAck, ReplaceChanges, SubmitAck, VenueConnector, VenueContext, VenueFillReport, VenueListener, VenueOrderReport, VenuePreview, VenueStatus } from '../venue-port';
import { balancesFrom, ccxtPreview, positionsFrom, quoteFrom } from './ccxt-account';
import { CcxtMarketData } from './ccxt-market-data';
import { ccxtCapabilities } from './ccxt-capabilities';
import { readCcxtSettings, type CcxtSettings } from './ccxt-config';
import { ccxtBoundaryError, isOrderNotFound, type CcxtLib, type CcxtNames } from './ccxt-errors';
import { buildExchange, loadCredentials, missingCredentials } from './ccxt-exchange';
import { CcxtHttp, type CcxtGroup } from './ccxt-http';
import { CcxtInstruments, type CcxtMarketLike } from './ccxt-instruments';
import { budgetCost, ccxtLimits, sharedLimiter } from './ccxt-limits';
import { createOrderArgs, exactNumber, fillReport, orderReport, type CcxtOrderLike, type CcxtTradeLike } from './ccxt-mapping';
import { CcxtOrderIds } from './ccxt-order-ids';
import { venueClientId } from './ccxt-client-ids';
import { CcxtStreams } from './ccxt-streams';
import { CcxtTracker } from './ccxt-tracker';

export interface CcxtConnectorOptions {
  readonly timeoutMs?: number;
  readonly breakerOpenMs?: number;
}

interface Live {
  readonly lib: CcxtLib;
  readonly ex: Ccxt.Exchange;
  readonly http: CcxtHttp;
  readonly reporter: VenueHealthReporter;
  readonly streams: CcxtStreams;
}

const WORKING = ['accepted', 'partially_filled', 'submitted'];

const CLOSED_SCANS = ['fetchClosedOrders', 'fetchCanceledAndClosedOrders', 'fetchOrders'] as const;

export class CcxtConnector implements VenueConnector {
  readonly kind = 'ccxt';
  readonly name: string;
  readonly settings: CcxtSettings;
  private readonly breaker: CircuitBreaker;
  private readonly insts = new CcxtInstruments();
  private readonly ids: CcxtOrderIds;
  private readonly track = new CcxtTracker();
  private readonly market = new CcxtMarketData((q) => this.listener?.quote(q));
  private readonly timeoutMs: number;
  private caps: OrderCapabilities = BASIC_CAPABILITIES;
  private live: Promise<Live> | undefined;
  private ready: Live | undefined;
  private listener: VenueListener | undefined;
  private status: VenueStatus = { state: 'disconnected', detail: 'not started' };
  private timer: TimerHandle | undefined;
  private lastBalances: Balance[] | undefined;

  constructor(
    private readonly ctx: VenueContext,
    opts: CcxtConnectorOptions = {},
  ) {
    this.name = ctx.name;
    this.settings = readCcxtSettings(ctx.settings);
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.ids = new CcxtOrderIds(ctx.db, ctx.name, () => ctx.clock.now());
    this.breaker = new CircuitBreaker(ctx.name, { displayName: this.settings.exchange, openMs: opts.breakerOpenMs ?? 60_000 });
  }

  private names(ex?: Ccxt.Exchange): CcxtNames {
    return { venue: this.name, exchange: this.settings.exchange, displayName: String(ex?.name ?? this.settings.exchange) };
  }

  /** ccxt loaded, the exchange built and its markets read: once, shared by every caller until it fails. */
  private connect(): Promise<Live> {
    this.live ??= (async () => {
      const creds = await loadCredentials(this.ctx.secrets, this.name);
      let limits = ccxtLimits(this.settings.exchange, 1000);
      const http = new CcxtHttp({
        venue: this.name,
        displayName: this.settings.exchange,
        limiter: () => sharedLimiter(limits, creds.apiKey ?? creds.walletAddress ?? this.name),
        breaker: this.breaker,
        timeoutMs: this.timeoutMs,
        secrets: () => Object.values(creds),
        cost: (c) => budgetCost(limits, c),
      });
      const { lib, exchange: ex } = await buildExchange(this.settings, creds, http, this.timeoutMs);
      limits = ccxtLimits(this.settings.exchange, Number(ex.rateLimit));
      const missing = missingCredentials(ex.requiredCredentials as Record<string, unknown>, creds, this.name, String(ex.name));
      if (missing) throw new VenueRejectedError(missing, 'secret_missing');
      await http.within('query', () => ex.loadMarkets());
      this.insts.load(this.name, Object.values(ex.markets as Record<string, unknown>) as CcxtMarketLike[], Number(ex.precisionMode));
      this.caps = ccxtCapabilities(ex.has as Record<string, unknown>, ex.features as Record<string, unknown> | undefined);
      const reporter = new VenueHealthReporter({ limiter: http.limiter(), breaker: this.breaker, onReport: (r) => this.listener?.health?.(r) });
      const streams = new CcxtStreams(
        ex,
        {
          orders: (xs) => (xs as CcxtOrderLike[]).filter((o) => this.ids.of(this.cidOf(o))).forEach((o) => this.emit(this.report(o))),
          trades: (xs) => this.emitFills(this.fillsOf(xs as CcxtTradeLike[])),
          book: (symbol, b) => {
            const id = this.insts.find(symbol)?.id;
            if (id) this.market.setBook(id, b, this.ctx.clock.now());
          },
          trouble: (what, e) => console.warn(`[${this.name}] ${what}: ${(e as Error).message}; retrying (orders and fills are polled meanwhile)`),
        },
        Math.max(1000, this.settings.pollMs),
      );
      return (this.ready = { lib, ex, http, reporter, streams });
    })().catch((e: unknown) => {
      this.live = undefined;
      throw e;
    });
    return this.live;
  }

  async start(listener: VenueListener): Promise<void> {
    this.listener = listener;
    this.setState('connecting', `loading ${this.settings.exchange} markets through ccxt`);
    void this.poll();
  }

  async stop(): Promise<void> {
    if (this.timer) systemClock.clearTimeout(this.timer);
    this.timer = undefined;
    this.listener = undefined;
    this.ready?.reporter.stop();
    await this.ready?.streams.stop();
    this.ready?.http.close();
    this.ready = undefined;
    this.live = undefined;
    this.status = { state: 'disconnected', detail: 'stopped' };
  }

  private setState(state: VenueStatus['state'], detail: string): void {
    if (this.status.state === state && this.status.detail === detail) return;
    this.status = { state, detail };
    this.listener?.state(state, detail);
  }

  /** One polling round, then the next after `pollMs` (never two at once). */
  private async poll(): Promise<void> {
    const wasReady = this.ready !== undefined;
    try {
      const live = await this.connect();
      if (!wasReady) {
        live.reporter.start();
        live.streams.start();
      }
      await this.round(live);
      this.setState('connected', `${String(live.ex.name)} through ccxt: polling every ${this.settings.pollMs} ms`);
    } catch (e) {
      const auth = e instanceof VenueRejectedError || (this.ready !== undefined && e instanceof this.ready.lib.AuthenticationError);
      this.setState(auth ? 'error' : 'disconnected', `${this.settings.exchange}: ${(e as Error).message}`);
    }
    if (this.listener) this.timer = systemClock.setTimeout(() => void this.poll(), this.settings.pollMs);
  }

  /** Fills, then order changes, for every market with a working order (or a clock ping when none). */
  private async round(live: Live): Promise<void> {
    const symbols = this.track.symbols();
    if (symbols.length === 0) {
      if (live.ex.has['fetchTime']) await this.query(() => live.ex.fetchTime());
      return;
    }
    for (const symbol of symbols) {
      this.emitFills(await this.tradesOn(live, symbol, this.track.lastFillTs > 0 ? this.track.lastFillTs - 60_000 : undefined));
      const open = (await this.query(() => live.ex.fetchOpenOrders(symbol))) as CcxtOrderLike[];
      for (const cid of this.track.workingOn(symbol)) {
        const o = open.find((x) => this.isOurs(x, cid)) ?? (await this.scanClosed(live, symbol, cid));
        if (o) this.emit(this.report(o, cid));
      }
    }
  }

  /** A report for one of our orders, sent when it says something new; a finished order is no longer polled. */
  private emit(r: VenueOrderReport): void {
    if (this.track.changed(r)) this.listener?.orderReport(r);
    if (!WORKING.includes(r.status)) this.track.forget(r.clientOrderId);
  }

  private emitFills(fs: readonly VenueFillReport[]): void {
    for (const f of fs) if (this.track.newFill(f.venueFillId, f.ts)) this.listener?.fill(f);
  }

  private query<T>(f: () => Promise<T>, group: CcxtGroup = 'query'): Promise<T> {
    return this.ready ? this.ready.http.within(group, f) : f();
  }

  /** A venue call that may change an order: boundary errors only (rejected or outcome unknown). */
  private async act<T>(group: CcxtGroup, call: VenueCall, f: (live: Live) => Promise<T>): Promise<T> {
    const live = await this.connect().catch((e: unknown) => {
      throw new VenueRejectedError(`${this.settings.exchange} is not connected (${(e as Error).message}); the ${call} was not sent.`, 'venue_unavailable');
    });
    try {
      return await live.http.within(group, () => f(live));
    } catch (e) {
      throw ccxtBoundaryError(e, live.lib, this.names(live.ex), call);
    }
  }

  /** Ours by the order id we recorded, else the exchange's client id (an order placed elsewhere), else its id. */
  private cidOf(o: CcxtOrderLike): string {
    return this.ids.cidOf(o.id) ?? (o.clientOrderId || o.id);
  }

  private isOurs(o: CcxtOrderLike, cid: string): boolean {
    return this.ids.cidOf(o.id) === cid || (o.clientOrderId !== undefined && o.clientOrderId === venueClientId(this.settings.exchange, cid));
  }

  private report(o: CcxtOrderLike, cid = this.cidOf(o)): VenueOrderReport {
    if (this.ids.of(cid)?.venueOrderId === null) this.ids.acked(cid, o.id);
    return orderReport(o, this.insts.find(o.symbol)?.id, cid, this.ctx.clock.now());
  }

  private async tradesOn(live: Live, symbol: string, since?: number): Promise<VenueFillReport[]> {
    return this.fillsOf((await this.query(() => live.ex.fetchMyTrades(symbol, since))) as CcxtTradeLike[]);
  }

  /** Our fills among ccxt trades (those of orders we sent). */
  private fillsOf(trades: readonly CcxtTradeLike[]): VenueFillReport[] {
    return trades.flatMap((t) => {
      const instrumentId = t.symbol !== undefined ? this.insts.find(t.symbol)?.id : undefined;
      const cid = t.order !== undefined ? this.ids.cidOf(t.order) : undefined;
      const f = cid && instrumentId ? fillReport(t, instrumentId, cid) : undefined;
      return f ? [f] : [];
    });
  }

  /** Our order among the market's recent closed orders, by client id (or our recorded order id). */
  private async scanClosed(live: Live, symbol: string, cid: string): Promise<CcxtOrderLike | undefined> {
    const method = CLOSED_SCANS.find((m) => live.ex.has[m]);
    if (!method) return undefined;
    const list = (await this.query(() => (live.ex[method] as (s: string) => Promise<unknown[]>).call(live.ex, symbol))) as CcxtOrderLike[];
    return list.find((o) => this.isOurs(o, cid));
  }

  state(): VenueStatus {
    return this.status;
  }

  health() {
    return this.ready?.reporter.report() ?? { usage: null, breaker: null };
  }

  capabilities(): OrderCapabilities {
    return this.caps;
  }

  instruments(): readonly Instrument[] {
    return this.insts.all();
  }

  instrument(idOrSymbol: string): Instrument | undefined {
    return this.insts.find(idOrSymbol);
  }

  quote(instrumentId: string): Quote | undefined {
    return this.market.quote(instrumentId);
  }

  async snapshotQuote(instrumentId: string): Promise<Quote | undefined> {
    const inst = this.insts.find(instrumentId);
    if (!inst) return undefined;
    const live = await this.connect();
    return this.market.setQuote(quoteFrom(inst.id, await this.query(() => live.ex.fetchTicker(inst.venueSymbol)), this.ctx.clock.now()));
  }

  /** Streamed where the exchange has a book stream (started on first ask); undefined until its first snapshot. */
  book(instrumentId: string, depth: number): BookSnapshot | undefined {
    const inst = this.insts.find(instrumentId);
    return inst && this.ready?.streams.watchBook(inst.venueSymbol) ? this.market.book(inst.id, depth) : undefined;
  }

  private inst(order: Order): Instrument {
    const inst = this.insts.find(order.instrumentId) ?? this.insts.find(order.symbol);
    if (!inst) throw new VenueRejectedError(`${this.settings.exchange} lists no market ${order.symbol}; search with: tradeport instruments ${this.name} ${order.symbol}`, 'unknown_instrument');
    return inst;
  }

  async submit(order: Order): Promise<SubmitAck> {
    await this.connect().catch(() => undefined);
    const inst = this.inst(order);
    const args = createOrderArgs(order, inst.venueSymbol, this.insts.isContract(inst.id), venueClientId(this.settings.exchange, order.clientOrderId));
    this.ids.sending(order.clientOrderId, inst.venueSymbol);
    this.track.watch(order.clientOrderId, inst.venueSymbol);
    const o = (await this.act('orderNew', 'submit', (l) => l.ex.createOrder(args.symbol, args.type, args.side, args.amount, args.price, args.params))) as CcxtOrderLike;
    this.ids.acked(order.clientOrderId, o.id);
    const r = orderReport(o, inst.id, order.clientOrderId, this.ctx.clock.now());
    return { venueOrderId: o.id, status: r.status === 'submitted' ? 'accepted' : r.status };
  }

  /** The exchange's id and market for our order: from memory, or found by client id. */
  private async where(order: Order): Promise<{ id: string; symbol: string }> {
    const rec = this.ids.of(order.clientOrderId);
    const symbol = rec?.symbol ?? this.inst(order).venueSymbol;
    const id = order.venueOrderId ?? rec?.venueOrderId ?? (await this.lookup(order.clientOrderId))?.venueOrderId;
    if (!id) throw new VenueRejectedError(`${this.settings.exchange} has no order ${order.clientOrderId}.`, 'order_not_found');
    return { id, symbol };
  }

  async cancel(order: Order): Promise<void> {
    const { id, symbol } = await this.where(order);
    await this.act('orderCancel', 'cancel', (l) => l.ex.cancelOrder(id, symbol));
  }

  async replace(order: Order, changes: ReplaceChanges): Promise<ReplaceAck> {
    const { id, symbol } = await this.where(order);
    const qty = changes.qty ?? order.qty;
    const limitPrice = changes.limitPrice ?? order.limitPrice;
    const stopPrice = changes.stopPrice ?? order.stopPrice;
    const o = (await this.act('orderReplace', 'replace', (l) => {
      if (!l.ex.has['editOrder']) throw new VenueRejectedError(`${String(l.ex.name)} cannot modify an order in place; cancel it and place a new one.`, 'unsupported_order');
      const args = createOrderArgs(
        { ...order, qty, ...(limitPrice !== undefined ? { limitPrice } : {}), ...(stopPrice !== undefined ? { stopPrice } : {}) },
        symbol,
        this.insts.isContract(this.inst(order).id),
      );
      const { clientOrderId: _drop, ...params } = args.params;
      return l.ex.editOrder(id, symbol, args.type, args.side, args.amount, args.price, params);
    })) as CcxtOrderLike;
    this.track.watch(order.clientOrderId, symbol);
    return { venueOrderId: o.id || id, status: 'accepted', qty, ...(limitPrice !== undefined ? { limitPrice } : {}), ...(stopPrice !== undefined ? { stopPrice } : {}) };
  }

  async lookup(clientOrderId: string): Promise<VenueOrderReport | undefined> {
    const rec = this.ids.of(clientOrderId);
    // Written before every send: a client id we have no market for was never sent from here.
    if (!rec) return undefined;
    const live = await this.connect();
    let o: CcxtOrderLike | undefined;
    try {
      const open = (await this.query(() => live.ex.fetchOpenOrders(rec.symbol))) as CcxtOrderLike[];
      o = open.find((x) => this.isOurs(x, clientOrderId)) ?? (await this.scanClosed(live, rec.symbol, clientOrderId));
    } catch (e) {
      if (isOrderNotFound(e, live.lib)) return undefined;
      throw e;
    }
    if (!o) return undefined;
    const r = this.report(o, clientOrderId);
    if (WORKING.includes(r.status)) this.track.watch(clientOrderId, rec.symbol);
    return r;
  }

  async openOrders(): Promise<VenueOrderReport[]> {
    const live = await this.connect();
    const seen = new Map<string, CcxtOrderLike>();
    const symbols: (string | undefined)[] = [...new Set([...this.ids.symbols(), ...this.track.symbols()])];
    // Orders placed elsewhere: the whole account where the exchange lists it without a symbol.
    if (!(live.ex.features as Record<string, Record<string, Record<string, unknown>> | undefined>)?.['spot']?.['fetchOpenOrders']?.['symbolRequired']) symbols.unshift(undefined);
    for (const s of symbols) for (const o of (await this.query(() => live.ex.fetchOpenOrders(s))) as CcxtOrderLike[]) seen.set(o.id, o);
    const out = [...seen.values()].map((o) => this.report(o));
    for (const r of out) if (this.ids.of(r.clientOrderId)) this.track.watch(r.clientOrderId, this.ids.of(r.clientOrderId)!.symbol);
    return out;
  }

  async fillsSince(sinceTs: number): Promise<VenueFillReport[]> {
    const live = await this.connect();
    const out: VenueFillReport[] = [];
    for (const s of this.ids.symbols()) out.push(...(await this.tradesOn(live, s, sinceTs > 0 ? sinceTs : undefined)).filter((f) => f.ts >= sinceTs));
    return out;
  }

  async positions(): Promise<Position[]> {
    const live = await this.connect();
    if (!live.ex.has['fetchPositions']) return [];
    const ps = await this.query(() => live.ex.fetchPositions());
    return positionsFrom(this.name, ps as unknown as Parameters<typeof positionsFrom>[1], (s) => this.insts.find(s));
  }

  async balances(): Promise<Balance[]> {
    const live = await this.connect();
    const b = await this.query(() => live.ex.fetchBalance());
    this.lastBalances = balancesFrom(this.name, b as unknown as Parameters<typeof balancesFrom>[1]);
    return this.lastBalances;
  }

  async preview(inst: Instrument, t: NormalizedTicket): Promise<VenuePreview> {
    if (t.limitPrice) exactNumber(t.limitPrice, 'Limit price');
    const quote = this.market.quote(inst.id) ?? (await this.snapshotQuote(inst.id).catch(() => undefined));
    const balances = await this.balances().catch(() => this.lastBalances);
    return ccxtPreview(inst, t, quote, balances);
  }
}
