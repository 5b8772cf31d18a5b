/**
 * The reference venue: a small, generic REST + WebSocket venue built on the emulator kit. It is
 * the template a new venue emulator copies (routes, state, control commands on top of
 * `EmulatorServer`) and what the venue contract suite's HTTP cases (429, 5xx burst, lost
 * response) run against. One instrument, XYZ-USD; limit orders rest until filled from the
 * control API; market orders fill at once at 100.
 */
import Decimal from 'decimal.js';
import { EmulatorServer, type KitRequest, type KitResponse } from '../kit';

export type RefStatus = 'new' | 'partially_filled' | 'filled' | 'canceled';

export interface RefOrder {
  id: string;
  client_order_id: string;
  symbol: string;
  side: 'buy' | 'sell';
  type: 'limit' | 'market';
  qty: string;
  limit_price?: string;
  tif: 'gtc' | 'day' | 'ioc';
  status: RefStatus;
  filled_qty: string;
  avg_price: string;
  updated_at: number;
}

export interface RefFill {
  id: string;
  order_id: string;
  client_order_id: string;
  symbol: string;
  side: 'buy' | 'sell';
  qty: string;
  price: string;
  fee: string;
  ts: number;
}

export interface ReferenceEmulatorOptions {
  readonly port?: number;
  /** The key clients must send as `x-api-key`. */
  readonly apiKey?: string;
  readonly now?: () => number;
  readonly log?: (line: string) => void;
}

export const REF_SYMBOL = 'XYZ-USD';
const MARKET_PRICE = '100';

export class ReferenceEmulator {
  readonly server: EmulatorServer;
  readonly orders = new Map<string, RefOrder>();
  readonly fills: RefFill[] = [];
  private seq = 0;
  private fillSeq = 0;
  private rejectNext: string | undefined;
  private readonly now: () => number;

  constructor(opts: ReferenceEmulatorOptions = {}) {
    const key = opts.apiKey ?? 'ref-key';
    this.now = opts.now ?? Date.now;
    this.server = new EmulatorServer({
      name: 'reference',
      ...(opts.port !== undefined ? { port: opts.port } : {}),
      ...(opts.log ? { log: opts.log } : {}),
      auth: (req) => (req.headers['x-api-key'] === key || req.query.get('key') === key ? undefined : { status: 401, body: { code: 'unauthorized', message: 'invalid API key' } }),
    });
    const s = this.server;
    s.route('GET', '/v1/instruments', () => ok([{ symbol: REF_SYMBOL, base: 'XYZ', quote: 'USD', tick_size: '0.01', lot_size: '0.001' }]));
    s.route('POST', '/v1/orders', (r) => this.create(r));
    s.route('GET', '/v1/orders', (r) => ok([...this.orders.values()].filter((o) => r.query.get('status') !== 'open' || isOpen(o))));
    s.route('GET', '/v1/orders/by-client-id/:cid', (r) => this.byCid(r.params['cid']!) ?? notFound());
    s.route('DELETE', '/v1/orders/:id', (r) => this.cancel(r.params['id']!));
    s.route('PATCH', '/v1/orders/:id', (r) => this.amend(r));
    s.route('GET', '/v1/fills', (r) => ok(this.fills.filter((f) => f.ts >= Number(r.query.get('since') ?? 0))));
    s.route('GET', '/v1/balances', () => ok([{ asset: 'USD', total: '1000000', available: '1000000' }]));
    s.route('GET', '/v1/positions', () => ok(this.positions()));
    s.command('fill', (b) => this.fill(String(b['client_order_id']), String(b['qty']), String(b['price'] ?? MARKET_PRICE)));
    s.command('reject-next', (b) => {
      this.rejectNext = String(b['message'] ?? 'rejected by emulator control');
      return { armed: this.rejectNext };
    });
    s.command('external-order', (b) => this.external(b));
    s.command('forget', (b) => {
      const o = this.byCidOrder(String(b['client_order_id']));
      if (o) this.orders.delete(o.id);
      return { forgotten: !!o };
    });
    s.state(() => ({ orders: [...this.orders.values()], fills: this.fills }));
  }

  get url(): string {
    return this.server.url;
  }

  start(): Promise<void> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** Fills `qty` of an order now (at `price`), streaming the fill and the order. */
  fill(cid: string, qty: string, price = MARKET_PRICE): RefOrder {
    const o = this.byCidOrder(cid);
    if (!o || !isOpen(o)) throw new Error(`no working order ${cid}`);
    const q = new Decimal(qty);
    const filled = new Decimal(o.filled_qty);
    if (q.lte(0) || filled.plus(q).gt(o.qty)) throw new Error(`fill of ${qty} exceeds what is left of ${cid}`);
    const f: RefFill = {
      id: `F${++this.fillSeq}`,
      order_id: o.id,
      client_order_id: cid,
      symbol: o.symbol,
      side: o.side,
      qty: q.toString(),
      price: new Decimal(price).toString(),
      fee: '0',
      ts: this.now(),
    };
    this.fills.push(f);
    o.avg_price = filled.mul(o.avg_price).plus(q.mul(price)).div(filled.plus(q)).toString();
    o.filled_qty = filled.plus(q).toString();
    o.status = new Decimal(o.filled_qty).eq(o.qty) ? 'filled' : 'partially_filled';
    o.updated_at = this.now();
    this.publish('fill', f);
    this.publish('order', o);
    return o;
  }

  private publish(type: 'order' | 'fill', data: unknown): void {
    this.server.broadcast(JSON.stringify({ type, seq: this.server.nextSeq(), data }));
  }

  private byCidOrder(cid: string): RefOrder | undefined {
    for (const o of this.orders.values()) if (o.client_order_id === cid) return o;
    return undefined;
  }

  private byCid(cid: string): KitResponse | undefined {
    const o = this.byCidOrder(cid);
    return o ? ok(o) : undefined;
  }

  private create(r: KitRequest): KitResponse {
    const b = (r.json ?? {}) as Record<string, unknown>;
    const cid = typeof b['client_order_id'] === 'string' ? b['client_order_id'] : '';
    const side = b['side'];
    const type = b['type'];
    const tif = b['tif'] ?? 'gtc';
    if (!cid || (side !== 'buy' && side !== 'sell') || (type !== 'limit' && type !== 'market') || (tif !== 'gtc' && tif !== 'day' && tif !== 'ioc'))
      return bad('invalid_order', 'client_order_id, side (buy|sell), type (limit|market) and tif (gtc|day|ioc) are required');
    if (b['symbol'] !== REF_SYMBOL) return bad('unknown_symbol', `unknown symbol ${String(b['symbol'])}`);
    if (!isDecimal(b['qty']) || new Decimal(b['qty'] as string).lte(0)) return bad('invalid_qty', 'qty must be a positive decimal string');
    if (type === 'limit' && !isDecimal(b['limit_price'])) return bad('invalid_price', 'limit orders need limit_price');
    if (this.byCidOrder(cid)) return { status: 409, body: { code: 'duplicate_client_order_id', message: `client_order_id ${cid} was already used` } };
    if (this.rejectNext !== undefined) {
      const message = this.rejectNext;
      this.rejectNext = undefined;
      return { status: 422, body: { code: 'rejected', message } };
    }
    const o: RefOrder = {
      id: `R${++this.seq}`,
      client_order_id: cid,
      symbol: REF_SYMBOL,
      side,
      type,
      qty: new Decimal(b['qty'] as string).toString(),
      ...(type === 'limit' ? { limit_price: new Decimal(b['limit_price'] as string).toString() } : {}),
      tif,
      status: 'new',
      filled_qty: '0',
      avg_price: '0',
      updated_at: this.now(),
    };
    this.orders.set(o.id, o);
    this.publish('order', o);
    if (type === 'market') this.fill(cid, o.qty);
    return { status: 201, body: o };
  }

  private cancel(id: string): KitResponse {
    const o = this.orders.get(id);
    if (!o) return notFound();
    if (!isOpen(o)) return { status: 422, body: { code: 'order_closed', message: `order ${id} is ${o.status}` } };
    o.status = 'canceled';
    o.updated_at = this.now();
    this.publish('order', o);
    return ok(o);
  }

  private amend(r: KitRequest): KitResponse {
    const o = this.orders.get(r.params['id']!);
    if (!o) return notFound();
    if (!isOpen(o)) return { status: 422, body: { code: 'order_closed', message: `order ${o.id} is ${o.status}` } };
    const b = (r.json ?? {}) as Record<string, unknown>;
    if (b['qty'] !== undefined && (!isDecimal(b['qty']) || new Decimal(b['qty'] as string).lte(o.filled_qty))) return bad('invalid_qty', 'qty must be above the filled quantity');
    if (b['limit_price'] !== undefined && !isDecimal(b['limit_price'])) return bad('invalid_price', 'limit_price must be a decimal string');
    if (b['qty'] !== undefined) o.qty = new Decimal(b['qty'] as string).toString();
    if (b['limit_price'] !== undefined) o.limit_price = new Decimal(b['limit_price'] as string).toString();
    o.updated_at = this.now();
    this.publish('order', o);
    return ok(o);
  }

  private external(b: Record<string, unknown>): RefOrder {
    const cid = typeof b['client_order_id'] === 'string' ? b['client_order_id'] : `web-${this.seq + 1}`;
    const o: RefOrder = {
      id: `R${++this.seq}`,
      client_order_id: cid,
      symbol: REF_SYMBOL,
      side: b['side'] === 'sell' ? 'sell' : 'buy',
      type: 'limit',
      qty: String(b['qty'] ?? '1'),
      limit_price: String(b['limit_price'] ?? '90'),
      tif: 'gtc',
      status: 'new',
      filled_qty: '0',
      avg_price: '0',
      updated_at: this.now(),
    };
    this.orders.set(o.id, o);
    this.publish('order', o);
    return o;
  }

  private positions(): Array<{ symbol: string; qty: string; avg_price: string }> {
    let qty = new Decimal(0);
    let cost = new Decimal(0);
    for (const f of this.fills) {
      const q = f.side === 'buy' ? new Decimal(f.qty) : new Decimal(f.qty).neg();
      qty = qty.plus(q);
      cost = cost.plus(q.mul(f.price));
    }
    return qty.isZero() ? [] : [{ symbol: REF_SYMBOL, qty: qty.toString(), avg_price: cost.div(qty).abs().toString() }];
  }
}

const ok = (body: unknown): KitResponse => ({ status: 200, body });
const notFound = (): KitResponse => ({ status: 404, body: { code: 'not_found', message: 'order not found' } });
const bad = (code: string, message: string): KitResponse => ({ status: 400, body: { code, message } });
const isOpen = (o: RefOrder): boolean => o.status === 'new' || o.status === 'partially_filled';
const isDecimal = (v: unknown): boolean => typeof v === 'string' && /^\d+(\.\d+)?$/.test(v);
