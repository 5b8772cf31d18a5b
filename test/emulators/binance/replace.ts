/**
 * Changing a working order, after rest-api.md:
 * - `POST /api/v3/order/cancelReplace` ("Cancel an Existing Order and Send a New Order"): the new
 *   order is checked (filters, type rules) BEFORE anything is cancelled; then the cancel (with
 *   `cancelRestrictions` ONLY_NEW / ONLY_PARTIALLY_FILLED as on DELETE /api/v3/order); then a
 *   brand-new order with exactly the `quantity` sent — Binance does not subtract what the
 *   cancelled order had executed. STOP_ON_FAILURE: a failed cancel → 400 -2022, new order
 *   NOT_ATTEMPTED; cancel done but new order refused → 409 -2021. ALLOW_FAILURE: the new order is
 *   tried even when the cancel failed (409 -2021 when one half worked, 400 -2022 when neither).
 * - `PUT /api/v3/order/amend/keepPriority` (faqs/order_amend_keep_priority.md): `newQty` replaces
 *   the order's quantity in place (same orderId, same place in the queue, what it executed is
 *   kept); only a decrease (-2038 "Order amend (quantity increase) is not supported.", an equal
 *   quantity -2038 "The requested action would change no state; rejecting"), at most
 *   MAX_NUM_ORDER_AMENDS (10) times per order (-2038). The docs (CHANGELOG 2026-04-02) say an
 *   amend can make the order expire: here that is when `newQty` is at or below what it has
 *   executed. Pushes an `executionReport` with `x: "REPLACED"`.
 */
import Decimal from 'decimal.js';
import { binanceError, ok, type BinanceAnswer } from './errors';
import { SYMBOLS, filterFailure } from './symbols';
import type { BnOrder } from './server';

export const MAX_NUM_ORDER_AMENDS = 10;

export interface ReplaceHost {
  cancel(p: URLSearchParams): BinanceAnswer;
  place(p: URLSearchParams, test: boolean): BinanceAnswer;
  withOrder(p: URLSearchParams, f: (o: BnOrder) => BinanceAnswer): BinanceAnswer;
  execution(o: BnOrder, x: string): void;
  now(): number;
  isOpen(o: BnOrder): boolean;
}

const CANCEL_KEYS: Record<string, string> = {
  cancelOrigClientOrderId: 'origClientOrderId',
  cancelOrderId: 'orderId',
  cancelNewClientOrderId: 'newClientOrderId',
  cancelRestrictions: 'cancelRestrictions',
};
const SIGNING = new Set(['signature', 'timestamp', 'recvWindow', 'cancelReplaceMode', 'orderRateLimitExceededMode']);

export function cancelReplace(h: ReplaceHost, p: URLSearchParams): BinanceAnswer {
  const mode = p.get('cancelReplaceMode');
  if (mode !== 'STOP_ON_FAILURE' && mode !== 'ALLOW_FAILURE') return binanceError(400, -1102, "Mandatory parameter 'cancelReplaceMode' was not sent, was empty/null, or malformed.");
  if (p.get('cancelOrigClientOrderId') === null && p.get('cancelOrderId') === null)
    return binanceError(400, -1102, "Param 'cancelOrigClientOrderId' or 'cancelOrderId' must be sent, but both were empty/null!");
  const cancelP = new URLSearchParams({ symbol: p.get('symbol') ?? '' });
  const newP = new URLSearchParams();
  for (const [k, v] of p.entries()) {
    if (CANCEL_KEYS[k]) cancelP.set(CANCEL_KEYS[k]!, v);
    else if (!SIGNING.has(k)) newP.set(k, v);
  }
  // "Filters and Order Count are evaluated before the processing of the cancellation and order placement occurs."
  const check = h.place(newP, true);
  if (check.status !== 200) return check;
  const cancelled = h.cancel(cancelP);
  const cancelOk = cancelled.status === 200;
  if (!cancelOk && mode === 'STOP_ON_FAILURE') return failed(400, -2022, { cancelResult: 'FAILURE', newOrderResult: 'NOT_ATTEMPTED', cancelResponse: cancelled.body, newOrderResponse: null });
  const placed = h.place(newP, false);
  const placedOk = placed.status === 200;
  const data = { cancelResult: cancelOk ? 'SUCCESS' : 'FAILURE', newOrderResult: placedOk ? 'SUCCESS' : 'FAILURE', cancelResponse: cancelled.body, newOrderResponse: placed.body };
  if (cancelOk && placedOk) return ok(data);
  return cancelOk || placedOk ? failed(409, -2021, data) : failed(400, -2022, data);
}

function failed(status: number, code: -2021 | -2022, data: unknown): BinanceAnswer {
  return { status, body: { code, msg: code === -2021 ? 'Order cancel-replace partially failed.' : 'Order cancel-replace failed.', data } };
}

/** Amendments per order id (MAX_NUM_ORDER_AMENDS). */
const amends = new WeakMap<BnOrder, number>();

export function amendKeepPriority(h: ReplaceHost, p: URLSearchParams): BinanceAnswer {
  const raw = p.get('newQty');
  if (raw === null || !/^\d+(\.\d+)?$/.test(raw)) return binanceError(400, -1102, "Mandatory parameter 'newQty' was not sent, was empty/null, or malformed.");
  return h.withOrder(p, (o) => {
    const spec = SYMBOLS.find((s) => s.symbol === o.symbol)!;
    if (!h.isOpen(o)) return binanceError(400, -2038, 'Unknown order sent.');
    const q = new Decimal(raw);
    if (q.lte(0)) return binanceError(400, -2038, 'Price * QTY is zero or less.');
    if (q.gt(o.origQty)) return binanceError(400, -2038, 'Order amend (quantity increase) is not supported.');
    if (q.eq(o.origQty)) return binanceError(400, -2038, 'The requested action would change no state; rejecting');
    const lot = filterFailure(spec, raw, null, new Decimal(o.price).gt(0) ? o.price : '1');
    if (lot === 'Filter failure: LOT_SIZE') return binanceError(400, -1013, lot);
    const n = amends.get(o) ?? 0;
    if (n >= MAX_NUM_ORDER_AMENDS) return binanceError(400, -2038, 'Filter failure: MAX_NUM_ORDER_AMENDS');
    amends.set(o, n + 1);
    const was = o.clientOrderId;
    o.clientOrderId = p.get('newClientOrderId') ?? `amend${o.orderId}x${n + 1}`;
    o.origQty = q.toFixed(8);
    o.updateTime = h.now();
    if (new Decimal(o.executedQty).gte(q)) o.status = 'EXPIRED';
    h.execution(o, 'REPLACED');
    return ok({
      transactTime: o.updateTime,
      executionId: o.orderId * 100 + n + 1,
      amendedOrder: {
        symbol: o.symbol,
        orderId: o.orderId,
        orderListId: o.orderListId,
        origClientOrderId: was,
        clientOrderId: o.clientOrderId,
        price: o.price,
        qty: o.origQty,
        executedQty: o.executedQty,
        preventedQty: '0.00000000',
        quoteOrderQty: o.origQuoteOrderQty,
        cumulativeQuoteQty: o.cummulativeQuoteQty,
        status: o.status,
        timeInForce: o.timeInForce,
        type: o.type,
        side: o.side,
        workingTime: o.workingTime,
        selfTradePreventionMode: o.selfTradePreventionMode,
      },
    });
  });
}
