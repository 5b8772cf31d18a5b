/**
 * The Alpaca emulator on the emulator kit: Trading API v2, the trade_updates stream, market data
 * (latest quotes and snapshots REST, stock and crypto streams) and a fill model, on one port. Point a client's
 * trading, data and both stream URLs at it. Auth: `APCA-API-KEY-ID` / `APCA-API-SECRET-KEY`.
 */
import Decimal from 'decimal.js';
import { EmulatorServer, type KitRequest, type KitResponse } from '../kit';
import { ASSETS, START_QUOTES } from './assets';
import { NyseCalendar } from './nyse-calendar';
import { AlpacaError, OrderBook, type AlpacaOrder, type TradeEvent } from './orders';
import { Quotes } from './quotes';
import { DATA_STREAM_PATHS, DataStreams, TradeStreams, type DayBar } from './streams';
import { RateWindow } from './rate-window';
import { marketDataRoutes } from './market-data';

export interface AlpacaEmulatorOptions {
  readonly port?: number;
  readonly keyId?: string;
  readonly secret?: string;
  /** The venue's clock (default: real time); `set-time` shifts it. */
  readonly now?: () => number;
  /** Quotes move and orders match every `tickMs` (0: only on `tick` / `set-quote`). */
  readonly tickMs?: number;
  /** Requests per minute before 429 (Alpaca: 200). */
  readonly rateLimit?: number;
  readonly log?: (line: string) => void;
}

type Handler = (r: KitRequest) => KitResponse;

export class AlpacaEmulator {
  readonly server: EmulatorServer;
  readonly calendar = new NyseCalendar();
  readonly quotes: Quotes;
  readonly book: OrderBook;
  readonly trades: TradeStreams;
  readonly data: DataStreams;
  readonly keyId: string;
  readonly secret: string;
  private offsetMs = 0;
  private timer?: NodeJS.Timeout;
  private readonly window: RateWindow;
  private readonly baseNow: () => number;
  /** The previous session's bar per symbol (a snapshot's `prevDailyBar`); `set-prev-close` sets one. */
  private readonly prevBars = new Map<string, DayBar>();

  constructor(private readonly opts: AlpacaEmulatorOptions = {}) {
    this.keyId = opts.keyId ?? 'PKEMULATOR';
    this.secret = opts.secret ?? 'emulator-secret';
    this.baseNow = opts.now ?? Date.now;
    const now = (): number => this.now();
    this.quotes = new Quotes(now);
    this.window = new RateWindow(opts.rateLimit ?? 200, Date.now);
    this.trades = new TradeStreams({ keyId: this.keyId, secret: this.secret });
    this.data = new DataStreams({ keyId: this.keyId, secret: this.secret });
    this.book = new OrderBook(now, this.calendar, this.quotes, (e, o, f) => this.publish(e, o, f));
    this.server = new EmulatorServer({
      name: 'alpaca',
      ...(opts.port !== undefined ? { port: opts.port } : {}),
      ...(opts.log ? { log: opts.log } : {}),
      streamPath: '/stream',
      streamPaths: DATA_STREAM_PATHS,
      auth: (r) => this.auth(r),
    });
    this.server.on('streamConnection', (ws, req) => (new URL(req.url ?? '/', 'http://x').pathname === '/stream' ? this.trades.attach(ws) : this.data.attach(ws, req)));
    this.routes();
    this.commands();
  }

  now(): number {
    return this.baseNow() + this.offsetMs;
  }

  get url(): string {
    return this.server.url;
  }

  async start(): Promise<void> {
    await this.server.start();
    if ((this.opts.tickMs ?? 0) > 0) this.timer = setInterval(() => this.tick(), this.opts.tickMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.server.stop();
  }

  /** One step of the market: prices move, orders match, DAY orders expire at the close. */
  tick(): void {
    for (const s of this.quotes.move()) this.data.publishQuote(s, this.quotes.get(s));
    this.book.matchAll();
    this.book.expireDay();
  }

  /** The previous session's bar: set by `set-prev-close`, else 2 % under the symbol's starting mid. */
  previousBar(symbol: string): DayBar {
    const set = this.prevBars.get(symbol);
    if (set) return set;
    const start = START_QUOTES[symbol];
    const c = start ? Number(new Decimal(start.bid).plus(start.ask).div(2).mul('0.98').toDecimalPlaces(2)) : 0;
    return { o: c, h: c, l: c, c, v: start ? Number(start.size) * 1000 : 0 };
  }

  private auth(r: KitRequest): KitResponse | undefined {
    // Streams authenticate in-band; crypto market data needs no key.
    if (r.path === '/stream' || DATA_STREAM_PATHS.includes(r.path) || r.path.startsWith('/v1beta3/crypto/')) return undefined;
    if (r.headers['apca-api-key-id'] === this.keyId && r.headers['apca-api-secret-key'] === this.secret) return undefined;
    return { status: 401, body: { message: 'unauthorized.' } };
  }

  private publish(event: TradeEvent, o: AlpacaOrder, fill?: { price: string; qty: string }): void {
    const ts = new Date(this.now()).toISOString();
    const pos = this.book.positions().get(o.symbol)?.qty ?? new Decimal(0);
    const exec = fill ? this.book.fills.at(-1)!.id.split('::')[1] : undefined;
    this.trades.publish({
      event,
      order: { ...o },
      timestamp: ts,
      ...(fill ? { price: fill.price, qty: fill.qty, position_qty: pos.toString(), execution_id: exec } : {}),
      ...(event === 'canceled' || event === 'expired' ? { timestamp: ts } : {}),
    });
  }

  /** Every route counts against the per-key minute window and carries its X-RateLimit-* headers. */
  private route(method: string, path: string, h: Handler): void {
    this.server.route(method, path, (r) => {
      const w = this.window.take();
      const headers = { 'x-ratelimit-limit': String(w.limit), 'x-ratelimit-remaining': String(w.remaining), 'x-ratelimit-reset': String(w.resetS) };
      if (!w.ok)
        return { status: 429, headers: { ...headers, 'retry-after': String(Math.max(1, w.resetS - Math.floor(Date.now() / 1000))) }, body: { code: 42910000, message: 'rate limit exceeded' } };
      try {
        const out = h(r);
        return { ...out, headers: { ...headers, ...out.headers } };
      } catch (e) {
        if (e instanceof AlpacaError) return { status: e.status, headers, body: { code: e.code, message: e.message } };
        throw e;
      }
    });
  }

  private routes(): void {
    const b = this.book;
    const body = (r: KitRequest): Record<string, unknown> => {
      if (r.json === undefined || typeof r.json !== 'object' || r.json === null) throw new AlpacaError(400, 40010000, 'request body format is invalid');
      return r.json as Record<string, unknown>;
    };
    const order = (id: string): AlpacaOrder => {
      const o = b.find(id);
      if (!o) throw new AlpacaError(404, 40410000, 'order not found');
      return o;
    };
    this.route('GET', '/v2/account', () => ok(this.account()));
    this.route('GET', '/v2/positions', () => ok(this.positions()));
    this.route('GET', '/v2/positions/:symbol', (r) => {
      const p = this.positions().find((x) => x.symbol === r.params['symbol'] || x.symbol.replace('/', '') === r.params['symbol']);
      if (!p) throw new AlpacaError(404, 40410000, 'position does not exist');
      return ok(p);
    });
    this.route('GET', '/v2/assets', (r) =>
      ok(ASSETS.filter((a) => (!r.query.get('asset_class') || a.class === r.query.get('asset_class')) && (!r.query.get('status') || a.status === r.query.get('status')))),
    );
    this.route('GET', '/v2/assets/:symbol', (r) => {
      const a = b.asset(r.params['symbol']!);
      if (!a) throw new AlpacaError(404, 40410000, 'asset not found');
      return ok(a);
    });
    this.route('POST', '/v2/orders', (r) => ok(b.create(body(r))));
    this.route('GET', '/v2/orders', (r) => ok(this.listOrders(r.query)));
    this.route('GET', '/v2/orders:by_client_order_id', (r) => {
      const o = b.byClientId(r.query.get('client_order_id') ?? '');
      if (!o) throw new AlpacaError(404, 40410000, 'order not found');
      return ok(o);
    });
    this.route('GET', '/v2/orders/:id', (r) => ok(order(r.params['id']!)));
    this.route('PATCH', '/v2/orders/:id', (r) => ok(b.replace(order(r.params['id']!), body(r))));
    this.route('DELETE', '/v2/orders/:id', (r) => {
      b.cancel(order(r.params['id']!));
      return { status: 204 };
    });
    this.route('DELETE', '/v2/orders', () => ({ status: 207, body: this.cancelAll() }));
    const activities = (r: KitRequest): KitResponse =>
      ok(
        b.fills
          .filter((f) => (!r.query.get('after') || f.transaction_time > r.query.get('after')!) && (!r.query.get('order_id') || f.order_id === r.query.get('order_id')))
          .sort((x, y) => (r.query.get('direction') === 'asc' ? 1 : -1) * x.transaction_time.localeCompare(y.transaction_time)),
      );
    this.route('GET', '/v2/account/activities/FILL', activities);
    this.route('GET', '/v2/account/activities', activities);
    this.route('GET', '/v2/clock', () => ok(this.calendar.clock(this.now())));
    this.route('GET', '/v2/calendar', (r) => {
      const today = new Date(this.now()).toISOString().slice(0, 10);
      return ok(this.calendar.range((r.query.get('start') ?? today).slice(0, 10), (r.query.get('end') ?? r.query.get('start') ?? today).slice(0, 10)));
    });
    for (const [m, p, h] of marketDataRoutes(this.quotes, () => this.now(), { today: (sym, q) => this.data.todayBar(sym, q), previous: (sym) => this.previousBar(sym) })) this.route(m, p, h);
  }

  /** Orders the 207 names: a 404 inside for one the venue lost between listing and cancelling. */
  forgetOnCancelAll: string | undefined;

  private cancelAll(): Array<{ id: string; status: number; body: unknown }> {
    const out: Array<{ id: string; status: number; body: unknown }> = [];
    for (const o of [...this.book.orders.values()]) {
      if (!this.book.isOpen(o)) continue;
      if (o.client_order_id === this.forgetOnCancelAll) {
        this.forgetOnCancelAll = undefined;
        out.push({ id: o.id, status: 404, body: { code: 40410000, message: 'order not found' } });
        continue;
      }
      this.book.cancel(o);
      out.push({ id: o.id, status: 200, body: o });
    }
    return out;
  }

  private listOrders(q: URLSearchParams): AlpacaOrder[] {
    const status = q.get('status') ?? 'open';
    const nested = q.get('nested') === 'true';
    const syms = q.get('symbols')?.split(',');
    let xs = nested ? [...this.book.orders.values()] : this.book.all();
    xs = xs.filter((o) => (status === 'all' || (status === 'open') === this.book.isOpen(o)) && (!syms || syms.includes(o.symbol)));
    if (q.get('after')) xs = xs.filter((o) => o.submitted_at > q.get('after')!);
    xs.sort((a, c) => (q.get('direction') === 'asc' ? 1 : -1) * a.submitted_at.localeCompare(c.submitted_at));
    return xs.slice(0, Math.min(500, Number(q.get('limit') ?? 50)));
  }

  account(): Record<string, unknown> {
    const b = this.book;
    const long = b.longValue();
    const equity = b.equity();
    const bp = b.buyingPower();
    return {
      id: '904837e3-3b76-47ec-b432-046db621571b',
      account_number: 'PA3EMULATOR',
      status: 'ACTIVE',
      crypto_status: 'ACTIVE',
      currency: 'USD',
      buying_power: bp.toFixed(2),
      regt_buying_power: bp.toFixed(2),
      non_marginable_buying_power: Decimal.max(0, b.cash).toFixed(2),
      options_buying_power: Decimal.max(0, b.cash).toFixed(2),
      cash: b.cash.toFixed(2),
      accrued_fees: '0',
      pending_transfer_in: '0',
      portfolio_value: equity.toFixed(2),
      trading_blocked: false,
      transfers_blocked: false,
      account_blocked: false,
      created_at: '2026-01-05T15:00:00Z',
      trade_suspended_by_user: false,
      multiplier: String(b.multiplier),
      shorting_enabled: b.multiplier > 1,
      equity: equity.toFixed(2),
      last_equity: '100000.00',
      long_market_value: long.toFixed(2),
      short_market_value: '0',
      position_market_value: long.toFixed(2),
      initial_margin: long.div(2).toFixed(2),
      maintenance_margin: long.mul(0.3).toFixed(2),
      last_maintenance_margin: '0',
      sma: '0',
      options_approved_level: 0,
      options_trading_level: 0,
      balance_asof: new Date(this.now()).toISOString().slice(0, 10),
      crypto_tier: 1,
    };
  }

  positions(): Array<Record<string, string>> {
    return [...this.book.positions()].map(([symbol, p]) => {
      const a = this.book.asset(symbol)!;
      const px = this.quotes.mid(symbol);
      const mv = p.qty.mul(px);
      return {
        asset_id: a.id,
        symbol,
        exchange: a.exchange,
        asset_class: a.class,
        avg_entry_price: p.cost.div(p.qty).toString(),
        qty: p.qty.toString(),
        qty_available: p.qty.toString(),
        side: p.qty.isNeg() ? 'short' : 'long',
        market_value: mv.toFixed(2),
        cost_basis: p.cost.toFixed(2),
        unrealized_pl: mv.minus(p.cost).toFixed(2),
        unrealized_plpc: p.cost.isZero() ? '0' : mv.minus(p.cost).div(p.cost).toFixed(4),
        unrealized_intraday_pl: '0',
        unrealized_intraday_plpc: '0',
        current_price: px.toString(),
        lastday_price: px.toString(),
        change_today: '0',
      };
    });
  }

  private commands(): void {
    const s = this.server;
    const b = this.book;
    const ref = (x: Record<string, unknown>): AlpacaOrder => {
      const o = typeof x['order_id'] === 'string' ? b.find(x['order_id']) : b.byClientId(String(x['client_order_id']));
      if (!o) throw new Error(`no order ${String(x['order_id'] ?? x['client_order_id'])}`);
      return o;
    };
    s.command('fill', (x) => {
      const o = ref(x);
      if (!b.isOpen(o)) throw new Error(`order ${o.client_order_id} is ${o.status}`);
      b.fill(o, new Decimal(String(x['qty'] ?? new Decimal(o.qty!).minus(o.filled_qty))), new Decimal(String(x['price'] ?? o.limit_price ?? this.quotes.mid(o.symbol))));
      return o;
    });
    s.command('set-quote', (x) => {
      const sym = String(x['symbol']);
      const q = this.quotes.set(sym, String(x['bid']), String(x['ask']), x['size'] !== undefined ? String(x['size']) : undefined);
      this.data.publishQuote(sym, q);
      b.matchAll();
      return q;
    });
    s.command('set-prev-close', (x) => {
      const c = Number(new Decimal(String(x['close'])));
      const bar = { o: c, h: Number(x['high'] ?? c), l: Number(x['low'] ?? c), c, v: Number(x['volume'] ?? 1_000_000) };
      this.prevBars.set(String(x['symbol']), bar);
      return bar;
    });
    // The market-data streams alone go down (the trade stream stays up) until `{down: false}`.
    s.command('market-outage', (x) => {
      const down = x['down'] !== false;
      return { dropped: this.server.streamOutage(down ? (p) => DATA_STREAM_PATHS.includes(p) : undefined), down };
    });
    s.command('tick', () => {
      this.tick();
      return { now: new Date(this.now()).toISOString() };
    });
    s.command('set-time', (x) => {
      const t = Date.parse(String(x['time']));
      if (!Number.isFinite(t)) throw new Error('time must be an ISO 8601 instant');
      this.offsetMs = t - this.baseNow();
      b.expireDay();
      b.matchAll();
      return this.calendar.clock(this.now());
    });
    s.command('holiday', (x) => {
      this.calendar.addHoliday(String(x['date']));
      return { holiday: x['date'] };
    });
    s.command('reject-next', (x) => {
      b.rejectNext = { status: Number(x['status'] ?? 403), code: Number(x['code'] ?? 40310000), message: String(x['message'] ?? 'rejected by emulator control') };
      return { armed: b.rejectNext };
    });
    s.command('set-account', (x) => {
      if (x['multiplier'] !== undefined) b.multiplier = Number(x['multiplier']);
      if (x['cash'] !== undefined) b.cash = new Decimal(String(x['cash']));
      if (x['buying_power'] !== undefined) b.buyingPowerOverride = x['buying_power'] === null ? undefined : new Decimal(String(x['buying_power']));
      return this.account();
    });
    s.command('external-order', (x) =>
      b.create({
        symbol: x['symbol'] ?? 'AAPL',
        side: x['side'] ?? 'sell',
        type: 'limit',
        time_in_force: 'gtc',
        qty: String(x['qty'] ?? '1'),
        limit_price: String(x['limit_price'] ?? '250'),
        client_order_id: x['client_order_id'],
      }),
    );
    // Alpaca can reject after it acknowledged (paper: `pending_new`, then `rejected` on the stream).
    s.command('reject-working', (x) => {
      const o = ref(x);
      if (!b.isOpen(o)) throw new Error(`order ${o.client_order_id} is ${o.status}`);
      b.finish(o, 'rejected');
      return o;
    });
    s.command('pending-cancel', (x) => {
      const o = ref(x);
      o.status = 'pending_cancel';
      this.publish('pending_cancel', o);
      return o;
    });
    s.command('lose-on-cancel-all', (x) => {
      this.forgetOnCancelAll = String(x['client_order_id']);
      return { armed: this.forgetOnCancelAll };
    });
    s.state(() => ({
      now: new Date(this.now()).toISOString(),
      clock: this.calendar.clock(this.now()),
      account: this.account(),
      orders: b.all(),
      fills: b.fills,
      tradeListeners: this.trades.listeners,
    }));
  }
}

const ok = (body: unknown): KitResponse => ({ status: 200, body });
