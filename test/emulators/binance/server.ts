/**
 * Binance spot emulator (REST part) on the emulator kit, after binance-spot-api-docs `rest-api.md`:
 * signed endpoints (see `signing.ts`), exchangeInfo with PRICE_FILTER / LOT_SIZE / NOTIONAL,
 * depth, ticker/bookTicker, account, order LIMIT / MARKET (quantity or quoteOrderQty) /
 * LIMIT_MAKER with GTC/IOC/FOK, order/test with computeCommissionRates, query and cancel by
 * orderId or origClientOrderId, cancel all for a symbol, openOrders, allOrders, myTrades, OCO order
 * lists (`order-lists.ts`), balances moved by trades and locked by open orders (`balances.ts`), and
 * `X-MBX-USED-WEIGHT-1m` on every answer. Market orders fill at the book's touch; limits rest
 * until they cross it or are filled from the control API.
 */
import { randomBytes } from 'node:crypto';
import Decimal from 'decimal.js';
import { EmulatorServer, type KitRequest } from '../kit';
import { binanceError, ok, type BinanceAnswer } from './errors';
import { checkSigned, paramsOf } from './signing';
import { SYMBOLS, filterFailure, symbolInfo, type SymbolSpec } from './symbols';
import { BinanceUserStreams } from './user-stream';
import { WeightGate } from './weight';
import { BinanceMarketStreams, MarketBook } from './market';
import { BinanceOrderLists } from './order-lists';
import { BinanceBalances } from './balances';
import { BinanceTriggers } from './triggers';
import { amendKeepPriority, cancelReplace, type ReplaceHost } from './replace';

export type OrderStatus = 'NEW' | 'PENDING_NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED' | 'EXPIRED_IN_MATCH';

export interface BnOrder {
  symbol: string;
  orderId: number;
  orderListId: number;
  clientOrderId: string;
  price: string;
  origQty: string;
  executedQty: string;
  cummulativeQuoteQty: string;
  status: OrderStatus;
  timeInForce: string;
  type: string;
  side: 'BUY' | 'SELL';
  stopPrice: string;
  icebergQty: string;
  time: number;
  updateTime: number;
  isWorking: boolean;
  workingTime: number;
  origQuoteOrderQty: string;
  selfTradePreventionMode: string;
}

export interface BnTrade {
  symbol: string;
  id: number;
  orderId: number;
  orderListId: number;
  price: string;
  qty: string;
  quoteQty: string;
  commission: string;
  commissionAsset: string;
  time: number;
  isBuyer: boolean;
  isMaker: boolean;
  isBestMatch: boolean;
}

export interface BinanceEmulatorOptions {
  readonly port?: number;
  readonly apiKey?: string;
  readonly apiSecret?: string;
  readonly now?: () => number;
  readonly log?: (line: string) => void;
}

const TYPES = new Set(['LIMIT', 'MARKET', 'LIMIT_MAKER', 'STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT']);
const STOPS = new Set(['STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT']);
const TIMED = new Set(['LIMIT', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT']);
const TIFS = new Set(['GTC', 'IOC', 'FOK']);
const FEE = '0.001';
/** Open: working, or waiting in an order list for its working order to fill (PENDING_NEW). */
const open = (o: BnOrder): boolean => o.status === 'NEW' || o.status === 'PARTIALLY_FILLED' || o.status === 'PENDING_NEW';
const dec = (d: Decimal.Value): string => new Decimal(d).toFixed(8);

export class BinanceEmulator {
  readonly server: EmulatorServer;
  readonly orders: BnOrder[] = [];
  readonly trades: BnTrade[] = [];
  readonly books = new Map<string, MarketBook>();
  readonly market: BinanceMarketStreams;
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly users: BinanceUserStreams;
  readonly lists: BinanceOrderLists;
  readonly balances: BinanceBalances;
  readonly triggers: BinanceTriggers;
  /** The market's last price per symbol: the last trade, or the mid after `set-book` (stops trigger on it). */
  private readonly marks = new Map<string, string>();
  /** Fills the matching engine makes just before the next cancel of an order (control `fill-at-next-cancel`). */
  private readonly fillAtNextCancel = new Map<string, { qty: string; price: string }>();
  /** The next new order is refused with this Binance error (control `reject-next`). */
  private rejectNext: { code: number; msg: string } | undefined;
  private nextOrderId = 1;
  private nextTradeId = 1;
  readonly weight: WeightGate;
  /** How far Binance's clock is ahead of the machine's (control `clock-skew`): signed requests are judged by it. */
  clockSkewMs = 0;
  private readonly now: () => number;

  constructor(opts: BinanceEmulatorOptions = {}) {
    this.apiKey = opts.apiKey ?? 'emulator-key';
    this.apiSecret = opts.apiSecret ?? 'emulator-secret';
    this.now = opts.now ?? Date.now;
    this.weight = new WeightGate(() => this.now());
    for (const s of SYMBOLS) this.books.set(s.symbol, new MarketBook(s, s.bid, s.ask));
    this.server = new EmulatorServer({
      name: 'binance',
      ...(opts.port !== undefined ? { port: opts.port } : {}),
      ...(opts.log ? { log: opts.log } : {}),
      streamPath: '/ws-api/v3',
      streamPaths: ['/ws/*', '/stream'],
    });
    this.balances = new BinanceBalances(this.orders, (symbol) => SYMBOLS.find((x) => x.symbol === symbol)!);
    // Every order change that moves or locks funds is followed by the account's new position.
    this.users = new BinanceUserStreams(
      this.server,
      new Map([[this.apiKey, this.apiSecret]]),
      () => this.now() + this.clockSkewMs,
      (o) => this.balances.position(o.symbol, this.now()),
    );
    this.market = new BinanceMarketStreams(this.server, (name) => this.users.listenKeys.has(name));
    this.lists = new BinanceOrderLists({
      orders: this.orders,
      users: this.users,
      now: () => this.now(),
      lastPrice: (symbol) => this.lastPrice(symbol),
      touch: (symbol, side) => this.touch(symbol, side),
      newOrder: (f) => this.newOrder(f),
      fill: (o, price) => void this.fill(o, o.origQty, price),
      report: (o) => this.ack(o, 'RESULT', []),
    });
    this.triggers = new BinanceTriggers({
      orders: this.orders,
      now: () => this.now(),
      lastPrice: (symbol) => this.lastPrice(symbol),
      touch: (symbol, side) => this.touch(symbol, side),
      fill: (o, qty, price) => void this.fill(o, qty, price),
      triggered: (o) => this.lists.executed(o),
    });
    const s = this.server;
    const pub = (w: number, f: (p: URLSearchParams) => BinanceAnswer) => (r: KitRequest) => this.weighed(w, () => f(paramsOf(r)));
    const priv = (w: number, f: (p: URLSearchParams) => BinanceAnswer) => (r: KitRequest) =>
      this.weighed(w, () => checkSigned(r, new Map([[this.apiKey, this.apiSecret]]), this.now() + this.clockSkewMs) ?? f(paramsOf(r)));
    s.route(
      'GET',
      '/api/v3/ping',
      pub(1, () => ok({})),
    );
    s.route(
      'GET',
      '/api/v3/time',
      pub(1, () => ok({ serverTime: this.now() + this.clockSkewMs })),
    );
    s.route(
      'GET',
      '/api/v3/exchangeInfo',
      pub(20, () => ok({ timezone: 'UTC', serverTime: this.now() + this.clockSkewMs, rateLimits: RATE_LIMITS, exchangeFilters: [], symbols: SYMBOLS.map(symbolInfo) })),
    );
    s.route(
      'GET',
      '/api/v3/depth',
      pub(5, (p) => this.depth(p)),
    );
    s.route(
      'GET',
      '/api/v3/ticker/bookTicker',
      pub(2, (p) => this.withSymbol(p, (spec) => ok(this.bookTicker(spec.symbol)))),
    );
    s.route(
      'GET',
      '/api/v3/ticker/price',
      pub(2, (p) => this.withSymbol(p, (spec) => ok({ symbol: spec.symbol, price: this.mid(spec.symbol) }))),
    );
    s.route(
      'GET',
      '/api/v3/account',
      priv(20, () => ok(this.account())),
    );
    s.route(
      'POST',
      '/api/v3/order',
      priv(1, (p) => this.place(p, false)),
    );
    s.route(
      'POST',
      '/api/v3/order/test',
      priv(1, (p) => this.place(p, true)),
    );
    const changes: ReplaceHost = {
      cancel: (p) => this.cancel(p),
      place: (p, test) => this.place(p, test, test),
      withOrder: (p, f) => this.withOrder(p, f),
      execution: (o, x) => this.users.execution(o, x),
      now: () => this.now(),
      isOpen: open,
    };
    s.route(
      'POST',
      '/api/v3/order/cancelReplace',
      priv(1, (p) => cancelReplace(changes, p)),
    );
    s.route(
      'PUT',
      '/api/v3/order/amend/keepPriority',
      priv(4, (p) => amendKeepPriority(changes, p)),
    );
    s.route(
      'GET',
      '/api/v3/order',
      priv(4, (p) => this.withOrder(p, (o) => ok(o))),
    );
    s.route(
      'DELETE',
      '/api/v3/order',
      priv(1, (p) => this.cancel(p)),
    );
    s.route(
      'DELETE',
      '/api/v3/openOrders',
      priv(1, (p) => this.withSymbol(p, (spec) => this.cancelAll(spec.symbol))),
    );
    s.route(
      'GET',
      '/api/v3/openOrders',
      priv(6, (p) => ok(this.orders.filter((o) => open(o) && (!p.get('symbol') || o.symbol === p.get('symbol'))))),
    );
    s.route(
      'GET',
      '/api/v3/allOrders',
      priv(20, (p) => this.withSymbol(p, (spec) => ok(this.orders.filter((o) => o.symbol === spec.symbol)))),
    );
    s.route(
      'GET',
      '/api/v3/myTrades',
      priv(20, (p) => this.withSymbol(p, (spec) => ok(this.trades.filter((t) => t.symbol === spec.symbol)))),
    );
    s.route(
      'POST',
      '/api/v3/orderList/oco',
      priv(1, (p) => this.lists.place(p)),
    );
    s.route(
      'POST',
      '/api/v3/orderList/oto',
      priv(1, (p) => this.lists.placeOto(p, false)),
    );
    s.route(
      'POST',
      '/api/v3/orderList/otoco',
      priv(1, (p) => this.lists.placeOto(p, true)),
    );
    s.route(
      'GET',
      '/api/v3/orderList',
      priv(4, (p) => this.lists.query(p)),
    );
    s.route(
      'DELETE',
      '/api/v3/orderList',
      priv(1, (p) => this.lists.cancel(p)),
    );
    s.route(
      'GET',
      '/api/v3/openOrderList',
      priv(6, () => this.lists.open()),
    );
    s.command('fill', (b) => this.fillByClientId(String(b['clientOrderId']), String(b['qty']), String(b['price'])));
    // A fill racing a cancel: it reaches the matching engine just before the next cancel of this order.
    s.command('fill-at-next-cancel', (b) => this.fillAtNextCancel.set(String(b['clientOrderId']), { qty: String(b['qty']), price: String(b['price']) }).size);
    // The market-data sockets (raw `/ws/<symbol>@…` streams and combined `/stream`) go down until `{down: false}`; the user stream and WS API stay.
    s.command('market-outage', (b) => ({ dropped: this.server.streamOutage(b['down'] !== false ? (p) => p === '/stream' || /^\/ws\/[a-z0-9]+@/.test(p) : undefined), down: b['down'] !== false }));
    s.command('set-book', (b) => {
      const book = this.bookOf(b);
      this.market.depthUpdate(book, book.moveTo(String(b['bid']), String(b['ask'])), this.now());
      this.moved(book.spec.symbol, this.mid(book.spec.symbol));
      return { bid: book.bid, ask: book.ask, lastUpdateId: book.lastUpdateId };
    });
    // A trade between other traders: printed on `@trade`, it is the market's last price.
    s.command('market-trade', (b) => {
      const book = this.bookOf(b);
      const price = dec(String(b['price']));
      this.market.trade(book, price, dec(String(b['qty'] ?? '0.01')), b['buyerMaker'] === true, this.now());
      this.moved(book.spec.symbol, price);
      return { symbol: book.spec.symbol, last: price };
    });
    // One diff to the book; `lose: true` applies it without sending it (the next diff shows the gap).
    s.command('depth-update', (b) => {
      const book = this.bookOf(b);
      const levels = (k: string) => (Array.isArray(b[k]) ? (b[k] as unknown[]).map((l) => [String((l as unknown[])[0]), String((l as unknown[])[1])] as const) : []);
      const diff = book.apply(levels('bids'), levels('asks'));
      if (b['lose'] !== true) this.market.depthUpdate(book, diff, this.now());
      return { U: diff.U, u: diff.u, lastUpdateId: book.lastUpdateId };
    });
    s.command('weight', (b) => {
      if (b['limit'] !== undefined) this.weight.limit = Number(b['limit']);
      if (b['windowMs'] !== undefined) this.weight.windowMs = Number(b['windowMs']);
      if (b['banMs'] !== undefined) this.weight.banMs = Number(b['banMs']);
      if (b['use'] !== undefined) this.weight.use(Number(b['use']));
      return { used: this.weight.used, limit: this.weight.limit };
    });
    s.command('mute-user-data', (b) => (this.users.muted = b['on'] !== false));
    s.command('ban', (b) => this.weight.ban(Number(b['ms'] ?? 120_000)));
    s.command('clock-skew', (b) => (this.clockSkewMs = Number(b['ms'] ?? 0)));
    s.command('reject-next', (b) => (this.rejectNext = { code: Number(b['code'] ?? -2010), msg: String(b['msg'] ?? 'Account has insufficient balance for requested action.') }));
    s.command('external-order', (b) => this.external(String(b['symbol'] ?? 'BTCUSDT'), b['side'] === 'BUY' ? 'BUY' : 'SELL', String(b['quantity'] ?? '0.01'), String(b['price'])));
    const keyed = (f: () => BinanceAnswer) => (r: KitRequest) =>
      this.weighed(2, () => (r.headers['x-mbx-apikey'] === this.apiKey ? f() : binanceError(401, -2015, 'Invalid API-key, IP, or permissions for action.')));
    s.route(
      'POST',
      '/api/v3/userDataStream',
      keyed(() => ok({ listenKey: this.users.newListenKey() })),
    );
    s.route(
      'PUT',
      '/api/v3/userDataStream',
      keyed(() => ok({})),
    );
    s.route(
      'DELETE',
      '/api/v3/userDataStream',
      keyed(() => ok({})),
    );
    s.state(() => ({ orders: this.orders, orderLists: this.lists.lists, trades: this.trades, weightUsed: this.weight.used, bans: this.weight.bans, userSubscriptions: this.users.subscribers }));
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

  /** Over the weight limit (or banned) the handler does not run. */
  private weighed(w: number, run: () => BinanceAnswer): BinanceAnswer {
    return this.weight.stamp(this.weight.admit(w) ?? run());
  }

  private withSymbol(p: URLSearchParams, f: (spec: SymbolSpec) => BinanceAnswer): BinanceAnswer {
    const sym = p.get('symbol');
    if (sym === null) return binanceError(400, -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
    const spec = SYMBOLS.find((x) => x.symbol === sym);
    return spec ? f(spec) : binanceError(400, -1121, 'Invalid symbol.');
  }

  private withOrder(p: URLSearchParams, f: (o: BnOrder) => BinanceAnswer): BinanceAnswer {
    return this.withSymbol(p, (spec) => {
      const id = p.get('orderId');
      const cid = p.get('origClientOrderId');
      if (id === null && cid === null) return binanceError(400, -1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!");
      const o = this.orders.find((x) => x.symbol === spec.symbol && (id !== null ? String(x.orderId) === id : x.clientOrderId === cid));
      return o ? f(o) : binanceError(400, -2013, 'Order does not exist.');
    });
  }

  private depth(p: URLSearchParams): BinanceAnswer {
    const limit = Number(p.get('limit') ?? '100');
    if (!Number.isInteger(limit) || limit < 1 || limit > 5000) return binanceError(400, -1100, "Illegal characters found in parameter 'limit'; legal range is '1' to '5000'.");
    return this.withSymbol(p, (spec) => ok(this.books.get(spec.symbol)!.depth(limit)));
  }

  private bookOf(b: Record<string, unknown>): MarketBook {
    const book = this.books.get(String(b['symbol']));
    if (!book) throw new Error(`unknown symbol ${String(b['symbol'])}`);
    return book;
  }

  private bookTicker(symbol: string): unknown {
    const d = this.books.get(symbol)!.depth(1);
    return { symbol, bidPrice: d.bids[0]?.[0] ?? dec(0), bidQty: d.bids[0]?.[1] ?? dec(0), askPrice: d.asks[0]?.[0] ?? dec(0), askQty: d.asks[0]?.[1] ?? dec(0) };
  }

  /** The market on `symbol` is at `price` now: stops that reached it trigger. */
  private moved(symbol: string, price: string): void {
    this.marks.set(symbol, price);
    this.triggers.check(symbol);
  }

  lastPrice(symbol: string): string {
    return this.marks.get(symbol) ?? this.mid(symbol);
  }

  private touch(symbol: string, side: 'BUY' | 'SELL'): string {
    const b = this.books.get(symbol)!;
    return side === 'BUY' ? b.ask : b.bid;
  }

  private mid(symbol: string): string {
    const b = this.books.get(symbol)!;
    return dec(new Decimal(b.bid).plus(b.ask).div(2));
  }

  private account(): unknown {
    return {
      makerCommission: 10,
      takerCommission: 10,
      buyerCommission: 0,
      sellerCommission: 0,
      commissionRates: { maker: FEE, taker: FEE, buyer: '0.00000000', seller: '0.00000000' },
      canTrade: true,
      canWithdraw: true,
      canDeposit: true,
      brokered: false,
      requireSelfTradePrevention: false,
      preventSor: false,
      updateTime: this.now(),
      accountType: 'SPOT',
      balances: this.balances.all(),
      permissions: ['SPOT'],
      uid: 1,
    };
  }

  /** `precheck`: only the checks made before a cancelReplace cancels (parameters, filters); the matching engine's own refusals come later. */
  private place(p: URLSearchParams, test: boolean, precheck = false): BinanceAnswer {
    return this.withSymbol(p, (spec) => {
      const side = p.get('side');
      const type = p.get('type');
      if (side !== 'BUY' && side !== 'SELL') return binanceError(400, -1102, "Mandatory parameter 'side' was not sent, was empty/null, or malformed.");
      if (type === null || !TYPES.has(type)) return binanceError(400, -1116, 'Invalid orderType.');
      const tif = p.get('timeInForce');
      if (type === 'LIMIT' && tif === null) return binanceError(400, -1102, "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed.");
      if (tif !== null && !TIFS.has(tif)) return binanceError(400, -1115, 'Invalid timeInForce.');
      if (type === 'MARKET' && tif !== null) return binanceError(400, -1106, "Parameter 'timeInForce' sent when not required.");
      const qty = p.get('quantity');
      const quote = p.get('quoteOrderQty');
      if (type === 'MARKET' ? (qty === null) === (quote === null) : qty === null) return binanceError(400, -1102, "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!");
      const price = p.get('price');
      if (type !== 'MARKET' && type !== 'STOP_LOSS' && type !== 'TAKE_PROFIT' && price === null)
        return binanceError(400, -1102, "Mandatory parameter 'price' was not sent, was empty/null, or malformed.");
      const stopPrice = p.get('stopPrice');
      if (STOPS.has(type) && stopPrice === null) return binanceError(400, -1102, "Mandatory parameter 'stopPrice' was not sent, was empty/null, or malformed.");
      if (TIMED.has(type) && tif === null) return binanceError(400, -1102, "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed.");
      const book = this.books.get(spec.symbol)!;
      const touch = side === 'BUY' ? book.ask : book.bid;
      const refPrice = price ?? touch;
      const fail = filterFailure(spec, qty ?? new Decimal(quote!).div(refPrice).toDecimalPlaces(spec.stepDecimals, Decimal.ROUND_DOWN).toString(), price, refPrice);
      if (fail) return binanceError(400, -1013, fail);
      const cid = p.get('newClientOrderId') ?? `emu${this.nextOrderId}x${this.now()}`;
      if (this.orders.some((o) => o.clientOrderId === cid && open(o))) return binanceError(400, -2010, 'Duplicate order sent.');
      if (precheck) return ok({});
      const crosses = price !== null && (side === 'BUY' ? new Decimal(price).gte(book.ask) : new Decimal(price).lte(book.bid));
      if (type === 'LIMIT_MAKER' && crosses) return binanceError(400, -2010, 'Order would immediately match and take.');
      if (test) return ok(p.get('computeCommissionRates') === 'true' ? COMMISSIONS : {});
      if (this.rejectNext) {
        const r = this.rejectNext;
        this.rejectNext = undefined;
        return binanceError(400, r.code, r.msg);
      }
      const o = this.newOrder({
        symbol: spec.symbol,
        side,
        type,
        timeInForce: tif ?? 'GTC',
        price: dec(price ?? 0),
        stopPrice: dec(stopPrice ?? 0),
        origQty: dec(qty ?? 0),
        orderListId: -1,
        clientOrderId: cid,
      })!;
      o.origQuoteOrderQty = dec(quote ?? 0);
      // A stop is not on the book until its trigger (workingTime -1 in Binance's answers).
      if (STOPS.has(type)) {
        o.isWorking = false;
        o.workingTime = -1;
      }
      const fills: BnTrade[] = [];
      if (type === 'MARKET') {
        const q = qty ?? new Decimal(quote!).div(touch).toDecimalPlaces(spec.stepDecimals, Decimal.ROUND_DOWN).toString();
        o.origQty = dec(q);
      }
      this.users.execution(o, 'NEW');
      if (type === 'MARKET' || (crosses && !STOPS.has(type))) fills.push(this.fill(o, o.origQty, touch));
      else if (tif === 'IOC' || tif === 'FOK') {
        o.status = 'EXPIRED';
        this.users.execution(o, 'EXPIRED');
      }
      return ok(this.ack(o, p.get('newOrderRespType') ?? (type === 'MARKET' || type === 'LIMIT' ? 'FULL' : 'ACK'), fills));
    });
  }

  private ack(o: BnOrder, kind: string, fills: BnTrade[]): unknown {
    const base = { symbol: o.symbol, orderId: o.orderId, orderListId: o.orderListId, clientOrderId: o.clientOrderId, transactTime: o.updateTime };
    if (kind === 'ACK') return base;
    const result = {
      ...base,
      price: o.price,
      origQty: o.origQty,
      executedQty: o.executedQty,
      origQuoteOrderQty: o.origQuoteOrderQty,
      cummulativeQuoteQty: o.cummulativeQuoteQty,
      status: o.status,
      timeInForce: o.timeInForce,
      type: o.type,
      side: o.side,
      workingTime: o.workingTime,
      selfTradePreventionMode: o.selfTradePreventionMode,
      ...(new Decimal(o.stopPrice).gt(0) ? { stopPrice: o.stopPrice } : {}),
    };
    if (kind === 'RESULT') return result;
    return { ...result, fills: fills.map((f) => ({ price: f.price, qty: f.qty, commission: f.commission, commissionAsset: f.commissionAsset, tradeId: f.id })) };
  }

  private fill(o: BnOrder, qty: Decimal.Value, price: Decimal.Value): BnTrade {
    const spec = SYMBOLS.find((x) => x.symbol === o.symbol)!;
    const q = new Decimal(qty);
    const quote = q.mul(price);
    const t: BnTrade = {
      symbol: o.symbol,
      id: this.nextTradeId++,
      orderId: o.orderId,
      orderListId: o.orderListId,
      price: dec(price),
      qty: dec(q),
      quoteQty: dec(quote),
      commission: dec((o.side === 'BUY' ? q : quote).mul(FEE)),
      commissionAsset: o.side === 'BUY' ? spec.base : spec.quote,
      time: this.now(),
      isBuyer: o.side === 'BUY',
      isMaker: false,
      isBestMatch: true,
    };
    this.trades.push(t);
    o.executedQty = dec(new Decimal(o.executedQty).plus(q));
    o.cummulativeQuoteQty = dec(new Decimal(o.cummulativeQuoteQty).plus(quote));
    o.status = new Decimal(o.executedQty).gte(o.origQty) ? 'FILLED' : 'PARTIALLY_FILLED';
    o.updateTime = t.time;
    this.balances.trade(o, t);
    this.users.execution(o, 'TRADE', t);
    this.lists.executed(o);
    this.market.trade(this.books.get(o.symbol)!, t.price, t.qty, o.side === 'SELL', t.time);
    this.moved(o.symbol, t.price);
    return t;
  }

  fillByClientId(cid: string, qty: string, price: string): BnOrder {
    const o = this.orders.find((x) => x.clientOrderId === cid && open(x) && x.status !== 'PENDING_NEW');
    if (!o) throw new Error(`no working order ${cid}`);
    if (new Decimal(o.executedQty).plus(qty).gt(o.origQty)) throw new Error(`fill of ${qty} exceeds what is left of ${cid}`);
    this.fill(o, qty, price);
    return o;
  }

  /** An order placed outside Tradeport (the Binance website): a resting LIMIT GTC with Binance's own client id. */
  external(symbol: string, side: 'BUY' | 'SELL', quantity: string, price: string): BnOrder {
    const o = this.newOrder({
      symbol,
      side,
      type: 'LIMIT',
      timeInForce: 'GTC',
      price: dec(price),
      stopPrice: dec(0),
      origQty: dec(quantity),
      orderListId: -1,
      clientOrderId: `web_${randomBytes(12).toString('hex')}`,
    })!;
    this.users.execution(o, 'NEW');
    return o;
  }

  /** A new working order with the next id (announced by the caller); null when an open order has the client id. */
  newOrder(f: Pick<BnOrder, 'symbol' | 'side' | 'type' | 'timeInForce' | 'price' | 'stopPrice' | 'origQty' | 'orderListId' | 'clientOrderId'>): BnOrder | null {
    if (this.orders.some((o) => o.clientOrderId === f.clientOrderId && open(o))) return null;
    const t = this.now();
    const o: BnOrder = {
      ...f,
      orderId: this.nextOrderId++,
      executedQty: dec(0),
      cummulativeQuoteQty: dec(0),
      status: 'NEW',
      icebergQty: dec(0),
      time: t,
      updateTime: t,
      isWorking: true,
      workingTime: t,
      origQuoteOrderQty: dec(0),
      selfTradePreventionMode: 'EXPIRE_MAKER',
    };
    this.orders.push(o);
    return o;
  }

  /** DELETE /api/v3/order (also the cancel half of cancelReplace), with `cancelRestrictions`. */
  private cancel(p: URLSearchParams): BinanceAnswer {
    const restriction = p.get('cancelRestrictions');
    if (restriction !== null && restriction !== 'ONLY_NEW' && restriction !== 'ONLY_PARTIALLY_FILLED') return binanceError(400, -1145, 'Invalid cancelRestrictions');
    return this.withOrder(p, (o) => {
      // A fill the matching engine handles just before this cancel (control `fill-at-next-cancel`).
      const racing = this.fillAtNextCancel.get(o.clientOrderId);
      if (racing && open(o)) {
        this.fillAtNextCancel.delete(o.clientOrderId);
        this.fill(o, racing.qty, racing.price);
      }
      if (!open(o)) return binanceError(400, -2011, 'Unknown order sent.');
      if (restriction !== null && o.status !== (restriction === 'ONLY_NEW' ? 'NEW' : 'PARTIALLY_FILLED')) return binanceError(400, -2011, 'Order was not canceled due to cancel restrictions.');
      const list = this.lists.listOf(o);
      if (list) {
        // Cancelling one leg of an order list cancels the whole list (rest-api.md "Cancel order").
        const was = o.clientOrderId;
        this.lists.cancelList(list, p.get('newClientOrderId'));
        return ok({ ...(this.ack(o, 'RESULT', []) as object), origClientOrderId: was });
      }
      const cancelCid = p.get('newClientOrderId') ?? `cancel${this.nextOrderId++}`;
      o.status = 'CANCELED';
      o.updateTime = this.now();
      this.users.execution(o, 'CANCELED', undefined, cancelCid);
      return ok({ ...o, clientOrderId: cancelCid, origClientOrderId: o.clientOrderId });
    });
  }

  /**
   * DELETE /api/v3/openOrders: every open order on the symbol, "including orders that are part of
   * an order list" — a list is cancelled whole (its legs, ALL_DONE, a `listStatus` event) and
   * answered in the list's shape with its `orderReports`, as rest-api.md shows.
   */
  private cancelAll(symbol: string): BinanceAnswer {
    const working = this.orders.filter((o) => o.symbol === symbol && open(o));
    if (working.length === 0) return binanceError(400, -2011, 'Unknown order sent.');
    const out: unknown[] = [];
    const done = new Set<number>();
    for (const o of working) {
      const list = this.lists.listOf(o);
      if (list) {
        if (!done.has(list.orderListId)) out.push(this.lists.cancelList(list, null));
        done.add(list.orderListId);
        continue;
      }
      if (!open(o)) continue;
      const cancelCid = `cancel${this.nextOrderId++}`;
      o.status = 'CANCELED';
      o.updateTime = this.now();
      this.users.execution(o, 'CANCELED', undefined, cancelCid);
      out.push({ ...o, clientOrderId: cancelCid, origClientOrderId: o.clientOrderId });
    }
    return ok(out);
  }
}

const COMMISSIONS = {
  standardCommissionForOrder: { maker: FEE, taker: FEE },
  specialCommissionForOrder: { maker: '0.00000000', taker: '0.00000000' },
  taxCommissionForOrder: { maker: '0.00000000', taker: '0.00000000' },
  discount: { enabledForAccount: true, enabledForSymbol: true, discountAsset: 'BNB', discount: '0.75000000' },
};

const RATE_LIMITS = [
  { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
  { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
  { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 200000 },
];
