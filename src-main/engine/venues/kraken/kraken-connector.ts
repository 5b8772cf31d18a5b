/**
 * Kraken spot behind the venue port: a thin front over the signed REST calls and the private WS v2
 * `executions` stream. Rules it keeps:
 * - order calls go through HttpClient once (never retried: each carries its own nonce) and
 *   `atVenueBoundary`; a lost answer is looked up by our `cl_ord_id`, never resent;
 * - the executions subscription's ack makes the venue `connected`, a drop makes it `disconnected`,
 *   so the engine reconciles through REST on every reconnect (Kraken numbers no execution);
 * - the opt-in dead-man switch is refreshed while connected and disarmed on a deliberate stop.
 */
import type { Instrument } from '../../domain/instrument';
import type { Balance, Order, Position, Quote } from '../../domain/order';
import type { NormalizedTicket } from '../../domain/order-validation';
import type { OrderCapabilities } from '../../domain/order-capabilities';
import { Decimal, toStr } from '../../domain/money';
import { CircuitBreaker } from '../../net/circuit-breaker';
import { HttpClient, HttpError } from '../../net/http-client';
import { RateLimiter } from '../../net/rate-limiter';
import type { VenueLimits } from '../../net/venue-limits';
import { VenueHealthReporter } from '../../net/venue-health';
import type { ResilientWs } from '../../net/resilient-ws';
import { atVenueBoundary } from '../submit-errors';
import type { ReplaceAck, ReplaceChanges, SubmitAck, VenueConnector, VenueContext, VenueFillReport, VenueListener, VenueOrderReport, VenuePreview, VenueStatus } from '../venue-port';
import { VenueRejectedError } from '../venue-port';
import { KrakenNonces, loadKrakenKeys, type KrakenKeys } from './kraken-auth';
import { readKrakenSettings, type KrakenSettings } from './kraken-config';
import { KrakenDeadMan } from './kraken-dead-man';
import { krakenErrors } from './kraken-errors';
import { commonAsset, KrakenInstruments } from './kraken-instruments';
import { krakenLimits } from './kraken-limits';
import { addOrderFields, fillFromTrade, fromExecution, reportFromOrder } from './kraken-mapping';
import { krakenPreview } from './kraken-preview';
import { KrakenMarket } from './kraken-market';
import { KrakenRest } from './kraken-rest';
import { krakenBars } from './kraken-bars';
import type { Bar } from '../../domain/bar';
import { openExecutionStream } from './kraken-stream';
import type { WireExecution, WireOrder } from './kraken-wire';

export const KRAKEN_CAPABILITIES: OrderCapabilities = {
  orderTypes: ['market', 'limit', 'stop', 'stop_limit'],
  // Kraken spot takes GTC, IOC and GTD; no DAY, FOK or auction orders. Post-only via oflags=post.
  tifs: ['gtc', 'ioc', 'gtd'],
  extendedHours: false,
  brackets: false,
  oca: false,
  postOnly: true,
  reduceOnly: false,
  notional: false,
};

export interface KrakenConnectorOptions {
  readonly timeoutMs?: number;
  readonly breakerOpenMs?: number;
  /** Tests: a budget matching an emulator's counter instead of the tier's. */
  readonly limits?: VenueLimits;
}

export class KrakenConnector implements VenueConnector {
  readonly kind = 'kraken';
  readonly name: string;
  readonly settings: KrakenSettings;
  private readonly http: HttpClient;
  private readonly rest: KrakenRest;
  private readonly breaker: CircuitBreaker;
  private readonly limiter: RateLimiter;
  private readonly reporter: VenueHealthReporter;
  private readonly insts = new KrakenInstruments();
  readonly deadMan: KrakenDeadMan;
  /** Kraken txid → our client id, learned from acks, the stream and REST. */
  private readonly cids = new Map<string, string>();
  private keys: KrakenKeys | undefined;
  private listener?: VenueListener;
  private exec?: ResilientWs;
  private readonly market: KrakenMarket;
  private ready = false;

  constructor(
    private readonly ctx: VenueContext,
    opts: KrakenConnectorOptions = {},
  ) {
    this.name = ctx.name;
    this.settings = readKrakenSettings(ctx.settings);
    this.limiter = new RateLimiter(opts.limits ?? krakenLimits(this.settings.tier));
    this.breaker = new CircuitBreaker(ctx.name, { displayName: 'Kraken', openMs: opts.breakerOpenMs ?? 60_000 });
    this.http = new HttpClient({
      venue: ctx.name,
      displayName: 'Kraken',
      baseUrl: this.settings.restUrl,
      mapError: krakenErrors,
      timeoutMs: opts.timeoutMs ?? 10_000,
      retryBaseMs: 200,
      limiter: this.limiter,
      breaker: this.breaker,
      secrets: () => (this.keys ? [this.keys.apiSecret] : []),
    });
    this.rest = new KrakenRest(this.http, () => this.requireKeys(), new KrakenNonces(ctx.db, () => ctx.clock.now()), this.limiter);
    this.deadMan = new KrakenDeadMan(
      this.settings.deadManSeconds,
      (t) => this.rest.cancelAfter(t),
      () => this.listener?.state(this.state().state, this.state().detail),
    );
    this.market = new KrakenMarket(
      async () => {
        await this.ensureInstruments();
        for (const s of this.settings.watchlist) this.watch(s);
        return this.settings.wsUrl;
      },
      ctx.name,
      () => ctx.clock.now(),
      { quote: (q) => this.listener?.quote(q), resync: (symbol, n) => console.warn(`[${ctx.name}] ${symbol} book checksum mismatch (${n} so far): resubscribing for a fresh snapshot`) },
    );
    this.reporter = new VenueHealthReporter({ limiter: this.limiter, breaker: this.breaker, feeds: () => [this.market.quotesFeed], onReport: (r) => this.listener?.health?.(r) });
  }

  /** The keys, read from the secret store when not loaded yet (a reconcile may run before the stream is up). */
  private async requireKeys(): Promise<KrakenKeys> {
    this.keys ??= await loadKrakenKeys(this.ctx.secrets, this.name);
    return this.keys;
  }

  private async loadKeys(): Promise<void> {
    this.keys = await loadKrakenKeys(this.ctx.secrets, this.name);
  }

  async start(listener: VenueListener): Promise<void> {
    this.listener = listener;
    this.reporter.start();
    listener.state('connecting', 'opening Kraken executions');
    const exec = openExecutionStream(
      this.settings.wsAuthUrl,
      this.name,
      async () => {
        await this.loadKeys();
        await this.ensureInstruments();
        return (await this.rest.token()).token;
      },
      {
        ready: () => {
          this.ready = true;
          this.deadMan.start();
          listener.state('connected', this.detail());
        },
        lost: (reason) => {
          this.ready = false;
          this.deadMan.pause();
          listener.state('disconnected', `Kraken executions lost (${reason}); reconnecting`);
        },
        refused: (reason) => listener.state('error', `${reason}; check the API key's WebSocket permission`),
        execution: (e) => this.onExecution(e),
        bad: (reason) => console.warn(`[${this.name}] ${reason}`),
      },
    );
    exec.on('error', (e) => {
      if (!this.ready) listener.state('error', e.message);
    });
    this.exec = exec;
    exec.start();
    this.market.start();
  }

  private watch(idOrSymbol: string): void {
    const info = this.insts.info(idOrSymbol);
    if (info) this.market.watch(info);
  }

  private detail(): string {
    const d = this.deadMan.state();
    const dm = !this.deadMan.enabled ? '' : d.armed ? `; dead-man switch armed (${this.settings.deadManSeconds} s)` : `; dead-man switch NOT armed${d.lastError ? `: ${d.lastError}` : ''}`;
    return `Kraken: executions live${dm}`;
  }

  private async ensureInstruments(): Promise<void> {
    if (this.insts.all().length > 0) return;
    this.insts.load(this.name, await this.rest.pairs());
  }

  async stop(): Promise<void> {
    await this.deadMan.disarm();
    this.exec?.stop();
    this.market.stop();
    this.reporter.stop();
    this.http.close();
    this.listener = undefined;
    this.ready = false;
  }

  state(): VenueStatus {
    if (this.ready && this.exec?.state === 'open') return { state: 'connected', detail: this.detail() };
    const s = this.exec?.state;
    return s === 'connecting' || s === 'idle' || s === 'open'
      ? { state: 'connecting', detail: 'opening Kraken executions' }
      : { state: 'disconnected', detail: `Kraken executions ${s ?? 'not started'}` };
  }

  health() {
    return this.reporter.report();
  }

  capabilities(): OrderCapabilities {
    return KRAKEN_CAPABILITIES;
  }

  instruments(): readonly Instrument[] {
    return this.insts.all();
  }

  instrument(idOrSymbol: string): Instrument | undefined {
    return this.insts.find(idOrSymbol);
  }

  quote(instrumentId: string): Quote | undefined {
    this.watch(instrumentId);
    return this.market.quote(instrumentId);
  }

  /** The touch from REST Ticker, for when the stream has gone quiet. */
  async snapshotQuote(instrumentId: string): Promise<Quote | undefined> {
    const inst = this.insts.find(instrumentId);
    if (!inst) return undefined;
    const t = await this.rest.touch(inst.venueSymbol);
    return this.market.fromRest({ instrumentId: inst.id, ...t, ts: this.ctx.clock.now() });
  }

  /** Price history from Kraken's public OHLC (kraken-bars.ts). */
  bars(instrumentId: string, intervalSec: number, sinceMs: number | undefined, limit: number): Promise<Bar[]> {
    return krakenBars(this.rest, this.pairOf(instrumentId), intervalSec, sinceMs, limit);
  }

  /** Checksum mismatches on an instrument's book so far (each one resubscribed). */
  bookMismatches(instrumentId: string): number {
    return this.market.mismatches(instrumentId);
  }

  /** The checksum-verified book (undefined until a verified snapshot arrives). */
  book(instrumentId: string, depth: number) {
    this.watch(instrumentId);
    return this.market.book(instrumentId, depth);
  }

  private cidOf(txid: string, clOrdId: string | null | undefined): string {
    const cid = clOrdId || this.cids.get(txid) || txid;
    this.cids.set(txid, cid);
    return cid;
  }

  private onExecution(e: WireExecution): void {
    const info = e.symbol ? this.insts.info(e.symbol) : undefined;
    const { report, fill } = fromExecution(e, this.cidOf(e.order_id, e.cl_ord_id), info?.inst.id, info?.inst.quote ?? 'USD');
    if (fill) this.listener?.fill(fill);
    this.listener?.orderReport(report);
  }

  private report(txid: string, o: WireOrder): VenueOrderReport {
    return reportFromOrder(txid, o, this.cidOf(txid, o.cl_ord_id), this.insts.find(o.descr.pair)?.id);
  }

  private pairOf(instrumentId: string): string {
    const info = this.insts.info(instrumentId);
    if (!info) throw new VenueRejectedError(`Kraken has no instrument ${instrumentId}; search with: tradeport instruments ${this.name} BTC/USD`, 'unknown_instrument');
    return info.inst.venueSymbol;
  }

  async submit(order: Order): Promise<SubmitAck> {
    const fields = addOrderFields(this.pairOf(order.instrumentId), order);
    const r = await atVenueBoundary(this.name, 'submit', () => this.rest.add(fields));
    const txid = r.txid?.[0];
    if (!txid) throw new VenueRejectedError(`Kraken accepted ${order.clientOrderId} without an order id (${r.descr?.order ?? 'no description'}); look it up before trading on.`, 'no_order_id');
    this.cids.set(txid, order.clientOrderId);
    return { venueOrderId: txid, status: 'accepted' };
  }

  private ref(order: Order): Record<string, string> {
    return order.venueOrderId ? { txid: order.venueOrderId } : { cl_ord_id: order.clientOrderId };
  }

  async cancel(order: Order): Promise<void> {
    const r = await atVenueBoundary(this.name, 'cancel', () => this.rest.cancel(this.ref(order)));
    if (r.count === 0) throw new VenueRejectedError(`Kraken cancelled nothing: ${order.clientOrderId} is no longer open there (filled, cancelled or expired).`, 'EOrder:Unknown order');
  }

  /** CancelAll: every open order on the account. */
  async cancelAll(): Promise<{ count: number }> {
    return atVenueBoundary(this.name, 'cancel', () => this.rest.cancelAll());
  }

  /** AmendOrder: in place, same txid and cl_ord_id, queue priority kept where Kraken allows. */
  async replace(order: Order, changes: ReplaceChanges): Promise<ReplaceAck> {
    const f: Record<string, string> = order.venueOrderId ? { txid: order.venueOrderId } : { cl_ord_id: order.clientOrderId };
    if (changes.qty !== undefined) f['order_qty'] = changes.qty;
    if (changes.limitPrice !== undefined) f['limit_price'] = changes.limitPrice;
    if (changes.stopPrice !== undefined) f['trigger_price'] = changes.stopPrice;
    await atVenueBoundary(this.name, 'replace', () => this.rest.amend(f));
    const now = await this.lookup(order.clientOrderId).catch(() => undefined);
    return {
      venueOrderId: now?.venueOrderId ?? order.venueOrderId ?? '',
      status: now?.status ?? 'accepted',
      qty: now?.qty ?? changes.qty ?? order.qty,
      ...((now?.limitPrice ?? changes.limitPrice ?? order.limitPrice) ? { limitPrice: now?.limitPrice ?? changes.limitPrice ?? order.limitPrice } : {}),
      ...((now?.stopPrice ?? changes.stopPrice ?? order.stopPrice) ? { stopPrice: now?.stopPrice ?? changes.stopPrice ?? order.stopPrice } : {}),
    };
  }

  /**
   * Our order at Kraken by its cl_ord_id: by txid when we know it, else QueryOrders by cl_ord_id,
   * then the open and closed lists filtered by it (cl_ord_id is unique among open orders only, so
   * the newest wins).
   */
  async lookup(clientOrderId: string): Promise<VenueOrderReport | undefined> {
    await this.ensureInstruments();
    const txid = [...this.cids].find(([, cid]) => cid === clientOrderId)?.[0];
    const mine = (xs: Record<string, WireOrder>) => Object.entries(xs).filter(([id, o]) => o.cl_ord_id === clientOrderId || id === txid);
    let found: [string, WireOrder][] = [];
    try {
      found = mine(await this.rest.query(txid ? { txid } : { cl_ord_id: clientOrderId }));
    } catch (e) {
      if (!(e instanceof HttpError && /EOrder:(Unknown|Invalid) order|EGeneral:Invalid arguments/.test(e.message))) throw e;
    }
    if (found.length === 0) found = mine(await this.rest.openOrders({ cl_ord_id: clientOrderId }));
    if (found.length === 0) found = mine(await this.rest.closedOrders({ cl_ord_id: clientOrderId }));
    const latest = found.sort(([, a], [, b]) => b.opentm - a.opentm)[0];
    return latest ? this.report(latest[0], latest[1]) : undefined;
  }

  async openOrders(): Promise<VenueOrderReport[]> {
    await this.ensureInstruments();
    return Object.entries(await this.rest.openOrders()).map(([txid, o]) => this.report(txid, o));
  }

  async fillsSince(sinceTs: number): Promise<VenueFillReport[]> {
    await this.ensureInstruments();
    const trades = await this.rest.trades(Math.max(0, Math.floor(sinceTs / 1000) - 1));
    const out: VenueFillReport[] = [];
    const unknown = Object.values(trades).filter((t) => !this.cids.has(t.ordertxid));
    if (unknown.length > 0) {
      const ids = [...new Set(unknown.map((t) => t.ordertxid))];
      for (let i = 0; i < ids.length; i += 20) for (const [txid, o] of Object.entries(await this.rest.query({ txid: ids.slice(i, i + 20).join(',') }))) this.cidOf(txid, o.cl_ord_id);
    }
    for (const [id, t] of Object.entries(trades)) {
      const inst = this.insts.find(t.pair);
      if (!inst || Math.round(t.time * 1000) < sinceTs) continue;
      out.push(fillFromTrade(id, t, this.cidOf(t.ordertxid, undefined), inst.id, inst.quote));
    }
    return out.sort((a, b) => a.ts - b.ts);
  }

  async positions(): Promise<Position[]> {
    return [];
  }

  async balances(): Promise<Balance[]> {
    const b = await this.rest.balancesEx();
    return Object.entries(b).map(([asset, x]) => ({ venue: this.name, asset: commonAsset(asset), total: x.balance, available: toStr(new Decimal(x.balance).minus(x.hold_trade ?? '0')) }));
  }

  async preview(inst: Instrument, t: NormalizedTicket): Promise<VenuePreview> {
    const info = this.insts.info(inst.id);
    if (!info) throw new VenueRejectedError(`Kraken has no instrument ${inst.symbol}.`, 'unknown_instrument');
    const validated = await this.rest
      .add(addOrderFields(info.inst.venueSymbol, t, true))
      .then((r) => ({ descr: r.descr?.order ?? '' }))
      .catch((e: unknown) => (e instanceof HttpError && e.failure === 'rejected' ? { error: e.message } : { unavailable: (e as Error).message }));
    const touch = this.market.quote(inst.id) ?? (await this.rest.touch(info.inst.venueSymbol).catch(() => undefined));
    const balances = await this.balances().catch(() => undefined);
    const spend = t.side === 'buy' ? inst.quote : inst.base;
    const available = balances ? (balances.find((b) => b.asset === spend)?.available ?? '0') : undefined;
    // The fee tier follows the account's 30-day volume (TradeVolume); unknown, the first (dearest) tier.
    const volume30d = await this.rest
      .tradeVolume(info.inst.venueSymbol)
      .then((v) => v.volume)
      .catch(() => '0');
    return krakenPreview({ inst, pair: info.pair, ticket: t, touch, available, volume30d, validated });
  }
}
