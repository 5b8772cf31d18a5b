/**
 * OCO exit pairs: a take-profit limit and a stop-loss, both on one side, protecting a position
 * already held; the first to fill cancels the other. Two order rows, each with its own client id,
 * linked by one OCA group named after the take-profit (`oco-<client id>`) and by `leg`.
 *
 * - Journal before send: both rows and their first transition in ONE transaction.
 * - A venue that takes the pair as one order (capabilities().ocoExits: Alpaca `order_class: oco`)
 *   gets one call. A venue with OCA groups (IB, Paper, SHADOW) gets two orders in one group, the
 *   take-profit first; if it is refused, the stop-loss is not sent (it would be a lone stop the
 *   trader did not ask for) and is rejected locally with the reason.
 * - Never blind-retry: an unknown outcome leaves the leg `unknown`, looked up by its client id.
 */
import type { PreviewLeg } from '../api/commands';
import { TradeportError } from '../api/errors';
import type { Actor } from '../domain/order';
import type { NormalizedTicket } from '../domain/order-validation';
import { BASIC_CAPABILITIES } from '../domain/order-capabilities';
import type { StoredOrder } from '../store/orders-repo';
import type { VenueConnector } from '../venues/venue-port';
import { childTerms, ocoGroupName, sendGroup, type BracketDeps } from './brackets';

/** The two legs as the preview lists them: take-profit, then stop-loss, on the ticket's side. */
export function ocoPreviewLegs(t: NormalizedTicket): PreviewLeg[] {
  const sl = childTerms(t).find((c) => c.leg === 'stop_loss')!;
  return [
    { role: 'take_profit', side: t.side, type: 'limit', qty: t.qty, tif: t.tif, limitPrice: t.limitPrice! },
    {
      role: 'stop_loss',
      side: t.side,
      type: sl.type,
      qty: t.qty,
      tif: t.tif,
      ...(sl.limitPrice !== undefined ? { limitPrice: sl.limitPrice } : {}),
      ...(sl.stopPrice !== undefined ? { stopPrice: sl.stopPrice } : {}),
    },
  ];
}

/** The pair's rows from the take-profit row the OMS built from the ticket. */
export function ocoOrders(base: StoredOrder, t: NormalizedTicket, ids: () => { id: string; clientOrderId: string }): [StoredOrder, StoredOrder] {
  const group = ocoGroupName(base.clientOrderId);
  const sl = childTerms(t).find((c) => c.leg === 'stop_loss');
  if (!sl) throw new TradeportError('invalid_bracket', 'An OCO exit pair needs a stop-loss.');
  const takeProfit: StoredOrder = { ...base, ocaGroup: group, leg: 'take_profit' };
  // The stop-loss keeps the pair's side, size, TIF and route; its prices are its own.
  const rest: StoredOrder = { ...base };
  delete (rest as { limitPrice?: string }).limitPrice;
  const stopLoss: StoredOrder = {
    ...rest,
    ...ids(),
    type: sl.type,
    ...(sl.stopPrice !== undefined ? { stopPrice: sl.stopPrice } : {}),
    ...(sl.limitPrice !== undefined ? { limitPrice: sl.limitPrice } : {}),
    ocaGroup: group,
    leg: 'stop_loss',
  };
  return [takeProfit, stopLoss];
}

/** Journals the pair in one transaction and sends it: one call where the venue can, else two in one OCA group. */
export async function runOco(d: BracketDeps, takeProfit: StoredOrder, stopLoss: StoredOrder, actor: Actor): Promise<StoredOrder> {
  const c: VenueConnector = d.connector;
  const caps = c.capabilities?.() ?? BASIC_CAPABILITIES;
  const asOne = caps.ocoExits === true && c.submitOcoOrders !== undefined;
  if (!asOne && !caps.oca) throw new TradeportError('unsupported_order', `${c.name} cannot link two orders one-cancels-other; place the take-profit and the stop-loss separately.`);
  const now = d.clock.now();
  d.repo.insertGroup(
    [takeProfit, stopLoss].map((o) => ({
      order: o,
      t: { orderId: o.id, from: null, to: 'pending_submit' as const, accepted: true, source: actor, reason: `OCO ${o.leg} (${o.ocaGroup})`, ts: now },
    })),
  );
  for (const o of [takeProfit, stopLoss]) d.emit({ ...o });

  if (asOne) {
    await sendGroup(d, [takeProfit, stopLoss], () => c.submitOcoOrders!(takeProfit, stopLoss));
  } else {
    await sendGroup(d, [takeProfit], async () => [await c.submit(takeProfit)]);
    const tp = d.repo.byId(takeProfit.id)!;
    if (tp.status === 'rejected') {
      const cur = d.repo.byId(stopLoss.id)!;
      const why = `not sent: its take-profit ${tp.clientOrderId} was rejected (${tp.rejectReason ?? 'no reason given'})`;
      cur.rejectReason = why;
      d.transition(cur, 'rejected', 'system', why);
    } else {
      await sendGroup(d, [stopLoss], async () => [await c.submit(stopLoss)]);
    }
  }
  return d.repo.byId(takeProfit.id)!;
}
