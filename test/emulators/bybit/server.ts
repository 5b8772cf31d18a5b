/**
 * Bybit v5 emulator on the kit (https://bybit-exchange.github.io/docs/v5/intro): signed REST
 * (X-BAPI-* headers, recv window), instruments for spot and linear perpetuals, order create /
 * amend / cancel / cancel-all, realtime and history orders, executions, wallet balance, positions,
 * order book and tickers. Every answer is Bybit's envelope `{retCode, retMsg, result, retExtInfo, time}`;
 * business errors are HTTP 200 with a non-zero retCode, as Bybit sends them.
 */
import Decimal from 'decimal.js';
import { EmulatorServer, type KitRequest, type KitResponse } from '../kit';
import { bybitError, checkSignature } from './auth';
import { instrumentsFor, isListed } from './instruments';
import { applyFill, isOpen, type BybitExecution, type BybitOrder } from './orders';
import { BybitStream, WS_PATHS, type BookSide } from './stream';

export interface BybitEmulatorOptions {
  readonly port?: number;
  readonly apiKey?: string;
  readonly secret?: string;
  readonly now?: () => number;
  readonly log?: (line: string) => void;
}

const MARKET_PRICE = '100000';
const BOOK: BookSide = { b: [['99990.00', '1.5']], a: [['100010.00', '2']] };

function ok(result: unknown, now: number): KitResponse {
  return { status: 200, body: { retCode: 0, retMsg: 'OK', result, retExtInfo: {}, time: now } };
}

type Body = Record<string, unknown>;
const str = (b: Body, k: string): string | undefined => (typeof b[k] === 'string' ? (b[k] as string) : b[k] === undefined ? undefined : String(b[k]));

export class BybitEmulator {
  readonly server: EmulatorServer;
  readonly orders = new Map<string, BybitOrder>();
  readonly executions: BybitExecution[] = [];
  readonly stream: BybitStream;
  private seq = 0;
  /** The refusal the next order/create answers with (control `reject-next`). */
  private rejectNext: { retCode: number; retMsg: string } | undefined;
  private execSeq = 0;
  private readonly now: () => number;

  constructor(opts: BybitEmulatorOptions = {}) {
    const key = opts.apiKey ?? 'bybit-key';
    const secret = opts.secret ?? 'bybit-secret';
    this.now = opts.now ?? Date.now;
    this.server = new EmulatorServer({
      name: 'bybit',
      ...(opts.port !== undefined ? { port: opts.port } : {}),
      ...(opts.log ? { log: opts.log } : {}),
      streamPath: WS_PATHS[0],
      streamPaths: WS_PATHS.slice(1),
      auth: (req) => checkSignature(req, key, secret, this.now()),
    });
    this.stream = new BybitStream(this.server, key, secret, () => this.now(), BOOK);
    const s = this.server;
    const r = (method: string, path: string, h: (req: KitRequest) => unknown): void => {
      s.route(method, path, (req) => {
        const out = h(req);
        return out !== null && typeof out === 'object' && 'status' in out ? (out as KitResponse) : ok(out, this.now());
      });
    };
    r('GET', '/v5/market/time', () => ({ timeSecond: String(Math.floor(this.now() / 1000)), timeNano: `${this.now()}000000` }));
    r('GET', '/v5/market/instruments-info', (q) => ({ category: q.query.get('category'), list: instrumentsFor(q.query.get('category') ?? ''), nextPageCursor: '' }));
    r('GET', '/v5/market/orderbook', (q) => ({ s: q.query.get('symbol'), ...BOOK, ts: this.now(), u: ++this.seq, seq: this.seq }));
    r('GET', '/v5/market/tickers', (q) => ({ category: q.query.get('category'), list: this.tickers(q.query.get('category') ?? '', q.query.get('symbol')) }));
    r('GET', '/v5/user/query-api', () => ({ id: '1', apiKey: key, readOnly: 0, unified: 0, uta: 1, permissions: {}, isMaster: true }));
    r('GET', '/v5/account/info', () => ({ marginMode: 'REGULAR_MARGIN', unifiedMarginStatus: 5, updatedTime: String(this.now()) }));
    r('GET', '/v5/asset/coin/query-info', () => ({ rows: [] }));
    r('GET', '/v5/account/wallet-balance', () => ({ list: [this.wallet()] }));
    r('GET', '/v5/position/list', (q) => ({ category: q.query.get('category'), list: this.positions(q.query.get('symbol')), nextPageCursor: '' }));
    r('POST', '/v5/order/create', (q) => this.create(body(q)));
    r('POST', '/v5/order/amend', (q) => this.amend(body(q)));
    r('POST', '/v5/order/cancel', (q) => this.cancel(body(q)));
    r('POST', '/v5/order/cancel-all', (q) => this.cancelAll(body(q)));
    r('GET', '/v5/order/realtime', (q) => this.list(q.query, true));
    r('GET', '/v5/order/history', (q) => this.list(q.query, false));
    r('GET', '/v5/execution/list', (q) => ({ category: q.query.get('category'), list: this.executions.filter((e) => matches(e, q.query)), nextPageCursor: '' }));
    s.command('fill', (b) => this.fill(b));
    s.command('reject-next', (b) => {
      this.rejectNext = { retCode: Number(b['retCode'] ?? 110007), retMsg: String(b['retMsg'] ?? 'Insufficient available balance') };
      return { armed: this.rejectNext };
    });
    s.command('clear', () => {
      this.reset();
      return { cleared: true };
    });
    s.state(() => ({ orders: [...this.orders.values()], executions: this.executions }));
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

  reset(): void {
    this.rejectNext = undefined;
    this.orders.clear();
    this.executions.length = 0;
  }

  private find(b: Body): BybitOrder | undefined {
    const id = str(b, 'orderId');
    const link = str(b, 'orderLinkId');
    return [...this.orders.values()].find((o) => (id !== undefined && o.orderId === id) || (link !== undefined && link !== '' && o.orderLinkId === link));
  }

  private create(b: Body): unknown {
    const refusal = this.rejectNext;
    this.rejectNext = undefined;
    if (refusal) return bybitError(refusal.retCode, refusal.retMsg);
    const category = str(b, 'category') ?? '';
    const symbol = str(b, 'symbol') ?? '';
    if (!['spot', 'linear'].includes(category)) return bybitError(10001, 'params error: category invalid');
    if (!isListed(category, symbol)) return bybitError(10001, 'params error: symbol invalid');
    const side = str(b, 'side');
    const orderType = str(b, 'orderType');
    const qty = str(b, 'qty');
    if (side !== 'Buy' && side !== 'Sell') return bybitError(10001, 'params error: side invalid');
    if (orderType !== 'Limit' && orderType !== 'Market') return bybitError(10001, 'params error: orderType invalid');
    if (qty === undefined || !/^\d+(\.\d+)?$/.test(qty) || new Decimal(qty).lte(0)) return bybitError(10001, 'params error: qty invalid');
    const price = str(b, 'price');
    if (orderType === 'Limit' && (price === undefined || !/^\d+(\.\d+)?$/.test(price))) return bybitError(10001, 'params error: price invalid');
    const link = str(b, 'orderLinkId') ?? '';
    if (link !== '' && this.find({ orderLinkId: link })) return bybitError(110072, 'OrderLinkedID is duplicate');
    if (side === 'Buy' && orderType === 'Limit' && new Decimal(qty).mul(price!).gt('10000000')) return bybitError(110007, 'Insufficient available balance');
    const now = String(this.now());
    const o: BybitOrder = {
      category,
      orderId: `bb-${++this.seq}`,
      orderLinkId: link,
      symbol,
      side,
      orderType,
      price: price ?? '0',
      qty,
      timeInForce: str(b, 'timeInForce') ?? (orderType === 'Market' ? 'IOC' : 'GTC'),
      orderStatus: 'New',
      cumExecQty: '0',
      cumExecValue: '0',
      cumExecFee: '0',
      avgPrice: '',
      leavesQty: qty,
      reduceOnly: b['reduceOnly'] === true,
      positionIdx: 0,
      createdTime: now,
      updatedTime: now,
    };
    this.orders.set(o.orderId, o);
    this.stream.order(o);
    if (orderType === 'Market') this.executed(o, applyFill(o, qty, MARKET_PRICE, `ex-${++this.execSeq}`, this.now()));
    return { orderId: o.orderId, orderLinkId: o.orderLinkId };
  }

  private amend(b: Body): unknown {
    const o = this.find(b);
    if (!o || !isOpen(o)) return bybitError(110001, 'order not exists or too late to replace');
    const qty = str(b, 'qty');
    const price = str(b, 'price');
    if (qty !== undefined) {
      if (new Decimal(qty).lt(o.cumExecQty)) return bybitError(10001, 'params error: qty invalid');
      o.qty = qty;
      o.leavesQty = new Decimal(qty).minus(o.cumExecQty).toString();
    }
    if (price !== undefined) o.price = price;
    o.updatedTime = String(this.now());
    this.stream.order(o);
    return { orderId: o.orderId, orderLinkId: o.orderLinkId };
  }

  private cancel(b: Body): unknown {
    const o = this.find(b);
    if (!o || !isOpen(o)) return bybitError(110001, 'order not exists or too late to cancel');
    o.orderStatus = 'Cancelled';
    o.updatedTime = String(this.now());
    this.stream.order(o);
    return { orderId: o.orderId, orderLinkId: o.orderLinkId };
  }

  private cancelAll(b: Body): unknown {
    const category = str(b, 'category');
    const symbol = str(b, 'symbol');
    const hit = [...this.orders.values()].filter((o) => isOpen(o) && o.category === category && (symbol === undefined || o.symbol === symbol));
    for (const o of hit) {
      o.orderStatus = 'Cancelled';
      o.updatedTime = String(this.now());
      this.stream.order(o);
    }
    return { list: hit.map((o) => ({ orderId: o.orderId, orderLinkId: o.orderLinkId })), success: '1' };
  }

  /** realtime: open orders, or any order when asked by id; history: closed orders. */
  private list(q: URLSearchParams, realtime: boolean): unknown {
    const byId = q.get('orderId') !== null || q.get('orderLinkId') !== null;
    const list = [...this.orders.values()]
      .filter((o) => matches(o, q))
      .filter((o) => (realtime ? byId || isOpen(o) : !isOpen(o)))
      .sort((a, b) => Number(b.createdTime) - Number(a.createdTime));
    return { category: q.get('category'), list, nextPageCursor: '' };
  }

  /** Fills an open order (by orderLinkId or orderId) by `qty` (default: all) at `price` (default: its limit); in-process or via control `fill`. */
  fill(b: Record<string, unknown>): unknown {
    const o = this.find(b);
    if (!o || !isOpen(o)) throw new Error('no open order with that orderId/orderLinkId');
    const e = applyFill(o, String(b['qty'] ?? o.leavesQty), String(b['price'] ?? o.price), `ex-${++this.execSeq}`, this.now());
    this.executed(o, e);
    return e;
  }

  /** Records an execution and streams it with the order's new state. */
  private executed(o: BybitOrder, e: BybitExecution): void {
    this.executions.push(e);
    this.stream.execution(e);
    this.stream.order(o);
  }

  private tickers(category: string, symbol: string | null): object[] {
    return instrumentsFor(category)
      .map((i) => (i as { symbol: string }).symbol)
      .filter((s) => symbol === null || s === symbol)
      .map((s) => ({
        symbol: s,
        lastPrice: MARKET_PRICE,
        bid1Price: BOOK.b[0]![0],
        bid1Size: BOOK.b[0]![1],
        ask1Price: BOOK.a[0]![0],
        ask1Size: BOOK.a[0]![1],
        volume24h: '0',
        turnover24h: '0',
        highPrice24h: MARKET_PRICE,
        lowPrice24h: MARKET_PRICE,
        prevPrice24h: MARKET_PRICE,
        price24hPcnt: '0',
      }));
  }

  private wallet(): object {
    const spent = this.executions.filter((e) => e.category === 'spot').reduce((acc, e) => acc.plus(e.side === 'Buy' ? e.execValue : new Decimal(e.execValue).neg()), new Decimal(0));
    const usdt = new Decimal('1000000').minus(spent).toString();
    return {
      accountType: 'UNIFIED',
      totalEquity: usdt,
      totalWalletBalance: usdt,
      totalAvailableBalance: usdt,
      coin: [{ coin: 'USDT', walletBalance: usdt, equity: usdt, locked: '0', totalPositionIM: '0', totalOrderIM: '0', borrowAmount: '', accruedInterest: '', availableToWithdraw: '' }],
    };
  }

  private positions(symbol: string | null): object[] {
    const net = new Map<string, { size: Decimal; cost: Decimal }>();
    for (const e of this.executions.filter((x) => x.category === 'linear' && (symbol === null || x.symbol === symbol))) {
      const p = net.get(e.symbol) ?? { size: new Decimal(0), cost: new Decimal(0) };
      const q = e.side === 'Buy' ? new Decimal(e.execQty) : new Decimal(e.execQty).neg();
      net.set(e.symbol, { size: p.size.plus(q), cost: p.cost.plus(q.mul(e.execPrice)) });
    }
    return [...net.entries()]
      .filter(([, p]) => !p.size.isZero())
      .map(([s, p]) => {
        const avg = p.cost.div(p.size);
        return {
          positionIdx: 0,
          symbol: s,
          side: p.size.gt(0) ? 'Buy' : 'Sell',
          size: p.size.abs().toString(),
          avgPrice: avg.toString(),
          positionValue: p.cost.abs().toString(),
          tradeMode: 0,
          leverage: '10',
          markPrice: MARKET_PRICE,
          liqPrice: avg.mul(p.size.gt(0) ? '0.9' : '1.1').toString(),
          unrealisedPnl: new Decimal(MARKET_PRICE).minus(avg).mul(p.size).toString(),
          cumRealisedPnl: '0',
          positionIM: '0',
          positionMM: '0',
          createdTime: '0',
          updatedTime: String(this.now()),
          positionStatus: 'Normal',
        };
      });
  }
}

function body(req: KitRequest): Body {
  return req.json !== null && typeof req.json === 'object' ? (req.json as Body) : {};
}

function matches(o: { category: string; symbol: string; orderId: string; orderLinkId: string }, q: URLSearchParams): boolean {
  const eq = (k: 'category' | 'symbol' | 'orderId' | 'orderLinkId'): boolean => q.get(k) === null || q.get(k) === o[k];
  return eq('category') && eq('symbol') && eq('orderId') && eq('orderLinkId');
}
