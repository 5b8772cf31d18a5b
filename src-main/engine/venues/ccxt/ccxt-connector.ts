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
 *   polled for the markets with working orders either way (ccxt-sync.ts): every `pollMs`, or every
 *   `reconcileMs` while the streams are live (ccxt-poller.ts); a failed poll reports
 *   `disconnected`, the next good one `connected`, so the engine reconciles on reconnect.
 */
import type { Bar } from '../../domain/bar';
import { ccxtBars } from './ccxt-bars';
import type * as Ccxt from 'ccxt';
import type { Instrument } from '../../domain/instrument';
import type { Balance, BookSnapshot, Order, Position, Quote } from '../../domain/order';
import type { NormalizedTicket } from '../../domain/order-validation';
import { BASIC_CAPABILITIES, type OrderCapabilities } from '../../domain/order-capabilities';
import { CircuitBreaker } from '../../net/circuit-breaker';
import { VenueHealthReporter } from '../../net/venue-health';
import { systemClock, type Timers } from '../../ports/clock';
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
import { createOrderArgs, exactNumber, orderReport, sendCreate, type CcxtOrderLike, type CcxtTradeLike } from './ccxt-mapping';
import { CcxtOrderIds } from './ccxt-order-ids';
import { venueClientId } from './ccxt-client-ids';
import { CcxtStreams } from './ccxt-streams';
import { CcxtSync } from './ccxt-sync';
import { CcxtPoller } from './ccxt-poller';
import { cancelledNothing, changedOrder, editedOrderId, refuseIfPartlyFilled } from './ccxt-answers';
import { notionalSides } from './ccxt-order-terms';

export interface CcxtConnectorOptions {
  readonly timeoutMs?: number;
  readonly breakerOpenMs?: number;
  /** Poll and stream timers (tests: a ManualClock). */
  readonly timers?: Timers;
  /** How long a stream watch must stay open to count as live (ms). */
  readonly streamSettleMs?: number;
}

interface Live {
  readonly lib: CcxtLib;
  readonly ex: Ccxt.Exchange;
  readonly http: CcxtHttp;
  readonly reporter: VenueHealthReporter;
  readonly streams: CcxtStreams;
}

export class CcxtConnector implements VenueConnector {
  readonly kind = 'ccxt';
  readonly name: string;
  readonly settings: CcxtSettings;
  private readonly breaker: CircuitBreaker;
  private readonly insts = new CcxtInstruments();
  private readonly ids: CcxtOrderIds;
  private readonly sync: CcxtSync;
  private readonly poller: CcxtPoller;
  private readonly timers: Timers;
  private readonly market: CcxtMarketData;
  private readonly timeoutMs: number;
  private caps: OrderCapabilities = BASIC_CAPABILITIES;
  private live: Promise<Live> | undefined;
  private ready: Live | undefined;
  private listener: VenueListener | undefined;
  private status: VenueStatus = { state: 'disconnected', detail: 'not started' };
  private lastBalances: Balance[] | undefined;

  constructor(
    private readonly ctx: VenueContext,
    opts: CcxtConnectorOptions = {},
  ) {
    this.name = ctx.name;
    this.settings = readCcxtSettings(ctx.settings);
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.market = new CcxtMarketData((q) => this.listener?.quote(q), { label: `${this.settings.exchange} market data`, now: () => ctx.clock.now() });
    this.ids = new CcxtOrderIds(ctx.db, ctx.name, () => ctx.clock.now());
    this.breaker = new CircuitBreaker(ctx.name, { displayName: this.settings.exchange, openMs: opts.breakerOpenMs ?? 60_000 });
    this.timers = opts.timers ?? systemClock;
    this.settleMs = opts.streamSettleMs;
    this.sync = new CcxtSync({ exchange: this.settings.exchange, ids: this.ids, insts: this.insts, now: () => ctx.clock.now(), listener: () => this.listener, query: (f) => this.query(f) });
    const { pollMs, reconcileMs } = this.settings;
    this.poller = new CcxtPoller({ timers: this.timers, fastMs: pollMs, slowMs: reconcileMs, round: () => this.poll(), streamsLive: () => this.ready?.streams.live() ?? false });
  }

  private readonly settleMs: number | undefined;

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
      this.caps = ccxtCapabilities(ex.has as Record<string, unknown>, ex.features as Record<string, unknown> | undefined, this.settings.exchange, this.insts.anyContract());
      const reporter = new VenueHealthReporter({ limiter: http.limiter(), breaker: this.breaker, feeds: () => [this.market.quotesFeed], onReport: (r) => this.listener?.health?.(r) });
      const streams = new CcxtStreams(
        ex,
        {
          orders: (xs) => this.sync.emitOrders(xs as CcxtOrderLike[]),
          trades: (xs) => this.sync.emitFills(this.sync.fillsOf(xs as CcxtTradeLike[])),
          book: (symbol, b) => {
            const id = this.insts.find(symbol)?.id;
            if (id) this.market.setBook(id, b, this.ctx.clock.now());
          },
          bookLost: (symbol) => {
            const id = this.insts.find(symbol)?.id;
            if (id) this.market.bookLost(id);
          },
          trouble: (what, e) => console.warn(`[${this.name}] ${what}: ${(e as Error).message}; retrying (orders and fills are polled meanwhile)`),
          health: () => this.poller.streamsChanged(),
        },
        { retryMs: Math.max(1000, this.settings.pollMs), timers: this.timers, ...(this.settleMs !== undefined ? { settleMs: this.settleMs } : {}) },
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
    this.poller.start();
  }

  async stop(): Promise<void> {
    this.poller.stop();
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

  /** One polling round (the poller schedules the next). */
  private async poll(): Promise<void> {
    const wasReady = this.ready !== undefined;
    try {
      const live = await this.connect();
      if (!wasReady) {
        live.reporter.start();
        live.streams.start();
      }
      await this.sync.round(live.ex);
      const streamed = live.streams.live() ? 'streaming, reconciling' : 'polling';
      this.setState('connected', `${String(live.ex.name)} through ccxt: ${streamed} every ${this.poller.interval()} ms`);
    } catch (e) {
      const auth = e instanceof VenueRejectedError || (this.ready !== undefined && e instanceof this.ready.lib.AuthenticationError);
      this.setState(auth ? 'error' : 'disconnected', `${this.settings.exchange}: ${(e as Error).message}`);
    }
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

  state(): VenueStatus {
    return this.status;
  }

  health = () => this.ready?.reporter.report() ?? { usage: null, breaker: null };

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

  /** Price history through ccxt's fetchOHLCV (ccxt-bars.ts). */
  async bars(instrumentId: string, intervalSec: number, sinceMs: number | undefined, limit: number): Promise<Bar[]> {
    const inst = this.insts.find(instrumentId);
    if (!inst) throw new VenueRejectedError(`${this.settings.exchange} lists no market ${instrumentId}`, 'unknown_instrument');
    return ccxtBars((await this.connect()).ex, (f) => this.query(f), inst.venueSymbol, intervalSec, sinceMs, limit);
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
    const terms = { exchange: this.settings.exchange, notionalSides: this.ready ? notionalSides(this.ready.ex.has) : [] };
    const args = createOrderArgs(order, inst.venueSymbol, this.insts.isContract(inst.id), venueClientId(this.settings.exchange, order.clientOrderId), terms);
    this.ids.sending(order.clientOrderId, inst.venueSymbol);
    this.sync.track.watch(order.clientOrderId, inst.venueSymbol);
    const o = (await this.act('orderNew', 'submit', (l) => sendCreate(l.ex, args))) as CcxtOrderLike;
    this.ids.acked(order.clientOrderId, o.id);
    const r = orderReport(o, inst.id, order.clientOrderId, this.ctx.clock.now());
    return { venueOrderId: o.id, status: r.status === 'submitted' ? 'accepted' : r.status };
  }

  /** The exchange's id and market for our order: from memory, or found by client id. */
  private async where(order: Order): Promise<{ id: string; symbol: string }> {
    const rec = this.ids.of(order.clientOrderId);
    const symbol = rec?.symbol ?? this.inst(order).venueSymbol;
    // Ours first: a replace may have moved the order to a new exchange id the engine's copy does not carry.
    const id = rec?.venueOrderId ?? order.venueOrderId ?? (await this.lookup(order.clientOrderId))?.venueOrderId;
    if (!id) throw new VenueRejectedError(`${this.settings.exchange} has no order ${order.clientOrderId}.`, 'order_not_found');
    return { id, symbol };
  }

  async cancel(order: Order): Promise<void> {
    const { id, symbol } = await this.where(order);
    const answer = await this.act('orderCancel', 'cancel', (l) => l.ex.cancelOrder(id, symbol));
    if (cancelledNothing(answer)) throw new VenueRejectedError(`${this.settings.exchange} cancelled nothing: order ${order.clientOrderId} is no longer working there.`, 'order_not_found');
  }

  async replace(order: Order, changes: ReplaceChanges): Promise<ReplaceAck> {
    const { id, symbol } = await this.where(order);
    const next = changedOrder(order, changes);
    const now = await this.lookup(order.clientOrderId).catch((e: unknown) => {
      throw new VenueRejectedError(
        `${this.settings.exchange}: could not read order ${order.clientOrderId}'s fills before modifying it (${(e as Error).message}); nothing was sent.`,
        'venue_unavailable',
      );
    });
    refuseIfPartlyFilled(this.settings.exchange, order, now?.filledQty);
    // A replace carried out as cancel + new order (Binance cancelReplace): the new id is followed, the old one stays ours.
    const venueOrderId = await this.sync.replacing(order.clientOrderId, id, async () => {
      const o = (await this.act('orderReplace', 'replace', (l) => {
        if (!l.ex.has['editOrder']) throw new VenueRejectedError(`${String(l.ex.name)} cannot modify an order in place; cancel it and place a new one.`, 'unsupported_order');
        const args = createOrderArgs(next, symbol, this.insts.isContract(this.inst(order).id));
        const { clientOrderId: _drop, ...params } = args.params;
        return l.ex.editOrder(id, symbol, args.type, args.side, args.amount, args.price, params);
      })) as CcxtOrderLike;
      return editedOrderId(o, id);
    });
    this.sync.track.watch(order.clientOrderId, symbol);
    const { qty, limitPrice, stopPrice } = next;
    return { venueOrderId, status: 'accepted', qty, ...(limitPrice !== undefined ? { limitPrice } : {}), ...(stopPrice !== undefined ? { stopPrice } : {}) };
  }

  async lookup(clientOrderId: string): Promise<VenueOrderReport | undefined> {
    const rec = this.ids.of(clientOrderId);
    // Written before every send: a client id we have no market for was never sent from here.
    if (!rec) return undefined;
    const live = await this.connect();
    let o: CcxtOrderLike | undefined;
    try {
      o = await this.sync.find(live.ex, rec.symbol, clientOrderId);
    } catch (e) {
      if (isOrderNotFound(e, live.lib)) return undefined;
      throw e;
    }
    if (!o) return undefined;
    const r = this.sync.report(o, clientOrderId);
    if (CcxtSync.isWorking(r)) this.sync.track.watch(clientOrderId, rec.symbol);
    return r;
  }

  async openOrders(): Promise<VenueOrderReport[]> {
    return this.sync.openOrders((await this.connect()).ex);
  }

  async fillsSince(sinceTs: number): Promise<VenueFillReport[]> {
    const live = await this.connect();
    const out: VenueFillReport[] = [];
    for (const s of this.ids.symbols()) out.push(...(await this.sync.tradesOn(live.ex, s, sinceTs > 0 ? sinceTs : undefined)).filter((f) => f.ts >= sinceTs));
    return out;
  }

  async positions(): Promise<Position[]> {
    const live = await this.connect();
    // Positions are on derivatives markets: none loaded (a spot-only venue), none to ask for.
    if (!live.ex.has['fetchPositions'] || !this.insts.anyContract()) return [];
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
