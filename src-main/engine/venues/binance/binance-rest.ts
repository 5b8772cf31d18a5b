/**
 * Binance spot REST (rest-api.md), each call through HttpClient (limiter corrected from
 * X-MBX-USED-WEIGHT-1m, breaker; order calls never retried). SIGNED calls carry every parameter
 * in the query string, signed with the server-time offset measured from GET /api/v3/time; a
 * -1021 (timestamp outside recvWindow) means Binance refused the request unread, so the offset
 * is measured again and the request is signed and sent once more — the only resend, and a safe
 * one: Binance never ran the first.
 */
import type { HttpClient, HttpMethod } from '../../net/http-client';
import { HttpError } from '../../net/http-client';
import { signedQuery, type BinanceKeys } from './binance-auth';
import { exchangeInfo, type WireSymbol } from './binance-instruments';
import { wireOrder, wireTrade, type WireOrder, type WireTrade } from './binance-mapping';
import { wireOrderList, type WireOrderList } from './binance-oco';
import type { ListKind } from './binance-otoco';
import { z } from 'zod';

export const wireAccount = z
  .object({
    canTrade: z.boolean().optional(),
    commissionRates: z.object({ maker: z.string(), taker: z.string() }).partial().optional(),
    balances: z.array(z.object({ asset: z.string(), free: z.string(), locked: z.string() })),
  })
  .passthrough();
export type WireAccount = z.infer<typeof wireAccount>;

/** POST /api/v3/order/test with computeCommissionRates=true. */
export const wireCommissions = z
  .object({
    standardCommissionForOrder: z.object({ maker: z.string(), taker: z.string() }),
    taxCommissionForOrder: z.object({ maker: z.string(), taker: z.string() }).optional(),
    specialCommissionForOrder: z.object({ maker: z.string(), taker: z.string() }).optional(),
    discount: z.object({ enabledForAccount: z.boolean(), enabledForSymbol: z.boolean(), discountAsset: z.string(), discount: z.string() }).partial().optional(),
  })
  .passthrough();
export type WireCommissions = z.infer<typeof wireCommissions>;

const bookTicker = z.object({ symbol: z.string(), bidPrice: z.string(), bidQty: z.string(), askPrice: z.string(), askQty: z.string() }).passthrough();
export type WireBookTicker = z.infer<typeof bookTicker>;
const depth = z.object({ lastUpdateId: z.number(), bids: z.array(z.tuple([z.string(), z.string()])), asks: z.array(z.tuple([z.string(), z.string()])) }).passthrough();
export type WireDepth = z.infer<typeof depth>;

const cancelReplaced = z.object({ cancelResult: z.string(), newOrderResult: z.string(), cancelResponse: wireOrder, newOrderResponse: wireOrder }).passthrough();
export type CancelReplaced = z.infer<typeof cancelReplaced>;

/** PUT /api/v3/order/amend/keepPriority: the order as amended (its quantity under `qty`). */
const amended = z
  .object({ amendedOrder: z.object({ qty: z.string() }).passthrough() })
  .passthrough()
  .transform((a) => wireOrder.parse({ ...a.amendedOrder, origQty: a.amendedOrder.qty }));

/** DELETE /api/v3/openOrders answers single orders and, for an order list, the list with its `orderReports`. */
const cancelledAll = z
  .array(z.union([wireOrderList, wireOrder]))
  .transform((xs): WireOrder[] => xs.flatMap((x): WireOrder[] => ('contingencyType' in x ? ((x as WireOrderList).orderReports ?? []) : [x as WireOrder])));

const isClockSkew = (e: unknown): boolean => e instanceof HttpError && e.details?.['venueCode'] === '-1021';

export class BinanceRest {
  private offsetMs = 0;

  constructor(
    private readonly http: HttpClient,
    /** Public market data (same weight budget, no order breaker). */
    private readonly market: HttpClient,
    private readonly keys: () => BinanceKeys,
    private readonly now: () => number,
  ) {}

  /** Binance's clock minus ours, as last measured. */
  get clockOffsetMs(): number {
    return this.offsetMs;
  }

  /** Measures the offset from GET /api/v3/time, taking the request's midpoint as "now". */
  async syncClock(): Promise<number> {
    const sent = this.now();
    const r = await this.market.request({ method: 'GET', path: '/api/v3/time', group: 'time' });
    const got = this.now();
    const server = z.object({ serverTime: z.number() }).parse(r.json).serverTime;
    this.offsetMs = Math.round(server - (sent + got) / 2);
    return this.offsetMs;
  }

  /** Binance's time now, by our clock and the measured offset. */
  serverNow(): number {
    return this.now() + this.offsetMs;
  }

  private async pub<T>(path: string, group: string, schema: z.ZodType<T>, params: Record<string, string> = {}, costs?: Record<string, number>): Promise<T> {
    const query = new URLSearchParams(params).toString();
    const r = await this.market.request({ method: 'GET', path, group, ...(query ? { query } : {}), ...(costs ? { costs } : {}) });
    return schema.parse(r.json);
  }

  private async signed<T>(method: HttpMethod, path: string, group: string, schema: z.ZodType<T>, params: Record<string, string> = {}, resyncs = 1): Promise<T> {
    const k = this.keys();
    try {
      const r = await this.http.request({ method, path, group, query: signedQuery(k, params, this.serverNow()), headers: { 'X-MBX-APIKEY': k.apiKey } });
      return schema.parse(r.json);
    } catch (e) {
      if (resyncs <= 0 || !isClockSkew(e)) throw e;
      await this.syncClock();
      return this.signed(method, path, group, schema, params, resyncs - 1);
    }
  }

  symbols = async (): Promise<WireSymbol[]> => (await this.pub('/api/v3/exchangeInfo', 'exchangeInfo', exchangeInfo)).symbols;
  bookTicker = (symbol: string): Promise<WireBookTicker> => this.pub('/api/v3/ticker/bookTicker', 'query', bookTicker, { symbol });
  /** Weight by `limit` (rest-api.md): 1–100 → 5, 101–500 → 25, 501–1000 → 50, 1001–5000 → 250. */
  depth = (symbol: string, limit = 1000): Promise<WireDepth> =>
    this.pub('/api/v3/depth', 'depth', depth, { symbol, limit: String(limit) }, { weight: limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250 });
  account = (): Promise<WireAccount> => this.signed('GET', '/api/v3/account', 'account', wireAccount, { omitZeroBalances: 'true' });
  submit = (params: Record<string, string>): Promise<WireOrder> => this.signed('POST', '/api/v3/order', 'orderNew', wireOrder, params);
  test = (params: Record<string, string>): Promise<WireCommissions> => this.signed('POST', '/api/v3/order/test', 'orderTest', wireCommissions, { ...params, computeCommissionRates: 'true' });
  order = (symbol: string, clientOrderId: string): Promise<WireOrder> => this.signed('GET', '/api/v3/order', 'orderQuery', wireOrder, { symbol, origClientOrderId: clientOrderId });
  orderById = (symbol: string, orderId: number): Promise<WireOrder> => this.signed('GET', '/api/v3/order', 'orderQuery', wireOrder, { symbol, orderId: String(orderId) });
  /** POST /api/v3/order/cancelReplace (STOP_ON_FAILURE): cancel `cancelOrigClientOrderId`, then place the new order. */
  cancelReplace = (params: Record<string, string>): Promise<CancelReplaced> =>
    this.signed('POST', '/api/v3/order/cancelReplace', 'orderReplace', cancelReplaced, { ...params, cancelReplaceMode: 'STOP_ON_FAILURE' });
  cancel = (symbol: string, clientOrderId: string): Promise<WireOrder> => this.signed('DELETE', '/api/v3/order', 'orderCancel', wireOrder, { symbol, origClientOrderId: clientOrderId });
  /** PUT /api/v3/order/amend/keepPriority: the order's quantity lowered to `newQty` in place; its client id kept. */
  amend = (symbol: string, clientOrderId: string, newQty: string): Promise<WireOrder> =>
    this.signed('PUT', '/api/v3/order/amend/keepPriority', 'orderAmend', amended, { symbol, origClientOrderId: clientOrderId, newClientOrderId: clientOrderId, newQty });
  /** Every order cancelled on the symbol, a list's legs included. */
  cancelAll = (symbol: string): Promise<WireOrder[]> => this.signed('DELETE', '/api/v3/openOrders', 'cancelAll', cancelledAll, { symbol });
  /** POST /api/v3/orderList/oco | oto | otoco: an OCO pair, or a bracket, as one order list. */
  newList = (kind: ListKind, params: Record<string, string>): Promise<WireOrderList> => this.signed('POST', `/api/v3/orderList/${kind}`, 'orderNew', wireOrderList, params);
  /** GET /api/v3/orderList by the list's client id. */
  orderList = (listClientOrderId: string): Promise<WireOrderList> => this.signed('GET', '/api/v3/orderList', 'orderQuery', wireOrderList, { origClientOrderId: listClientOrderId });
  /** DELETE /api/v3/orderList: both legs of a list. */
  cancelList = (symbol: string, listClientOrderId: string): Promise<WireOrderList> => this.signed('DELETE', '/api/v3/orderList', 'orderCancel', wireOrderList, { symbol, listClientOrderId });
  openOrders = (): Promise<WireOrder[]> => this.signed('GET', '/api/v3/openOrders', 'openOrdersAll', z.array(wireOrder));
  myTrades = (symbol: string, startTime?: number): Promise<WireTrade[]> =>
    this.signed('GET', '/api/v3/myTrades', 'myTrades', z.array(wireTrade), { symbol, limit: '1000', ...(startTime !== undefined ? { startTime: String(startTime) } : {}) });
}
