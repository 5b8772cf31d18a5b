/**
 * SHADOW route: an order on a venue in SHADOW mode (or the shadow share of CANARY) is never sent.
 * It is filled by the simulator (sim/: the Paper venue's matching engine and ledger) against that venue's REAL book and quotes, and
 * reported through the same OrderManager paths (applyReport / applyFill) as a venue's own
 * reports, so the blotter, fills, risk and reconciliation treat it like any other order.
 *
 * It implements the venue port so the OrderManager and the reconciler need no special case: the
 * engine hands it out as "the connector" for orders whose route is `shadow`. Market data
 * (instruments, quotes, books) is the real venue's; orders, fills and their state are its own,
 * persisted in the store the engine gives it (the Paper venue's tables, under the venue key
 * `shadow:<venue>`) so they survive a
 * restart and never mix with the Paper venue's or the real venue's records.
 *
 * Model limits (said here so nobody reads more into a shadow fill than it is): there is no
 * simulated account; buying power is judged by the real venue's preview against the real account
 * (oms/preview.ts shadowAccountCheck), one order at a time; fees are the real venue's own rates
 * where it declares them (`feeRates`, e.g. an account's fee tier), else the Paper defaults; the displayed book is not depleted by our fills (same model as Paper). Trailing
 * stops, brackets and OCA groups follow the simulator's rules (sim/matching-engine.ts);
 * SHADOW runs one engine per instrument, so an OCA group links orders of one instrument only.
 */
import type { Instrument } from '../domain/instrument';
import { parseDecimal } from '../domain/money';
import type { Balance, Order, Position } from '../domain/order';
import type { NormalizedTicket } from '../domain/order-validation';
import { PAPER_CAPABILITIES, type OrderCapabilities } from '../domain/order-capabilities';
import type { Clock } from '../ports/clock';
import type { LedgerResult } from '../sim/ledger';
import { MatchingEngine, type ScaledBook } from '../sim/matching-engine';
import { scaledBookOf } from '../sim/scaled-book';
import { Simulator } from '../sim/simulator';
import type { SimOrderRow, SimStore } from '../sim/sim-store';
import {
  VenueRejectedError,
  type ReplaceAck,
  type ReplaceChanges,
  type SubmitAck,
  type VenueConnector,
  type VenueFillReport,
  type VenueListener,
  type VenueOrderReport,
  type VenuePreview,
} from '../venues/venue-port';

/** Ids carry this prefix so a shadow order or fill can never collide with one the real venue issues. */
export const SHADOW_ID_PREFIX = 'shadow:';
/** Marks every SHADOW report so a transition record shows the order was simulated. */
const SHADOW_RAW = { shadow: true } as const;
const BOOK_DEPTH = 20;

export interface ShadowExecutorDeps {
  readonly venue: string;
  /** Where the shadow orders and fills are kept (apart from the Paper venue's and the real venue's). */
  readonly store: SimStore;
  readonly clock: Clock;
  /** The running real connector (it changes when the venue restarts). */
  readonly real: () => VenueConnector | undefined;
  /** Where reports go: the engine wires this to the OrderManager. */
  readonly report: Pick<VenueListener, 'orderReport' | 'fill' | 'burst'>;
}

export class ShadowExecutor implements VenueConnector {
  readonly kind = 'shadow';
  readonly name: string;
  private readonly store: SimStore;
  /** One simulator per instrument, made on first use: a real venue's instrument list loads late. */
  private readonly sims = new Map<string, Simulator>();
  private bookVersion = 0;
  private restored = false;

  constructor(private readonly d: ShadowExecutorDeps) {
    this.name = d.venue;
    this.store = d.store;
  }

  /** Reloads working shadow orders into their simulators (idempotent). */
  async start(_listener?: VenueListener): Promise<void> {
    if (this.restored) return;
    const real = this.d.real();
    if (!real) return;
    this.restored = true;
    // One restore per instrument, so a bracket's entry and children (and an OCA group) are linked again.
    const byInst = new Map<string, SimOrderRow[]>();
    const cancelled: Array<[SimOrderRow, string]> = [];
    for (const o of this.store.openOrders()) {
      if (!real.instrument(o.instrumentId)) cancelled.push([o, `${o.instrumentId} is no longer listed by ${this.d.venue}`]);
      else byInst.set(o.instrumentId, [...(byInst.get(o.instrumentId) ?? []), o]);
    }
    for (const [id, rows] of byInst) {
      for (const p of this.simFor(real.instrument(id)!).restore(rows)) cancelled.push([p.row, p.reason]);
    }
    // It cannot work any more; say so instead of leaving an order that never fills.
    for (const [o, reason] of cancelled) this.d.report.orderReport(this.anySim().close(o, `shadow order cancelled: ${reason}`, this.d.clock.now()));
  }
  async stop(): Promise<void> {}
  /** SHADOW fills come from the simulator, so it can carry what Paper can, whatever the real venue could. */
  capabilities(): OrderCapabilities {
    return PAPER_CAPABILITIES;
  }
  state() {
    return this.d.real()?.state() ?? { state: 'disconnected' as const, detail: 'venue not running' };
  }
  instruments(): readonly Instrument[] {
    return this.d.real()?.instruments() ?? [];
  }
  instrument(idOrSymbol: string): Instrument | undefined {
    return this.d.real()?.instrument(idOrSymbol);
  }
  quote(instrumentId: string) {
    return this.d.real()?.quote(instrumentId);
  }
  book(instrumentId: string, depth: number) {
    return this.d.real()?.book(instrumentId, depth);
  }
  async preview(inst: Instrument, t: NormalizedTicket): Promise<VenuePreview> {
    const real = this.d.real();
    if (!real) throw new VenueRejectedError(`${this.d.venue} is not running.`);
    return real.preview(inst, t);
  }

  async submit(order: Order): Promise<SubmitAck> {
    const inst = this.admit(order, []);
    const { row, result } = this.simFor(inst).submit(order, this.scaledBook(inst), this.d.clock.now());
    this.publish(result);
    if (row.status === 'rejected') throw new VenueRejectedError(`shadow: ${row.reason ?? 'rejected'}`);
    return { venueOrderId: row.venueOrderId, status: row.status };
  }

  /** A bracket simulated like Paper's: children held until the entry fills on the real book. */
  async submitBracketOrders(parent: Order, children: readonly Order[]): Promise<SubmitAck[]> {
    const inst = this.admit(parent, children);
    const { rows, result } = this.simFor(inst).submitBracket(parent, children, this.scaledBook(inst), this.d.clock.now());
    this.publish(result);
    if (rows[0]!.status === 'rejected') throw new VenueRejectedError(`shadow: ${rows[0]!.reason ?? 'rejected'}`);
    return rows.map((r) => ({ venueOrderId: r.venueOrderId, status: r.status }));
  }

  async cancel(order: Order): Promise<void> {
    const row = this.store.orderByClientId(order.clientOrderId);
    if (!row) throw new VenueRejectedError(`No shadow order ${order.clientOrderId}.`, 'not_found');
    if (row.status !== 'accepted' && row.status !== 'partially_filled' && row.status !== 'submitted') throw new VenueRejectedError(`Shadow order ${order.clientOrderId} is ${row.status}.`, 'closed');
    this.publish((this.sims.get(row.instrumentId) ?? this.anySim()).cancel(row, this.d.clock.now()));
  }

  /** Modifies a resting shadow order in its simulator (same rules as Paper; no account to check). */
  async replace(order: Order, changes: ReplaceChanges): Promise<ReplaceAck> {
    const row = this.store.orderByClientId(order.clientOrderId);
    if (!row) throw new VenueRejectedError(`No shadow order ${order.clientOrderId}.`, 'not_found');
    if (row.status !== 'accepted' && row.status !== 'partially_filled') throw new VenueRejectedError(`Shadow order ${order.clientOrderId} is ${row.status} and cannot be modified.`, 'closed');
    const inst = this.instrument(row.instrumentId);
    const found = inst && this.sims.get(row.instrumentId);
    const sim = found && this.withVenueFees(found, row.instrumentId);
    if (!inst || !sim?.isWorking(row.venueOrderId)) throw new VenueRejectedError(`Shadow order ${order.clientOrderId} is not working (is ${this.d.venue} running?).`, 'not_working');
    const out = sim.replace(row, changes, this.scaledBook(inst), this.d.clock.now());
    if (typeof out === 'string') throw new VenueRejectedError(`shadow: ${out}`, 'replace_refused');
    this.publish(out.result);
    const after = out.row;
    return {
      venueOrderId: after.venueOrderId,
      status: after.status,
      qty: after.qty,
      ...(after.limitPrice ? { limitPrice: after.limitPrice } : {}),
      ...(after.stopPrice ? { stopPrice: after.stopPrice } : {}),
    };
  }

  /** The real venue's market moved: match resting shadow orders of that instrument against it. */
  onMarketData(instrumentId: string): void {
    const found = this.sims.get(instrumentId);
    const sim = found && this.withVenueFees(found, instrumentId);
    if (!sim || !sim.engine.hasWorking(instrumentId)) return;
    const inst = this.instrument(instrumentId);
    const book = inst && this.scaledBook(inst);
    if (!book) return;
    const now = this.d.clock.now();
    const events = [...sim.matchBook(instrumentId, book, now), ...sim.expireDue(now)];
    if (events.length) this.publish(sim.apply(events, now));
  }

  async lookup(clientOrderId: string): Promise<VenueOrderReport | undefined> {
    const row = this.store.orderByClientId(clientOrderId);
    return row ? this.anySim().report(row) : undefined;
  }
  async openOrders(): Promise<VenueOrderReport[]> {
    return this.store.openOrders().map((r) => this.anySim().report(r));
  }
  async fillsSince(sinceTs: number): Promise<VenueFillReport[]> {
    return this.store.fillsSince(sinceTs).map((f) => this.anySim().fillReport(f));
  }
  /** Shadow exposure is derived from the journal's shadow fills (see risk/exposure.ts), not reported here. */
  async positions(): Promise<Position[]> {
    return [];
  }
  async balances(): Promise<Balance[]> {
    return [];
  }

  /** The order's instrument, once the real venue lists it and none of these client ids is taken. */
  private admit(order: Order, children: readonly Order[]): Instrument {
    const inst = this.instrument(order.instrumentId);
    if (!inst) throw new VenueRejectedError(`${this.d.venue} has no instrument ${order.instrumentId}.`);
    for (const o of [order, ...children]) {
      if (this.store.orderByClientId(o.clientOrderId)) throw new VenueRejectedError(`Duplicate client order id ${o.clientOrderId}.`, 'duplicate');
    }
    return inst;
  }

  private simFor(inst: Instrument): Simulator {
    let sim = this.sims.get(inst.id);
    if (!sim) {
      sim = this.makeSim([inst]);
      this.sims.set(inst.id, sim);
    }
    return this.withVenueFees(sim, inst.id);
  }

  /** The real venue's own fee rates for this instrument, when it declares valid ones, on the simulator that fills it. */
  private withVenueFees(sim: Simulator, instrumentId: string): Simulator {
    const r = this.d.real()?.feeRates?.(instrumentId);
    const maker = parseDecimal(r?.maker);
    const taker = parseDecimal(r?.taker);
    if (maker && taker && maker.gte(0) && taker.gte(0) && maker.lt(1) && taker.lt(1)) sim.engine.setFees({ maker, taker });
    return sim;
  }

  /** A simulator with no instrument: closes and reports rows whose instrument has none (an order that was never restored). */
  private anySim(): Simulator {
    return (this.idle ??= this.makeSim([]));
  }
  private idle?: Simulator;

  private makeSim(instruments: Instrument[]): Simulator {
    return new Simulator({ store: this.store, engine: new MatchingEngine({ instruments }), orderIdPrefix: SHADOW_ID_PREFIX, fillIdPrefix: SHADOW_ID_PREFIX, raw: SHADOW_RAW });
  }

  /** The real venue's displayed book; every call is a fresh look, so resting orders may match it once. */
  private scaledBook(inst: Instrument): ScaledBook | undefined {
    return scaledBookOf(inst, this.book(inst.id, BOOK_DEPTH), this.quote(inst.id), ++this.bookVersion);
  }

  /** Fills first, then order reports; one burst (journaled in one transaction). */
  private publish(result: LedgerResult): void {
    if (!result.fills.length && !result.reports.length) return;
    const r = this.d.report;
    const deliver = () => {
      for (const f of result.fills) r.fill(f);
      for (const o of result.reports) r.orderReport(o);
    };
    if (r.burst) r.burst(deliver);
    else deliver();
  }
}
