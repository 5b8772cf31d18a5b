/**
 * Replace (modify) of a working order, with the same guarantees as place and cancel:
 *
 * - Validate first: the merged ticket (the order with the changes applied) passes the same
 *   instrument checks as a new ticket, and its quantity stays above what has already filled.
 * - Journal before send: the order moves to `pending_replace` with the requested change in the
 *   transition's raw record and in `replace_request` (with the state to go back to) before the
 *   venue is asked, so a crash mid-replace leaves a record of what may have changed.
 * - The venue's word sets the terms: on ack the order takes the quantity and prices the venue
 *   says are live; on a refusal it works on unchanged; on an unknown outcome it is looked up
 *   (the venue's report says which quantity and price are live) and the change is never resent.
 * - Fills keep arriving during `pending_replace` and are applied as usual.
 */
import { TradeportError } from '../api/errors';
import type { Instrument } from '../domain/instrument';
import { Decimal, parseDecimal, toStr } from '../domain/money';
import type { Actor, Order, OrderStatus } from '../domain/order';
import { isTerminal } from '../domain/order';
import { checkTicket, type NormalizedTicket } from '../domain/order-validation';
import type { Clock } from '../ports/clock';
import type { OrdersRepo, ReplaceRequest, StoredOrder } from '../store/orders-repo';
import { VenueRejectedError, type ReplaceAck, type ReplaceChanges, type VenueConnector, type VenueOrderReport } from '../venues/venue-port';
import type { TransitionSource } from './order-manager';

/** What a caller may ask to change (raw input; validated by `mergeReplace`). */
export interface ReplaceInput {
  readonly qty?: unknown;
  readonly limitPrice?: unknown;
  readonly stopPrice?: unknown;
}

/** Order types whose terms the engine knows how to compare and modify. */
const MODIFIABLE_TYPES: ReadonlySet<string> = new Set(['market', 'limit', 'stop', 'stop_limit']);

/**
 * Checks a change against the order and its instrument. Returns the ticket the order would have
 * afterwards and only the fields that actually change (an empty object: nothing to send).
 */
export function mergeReplace(order: Order, input: ReplaceInput, inst: Instrument): { ticket: NormalizedTicket; changes: ReplaceChanges } {
  const given = (v: unknown) => v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '');
  if (!given(input.qty) && !given(input.limitPrice) && !given(input.stopPrice)) {
    throw new TradeportError('invalid_input', 'Say what to change: a new quantity, limit price or stop price.');
  }
  if (!MODIFIABLE_TYPES.has(order.type)) {
    throw new TradeportError('unsupported_order', `A ${order.type} order cannot be modified in Tradeport; cancel it and place a new one.`);
  }
  if (order.notional !== undefined) {
    throw new TradeportError('unsupported_order', `Order ${order.clientOrderId} is sized in money (${order.notional}); it cannot be modified — cancel it and place a new one.`);
  }
  const r = checkTicket(
    {
      side: order.side,
      type: order.type,
      expireAt: order.expireAt,
      ...(order.postOnly ? { postOnly: true } : {}),
      ...(order.reduceOnly ? { reduceOnly: true } : {}),
      qty: given(input.qty) ? input.qty : order.qty,
      limitPrice: given(input.limitPrice) ? input.limitPrice : order.limitPrice,
      stopPrice: given(input.stopPrice) ? input.stopPrice : order.stopPrice,
      tif: order.tif,
    },
    inst,
  );
  if (!r.ok) {
    // The merged ticket names the order's type; the trader only sent the change, so say so.
    throw new TradeportError(r.problem.code, r.problem.message, { field: r.problem.field });
  }
  const t = r.ticket;
  const filled = new Decimal(order.filledQty);
  if (new Decimal(t.qty).lte(filled)) {
    throw new TradeportError('invalid_quantity', `The new quantity ${t.qty} must be more than the ${toStr(filled)} already filled. To stop the rest of order ${order.clientOrderId}, cancel it.`, {
      field: 'qty',
    });
  }
  const changes: { qty?: string; limitPrice?: string; stopPrice?: string } = {};
  if (!new Decimal(t.qty).eq(order.qty)) changes.qty = t.qty;
  if (t.limitPrice !== undefined && !sameDecimal(t.limitPrice, order.limitPrice)) changes.limitPrice = t.limitPrice;
  if (t.stopPrice !== undefined && !sameDecimal(t.stopPrice, order.stopPrice)) changes.stopPrice = t.stopPrice;
  return { ticket: t, changes };
}

function sameDecimal(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  return !!x && !!y && x.eq(y);
}

/** Why an order in this state cannot be modified now, or undefined when it can. */
export function notModifiableReason(o: Order): string | undefined {
  switch (o.status) {
    case 'accepted':
    case 'partially_filled':
      return undefined;
    case 'pending_replace':
      return `A change to order ${o.clientOrderId} is already on its way to ${o.venue}; wait for its answer, then modify again.`;
    case 'pending_cancel':
      return `Order ${o.clientOrderId} is being cancelled; it cannot be modified.`;
    case 'pending_submit':
    case 'submitted':
    case 'unknown':
      return `Order ${o.clientOrderId} is not acknowledged by ${o.venue} yet (${o.status}); modify it once it shows as working.`;
    default:
      return `Order ${o.clientOrderId} is already ${o.status}; there is nothing to modify.`;
  }
}

/** The parts of the OrderManager a replace needs. */
export interface ReplaceHost {
  readonly repo: OrdersRepo;
  readonly clock: Clock;
  connector(venue: string, route: StoredOrder['route']): VenueConnector | undefined;
  transition(order: StoredOrder, to: OrderStatus, source: TransitionSource, reason?: string, raw?: unknown): boolean;
  persist(order: StoredOrder): void;
  applyReport(venue: string, r: VenueOrderReport, source: TransitionSource): StoredOrder | undefined;
  scheduleLookup(orderId: string): void;
  /** Orders whose replace call has not returned yet in this process. */
  readonly replacing: Set<string>;
}

export async function runReplace(h: ReplaceHost, orderId: string, changes: ReplaceChanges, actor: Actor, gate?: () => void): Promise<StoredOrder> {
  const order = h.repo.byId(orderId);
  if (!order) throw new TradeportError('order_not_found', `No order ${orderId}.`);
  const why = notModifiableReason(order);
  if (why) throw new TradeportError('order_not_modifiable', why);
  const connector = h.connector(order.venue, order.route);
  if (!connector) throw new TradeportError('venue_unavailable', `Venue "${order.venue}" is not running; the order stays as it is.`);
  if (!connector.replace) throw new TradeportError('unsupported_order', `${order.venue} cannot modify orders; cancel and place a new one.`);
  if (changes.qty === undefined && changes.limitPrice === undefined && changes.stopPrice === undefined) return order;
  gate?.();

  const from = order.status as ReplaceRequest['from'];
  const before = { qty: order.qty, ...(order.limitPrice ? { limitPrice: order.limitPrice } : {}), ...(order.stopPrice ? { stopPrice: order.stopPrice } : {}) };
  order.replaceRequest = { ...changes, from, ts: h.clock.now() };
  // Journal before send: the intent (and where to go back to) is committed before the venue hears of it.
  if (!h.transition(order, 'pending_replace', actor, `replace requested: ${describe(before, changes)}`, { replace: changes, before })) {
    throw new TradeportError('order_not_modifiable', `Order ${order.clientOrderId} cannot be modified from ${order.status}.`);
  }

  h.replacing.add(order.id);
  let ack: ReplaceAck;
  try {
    ack = await connector.replace(order, changes);
  } catch (err) {
    h.replacing.delete(order.id);
    if (err instanceof VenueRejectedError) {
      const cur = h.repo.byId(order.id)!;
      delete cur.replaceRequest;
      if (cur.status === 'pending_replace') {
        // Refused: the order works on with its old terms (fills during the attempt count).
        h.transition(cur, workingState(cur), 'venue', `replace refused: ${err.message}`, { venueCode: err.venueCode, replace: changes });
      } else h.persist(cur);
      throw new TradeportError('venue_rejected', `${order.venue} refused the change to order ${order.clientOrderId}: ${err.message} The order works on unchanged.`, { venueCode: err.venueCode });
    }
    // Timeout, dropped socket, or a bug after the bytes left: we cannot know which terms are live.
    // Ask the venue; never send the change again.
    const report = await connector.lookup(order.clientOrderId).catch(() => undefined);
    if (report) return h.applyReport(order.venue, report, 'reconcile') ?? h.repo.byId(order.id)!;
    // The order stays pending_replace (its replace_request says what may have changed) until a
    // lookup or the next reconciliation hears from the venue.
    h.scheduleLookup(order.id);
    return h.repo.byId(order.id)!;
  }
  h.replacing.delete(order.id);
  return applyReplaceAck(h, order.id, ack);
}

/** The venue took the change: store the terms it says are live and go back to working. */
function applyReplaceAck(h: ReplaceHost, orderId: string, ack: ReplaceAck): StoredOrder {
  const cur = h.repo.byId(orderId)!;
  applyTerms(cur, ack);
  delete cur.replaceRequest;
  if (ack.venueOrderId && !cur.venueOrderId) cur.venueOrderId = ack.venueOrderId;
  if (cur.status === 'pending_replace') {
    const to: OrderStatus = new Decimal(cur.filledQty).gte(cur.qty) ? 'filled' : isTerminal(ack.status) && ack.status !== 'filled' ? ack.status : workingState(cur);
    h.transition(cur, to, 'venue', `replaced: ${describe({}, ack)}`, { replaced: ack });
  } else {
    // A fill or a cancel overtook the ack; its state stands, the terms are still the venue's.
    cur.updatedAt = h.clock.now();
    h.persist(cur);
  }
  return h.repo.byId(orderId)!;
}

/** Working state for the filled quantity: where a replace returns to. */
export function workingState(o: Order): 'accepted' | 'partially_filled' {
  return new Decimal(o.filledQty).gt(0) ? 'partially_filled' : 'accepted';
}

/**
 * Copies the terms a venue reports as live onto the local order. Only positive decimals count,
 * and only prices the order type uses (a venue may send 0 or a sentinel for an unused price).
 * Returns whether anything changed.
 */
export function applyTerms(o: StoredOrder, t: { readonly qty?: string | undefined; readonly limitPrice?: string | undefined; readonly stopPrice?: string | undefined }): boolean {
  if (!MODIFIABLE_TYPES.has(o.type)) return false;
  const w = o as { qty: string; limitPrice?: string; stopPrice?: string };
  let changed = false;
  const q = parseDecimal(t.qty);
  if (q && q.gt(0) && !q.eq(o.qty)) {
    w.qty = toStr(q);
    changed = true;
  }
  const usesLimit = o.type === 'limit' || o.type === 'stop_limit';
  const usesStop = o.type === 'stop' || o.type === 'stop_limit';
  const l = parseDecimal(t.limitPrice);
  if (usesLimit && l && l.gt(0) && !sameDecimal(toStr(l), o.limitPrice)) {
    w.limitPrice = toStr(l);
    changed = true;
  }
  const s = parseDecimal(t.stopPrice);
  if (usesStop && s && s.gt(0) && !sameDecimal(toStr(s), o.stopPrice)) {
    w.stopPrice = toStr(s);
    changed = true;
  }
  return changed;
}

function describe(before: { qty?: string; limitPrice?: string; stopPrice?: string }, after: { qty?: string; limitPrice?: string; stopPrice?: string }): string {
  const parts: string[] = [];
  const one = (label: string, a: string | undefined, b: string | undefined) => {
    if (b === undefined) return;
    parts.push(a !== undefined ? `${label} ${a} → ${b}` : `${label} ${b}`);
  };
  one('qty', before.qty, after.qty);
  one('limit', before.limitPrice, after.limitPrice);
  one('stop', before.stopPrice, after.stopPrice);
  return parts.join(', ') || 'no change';
}
