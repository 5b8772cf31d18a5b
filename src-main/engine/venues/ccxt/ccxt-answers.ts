/**
 * Cancels and edits: the order an edit asks for, and what an exchange's answer means when ccxt
 * could not parse an order from it (a bare acknowledgement): ccxt then returns an order with no
 * status, the exchange's own body in `info`.
 */
import type { Order } from '../../domain/order';
import type { ReplaceChanges } from '../venue-port';
import { refuseReplaceIfPartlyFilled } from '../submit-errors';
import type { CcxtOrderLike } from './ccxt-mapping';

const num = (x: unknown): number | undefined => (typeof x === 'number' ? x : typeof x === 'string' && x.trim() !== '' ? Number(x) : undefined);

/**
 * True when the exchange said it cancelled nothing: an answer counting the orders it cancelled
 * at 0 (Kraken CancelOrder `{"result":{"count":0}}` for an order already closed:
 * https://docs.kraken.com/api-reference/trading/cancel-order).
 */
export function cancelledNothing(answer: unknown): boolean {
  const info = (answer as { info?: unknown } | undefined)?.info as Record<string, unknown> | undefined;
  if (!info || typeof info !== 'object') return false;
  const result = info['result'] as Record<string, unknown> | undefined;
  return num(result && typeof result === 'object' ? result['count'] : info['count']) === 0;
}

/**
 * The order's exchange id after an edit: a parsed order (it has a status) is the order as it now
 * stands — a new id where the exchange replaces the order (Binance cancelReplace); a bare
 * acknowledgement carries the amend's own id at most (Kraken AmendOrder `amend_id`), the order
 * keeps its id.
 */
export function editedOrderId(answer: CcxtOrderLike, id: string): string {
  return answer.status !== undefined && answer.status !== null && answer.id ? answer.id : id;
}

/** Our order with the replace's changes applied (what the edit asks the exchange for). */
export function changedOrder(order: Order, changes: ReplaceChanges): Order {
  const limitPrice = changes.limitPrice ?? order.limitPrice;
  const stopPrice = changes.stopPrice ?? order.stopPrice;
  return { ...order, qty: changes.qty ?? order.qty, ...(limitPrice !== undefined ? { limitPrice } : {}), ...(stopPrice !== undefined ? { stopPrice } : {}) };
}

/**
 * ccxt's editOrder sends the order's full quantity. Where the exchange carries the edit out as
 * cancel + new order (Binance's order/cancelReplace) the new order does not count what the old one
 * executed, and which way an exchange goes shows only in its answer: a partly filled order
 * modified through ccxt could fill again up to its full quantity. So it is refused, before
 * anything is sent, with what the trader can do instead. `venueFilled`: what the exchange reports
 * filled just now; the larger of it and the journal's figure counts.
 */
export function refuseIfPartlyFilled(exchange: string, order: Order, venueFilled: string | undefined): void {
  refuseReplaceIfPartlyFilled(exchange, order, venueFilled, 'Modifying it through ccxt could fill the whole quantity again (the exchange may carry the change out as cancel + new order)');
}
