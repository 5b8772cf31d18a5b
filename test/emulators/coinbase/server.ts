/**
 * Coinbase Advanced Trade REST emulator (`/api/v3/brokerage`, coinbase.md) on the emulator kit:
 * ES256 JWT checked on every request, products, accounts (paginated), orders with
 * `order_configuration`, `client_order_id` dedup, batch_cancel, historical orders and fills with
 * cursors, transaction_summary, time. Limit orders rest until filled from the control API.
 */
import Decimal from 'decimal.js';
import type { KeyObject } from 'node:crypto';
import { EmulatorServer, type KitRequest, type KitResponse } from '../kit';
import { jwtProblem } from './jwt-check';

const B = '/api/v3/brokerage';
export type CbStatus = 'OPEN' | 'FILLED' | 'CANCELLED' | 'EXPIRED' | 'FAILED';

export interface CbOrder {
  order_id: string;
  client_order_id: string;
  product_id: string;
  side: 'BUY' | 'SELL';
  order_configuration: Record<string, Record<string, unknown>>;
  status: CbStatus;
  filled_size: string;
  average_filled_price: string;
  total_fees: string;
  created_time: string;
}

export interface CbFill {
  entry_id: string;
  trade_id: string;
  order_id: string;
  product_id: string;
  price: string;
  size: string;
  commission: string;
  side: 'BUY' | 'SELL';
  trade_time: string;
  liquidity_indicator: 'MAKER' | 'TAKER';
}

export interface CoinbaseEmulatorOptions {
  readonly port?: number;
  readonly keyName: string;
  readonly publicKey: KeyObject;
  readonly now?: () => number;
}

const PRODUCTS = [
  {
    product_id: 'BTC-USD',
    base_currency_id: 'BTC',
    quote_currency_id: 'USD',
    base_increment: '0.00000001',
    quote_increment: '0.01',
    price_increment: '0.01',
    base_min_size: '0.00000001',
    base_max_size: '3400',
    quote_min_size: '1',
    quote_max_size: '150000000',
    price: '60000',
    product_type: 'SPOT',
    status: 'online',
    trading_disabled: false,
    cancel_only: false,
  },
  {
    product_id: 'ETH-USD',
    base_currency_id: 'ETH',
    quote_currency_id: 'USD',
    base_increment: '0.00000001',
    quote_increment: '0.01',
    price_increment: '0.01',
    base_min_size: '0.00000001',
    base_max_size: '50000',
    quote_min_size: '1',
    quote_max_size: '100000000',
    price: '3000',
    product_type: 'SPOT',
    status: 'online',
    trading_disabled: false,
    cancel_only: false,
  },
  {
    product_id: 'BIP-20DEC30-CDE',
    base_currency_id: '',
    quote_currency_id: 'USD',
    base_increment: '1',
    quote_increment: '5',
    price_increment: '5',
    base_min_size: '1',
    base_max_size: '10000',
    quote_min_size: '0',
    quote_max_size: '0',
    price: '60000',
    product_type: 'FUTURE',
    status: 'online',
    trading_disabled: false,
    cancel_only: false,
  },
];
const FEES = { maker: '0.004', taker: '0.006' };
const ok = (body: unknown): KitResponse => ({ status: 200, body });
const bad = (status: number, error: string, message: string): KitResponse => ({ status, body: { error, message, error_details: message } });

/** Base size, limit price of a configuration (the first and only key of `order_configuration`). */
function configOf(oc: Record<string, Record<string, unknown>>): { kind: string; c: Record<string, unknown> } | undefined {
  const kind = Object.keys(oc)[0];
  const c = kind === undefined ? undefined : oc[kind];
  return kind !== undefined && c && typeof c === 'object' ? { kind, c } : undefined;
}

export class CoinbaseEmulator {
  readonly server: EmulatorServer;
  readonly orders = new Map<string, CbOrder>();
  readonly fills: CbFill[] = [];
  private seq = 0;
  private readonly now: () => number;

  constructor(opts: CoinbaseEmulatorOptions) {
    this.now = opts.now ?? Date.now;
    const want = { keyName: opts.keyName, publicKey: opts.publicKey, nowS: () => Math.floor(this.now() / 1000) };
    this.server = new EmulatorServer({
      name: 'coinbase',
      ...(opts.port !== undefined ? { port: opts.port } : {}),
      auth: (r) => {
        if (r.path === `${B}/time` || r.path.startsWith(`${B}/market/`)) return undefined;
        const h = r.headers['authorization'];
        const token = typeof h === 'string' && h.startsWith('Bearer ') ? h.slice(7) : '';
        return jwtProblem(token, want, r.method, r.path) === undefined ? undefined : { status: 401, body: 'Unauthorized' };
      },
    });
    const s = this.server;
    s.route('GET', `${B}/time`, () => ok({ iso: new Date(this.now()).toISOString(), epochSeconds: String(Math.floor(this.now() / 1000)), epochMillis: String(this.now()) }));
    s.route('GET', `${B}/products`, (r) => this.products(r));
    s.route('GET', `${B}/market/products`, (r) => this.products(r));
    s.route('GET', `${B}/products/:id`, (r) => {
      const p = PRODUCTS.find((x) => x.product_id === r.params['id']);
      return p ? ok(p) : bad(404, 'NOT_FOUND', 'product not found');
    });
    s.route('GET', `${B}/accounts`, (r) => this.accounts(r));
    s.route('GET', `${B}/transaction_summary`, () => ok({ total_volume: 0, total_fees: 0, fee_tier: { pricing_tier: 'Advanced 1', maker_fee_rate: FEES.maker, taker_fee_rate: FEES.taker } }));
    s.route('POST', `${B}/orders`, (r) => this.create(r));
    s.route('POST', `${B}/orders/batch_cancel`, (r) => this.batchCancel(r));
    s.route('GET', `${B}/orders/historical/batch`, (r) => this.list(r));
    s.route('GET', `${B}/orders/historical/fills`, (r) => this.listFills(r));
    s.route('GET', `${B}/orders/historical/:id`, (r) => {
      const o = this.orders.get(r.params['id']!);
      return o ? ok({ order: o }) : bad(404, 'NOT_FOUND', 'order not found');
    });
    s.command('fill', (b) => this.fill(String(b['client_order_id']), String(b['qty']), String(b['price'])));
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

  /** Spot by default; `product_type=FUTURE` lists the futures (Coinbase lists spot only unless asked). */
  private products(r: KitRequest): KitResponse {
    const type = r.query.get('product_type') ?? 'SPOT';
    const expiry = r.query.get('contract_expiry_type');
    const list = PRODUCTS.filter((p) => p.product_type === type && (expiry === null || expiry === 'EXPIRING'));
    return ok({ products: list, num_products: list.length });
  }

  private accounts(r: KitRequest): KitResponse {
    const all = ['USD', 'BTC', 'ETH'].map((c, i) => ({
      uuid: `acct-${i}`,
      name: `${c} Wallet`,
      currency: c,
      available_balance: { value: c === 'USD' ? '100000' : '2', currency: c },
      hold: { value: '0', currency: c },
      active: true,
      type: c === 'USD' ? 'ACCOUNT_TYPE_FIAT' : 'ACCOUNT_TYPE_CRYPTO',
      ready: true,
    }));
    return ok(page(all, r, 'accounts'));
  }

  private create(r: KitRequest): KitResponse {
    const b = (r.json ?? {}) as Record<string, unknown>;
    const cid = typeof b['client_order_id'] === 'string' ? b['client_order_id'] : '';
    const product = PRODUCTS.find((p) => p.product_id === b['product_id']);
    const side = b['side'];
    const oc = (b['order_configuration'] ?? {}) as Record<string, Record<string, unknown>>;
    const cfg = configOf(oc);
    const fail = (error: string, message: string): KitResponse =>
      ok({ success: false, error_response: { error, message, error_details: message, new_order_failure_reason: error }, order_configuration: oc });
    if (cid === '') return bad(400, 'INVALID_ARGUMENT', 'client_order_id is required');
    const dup = [...this.orders.values()].find((o) => o.client_order_id === cid);
    if (dup) return ok({ success: true, success_response: { order_id: dup.order_id, product_id: dup.product_id, side: dup.side, client_order_id: cid }, order_configuration: dup.order_configuration });
    if (!product) return fail('INVALID_PRODUCT_ID', `unknown product ${String(b['product_id'])}`);
    if (side !== 'BUY' && side !== 'SELL') return fail('INVALID_SIDE', 'side must be BUY or SELL');
    if (!cfg) return fail('INVALID_ORDER_CONFIG', 'order_configuration is required');
    const o: CbOrder = {
      order_id: `cb-${++this.seq}`,
      client_order_id: cid,
      product_id: product.product_id,
      side,
      order_configuration: oc,
      status: 'OPEN',
      filled_size: '0',
      average_filled_price: '0',
      total_fees: '0',
      created_time: new Date(this.now()).toISOString(),
    };
    this.orders.set(o.order_id, o);
    if (cfg.kind === 'market_market_ioc') {
      const q = cfg.c['base_size'] ?? new Decimal(String(cfg.c['quote_size'] ?? '0')).div(product.price).toDecimalPlaces(8).toString();
      this.fill(cid, String(q), product.price, 'TAKER');
    }
    return ok({ success: true, success_response: { order_id: o.order_id, product_id: o.product_id, side, client_order_id: cid }, order_configuration: oc });
  }

  private batchCancel(r: KitRequest): KitResponse {
    const ids = ((r.json as { order_ids?: unknown } | undefined)?.order_ids ?? []) as unknown[];
    const results = ids.map((id) => {
      const o = this.orders.get(String(id));
      if (!o) return { success: false, failure_reason: 'UNKNOWN_CANCEL_ORDER', order_id: String(id) };
      if (o.status !== 'OPEN') return { success: false, failure_reason: 'INVALID_CANCEL_REQUEST', order_id: o.order_id };
      o.status = 'CANCELLED';
      return { success: true, failure_reason: 'UNKNOWN_CANCEL_FAILURE_REASON', order_id: o.order_id };
    });
    return ok({ results });
  }

  private list(r: KitRequest): KitResponse {
    const statuses = r.query.getAll('order_status');
    const products = r.query.getAll('product_ids');
    const all = [...this.orders.values()].filter((o) => (statuses.length === 0 || statuses.includes(o.status)) && (products.length === 0 || products.includes(o.product_id))).reverse();
    return ok(page(all, r, 'orders'));
  }

  private listFills(r: KitRequest): KitResponse {
    const ids = r.query.getAll('order_ids');
    const all = this.fills.filter((f) => ids.length === 0 || ids.includes(f.order_id));
    return ok(page(all, r, 'fills'));
  }

  /** Fills `qty` of the order with client id `cid` at `price`. */
  fill(cid: string, qty: string, price: string, liquidity: 'MAKER' | 'TAKER' = 'MAKER'): CbOrder {
    const o = [...this.orders.values()].find((x) => x.client_order_id === cid);
    if (!o || o.status !== 'OPEN') throw new Error(`no open order ${cid}`);
    const q = new Decimal(qty);
    const filled = new Decimal(o.filled_size);
    const fee = q.mul(price).mul(liquidity === 'MAKER' ? FEES.maker : FEES.taker);
    this.fills.push({
      entry_id: `e${this.fills.length + 1}`,
      trade_id: `t${this.fills.length + 1}`,
      order_id: o.order_id,
      product_id: o.product_id,
      price,
      size: q.toString(),
      commission: fee.toString(),
      side: o.side,
      trade_time: new Date(this.now()).toISOString(),
      liquidity_indicator: liquidity,
    });
    o.average_filled_price = filled.mul(o.average_filled_price).plus(q.mul(price)).div(filled.plus(q)).toString();
    o.filled_size = filled.plus(q).toString();
    o.total_fees = new Decimal(o.total_fees).plus(fee).toString();
    const cfg = configOf(o.order_configuration);
    const size = cfg?.c['base_size'];
    if (cfg?.kind === 'market_market_ioc' || (typeof size === 'string' && new Decimal(o.filled_size).gte(size))) o.status = 'FILLED';
    return o;
  }
}

/** Cursor pagination (`limit`, `cursor` = offset) as `{<key>: [...], has_next, cursor}`. */
function page<T>(all: readonly T[], r: KitRequest, key: string): Record<string, unknown> {
  const limit = Math.max(1, Math.min(250, Number(r.query.get('limit') ?? '49') || 49));
  const from = Number(r.query.get('cursor') ?? '0') || 0;
  const items = all.slice(from, from + limit);
  const next = from + limit < all.length;
  return { [key]: items, has_next: next, cursor: next ? String(from + limit) : '', size: items.length };
}
