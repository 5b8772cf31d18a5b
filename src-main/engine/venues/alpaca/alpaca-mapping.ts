/**
 * Alpaca's wire order ↔ the port's reports, and our order → Alpaca's order body, with Alpaca's
 * own rules checked before anything is sent (the message quotes the rule).
 */
import type { Instrument } from '../../domain/instrument';
import type { Order, OrderStatus } from '../../domain/order';
import { Decimal } from '../../domain/money';
import type { SubmitAck, VenueFillReport, VenueOrderReport } from '../venue-port';
import { OutcomeUnknownError, VenueRejectedError } from '../venue-port';

export interface WireOrder {
  readonly id: string;
  readonly client_order_id: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly submitted_at: string;
  readonly replaced_by: string | null;
  readonly replaces: string | null;
  readonly symbol: string;
  readonly asset_class: string;
  readonly notional: string | null;
  readonly qty: string | null;
  readonly filled_qty: string;
  readonly filled_avg_price: string | null;
  readonly order_class: string;
  readonly type: string;
  readonly side: 'buy' | 'sell';
  readonly time_in_force: string;
  readonly limit_price: string | null;
  readonly stop_price: string | null;
  readonly status: string;
  readonly extended_hours: boolean;
  readonly legs: WireOrder[] | null;
  readonly trail_percent: string | null;
  readonly trail_price: string | null;
}

export interface WireFillActivity {
  readonly id: string;
  readonly transaction_time: string;
  readonly price: string;
  readonly qty: string;
  readonly side: 'buy' | 'sell';
  readonly symbol: string;
  readonly order_id: string;
}

export interface WireTradeUpdate {
  readonly event: string;
  readonly order: WireOrder;
  readonly timestamp?: string;
  readonly price?: string;
  readonly qty?: string;
  readonly execution_id?: string;
}

const STATUS: Record<string, OrderStatus> = {
  new: 'accepted',
  accepted: 'accepted',
  pending_new: 'accepted',
  accepted_for_bidding: 'accepted',
  held: 'accepted',
  calculated: 'accepted',
  pending_review: 'accepted',
  done_for_day: 'accepted',
  stopped: 'accepted',
  suspended: 'accepted',
  partially_filled: 'partially_filled',
  filled: 'filled',
  canceled: 'cancelled',
  expired: 'expired',
  rejected: 'rejected',
  pending_cancel: 'pending_cancel',
  pending_replace: 'pending_replace',
};

export function portStatus(o: Pick<WireOrder, 'status' | 'filled_qty'>): OrderStatus {
  const s = STATUS[o.status] ?? 'accepted';
  return s === 'accepted' && new Decimal(o.filled_qty || '0').gt(0) ? 'partially_filled' : s;
}

/**
 * Alpaca gives a replacement a new order id and refuses a reused client id, so a replacement
 * carries `<our id>~r<n>`; every report maps it back to our id.
 */
export const REPLACE_MARK = '~r';
export function ourClientId(venueCid: string): string {
  const i = venueCid.lastIndexOf(REPLACE_MARK);
  return i > 0 && /^\d+$/.test(venueCid.slice(i + REPLACE_MARK.length)) ? venueCid.slice(0, i) : venueCid;
}
export function replacementClientId(venueCid: string): string {
  const base = ourClientId(venueCid);
  const n = venueCid === base ? 0 : Number(venueCid.slice(base.length + REPLACE_MARK.length));
  return `${base}${REPLACE_MARK}${n + 1}`;
}

const TYPES: Record<string, Order['type']> = { market: 'market', limit: 'limit', stop: 'stop', stop_limit: 'stop_limit', trailing_stop: 'trailing_stop' };
const TIFS: Record<string, Order['tif']> = { day: 'day', gtc: 'gtc', ioc: 'ioc', fok: 'fok', opg: 'opg', cls: 'cls' };

export function orderReport(o: WireOrder, instrumentId: string | undefined, clientOrderId = ourClientId(o.client_order_id)): VenueOrderReport {
  const type = TYPES[o.type];
  const tif = TIFS[o.time_in_force];
  return {
    clientOrderId,
    venueOrderId: o.id,
    status: portStatus(o),
    filledQty: o.filled_qty || '0',
    avgFillPrice: o.filled_avg_price ?? '0',
    ts: Date.parse(o.updated_at) || Date.parse(o.submitted_at) || 0,
    ...(instrumentId ? { instrumentId } : {}),
    side: o.side,
    ...(type ? { type } : {}),
    ...(o.qty ? { qty: o.qty } : o.notional ? { qty: '0' } : {}),
    ...(o.limit_price ? { limitPrice: o.limit_price } : {}),
    ...(o.stop_price && type !== 'trailing_stop' ? { stopPrice: o.stop_price } : {}),
    ...(o.stop_price && type === 'trailing_stop' ? { trailStop: o.stop_price } : {}),
    ...(tif ? { tif } : {}),
    raw: o,
  };
}

export function fillFromUpdate(u: WireTradeUpdate, instrumentId: string, clientOrderId: string): VenueFillReport | undefined {
  if ((u.event !== 'fill' && u.event !== 'partial_fill') || u.qty === undefined || u.price === undefined) return undefined;
  return {
    clientOrderId,
    venueOrderId: u.order.id,
    venueFillId: u.execution_id ?? `${u.order.id}:${u.order.filled_qty}`,
    instrumentId,
    side: u.order.side,
    qty: u.qty,
    price: u.price,
    fee: '0',
    feeCurrency: 'USD',
    liquidity: 'taker',
    ts: Date.parse(u.timestamp ?? u.order.updated_at) || 0,
    raw: u,
  };
}

/** The activity id is `<time>::<execution id>`; the stream names the same execution. */
export function fillFromActivity(a: WireFillActivity, instrumentId: string, clientOrderId: string): VenueFillReport {
  return {
    clientOrderId,
    venueOrderId: a.order_id,
    venueFillId: a.id.includes('::') ? a.id.split('::')[1]! : a.id,
    instrumentId,
    side: a.side,
    qty: a.qty,
    price: a.price,
    fee: '0',
    feeCurrency: 'USD',
    liquidity: 'taker',
    ts: Date.parse(a.transaction_time) || 0,
    raw: a,
  };
}

const reject = (m: string): never => {
  throw new VenueRejectedError(`Alpaca: ${m}`, 'alpaca_rule');
};

/** Alpaca's order rules, checked before sending. */
export function checkAlpacaRules(inst: Instrument, o: Pick<Order, 'type' | 'tif' | 'qty' | 'extendedHours' | 'notional'>): void {
  if (o.notional !== undefined) {
    if (!inst.fractional) reject(`${inst.symbol} is not fractionable, so it cannot be bought by dollar amount; enter a whole-share quantity.`);
    if (o.type !== 'market') reject(`notional (dollar-amount) orders are market orders here (this one is ${o.type}); enter a quantity for a ${o.type} order.`);
    if (inst.assetClass !== 'crypto_spot' && o.tif !== 'day') reject(`notional stock orders must be DAY orders (not ${o.tif.toUpperCase()}).`);
  }
  if (o.extendedHours && (o.type !== 'limit' || o.tif !== 'day'))
    reject(`extended-hours orders must be DAY limit orders (this one is ${o.tif.toUpperCase()} ${o.type}); make it a DAY limit or turn extended hours off.`);
  const fractional = o.notional === undefined && !new Decimal(o.qty).isInteger();
  if (fractional && !inst.fractional) reject(`${inst.symbol} is not fractionable; trade whole shares.`);
  if (fractional && inst.assetClass !== 'crypto_spot' && !(o.type === 'market' || (o.type === 'limit' && o.tif === 'day')))
    reject(`fractional orders must be market or DAY limit orders; round ${o.qty} to whole shares for a ${o.tif.toUpperCase()} ${o.type}.`);
  if (inst.assetClass === 'crypto_spot' && o.tif !== 'gtc' && o.tif !== 'ioc') reject(`crypto orders take GTC or IOC only (not ${o.tif.toUpperCase()}).`);
  if (inst.assetClass === 'crypto_spot' && !['market', 'limit', 'stop_limit'].includes(o.type)) reject(`crypto takes market, limit and stop-limit orders only (not ${o.type}).`);
}

export function orderBody(inst: Instrument, o: Order): Record<string, unknown> {
  checkAlpacaRules(inst, o);
  return {
    symbol: inst.venueSymbol,
    ...(o.notional !== undefined ? { notional: o.notional } : { qty: o.qty }),
    side: o.side,
    type: o.type,
    time_in_force: o.tif,
    client_order_id: o.clientOrderId,
    ...(o.limitPrice !== undefined ? { limit_price: o.limitPrice } : {}),
    ...(o.stopPrice !== undefined && o.type !== 'trailing_stop' ? { stop_price: o.stopPrice } : {}),
    ...(o.trailAmount !== undefined ? { trail_price: o.trailAmount } : {}),
    ...(o.trailPercent !== undefined ? { trail_percent: o.trailPercent } : {}),
    ...(o.extendedHours ? { extended_hours: true } : {}),
  };
}

/**
 * An OCO exit pair as one Alpaca order (`order_class: oco`): the order itself is the take-profit
 * limit, `take_profit.limit_price` repeats its price, and the stop-loss becomes its one leg.
 */
export function ocoBody(inst: Instrument, takeProfit: Order, stopLoss: Order): Record<string, unknown> {
  if (takeProfit.type !== 'limit' || takeProfit.limitPrice === undefined) reject('an OCO pair is a limit take-profit plus a stop-loss.');
  if (stopLoss.stopPrice === undefined) reject("an OCO pair's stop-loss needs a stop price.");
  return {
    ...orderBody(inst, takeProfit),
    order_class: 'oco',
    take_profit: { limit_price: takeProfit.limitPrice },
    stop_loss: { stop_price: stopLoss.stopPrice, ...(stopLoss.limitPrice !== undefined ? { limit_price: stopLoss.limitPrice } : {}) },
  };
}

/**
 * The acks of a group's other orders from the legs Alpaca returned with the first: a take-profit
 * leg is the limit, a stop-loss leg the stop or stop-limit. `link` records each leg under our id.
 * A leg Alpaca did not return leaves its outcome unknown (looked up, never resent).
 */
export function legAcks(o: WireOrder, others: readonly Order[], link: (legId: string, ourCid: string) => void): SubmitAck[] {
  return others.map((c) => {
    const leg = (o.legs ?? []).find((l) => (c.leg === 'take_profit' ? l.type === 'limit' : l.type !== 'limit'));
    if (!leg) throw new OutcomeUnknownError(`Alpaca accepted order ${o.id} but returned no ${c.leg ?? 'exit'} leg for ${c.clientOrderId}; it is looked up before anything else is sent.`);
    link(leg.id, c.clientOrderId);
    return { venueOrderId: leg.id, status: portStatus(leg) };
  });
}

/** An entry with its exits as one Alpaca order: bracket (both exits) or OTO (one). */
export function bracketBody(inst: Instrument, parent: Order, children: readonly Order[]): Record<string, unknown> {
  const tp = children.find((c) => c.leg === 'take_profit');
  const sl = children.find((c) => c.leg === 'stop_loss');
  if (!tp && !sl) reject('a bracket needs a take-profit or a stop-loss.');
  return {
    ...orderBody(inst, parent),
    order_class: tp && sl ? 'bracket' : 'oto',
    ...(tp ? { take_profit: { limit_price: tp.limitPrice } } : {}),
    ...(sl ? { stop_loss: { stop_price: sl.stopPrice, ...(sl.limitPrice !== undefined ? { limit_price: sl.limitPrice } : {}) } } : {}),
  };
}
