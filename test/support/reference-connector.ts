/**
 * The connector for the reference venue (test/emulators/reference): the smallest REST +
 * WebSocket connector that keeps every rule, and the template a new venue's connector copies.
 * Used only in tests. What it shows:
 * - the venue owns its limits (REFERENCE_LIMITS) and error mapper (referenceErrors);
 * - every order call goes through HttpClient (limiter + breaker, never retried) and
 *   `atVenueBoundary` (4xx → rejected with the venue's words; 5xx / timeout / lost → unknown);
 * - the stream is a ResilientWs that never carries an order, and its state is the venue's state
 *   (disconnected → connected makes the engine reconcile);
 * - lookup by client id, open orders and fills are complete enough to adopt and to dedupe.
 */
import type { Instrument } from '../../src-main/engine/domain/instrument';
import type { Balance, Order, OrderStatus, Position } from '../../src-main/engine/domain/order';
import { Decimal, toStr } from '../../src-main/engine/domain/money';
import { CircuitBreaker } from '../../src-main/engine/net/circuit-breaker';
import { HttpClient, HttpError } from '../../src-main/engine/net/http-client';
import { RateLimiter } from '../../src-main/engine/net/rate-limiter';
import { ResilientWs } from '../../src-main/engine/net/resilient-ws';
import { VenueHealthReporter } from '../../src-main/engine/net/venue-health';
import { Priority, type VenueLimits } from '../../src-main/engine/net/venue-limits';
import type { VenueErrorMapper } from '../../src-main/engine/net/venue-errors';
import { secretAccount } from '../../src-main/engine/ports/secrets';
import { atVenueBoundary } from '../../src-main/engine/venues/submit-errors';
import type {
  ReplaceAck,
  ReplaceChanges,
  SubmitAck,
  VenueConnector,
  VenueContext,
  VenueFactory,
  VenueFillReport,
  VenueListener,
  VenueOrderReport,
  VenuePreview,
  VenueStatus,
} from '../../src-main/engine/venues/venue-port';
import type { NormalizedTicket } from '../../src-main/engine/domain/order-validation';
import type { OrderCapabilities } from '../../src-main/engine/domain/order-capabilities';

export const REFERENCE_LIMITS: VenueLimits = {
  venue: 'reference',
  displayName: 'Reference venue',
  headers: 'none',
  budgets: [{ kind: 'window', id: 'requests', limit: 50, windowMs: 1000, source: 'test/emulators/reference (no documented limit; any)' }],
  groups: {
    query: { costs: { requests: 1 }, priority: Priority.query },
    orderNew: { costs: { requests: 1 }, priority: Priority.order },
    orderReplace: { costs: { requests: 1 }, priority: Priority.order },
    orderCancel: { costs: { requests: 1 }, priority: Priority.cancel },
  },
};

/** `{"code":"…","message":"…"}` with any 4xx/5xx. */
export const referenceErrors: VenueErrorMapper = (status, json) => {
  const b = json && typeof json === 'object' ? (json as Record<string, unknown>) : undefined;
  if (status < 400 || typeof b?.['message'] !== 'string') return undefined;
  const venueCode = typeof b['code'] === 'string' ? b['code'] : String(status);
  const code = status === 404 ? 'order_not_found' : status === 429 ? 'rate_limited' : status >= 500 ? 'venue_unavailable' : 'venue_rejected';
  return { code, message: `Reference venue: ${b['message']}`, venueCode, ...(status >= 500 ? { venueDown: true } : {}) };
};

export const REFERENCE_INSTRUMENT: Instrument = {
  id: 'reference:XYZ-USD',
  venue: 'reference',
  venueSymbol: 'XYZ-USD',
  symbol: 'XYZ/USD',
  assetClass: 'crypto_spot',
  description: 'Reference venue test pair',
  base: 'XYZ',
  quote: 'USD',
  tickSize: '0.01',
  lotSize: '0.001',
  minQty: '0.001',
  minNotional: '0',
  multiplier: '1',
  fractional: true,
  session: 'always',
};

/** Limit and market orders, GTC / DAY / IOC: what the reference venue accepts. */
export const REFERENCE_CAPABILITIES: OrderCapabilities = { orderTypes: ['market', 'limit'], tifs: ['gtc', 'day', 'ioc'], extendedHours: false, brackets: false, oca: false };

interface WireOrder {
  id: string;
  client_order_id: string;
  side: 'buy' | 'sell';
  type: 'limit' | 'market';
  qty: string;
  limit_price?: string;
  tif: 'gtc' | 'day' | 'ioc';
  status: 'new' | 'partially_filled' | 'filled' | 'canceled';
  filled_qty: string;
  avg_price: string;
  updated_at: number;
}
interface WireFill {
  id: string;
  order_id: string;
  client_order_id: string;
  side: 'buy' | 'sell';
  qty: string;
  price: string;
  fee: string;
  ts: number;
}

const STATUS: Record<WireOrder['status'], OrderStatus> = { new: 'accepted', partially_filled: 'partially_filled', filled: 'filled', canceled: 'cancelled' };

function orderReport(o: WireOrder): VenueOrderReport {
  return {
    clientOrderId: o.client_order_id,
    venueOrderId: o.id,
    status: STATUS[o.status],
    filledQty: o.filled_qty,
    avgFillPrice: o.avg_price,
    ts: o.updated_at,
    instrumentId: REFERENCE_INSTRUMENT.id,
    side: o.side,
    type: o.type,
    qty: o.qty,
    ...(o.limit_price !== undefined ? { limitPrice: o.limit_price } : {}),
    tif: o.tif,
    raw: o,
  };
}

function fillReport(f: WireFill): VenueFillReport {
  return {
    clientOrderId: f.client_order_id,
    venueOrderId: f.order_id,
    venueFillId: f.id,
    instrumentId: REFERENCE_INSTRUMENT.id,
    side: f.side,
    qty: f.qty,
    price: f.price,
    fee: f.fee,
    feeCurrency: 'USD',
    liquidity: 'maker',
    ts: f.ts,
    raw: f,
  };
}

export interface ReferenceConnectorOptions {
  readonly breakerOpenMs?: number;
  readonly timeoutMs?: number;
}

export class ReferenceConnector implements VenueConnector {
  readonly kind = 'reference';
  readonly name: string;
  private readonly http: HttpClient;
  private readonly breaker: CircuitBreaker;
  private readonly limiter: RateLimiter;
  private readonly reporter: VenueHealthReporter;
  private ws?: ResilientWs;
  private listener?: VenueListener;
  private key = '';
  /** The last stream sequence number seen on this connection. */
  private lastSeq: number | undefined;

  constructor(
    private readonly ctx: VenueContext,
    opts: ReferenceConnectorOptions = {},
  ) {
    this.name = ctx.name;
    this.breaker = new CircuitBreaker(ctx.name, { displayName: 'Reference venue', openMs: opts.breakerOpenMs ?? 60_000 });
    this.limiter = new RateLimiter(REFERENCE_LIMITS);
    this.http = new HttpClient({
      venue: ctx.name,
      displayName: 'Reference venue',
      baseUrl: this.baseUrl,
      limiter: this.limiter,
      breaker: this.breaker,
      mapError: referenceErrors,
      timeoutMs: opts.timeoutMs ?? 2_000,
      retryBaseMs: 20,
      secrets: () => [this.key],
    });
    this.reporter = new VenueHealthReporter({ limiter: this.limiter, breaker: this.breaker, onReport: (r) => this.listener?.health?.(r) });
  }

  private get baseUrl(): string {
    const u = this.ctx.settings['baseUrl'];
    if (!u) throw new Error('reference venue: the baseUrl setting is required');
    return u;
  }

  async start(listener: VenueListener): Promise<void> {
    this.listener = listener;
    this.key = (await this.ctx.secrets.get(secretAccount(this.name, 'apiKey'))) ?? '';
    this.reporter.start();
    listener.state('connecting', 'opening the stream');
    const ws = new ResilientWs({
      url: `${this.baseUrl.replace(/^http/, 'ws')}/stream`,
      name: `${this.name} stream`,
      backoff: { initialMs: 50, maxMs: 500 },
      wsOptions: { headers: { 'x-api-key': this.key } },
    });
    ws.on('state', (s) => {
      if (s.state === 'reconnecting') listener.state('disconnected', `stream lost (${s.reason ?? 'closed'}); reconnecting`);
    });
    ws.on('open', () => {
      // The venue numbers messages across connections: the first one on a new connection is the baseline.
      this.lastSeq = undefined;
      listener.state('connected', 'stream open');
    });
    ws.on('message', (m) => this.onMessage(m));
    this.ws = ws;
    ws.start();
  }

  async stop(): Promise<void> {
    this.ws?.stop();
    this.reporter.stop();
    this.http.close();
    this.listener = undefined;
  }

  state(): VenueStatus {
    const s = this.ws?.state;
    return s === 'open'
      ? { state: 'connected', detail: 'stream open' }
      : s === 'connecting' || s === 'idle'
        ? { state: 'connecting', detail: 'opening the stream' }
        : { state: 'disconnected', detail: `stream ${s ?? 'not started'}` };
  }

  health() {
    return this.reporter.report();
  }

  capabilities(): OrderCapabilities {
    return REFERENCE_CAPABILITIES;
  }

  private onMessage(text: string): void {
    const m = JSON.parse(text) as { type: string; seq?: number; data: unknown };
    if (m.type === 'order') this.listener?.orderReport(orderReport(m.data as WireOrder));
    else if (m.type === 'fill') this.listener?.fill(fillReport(m.data as WireFill));
    this.checkSequence(m.seq);
  }

  /**
   * A skipped sequence number means messages were lost: a fresh connection makes the engine
   * reconcile (disconnected → connected), which finds whatever the lost messages carried.
   */
  private checkSequence(seq: number | undefined): void {
    if (seq === undefined) return;
    const expected = this.lastSeq === undefined ? seq : this.lastSeq + 1;
    this.lastSeq = seq;
    if (seq !== expected) {
      this.lastSeq = undefined;
      this.ws?.reconnectNow(`stream sequence gap (expected ${expected}, got ${seq})`);
    }
  }

  private async call<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, group: string, body?: unknown, query?: string): Promise<T> {
    const r = await this.http.request({
      method,
      path,
      group,
      headers: { 'x-api-key': this.key, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(query ? { query } : {}),
    });
    return r.json as T;
  }

  instruments(): readonly Instrument[] {
    return [REFERENCE_INSTRUMENT];
  }
  instrument(idOrSymbol: string): Instrument | undefined {
    const s = idOrSymbol.toUpperCase();
    return s === REFERENCE_INSTRUMENT.id.toUpperCase() || s === REFERENCE_INSTRUMENT.symbol || s === 'XYZ-USD' ? REFERENCE_INSTRUMENT : undefined;
  }
  quote(instrumentId: string) {
    return instrumentId === REFERENCE_INSTRUMENT.id ? { instrumentId, bid: '99.99', ask: '100.01', bidSize: '10', askSize: '10', ts: this.ctx.clock.now() } : undefined;
  }
  book() {
    return undefined;
  }

  async submit(order: Order): Promise<SubmitAck> {
    const o = await atVenueBoundary(this.name, 'submit', () =>
      this.call<WireOrder>('POST', '/v1/orders', 'orderNew', {
        client_order_id: order.clientOrderId,
        symbol: 'XYZ-USD',
        side: order.side,
        type: order.type,
        qty: order.qty,
        ...(order.limitPrice !== undefined ? { limit_price: order.limitPrice } : {}),
        tif: order.tif,
      }),
    );
    return { venueOrderId: o.id, status: STATUS[o.status] };
  }

  private async venueId(order: Order): Promise<string> {
    if (order.venueOrderId) return order.venueOrderId;
    const found = await this.lookup(order.clientOrderId);
    if (!found?.venueOrderId) throw new HttpError('order_not_found', `Reference venue has no order ${order.clientOrderId}.`, 'rejected', 404);
    return found.venueOrderId;
  }

  async cancel(order: Order): Promise<void> {
    await atVenueBoundary(this.name, 'cancel', async () => this.call('DELETE', `/v1/orders/${encodeURIComponent(await this.venueId(order))}`, 'orderCancel'));
  }

  async replace(order: Order, changes: ReplaceChanges): Promise<ReplaceAck> {
    const o = await atVenueBoundary(this.name, 'replace', async () =>
      this.call<WireOrder>('PATCH', `/v1/orders/${encodeURIComponent(await this.venueId(order))}`, 'orderReplace', {
        ...(changes.qty !== undefined ? { qty: changes.qty } : {}),
        ...(changes.limitPrice !== undefined ? { limit_price: changes.limitPrice } : {}),
      }),
    );
    return { venueOrderId: o.id, status: STATUS[o.status], qty: o.qty, ...(o.limit_price !== undefined ? { limitPrice: o.limit_price } : {}) };
  }

  async lookup(clientOrderId: string): Promise<VenueOrderReport | undefined> {
    try {
      return orderReport(await this.call<WireOrder>('GET', `/v1/orders/by-client-id/${encodeURIComponent(clientOrderId)}`, 'query'));
    } catch (e) {
      if (e instanceof HttpError && e.status === 404) return undefined;
      throw e;
    }
  }

  async openOrders(): Promise<VenueOrderReport[]> {
    return (await this.call<WireOrder[]>('GET', '/v1/orders', 'query', undefined, 'status=open')).map(orderReport);
  }

  async fillsSince(sinceTs: number): Promise<VenueFillReport[]> {
    return (await this.call<WireFill[]>('GET', '/v1/fills', 'query', undefined, `since=${sinceTs}`)).map(fillReport);
  }

  async positions(): Promise<Position[]> {
    const ps = await this.call<Array<{ qty: string; avg_price: string }>>('GET', '/v1/positions', 'query');
    return ps.map((p) => ({ venue: this.name, instrumentId: REFERENCE_INSTRUMENT.id, symbol: REFERENCE_INSTRUMENT.symbol, qty: p.qty, avgPrice: p.avg_price, realizedPnl: '0' }));
  }

  async balances(): Promise<Balance[]> {
    const bs = await this.call<Array<{ asset: string; total: string; available: string }>>('GET', '/v1/balances', 'query');
    return bs.map((b) => ({ venue: this.name, asset: b.asset, total: b.total, available: b.available }));
  }

  async preview(_i: Instrument, t: NormalizedTicket): Promise<VenuePreview> {
    const px = t.limitPrice ?? '100.01';
    const notional = toStr(new Decimal(t.qty).mul(px));
    return { estPrice: px, estNotional: notional, estFee: '0', estTotal: notional, currency: 'USD', buyingPowerBefore: null, buyingPowerAfter: null, warnings: [], violations: [] };
  }
}

export function referenceFactory(opts: ReferenceConnectorOptions = {}): VenueFactory {
  return {
    info: { kind: 'reference', label: 'Reference venue (tests)', settings: [{ key: 'baseUrl', label: 'Base URL', type: 'string', required: true }], secrets: [{ field: 'apiKey', label: 'API key' }] },
    create: (ctx) => new ReferenceConnector(ctx, opts),
  };
}
