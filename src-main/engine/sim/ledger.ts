/**
 * Turns the matching engine's events into the simulated venue's own records (order rows and
 * fills in SimStore) and the reports every venue gives the engine. Shared by the Paper venue and
 * the SHADOW route, which run the same matching engine on different books.
 */
import { Decimal, toStr } from '../domain/money';
import type { Order, OrderStatus } from '../domain/order';
import type { VenueFillReport, VenueOrderReport } from '../ports/venue-reports';
import type { MatchEvent, SimOrderInput, PersistedSimOrder } from './matching-engine';
import type { SimFillRow, SimOrderRow, SimStore } from './sim-store';

export interface LedgerOptions {
  /** Prefixed to fill ids (SHADOW keeps its fills apart from Paper's in the same tables). */
  readonly fillIdPrefix?: string;
  /** Attached to every report, e.g. `{shadow: true}`. */
  readonly raw?: unknown;
  /** Called for each newly recorded fill, inside the caller's transaction (cash and positions). */
  readonly onFill?: (row: SimOrderRow, fill: SimFillRow) => void;
}

export interface LedgerResult {
  readonly reports: VenueOrderReport[];
  readonly fills: VenueFillReport[];
}

/** Applies match events to the stored orders; call inside a transaction, report after commit. */
export function applyMatchEvents(store: SimStore, events: readonly MatchEvent[], now: number, opts: LedgerOptions = {}): LedgerResult {
  const reports: VenueOrderReport[] = [];
  const fills: VenueFillReport[] = [];
  for (const e of events) {
    const row = store.orderByVenueId(e.orderId);
    if (!row) continue;
    let status: OrderStatus = row.status;
    let stopMoved = false;
    switch (e.type) {
      case 'accepted':
        status = row.status === 'submitted' ? 'accepted' : row.status;
        row.expiresAt = e.expiresAt ?? null;
        break;
      case 'triggered':
        row.triggered = true;
        break;
      case 'trail':
        // A new extreme does not always move the stop (a percent trail rounds to ticks): only a
        // moved stop is reported, so a trending market sends one report per step of the stop.
        stopMoved = row.trailStop === null || !new Decimal(row.trailStop).eq(e.stopPrice);
        row.trailExtreme = e.extreme;
        row.trailStop = e.stopPrice;
        break;
      case 'bracket':
        row.releasedQty = e.releasedQty;
        row.exitedQty = e.exitedQty;
        break;
      case 'replaced':
        row.qty = e.qty;
        row.limitPrice = e.limitPrice ?? null;
        row.stopPrice = e.stopPrice ?? null;
        row.createdAt = e.priorityAt;
        break;
      case 'fill': {
        const prev = new Decimal(row.filledQty);
        const q = new Decimal(e.qty);
        row.avgFillPrice = toStr(prev.mul(row.avgFillPrice).plus(q.mul(e.price)).div(prev.plus(q)).toDecimalPlaces(12));
        row.filledQty = e.filledQty;
        status = e.done ? 'filled' : 'partially_filled';
        const f: SimFillRow = {
          fillId: `${opts.fillIdPrefix ?? ''}${e.fillId}`,
          venueOrderId: row.venueOrderId,
          clientOrderId: row.clientOrderId,
          instrumentId: row.instrumentId,
          side: row.side,
          qty: e.qty,
          price: e.price,
          fee: e.fee,
          feeCurrency: e.feeCurrency,
          liquidity: e.liquidity,
          ts: e.ts,
        };
        // A fill id already stored (a replayed book) moves nothing.
        if (store.insertFill(f)) {
          opts.onFill?.(row, f);
          fills.push(simFillReport(f, opts.raw));
        }
        break;
      }
      case 'cancelled':
      case 'expired':
      case 'rejected':
        status = e.type;
        row.reason = e.reason;
        // The engine names orders by venue id; the trader knows the sibling by its client order id.
        if (e.type === 'cancelled' && e.ocaOf !== undefined) row.reason = `OCA: ${store.orderByVenueId(e.ocaOf)?.clientOrderId ?? e.ocaOf} filled`;
        break;
    }
    row.status = status;
    row.updatedAt = now;
    store.saveOrder(row);
    // Internal state (a trigger, a bracket's quantities, a new extreme that left the stop where it
    // was) is persisted, not reported: the order's status did not change. A trailing stop's moved
    // stop is reported (same status) so the engine's order shows where the stop is now.
    if (e.type === 'trail' ? stopMoved : e.type !== 'triggered' && e.type !== 'bracket') reports.push(simOrderReport(row, opts.raw));
  }
  return { reports, fills };
}

export function simOrderReport(r: SimOrderRow, raw?: unknown): VenueOrderReport {
  return {
    clientOrderId: r.clientOrderId,
    venueOrderId: r.venueOrderId,
    status: r.status,
    filledQty: r.filledQty,
    avgFillPrice: r.avgFillPrice,
    ...(r.reason ? { reason: r.reason } : {}),
    ts: r.updatedAt,
    instrumentId: r.instrumentId,
    side: r.side,
    type: r.type,
    qty: r.qty,
    ...(r.limitPrice ? { limitPrice: r.limitPrice } : {}),
    ...(r.stopPrice ? { stopPrice: r.stopPrice } : {}),
    ...(r.type === 'trailing_stop' && r.trailStop ? { trailStop: r.trailStop } : {}),
    tif: r.tif,
    ...(raw !== undefined ? { raw } : {}),
  };
}

export function simFillReport(f: SimFillRow, raw?: unknown): VenueFillReport {
  const { fillId, ...rest } = f;
  return { ...rest, venueFillId: fillId, ...(raw !== undefined ? { raw } : {}) };
}

/**
 * Records a new order at the simulated venue under the next venue order id (`<prefix><seq>`) and
 * returns it with the input the matching engine takes. One transaction: the id counter and the row.
 */
export function recordNewOrder(store: SimStore, order: Order, idPrefix: string, now: number, parentVenueOrderId?: string): { row: SimOrderRow; input: SimOrderInput } {
  const seq = (store.getState<number>('orderSeq') ?? 0) + 1;
  const venueOrderId = `${idPrefix}${seq}`;
  const row: SimOrderRow = {
    venueOrderId,
    clientOrderId: order.clientOrderId,
    instrumentId: order.instrumentId,
    side: order.side,
    type: order.type,
    qty: order.qty,
    limitPrice: order.limitPrice ?? null,
    stopPrice: order.stopPrice ?? null,
    tif: order.tif,
    status: 'submitted',
    filledQty: '0',
    avgFillPrice: '0',
    triggered: false,
    expiresAt: null,
    reason: null,
    createdAt: now,
    updatedAt: now,
    trailAmount: order.trailAmount ?? null,
    trailPercent: order.trailPercent ?? null,
    trailExtreme: null,
    trailStop: null,
    ocaGroup: order.ocaGroup ?? null,
    parentId: parentVenueOrderId ?? null,
    releasedQty: parentVenueOrderId !== undefined ? '0' : null,
    exitedQty: parentVenueOrderId !== undefined ? '0' : null,
  };
  store.transaction(() => {
    store.setState('orderSeq', seq);
    store.saveOrder(row);
  });
  const input: SimOrderInput = {
    id: venueOrderId,
    instrumentId: order.instrumentId,
    side: order.side,
    type: order.type,
    tif: order.tif,
    qty: order.qty,
    ...(order.limitPrice ? { limitPrice: order.limitPrice } : {}),
    ...(order.stopPrice ? { stopPrice: order.stopPrice } : {}),
    ...(order.trailAmount ? { trailAmount: order.trailAmount } : {}),
    ...(order.trailPercent ? { trailPercent: order.trailPercent } : {}),
    ...(order.ocaGroup ? { ocaGroup: order.ocaGroup } : {}),
    ...(parentVenueOrderId !== undefined ? { parentId: parentVenueOrderId } : {}),
  };
  return { row, input };
}

/** A stored working order as the matching engine restores it (Paper venue and SHADOW alike). */
export function persistedFromRow(o: SimOrderRow): PersistedSimOrder {
  return {
    id: o.venueOrderId,
    instrumentId: o.instrumentId,
    side: o.side,
    type: o.type,
    tif: o.tif,
    qty: o.qty,
    ...(o.limitPrice ? { limitPrice: o.limitPrice } : {}),
    ...(o.stopPrice ? { stopPrice: o.stopPrice } : {}),
    filledQty: o.filledQty,
    triggered: o.triggered,
    ...(o.expiresAt !== null ? { expiresAt: o.expiresAt } : {}),
    createdAt: o.createdAt,
    ...(o.trailAmount ? { trailAmount: o.trailAmount } : {}),
    ...(o.trailPercent ? { trailPercent: o.trailPercent } : {}),
    ...(o.trailExtreme ? { trailExtreme: o.trailExtreme } : {}),
    ...(o.trailStop ? { trailStop: o.trailStop } : {}),
    ...(o.ocaGroup ? { ocaGroup: o.ocaGroup } : {}),
    ...(o.parentId ? { parentId: o.parentId, releasedQty: o.releasedQty ?? '0', exitedQty: o.exitedQty ?? '0' } : {}),
  };
}
