/**
 * The connector's view of every order TWS tells it about (ours and those typed into TWS), kept
 * current by TWS's openOrder / orderStatus / completedOrder streams, and the waiters order entry
 * registers on them (acks, cancels, modifies, what-ifs). One report per real change goes to the
 * engine.
 */
import type { Contract, Order as IbOrder, OrderState } from '@stoqey/ib';
import { Decimal, toStr, ZERO } from '../../domain/money';
import type { Order, OrderStatus } from '../../domain/order';
import { isTerminal } from '../../domain/order';
import { VenueRejectedError, type VenueOrderReport } from '../venue-port';
import { CANCELLED, isWarning } from './ibkr-errors';
import { wireDecimal } from './ibkr-instruments';
import { pricesFromIb, statusFromIb, tifFromIb, typeFromIb, whatIfFromState, type WhatIfNumbers } from './ibkr-mapping';
import type { IbkrScope } from './ibkr-requests';

export interface OrderView {
  readonly venueOrderId: string;
  readonly ours: boolean;
  orderId: number;
  clientId: number;
  permId: number;
  clientOrderId: string;
  instrumentId?: string;
  side?: Order['side'];
  type?: Order['type'];
  qty?: string;
  limitPrice?: string;
  stopPrice?: string;
  /** TRAIL: the stop TWS last reported (trailStopPrice). */
  trailStop?: string;
  tif?: Order['tif'];
  ibStatus: string;
  status: OrderStatus;
  filled: Decimal;
  avgFillPrice: string;
  reason?: string;
  ts: number;
  /** What the listener last heard, so repeated openOrder/orderStatus pairs make one report. */
  lastSent?: string;
  /**
   * External orders first reach the engine through openOrders() (reconciliation), which records
   * the adoption as a change the trader can read; only then do stream updates follow.
   */
  surfaced?: boolean;
}

export interface AckWaiter {
  resolve(status: OrderStatus): void;
  reject(err: Error): void;
}

export interface ModifyWaiter {
  readonly want: { qty: string; limitPrice?: string; stopPrice?: string };
  resolve(): void;
  reject(err: Error): void;
}

export class IbkrOrderViews {
  readonly views = new Map<string, OrderView>();
  readonly byCoid = new Map<string, string>();
  private readonly byPerm = new Map<number, string>();
  readonly acks = new Map<number, AckWaiter>();
  readonly cancels = new Map<number, AckWaiter>();
  /** Modifies in flight: resolved when TWS echoes the new terms (openOrder), rejected by an error for the order id. */
  readonly modifies = new Map<number, ModifyWaiter>();
  readonly whatIfs = new Map<number, { resolve(n: WhatIfNumbers): void; reject(err: Error): void }>();

  constructor(
    private readonly k: IbkrScope,
    /** A conId the instrument cache lacks: looked up in the background. */
    private readonly describe: (conId: number) => void,
  ) {}

  /** An error for an order id a waiter is registered on: true when it was taken (the rest go to requests). */
  takeError(id: number, code: number, message: string): boolean {
    const mod = this.modifies.get(id);
    if (mod && !isWarning(code) && code !== CANCELLED) {
      mod.reject(new VenueRejectedError(`Interactive Brokers refused the change (${code}): ${message}`, String(code)));
      return true;
    }
    const ack = this.acks.get(id);
    if (ack) {
      if (isWarning(code)) return true;
      if (code === CANCELLED) ack.resolve('cancelled');
      else ack.reject(new VenueRejectedError(`Interactive Brokers rejected the order (${code}): ${message}`, String(code)));
      return true;
    }
    const wi = this.whatIfs.get(id);
    if (wi && !isWarning(code)) {
      wi.reject(new VenueRejectedError(`Interactive Brokers: ${message} (${code})`, String(code)));
      return true;
    }
    const cancel = this.cancels.get(id);
    if (cancel && code !== CANCELLED && !isWarning(code)) {
      cancel.reject(new VenueRejectedError(`Interactive Brokers refused the cancel (${code}): ${message}`, String(code)));
      return true;
    }
    return false;
  }

  /** An error about one of our orders after its ack (a rejected modify, a cancel reason): kept as the reason. */
  noteReason(id: number, code: number, message: string): void {
    const row = this.k.ids.byOrderId(id);
    const v = row ? this.views.get(String(id)) : undefined;
    if (v && !isWarning(code) && code !== CANCELLED) v.reason = `${message} (${code})`;
  }

  /** Which of our rows an IB order id + client id belongs to. */
  ourRow(orderId: number, clientId: number, orderRef?: string) {
    if (orderId <= 0) return undefined;
    const row = this.k.ids.byOrderId(orderId);
    if (!row) return undefined;
    return row.clientId === clientId || (orderRef !== undefined && orderRef !== '' && row.clientOrderId === orderRef) ? row : undefined;
  }

  viewFor(orderId: number, clientId: number, permId: number, orderRef?: string): OrderView | undefined {
    const row = this.ourRow(orderId, clientId, orderRef);
    const vid = row ? String(orderId) : (this.byPerm.get(permId) ?? (permId > 0 ? `p${permId}` : undefined));
    if (!vid) return undefined;
    let v = this.views.get(vid);
    if (!v) {
      if (!row && permId <= 0) return undefined;
      v = {
        venueOrderId: vid,
        ours: !!row,
        orderId,
        clientId,
        permId,
        clientOrderId: row ? row.clientOrderId : `ext-${this.k.name}-${vid}`,
        ...(row ? { instrumentId: row.instrumentId } : {}),
        ibStatus: '',
        status: 'submitted',
        filled: ZERO,
        avgFillPrice: '0',
        ts: this.k.clock.now(),
      };
      this.views.set(vid, v);
      this.byCoid.set(v.clientOrderId, vid);
    }
    if (permId > 0 && v.permId !== permId) v.permId = permId;
    if (permId > 0) {
      this.byPerm.set(permId, vid);
      if (row) this.k.ids.setPermId(orderId, permId);
    }
    return v;
  }

  forget(vid: string): void {
    const v = this.views.get(vid);
    if (!v) return;
    this.views.delete(vid);
    this.byCoid.delete(v.clientOrderId);
  }

  onOpenOrder(orderId: number, contract: Contract, order: IbOrder, state: OrderState): void {
    const wi = this.whatIfs.get(orderId);
    if (wi || order.whatIf) {
      wi?.resolve(whatIfFromState(state));
      return;
    }
    const v = this.viewFor(orderId, order.clientId ?? 0, order.permId ?? 0, order.orderRef);
    if (!v) return;
    if (contract.conId) {
      v.instrumentId = `${this.k.name}:${contract.conId}`;
      this.describe(contract.conId);
    }
    v.side = String(order.action).toUpperCase() === 'BUY' ? 'buy' : 'sell';
    v.type = typeFromIb(order);
    if (order.totalQuantity !== undefined) v.qty = toStr(wireDecimal(order.totalQuantity) ?? ZERO);
    const px = pricesFromIb(order);
    if (px.limitPrice) v.limitPrice = px.limitPrice;
    if (px.stopPrice) v.stopPrice = px.stopPrice;
    if (px.trailStop) v.trailStop = px.trailStop;
    v.tif = tifFromIb(order.tif);
    if (state.status) this.setStatus(v, String(state.status), undefined);
    this.emitReport(v);
    this.acks.get(orderId)?.resolve(v.status);
    this.settleModify(orderId, v);
  }

  /** A modify is acknowledged when TWS reports the order with the terms we sent (or the order has finished). */
  private settleModify(orderId: number, v: OrderView): void {
    const m = this.modifies.get(orderId);
    if (!m) return;
    const same = (a: string | undefined, b: string | undefined) => (a === undefined || b === undefined ? a === b : new Decimal(a).eq(b));
    if (
      isTerminal(v.status) ||
      (same(v.qty, m.want.qty) && (m.want.limitPrice === undefined || same(v.limitPrice, m.want.limitPrice)) && (m.want.stopPrice === undefined || same(v.stopPrice, m.want.stopPrice)))
    )
      m.resolve();
  }

  onOrderStatus(orderId: number, status: string, filled: number, remaining: number, avgFillPrice: number, permId: number, clientId: number, whyHeld?: string): void {
    const v = this.viewFor(orderId, clientId, permId);
    if (!v) return;
    const f = wireDecimal(filled) ?? ZERO;
    if (f.gte(v.filled)) {
      v.filled = f;
      const avg = wireDecimal(avgFillPrice);
      if (avg && f.gt(0)) v.avgFillPrice = toStr(avg);
    }
    this.setStatus(v, status, wireDecimal(remaining));
    if (whyHeld) v.reason = `held: ${whyHeld}`;
    this.emitReport(v);
    if (v.ours) {
      this.acks.get(orderId)?.resolve(v.status);
      if (isTerminal(v.status)) this.cancels.get(orderId)?.resolve(v.status);
      if (isTerminal(v.status)) this.settleModify(orderId, v);
    }
  }

  onCompletedOrder(contract: Contract, order: IbOrder, state: OrderState): void {
    const permId = order.permId ?? 0;
    const row = order.orderRef ? this.k.ids.byClientOrderId(order.orderRef) : permId > 0 ? this.k.ids.byPermId(permId) : undefined;
    const v = row ? this.viewFor(row.orderId, row.clientId, permId, order.orderRef) : this.viewFor(0, order.clientId ?? 0, permId);
    if (!v) return;
    if (!v.instrumentId && contract.conId) v.instrumentId = `${this.k.name}:${contract.conId}`;
    if (!v.side) v.side = String(order.action).toUpperCase() === 'BUY' ? 'buy' : 'sell';
    if (!v.type) v.type = typeFromIb(order);
    if (!v.qty && order.totalQuantity !== undefined) v.qty = toStr(wireDecimal(order.totalQuantity) ?? ZERO);
    if (!v.tif) v.tif = tifFromIb(order.tif);
    const raw = order as unknown as Record<string, unknown>;
    const filled = wireDecimal(typeof raw['filledQuantity'] === 'number' ? (raw['filledQuantity'] as number) : undefined);
    if (filled && filled.gt(v.filled)) v.filled = filled;
    const st = String(state.status ?? '');
    if (st) this.setStatus(v, st, undefined);
    const reason = (state as unknown as Record<string, unknown>)['completedStatus'];
    if (typeof reason === 'string' && reason && v.status !== 'filled') v.reason = reason;
    this.emitReport(v);
  }

  private setStatus(v: OrderView, ibStatus: string, remaining: Decimal | undefined): void {
    const next = statusFromIb(ibStatus, v.filled, remaining);
    if (next === 'unknown') return;
    // TWS repeats older states after newer ones (openOrder after orderStatus); a finished order stays finished.
    if (isTerminal(v.status) && !isTerminal(next)) return;
    v.ibStatus = ibStatus;
    v.status = next;
    v.ts = this.k.clock.now();
  }

  report(v: OrderView): VenueOrderReport {
    return {
      clientOrderId: v.clientOrderId,
      venueOrderId: v.venueOrderId,
      status: v.status,
      filledQty: toStr(v.filled),
      avgFillPrice: v.avgFillPrice,
      ...(v.reason && (v.status === 'rejected' || v.status === 'cancelled') ? { reason: v.reason } : {}),
      ts: v.ts,
      ...(v.instrumentId ? { instrumentId: v.instrumentId } : {}),
      ...(v.side ? { side: v.side } : {}),
      ...(v.type ? { type: v.type } : {}),
      ...(v.qty ? { qty: v.qty } : {}),
      ...(v.limitPrice ? { limitPrice: v.limitPrice } : {}),
      ...(v.stopPrice ? { stopPrice: v.stopPrice } : {}),
      ...(v.trailStop ? { trailStop: v.trailStop } : {}),
      ...(v.tif ? { tif: v.tif } : {}),
      raw: { ibStatus: v.ibStatus, orderId: v.orderId, permId: v.permId, clientId: v.clientId, external: !v.ours },
    };
  }

  private emitReport(v: OrderView): void {
    // The trail stop is in the key: a report goes out when the stop moves, not on every repeat.
    const key = `${v.status}|${v.filled.toFixed()}|${v.avgFillPrice}|${v.instrumentId ?? ''}|${v.qty ?? ''}|${v.limitPrice ?? ''}|${v.stopPrice ?? ''}|${v.trailStop ?? ''}`;
    if (key === v.lastSent) return;
    // An external order is adoptable only with its instrument, side, type and quantity.
    if (!v.ours && !(v.surfaced && v.instrumentId && v.side && v.type && v.qty)) return;
    v.lastSent = key;
    this.k.listener()?.orderReport(this.report(v));
  }
}
