/**
 * Coinbase Advanced Trade behind the venue port: a thin front over the REST calls and the user
 * socket. Rules it keeps:
 * - a fresh ES256 JWT per request; order calls go through HttpClient once (never retried) and
 *   `atVenueBoundary`; a 200 with `success: false` is Coinbase's refusal, in its words;
 * - our client id is Coinbase's `client_order_id`; after an unknown outcome the order is found by
 *   paging historical orders (Coinbase has no lookup by client id), never by sending it again;
 * - the user socket's snapshot makes the venue `connected`, a drop or a sequence gap makes it
 *   `disconnected`, so the engine reconciles through REST on every reconnect;
 * - fills come from `/orders/historical/fills` (ids and fees), fetched when the user channel shows
 *   an order's cumulative quantity grow;
 * - a bracket is the entry plus one attached exit order standing for our two children
 *   (coinbase-brackets.ts): its state under the child of the leg it works as, each fill under the
 *   leg its price says (take-profit limit or better, else stop-loss), the other leg cancelled;
 * - `feeRates` is the account's fee tier (`transaction_summary`), which SHADOW fills use.
 */
import type { Instrument } from '../../domain/instrument';
import type { Balance, Order, Position, Quote } from '../../domain/order';
import type { NormalizedTicket } from '../../domain/order-validation';
import { Decimal, toStr } from '../../domain/money';
import type { OrderCapabilities } from '../../domain/order-capabilities';
import { COINBASE_CAPABILITIES } from './coinbase-capabilities';
import { CircuitBreaker } from '../../net/circuit-breaker';
import { HttpClient, HttpError } from '../../net/http-client';
import type { RateLimiterRegistry } from '../../net/rate-limiter';
import type { ResilientWs } from '../../net/resilient-ws';
import { atVenueBoundary } from '../submit-errors';
import type { ReplaceAck, ReplaceChanges, SubmitAck, VenueConnector, VenueContext, VenueFillReport, VenueListener, VenueOrderReport, VenuePreview, VenueStatus } from '../venue-port';
import type { VenueHealthReport } from '../../api/venue-health';
import { OutcomeUnknownError, VenueRejectedError } from '../venue-port';
import { coinbaseJwt, loadCoinbaseKey, type CoinbaseKey } from './coinbase-auth';
import { readCoinbaseSettings, type CoinbaseSettings } from './coinbase-config';
import { coinbaseErrors } from './coinbase-errors';
import { CoinbaseInstruments, productId, tradingBlock } from './coinbase-instruments';
import { CoinbaseBudget } from './coinbase-limits';
import { bracketBody, createRefusal, orderBody, orderConfiguration, orderReport, portStatus, refPrice, type WireOrder } from './coinbase-mapping';
import { CoinbaseRest, editFailure, pricebookQuote, type WireAccount } from './coinbase-rest';
import { openSocket, userOrders } from './coinbase-stream';
import { CoinbaseOrders, type CancelOutcome } from './coinbase-orders';
import { CoinbaseFills } from './coinbase-fills';
import { CoinbaseBrackets, exitFromOrder } from './coinbase-brackets';
import { coinbasePreview, type FeeRates } from './coinbase-preview';
import { CoinbaseMarket } from './coinbase-market';

export interface CoinbaseConnectorOptions {
  readonly timeoutMs?: number;
  readonly breakerOpenMs?: number;
  /** Where the per-key limiters live (default the process-wide one); tests pass their own. */
  readonly limiters?: RateLimiterRegistry;
}

export class CoinbaseConnector implements VenueConnector {
  readonly kind = 'coinbase';
  readonly name: string;
  readonly settings: CoinbaseSettings;
  private readonly http: HttpClient;
  private readonly rest: CoinbaseRest;
  private readonly breaker: CircuitBreaker;
  private readonly budget: CoinbaseBudget;
  private readonly insts = new CoinbaseInstruments();
  private readonly orders: CoinbaseOrders;
  private readonly fills: CoinbaseFills;
  private readonly brackets: CoinbaseBrackets;
  private readonly market: CoinbaseMarket;
  private marketStarted = false;
  private key: CoinbaseKey | undefined;
  private listener?: VenueListener;
  private user?: ResilientWs;
  private ready = false;
  private fees: FeeRates | undefined;

  constructor(
    private readonly ctx: VenueContext,
    opts: CoinbaseConnectorOptions = {},
  ) {
    this.name = ctx.name;
    this.settings = readCoinbaseSettings(ctx.settings);
    this.breaker = new CircuitBreaker(ctx.name, { displayName: 'Coinbase', openMs: opts.breakerOpenMs ?? 60_000 });
    const health = { breaker: this.breaker, feeds: () => [this.market.quotesFeed], onReport: (r: VenueHealthReport) => this.listener?.health?.(r) };
    this.budget = new CoinbaseBudget({ ...(opts.limiters ? { registry: opts.limiters } : {}), ...health });
    this.http = new HttpClient({
      venue: ctx.name,
      displayName: 'Coinbase',
      baseUrl: this.settings.restUrl,
      mapError: coinbaseErrors,
      timeoutMs: opts.timeoutMs ?? 10_000,
      retryBaseMs: 200,
      limiter: this.budget.limiter,
      breaker: this.breaker,
      secrets: () => (this.key ? [this.key.pem] : []),
    });
    this.rest = new CoinbaseRest(this.http, async (method, path) => ({ authorization: `Bearer ${await coinbaseJwt(this.requireKey(), ctx.clock.now(), method, `${this.settings.restUrl}${path}`)}` }));
    this.orders = new CoinbaseOrders(this.rest, () => ctx.clock.now());
    this.brackets = new CoinbaseBrackets(
      ctx.db,
      ctx.name,
      () => ctx.clock.now(),
      this.rest,
      (cid) => this.orders.find(cid),
    );
    this.fills = new CoinbaseFills(
      this.rest,
      this.insts,
      this.orders,
      this.brackets,
      () => this.listener,
      (why) => this.reconcileFor(why),
    );
    this.market = new CoinbaseMarket({
      url: this.settings.wsUrl,
      name: `${this.name} market data`,
      jwt: async () => coinbaseJwt(await this.loadKey(), ctx.clock.now()),
      specOf: (pid) => {
        const i = this.insts.find(pid);
        return i && { tick: i.tickSize, lot: i.lotSize, instrumentId: i.id };
      },
      quote: (q) => this.listener?.quote(q),
      degraded: (why) => this.listener?.state('degraded', why),
      now: () => ctx.clock.now(),
    });
  }

  private requireKey(): CoinbaseKey {
    if (!this.key) throw new VenueRejectedError(`Coinbase venue ${this.name} has no API key loaded yet; set it with tradeport secret set ${this.name} apiKeyName|apiPrivateKey.`, 'secret_missing');
    return this.key;
  }

  private async loadKey(): Promise<CoinbaseKey> {
    this.key ??= await loadCoinbaseKey(this.ctx.secrets, this.name);
    this.budget.bind(this.key.name);
    return this.key;
  }

  async start(listener: VenueListener): Promise<void> {
    this.listener = listener;
    this.budget.start();
    this.fills.start();
    listener.state('connecting', 'opening the Coinbase user socket');
    const user = openSocket({
      url: this.settings.userWsUrl,
      name: `${this.name} user`,
      jwt: async () => coinbaseJwt(await this.loadKey(), this.ctx.clock.now()),
      channels: () => [['user', []]],
      frame: (f) => {
        if (f.channel !== 'user') return;
        const { snapshot, orders } = userOrders(f);
        for (const o of orders) this.fills.update(o, Date.parse(f.timestamp ?? '') || this.ctx.clock.now());
        if (snapshot && !this.ready) void this.onReady();
      },
      gap: (why) => {
        this.ready = false;
        listener.state('disconnected', `Coinbase user socket lost frames (${why}); reconnecting to reconcile`);
      },
      lost: (reason) => {
        this.ready = false;
        listener.state('disconnected', `Coinbase user socket lost (${reason}); reconnecting`);
      },
      refused: (why) => listener.state('error', `${why}; check apiKeyName and apiPrivateKey`),
    });
    user.on('error', (e) => {
      if (!this.ready) listener.state('error', e.message);
    });
    this.user = user;
    user.start();
  }

  /** A user-channel update could not be read: the socket is reopened, so the engine reconciles. */
  private reconcileFor(why: string): void {
    this.ready = false;
    this.listener?.state('disconnected', why);
    this.user?.reconnectNow(why);
  }

  private async onReady(): Promise<void> {
    try {
      await this.ensureInstruments();
      const tier = await this.rest.feeTier().catch(() => undefined);
      if (tier) this.fees = { maker: tier.maker_fee_rate, taker: tier.taker_fee_rate };
    } catch (e) {
      this.listener?.state('error', `Coinbase products could not be loaded: ${(e as Error).message}`);
      this.user?.reconnectNow('products not loaded');
      return;
    }
    for (const sym of this.settings.watchlist) this.market.watch(productId(sym));
    if (!this.marketStarted) this.market.start();
    this.marketStarted = true;
    this.ready = true;
    this.listener?.state('connected', 'Coinbase: user socket subscribed');
  }

  private async ensureInstruments(): Promise<void> {
    if (this.insts.all().length > 0) return;
    await this.loadKey();
    this.insts.load(this.name, await this.rest.products());
  }

  async stop(): Promise<void> {
    this.fills.stop();
    this.user?.stop();
    this.market.stop();
    this.marketStarted = false;
    this.budget.stop();
    this.http.close();
    this.listener = undefined;
    this.ready = false;
  }

  state(): VenueStatus {
    if (this.ready && this.user?.state === 'open') return { state: 'connected', detail: 'Coinbase: user socket subscribed' };
    const s = this.user?.state;
    return s === 'connecting' || s === 'idle' || s === 'open'
      ? { state: 'connecting', detail: 'opening the Coinbase user socket' }
      : { state: 'disconnected', detail: `Coinbase user socket ${s ?? 'not started'}` };
  }

  health() {
    return this.budget.report();
  }

  capabilities(): OrderCapabilities {
    return COINBASE_CAPABILITIES;
  }

  /** The account's fee tier (`transaction_summary`), read when the user socket is ready: SHADOW fills use it. */
  feeRates(): FeeRates | undefined {
    return this.fees;
  }

  instruments(): readonly Instrument[] {
    return this.insts.all();
  }

  instrument(idOrSymbol: string): Instrument | undefined {
    return this.insts.find(idOrSymbol);
  }

  quote(instrumentId: string): Quote | undefined {
    const inst = this.insts.find(instrumentId);
    if (inst) this.market.watch(inst.venueSymbol);
    return inst && this.market.quote(inst.venueSymbol);
  }

  async snapshotQuote(instrumentId: string): Promise<Quote | undefined> {
    const inst = this.insts.find(instrumentId);
    if (!inst) return undefined;
    const [b] = await this.rest.bestBidAsk([inst.venueSymbol]);
    if (!b) return undefined;
    return this.market.fromRest(pricebookQuote(b, inst.id, this.ctx.clock.now()));
  }

  book(instrumentId: string, depth: number) {
    const inst = this.insts.find(instrumentId);
    return inst ? this.market.book(inst.venueSymbol, depth) : undefined;
  }

  private inst(order: Order): Instrument {
    const inst = this.insts.find(order.instrumentId);
    if (!inst) throw new VenueRejectedError(`Coinbase has no product ${order.symbol}; search with: tradeport instruments ${this.name} ${order.symbol}`, 'unknown_instrument');
    const f = this.insts.flagsOf(inst.id);
    const block = f ? tradingBlock(f, inst.symbol) : undefined;
    if (block) throw new VenueRejectedError(block, f?.cancelOnly ? 'cancel_only' : 'trading_disabled');
    return inst;
  }

  /** A Coinbase order as reports: one, or our two children for a bracket's exit order. */
  private async reports(o: WireOrder): Promise<VenueOrderReport[]> {
    if (this.brackets.isRetired(o.order_id)) return [];
    const link = await this.brackets.exitOf(o.order_id);
    if (link) return this.fills.restExitReports(link, exitFromOrder(o), this.insts.find(o.product_id)?.id);
    this.orders.remember(o.client_order_id, o.order_id);
    return [orderReport(o, this.insts.find(o.product_id)?.id)];
  }

  async submit(order: Order): Promise<SubmitAck> {
    const inst = this.inst(order);
    const r = await this.create(orderBody(inst, order, refPrice(this.quote(inst.id))));
    this.orders.remember(order.clientOrderId, r.order_id);
    return { venueOrderId: r.order_id, status: 'accepted' };
  }

  /**
   * One Coinbase order carrying the entry and, attached, one exit order standing for both children
   * (journaled before sending, so a restart still knows them): the entry's ack, then each child's,
   * both with the exit order's id (from the answer, else the entry's `attached_order_id`).
   */
  async submitBracketOrders(parent: Order, children: readonly Order[]): Promise<SubmitAck[]> {
    const body = bracketBody(this.inst(parent), parent, children);
    const cid = (leg: string): string => children.find((c) => c.leg === leg)!.clientOrderId;
    this.brackets.journal(parent.clientOrderId, cid('take_profit'), cid('stop_loss'));
    const r = await this.create(body).catch((e: unknown) => {
      if (e instanceof VenueRejectedError) this.brackets.forget(parent.clientOrderId);
      throw e;
    });
    this.orders.remember(parent.clientOrderId, r.order_id);
    const link = this.brackets.identify(parent.clientOrderId, r.order_id, r.attached_order_id);
    const exit = link && (await this.brackets.exitIdOf(link));
    if (!exit) throw new OutcomeUnknownError(`Coinbase accepted order ${r.order_id} but named no attached bracket order for ${parent.clientOrderId}; it is looked up before anything else is sent.`);
    return [{ venueOrderId: r.order_id, status: 'accepted' }, ...children.map((): SubmitAck => ({ venueOrderId: exit, status: 'submitted' }))];
  }

  private async create(body: Record<string, unknown>): Promise<{ order_id: string; attached_order_id?: string | undefined }> {
    const r = await atVenueBoundary(this.name, 'submit', () => this.rest.create(body));
    if (!r.success || !r.success_response) throw new VenueRejectedError(createRefusal(r), r.error_response?.new_order_failure_reason ?? r.error_response?.error ?? 'coinbase_refused');
    return r.success_response;
  }

  private async orderId(order: Order): Promise<string> {
    const id = order.venueOrderId ?? this.orders.orderIdOf(order.clientOrderId) ?? (await this.orders.find(order.clientOrderId))?.order_id;
    if (!id) throw new HttpError('order_not_found', `Coinbase has no order ${order.clientOrderId}.`, 'rejected', 404);
    return id;
  }

  /** A bracket child cancels the one exit order standing for both children (Coinbase cancels both legs or none). */
  async cancel(order: Order): Promise<void> {
    const child = this.brackets.byChild(order.clientOrderId);
    const id = child ? await this.brackets.exitIdOf(child.link) : await this.orderId(order);
    if (!id) throw new VenueRejectedError(`Coinbase has no exit order for ${order.clientOrderId} yet.`, 'order_not_found');
    const r = await atVenueBoundary(this.name, 'cancel', async () => this.orders.cancel([id]));
    const f = r.failed[0];
    if (!f) return;
    // The other leg's cancel (or a fill) ended the shared exit order first: its reports say how.
    const done = child ? await this.rest.order(id).catch(() => undefined) : undefined;
    if (done && child && done.status !== 'OPEN' && done.status !== 'PENDING') {
      for (const rep of await this.reports(done)) this.listener?.orderReport(rep);
      return;
    }
    throw new VenueRejectedError(`Coinbase did not cancel ${order.clientOrderId}: ${f.reason}`, f.reason);
  }

  /** Every OPEN order (listed, then batch_cancel in chunks): what Coinbase said of each. */
  async cancelAll(): Promise<CancelOutcome> {
    return atVenueBoundary(this.name, 'cancel', async () => this.orders.cancel((await this.rest.openOrders()).map((o) => o.order_id)));
  }

  /** `/orders/edit`: a GTC limit order's price and size, in place (same order id); Coinbase's reason when it refuses. */
  async replace(order: Order, changes: ReplaceChanges): Promise<ReplaceAck> {
    if (changes.stopPrice !== undefined) throw new VenueRejectedError('Coinbase edits only the price and size of an order; cancel and place a new one to move its stop.', 'edit_unsupported');
    const price = changes.limitPrice ?? order.limitPrice;
    const size = changes.qty ?? order.qty;
    const r = await atVenueBoundary(this.name, 'replace', async () => this.rest.edit({ order_id: await this.orderId(order), price, size }));
    const why = editFailure(r);
    if (why) throw new VenueRejectedError(`Coinbase refused the edit of ${order.clientOrderId}: ${why}`, why);
    const o = await this.rest.order(await this.orderId(order)).catch(() => undefined);
    return { venueOrderId: o?.order_id ?? (await this.orderId(order)), status: o ? portStatus(o.status, o.filled_size) : 'accepted', qty: size, ...(price !== undefined ? { limitPrice: price } : {}) };
  }

  /** By our client id; a bracket child through the exit order standing for it. */
  async lookup(clientOrderId: string): Promise<VenueOrderReport | undefined> {
    await this.ensureInstruments();
    const settled = this.brackets.retiredReport(clientOrderId);
    if (settled) return settled;
    const child = this.brackets.byChild(clientOrderId);
    const exit = child && (await this.brackets.exitIdOf(child.link));
    if (child && !exit) return undefined;
    const o = exit ? await this.rest.order(exit) : await this.orders.find(clientOrderId);
    return o ? (await this.reports(o)).find((r) => r.clientOrderId === clientOrderId) : undefined;
  }

  async openOrders(): Promise<VenueOrderReport[]> {
    await this.ensureInstruments();
    const out: VenueOrderReport[] = [];
    for (const o of await this.rest.openOrders()) out.push(...(await this.reports(o)));
    return out;
  }

  async fillsSince(sinceTs: number): Promise<VenueFillReport[]> {
    await this.ensureInstruments();
    return this.fills.since(sinceTs);
  }

  /** Spot holds no positions: what is held shows as balances. */
  async positions(): Promise<Position[]> {
    return [];
  }

  async balances(): Promise<Balance[]> {
    await this.loadKey();
    return (await this.rest.accounts()).map((a: WireAccount) => {
      const hold = a.hold?.value ?? '0';
      return { venue: this.name, asset: a.currency, total: toStr(new Decimal(a.available_balance.value).plus(hold)), available: a.available_balance.value };
    });
  }

  async preview(inst: Instrument, t: NormalizedTicket): Promise<VenuePreview> {
    let native;
    let nativeError: string | undefined;
    try {
      const oc = orderConfiguration({ ...t, qty: t.qty }, refPrice(this.quote(inst.id)));
      native = await this.rest.preview({ product_id: inst.venueSymbol, side: t.side === 'buy' ? 'BUY' : 'SELL', order_configuration: oc });
    } catch (e) {
      nativeError = (e as Error).message;
    }
    const quote = this.quote(inst.id) ?? (await this.snapshotQuote(inst.id).catch(() => undefined));
    const accounts = await this.rest.accounts().catch(() => undefined);
    return coinbasePreview({ inst, ticket: t, native, ...(nativeError ? { nativeError } : {}), fees: this.fees, quote, accounts, flags: this.insts.flagsOf(inst.id) });
  }
}
