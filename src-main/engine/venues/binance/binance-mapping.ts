/**
 * Binance's wire orders, execution reports and trades ↔ the port's reports, and our order →
 * Binance's order parameters (rest-api.md "New order"; user-data-stream.md "Order update").
 * Pure: no I/O.
 */
import { z } from 'zod';
import type { Instrument } from '../../domain/instrument';
import type { Order, OrderStatus } from '../../domain/order';
import { Decimal, toStr } from '../../domain/money';
import type { VenueFillReport, VenueOrderReport } from '../venue-port';
import { VenueRejectedError } from '../venue-port';
import { filterProblem } from './binance-filters';
import type { SymbolFilters } from './binance-instruments';

export const wireOrder = z
  .object({
    symbol: z.string(),
    orderId: z.number(),
    clientOrderId: z.string(),
    origClientOrderId: z.string().optional(),
    price: z.string().default('0'),
    origQty: z.string().default('0'),
    executedQty: z.string().default('0'),
    cummulativeQuoteQty: z.string().default('0'),
    status: z.string().default('NEW'),
    timeInForce: z.string().optional(),
    type: z.string().optional(),
    side: z.enum(['BUY', 'SELL']).optional(),
    stopPrice: z.string().optional(),
    time: z.number().optional(),
    updateTime: z.number().optional(),
    transactTime: z.number().optional(),
    workingTime: z.number().optional(),
  })
  .passthrough();
export type WireOrder = z.infer<typeof wireOrder>;

export const wireTrade = z
  .object({
    symbol: z.string(),
    id: z.number(),
    orderId: z.number(),
    price: z.string(),
    qty: z.string(),
    commission: z.string(),
    commissionAsset: z.string(),
    time: z.number(),
    isBuyer: z.boolean(),
    isMaker: z.boolean(),
  })
  .passthrough();
export type WireTrade = z.infer<typeof wireTrade>;

/** `executionReport` (user-data-stream.md): one-letter fields. */
export const executionReport = z
  .object({
    e: z.literal('executionReport'),
    E: z.number(),
    s: z.string(),
    c: z.string(),
    S: z.enum(['BUY', 'SELL']),
    o: z.string(),
    f: z.string(),
    q: z.string(),
    p: z.string(),
    P: z.string().optional(),
    x: z.string(),
    X: z.string(),
    r: z.string().optional(),
    i: z.number(),
    l: z.string(),
    z: z.string(),
    L: z.string(),
    n: z.string().nullable().optional(),
    N: z.string().nullable().optional(),
    T: z.number(),
    t: z.number(),
    m: z.boolean().optional(),
    Z: z.string().optional(),
    C: z.string().optional(),
  })
  .passthrough();
export type ExecutionReport = z.infer<typeof executionReport>;

const STATUS: Record<string, OrderStatus> = {
  NEW: 'accepted',
  PENDING_NEW: 'submitted',
  PARTIALLY_FILLED: 'partially_filled',
  FILLED: 'filled',
  CANCELED: 'cancelled',
  PENDING_CANCEL: 'pending_cancel',
  REJECTED: 'rejected',
  EXPIRED: 'expired',
  EXPIRED_IN_MATCH: 'expired',
};
export const portStatus = (s: string): OrderStatus => STATUS[s] ?? 'accepted';

const TYPES: Record<string, Order['type']> = {
  MARKET: 'market',
  LIMIT: 'limit',
  LIMIT_MAKER: 'limit',
  STOP_LOSS: 'stop',
  STOP_LOSS_LIMIT: 'stop_limit',
  TAKE_PROFIT: 'stop',
  TAKE_PROFIT_LIMIT: 'stop_limit',
};
const TIFS: Record<string, Order['tif']> = { GTC: 'gtc', IOC: 'ioc', FOK: 'fok' };

const side = (s: 'BUY' | 'SELL'): Order['side'] => (s === 'BUY' ? 'buy' : 'sell');
const positive = (v: string | undefined): string | undefined => (v !== undefined && new Decimal(v).gt(0) ? toStr(new Decimal(v)) : undefined);
const avg = (quote: string, qty: string): string => (new Decimal(qty).gt(0) ? toStr(new Decimal(quote).div(qty)) : '0');

/** The order's own client id: a cancel answer carries the cancel's id in `clientOrderId` and ours in `origClientOrderId`. */
export const ourCid = (o: Pick<WireOrder, 'clientOrderId' | 'origClientOrderId'>): string => o.origClientOrderId ?? o.clientOrderId;

export function orderReport(o: WireOrder, instrumentId: string | undefined): VenueOrderReport {
  const type = o.type ? TYPES[o.type] : undefined;
  const tif = o.type === 'MARKET' ? 'ioc' : o.type === 'LIMIT_MAKER' ? 'gtc' : o.timeInForce ? TIFS[o.timeInForce] : undefined;
  const qty = positive(o.origQty);
  return {
    clientOrderId: ourCid(o),
    venueOrderId: String(o.orderId),
    status: portStatus(o.status),
    filledQty: toStr(new Decimal(o.executedQty)),
    avgFillPrice: avg(o.cummulativeQuoteQty, o.executedQty),
    ts: o.updateTime ?? o.transactTime ?? o.time ?? 0,
    ...(instrumentId ? { instrumentId } : {}),
    ...(o.side ? { side: side(o.side) } : {}),
    ...(type ? { type } : {}),
    ...(qty ? { qty } : o.type === 'MARKET' ? { qty: '0' } : {}),
    ...(type !== 'market' && positive(o.price) ? { limitPrice: positive(o.price)! } : {}),
    ...(positive(o.stopPrice) ? { stopPrice: positive(o.stopPrice)! } : {}),
    ...(tif ? { tif } : {}),
    raw: o,
  };
}

/** The order a report speaks of: a cancel carries the cancel request's id in `c` and ours in `C`. */
export const reportCid = (r: ExecutionReport): string => (r.C !== undefined && r.C !== '' ? r.C : r.c);

export function reportFromExecution(r: ExecutionReport, instrumentId: string | undefined): VenueOrderReport {
  const type = TYPES[r.o];
  const tif = r.o === 'MARKET' ? 'ioc' : TIFS[r.f];
  return {
    clientOrderId: reportCid(r),
    venueOrderId: String(r.i),
    status: portStatus(r.X),
    filledQty: toStr(new Decimal(r.z)),
    avgFillPrice: r.Z !== undefined ? avg(r.Z, r.z) : r.L,
    ts: r.T || r.E,
    ...(r.r && r.r !== 'NONE' ? { reason: r.r } : {}),
    ...(instrumentId ? { instrumentId } : {}),
    side: side(r.S),
    ...(type ? { type } : {}),
    ...(positive(r.q) ? { qty: positive(r.q)! } : {}),
    ...(type !== 'market' && positive(r.p) ? { limitPrice: positive(r.p)! } : {}),
    ...(positive(r.P) ? { stopPrice: positive(r.P)! } : {}),
    ...(tif ? { tif } : {}),
    raw: r,
  };
}

/** The trade id is Binance's per symbol, so the fill id names the symbol too (stream and myTrades agree). */
export const fillId = (symbol: string, tradeId: number): string => `${symbol}:${tradeId}`;

export function fillFromExecution(r: ExecutionReport, instrumentId: string): VenueFillReport | undefined {
  if (r.x !== 'TRADE' || r.t < 0) return undefined;
  return {
    clientOrderId: r.c,
    venueOrderId: String(r.i),
    venueFillId: fillId(r.s, r.t),
    instrumentId,
    side: side(r.S),
    qty: toStr(new Decimal(r.l)),
    price: toStr(new Decimal(r.L)),
    fee: toStr(new Decimal(r.n ?? '0')),
    feeCurrency: r.N ?? '',
    liquidity: r.m ? 'maker' : 'taker',
    ts: r.T,
    raw: r,
  };
}

export function fillFromTrade(t: WireTrade, instrumentId: string, clientOrderId: string): VenueFillReport {
  return {
    clientOrderId,
    venueOrderId: String(t.orderId),
    venueFillId: fillId(t.symbol, t.id),
    instrumentId,
    side: t.isBuyer ? 'buy' : 'sell',
    qty: toStr(new Decimal(t.qty)),
    price: toStr(new Decimal(t.price)),
    fee: toStr(new Decimal(t.commission)),
    feeCurrency: t.commissionAsset,
    liquidity: t.isMaker ? 'maker' : 'taker',
    ts: t.time,
    raw: t,
  };
}

const reject = (m: string): never => {
  throw new VenueRejectedError(`Binance: ${m}`, 'binance_rule');
};

/** Binance's order type for ours: a post-only limit is LIMIT_MAKER, any stop is a STOP_LOSS(_LIMIT). */
export function wireType(o: Pick<Order, 'type' | 'postOnly'>): string {
  switch (o.type) {
    case 'market':
      return 'MARKET';
    case 'limit':
      return o.postOnly ? 'LIMIT_MAKER' : 'LIMIT';
    case 'stop':
      return 'STOP_LOSS';
    case 'stop_limit':
      return 'STOP_LOSS_LIMIT';
    default:
      return reject(`spot has no ${o.type} orders; use market, limit, stop or stop-limit.`);
  }
}

/**
 * Our order → POST /api/v3/order parameters. Binance's filters (tick, step, min notional) and
 * its type/time-in-force rules are checked first; `refPrice` is the touch a market order takes.
 */
export function orderParams(inst: Instrument, f: SymbolFilters | undefined, o: Order, refPrice?: string): Record<string, string> {
  const type = wireType(o);
  if (f && f.orderTypes.length > 0 && !f.orderTypes.includes(type)) reject(`${inst.venueSymbol} does not take ${type} orders (it takes ${f.orderTypes.join(', ')}).`);
  if (o.tif !== 'gtc' && o.tif !== 'ioc' && o.tif !== 'fok') reject(`spot orders are GTC, IOC or FOK (not ${o.tif.toUpperCase()}).`);
  if (o.postOnly && o.tif !== 'gtc') reject(`a post-only (LIMIT_MAKER) order has no time in force; send it as GTC.`);
  const notional = o.notional !== undefined;
  if (notional && type !== 'MARKET') reject(`an order sized in ${inst.quote} (quoteOrderQty) must be a market order.`);
  const problem = f && filterProblem(f, { symbol: inst.venueSymbol, type, qty: o.qty, price: o.limitPrice, stopPrice: o.stopPrice, quoteQty: o.notional, refPrice });
  if (problem) reject(`Filter failure: ${problem}`);
  const timed = type === 'LIMIT' || type === 'STOP_LOSS_LIMIT' || type === 'TAKE_PROFIT_LIMIT';
  return {
    symbol: inst.venueSymbol,
    side: o.side === 'buy' ? 'BUY' : 'SELL',
    type,
    ...(timed ? { timeInForce: o.tif.toUpperCase() } : {}),
    ...(notional ? { quoteOrderQty: o.notional! } : { quantity: o.qty }),
    ...(o.limitPrice !== undefined && type !== 'MARKET' && type !== 'STOP_LOSS' ? { price: o.limitPrice } : {}),
    ...(o.stopPrice !== undefined ? { stopPrice: o.stopPrice } : {}),
    newClientOrderId: o.clientOrderId,
    newOrderRespType: 'RESULT',
  };
}
