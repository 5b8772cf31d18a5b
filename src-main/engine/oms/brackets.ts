/**
 * Brackets: an entry order plus a take-profit and/or stop-loss child, each its own order row with
 * its own client order id, the children linked to the entry by `parentOrderId`.
 *
 * - Journal before send, for the whole group: every leg and its first transition are committed
 *   in ONE SQLite transaction before the venue sees a byte (a crash leaves all legs or none).
 * - One send: the venue's bracket path (IB: parentId + transmit on the last leg) carries the
 *   group, so the children exist at the venue only together with their entry.
 * - Never blind-retry: an unknown outcome makes every leg still pending `unknown`, and each is
 *   looked up by its own client id, exactly like a single order.
 * - Cancelling the entry cancels its working children (the venue usually does it too; asking
 *   again for a child it already cancelled is harmless because cancel() re-reads its state).
 */
import type { PreviewLeg } from '../api/commands';
import type { OrderCapabilities } from '../domain/order-capabilities';
import { TradeportError } from '../api/errors';
import type { Actor, BracketLeg, Order } from '../domain/order';
import { isTerminal } from '../domain/order';
import type { NormalizedTicket } from '../domain/order-validation';
import type { Clock } from '../ports/clock';
import type { OrdersRepo, StoredOrder, TransitionRecord } from '../store/orders-repo';
import { OutcomeUnknownError, VenueRejectedError, type SubmitAck, type VenueConnector } from '../venues/venue-port';

/** The OCA group linking an OCO exit pair, named after its take-profit's client order id. */
export function ocoGroupName(takeProfitClientId: string): string {
  return `oco-${takeProfitClientId}`;
}

/** The children's own terms: opposite side, same quantity, the entry's TIF and session. */
export interface ChildTerms {
  readonly leg: BracketLeg;
  readonly type: Order['type'];
  readonly limitPrice?: string;
  readonly stopPrice?: string;
}

export function childTerms(t: Pick<NormalizedTicket, 'takeProfit' | 'stopLoss'>): ChildTerms[] {
  const out: ChildTerms[] = [];
  if (t.takeProfit) out.push({ leg: 'take_profit', type: 'limit', limitPrice: t.takeProfit.limitPrice });
  if (t.stopLoss) {
    out.push(
      t.stopLoss.limitPrice !== undefined
        ? { leg: 'stop_loss', type: 'stop_limit', stopPrice: t.stopLoss.stopPrice, limitPrice: t.stopLoss.limitPrice }
        : { leg: 'stop_loss', type: 'stop', stopPrice: t.stopLoss.stopPrice },
    );
  }
  return out;
}

const opposite = (s: Order['side']): Order['side'] => (s === 'buy' ? 'sell' : 'buy');

/** The legs as the unified preview lists them, entry first. */
export function bracketPreviewLegs(t: NormalizedTicket): PreviewLeg[] {
  const entry: PreviewLeg = {
    role: 'entry',
    side: t.side,
    type: t.type,
    qty: t.qty,
    tif: t.tif,
    ...(t.limitPrice !== undefined ? { limitPrice: t.limitPrice } : {}),
    ...(t.stopPrice !== undefined ? { stopPrice: t.stopPrice } : {}),
  };
  return [
    entry,
    ...childTerms(t).map((c) => ({
      role: c.leg,
      side: opposite(t.side),
      type: c.type,
      qty: t.qty,
      tif: t.tif,
      ...(c.limitPrice !== undefined ? { limitPrice: c.limitPrice } : {}),
      ...(c.stopPrice !== undefined ? { stopPrice: c.stopPrice } : {}),
    })),
  ];
}

/** The child order rows of an entry about to be journaled. */
export function bracketChildren(parent: StoredOrder, t: NormalizedTicket, ids: () => { id: string; clientOrderId: string }): StoredOrder[] {
  return childTerms(t).map((c) => {
    const { id, clientOrderId } = ids();
    const child: StoredOrder = {
      id,
      clientOrderId,
      venue: parent.venue,
      instrumentId: parent.instrumentId,
      symbol: parent.symbol,
      side: opposite(parent.side),
      type: c.type,
      qty: parent.qty,
      ...(c.limitPrice !== undefined ? { limitPrice: c.limitPrice } : {}),
      ...(c.stopPrice !== undefined ? { stopPrice: c.stopPrice } : {}),
      tif: parent.tif,
      ...(parent.extendedHours ? { extendedHours: true } : {}),
      parentOrderId: parent.id,
      leg: c.leg,
      status: 'pending_submit',
      filledQty: '0',
      avgFillPrice: '0',
      fees: '0',
      source: parent.source,
      route: parent.route,
      createdAt: parent.createdAt,
      updatedAt: parent.updatedAt,
    };
    return child;
  });
}

export interface BracketDeps {
  readonly repo: OrdersRepo;
  readonly clock: Clock;
  readonly connector: VenueConnector;
  readonly emit: (o: StoredOrder) => void;
  readonly transition: (o: StoredOrder, to: Order['status'], source: Actor, reason?: string, raw?: unknown) => boolean;
  readonly persist: (o: StoredOrder) => void;
  readonly scheduleLookup: (orderId: string) => void;
  /** The OMS's "submit in flight" set: reconciliation leaves these legs alone meanwhile. */
  readonly submitting: Set<string>;
}

/** Journals the whole group in one transaction, sends it once, and applies the acks leg by leg. */
export async function runBracket(d: BracketDeps, parent: StoredOrder, children: StoredOrder[], actor: Actor): Promise<StoredOrder> {
  const legs = [parent, ...children];
  const submitGroup = d.connector.submitBracketOrders?.bind(d.connector);
  if (!submitGroup) {
    // capabilities() said brackets but the connector has no bracket path: a venue bug, refused before journaling.
    throw new TradeportError('unsupported_order', `${d.connector.name} cannot send bracket orders; place the entry and its exits as separate orders.`);
  }
  const now = d.clock.now();
  d.repo.insertGroup(
    legs.map((o) => ({
      order: o,
      t: {
        orderId: o.id,
        from: null,
        to: 'pending_submit',
        accepted: true,
        source: actor,
        ...(o.parentOrderId ? { reason: `bracket ${o.leg} of ${parent.clientOrderId}` } : {}),
        ts: now,
      } satisfies TransitionRecord,
    })),
  );
  for (const o of legs) d.emit({ ...o });

  await sendGroup(d, legs, () => submitGroup(parent, children));
  return d.repo.byId(parent.id)!;
}

/**
 * Sends journaled legs in one venue call and applies the outcome leg by leg: acks in order; a
 * rejection rejects every leg still pending (the venue took none); anything else leaves them
 * `unknown`, each looked up by its own client id — never sent again.
 */
export async function sendGroup(d: BracketDeps, legs: readonly StoredOrder[], send: () => Promise<SubmitAck[]>): Promise<void> {
  for (const o of legs) d.submitting.add(o.id);
  try {
    const acks: SubmitAck[] = await send();
    legs.forEach((o, k) => {
      const ack = acks[k];
      const cur = d.repo.byId(o.id)!;
      if (!ack) return;
      cur.venueOrderId = ack.venueOrderId;
      if (cur.status === 'pending_submit' || cur.status === 'unknown') d.transition(cur, ack.status, 'venue', undefined, ack);
      else d.persist(cur);
    });
  } catch (err) {
    for (const o of legs) {
      const cur = d.repo.byId(o.id)!;
      if (err instanceof VenueRejectedError) {
        // The venue holds a group's legs until the last one transmits: refused means none works.
        if (cur.status !== 'pending_submit' && cur.status !== 'unknown') continue;
        cur.rejectReason = err.message;
        d.transition(cur, 'rejected', 'venue', err.message, { venueCode: err.venueCode });
      } else {
        const why = err instanceof OutcomeUnknownError ? err.message : `submit failed: ${(err as Error).message}`;
        if (cur.status === 'pending_submit') d.transition(cur, 'unknown', 'system', why);
        d.scheduleLookup(cur.id);
      }
    }
  } finally {
    for (const o of legs) d.submitting.delete(o.id);
  }
}

/**
 * The refusal of a trader's cancel of ONE exit leg where the venue holds both exits as one order
 * (capabilities().exitsAsOneOrder): the venue would cancel the other leg too. Nothing is sent; the
 * message names what to do instead: "Cancel both exits" (the blotter cancels the parent bracket).
 */
export function legCancelRefusal(order: StoredOrder, caps: OrderCapabilities | undefined, repo: OrdersRepo): TradeportError | undefined {
  if (!caps?.exitsAsOneOrder || !order.parentOrderId || (order.leg !== 'take_profit' && order.leg !== 'stop_loss')) return undefined;
  const parent = repo.byId(order.parentOrderId);
  return new TradeportError(
    'order_not_cancellable',
    `On ${order.venue} the take-profit and stop-loss are one order: cancelling the ${order.leg === 'take_profit' ? 'take-profit' : 'stop-loss'} alone would cancel both. Choose "Cancel both exits" (the blotter offers it on either leg${parent ? `; or cancel the bracket, order ${parent.clientOrderId}` : ''}), or modify the leg.`,
  );
}

/**
 * Cancels an order and, when it is a bracket entry, its working children. The entry's own cancel
 * decides the result (and its errors); a child the venue already cancelled with its parent is
 * skipped, and a child cancel that fails is reported as a notice, not as the entry's failure. A
 * bracket whose entry has already finished (filled) is cancelled by cancelling its working exits.
 */
export async function cancelWithChildren(
  repo: OrdersRepo,
  cancel: (orderId: string) => Promise<StoredOrder>,
  orderId: string,
  onChildProblem: (child: StoredOrder, err: Error) => void,
): Promise<StoredOrder> {
  const parent = repo.byId(orderId);
  const finishedWithExits = parent !== undefined && isTerminal(parent.status) && repo.children(orderId).some((c) => !isTerminal(c.status) && c.status !== 'pending_cancel');
  const after = finishedWithExits ? parent : await cancel(orderId);
  for (const child of repo.children(orderId)) {
    const cur = repo.byId(child.id)!;
    if (isTerminal(cur.status) || cur.status === 'pending_cancel') continue;
    try {
      await cancel(cur.id);
    } catch (err) {
      const again = repo.byId(child.id)!;
      // The venue cancelled it with its parent while we asked: that is the outcome we wanted.
      if (!isTerminal(again.status)) onChildProblem(again, err as Error);
    }
  }
  return repo.byId(after.id)!;
}

/** The ticket's advanced terms as order fields (only those present). */
export function ticketExtras(t: NormalizedTicket): Pick<Order, 'trailAmount' | 'trailPercent' | 'extendedHours' | 'ocaGroup' | 'expireAt' | 'postOnly' | 'reduceOnly' | 'notional'> {
  return {
    ...(t.expireAt !== undefined ? { expireAt: t.expireAt } : {}),
    ...(t.postOnly ? { postOnly: true } : {}),
    ...(t.reduceOnly ? { reduceOnly: true } : {}),
    ...(t.notional !== undefined ? { notional: t.notional } : {}),
    ...(t.trailAmount !== undefined ? { trailAmount: t.trailAmount } : {}),
    ...(t.trailPercent !== undefined ? { trailPercent: t.trailPercent } : {}),
    ...(t.extendedHours ? { extendedHours: true } : {}),
    ...(t.ocaGroup !== undefined ? { ocaGroup: t.ocaGroup } : {}),
  };
}

/**
 * Idempotency beyond the basic terms: a repeated client id is the same order only if its trail,
 * session, OCA group and bracket legs match too (a double-click repeats all of them).
 */
export function sameAdvanced(o: StoredOrder, t: NormalizedTicket, repo: OrdersRepo): boolean {
  if ((o.trailAmount ?? '') !== (t.trailAmount ?? '') || (o.trailPercent ?? '') !== (t.trailPercent ?? '')) return false;
  // An OCO pair's group is made from its take-profit's client id (oms/oco.ts); the ticket names none.
  const group = t.oco ? ocoGroupName(o.clientOrderId) : (t.ocaGroup ?? '');
  if (!!o.extendedHours !== !!t.extendedHours || (o.ocaGroup ?? '') !== group) return false;
  if (t.oco) return o.leg === 'take_profit' && sameOcoStop(o, t, repo);
  if ((o.expireAt ?? 0) !== (t.expireAt ?? 0) || !!o.postOnly !== !!t.postOnly || !!o.reduceOnly !== !!t.reduceOnly || (o.notional ?? '') !== (t.notional ?? '')) return false;
  const want = childTerms(t);
  const have = repo.children(o.id);
  return want.length === have.length && want.every((c, k) => sameLeg(have[k]!, c));
}

const sameLeg = (h: StoredOrder, c: ChildTerms): boolean => h.leg === c.leg && h.type === c.type && (h.limitPrice ?? '') === (c.limitPrice ?? '') && (h.stopPrice ?? '') === (c.stopPrice ?? '');

/** An OCO pair repeats only with the same stop-loss: found by the pair's group, beside its take-profit. */
function sameOcoStop(takeProfit: StoredOrder, t: NormalizedTicket, repo: OrdersRepo): boolean {
  const want = childTerms(t).find((c) => c.leg === 'stop_loss');
  const have = repo.ocaMembers(takeProfit.venue, ocoGroupName(takeProfit.clientOrderId)).find((m) => m.leg === 'stop_loss');
  return want !== undefined && have !== undefined && sameLeg(have, want);
}
