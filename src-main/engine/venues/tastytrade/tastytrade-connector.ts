/**
 * tastytrade (Open API) behind the venue port: a thin front over the REST calls and the account
 * streamer. Rules it keeps:
 * - tastytrade has no client order id and does not deduplicate: our client id rides in
 *   `external-identifier`, a submit goes once through `atVenueBoundary`, and an unclear outcome is
 *   resolved ONLY by a bounded, paged search of live and recent orders for that identifier;
 * - the account streamer's 'up' makes the venue `connected` (the engine then reconciles by REST),
 *   its notifications become order, fill, position and balance reports;
 * - cancel-all is a loop over live orders (the venue has no bulk cancel);
 * - quotes stream over DXLink (tastytrade-quotes) for every instrument described; DXLink being down
 *   shows in the state's detail and as the health's `quotes` feed, and marks the quotes stale, but
 *   never makes the venue disconnected or in error.
 */
import Decimal from 'decimal.js';
import type { Instrument } from '../../domain/instrument';
import type { OptionChain } from '../../domain/option-chain';
import type { Balance, Order, Position, Quote } from '../../domain/order';
import type { NormalizedTicket } from '../../domain/order-validation';
import type { OrderCapabilities } from '../../domain/order-capabilities';
import { CircuitBreaker } from '../../net/circuit-breaker';
import { HttpClient, HttpError } from '../../net/http-client';
import type { RateLimiter } from '../../net/rate-limiter';
import type { VenueHealthReport } from '../../api/venue-health';
import { VenueHealthReporter } from '../../net/venue-health';
import { rollAlert } from '../../market/futures-roll';
import { systemClock } from '../../ports/clock';
import { atVenueBoundary } from '../submit-errors';
import type { ReplaceAck, ReplaceChanges, SubmitAck, VenueConnector, VenueContext, VenueFillReport, VenueListener, VenueOrderReport, VenuePreview, VenueStatus } from '../venue-port';
import { VenueRejectedError } from '../venue-port';
import { TastytradeAccountStream } from './tastytrade-account-stream';
import { TastytradeAuth, loadTastytradeCredentials } from './tastytrade-auth';
import { readTastytradeSettings, type TastytradeSettings } from './tastytrade-config';
import { tastytradeErrors } from './tastytrade-errors';
import { TastytradeInstruments } from './tastytrade-instruments';
import { describeInstrument, searchCrypto } from './tastytrade-lookup';
import { TastytradeLogin } from './tastytrade-login';
import { orderBody, statusFromTasty } from './tastytrade-mapping';
import { orderSchema, parseWith, positionSchema, balanceSchema, type TtOrder } from './tastytrade-parsers';
import { tastytradePreview } from './tastytrade-preview';
import { balanceOf, positionOf } from './tastytrade-reports';
import { legIdsOf, orderFills, orderReportOf, spreadOrderBody } from './tastytrade-legs';
import { replaceOrder, SupersededOrders } from './tastytrade-replace';
import { TastytradeQuotes } from './tastytrade-quotes';
import { TastytradeRest } from './tastytrade-rest';
import { SeenIds } from '../seen-ids';

export const TASTYTRADE_CAPABILITIES: OrderCapabilities = {
  orderTypes: ['market', 'limit', 'stop', 'stop_limit'],
  tifs: ['day', 'gtc', 'gtd', 'ioc', 'fok'],
  extendedHours: true,
  brackets: false,
  oca: false,
  ocoExits: false,
  postOnly: false,
  reduceOnly: false,
  notional: true,
  multiLeg: true,
};

/** Pages of recent orders a lookup walks (newest first) before it says "never seen". */
const LOOKUP_PAGES = 5;

export interface TastytradeConnectorOptions {
  readonly timeoutMs?: number;
  readonly breakerOpenMs?: number;
  /** Reconnect backoff of the account streamer (tests shorten it). */
  readonly streamBackoff?: { initialMs?: number; maxMs?: number };
}

export class TastytradeConnector implements VenueConnector {
  readonly kind = 'tastytrade';
  readonly name: string;
  readonly settings: TastytradeSettings;
  readonly auth: TastytradeAuth;
  private readonly rest: TastytradeRest;
  private readonly login: TastytradeLogin;
  private readonly breaker: CircuitBreaker;
  private reporter: VenueHealthReporter;
  private readonly insts: TastytradeInstruments;
  private readonly held = new Map<string, string>();
  private readonly fillsSeen = new SeenIds();
  /** Venue ids a replace superseded: their cancel (they carry our identifier too) does not end our order; pruned once ended. */
  private readonly superseded = new SupersededOrders();
  private listener?: VenueListener;
  private stream?: TastytradeAccountStream;
  private readonly quotes: TastytradeQuotes;
  private up = false;
  private chainOfReports: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: VenueContext,
    private readonly opts: TastytradeConnectorOptions = {},
  ) {
    this.name = ctx.name;
    this.settings = readTastytradeSettings(ctx.settings);
    this.insts = new TastytradeInstruments(ctx.name);
    this.breaker = new CircuitBreaker(ctx.name, { displayName: 'tastytrade', openMs: opts.breakerOpenMs ?? 60_000 });
    const credentials = () => loadTastytradeCredentials(ctx.secrets, ctx.name);
    this.login = new TastytradeLogin({
      restUrl: this.settings.restUrl,
      credentials,
      client: (limiter) =>
        new HttpClient({
          venue: ctx.name,
          displayName: 'tastytrade',
          baseUrl: this.settings.restUrl,
          limiter,
          breaker: this.breaker,
          mapError: tastytradeErrors,
          timeoutMs: opts.timeoutMs ?? 10_000,
          retryBaseMs: 200,
        }),
      onLimiter: (limiter) => this.report(limiter),
    });
    const http = () => this.login.http();
    this.auth = new TastytradeAuth(http, credentials, ctx.clock);
    this.rest = new TastytradeRest(http, this.auth, this.settings.account);
    this.quotes = new TastytradeQuotes({
      quoteToken: () => this.rest.quoteToken(),
      clock: ctx.clock,
      timers: systemClock,
      ...(opts.streamBackoff ? { backoff: opts.streamBackoff } : {}),
      onQuote: (q) => this.listener?.quote(q),
      onState: () => {
        if (this.up) this.listener?.state('connected', this.state().detail);
        this.listener?.health?.(this.health());
      },
      onProblem: (detail) => console.warn(`[${this.name}] tastytrade DXLink: ${detail}`),
    });
    this.reporter = this.report();
  }

  async start(listener: VenueListener): Promise<void> {
    this.listener = listener;
    this.reporter.start();
    listener.state('connecting', `opening the tastytrade ${this.settings.env} account streamer`);
    this.stream = new TastytradeAccountStream({
      url: this.settings.streamerUrl,
      accounts: [this.settings.account],
      authToken: () => this.auth.accessToken(),
      clock: this.ctx.clock,
      timers: systemClock,
      ...(this.opts.streamBackoff ? { backoff: this.opts.streamBackoff } : {}),
      onNotification: (type, data) => this.onNotification(type, data),
      onState: (state, detail) => {
        this.up = state === 'up';
        if (state === 'down') listener.state('disconnected', `tastytrade account streamer lost (${detail}); reconnecting`);
        else void this.onUp();
      },
      onProblem: (detail) => console.warn(`[${this.name}] tastytrade streamer: ${detail}`),
    });
    this.stream.start();
    this.quotes.track(this.insts.streamer);
    this.quotes.start();
  }

  /** The health reporter, on the login's limiter once it is known (the breaker from the start). */
  private report(limiter?: RateLimiter): VenueHealthReporter {
    this.reporter?.stop();
    const r = new VenueHealthReporter({ ...(limiter ? { limiter } : {}), breaker: this.breaker, onReport: (h) => this.listener?.health?.({ ...h, feeds: [this.quotes.feed()] }) });
    if (this.listener) r.start();
    return (this.reporter = r);
  }

  private async onUp(): Promise<void> {
    await this.positions().catch(() => undefined);
    if (this.up) this.listener?.state('connected', this.state().detail);
  }

  async stop(): Promise<void> {
    await this.stream?.stop();
    await this.quotes.stop();
    this.reporter.stop();
    this.login.close();
    this.listener = undefined;
    this.up = false;
  }

  state(): VenueStatus {
    return this.up
      ? { state: 'connected', detail: `tastytrade ${this.settings.env}: account streamer connected; ${this.quotes.status().detail}` }
      : { state: this.stream ? 'connecting' : 'disconnected', detail: `tastytrade account streamer not connected; ${this.quotes.status().detail}` };
  }

  /** Rate budgets and breaker, with DXLink as the `quotes` feed. */
  health(): VenueHealthReport {
    return { ...this.reporter.report(), feeds: [this.quotes.feed()] };
  }

  capabilities(): OrderCapabilities {
    return TASTYTRADE_CAPABILITIES;
  }

  instruments(): readonly Instrument[] {
    return this.insts.all();
  }

  instrument(idOrSymbol: string): Instrument | undefined {
    return this.insts.find(idOrSymbol);
  }

  /** Equities (`AAPL`), futures (`ES:FUT:20260320`, `/ESH6`), options (`AAPL:OPT:C:150:20260320`, OCC) and crypto (`BTC/USD`), described by tastytrade and cached. */
  async lookupInstrument(symbolOrId: string): Promise<Instrument | undefined> {
    const inst = await describeInstrument(this.name, this.rest, this.insts, symbolOrId);
    this.quotes.track(this.insts.streamer);
    return inst;
  }

  /** The symbol as looked up, then crypto pairs starting with the query (`BTC` → `BTC/USD`; none if the list cannot be read). */
  async searchInstruments(query: string): Promise<Instrument[]> {
    const i = await this.lookupInstrument(query);
    const pairs = (await searchCrypto(this.name, this.rest, this.insts, query).catch(() => [])).filter((p) => p !== i);
    this.quotes.track(this.insts.streamer);
    return i ? [i, ...pairs] : pairs;
  }

  async optionChain(underlying: string): Promise<OptionChain> {
    const u = underlying.trim().toUpperCase();
    const chain = this.insts.chain(u, await this.rest.chain(u));
    this.quotes.track(this.insts.streamer);
    return chain;
  }

  quote(instrumentId: string): Quote | undefined {
    return this.quotes.quote(instrumentId);
  }

  book() {
    return undefined;
  }

  // ---- streamer ----

  private onNotification(type: string, data: unknown): void {
    this.chainOfReports = this.chainOfReports.then(() => this.notified(type, data)).catch((e: unknown) => console.warn(`[${this.name}] tastytrade ${type}: ${(e as Error).message}`));
  }

  private async notified(type: string, data: unknown): Promise<void> {
    if (type === 'Order') await this.emitOrder(parseWith(orderSchema, 'order notification', data));
    else if (type === 'CurrentPosition') {
      const p = parseWith(positionSchema, 'position notification', data);
      const inst = await this.ensure(p.symbol);
      if (inst) this.listener?.position(this.remember(positionOf(this.name, p, inst.id, inst.symbol)));
    } else if (type === 'AccountBalance') this.listener?.balance(balanceOf(this.name, parseWith(balanceSchema, 'balance notification', data)));
  }

  private async emitOrder(o: TtOrder): Promise<void> {
    const ids = await this.legIds(o);
    if (!ids) return;
    for (const f of orderFills(o, ids)) {
      if (this.fillsSeen.add(f.venueFillId)) this.listener?.fill(f);
    }
    if (!this.superseded.swallows(o.id, statusFromTasty(o))) this.listener?.orderReport(orderReportOf(o, ids, this.ctx.clock.now()));
  }

  private legIds = (o: TtOrder): Promise<string[] | undefined> => legIdsOf(o, (symbol) => this.ensure(symbol));

  private async ensure(venueSymbol: string): Promise<Instrument | undefined> {
    return this.insts.find(venueSymbol) ?? (await this.lookupInstrument(venueSymbol).catch(() => undefined));
  }

  private remember(p: Position): Position {
    this.held.set(p.instrumentId, p.qty);
    return p;
  }

  // ---- orders ----

  private inst(order: Order): Instrument {
    const inst = this.insts.find(order.instrumentId) ?? this.insts.find(order.symbol);
    if (!inst) throw new VenueRejectedError(`tastytrade has no instrument ${order.symbol} loaded; look it up first (tradeport instruments ${this.name} ${order.symbol}).`, 'unknown_instrument');
    return inst;
  }

  private body(order: Order): Record<string, unknown> {
    if (order.legs) return spreadOrderBody(order, (id) => this.inst({ ...order, instrumentId: id, symbol: id }), this.held);
    const inst = this.inst(order);
    return orderBody(inst, order, this.held.get(inst.id) ?? '0');
  }

  async submit(order: Order): Promise<SubmitAck> {
    const body = this.body(order);
    const o = await atVenueBoundary(this.name, 'submit', () => this.rest.submit(body));
    return { venueOrderId: o.id, status: statusFromTasty(o) };
  }

  /** Every tastytrade order carrying our client id, newest first: live orders, then recent pages. */
  private async ordersFor(clientOrderId: string): Promise<TtOrder[]> {
    const mine = (xs: readonly TtOrder[]): TtOrder[] => xs.filter((o) => o['external-identifier'] === clientOrderId);
    const live = mine(await this.rest.liveOrders());
    if (live.length > 0) return live.sort((a, b) => Number(b.id) - Number(a.id));
    return mine(await this.rest.searchOrders(LOOKUP_PAGES, (page) => mine(page).length > 0));
  }

  /** The order that carries ours now: a replacement supersedes what it replaced. */
  private async current(clientOrderId: string): Promise<TtOrder | undefined> {
    const xs = await this.ordersFor(clientOrderId);
    return xs.sort((a, b) => Number(b.id) - Number(a.id))[0];
  }

  async lookup(clientOrderId: string): Promise<VenueOrderReport | undefined> {
    const o = clientOrderId.startsWith('tastytrade:') ? await this.rest.order(clientOrderId.slice('tastytrade:'.length)).catch(() => undefined) : await this.current(clientOrderId);
    if (!o) return undefined;
    return orderReportOf(o, await this.legIds(o), this.ctx.clock.now());
  }

  private async venueId(order: Order): Promise<string> {
    const o = await this.current(order.clientOrderId);
    if (o) return o.id;
    if (order.venueOrderId) return order.venueOrderId;
    throw new HttpError('order_not_found', `tastytrade has no order ${order.clientOrderId}.`, 'rejected', 404);
  }

  async cancel(order: Order): Promise<void> {
    await atVenueBoundary(this.name, 'cancel', async () => this.rest.cancel(await this.venueId(order)));
  }

  /** No bulk cancel at tastytrade: every live order, one by one. */
  async cancelAll(): Promise<{ cancelled: string[]; failed: { venueOrderId: string; message: string }[] }> {
    const out = { cancelled: [] as string[], failed: [] as { venueOrderId: string; message: string }[] };
    for (const o of await this.rest.liveOrders()) {
      const s = statusFromTasty(o);
      if (s !== 'accepted' && s !== 'partially_filled') continue;
      await atVenueBoundary(this.name, 'cancel', () => this.rest.cancel(o.id)).then(
        () => out.cancelled.push(o.id),
        (e: unknown) => out.failed.push({ venueOrderId: o.id, message: (e as Error).message }),
      );
    }
    return out;
  }

  /** tastytrade replaces with a NEW order id; our client id is carried over (tastytrade-replace.ts). */
  replace(order: Order, changes: ReplaceChanges): Promise<ReplaceAck> {
    return replaceOrder({ name: this.name, superseded: this.superseded, venueId: (o) => this.venueId(o), put: (id, o) => this.rest.replace(id, this.body(o)) }, order, changes);
  }

  async openOrders(): Promise<VenueOrderReport[]> {
    const out: VenueOrderReport[] = [];
    for (const o of await this.rest.liveOrders()) {
      const r = orderReportOf(o, await this.legIds(o), this.ctx.clock.now());
      if (r.status === 'accepted' || r.status === 'partially_filled' || r.status === 'pending_cancel' || r.status === 'pending_replace') out.push(r);
    }
    return out;
  }

  async fillsSince(sinceTs: number): Promise<VenueFillReport[]> {
    const out: VenueFillReport[] = [];
    const orders = await this.rest.searchOrders(LOOKUP_PAGES, (page) => page.every((o) => Date.parse(o['received-at'] ?? '') < sinceTs - 86_400_000));
    for (const o of orders) {
      const ids = await this.legIds(o);
      if (ids) out.push(...orderFills(o, ids).filter((f) => f.ts >= sinceTs));
    }
    return out.sort((a, b) => a.ts - b.ts);
  }

  async positions(): Promise<Position[]> {
    const out: Position[] = [];
    for (const p of await this.rest.positions()) {
      const inst = await this.ensure(p.symbol);
      if (inst) out.push(this.remember(positionOf(this.name, p, inst.id, inst.symbol)));
    }
    for (const id of this.held.keys()) if (!out.some((p) => p.instrumentId === id)) this.held.set(id, '0');
    return out;
  }

  async balances(): Promise<Balance[]> {
    return [balanceOf(this.name, await this.rest.balances())];
  }

  async preview(inst: Instrument, t: NormalizedTicket): Promise<VenuePreview> {
    const order = { clientOrderId: 'preview', instrumentId: inst.id, symbol: inst.symbol, ...t } as unknown as Order;
    let failure: { refused: boolean; message: string } | undefined;
    const dry = await this.rest.dryRun(this.body(order)).catch((e: unknown) => {
      failure = { refused: e instanceof HttpError && e.failure === 'rejected', message: e instanceof Error ? e.message : String(e) };
      return undefined;
    });
    const roll = rollAlert(inst, this.ctx.clock.now(), this.settings.rollAlertDays, this.insts.all());
    const local = roll ? [{ code: 'futures_roll', message: roll }] : [];
    const notional = t.notional ?? (t.limitPrice ? new Decimal(t.limitPrice).mul(t.qty).mul(inst.multiplier).toString() : undefined);
    if (notional && new Decimal(notional).isZero()) local.push({ code: 'zero_notional', message: 'The order has no value; set a quantity.' });
    return tastytradePreview(inst, t, dry, failure, local);
  }
}
