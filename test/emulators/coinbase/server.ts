/**
 * Coinbase Advanced Trade REST emulator (`/api/v3/brokerage`, coinbase.md) on the emulator kit:
 * ES256 JWT checked on every request, products, accounts (paginated), orders with
 * `order_configuration`, `client_order_id` dedup, batch_cancel, historical orders and fills with
 * cursors, transaction_summary, time. Limit orders rest until filled from the control API.
 */
import Decimal from 'decimal.js';
import { randomUUID, type KeyObject } from 'node:crypto';
import { EmulatorServer, type KitRequest, type KitResponse } from '../kit';
import { jwtProblem } from './jwt-check';
import { CoinbaseStreams } from './streams';
import { L2Books, type L2Side } from './book';
import { previewOrder, editOrder } from './order-extras';
import { RATE_LIMITED, SecondBudget } from './budget';
import { attachedOrder, bracketCross, bracketProblem } from './brackets';
import { Tickers } from './ticker';

const B = '/api/v3/brokerage';
export type BookChange = { side: L2Side; price: string; size: string };
export type CbStatus = 'PENDING' | 'OPEN' | 'FILLED' | 'CANCELLED' | 'EXPIRED' | 'FAILED';

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
  /** An entry's attached bracket order; on that order, its entry. */
  attached_order_id?: string;
  originating_order_id?: string;
  /** A bracket exit's stop: STOP_PENDING, then STOP_TRIGGERED. */
  trigger_status?: string;
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
  /** WebSocket heartbeat period and how long a socket may stay without a subscription (defaults 1 s, 5 s). */
  readonly heartbeatMs?: number;
  readonly idleCloseMs?: number;
  /** Requests per second per key, private (signed) and public (defaults 30 and 10, Coinbase's). */
  readonly privatePerSecond?: number;
  readonly publicPerSecond?: number;
}

export const PRODUCTS = [
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
export const FEES = { maker: '0.004', taker: '0.006' };
const ok = (body: unknown): KitResponse => ({ status: 200, body });
const bad = (status: number, error: string, message: string): KitResponse => ({ status, body: { error, message, error_details: message } });

/** Base size, limit price of a configuration (the first and only key of `order_configuration`). */
export function configOf(oc: Record<string, Record<string, unknown>>): { kind: string; c: Record<string, unknown> } | undefined {
  const kind = Object.keys(oc)[0];
  const c = kind === undefined ? undefined : oc[kind];
  return kind !== undefined && c && typeof c === 'object' ? { kind, c } : undefined;
}

export class CoinbaseEmulator {
  readonly server: EmulatorServer;
  readonly orders = new Map<string, CbOrder>();
  readonly fills: CbFill[] = [];
  readonly books: L2Books;
  readonly tickers: Tickers;
  readonly streams: CoinbaseStreams;
  private seq = 0;
  private readonly now: () => number;
  private rejectNext: { error: string; message: string } | undefined;
  private userRefused = false;

  constructor(opts: CoinbaseEmulatorOptions) {
    this.now = opts.now ?? Date.now;
    const want = { keyName: opts.keyName, publicKey: opts.publicKey, nowS: () => Math.floor(this.now() / 1000) };
    this.books = new L2Books(this.now);
    const privateBudget = new SecondBudget(opts.privatePerSecond ?? 30, this.now);
    const publicBudget = new SecondBudget(opts.publicPerSecond ?? 10, this.now);
    for (const p of PRODUCTS) if (p.product_type === 'SPOT') this.books.seed(p.product_id, p.price, p.price_increment);
    this.tickers = new Tickers(this.books);
    for (const p of PRODUCTS) if (p.product_type === 'SPOT') this.tickers.seed(p.product_id, p.price);
    this.server = new EmulatorServer({
      name: 'coinbase',
      ...(opts.port !== undefined ? { port: opts.port } : {}),
      streamPath: '/',
      streamPaths: ['/user'],
      auth: (r) => {
        // Sockets authenticate in their subscribe messages, not on the upgrade.
        if (r.path === '/user' && this.userRefused) return { status: 503, body: 'Service Unavailable' };
        if (r.path === '/' || r.path === '/user') return undefined;
        if (r.path === `${B}/time` || r.path.startsWith(`${B}/market/`)) return publicBudget.take() ? undefined : RATE_LIMITED;
        const h = r.headers['authorization'];
        const token = typeof h === 'string' && h.startsWith('Bearer ') ? h.slice(7) : '';
        if (jwtProblem(token, want, r.method, r.path) !== undefined) return { status: 401, body: 'Unauthorized' };
        return privateBudget.take() ? undefined : RATE_LIMITED;
      },
    });
    const s = this.server;
    this.streams = new CoinbaseStreams(
      {
        jwtProblem: (token) => jwtProblem(token, want),
        userSnapshot: () => [...this.orders.values()].filter((o) => o.status === 'OPEN' || o.status === 'PENDING').map((o) => this.userOrder(o)),
        bookSnapshot: (id) => this.books.snapshot(id),
        tickerRow: (id) => this.tickers.row(id),
        now: this.now,
        faults: s.faults,
      },
      { heartbeatMs: opts.heartbeatMs ?? 1000, idleCloseMs: opts.idleCloseMs ?? 5000 },
    );
    s.on('streamConnection', (ws) => this.streams.attach(ws));
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
    s.route('POST', `${B}/orders/preview`, (r) => ok(previewOrder((r.json ?? {}) as Record<string, unknown>, this.books, 100000)));
    s.route('POST', `${B}/orders/edit_preview`, (r) => ok(editOrder((r.json ?? {}) as Record<string, unknown>, this.orders, true)));
    s.route('POST', `${B}/orders/edit`, (r) => {
      const out = editOrder((r.json ?? {}) as Record<string, unknown>, this.orders, false);
      const o = this.orders.get(String((r.json as { order_id?: unknown } | undefined)?.order_id));
      if (out.success && o) this.streams.userUpdate(this.userOrder(o));
      return ok(out);
    });
    s.route('GET', `${B}/best_bid_ask`, (r) => ok({ pricebooks: this.pricebooks(r.query.getAll('product_ids'), 1) }));
    s.route('GET', `${B}/product_book`, (r) => this.productBook(r));
    s.route('GET', `${B}/market/product_book`, (r) => this.productBook(r));
    s.route('GET', `${B}/orders/historical/batch`, (r) => this.list(r));
    s.route('GET', `${B}/orders/historical/fills`, (r) => this.listFills(r));
    s.route('GET', `${B}/orders/historical/:id`, (r) => {
      const o = this.orders.get(r.params['id']!);
      return o ? ok({ order: o }) : bad(404, 'NOT_FOUND', 'order not found');
    });
    s.command('fill', (b) => this.fill(String(b['client_order_id']), String(b['qty']), String(b['price'])));
    s.command('trade', (b) => ({ filled: this.trade(String(b['product_id']), String(b['price'])) }));
    s.command('reject-next', (b) => {
      this.rejectNext = { error: String(b['error'] ?? 'INSUFFICIENT_FUND'), message: String(b['message'] ?? 'Insufficient balance in source account') };
      return { armed: this.rejectNext };
    });
    s.command('external-order', (b) => this.external(b));
    // The market-data socket (`/`) alone goes down until `{down: false}`; the user socket stays.
    s.command('market-outage', (b) => ({ dropped: this.server.streamOutage(b['down'] !== false ? (p) => p === '/' : undefined), down: b['down'] !== false }));
    s.command('gap', (b) => {
      this.streams.gapNext(String(b['channel'] ?? 'l2_data'), Number(b['count'] ?? 1) || 1);
      return { armed: true };
    });
    s.command('user-down', (b) => {
      this.userDown(b['down'] !== false);
      return { userDown: this.userRefused };
    });
    s.command('book', (b) => ({ updates: this.setBook(String(b['product_id']), (b['levels'] as BookChange[]) ?? []) }));
    s.state(() => ({ orders: [...this.orders.values()], fills: this.fills }));
  }

  get url(): string {
    return this.server.url;
  }
  start(): Promise<void> {
    return this.server.start();
  }
  stop(): Promise<void> {
    this.streams.close();
    return this.server.stop();
  }

  /** The user socket down (dropped, then its upgrades refused) until `userDown(false)`: order updates meanwhile reach no one. */
  userDown(down: boolean): void {
    this.userRefused = down;
    if (down) this.server.dropSockets();
  }

  /** Changes levels of a product's book and streams them on `l2_data`; returns how many. */
  setBook(productId: string, levels: readonly BookChange[]): number {
    const updates = this.books.set(productId, levels);
    this.streams.bookUpdate(productId, updates);
    return updates.length;
  }

  /** An order as the `user` channel shows it. */
  userOrder(o: CbOrder): { product_id: string } & Record<string, unknown> {
    const cfg = configOf(o.order_configuration);
    const size = cfg?.c['base_size'];
    const leaves = typeof size === 'string' && (o.status === 'OPEN' || o.status === 'PENDING') ? new Decimal(size).minus(o.filled_size).toString() : '0';
    const kind = cfg?.kind ?? '';
    return {
      order_id: o.order_id,
      client_order_id: o.client_order_id,
      cumulative_quantity: o.filled_size,
      leaves_quantity: leaves,
      avg_price: o.average_filled_price,
      total_fees: o.total_fees,
      status: o.status,
      product_id: o.product_id,
      creation_time: o.created_time,
      order_side: o.side,
      order_type: kind.startsWith('market') ? 'Market' : kind.startsWith('stop_limit') ? 'Stop Limit' : 'Limit',
      ...(typeof cfg?.c['limit_price'] === 'string' ? { limit_price: cfg.c['limit_price'] } : {}),
      ...(typeof cfg?.c['stop_price'] === 'string' ? { stop_price: cfg.c['stop_price'] } : {}),
      ...(typeof cfg?.c['stop_trigger_price'] === 'string' ? { stop_price: cfg.c['stop_trigger_price'] } : {}),
      trigger_status: o.trigger_status ?? 'INVALID_ORDER_TYPE',
      cancel_reason: '',
      reject_reason: '',
      product_type: 'SPOT',
    };
  }

  private pricebooks(ids: readonly string[], limit: number): unknown[] {
    return ids
      .filter((id) => this.books.has(id))
      .map((id) => ({ product_id: id, bids: this.books.levels(id, 'bid', limit), asks: this.books.levels(id, 'offer', limit), time: new Date(this.now()).toISOString() }));
  }

  private productBook(r: KitRequest): KitResponse {
    const id = r.query.get('product_id') ?? '';
    const [book] = this.pricebooks([id], Number(r.query.get('limit') ?? '50') || 50);
    return book ? ok({ pricebook: book }) : bad(404, 'NOT_FOUND', `product ${id} not found`);
  }

  /** An order placed elsewhere (the Coinbase website): its own client id. */
  external(b: Record<string, unknown>): CbOrder {
    const o: CbOrder = {
      order_id: `cb-${++this.seq}`,
      client_order_id: `web-${this.seq}`,
      product_id: String(b['product_id'] ?? 'BTC-USD'),
      side: b['side'] === 'BUY' ? 'BUY' : 'SELL',
      order_configuration: { limit_limit_gtc: { base_size: String(b['base_size'] ?? '0.5'), limit_price: String(b['limit_price'] ?? '70000'), post_only: false } },
      status: 'OPEN',
      filled_size: '0',
      average_filled_price: '0',
      total_fees: '0',
      created_time: new Date(this.now()).toISOString(),
    };
    this.orders.set(o.order_id, o);
    this.streams.userUpdate(this.userOrder(o));
    return o;
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
    if (dup) return ok({ success: true, success_response: this.successOf(dup), order_configuration: dup.order_configuration });
    if (this.rejectNext) {
      const r = this.rejectNext;
      this.rejectNext = undefined;
      return fail(r.error, r.message);
    }
    if (!product) return fail('INVALID_PRODUCT_ID', `unknown product ${String(b['product_id'])}`);
    if (side !== 'BUY' && side !== 'SELL') return fail('INVALID_SIDE', 'side must be BUY or SELL');
    if (!cfg) return fail('INVALID_ORDER_CONFIG', 'order_configuration is required');
    const aoc = b['attached_order_configuration'] as Record<string, Record<string, unknown>> | undefined;
    const why = aoc === undefined ? undefined : bracketProblem(side, cfg.c, aoc);
    if (why !== undefined) return fail('INVALID_ORDER_CONFIG', why);
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
    if (aoc) {
      const a = attachedOrder(o, `cb-${++this.seq}`, randomUUID(), aoc);
      o.attached_order_id = a.order_id;
      this.orders.set(a.order_id, a);
    }
    this.streams.userUpdate(this.userOrder(o));
    if (cfg.kind === 'market_market_ioc') {
      const q = cfg.c['base_size'] ?? new Decimal(String(cfg.c['quote_size'] ?? '0')).div(product.price).toDecimalPlaces(8).toString();
      this.fill(cid, String(q), product.price, 'TAKER');
    }
    return ok({ success: true, success_response: this.successOf(o), order_configuration: oc });
  }

  /** The create answer names the entry only: its attached order shows on the entry in the historical orders. */
  private successOf(o: CbOrder): Record<string, unknown> {
    return { order_id: o.order_id, product_id: o.product_id, side: o.side, client_order_id: o.client_order_id };
  }

  /** A last trade at `price` on `productId`: bracket exits it reaches fill or trigger; the order ids filled. */
  trade(productId: string, price: string): string[] {
    const filled: string[] = [];
    for (const o of [...this.orders.values()].filter((x) => x.product_id === productId)) {
      const x = bracketCross(o, price);
      if (x && 'trigger' in x) {
        o.trigger_status = 'STOP_TRIGGERED';
        this.streams.userUpdate(this.userOrder(o));
      }
      const y = bracketCross(o, price);
      if (y && 'fillAt' in y) {
        const size = String(configOf(o.order_configuration)?.c['base_size'] ?? '0');
        this.fill(o.order_id, new Decimal(size).minus(o.filled_size).toString(), y.fillAt, y.liquidity);
        filled.push(o.order_id);
      }
    }
    return filled;
  }

  private batchCancel(r: KitRequest): KitResponse {
    const ids = ((r.json as { order_ids?: unknown } | undefined)?.order_ids ?? []) as unknown[];
    return ok({ results: ids.map((id) => this.cancel(String(id))) });
  }

  /** Cancels one order (as `batch_cancel` does, or the trader on Coinbase's own site): its result row. */
  cancel(id: string): { success: boolean; failure_reason: string; order_id: string } {
    const o = this.orders.get(id);
    if (!o) return { success: false, failure_reason: 'UNKNOWN_CANCEL_ORDER', order_id: id };
    if (o.status !== 'OPEN' && o.status !== 'PENDING') return { success: false, failure_reason: 'INVALID_CANCEL_REQUEST', order_id: o.order_id };
    o.status = 'CANCELLED';
    this.streams.userUpdate(this.userOrder(o));
    // An entry cancelled before it filled takes its waiting bracket with it.
    const exit = o.attached_order_id ? this.orders.get(o.attached_order_id) : undefined;
    if (exit?.status === 'PENDING') {
      exit.status = 'CANCELLED';
      this.streams.userUpdate(this.userOrder(exit));
    }
    return { success: true, failure_reason: 'UNKNOWN_CANCEL_FAILURE_REASON', order_id: o.order_id };
  }

  private list(r: KitRequest): KitResponse {
    const statuses = r.query.getAll('order_status');
    const products = r.query.getAll('product_ids');
    const all = [...this.orders.values()].filter((o) => (statuses.length === 0 || statuses.includes(o.status)) && (products.length === 0 || products.includes(o.product_id))).reverse();
    return ok(page(all, r, 'orders'));
  }

  private listFills(r: KitRequest): KitResponse {
    const ids = r.query.getAll('order_ids');
    const start = Date.parse(r.query.get('start_sequence_timestamp') ?? '') || 0;
    const all = this.fills.filter((f) => (ids.length === 0 || ids.includes(f.order_id)) && Date.parse(f.trade_time) >= start);
    return ok(page(all, r, 'fills'));
  }

  /** Fills `qty` of the order with client id (or order id) `cid` at `price`. */
  fill(cid: string, qty: string, price: string, liquidity: 'MAKER' | 'TAKER' = 'MAKER'): CbOrder {
    const o = [...this.orders.values()].find((x) => x.client_order_id === cid || x.order_id === cid);
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
    this.streams.userUpdate(this.userOrder(o));
    this.tickers.trade(o.product_id, price, q.toString());
    this.streams.ticker(o.product_id, this.tickers.row(o.product_id));
    // The entry filled: its attached bracket starts working.
    const exit = o.status === 'FILLED' && o.attached_order_id ? this.orders.get(o.attached_order_id) : undefined;
    if (exit?.status === 'PENDING') {
      exit.status = 'OPEN';
      this.streams.userUpdate(this.userOrder(exit));
    }
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
