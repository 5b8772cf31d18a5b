/**
 * Binance OCO order lists on the emulator (rest-api.md "New Order list - OCO", "Cancel Order list",
 * "Query Order list"; user-data-stream.md "List Status"):
 * - `POST /api/v3/orderList/oco`: an above and a below leg on one side and quantity. One leg is
 *   LIMIT_MAKER / TAKE_PROFIT(_LIMIT), the other STOP_LOSS(_LIMIT); on a SELL list the limit is
 *   above the last price and the stop below it, on a BUY list the other way round (-1165/-1166,
 *   "The relationship of the prices for the orders is not correct."). Each leg has its own client id
 *   (`aboveClientOrderId` / `belowClientOrderId`), the list its `listClientOrderId`.
 * - The first execution (or stop trigger) of one leg expires the other; the list is then ALL_DONE.
 * - `POST /api/v3/orderList/oto` and `/otoco`: a working LIMIT / LIMIT_MAKER order (`working*`)
 *   and one pending order (`pending*`, any type) or an OCO pair (`pendingAbove*` / `pendingBelow*`,
 *   the OCO rules above, above's trigger above below's). The pending orders wait as PENDING_NEW
 *   (contingency type OTO) and go on the book when the working order is FILLED; an IOC/FOK
 *   working order that does not fill expires the list.
 * - `DELETE /api/v3/orderList` (or cancelling any leg) cancels every open leg.
 * - Every change is pushed as the legs' `executionReport`s and one `listStatus` event.
 */
import Decimal from 'decimal.js';
import { binanceError, ok, type BinanceAnswer } from './errors';
import type { BnOrder } from './server';
import { SYMBOLS, type SymbolSpec } from './symbols';
import type { BinanceUserStreams } from './user-stream';
import { ABOVE, BELOW, PENDING, WORKING, legProblem, legsFilterProblem, missing, pairProblem, readLeg, triggerOf, type Leg } from './list-legs';

export interface BnOrderList {
  orderListId: number;
  contingencyType: 'OCO' | 'OTO';
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
  /** The touch a new order on `side` would meet (the best ask for a BUY, the best bid for a SELL). */
  touch(symbol: string, side: 'BUY' | 'SELL'): string;
  /** A new working order (not yet announced); null when the client id is taken by an open order. */
  newOrder(fields: Pick<BnOrder, 'symbol' | 'side' | 'type' | 'timeInForce' | 'price' | 'stopPrice' | 'origQty' | 'orderListId'> & { clientOrderId: string }): BnOrder | null;
  /** Fills `o` in full at `price` now (a marketable working order). */
  fill(o: BnOrder, price: string): void;
  /** The order answer Binance gives in `orderReports` (RESULT). */
  report(o: BnOrder): unknown;
}

const dec = (d: Decimal.Value): string => new Decimal(d).toFixed(8);
const working = (o: BnOrder): boolean => o.status === 'NEW' || o.status === 'PARTIALLY_FILLED';
/** Working, or waiting in an OTO for its working order to fill. */
const live = (o: BnOrder): boolean => working(o) || o.status === 'PENDING_NEW';
const side = (p: URLSearchParams, name: string): 'BUY' | 'SELL' | null => {
  const v = p.get(name);
  return v === 'BUY' || v === 'SELL' ? v : null;
};
const badOcoType = binanceError(400, -1158, 'Order type not supported in OCO.');
const badType = binanceError(400, -1116, 'Invalid orderType.');
const badPrices = binanceError(400, -2010, 'The relationship of the prices for the orders is not correct.');

export class BinanceOrderLists {
  readonly lists: BnOrderList[] = [];
  private nextListId = 1;
  /** An OTO(CO)'s working order, by list id: its pending orders wait for it to fill. */
  private readonly workingOf = new Map<number, number>();

  constructor(private readonly host: ListHost) {}

  private symbolOf(p: URLSearchParams): SymbolSpec | BinanceAnswer {
    const symbol = p.get('symbol');
    if (symbol === null) return missing('symbol');
    return SYMBOLS.find((s) => s.symbol === symbol) ?? binanceError(400, -1121, 'Invalid symbol.');
  }

  /** A new list's client ids, free among open lists and open orders (and distinct from each other). */
  private duplicate(listCid: string, legs: readonly Leg[]): BinanceAnswer | undefined {
    if (this.lists.some((x) => x.listClientOrderId === listCid && x.listOrderStatus === 'EXECUTING')) return binanceError(400, -2010, 'Duplicate order sent.');
    const cids = legs.map((l) => l.cid).filter((c): c is string => c !== null);
    if (new Set(cids).size < cids.length || this.host.orders.some((o) => cids.includes(o.clientOrderId) && live(o))) return binanceError(400, -2010, 'Duplicate order sent.');
    return undefined;
  }

  private newList(spec: SymbolSpec, kind: BnOrderList['contingencyType'], listCid: string, legs: BnOrder[]): BnOrderList {
    const list: BnOrderList = {
      orderListId: legs[0]!.orderListId,
      contingencyType: kind,
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
    return list;
  }

  private make(spec: SymbolSpec, listId: number, side: 'BUY' | 'SELL', qty: string, l: Leg, n: number): BnOrder {
    return this.host.newOrder({
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
  }

  place(p: URLSearchParams): BinanceAnswer {
    const spec = this.symbolOf(p);
    if ('status' in spec) return spec;
    const sd = side(p, 'side');
    if (sd === null) return missing('side');
    const qty = p.get('quantity');
    if (qty === null) return missing('quantity');
    if (p.get('aboveType') === null) return missing('aboveType');
    if (p.get('belowType') === null) return missing('belowType');
    const above = readLeg(p, 'above');
    const below = readLeg(p, 'below');
    const bad = legProblem(above, ABOVE, badOcoType) ?? legProblem(below, BELOW, badOcoType) ?? pairProblem(sd, above, below);
    if (bad) return bad;
    // Against the last price: the stop protects the position, the limit takes the profit.
    const last = new Decimal(this.host.lastPrice(spec.symbol));
    if (!triggerOf(above).gt(last) || !triggerOf(below).lt(last)) return badPrices;
    const fail = legsFilterProblem(spec, qty, [above, below], last.toString());
    if (fail) return fail;
    const listCid = p.get('listClientOrderId') ?? `list${this.nextListId}x${this.host.now()}`;
    const dup = this.duplicate(listCid, [above, below]);
    if (dup) return dup;
    const listId = this.nextListId++;
    // Binance lists the below leg first (rest-api.md example).
    const legs = [this.make(spec, listId, sd, qty, below, 0), this.make(spec, listId, sd, qty, above, 1)];
    for (const o of legs) o.isWorking = o.type === 'LIMIT_MAKER';
    const list = this.newList(spec, 'OCO', listCid, legs);
    return ok(this.answer(list, legs, p.get('newOrderRespType') ?? 'ACK'));
  }

  /** The problem with an OTO's (`pair` false) or OTOCO's (`pair` true) parameters, or its legs. */
  private otoLegs(p: URLSearchParams, pair: boolean): BinanceAnswer | { work: Leg; pending: Leg[]; ws: 'BUY' | 'SELL'; ps: 'BUY' | 'SELL'; wq: string; pq: string } {
    const ws = side(p, 'workingSide');
    const ps = side(p, 'pendingSide');
    const wq = p.get('workingQuantity');
    const pq = p.get('pendingQuantity');
    if (ws === null) return missing('workingSide');
    if (p.get('workingPrice') === null) return missing('workingPrice');
    if (wq === null) return missing('workingQuantity');
    if (ps === null) return missing('pendingSide');
    if (pq === null) return missing('pendingQuantity');
    const work = readLeg(p, 'working');
    const pending = pair ? [readLeg(p, 'pendingAbove'), readLeg(p, 'pendingBelow')] : [readLeg(p, 'pending')];
    const bad =
      legProblem(work, WORKING, badType) ??
      (pair ? (legProblem(pending[0]!, ABOVE, badOcoType) ?? legProblem(pending[1]!, BELOW, badOcoType) ?? pairProblem(ps, pending[0]!, pending[1]!)) : legProblem(pending[0]!, PENDING, badType));
    if (bad) return bad;
    // The pending pair is placed only once the working order has filled: above must be above below.
    if (pair && !triggerOf(pending[0]!).gt(triggerOf(pending[1]!))) return badPrices;
    return { work, pending, ws, ps, wq, pq };
  }

  /** POST /api/v3/orderList/oto (`pair` false) and /api/v3/orderList/otoco (`pair` true). */
  placeOto(p: URLSearchParams, pair: boolean): BinanceAnswer {
    const spec = this.symbolOf(p);
    if ('status' in spec) return spec;
    const legs = this.otoLegs(p, pair);
    if ('status' in legs) return legs;
    const { work, pending, ws, ps, wq, pq } = legs;
    const last = this.host.lastPrice(spec.symbol);
    const fail = legsFilterProblem(spec, wq, [work], last) ?? legsFilterProblem(spec, pq, pending, last);
    if (fail) return fail;
    const touch = this.host.touch(spec.symbol, ws);
    const crosses = ws === 'BUY' ? new Decimal(work.price!).gte(touch) : new Decimal(work.price!).lte(touch);
    if (work.type === 'LIMIT_MAKER' && crosses) return binanceError(400, -2010, 'Order would immediately match and take.');
    const listCid = p.get('listClientOrderId') ?? `list${this.nextListId}x${this.host.now()}`;
    const dup = this.duplicate(listCid, [work, ...pending]);
    if (dup) return dup;
    const listId = this.nextListId++;
    const first = this.make(spec, listId, ws, wq, work, 0);
    const rest = pending.map((l, n) => this.make(spec, listId, ps, pq, l, n + 1));
    for (const o of rest) {
      o.status = 'PENDING_NEW';
      o.isWorking = false;
      o.workingTime = -1;
    }
    this.workingOf.set(listId, first.orderId);
    const list = this.newList(spec, 'OTO', listCid, [first, ...rest]);
    if (crosses) this.host.fill(first, touch);
    else if (first.timeInForce !== 'GTC') this.expireAll(list);
    return ok(this.answer(list, [first, ...rest], p.get('newOrderRespType') ?? 'ACK'));
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

  /**
   * After a trade on `o`, or its stop triggering: an OTO's working order, once FILLED, places its
   * pending orders; any other leg's first execution expires the legs still open beside it and the
   * list is done.
   */
  executed(o: BnOrder): void {
    const list = this.listOf(o);
    if (!list) return;
    if (this.workingOf.get(list.orderListId) === o.orderId) {
      if (o.status === 'FILLED') this.activate(list);
      return;
    }
    for (const other of this.legsOf(list)) {
      if (other === o || !live(other)) continue;
      other.status = 'EXPIRED';
      other.updateTime = this.host.now();
      this.host.users.execution(other, 'EXPIRED');
    }
    this.finish(list);
  }

  /** The working order filled: its pending orders go on the book (stops wait for their trigger). */
  private activate(list: BnOrderList): void {
    const now = this.host.now();
    for (const o of this.legsOf(list)) {
      if (o.status !== 'PENDING_NEW') continue;
      o.status = 'NEW';
      o.updateTime = now;
      o.isWorking = o.type === 'LIMIT' || o.type === 'LIMIT_MAKER';
      o.workingTime = o.isWorking ? now : -1;
      this.host.users.execution(o, 'NEW');
    }
    list.transactionTime = now;
    this.pushStatus(list);
  }

  /** An OTO whose working order expired unfilled (IOC/FOK): every leg expires with it. */
  private expireAll(list: BnOrderList): void {
    for (const o of this.legsOf(list)) {
      if (!live(o)) continue;
      o.status = 'EXPIRED';
      o.updateTime = this.host.now();
      this.host.users.execution(o, 'EXPIRED');
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

  /** Cancels every open leg (a leg cancelled by itself takes its list down too). */
  cancelList(list: BnOrderList, cancelCid: string | null): unknown {
    const legs = this.legsOf(list);
    const reports = legs.map((o, n) => {
      const was = o.clientOrderId;
      if (live(o)) {
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
