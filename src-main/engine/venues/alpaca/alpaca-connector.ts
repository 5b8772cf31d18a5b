/**
 * Alpaca (Trading API v2 + market data) behind the venue port: a thin front over the REST calls,
 * the trade-updates stream and the quote streams. Rules it keeps:
 * - order calls go through HttpClient once (never retried) and `atVenueBoundary`;
 * - the trade stream's `listening` makes the venue `connected`, a drop makes it `disconnected`,
 *   so the engine reconciles through REST on every reconnect (Alpaca numbers nothing);
 * - a replace gets a new Alpaca order id and a `~rN` client id; every report maps back to ours.
 */
import type { Instrument } from '../../domain/instrument';
import type { Balance, Order, Position, Quote } from '../../domain/order';
import type { NormalizedTicket } from '../../domain/order-validation';
import type { OrderCapabilities } from '../../domain/order-capabilities';
import { CircuitBreaker } from '../../net/circuit-breaker';
import { HttpClient, HttpError } from '../../net/http-client';
import { RateLimiter } from '../../net/rate-limiter';
import { VenueHealthReporter } from '../../net/venue-health';
import type { ResilientWs } from '../../net/resilient-ws';
import { atVenueBoundary } from '../submit-errors';
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
import { VenueRejectedError } from '../venue-port';
import { alpacaHeaders, loadAlpacaKeys, type AlpacaKeys } from './alpaca-auth';
import { readAlpacaSettings, type AlpacaSettings } from './alpaca-config';
import { alpacaErrorMapper } from './alpaca-errors';
import { AlpacaInstruments } from './alpaca-instruments';
import { ALPACA_LIMITS } from './alpaca-limits';
import { bracketBody, legAcks, ocoBody, fillFromActivity, fillFromUpdate, orderBody, orderReport, portStatus, replacementClientId, type WireOrder, type WireTradeUpdate } from './alpaca-mapping';
import { AlpacaRest, readCancelAll, type CancelAllResult, type WireAccount } from './alpaca-rest';
import { openTradeStream } from './alpaca-stream';
import { AlpacaQuotes } from './alpaca-quotes';
import { AlpacaSessions, sessionAt } from './alpaca-session';
import { newYorkDate } from '../../market/settlement';
import type { SessionState } from '../../market/sessions';
import type { CashFill } from '../../guards/cash-settlement';
import { alpacaPreview } from './alpaca-preview';
import { AlpacaOrderIds } from './alpaca-order-ids';
import { AlpacaHoldingsRefresh, flatPosition, positionsFrom } from './alpaca-holdings';
import { AlpacaReplacements } from './alpaca-replacements';

export const ALPACA_CAPABILITIES: OrderCapabilities = {
  orderTypes: ['market', 'limit', 'stop', 'stop_limit', 'trailing_stop'],
  // No GTD: it is not an Alpaca time in force. No post-only (Alpaca has none) and no reduce-only (no derivatives).
  tifs: ['day', 'gtc', 'opg', 'cls', 'ioc', 'fok'],
  extendedHours: true,
  brackets: true,
  oca: false,
  ocoExits: true,
  postOnly: false,
  reduceOnly: false,
  notional: true,
};

export interface AlpacaConnectorOptions {
  readonly timeoutMs?: number;
  readonly breakerOpenMs?: number;
}

export class AlpacaConnector implements VenueConnector {
  readonly kind = 'alpaca';
  readonly name: string;
  readonly settings: AlpacaSettings;
  private readonly rest: AlpacaRest;
  private readonly trading: HttpClient;
  private readonly data: HttpClient;
  private readonly breaker: CircuitBreaker;
  private readonly limiter = new RateLimiter(ALPACA_LIMITS);
  private readonly reporter: VenueHealthReporter;
  private readonly insts = new AlpacaInstruments();
  private readonly quotes: AlpacaQuotes;
  readonly sessions: AlpacaSessions;
  private readonly ids: AlpacaOrderIds;
  private readonly holdings: AlpacaHoldingsRefresh;
  private readonly chains: AlpacaReplacements;
  private keys: AlpacaKeys | undefined;
  private listener?: VenueListener;
  private trade?: ResilientWs;
  private ready = false;
  private lastAccount: WireAccount | undefined;

  constructor(
    private readonly ctx: VenueContext,
    opts: AlpacaConnectorOptions = {},
  ) {
    this.name = ctx.name;
    this.settings = readAlpacaSettings(ctx.settings);
    this.ids = new AlpacaOrderIds(ctx.db, ctx.name, () => ctx.clock.now());
    this.breaker = new CircuitBreaker(ctx.name, { displayName: 'Alpaca', openMs: opts.breakerOpenMs ?? 60_000 });
    const common = {
      venue: ctx.name,
      displayName: 'Alpaca',
      mapError: alpacaErrorMapper,
      timeoutMs: opts.timeoutMs ?? 10_000,
      retryBaseMs: 200,
      secrets: () => (this.keys ? [this.keys.secretKey] : []),
    };
    this.trading = new HttpClient({ ...common, baseUrl: this.settings.tradingUrl, limiter: this.limiter, breaker: this.breaker });
    this.data = new HttpClient({ ...common, baseUrl: this.settings.dataUrl, limiter: new RateLimiter({ ...ALPACA_LIMITS, venue: 'alpaca-data' }) });
    this.rest = new AlpacaRest(this.trading, this.data, () => alpacaHeaders(this.requireKeys()));
    this.chains = new AlpacaReplacements(this.rest, this.ids);
    this.quotes = new AlpacaQuotes(
      ctx.name,
      this.settings,
      this.insts,
      this.rest,
      () => this.requireKeys(),
      () => ctx.clock.now(),
      () => this.listener && { quote: (q) => this.listener?.quote(q), degraded: (m) => this.listener?.state('degraded', m) },
    );
    this.sessions = new AlpacaSessions(
      async () => {
        const clock = await this.rest.clock();
        const day = clock.timestamp.slice(0, 10);
        return { clock, days: await this.rest.calendar(day, new Date(Date.parse(`${day}T12:00:00Z`) + 14 * 86_400_000).toISOString().slice(0, 10)) };
      },
      (line) => console.warn(`[${ctx.name}] ${line}`),
    );
    this.holdings = new AlpacaHoldingsRefresh(
      async () => ({ positions: await this.positions(), balances: await this.balances() }),
      (id) => flatPosition(this.name, id, this.insts.find(id)?.symbol ?? id),
      () => this.listener,
      (line) => console.warn(`[${ctx.name}] ${line}`),
    );
    this.reporter = new VenueHealthReporter({ limiter: this.limiter, breaker: this.breaker, feeds: () => [this.quotes.quotesFeed], onReport: (r) => this.listener?.health?.(r) });
  }

  private requireKeys(): AlpacaKeys {
    if (!this.keys) throw new VenueRejectedError(`Alpaca venue ${this.name} has no API keys loaded yet; set them with tradeport secret set ${this.name} keyId|secretKey.`, 'secret_missing');
    return this.keys;
  }

  async start(listener: VenueListener): Promise<void> {
    this.listener = listener;
    this.reporter.start();
    listener.state('connecting', `opening Alpaca ${this.settings.env} trade updates`);
    // Keys are read on every connection attempt: `secret set` after `venue add` takes effect on the next try.
    const trade = openTradeStream(
      this.settings.streamUrl,
      this.name,
      () => this.requireKeys(),
      {
        ready: () => void this.onReady(),
        lost: (reason) => {
          this.ready = false;
          listener.state('disconnected', `trade updates lost (${reason}); reconnecting`);
        },
        refused: (reason) => listener.state('error', `${reason}; check keyId and secretKey (paper and live keys differ)`),
        update: (u) => this.onUpdate(u),
      },
      async () => {
        this.keys = await loadAlpacaKeys(this.ctx.secrets, this.name);
      },
    );
    trade.on('error', (e) => {
      if (!this.ready) listener.state('error', e.message);
    });
    this.trade = trade;
    trade.start();
  }

  private async onReady(): Promise<void> {
    let seedProblem: string | undefined;
    try {
      await this.ensureInstruments();
      this.quotes.start();
      seedProblem = await this.quotes.seed();
      await this.sessions.refresh(this.ctx.clock.now()).catch(() => undefined);
      this.lastAccount = await this.rest.account().catch(() => this.lastAccount);
    } catch (e) {
      this.listener?.state('error', `Alpaca instruments could not be loaded: ${(e as Error).message}`);
      this.trade?.reconnectNow('instruments not loaded');
      return;
    }
    this.ready = true;
    this.listener?.state('connected', `Alpaca ${this.settings.env}: trade updates listening`);
    // Streaming goes on without the snapshots; the trader is told what is missing.
    if (seedProblem) this.listener?.state('degraded', seedProblem);
  }

  /** Reports name instruments, so anything that reports (a reconcile before the stream is up too) loads them first. */
  private async ensureInstruments(): Promise<void> {
    if (this.insts.all().length > 0) return;
    if (!this.keys) this.keys = await loadAlpacaKeys(this.ctx.secrets, this.name);
    const [eq, cr] = await Promise.all([this.rest.assets('us_equity'), this.rest.assets('crypto')]);
    this.insts.load(this.name, [...eq, ...cr]);
  }

  async stop(): Promise<void> {
    this.trade?.stop();
    this.quotes.stop();
    this.reporter.stop();
    this.trading.close();
    this.data.close();
    this.listener = undefined;
    this.ready = false;
  }

  state(): VenueStatus {
    if (this.ready && this.trade?.state === 'open') return { state: 'connected', detail: `Alpaca ${this.settings.env}: trade updates listening` };
    const s = this.trade?.state;
    return s === 'connecting' || s === 'idle' || s === 'open'
      ? { state: 'connecting', detail: 'opening Alpaca trade updates' }
      : { state: 'disconnected', detail: `Alpaca trade updates ${s ?? 'not started'}` };
  }

  health() {
    return this.reporter.report();
  }

  capabilities(): OrderCapabilities {
    return ALPACA_CAPABILITIES;
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

  snapshotQuote(instrumentId: string): Promise<Quote | undefined> {
    return this.quotes.snapshot(instrumentId);
  }

  book = () => undefined;

  /** Alpaca's calendar decides (a holiday it lists closes the market); refreshed hourly in the background. */
  sessionState(inst: Instrument, nowMs: number): SessionState | undefined {
    if (inst.session !== 'us_equity') return undefined;
    const s = this.sessions.get();
    if (!s || nowMs - s.fetchedAt > 3_600_000) void this.sessions.refresh(nowMs).catch(() => undefined);
    return s ? sessionAt(s, nowMs) : undefined;
  }

  private onUpdate(u: WireTradeUpdate): void {
    const o = u.order;
    // The replaced order is over at Alpaca; its replacement (already announced) carries our order on.
    if (u.event === 'replaced' || o.status === 'replaced') {
      this.ids.remember(o);
      return;
    }
    const cid = this.ids.remember(o);
    const instrumentId = this.insts.find(o.symbol)?.id;
    const fill = instrumentId ? fillFromUpdate(u, instrumentId, cid) : undefined;
    if (fill) this.listener?.fill(fill);
    this.listener?.orderReport(orderReport(o, instrumentId, cid));
    if (fill) this.holdings.filledIn(fill.instrumentId);
  }

  private report(o: WireOrder): VenueOrderReport {
    return orderReport(o, this.insts.find(o.symbol)?.id, this.ids.remember(o));
  }

  private inst(order: Order): Instrument {
    const inst = this.insts.find(order.instrumentId);
    if (!inst) throw new VenueRejectedError(`Alpaca has no instrument ${order.symbol}; search with: tradeport instruments ${this.name} ${order.symbol}`, 'unknown_instrument');
    return inst;
  }

  async submit(order: Order): Promise<SubmitAck> {
    const body = orderBody(this.inst(order), order);
    const o = await atVenueBoundary(this.name, 'submit', () => this.rest.submit(body));
    this.ids.remember(o);
    return { venueOrderId: o.id, status: portStatus(o) };
  }

  submitBracketOrders(parent: Order, children: readonly Order[]): Promise<SubmitAck[]> {
    return this.submitGroup(bracketBody(this.inst(parent), parent, children), children);
  }

  submitOcoOrders(takeProfit: Order, stopLoss: Order): Promise<SubmitAck[]> {
    return this.submitGroup(ocoBody(this.inst(takeProfit), takeProfit, stopLoss), [stopLoss]);
  }

  /** One Alpaca order carrying a group: its own ack, then its legs' as `others` name them. */
  private async submitGroup(body: Record<string, unknown>, others: readonly Order[]): Promise<SubmitAck[]> {
    const o = await atVenueBoundary(this.name, 'submit', () => this.rest.submit(body));
    this.ids.remember(o);
    return [{ venueOrderId: o.id, status: portStatus(o) }, ...legAcks(o, others, (id, cid) => this.ids.leg(id, cid))];
  }

  /** The Alpaca order now carrying `order` (after replaces), by memory or by asking Alpaca. */
  private async currentId(order: Order): Promise<string> {
    const id = order.venueOrderId;
    if (!id) {
      const found = await this.lookup(order.clientOrderId);
      if (!found?.venueOrderId) throw new HttpError('order_not_found', `Alpaca has no order ${order.clientOrderId}.`, 'rejected', 404);
      return found.venueOrderId;
    }
    return this.ids.current(id);
  }

  async cancel(order: Order): Promise<void> {
    await atVenueBoundary(this.name, 'cancel', async () => this.chains.cancel(await this.currentId(order)));
  }

  /** DELETE /v2/orders: every open order; the 207 body says, order by order, what happened. */
  async cancelAll(): Promise<CancelAllResult> {
    return readCancelAll(await atVenueBoundary(this.name, 'cancel', () => this.rest.cancelAll()));
  }

  async replace(order: Order, changes: ReplaceChanges): Promise<ReplaceAck> {
    const id = await this.chains.beforeReplace(order, () => this.currentId(order));
    const cid = replacementClientId(this.ids.venueCid(id) ?? order.clientOrderId);
    const o = await atVenueBoundary(this.name, 'replace', () =>
      this.rest.replace(id, {
        ...(changes.qty !== undefined ? { qty: changes.qty } : {}),
        ...(changes.limitPrice !== undefined ? { limit_price: changes.limitPrice } : {}),
        ...(changes.stopPrice !== undefined ? { stop_price: changes.stopPrice } : {}),
        client_order_id: cid,
      }),
    );
    this.ids.remember(o);
    return { venueOrderId: o.id, status: portStatus(o), qty: o.qty ?? order.qty, ...(o.limit_price ? { limitPrice: o.limit_price } : {}), ...(o.stop_price ? { stopPrice: o.stop_price } : {}) };
  }

  async lookup(clientOrderId: string): Promise<VenueOrderReport | undefined> {
    await this.ensureInstruments();
    let o: WireOrder;
    try {
      const legId = this.ids.legFor(clientOrderId);
      o = legId ? await this.rest.order(legId) : await this.rest.byClientId(clientOrderId);
    } catch (e) {
      if (e instanceof HttpError && e.status === 404) return undefined;
      throw e;
    }
    return this.report(await this.chains.latest(o));
  }

  async openOrders(): Promise<VenueOrderReport[]> {
    await this.ensureInstruments();
    return (await this.rest.openOrders()).map((o) => this.report(o));
  }

  async fillsSince(sinceTs: number): Promise<VenueFillReport[]> {
    await this.ensureInstruments();
    const out: VenueFillReport[] = [];
    for (const a of await this.rest.fills(new Date(Math.max(0, sinceTs - 1)).toISOString())) {
      const instrumentId = this.insts.find(a.symbol)?.id;
      if (!instrumentId) continue;
      const cid = this.ids.ourCid(a.order_id) ?? this.ids.remember(await this.rest.order(a.order_id));
      out.push(fillFromActivity(a, instrumentId, cid));
    }
    return out;
  }

  async positions(): Promise<Position[]> {
    await this.ensureInstruments();
    return positionsFrom(this.name, await this.rest.positions(), (symbol) => this.insts.find(symbol));
  }

  async balances(): Promise<Balance[]> {
    const a = await this.rest.account();
    this.lastAccount = a;
    return [{ venue: this.name, asset: a.currency || 'USD', total: a.cash, available: a.buying_power }];
  }

  accountFigures(): VenueAccountFigures | undefined {
    const a = this.lastAccount;
    return a ? { currency: a.currency || 'USD', netLiquidation: a.equity, buyingPower: a.buying_power } : undefined;
  }

  /** A cash account's last 12 months of fills, for the settlement guards. */
  private async cashFills(): Promise<CashFill[]> {
    const year = await this.rest.fills(new Date(this.ctx.clock.now() - 365 * 86_400_000).toISOString());
    return year.map((a) => ({
      date: newYorkDate(Date.parse(a.transaction_time)),
      symbol: a.symbol,
      side: a.side,
      qty: a.qty,
      price: a.price,
      crypto: this.insts.find(a.symbol)?.assetClass === 'crypto_spot',
    }));
  }

  async preview(inst: Instrument, t: NormalizedTicket): Promise<VenuePreview> {
    const quote = this.quotes.get(inst.id) ?? (await this.snapshotQuote(inst.id).catch(() => undefined));
    const account = await this.rest.account().catch(() => this.lastAccount);
    if (account) this.lastAccount = account;
    const open = await this.openOrders().catch(() => []);
    const cashFills = account?.multiplier === '1' ? await this.cashFills().catch(() => undefined) : undefined;
    const session = inst.session === 'us_equity' ? await this.sessions.refresh(this.ctx.clock.now()).catch(() => this.sessions.get()) : undefined;
    return alpacaPreview({ inst, ticket: t, quote, account, openOrders: open, flags: this.insts.flagsOf(inst.id), session, now: this.ctx.clock.now(), ...(cashFills ? { cashFills } : {}) });
  }
}
