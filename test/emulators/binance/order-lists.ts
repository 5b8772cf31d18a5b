/**
 * Binance OCO order lists on the emulator (rest-api.md "New Order list - OCO", "Cancel Order list",
 * "Query Order list"; user-data-stream.md "List Status"):
 * - `POST /api/v3/orderList/oco`: an above and a below leg on one side and quantity. One leg is
 *   LIMIT_MAKER / TAKE_PROFIT(_LIMIT), the other STOP_LOSS(_LIMIT); on a SELL list the limit is
 *   above the last price and the stop below it, on a BUY list the other way round (-1165/-1166,
 *   "The relationship of the prices for the orders is not correct."). Each leg has its own client id
 *   (`aboveClientOrderId` / `belowClientOrderId`), the list its `listClientOrderId`.
 * - The first execution of one leg expires the other; the list is then ALL_DONE.
 * - `DELETE /api/v3/orderList` (or cancelling either leg) cancels both legs.
 * - Every change is pushed as the legs' `executionReport`s and one `listStatus` event.
 */
import Decimal from 'decimal.js';
import { binanceError, ok, type BinanceAnswer } from './errors';
import type { BnOrder } from './server';
import { SYMBOLS, filterFailure } from './symbols';
import type { BinanceUserStreams } from './user-stream';

export interface BnOrderList {
  orderListId: number;
  contingencyType: 'OCO';
  listStatusType: 'EXEC_STARTED' | 'ALL_DONE';
  listOrderStatus: 'EXECUTING' | 'ALL_DONE';
  listClientOrderId: string;
  transactionTime: number;
  symbol: string;
  orders: { symbol: string; orderId: number; clientOrderId: string }[];
}

/** What the lists need from the emulator: its orders, a way to make one, the last price and the user streams. */
export interface ListHost {
  readonly orders: BnOrder[];
  readonly users: BinanceUserStreams;
  now(): number;
  lastPrice(symbol: string): string;
  /** A new working order (not yet announced); null when the client id is taken by an open order. */
  newOrder(fields: Pick<BnOrder, 'symbol' | 'side' | 'type' | 'timeInForce' | 'price' | 'stopPrice' | 'origQty' | 'orderListId'> & { clientOrderId: string }): BnOrder | null;
  /** The order answer Binance gives in `orderReports` (RESULT). */
  report(o: BnOrder): unknown;
}

const ABOVE = new Set(['STOP_LOSS_LIMIT', 'STOP_LOSS', 'LIMIT_MAKER', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT']);
const BELOW = new Set(['STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT']);
const WITH_PRICE = new Set(['STOP_LOSS_LIMIT', 'LIMIT_MAKER', 'TAKE_PROFIT_LIMIT']);
const TIMED = new Set(['STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT']);
const isStop = (t: string): boolean => t.startsWith('STOP_LOSS');
const dec = (d: Decimal.Value): string => new Decimal(d).toFixed(8);
const missing = (name: string): BinanceAnswer => binanceError(400, -1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`);
const working = (o: BnOrder): boolean => o.status === 'NEW' || o.status === 'PARTIALLY_FILLED';

interface Leg {
  type: string;
  price: string | null;
  stopPrice: string | null;
  tif: string | null;
  cid: string | null;
}

export class BinanceOrderLists {
  readonly lists: BnOrderList[] = [];
  private nextListId = 1;

  constructor(private readonly host: ListHost) {}

  private leg(p: URLSearchParams, at: 'above' | 'below'): Leg {
    return { type: p.get(`${at}Type`) ?? '', price: p.get(`${at}Price`), stopPrice: p.get(`${at}StopPrice`), tif: p.get(`${at}TimeInForce`), cid: p.get(`${at}ClientOrderId`) };
  }

  /** The first problem with one leg's parameters, as Binance words it. */
  private legProblem(at: 'above' | 'below', l: Leg): BinanceAnswer | undefined {
    if (!(at === 'above' ? ABOVE : BELOW).has(l.type)) return binanceError(400, -1158, 'Order type not supported in OCO.');
    if (WITH_PRICE.has(l.type) && l.price === null) return missing(`${at}Price`);
    if (l.type !== 'LIMIT_MAKER' && l.stopPrice === null) return missing(`${at}StopPrice`);
    if (TIMED.has(l.type) && l.tif === null) return missing(`${at}TimeInForce`);
    if (l.tif !== null && !['GTC', 'IOC', 'FOK'].includes(l.tif)) return binanceError(400, -1115, 'Invalid timeInForce.');
    return undefined;
  }

  place(p: URLSearchParams): BinanceAnswer {
    const symbol = p.get('symbol');
    const spec = SYMBOLS.find((s) => s.symbol === symbol);
    if (symbol === null) return missing('symbol');
    if (!spec) return binanceError(400, -1121, 'Invalid symbol.');
    const side = p.get('side');
    if (side !== 'BUY' && side !== 'SELL') return missing('side');
    const qty = p.get('quantity');
    if (qty === null) return missing('quantity');
    if (p.get('aboveType') === null) return missing('aboveType');
    if (p.get('belowType') === null) return missing('belowType');
    const above = this.leg(p, 'above');
    const below = this.leg(p, 'below');
    const bad = this.legProblem('above', above) ?? this.legProblem('below', below);
    if (bad) return bad;
    if (isStop(above.type) === isStop(below.type)) return binanceError(400, -1168, 'At least one OCO order must be contingent.');
    // The stop protects the position: below the market on a SELL list, above it on a BUY list.
    if (side === 'SELL' && isStop(above.type)) return binanceError(400, -1166, 'A limit order in a sell OCO must be above.');
    if (side === 'BUY' && isStop(below.type)) return binanceError(400, -1165, 'A limit order in a buy OCO must be below.');
    const last = new Decimal(this.host.lastPrice(spec.symbol));
    const trigger = (l: Leg): Decimal => new Decimal(l.type === 'LIMIT_MAKER' ? l.price! : l.stopPrice!);
    if (!trigger(above).gt(last) || !trigger(below).lt(last)) return binanceError(400, -2010, 'The relationship of the prices for the orders is not correct.');
    for (const l of [above, below]) {
      const fail = filterFailure(spec, qty, l.price, l.price ?? l.stopPrice!) ?? (l.stopPrice !== null ? filterFailure(spec, qty, l.stopPrice, l.stopPrice) : undefined);
      if (fail) return binanceError(400, -1013, fail);
    }
    const listCid = p.get('listClientOrderId') ?? `list${this.nextListId}x${this.host.now()}`;
    if (this.lists.some((x) => x.listClientOrderId === listCid && x.listOrderStatus === 'EXECUTING')) return binanceError(400, -2010, 'Duplicate order sent.');
    const cids = [above.cid, below.cid].filter((c): c is string => c !== null);
    if (new Set(cids).size < cids.length || this.host.orders.some((o) => cids.includes(o.clientOrderId) && working(o))) return binanceError(400, -2010, 'Duplicate order sent.');
    const listId = this.nextListId++;
    const make = (l: Leg, n: number): BnOrder =>
      this.host.newOrder({
        symbol: spec.symbol,
        side,
        type: l.type,
        timeInForce: l.tif ?? 'GTC',
        price: dec(l.price ?? 0),
        stopPrice: dec(l.stopPrice ?? 0),
        origQty: dec(qty),
        orderListId: listId,
        clientOrderId: l.cid ?? `leg${listId}x${n}x${this.host.now()}`,
      })!;
    // Binance lists the below leg first (rest-api.md example).
    const legs = [make(below, 0), make(above, 1)];
    for (const o of legs) o.isWorking = o.type === 'LIMIT_MAKER';
    const list: BnOrderList = {
      orderListId: listId,
      contingencyType: 'OCO',
      listStatusType: 'EXEC_STARTED',
      listOrderStatus: 'EXECUTING',
      listClientOrderId: listCid,
      transactionTime: this.host.now(),
      symbol: spec.symbol,
      orders: legs.map((o) => ({ symbol: o.symbol, orderId: o.orderId, clientOrderId: o.clientOrderId })),
    };
    this.lists.push(list);
    this.pushStatus(list);
    for (const o of legs) this.host.users.execution(o, 'NEW');
    return ok(this.answer(list, legs, p.get('newOrderRespType') ?? 'ACK'));
  }

  private legsOf(list: BnOrderList): BnOrder[] {
    return list.orders.map((x) => this.host.orders.find((o) => o.orderId === x.orderId)!);
  }

  private answer(list: BnOrderList, legs: BnOrder[], kind: string): unknown {
    return kind === 'ACK' ? list : { ...list, orderReports: legs.map((o) => this.host.report(o)) };
  }

  private pushStatus(list: BnOrderList): void {
    this.host.users.push({
      e: 'listStatus',
      E: this.host.now(),
      s: list.symbol,
      g: list.orderListId,
      c: list.contingencyType,
      l: list.listStatusType,
      L: list.listOrderStatus,
      r: 'NONE',
      C: list.listClientOrderId,
      T: list.transactionTime,
      O: list.orders.map((o) => ({ s: o.symbol, i: o.orderId, c: o.clientOrderId })),
    });
  }

  private finish(list: BnOrderList): void {
    list.listStatusType = 'ALL_DONE';
    list.listOrderStatus = 'ALL_DONE';
    list.transactionTime = this.host.now();
    this.pushStatus(list);
  }

  /** After a trade on `o`: its sibling leg expires and the list is done. */
  executed(o: BnOrder): void {
    const list = this.lists.find((x) => x.orderListId === o.orderListId);
    if (!list || list.listOrderStatus === 'ALL_DONE') return;
    for (const other of this.legsOf(list)) {
      if (other === o || !working(other)) continue;
      other.status = 'EXPIRED';
      other.updateTime = this.host.now();
      this.host.users.execution(other, 'EXPIRED');
    }
    this.finish(list);
  }

  private find(p: URLSearchParams): BnOrderList | undefined {
    const id = p.get('orderListId');
    const cid = p.get('listClientOrderId') ?? p.get('origClientOrderId');
    return this.lists.find((x) => (id !== null ? String(x.orderListId) === id : x.listClientOrderId === cid));
  }

  /** GET /api/v3/orderList by `orderListId` or `origClientOrderId` (the list's client id). */
  query(p: URLSearchParams): BinanceAnswer {
    if (p.get('orderListId') === null && p.get('origClientOrderId') === null) return binanceError(400, -1102, "Param 'origClientOrderId' or 'orderListId' must be sent, but both were empty/null!");
    const list = this.find(p);
    return list ? ok(list) : binanceError(400, -2013, 'Order list does not exist.');
  }

  /** GET /api/v3/openOrderList. */
  open(): BinanceAnswer {
    return ok(this.lists.filter((x) => x.listOrderStatus === 'EXECUTING'));
  }

  /** DELETE /api/v3/orderList by `orderListId` or `listClientOrderId`. */
  cancel(p: URLSearchParams): BinanceAnswer {
    if (p.get('symbol') === null) return missing('symbol');
    if (p.get('orderListId') === null && p.get('listClientOrderId') === null) return binanceError(400, -1102, "Param 'listClientOrderId' or 'orderListId' must be sent, but both were empty/null!");
    const list = this.find(p);
    if (!list || list.symbol !== p.get('symbol') || list.listOrderStatus === 'ALL_DONE') return binanceError(400, -2011, 'Unknown order list sent.');
    return ok(this.cancelList(list, p.get('newClientOrderId')));
  }

  /** Cancels both legs (a leg cancelled by itself takes its list down too). */
  cancelList(list: BnOrderList, cancelCid: string | null): unknown {
    const legs = this.legsOf(list);
    const reports = legs.map((o, n) => {
      const was = o.clientOrderId;
      if (working(o)) {
        o.status = 'CANCELED';
        o.updateTime = this.host.now();
        this.host.users.execution(o, 'CANCELED', undefined, `${cancelCid ?? `cancel${list.orderListId}`}x${n}`);
      }
      return { ...(this.host.report(o) as object), origClientOrderId: was };
    });
    this.finish(list);
    return { ...list, orderReports: reports };
  }

  listOf(o: BnOrder): BnOrderList | undefined {
    return o.orderListId >= 0 ? this.lists.find((x) => x.orderListId === o.orderListId && x.listOrderStatus === 'EXECUTING') : undefined;
  }
}
