/**
 * Our orders ⇄ ccxt's unified structures, pure (no ccxt loaded here).
 *
 * Money: ccxt's unified API carries amounts and prices as JS numbers it parsed from the exchange's
 * decimal strings (and re-stringifies with the market's precision before sending). We cross that
 * boundary exactly: a number from ccxt becomes the shortest decimal string that reads back as it
 * (what the exchange sent), and a decimal string of ours goes to ccxt only if the number it
 * becomes reads back as the same decimal — otherwise the order is refused, never rounded.
 */
import type * as Ccxt from 'ccxt';
import { Decimal, parseDecimal, toStr } from '../../domain/money';
import type { Order, OrderStatus, OrderType, Side, TimeInForce } from '../../domain/order';
import type { VenueFillReport, VenueOrderReport } from '../venue-port';
import { VenueRejectedError } from '../venue-port';
import { checkNotional, gtdParams } from './ccxt-order-terms';

/** The fields of a ccxt Order we read (ccxt's `Order` type, loosened: exchanges leave many undefined). */
export interface CcxtOrderLike {
  readonly id: string;
  readonly clientOrderId?: string | undefined;
  readonly symbol: string;
  readonly type?: string | undefined;
  readonly side?: string | undefined;
  readonly status?: string | undefined;
  readonly timeInForce?: string | undefined;
  readonly postOnly?: boolean | undefined;
  readonly reduceOnly?: boolean | undefined;
  readonly amount?: number | undefined;
  readonly filled?: number | undefined;
  readonly average?: number | undefined;
  readonly price?: number | undefined;
  readonly triggerPrice?: number | undefined;
  readonly timestamp?: number | undefined;
  readonly lastUpdateTimestamp?: number | undefined;
  readonly info?: unknown;
}

export interface CcxtTradeLike {
  readonly id?: string | undefined;
  readonly order?: string | undefined;
  readonly symbol?: string | undefined;
  readonly side?: string | undefined;
  readonly amount?: number | undefined;
  readonly price?: number | undefined;
  readonly takerOrMaker?: string | undefined;
  readonly timestamp?: number | undefined;
  readonly fee?: { readonly cost?: number | undefined; readonly currency?: string | undefined } | undefined;
  readonly info?: unknown;
}

/** A ccxt number as a canonical decimal string ('0' when absent). */
export function decOf(n: number | string | undefined | null): string {
  if (n === undefined || n === null) return '0';
  if (typeof n === 'string') return parseDecimal(n) ? toStr(new Decimal(n)) : '0';
  return Number.isFinite(n) ? toStr(new Decimal(n)) : '0';
}

/** A decimal string as the number ccxt takes, refused when that number would not be the same decimal. */
export function exactNumber(s: string, what: string): number {
  const n = Number(s);
  if (!Number.isFinite(n) || !new Decimal(n).eq(new Decimal(s))) {
    throw new VenueRejectedError(`${what} ${s} has more digits than ccxt carries exactly; round it to the instrument's tick or lot size.`, 'precision');
  }
  return n;
}

export interface CreateOrderArgs {
  readonly symbol: string;
  readonly type: 'market' | 'limit';
  readonly side: Side;
  readonly amount: number;
  readonly price: number | undefined;
  readonly params: Record<string, unknown>;
  /** A notional order: the quote-currency amount (sent with ccxt's create…OrderWithCost; `amount` is then 0). */
  readonly cost?: number;
}

/** What the exchange carries beyond ccxt's unified terms (ccxt-order-terms.ts); none when absent. */
export interface CcxtTermsContext {
  readonly exchange: string;
  readonly notionalSides: readonly Side[];
}

const TIF_OUT: Partial<Record<TimeInForce, string>> = { gtc: 'GTC', ioc: 'IOC', fok: 'FOK' };

/**
 * `createOrder` arguments for our order on ccxt market `symbol`. Our client id (as the exchange
 * accepts it: ccxt-client-ids.ts) goes in ccxt's unified `clientOrderId` param, which each
 * exchange class renames to its own (Bybit orderLinkId, Binance newClientOrderId, OKX clOrdId,
 * KuCoin clientOid, Hyperliquid cloid).
 */
export function createOrderArgs(order: Order, symbol: string, contract: boolean, venueCid = order.clientOrderId, terms?: CcxtTermsContext): CreateOrderArgs {
  if (order.type === 'trailing_stop') throw new VenueRejectedError('Trailing stops are not sent through ccxt; use a stop or stop-limit.', 'unsupported_order');
  if (order.reduceOnly && !contract) throw new VenueRejectedError(`Reduce-only applies to derivatives; ${order.symbol} is spot.`, 'unsupported_order');
  const gtd = order.tif === 'gtd' ? gtdParams(terms?.exchange ?? 'this exchange', order, contract) : undefined;
  const tif = TIF_OUT[order.tif];
  if (tif === undefined && !gtd) throw new VenueRejectedError(`Time in force ${order.tif.toUpperCase()} is not available through ccxt; use GTC, IOC or FOK.`, 'unsupported_order');
  const limit = order.type === 'limit' || order.type === 'stop_limit';
  const params: Record<string, unknown> = { clientOrderId: venueCid, ...gtd };
  if (tif !== undefined && (order.type !== 'market' || order.tif !== 'gtc')) params['timeInForce'] = tif;
  if (order.type === 'stop' || order.type === 'stop_limit') {
    if (order.stopPrice === undefined) throw new VenueRejectedError(`A ${order.type} order needs a stop price.`, 'invalid_order');
    params['triggerPrice'] = exactNumber(order.stopPrice, 'Stop price');
  }
  if (order.postOnly) params['postOnly'] = true;
  if (order.reduceOnly) params['reduceOnly'] = true;
  if (limit && order.limitPrice === undefined) throw new VenueRejectedError(`A ${order.type} order needs a limit price.`, 'invalid_order');
  if (order.notional !== undefined) {
    const cost = exactNumber(checkNotional(order, contract, terms?.notionalSides ?? [], terms?.exchange ?? 'this exchange'), 'Notional amount');
    return { symbol, type: 'market', side: order.side, amount: 0, price: undefined, params, cost };
  }
  return {
    symbol,
    type: limit ? 'limit' : 'market',
    side: order.side,
    amount: exactNumber(order.qty, 'Quantity'),
    price: limit ? exactNumber(order.limitPrice!, 'Limit price') : undefined,
    params,
  };
}

/** The arguments' one send: by cost for a notional order, else `createOrder`. */
export function sendCreate(ex: Pick<Ccxt.Exchange, 'createOrder' | 'createMarketBuyOrderWithCost' | 'createMarketSellOrderWithCost'>, a: CreateOrderArgs): Promise<unknown> {
  if (a.cost === undefined) return ex.createOrder(a.symbol, a.type, a.side, a.amount, a.price, a.params);
  return a.side === 'buy' ? ex.createMarketBuyOrderWithCost(a.symbol, a.cost, a.params) : ex.createMarketSellOrderWithCost(a.symbol, a.cost, a.params);
}

/** ccxt's unified order status (+ filled) → ours. */
export function statusOf(o: Pick<CcxtOrderLike, 'status' | 'filled'>): OrderStatus {
  const filled = new Decimal(decOf(o.filled));
  switch (o.status) {
    case 'open':
      return filled.gt(0) ? 'partially_filled' : 'accepted';
    case 'closed':
      return 'filled';
    case 'canceled':
    case 'cancelled':
      return 'cancelled';
    case 'expired':
      return 'expired';
    case 'rejected':
      return 'rejected';
    default:
      return 'submitted';
  }
}

function typeOf(o: CcxtOrderLike): OrderType | undefined {
  const trigger = o.triggerPrice !== undefined && o.triggerPrice !== null && o.triggerPrice > 0;
  if (o.type === 'limit') return trigger ? 'stop_limit' : 'limit';
  if (o.type === 'market') return trigger ? 'stop' : 'market';
  if (o.type === 'stop' || o.type === 'stop_market') return 'stop';
  if (o.type === 'stop_limit' || o.type === 'stop-limit') return 'stop_limit';
  return undefined;
}

const TIF_IN: Record<string, TimeInForce> = { GTC: 'gtc', PO: 'gtc', IOC: 'ioc', FOK: 'fok', GTD: 'gtd' };

/** A ccxt order as the port's report; `cid` is our client id for it (the exchange's, for an order placed elsewhere). */
export function orderReport(o: CcxtOrderLike, instrumentId: string | undefined, cid: string, now: number): VenueOrderReport {
  const type = typeOf(o);
  const tif = o.timeInForce ? TIF_IN[o.timeInForce.toUpperCase()] : undefined;
  const limit = type === 'limit' || type === 'stop_limit';
  const stop = type === 'stop' || type === 'stop_limit';
  return {
    clientOrderId: cid,
    venueOrderId: o.id,
    status: statusOf(o),
    filledQty: decOf(o.filled),
    avgFillPrice: decOf(o.average),
    ts: o.lastUpdateTimestamp ?? o.timestamp ?? now,
    ...(instrumentId !== undefined ? { instrumentId } : {}),
    ...(o.side === 'buy' || o.side === 'sell' ? { side: o.side } : {}),
    ...(type !== undefined ? { type } : {}),
    ...(o.amount !== undefined ? { qty: decOf(o.amount) } : {}),
    ...(limit && o.price !== undefined ? { limitPrice: decOf(o.price) } : {}),
    ...(stop && o.triggerPrice !== undefined ? { stopPrice: decOf(o.triggerPrice) } : {}),
    tif: tif ?? 'gtc',
    raw: o.info,
  };
}

/** A ccxt trade (one execution) as the port's fill; undefined when it lacks an id, side or size. */
export function fillReport(t: CcxtTradeLike, instrumentId: string, cid: string): VenueFillReport | undefined {
  if (!t.id || (t.side !== 'buy' && t.side !== 'sell') || t.amount === undefined || t.price === undefined) return undefined;
  return {
    clientOrderId: cid,
    ...(t.order !== undefined ? { venueOrderId: t.order } : {}),
    venueFillId: t.id,
    instrumentId,
    side: t.side,
    qty: decOf(t.amount),
    price: decOf(t.price),
    fee: decOf(t.fee?.cost),
    feeCurrency: t.fee?.currency ?? '',
    liquidity: t.takerOrMaker === 'maker' ? 'maker' : 'taker',
    ts: t.timestamp ?? 0,
    raw: t.info,
  };
}
