/**
 * Our orders ↔ Kraken's: the AddOrder / AmendOrder fields for an order, and Kraken's REST orders,
 * trades and WS v2 execution events as the port's reports. Pure.
 */
import type { Order, OrderStatus, OrderType, TimeInForce } from '../../domain/order';
import { Decimal, toStr } from '../../domain/money';
import type { VenueFillReport, VenueOrderReport } from '../venue-port';
import { VenueRejectedError } from '../venue-port';
import type { Fields } from './kraken-rest';
import type { WireExecution, WireOrder, WireTrade } from './kraken-wire';

const TO_ORDERTYPE: Partial<Record<OrderType, string>> = { market: 'market', limit: 'limit', stop: 'stop-loss', stop_limit: 'stop-loss-limit' };
const FROM_ORDERTYPE: Readonly<Record<string, OrderType>> = {
  market: 'market',
  limit: 'limit',
  'stop-loss': 'stop',
  'take-profit': 'stop',
  'stop-loss-limit': 'stop_limit',
  'take-profit-limit': 'stop_limit',
  'trailing-stop': 'trailing_stop',
  'trailing-stop-limit': 'trailing_stop',
};
const TO_TIF: Partial<Record<TimeInForce, string>> = { gtc: 'GTC', ioc: 'IOC', gtd: 'GTD' };
const FROM_TIF: Readonly<Record<string, TimeInForce>> = { GTC: 'gtc', IOC: 'ioc', GTD: 'gtd' };

/** What AddOrder needs of an order (a journaled order, or a ticket being previewed). */
export type OrderTerms = Pick<Order, 'side' | 'type' | 'qty' | 'limitPrice' | 'stopPrice' | 'tif' | 'expireAt' | 'postOnly'> & { readonly clientOrderId?: string };

/** The AddOrder fields for `order` on Kraken pair `pair` (REST name); `validate` only checks it. */
export function addOrderFields(pair: string, order: OrderTerms, validate = false): Fields {
  const ordertype = TO_ORDERTYPE[order.type];
  if (!ordertype) throw new VenueRejectedError(`Kraken has no ${order.type} order here; use market, limit, stop or stop_limit.`, 'unsupported_order');
  const tif = TO_TIF[order.tif];
  if (!tif) throw new VenueRejectedError(`Kraken takes GTC, IOC or GTD orders, not ${order.tif.toUpperCase()}.`, 'unsupported_order');
  const f: Fields = { pair, type: order.side, ordertype, volume: order.qty };
  if (order.clientOrderId !== undefined) f['cl_ord_id'] = order.clientOrderId;
  if (order.type === 'limit') f['price'] = need(order.limitPrice, 'limit price');
  if (order.type === 'stop') f['price'] = need(order.stopPrice, 'stop price');
  if (order.type === 'stop_limit') {
    f['price'] = need(order.stopPrice, 'stop (trigger) price');
    f['price2'] = need(order.limitPrice, 'limit price');
  }
  if (order.type !== 'market') f['timeinforce'] = tif;
  if (order.tif === 'gtd') f['expiretm'] = String(Math.floor(need(order.expireAt, 'expiry') / 1000));
  if (order.postOnly) f['oflags'] = 'post';
  if (validate) f['validate'] = 'true';
  return f;
}

function need<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new VenueRejectedError(`The order has no ${what}; Kraken needs one for this order type.`, 'invalid_input');
  return v;
}

/** Kraken REST status → ours. `open` with something executed is partially filled. */
export function statusOf(status: string, volExec: string): OrderStatus {
  const filled = new Decimal(volExec || '0').gt(0);
  switch (status) {
    case 'pending':
    case 'open':
      return filled ? 'partially_filled' : 'accepted';
    case 'closed':
      return 'filled';
    case 'canceled':
      return 'cancelled';
    case 'expired':
      return 'expired';
    default:
      return 'accepted';
  }
}

const positive = (s: string | undefined): string | undefined => (s !== undefined && new Decimal(s).gt(0) ? toStr(new Decimal(s)) : undefined);

/** A REST order (OpenOrders, QueryOrders…) as a report; `cid` is our client id for it. */
export function reportFromOrder(txid: string, o: WireOrder, cid: string, instrumentId: string | undefined): VenueOrderReport {
  const type = FROM_ORDERTYPE[o.descr.ordertype] ?? 'limit';
  const price = positive(o.descr.price);
  const price2 = positive(o.descr.price2);
  const limitPrice = type === 'limit' ? price : type === 'stop_limit' ? price2 : undefined;
  const stopPrice = type === 'stop' || type === 'stop_limit' ? price : undefined;
  const tif = FROM_TIF[o.timeinforce ?? 'GTC'] ?? 'gtc';
  return {
    clientOrderId: cid,
    venueOrderId: txid,
    status: statusOf(o.status, o.vol_exec),
    filledQty: toStr(new Decimal(o.vol_exec)),
    avgFillPrice: toStr(new Decimal(o.price ?? '0')),
    ...(o.reason ? { reason: o.reason } : {}),
    ts: Math.round((o.closetm ?? o.opentm) * 1000),
    ...(instrumentId ? { instrumentId } : {}),
    side: o.descr.type,
    type,
    qty: toStr(new Decimal(o.vol)),
    ...(limitPrice ? { limitPrice } : {}),
    ...(stopPrice ? { stopPrice } : {}),
    tif,
    raw: o,
  };
}

/** A TradesHistory entry as a fill report. Fees are in the quote currency for spot. */
export function fillFromTrade(tradeId: string, t: WireTrade, cid: string, instrumentId: string, quote: string): VenueFillReport {
  return {
    clientOrderId: cid,
    venueOrderId: t.ordertxid,
    venueFillId: tradeId,
    instrumentId,
    side: t.type,
    qty: toStr(new Decimal(t.vol)),
    price: toStr(new Decimal(t.price)),
    fee: toStr(new Decimal(t.fee)),
    feeCurrency: quote,
    liquidity: t.maker ? 'maker' : 'taker',
    ts: Math.round(t.time * 1000),
    raw: t,
  };
}

const EXEC_STATUS: Readonly<Record<string, OrderStatus>> = {
  pending_new: 'accepted',
  new: 'accepted',
  partially_filled: 'partially_filled',
  filled: 'filled',
  canceled: 'cancelled',
  expired: 'expired',
};

/** An `executions` event as a report (and a fill when it is a trade). */
export function fromExecution(e: WireExecution, cid: string, instrumentId: string | undefined, quote: string): { report: VenueOrderReport; fill?: VenueFillReport } {
  const ts = Date.parse(e.timestamp) || 0;
  const type = e.order_type ? FROM_ORDERTYPE[e.order_type] : undefined;
  const status = EXEC_STATUS[e.order_status ?? ''] ?? 'accepted';
  const cum = e.cum_qty !== undefined ? toStr(new Decimal(e.cum_qty)) : '0';
  const report: VenueOrderReport = {
    clientOrderId: cid,
    venueOrderId: e.order_id,
    status: status === 'accepted' && new Decimal(cum).gt(0) ? 'partially_filled' : status,
    filledQty: cum,
    avgFillPrice: e.avg_price !== undefined ? toStr(new Decimal(e.avg_price)) : '0',
    ...(e.reason ? { reason: e.reason } : {}),
    ts,
    ...(instrumentId ? { instrumentId } : {}),
    ...(e.side ? { side: e.side } : {}),
    ...(type ? { type } : {}),
    ...(e.order_qty !== undefined ? { qty: toStr(new Decimal(e.order_qty)) } : {}),
    ...(e.limit_price !== undefined && type === 'limit' ? { limitPrice: toStr(new Decimal(e.limit_price)) } : {}),
    ...(e.time_in_force && FROM_TIF[e.time_in_force] ? { tif: FROM_TIF[e.time_in_force] } : {}),
    raw: e,
  };
  if (e.exec_type !== 'trade' || !instrumentId || !e.exec_id || e.last_qty === undefined || e.last_price === undefined || !e.side) return { report };
  const fee = (e.fees ?? []).reduce((s, f) => s.plus(f.qty), new Decimal(0));
  const fill: VenueFillReport = {
    clientOrderId: cid,
    venueOrderId: e.order_id,
    venueFillId: e.exec_id,
    instrumentId,
    side: e.side,
    qty: toStr(new Decimal(e.last_qty)),
    price: toStr(new Decimal(e.last_price)),
    fee: toStr(fee),
    feeCurrency: e.fees?.[0]?.asset ?? quote,
    liquidity: e.liquidity_ind === 'm' ? 'maker' : 'taker',
    ts,
    raw: e,
  };
  return { report, fill };
}
