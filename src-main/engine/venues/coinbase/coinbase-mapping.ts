/**
 * Coinbase's wire orders and fills ↔ the port's reports, and our order → the `POST /orders` body
 * (`order_configuration` has exactly one key naming type + time in force). Pure.
 *
 * Ours → Coinbase: market (base or quote size) → `market_market_ioc`; limit GTC/GTD/FOK →
 * `limit_limit_gtc|gtd|fok` (post-only on GTC/GTD); limit IOC → `sor_limit_ioc`; stop-limit GTC/GTD →
 * `stop_limit_stop_limit_gtc|gtd` with the stop direction from the side (a buy stop triggers on the
 * way up, a sell stop on the way down).
 */
import { z } from 'zod';
import type { Instrument } from '../../domain/instrument';
import type { Order, OrderStatus, Quote } from '../../domain/order';
import { Decimal } from '../../domain/money';
import type { VenueFillReport, VenueOrderReport } from '../venue-port';
import { VenueRejectedError } from '../venue-port';

const Cfg = z.record(z.string(), z.unknown());
export const WireOrder = z.object({
  order_id: z.string(),
  client_order_id: z.string().optional().default(''),
  product_id: z.string(),
  side: z.enum(['BUY', 'SELL']),
  order_configuration: z.record(z.string(), Cfg).optional().default({}),
  status: z.string(),
  filled_size: z.string().optional(),
  average_filled_price: z.string().optional(),
  total_fees: z.string().optional(),
  created_time: z.string().optional(),
  last_fill_time: z.string().nullish(),
  reject_reason: z.string().optional(),
  reject_message: z.string().optional(),
  cancel_message: z.string().optional(),
  trigger_status: z.string().nullish(),
  /** On an entry: its attached bracket order; on that order: its entry. Empty when none. */
  attached_order_id: z.string().nullish(),
  originating_order_id: z.string().nullish(),
});
export type WireOrder = z.infer<typeof WireOrder>;

export const WireFill = z.object({
  entry_id: z.string(),
  trade_id: z.string(),
  order_id: z.string(),
  product_id: z.string(),
  price: z.string(),
  size: z.string(),
  commission: z.string(),
  side: z.enum(['BUY', 'SELL']),
  trade_time: z.string(),
  liquidity_indicator: z.string().optional(),
  size_in_quote: z.boolean().optional(),
});
export type WireFill = z.infer<typeof WireFill>;

/** An order on the `user` channel. */
export const WireUserOrder = z.object({
  order_id: z.string(),
  client_order_id: z.string().optional().default(''),
  status: z.string(),
  product_id: z.string(),
  order_side: z.enum(['BUY', 'SELL']),
  order_type: z.string().optional(),
  cumulative_quantity: z.string().optional(),
  leaves_quantity: z.string().optional(),
  avg_price: z.string().optional(),
  total_fees: z.string().optional(),
  creation_time: z.string().optional(),
  limit_price: z.string().optional(),
  stop_price: z.string().optional(),
  time_in_force: z.string().optional(),
  reject_reason: z.string().optional(),
  cancel_reason: z.string().optional(),
  trigger_status: z.string().optional(),
});
export type WireUserOrder = z.infer<typeof WireUserOrder>;

const STATUS: Record<string, OrderStatus> = {
  PENDING: 'submitted',
  QUEUED: 'accepted',
  OPEN: 'accepted',
  FILLED: 'filled',
  CANCELLED: 'cancelled',
  CANCEL_QUEUED: 'pending_cancel',
  EXPIRED: 'expired',
  FAILED: 'rejected',
  EDIT_QUEUED: 'pending_replace',
};

/** The port status of a Coinbase status with `filled` already executed. */
export function portStatus(status: string, filled: string | undefined): OrderStatus {
  const s = STATUS[status] ?? 'accepted';
  return (s === 'accepted' || s === 'submitted') && new Decimal(filled || '0').gt(0) ? 'partially_filled' : s;
}

/** Terms read back from an `order_configuration`. */
export interface ConfigTerms {
  readonly type: Order['type'];
  readonly tif: Order['tif'];
  readonly qty?: string;
  readonly quoteSize?: string;
  readonly limitPrice?: string;
  readonly stopPrice?: string;
  readonly postOnly?: boolean;
  readonly expireAt?: number;
}

const KINDS: Record<string, { type: Order['type']; tif: Order['tif'] }> = {
  market_market_ioc: { type: 'market', tif: 'ioc' },
  market_market_fok: { type: 'market', tif: 'fok' },
  sor_limit_ioc: { type: 'limit', tif: 'ioc' },
  limit_limit_gtc: { type: 'limit', tif: 'gtc' },
  limit_limit_gtd: { type: 'limit', tif: 'gtd' },
  limit_limit_fok: { type: 'limit', tif: 'fok' },
  stop_limit_stop_limit_gtc: { type: 'stop_limit', tif: 'gtc' },
  stop_limit_stop_limit_gtd: { type: 'stop_limit', tif: 'gtd' },
  trigger_bracket_gtc: { type: 'limit', tif: 'gtc' },
  trigger_bracket_gtd: { type: 'limit', tif: 'gtd' },
};

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function configTerms(oc: Readonly<Record<string, Readonly<Record<string, unknown>>>>): ConfigTerms | undefined {
  const kind = Object.keys(oc)[0];
  const k = kind === undefined ? undefined : KINDS[kind];
  const c = kind === undefined ? undefined : oc[kind];
  if (!k || !c) return undefined;
  const qty = str(c['base_size']);
  const quoteSize = str(c['quote_size']);
  const limitPrice = str(c['limit_price']);
  const stopPrice = str(c['stop_price']) ?? str(c['stop_trigger_price']);
  const end = str(c['end_time']);
  return {
    ...k,
    ...(qty ? { qty } : {}),
    ...(quoteSize ? { quoteSize } : {}),
    ...(limitPrice ? { limitPrice } : {}),
    ...(stopPrice ? { stopPrice } : {}),
    ...(c['post_only'] === true ? { postOnly: true } : {}),
    ...(end && Number.isFinite(Date.parse(end)) ? { expireAt: Date.parse(end) } : {}),
  };
}

export const side = (s: 'BUY' | 'SELL'): Order['side'] => (s === 'BUY' ? 'buy' : 'sell');

export function orderReport(o: WireOrder, instrumentId: string | undefined): VenueOrderReport {
  const t = configTerms(o.order_configuration);
  const filled = o.filled_size || '0';
  const reason = o.reject_message || o.cancel_message || (o.reject_reason && o.reject_reason !== 'REJECT_REASON_UNSPECIFIED' ? o.reject_reason : undefined);
  return {
    clientOrderId: o.client_order_id,
    venueOrderId: o.order_id,
    status: portStatus(o.status, filled),
    filledQty: filled,
    avgFillPrice: o.average_filled_price || '0',
    ts: Date.parse(o.last_fill_time ?? '') || Date.parse(o.created_time ?? '') || 0,
    ...(reason ? { reason } : {}),
    ...(instrumentId ? { instrumentId } : {}),
    side: side(o.side),
    ...(t ? { type: t.type, tif: t.tif, qty: t.qty ?? (t.quoteSize ? '0' : filled) } : {}),
    ...(t?.limitPrice ? { limitPrice: t.limitPrice } : {}),
    ...(t?.stopPrice ? { stopPrice: t.stopPrice } : {}),
    raw: o,
  };
}

/** A `user` channel order as a report (it names no configuration: type and prices where given). */
export function userOrderReport(o: WireUserOrder, instrumentId: string | undefined, ts: number): VenueOrderReport {
  const filled = o.cumulative_quantity || '0';
  const reason = o.reject_reason || o.cancel_reason || undefined;
  const type = o.order_type?.toLowerCase().replace(/[\s-]/g, '_');
  const qty = o.leaves_quantity !== undefined ? new Decimal(o.leaves_quantity || '0').plus(filled).toString() : undefined;
  return {
    clientOrderId: o.client_order_id,
    venueOrderId: o.order_id,
    status: portStatus(o.status, filled),
    filledQty: filled,
    avgFillPrice: o.avg_price || '0',
    ts,
    ...(reason ? { reason } : {}),
    ...(instrumentId ? { instrumentId } : {}),
    side: side(o.order_side),
    ...(type === 'market' || type === 'limit' || type === 'stop_limit' ? { type } : {}),
    ...(qty !== undefined ? { qty } : {}),
    ...(o.limit_price ? { limitPrice: o.limit_price } : {}),
    ...(o.stop_price ? { stopPrice: o.stop_price } : {}),
    raw: o,
  };
}

export function fillReport(f: WireFill, instrumentId: string, clientOrderId: string, quote: string): VenueFillReport {
  // `size_in_quote`: the fill's size is in the quote currency (a market buy by quote size).
  const qty = f.size_in_quote ? new Decimal(f.size).div(f.price).toString() : f.size;
  return {
    clientOrderId,
    venueOrderId: f.order_id,
    venueFillId: f.entry_id,
    instrumentId,
    side: side(f.side),
    qty,
    price: f.price,
    fee: f.commission,
    feeCurrency: quote,
    liquidity: f.liquidity_indicator === 'MAKER' ? 'maker' : 'taker',
    ts: Date.parse(f.trade_time) || 0,
    raw: f,
  };
}

const reject = (m: string): never => {
  throw new VenueRejectedError(`Coinbase: ${m}`, 'coinbase_rule');
};

/**
 * Coinbase's stop direction, from the stop price against the market's price (`ref`, last or mid):
 * a stop above it triggers on the way up, below it on the way down — so a sell stop above the
 * market (taking profit) is STOP_UP. Without a price (or at it) the side decides: a buy stop
 * rises, a sell stop falls.
 */
export function stopDirection(side: Order['side'], stopPrice: string, ref: string | undefined): 'STOP_DIRECTION_STOP_UP' | 'STOP_DIRECTION_STOP_DOWN' {
  const c = ref === undefined ? 0 : new Decimal(stopPrice).cmp(ref);
  if (c !== 0) return c > 0 ? 'STOP_DIRECTION_STOP_UP' : 'STOP_DIRECTION_STOP_DOWN';
  return side === 'buy' ? 'STOP_DIRECTION_STOP_UP' : 'STOP_DIRECTION_STOP_DOWN';
}

/** The market's price a stop's direction is judged against: the last trade, else the mid. */
export function refPrice(q: Pick<Quote, 'bid' | 'ask' | 'last'> | undefined): string | undefined {
  if (q?.last) return q.last;
  return q?.bid && q.ask ? new Decimal(q.bid).plus(q.ask).div(2).toString() : undefined;
}

/** The `order_configuration` for our order (no client id, no product: the preview body uses it too); `ref` is the market's price, for a stop's direction. */
export function orderConfiguration(
  o: Pick<Order, 'type' | 'tif' | 'qty' | 'limitPrice' | 'stopPrice' | 'postOnly' | 'notional' | 'expireAt' | 'side'>,
  ref?: string,
): Record<string, Record<string, unknown>> {
  const endTime = (): string => {
    if (o.expireAt === undefined) return reject('a GTD order needs an expiry time.');
    return new Date(o.expireAt).toISOString();
  };
  if (o.postOnly && (o.type !== 'limit' || (o.tif !== 'gtc' && o.tif !== 'gtd'))) reject('post-only is for GTC or GTD limit orders only.');
  if (o.type === 'market') {
    if (o.tif !== 'ioc' && o.tif !== 'gtc' && o.tif !== 'day') reject(`market orders are immediate-or-cancel at Coinbase (not ${o.tif.toUpperCase()}).`);
    return { market_market_ioc: o.notional !== undefined ? { quote_size: o.notional } : { base_size: o.qty } };
  }
  if (o.notional !== undefined) reject('only market orders can be sized by quote amount; enter a base quantity.');
  const lp = o.limitPrice ?? reject(`a ${o.type} order needs a limit price.`);
  if (o.type === 'limit') {
    const post = o.postOnly === true;
    switch (o.tif) {
      case 'gtc':
        return { limit_limit_gtc: { base_size: o.qty, limit_price: lp, post_only: post } };
      case 'gtd':
        return { limit_limit_gtd: { base_size: o.qty, limit_price: lp, end_time: endTime(), post_only: post } };
      case 'fok':
        return { limit_limit_fok: { base_size: o.qty, limit_price: lp } };
      case 'ioc':
        return { sor_limit_ioc: { base_size: o.qty, limit_price: lp } };
      default:
        return reject(`limit orders take GTC, GTD, IOC or FOK (not ${o.tif.toUpperCase()}).`);
    }
  }
  if (o.type === 'stop_limit') {
    const sp = o.stopPrice ?? reject('a stop-limit order needs a stop price.');
    const stop = { base_size: o.qty, limit_price: lp, stop_price: sp, stop_direction: stopDirection(o.side, sp, ref) };
    if (o.tif === 'gtc') return { stop_limit_stop_limit_gtc: stop };
    if (o.tif === 'gtd') return { stop_limit_stop_limit_gtd: { ...stop, end_time: endTime() } };
    return reject(`stop-limit orders take GTC or GTD (not ${o.tif.toUpperCase()}).`);
  }
  return reject(`${o.type} orders are not offered by Coinbase Advanced Trade; use market, limit or stop-limit.`);
}

export function orderBody(inst: Instrument, o: Order, ref?: string): Record<string, unknown> {
  return { client_order_id: o.clientOrderId, product_id: inst.venueSymbol, side: o.side === 'buy' ? 'BUY' : 'SELL', order_configuration: orderConfiguration(o, ref) };
}

/**
 * An entry with its take-profit and stop-loss as one Coinbase order: the entry's configuration plus
 * `attached_order_configuration.trigger_bracket_gtc {limit_price, stop_trigger_price}`, without a
 * size (Coinbase gives the exit the entry's). Coinbase attaches both exits or none, and sets the
 * stop-loss's own limit itself, so a bracket here is a limit take-profit and a stop (market) stop-loss.
 */
export function bracketBody(inst: Instrument, parent: Order, children: readonly Order[]): Record<string, unknown> {
  const tp = children.find((c) => c.leg === 'take_profit');
  const sl = children.find((c) => c.leg === 'stop_loss');
  if (!tp?.limitPrice || !sl?.stopPrice) return reject('a bracket needs both a take-profit limit and a stop-loss trigger (Coinbase attaches the two together).');
  if (sl.limitPrice !== undefined) return reject("Coinbase sets a bracket stop-loss's limit price itself; give the stop-loss a trigger price only.");
  return { ...orderBody(inst, parent), attached_order_configuration: { trigger_bracket_gtc: { limit_price: tp.limitPrice, stop_trigger_price: sl.stopPrice } } };
}

/** `POST /orders` answers 200 with `success: false` for a refusal: the reason in Coinbase's words. */
export const WireCreate = z.object({
  success: z.boolean(),
  success_response: z.object({ order_id: z.string(), client_order_id: z.string().optional(), attached_order_id: z.string().optional() }).optional(),
  error_response: z
    .object({
      error: z.string().optional(),
      message: z.string().optional(),
      error_details: z.string().optional(),
      preview_failure_reason: z.string().optional(),
      new_order_failure_reason: z.string().optional(),
    })
    .optional(),
  failure_reason: z.string().optional(),
});
export type WireCreate = z.infer<typeof WireCreate>;

export function createRefusal(r: WireCreate): string {
  const e = r.error_response;
  const words = [e?.message, e?.error_details].filter((x, i, a): x is string => typeof x === 'string' && x !== '' && a.indexOf(x) === i).join(' — ');
  const code = e?.new_order_failure_reason ?? e?.preview_failure_reason ?? e?.error ?? r.failure_reason ?? 'UNKNOWN_FAILURE_REASON';
  return `Coinbase refused the order: ${words || code} (${code})`;
}
