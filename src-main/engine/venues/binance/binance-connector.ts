/**
 * Binance spot behind the venue port: a thin front over the signed REST calls and the user data
 * subscription on the WebSocket API. Rules it keeps:
 * - our client id is Binance's `newClientOrderId`; the symbol of each is stored before sending, so
 *   a lookup (by `origClientOrderId`, per symbol) works after a lost answer or a restart;
 * - order calls go through HttpClient once (never retried) and `atVenueBoundary`;
 * - Binance's filters (tick, step, min notional) are checked before anything is sent;
 * - the user data subscription's answer makes the venue `connected`, a drop `disconnected`, so
 *   the engine reconciles through REST on every reconnect (Binance numbers no user event).
 */
import type { Instrument } from '../../domain/instrument';
import { Decimal } from '../../domain/money';
import type { Balance, BookSnapshot, Order, Position, Quote } from '../../domain/order';
import type { NormalizedTicket } from '../../domain/order-validation';
import type { OrderCapabilities } from '../../domain/order-capabilities';
import { BINANCE_CAPABILITIES } from './binance-capabilities';
import { CircuitBreaker } from '../../net/circuit-breaker';
import { HttpClient, HttpError } from '../../net/http-client';
import { RateLimiter } from '../../net/rate-limiter';
import { VenueHealthReporter } from '../../net/venue-health';
import type { ResilientWs } from '../../net/resilient-ws';
import { atVenueBoundary } from '../submit-errors';
import { dayStatsOf } from '../../market/live-quotes';
import type { ReplaceAck, ReplaceChanges, SubmitAck, VenueConnector, VenueContext, VenueFillReport, VenueListener, VenueOrderReport, VenuePreview, VenueStatus } from '../venue-port';
import { VenueRejectedError } from '../venue-port';
import { loadBinanceKeys, type BinanceKeys } from './binance-auth';
import { readBinanceSettings, type BinanceSettings } from './binance-config';
import { binanceErrors } from './binance-errors';
import { BinanceInstruments } from './binance-instruments';
import { binanceLimits } from './binance-limits';
import { fillFromExecution, orderParams, orderReport, portStatus, reportCid, reportFromExecution, reportVenueCid, venueCid, type ExecutionReport, type WireOrder } from './binance-mapping';
import { chainTotals, replaceOnBinance } from './binance-replace';
import { BinanceOrderSymbols } from './binance-order-symbols';
import { BinanceBooks } from './binance-books';
import { binancePreview, testParams } from './binance-preview';
import { BinanceRest, type WireAccount } from './binance-rest';
import { openUserStream, type AccountPosition } from './binance-user-stream';
import { ocoAcks, ocoParams, rejectedLegs } from './binance-oco';
import { bracketParams, type ListKind } from './binance-otoco';
import { fillsOf } from './binance-fills';

export interface BinanceConnectorOptions {
  readonly timeoutMs?: number;
  readonly breakerOpenMs?: number;
}

export class BinanceConnector implements VenueConnector {
  readonly kind = 'binance';
  readonly name: string;
  readonly settings: BinanceSettings;
  readonly rest: BinanceRest;
  private readonly http: HttpClient;
  private readonly market: HttpClient;
  private readonly breaker: CircuitBreaker;
  private readonly limiter = new RateLimiter(binanceLimits);
  private readonly reporter: VenueHealthReporter;
  private readonly insts = new BinanceInstruments();
  private readonly symbols: BinanceOrderSymbols;
  private readonly quotes = new Map<string, Quote>();
  readonly books: BinanceBooks;
  private keys: BinanceKeys | undefined;
  private listener?: VenueListener;
  private user?: ResilientWs;
  private ready = false;
  private lastAccount: WireAccount | undefined;

  constructor(
    private readonly ctx: VenueContext,
    opts: BinanceConnectorOptions = {},
  ) {
    this.name = ctx.name;
    this.settings = readBinanceSettings(ctx.settings);
    this.symbols = new BinanceOrderSymbols(ctx.db, ctx.name, () => ctx.clock.now());
    this.breaker = new CircuitBreaker(ctx.name, { displayName: 'Binance', openMs: opts.breakerOpenMs ?? 60_000 });
    const common = {
      venue: ctx.name,
      displayName: 'Binance',
      baseUrl: this.settings.restUrl,
      mapError: binanceErrors,
      timeoutMs: opts.timeoutMs ?? 10_000,
      retryBaseMs: 200,
      limiter: this.limiter,
      secrets: () => (this.keys ? [this.keys.apiSecret, this.keys.apiKey] : []),
    };
    // One weight budget for both; market data (book snapshots) stays out of the order breaker's count.
    this.http = new HttpClient({ ...common, breaker: this.breaker });
    this.market = new HttpClient(common);
    const now = (): number => ctx.clock.now();
    this.rest = new BinanceRest(this.http, this.market, () => this.requireKeys(), now);
    const events = { quote: (q: Quote) => this.onQuote(q), note: (id: string, message: string) => console.warn(`[${ctx.name}] ${id} book: ${message}`) };
    this.books = new BinanceBooks(
      this.settings.wsUrl,
      ctx.name,
      (symbol) => this.rest.depth(symbol),
      now,
      () => (this.listener ? events : undefined),
    );
    this.reporter = new VenueHealthReporter({ limiter: this.limiter, breaker: this.breaker, feeds: () => [this.books.quotesFeed], onReport: (r) => this.listener?.health?.(r) });
  }

  private onQuote(q: Quote): void {
    this.quotes.set(q.instrumentId, q);
    this.listener?.quote(q);
  }

  private requireKeys(): BinanceKeys {
    if (!this.keys) throw new VenueRejectedError(`Binance venue ${this.name} has no API keys loaded yet; set them with tradeport secret set ${this.name} apiKey|apiSecret.`, 'secret_missing');
    return this.keys;
  }

  private async loadKeys(): Promise<void> {
    this.keys = await loadBinanceKeys(this.ctx.secrets, this.name);
  }

  async start(listener: VenueListener): Promise<void> {
    this.listener = listener;
    this.reporter.start();
    listener.state('connecting', `opening Binance${this.settings.testnet ? ' testnet' : ''} user data`);
    const user = openUserStream(
      this.settings.wsApiUrl,
      this.name,
      () => this.requireKeys(),
      () => this.rest.serverNow(),
      {
        ready: () => void this.onReady(),
        lost: (reason) => {
          this.ready = false;
          listener.state('disconnected', `user data lost (${reason}); reconnecting`);
        },
        refused: (reason) => listener.state('error', `${reason}; check apiKey and apiSecret (testnet and live keys differ)`),
        execution: (r) => this.onExecution(r),
        account: (p) => this.onAccount(p),
        list: (l) => rejectedLegs(l, this.insts.find(l.s)?.id).forEach((r) => this.listener?.orderReport(r)),
        invalid: (why) => console.warn(`[${this.name}] Binance user data: ${why}`),
      },
      async () => {
        await this.loadKeys();
        // The subscription is signed with Binance's time: measure the offset on every (re)connect.
        await this.rest.syncClock();
      },
    );
    user.on('error', (e) => {
      if (!this.ready) listener.state('error', e.message);
    });
    this.user = user;
    user.start();
  }

  private async onReady(): Promise<void> {
    try {
      await this.ensureInstruments();
      for (const s of this.settings.watchlist) {
        const inst = this.insts.find(s);
        if (inst) this.books.follow(inst);
      }
      this.lastAccount = await this.rest.account().catch(() => this.lastAccount);
    } catch (e) {
      this.listener?.state('error', `Binance symbols could not be loaded: ${(e as Error).message}`);
      this.user?.reconnectNow('symbols not loaded');
      return;
    }
    this.ready = true;
    this.listener?.state('connected', this.detail());
  }

  private detail(): string {
    return `Binance${this.settings.testnet ? ' testnet' : ''}: user data subscribed (clock offset ${this.rest.clockOffsetMs} ms)`;
  }

  private async ensureInstruments(): Promise<void> {
    if (this.insts.all().length > 0) return;
    if (!this.keys) await this.loadKeys();
    this.insts.load(this.name, await this.rest.symbols());
  }

  async stop(): Promise<void> {
    this.user?.stop();
    this.books.stop();
    this.reporter.stop();
    this.http.close();
    this.market.close();
    this.listener = undefined;
    this.ready = false;
  }

  state(): VenueStatus {
    if (this.ready && this.user?.state === 'open') return { state: 'connected', detail: this.detail() };
    const s = this.user?.state;
    return s === 'connecting' || s === 'idle' || s === 'open'
      ? { state: 'connecting', detail: 'opening Binance user data' }
      : { state: 'disconnected', detail: `Binance user data ${s ?? 'not started'}` };
  }

  health() {
    return this.reporter.report();
  }

  capabilities(): OrderCapabilities {
    return BINANCE_CAPABILITIES;
  }

  instruments(): readonly Instrument[] {
    return this.insts.all();
  }

  instrument(idOrSymbol: string): Instrument | undefined {
    return this.insts.find(idOrSymbol);
  }

  quote(instrumentId: string): Quote | undefined {
    return this.quotes.get(instrumentId);
  }

  async snapshotQuote(instrumentId: string): Promise<Quote | undefined> {
    const inst = this.insts.find(instrumentId);
    if (!inst) return undefined;
    const t = await this.rest.bookTicker(inst.venueSymbol);
    const q: Quote = { ...dayStatsOf(this.quotes.get(inst.id)), instrumentId: inst.id, bid: t.bidPrice, bidSize: t.bidQty, ask: t.askPrice, askSize: t.askQty, ts: this.ctx.clock.now() };
    this.quotes.set(inst.id, q);
    return q;
  }

  /** The exact book while in sync (following starts on the first ask); undefined while it is rebuilt. */
  book(instrumentId: string, depth: number): BookSnapshot | undefined {
    const inst = this.insts.find(instrumentId);
    if (!inst) return undefined;
    this.books.follow(inst);
    return this.books.snapshotOf(inst.id, depth);
  }

  private onExecution(r: ExecutionReport): void {
    const instrumentId = this.insts.find(r.s)?.id;
    const venueCid = reportVenueCid(r);
    this.symbols.remember(venueCid, r.s);
    // The order a cancelReplace took down: our order lives on in its replacement.
    if (r.x === 'CANCELED' && venueCid !== this.symbols.current(reportCid(r))) return;
    const fill = instrumentId ? fillFromExecution(r, instrumentId) : undefined;
    if (fill) this.listener?.fill(fill);
    this.listener?.orderReport(chainTotals(reportFromExecution(r, instrumentId), this.symbols.prior(venueCid), r.Z));
  }

  private onAccount(p: AccountPosition): void {
    for (const b of p.B) this.listener?.balance({ venue: this.name, asset: b.a, total: new Decimal(b.f).plus(b.l).toString(), available: b.f });
  }

  /** A Binance order as our order: a replacement's report carries the totals of its whole chain. */
  private report(o: WireOrder): VenueOrderReport {
    return chainTotals(orderReport(o, this.insts.find(o.symbol)?.id), this.symbols.prior(venueCid(o)), o.cummulativeQuoteQty);
  }

  private inst(order: Order): Instrument {
    const inst = this.insts.find(order.instrumentId);
    if (!inst) throw new VenueRejectedError(`Binance has no spot symbol ${order.symbol}; search with: tradeport instruments ${this.name} ${order.symbol}`, 'unknown_instrument');
    return inst;
  }

  /** Order parameters with Binance's filters checked; a market order's notional is judged at the touch. */
  private async params(order: Order): Promise<Record<string, string>> {
    const inst = this.inst(order);
    const touch = order.type === 'market' ? await this.snapshotQuote(inst.id).catch(() => this.quotes.get(inst.id)) : undefined;
    return orderParams(inst, this.insts.filtersOf(inst.id), order, order.side === 'buy' ? touch?.ask : touch?.bid);
  }

  async submit(order: Order): Promise<SubmitAck> {
    const params = await this.params(order);
    this.symbols.remember(order.clientOrderId, params['symbol']!);
    const o = await atVenueBoundary(this.name, 'submit', () => this.rest.submit(params));
    return { venueOrderId: String(o.orderId), status: portStatus(o.status) };
  }

  /** An OCO exit pair as one Binance order list (binance-oco.ts); each leg under our client id. */
  async submitOcoOrders(takeProfit: Order, stopLoss: Order): Promise<SubmitAck[]> {
    const inst = this.inst(takeProfit);
    return this.sendList(inst, { kind: 'oco', params: ocoParams(inst, this.insts.filtersOf(inst.id), takeProfit, stopLoss) }, [takeProfit, stopLoss]);
  }

  /** A bracket as one OTOCO (or OTO) order list (binance-otoco.ts): the entry works, its exits wait for its fill. */
  async submitBracketOrders(parent: Order, children: readonly Order[]): Promise<SubmitAck[]> {
    const inst = this.inst(parent);
    return this.sendList(inst, bracketParams(inst, this.insts.filtersOf(inst.id), parent, children), [parent, ...children]);
  }

  /** Every leg's symbol is stored under our client id before the list is sent: a lost answer is resolved leg by leg. */
  private async sendList(inst: Instrument, list: { kind: ListKind; params: Record<string, string> }, legs: readonly Order[]): Promise<SubmitAck[]> {
    for (const o of legs) this.symbols.remember(o.clientOrderId, inst.venueSymbol);
    return ocoAcks(await atVenueBoundary(this.name, 'submit', () => this.rest.newList(list.kind, list.params)), legs);
  }

  private symbolFor(order: Order): string {
    return this.symbols.symbolOf(order.clientOrderId) ?? this.inst(order).venueSymbol;
  }

  /** A leg of an OCO pair cancels its whole list (DELETE /api/v3/orderList), as Binance would anyway. */
  async cancel(order: Order): Promise<void> {
    if (order.leg && order.ocaGroup) return void (await atVenueBoundary(this.name, 'cancel', () => this.rest.cancelList(this.symbolFor(order), order.ocaGroup!)));
    await atVenueBoundary(this.name, 'cancel', () => this.rest.cancel(this.symbolFor(order), this.symbols.current(order.clientOrderId)));
  }

  /** Replace without overfill (binance-replace.ts): amend in place, cancelReplace while NEW, else cancel then place what is left. */
  async replace(order: Order, changes: ReplaceChanges): Promise<ReplaceAck> {
    const inst = this.inst(order);
    const run = {
      rest: this.rest,
      symbols: this.symbols,
      inst,
      filters: this.insts.filtersOf(inst.id),
      symbol: this.symbolFor(order),
      ended: (o: WireOrder) => this.listener?.orderReport(this.report(o)),
    };
    const { wire } = await atVenueBoundary(this.name, 'replace', () => replaceOnBinance(run, order, changes));
    const r = this.report(wire);
    return {
      venueOrderId: String(wire.orderId),
      status: r.status,
      qty: r.qty ?? changes.qty ?? order.qty,
      ...(r.limitPrice ? { limitPrice: r.limitPrice } : {}),
      ...(r.stopPrice ? { stopPrice: r.stopPrice } : {}),
    };
  }

  /** DELETE /api/v3/openOrders: every working order on one symbol (Binance has no account-wide cancel); the cancelled orders' reports. */
  async cancelSymbol(symbol: string): Promise<VenueOrderReport[]> {
    const done = await atVenueBoundary(this.name, 'cancel', () => this.rest.cancelAll(symbol));
    return done.map((o) => this.report(o));
  }

  async lookup(clientOrderId: string): Promise<VenueOrderReport | undefined> {
    await this.ensureInstruments();
    const current = this.symbols.current(clientOrderId);
    const symbol = this.symbols.symbolOf(current);
    if (!symbol) return undefined;
    try {
      return this.report(await this.rest.order(symbol, current));
    } catch (e) {
      if (e instanceof HttpError && e.details?.['venueCode'] === '-2013') return undefined;
      throw e;
    }
  }

  async openOrders(): Promise<VenueOrderReport[]> {
    await this.ensureInstruments();
    return (await this.rest.openOrders()).map((o) => this.report(o));
  }

  /** myTrades per symbol we have traded, open orders' symbols and the watchlist (binance-fills.ts). */
  async fillsSince(sinceTs: number): Promise<VenueFillReport[]> {
    await this.ensureInstruments();
    const symbols = new Set([...this.symbols.symbols(), ...this.settings.watchlist, ...(await this.rest.openOrders()).map((o) => o.symbol)]);
    return fillsOf(this.rest, symbols, (s) => this.insts.find(s), sinceTs);
  }

  async positions(): Promise<Position[]> {
    return [];
  }

  async balances(): Promise<Balance[]> {
    const a = await this.rest.account();
    this.lastAccount = a;
    return a.balances.map((b) => ({ venue: this.name, asset: b.asset, total: new Decimal(b.free).plus(b.locked).toString(), available: b.free }));
  }

  async preview(inst: Instrument, t: NormalizedTicket): Promise<VenuePreview> {
    const quote = (await this.snapshotQuote(inst.id).catch(() => undefined)) ?? this.quotes.get(inst.id);
    const account = await this.rest.account().catch(() => this.lastAccount);
    if (account) this.lastAccount = account;
    let refusal: string | undefined;
    let commissions;
    try {
      commissions = await this.rest.test(testParams(inst, this.insts.filtersOf(inst.id), t, t.side === 'buy' ? quote?.ask : quote?.bid));
    } catch (e) {
      refusal = (e as Error).message;
    }
    return binancePreview({ inst, ticket: t, quote, account, commissions, ...(refusal ? { refusal } : {}) });
  }
}
