/**
 * OCO exit pairs as Binance order lists (rest-api.md "New Order list - OCO", user-data-stream.md
 * "List Status"). A list has an above and a below leg on one side and one quantity:
 * - SELL (protecting a long): above = the take-profit as LIMIT_MAKER, below = the stop-loss as
 *   STOP_LOSS or STOP_LOSS_LIMIT;
 * - BUY (protecting a short): above = the stop-loss, below = the take-profit as TAKE_PROFIT_LIMIT
 *   triggered and priced at our limit (LIMIT_MAKER is not a below type).
 * Each leg carries our client id (`aboveClientOrderId` / `belowClientOrderId`); the list carries
 * the pair's OCA group name as `listClientOrderId`. Pure: no I/O.
 */
import { z } from 'zod';
import type { Instrument } from '../../domain/instrument';
import { Decimal } from '../../domain/money';
import type { Order } from '../../domain/order';
import type { SubmitAck, VenueOrderReport } from '../venue-port';
import { VenueRejectedError } from '../venue-port';
import type { SymbolFilters } from './binance-instruments';
import { orderParams, portStatus, wireOrder } from './binance-mapping';

const listLeg = z.object({ symbol: z.string(), orderId: z.number(), clientOrderId: z.string() }).passthrough();

/** The answer of POST /api/v3/orderList/oco, GET and DELETE /api/v3/orderList. */
export const wireOrderList = z
  .object({
    orderListId: z.number(),
    contingencyType: z.string(),
    listStatusType: z.string(),
    listOrderStatus: z.string(),
    listClientOrderId: z.string(),
    symbol: z.string(),
    orders: z.array(listLeg),
    orderReports: z.array(wireOrder).optional(),
  })
  .passthrough();
export type WireOrderList = z.infer<typeof wireOrderList>;

/** The `listStatus` user data event. */
export const listStatus = z
  .object({
    e: z.literal('listStatus'),
    E: z.number(),
    s: z.string(),
    g: z.number(),
    c: z.string(),
    l: z.string(),
    L: z.string(),
    r: z.string().optional(),
    C: z.string(),
    T: z.number(),
    O: z.array(z.object({ s: z.string(), i: z.number(), c: z.string() })),
  })
  .passthrough();
export type ListStatus = z.infer<typeof listStatus>;

const reject = (m: string): never => {
  throw new VenueRejectedError(`Binance: ${m}`, 'binance_rule');
};

/** The list's client id: the pair's OCA group (`oco-<take-profit client id>`). */
export const listCidOf = (takeProfit: Order): string => takeProfit.ocaGroup ?? `oco-${takeProfit.clientOrderId}`;

/** POST /api/v3/orderList/oco parameters for a take-profit limit and its stop-loss; both legs pass Binance's filters first. */
export function ocoParams(inst: Instrument, f: SymbolFilters | undefined, tp: Order, sl: Order): Record<string, string> {
  if (tp.type !== 'limit' || tp.limitPrice === undefined) reject('an OCO pair is a limit take-profit plus a stop-loss.');
  if ((sl.type !== 'stop' && sl.type !== 'stop_limit') || sl.stopPrice === undefined) reject("an OCO pair's stop-loss needs a stop price.");
  if (tp.side !== sl.side || !new Decimal(tp.qty).eq(sl.qty)) reject('both legs of an OCO list have one side and one quantity.');
  if (tp.tif !== 'gtc' || sl.tif !== 'gtc') reject('OCO legs rest until one of them fills: send the pair as GTC.');
  const sell = tp.side === 'sell';
  if (sell ? !new Decimal(tp.limitPrice!).gt(sl.stopPrice!) : !new Decimal(tp.limitPrice!).lt(sl.stopPrice!))
    reject(`a ${sell ? 'SELL' : 'BUY'} OCO needs the take-profit ${sell ? 'above' : 'below'} the stop price (${tp.limitPrice} vs ${sl.stopPrice}).`);
  // Each leg as a single order would be sent: Binance's filters and the symbol's order types.
  const tpWire = orderParams(inst, f, sell ? { ...tp, postOnly: true } : tp);
  const slWire = orderParams(inst, f, sl);
  const stopLeg = (at: string): Record<string, string> => ({
    [`${at}Type`]: slWire['type']!,
    [`${at}StopPrice`]: sl.stopPrice!,
    ...(slWire['price'] !== undefined ? { [`${at}Price`]: slWire['price'], [`${at}TimeInForce`]: 'GTC' } : {}),
    [`${at}ClientOrderId`]: sl.clientOrderId,
  });
  const tpLeg: Record<string, string> = sell
    ? { aboveType: 'LIMIT_MAKER', abovePrice: tpWire['price']!, aboveClientOrderId: tp.clientOrderId }
    : { belowType: 'TAKE_PROFIT_LIMIT', belowStopPrice: tpWire['price']!, belowPrice: tpWire['price']!, belowTimeInForce: 'GTC', belowClientOrderId: tp.clientOrderId };
  return {
    symbol: inst.venueSymbol,
    side: tpWire['side']!,
    quantity: tp.qty,
    listClientOrderId: listCidOf(tp),
    ...tpLeg,
    ...stopLeg(sell ? 'below' : 'above'),
    newOrderRespType: 'RESULT',
  };
}

/** One ack per leg, in the order asked, found in the list by client id. */
export function ocoAcks(list: WireOrderList, legs: readonly Order[]): SubmitAck[] {
  return legs.map((o) => {
    const leg = list.orders.find((x) => x.clientOrderId === o.clientOrderId);
    if (!leg) throw new Error(`Binance's order list ${list.orderListId} does not name our leg ${o.clientOrderId}`);
    const rep = list.orderReports?.find((x) => x.orderId === leg.orderId);
    return { venueOrderId: String(leg.orderId), status: rep ? portStatus(rep.status) : 'accepted' };
  });
}

/** A list Binance refused after taking it (`L: REJECT`) rejects each of its legs, with Binance's reason. */
export function rejectedLegs(ls: ListStatus, instrumentId: string | undefined): VenueOrderReport[] {
  if (ls.L !== 'REJECT') return [];
  return ls.O.map((o) => ({
    clientOrderId: o.c,
    venueOrderId: String(o.i),
    status: 'rejected',
    filledQty: '0',
    avgFillPrice: '0',
    ts: ls.T,
    reason: `Binance rejected order list ${ls.C}: ${ls.r ?? 'no reason given'}`,
    ...(instrumentId ? { instrumentId } : {}),
    raw: ls,
  }));
}
