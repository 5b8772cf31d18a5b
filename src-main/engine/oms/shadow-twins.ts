/**
 * CANARY's SHADOW twins: in CANARY mode every order routed LIVE also gets a twin — the same order
 * run by the SHADOW simulator (a ShadowExecutor of its own, the very code SHADOW orders go
 * through) against the same venue's quotes from the same arrival — so execution quality can put
 * the live fill beside the one the simulation would have given.
 *
 * A twin is a measurement, never an order:
 * - it is never sent anywhere (the executor only simulates), and it is not in the journal's
 *   `orders` / `fills`: positions, exposure, P&L, risk limits, buying power, the blotter,
 *   notifications and the kill switch's cancel list never see it. Its record and fills live in
 *   `order_twins` / `order_twin_fills` (store/twins-repo.ts), its simulated book under the sim
 *   store key `twin:<venue>`, apart from SHADOW's `shadow:<venue>`;
 * - it follows the live order so the comparison stays fair: when the live order is cancelled,
 *   expires or is rejected the twin is cancelled; when the venue confirms new terms (a modify) the
 *   twin is modified to the same terms;
 * - the live order's path is untouched: the twin is made from the OMS's event for the journaled
 *   order, in a microtask, i.e. once the live submit has been handed to the connector and before
 *   any market data is processed (so it sees the quotes the live order arrived on). A twin that
 *   fails is noted on its record; it never fails, delays or changes the live order.
 *
 * Orders that get no twin: bracket children and OCO/OCA members (their fate depends on siblings the
 * simulation would link differently), multi-leg orders, and money-sized (notional) orders.
 */
import type { EngineEvent } from '../api/events';
import type { Order, OrderStatus } from '../domain/order';
import { isTerminal } from '../domain/order';
import type { RoutingMode } from '../domain/routing';
import type { Clock } from '../ports/clock';
import type { SimStore } from '../sim/sim-store';
import type { StoredOrder } from '../store/orders-repo';
import type { TwinRecord, TwinsRepo } from '../store/twins-repo';
import type { ReplaceChanges, VenueConnector, VenueFillReport, VenueOrderReport } from '../venues/venue-port';
import { ShadowExecutor } from './shadow-executor';

/** A twin's client id is the live order's with this prefix: a twin report can never be read as the live order's. */
export const TWIN_PREFIX = 'twin:';

export interface ShadowTwinsDeps {
  readonly repo: TwinsRepo;
  readonly clock: Clock;
  /** The venue's routing mode now: twins are made in CANARY only. */
  readonly modeOf: (venue: string) => RoutingMode | 'paper';
  /** Where a venue's twin orders and fills are simulated (the engine gives Paper's tables, key `twin:<venue>`). */
  readonly simStore: (key: string) => SimStore;
  /** The venue's own (real) connector: its market data is what the twin is matched against. */
  readonly venue: (venue: string) => VenueConnector | undefined;
  /**
   * A twin that could not follow its live order (also written on its record, shown by execution
   * quality). The engine leaves this unset: a twin never reaches the trader's notifications.
   */
  readonly onProblem?: (message: string) => void;
}

const WORKING: ReadonlySet<OrderStatus> = new Set(['submitted', 'accepted', 'partially_filled']);
const FOLLOW_CANCEL: ReadonlySet<OrderStatus> = new Set(['cancelled', 'expired', 'rejected']);

/** The live order's terms a twin follows. */
const terms = (o: Pick<Order, 'qty' | 'limitPrice' | 'stopPrice'>) => ({ qty: o.qty, limitPrice: o.limitPrice, stopPrice: o.stopPrice });

export function twinEligible(o: StoredOrder): boolean {
  return o.route === 'live' && o.source !== 'external' && !o.parentOrderId && !o.ocaGroup && !o.legs && o.notional === undefined;
}

export class ShadowTwins {
  private readonly executors = new Map<string, ShadowExecutor>();
  private readonly pending = new Set<Promise<unknown>>();
  /** Live orders whose twin is being made (between the OMS event and the microtask). */
  private readonly making = new Set<string>();
  /** The live order's latest event while its twin was being made. */
  private readonly latest = new Map<string, StoredOrder>();

  constructor(private readonly d: ShadowTwinsDeps) {}

  /** The OMS's order events: a new CANARY live order gets its twin; a live order's cancel or modify is followed. */
  onOrderEvent(e: EngineEvent): void {
    if (e.type !== 'order') return;
    const o = e.order as StoredOrder;
    if (o.route !== 'live') return;
    if (o.status === 'pending_submit') {
      if (this.making.has(o.id) || !twinEligible(o) || this.d.modeOf(o.venue) !== 'canary' || this.d.repo.byOrderId(o.id)) return;
      this.making.add(o.id);
      const snapshot: StoredOrder = { ...o };
      // After the live submit is handed to its connector, before any quote can move.
      queueMicrotask(() => this.track(this.make(snapshot).finally(() => this.settle(snapshot.id))));
      return;
    }
    if (this.making.has(o.id)) {
      // Followed once the twin exists.
      this.latest.set(o.id, { ...o });
      return;
    }
    const twin = this.d.repo.byOrderId(o.id);
    if (twin) this.track(this.follow(o, twin));
  }

  /** Working twins from a previous run work again once the venue's market data is back. */
  async start(venue: string): Promise<void> {
    await this.executorFor(venue).start();
  }

  /** The venue's market moved: resting twins may fill. */
  onMarketData(venue: string, instrumentId: string): void {
    this.executors.get(venue)?.onMarketData(instrumentId);
  }

  /** Resolves once every twin submit, cancel and modify started so far has finished. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** The twin of this live order is made (or given up): its events are followed directly. */
  private settle(orderId: string): void {
    this.making.delete(orderId);
    this.latest.delete(orderId);
  }

  private track(p: Promise<unknown>): void {
    const q = p.catch(() => undefined).finally(() => this.pending.delete(q));
    this.pending.add(q);
  }

  private executorFor(venue: string): ShadowExecutor {
    let x = this.executors.get(venue);
    if (!x) {
      x = new ShadowExecutor({
        venue,
        store: this.d.simStore(`${TWIN_PREFIX}${venue}`),
        clock: this.d.clock,
        real: () => this.d.venue(venue),
        report: { orderReport: (r) => this.onReport(venue, r), fill: (f) => this.onFill(venue, f) },
      });
      this.executors.set(venue, x);
    }
    return x;
  }

  /** The simulated copy: the live order's terms under the twin's client id, nothing filled. */
  private twinOrder(o: StoredOrder): Order {
    const { venueOrderId: _v, rejectReason: _r, replaceRequest: _q, route: _route, trailStop: _t, ...rest } = o;
    return { ...rest, clientOrderId: `${TWIN_PREFIX}${o.clientOrderId}`, status: 'pending_submit', filledQty: '0', avgFillPrice: '0', fees: '0' };
  }

  private async make(o: StoredOrder): Promise<void> {
    const { repo, clock } = this.d;
    if (!this.d.venue(o.venue)) return;
    const twin = this.twinOrder(o);
    repo.insert({
      orderId: o.id,
      venue: o.venue,
      twinClientId: twin.clientOrderId,
      status: 'pending_submit',
      qty: o.qty,
      ...(o.limitPrice !== undefined ? { limitPrice: o.limitPrice } : {}),
      ...(o.stopPrice !== undefined ? { stopPrice: o.stopPrice } : {}),
      createdAt: o.createdAt,
      updatedAt: clock.now(),
    });
    try {
      const ack = await this.executorFor(o.venue).submit(twin);
      // Reports published during the submit (an immediate fill) already moved it on.
      if (repo.byOrderId(o.id)?.status === 'pending_submit') repo.update(o.id, clock.now(), { status: ack.status });
    } catch (err) {
      repo.update(o.id, clock.now(), { status: 'rejected', reason: (err as Error).message });
    }
    // The live order may have moved on while the twin was being made: follow where it is now. From
    // here on (same tick) its events are followed as they come.
    const latest = this.latest.get(o.id) ?? o;
    this.settle(o.id);
    const now = repo.byOrderId(o.id);
    if (now) await this.follow(latest, now);
  }

  private async follow(live: StoredOrder, twin: TwinRecord): Promise<void> {
    const { repo, clock } = this.d;
    if (!WORKING.has(twin.status)) return;
    const x = this.executorFor(live.venue);
    if (FOLLOW_CANCEL.has(live.status)) {
      try {
        await x.cancel(this.twinOrder(live));
        repo.update(live.id, clock.now(), { reason: `cancelled with the live order (${live.status})` });
      } catch (err) {
        this.problem(live, twin, `could not follow the live order's ${live.status}: ${(err as Error).message}`);
      }
      return;
    }
    if (isTerminal(live.status) || live.status === 'pending_replace' || live.status === 'pending_cancel') return;
    const now = terms(live);
    const changes: { qty?: string; limitPrice?: string; stopPrice?: string } = {};
    if (now.qty !== twin.qty) changes.qty = now.qty;
    if (now.limitPrice !== undefined && now.limitPrice !== twin.limitPrice) changes.limitPrice = now.limitPrice;
    if (now.stopPrice !== undefined && now.stopPrice !== twin.stopPrice) changes.stopPrice = now.stopPrice;
    if (Object.keys(changes).length === 0) return;
    // Recorded first, so an event arriving meanwhile does not modify it twice.
    repo.update(live.id, clock.now(), { ...now, limitPrice: now.limitPrice ?? null, stopPrice: now.stopPrice ?? null });
    try {
      const ack = await x.replace(this.twinOrder(live), changes as ReplaceChanges);
      repo.update(live.id, clock.now(), { qty: ack.qty, limitPrice: ack.limitPrice ?? null, stopPrice: ack.stopPrice ?? null });
    } catch (err) {
      this.problem(live, twin, `could not follow the live order's modify: ${(err as Error).message}`);
    }
  }

  private problem(live: StoredOrder, twin: TwinRecord, reason: string): void {
    this.d.repo.update(live.id, this.d.clock.now(), { reason });
    this.d.onProblem?.(`SHADOW twin of ${live.clientOrderId} (${twin.venue}) ${reason}`);
  }

  private onReport(venue: string, r: VenueOrderReport): void {
    const twin = this.d.repo.byTwinClientId(venue, r.clientOrderId);
    if (!twin) return;
    this.d.repo.update(twin.orderId, this.d.clock.now(), { status: r.status, ...(r.reason && isTerminal(r.status) && !twin.reason ? { reason: r.reason } : {}) });
  }

  private onFill(venue: string, f: VenueFillReport): void {
    const twin = this.d.repo.byTwinClientId(venue, f.clientOrderId);
    if (twin) this.d.repo.addFill(twin.orderId, f.venueFillId, { qty: f.qty, price: f.price, ts: f.ts });
  }
}
