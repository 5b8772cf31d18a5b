/**
 * The Paper venue connector: a simulated exchange behind the same port as every real venue. Its
 * prices come from a seeded source (price-source.ts); orders are matched and booked by the
 * simulator (sim/simulator.ts) and the account (cash, positions, buying power) is the simulator's
 * (sim/account.ts, where the model is written down). Everything the venue knows is in its own
 * tables (paper-store.ts) and survives a restart.
 */
import type { Bar } from '../../domain/bar';
import type { Instrument } from '../../domain/instrument';
import { Decimal, toStr } from '../../domain/money';
import type { Balance, BookSnapshot, Order, Position, Quote } from '../../domain/order';
import type { NormalizedTicket } from '../../domain/order-validation';
import { PAPER_CAPABILITIES, type OrderCapabilities } from '../../domain/order-capabilities';
import type { VenueState } from '../../api/commands';
import type { Clock } from '../../ports/clock';
import { SimAccount } from '../../sim/account';
import type { LedgerResult } from '../../sim/ledger';
import { MatchingEngine, type MatchEvent } from '../../sim/matching-engine';
import { Simulator, type OnFill } from '../../sim/simulator';
import type { SimOrderRow } from '../../sim/sim-store';
import type { ReplaceAck, ReplaceChanges, SubmitAck, VenueConnector, VenueContext, VenueFillReport, VenueListener, VenueOrderReport, VenuePreview } from '../venue-port';
import { VenueRejectedError } from '../venue-port';
import { PAPER_INSTRUMENTS, paperSpec } from './paper-instruments';
import { PaperPriceSource } from './price-source';
import { PaperStore } from './paper-store';
import { PaperBars } from './paper-bars';
import { readPaperSettings, type PaperSettings } from './paper-config';

const CASH = 'USD';
const MIDS_SAVE_EVERY_MS = 5_000;

export class PaperVenue implements VenueConnector {
  readonly kind = 'paper';
  readonly name: string;
  private readonly settings: PaperSettings;
  private readonly clock: Clock;
  private readonly store: PaperStore;
  readonly source: PaperPriceSource;
  private readonly sim: Simulator;
  private readonly account: SimAccount;
  private readonly byId = new Map<string, Instrument>();
  /** PAPER_INSTRUMENTS, or copies trading 24/7 when `market24x7` is set. */
  private readonly list: readonly Instrument[];
  private listener?: VenueListener;
  private timer?: NodeJS.Timeout;
  private lastMidsSave = 0;
  private status: { state: VenueState; detail: string } = { state: 'disconnected', detail: 'not started' };
  /** Instruments whose position a fill moved since the last publish. */
  private readonly touched = new Set<string>();
  private readonly history = new PaperBars();
  private readonly onFill: OnFill = (row, f) => {
    this.account.settleFill(row.instrumentId, row.side, new Decimal(f.qty), new Decimal(f.price), new Decimal(f.fee));
    this.touched.add(row.instrumentId);
  };

  constructor(ctx: VenueContext) {
    this.name = ctx.name;
    this.clock = ctx.clock;
    this.settings = readPaperSettings(ctx.settings);
    this.store = new PaperStore(ctx.db, ctx.name);
    // With market24x7 every instrument carries the `always` session, so prices, matching, preview
    // and risk all agree that the market is open.
    this.list = this.settings.market24x7 ? PAPER_INSTRUMENTS.map((i) => ({ ...i, session: 'always' as const })) : PAPER_INSTRUMENTS;
    for (const inst of this.list) this.byId.set(inst.id, inst);
    const mids = this.store.getState<Record<string, string>>('mids');
    this.source = new PaperPriceSource({
      seed: this.settings.seed,
      clock: ctx.clock,
      startMs: ctx.clock.now(),
      sessions: this.settings.market24x7 ? 'always_open' : 'calendar',
      ...(mids ? { initialMids: mids } : {}),
    });
    const engine = new MatchingEngine({ instruments: this.list, fees: { maker: this.settings.makerFee, taker: this.settings.takerFee } });
    this.sim = new Simulator({ store: this.store, engine, orderIdPrefix: 'P' });
    this.account = new SimAccount({
      venue: ctx.name,
      label: 'Paper',
      cash: CASH,
      store: this.store,
      market: { mid: (id) => this.source.mid(id), quote: (id) => this.source.quote(id), book: (id) => this.source.book(id) },
      instrument: (id) => this.byId.get(id),
      instruments: () => this.list,
      fees: () => engine.fees(),
    });
  }

  /** The matching engine working this venue's orders (tests read trailing stops from it). */
  get matching(): MatchingEngine {
    return this.sim.engine;
  }

  async start(listener: VenueListener): Promise<void> {
    this.listener = listener;
    this.account.open(this.settings.startingCash);
    // Trailing extremes, held / released bracket children and OCA groups come back from the rows.
    for (const p of this.sim.restore(this.store.openOrders())) this.sim.close(p.row, `could not be restored: ${p.reason}`, this.clock.now());
    this.setState('connected', `simulated · seed ${this.settings.seed}`);
    // Orders that should have expired or filled while Tradeport was closed do so now.
    this.tick();
    if (this.settings.tickMs > 0) {
      this.timer = setInterval(() => this.tickSafely(), this.settings.tickMs);
      this.timer.unref?.();
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.saveMidsSafely();
    this.listener = undefined;
    this.setState('disconnected', 'stopped');
  }

  state() {
    return this.status;
  }

  /** The matching engine's order types and TIFs, trailing stops, brackets and OCA; no OPG or extended hours yet. */
  capabilities(): OrderCapabilities {
    return PAPER_CAPABILITIES;
  }

  private setState(state: VenueState, detail: string) {
    this.status = { state, detail };
    this.listener?.state(state, detail);
  }

  /** Advances prices to now, matches working orders against the new books, expires DAY orders. */
  tick(now: number = this.clock.now()): void {
    this.settle(this.source.step(now), now);
    if (now - this.lastMidsSave >= MIDS_SAVE_EVERY_MS) this.saveMidsSafely(now);
  }

  /** Moves one instrument's mid to `price` (a scripted path: strategy simulations, tests), then matches and quotes it as a tick does. */
  setPrice(instrumentId: string, price: Decimal, now: number = this.clock.now()): void {
    this.source.setMid(instrumentId, price);
    this.settle([instrumentId], now);
  }

  /** Matches working orders against the changed books, expires what is due, then quotes the changed instruments. */
  private settle(changed: readonly string[], now: number): void {
    const events: MatchEvent[] = [];
    for (const id of changed) events.push(...this.sim.matchBook(id, this.source.book(id)!, now));
    events.push(...this.sim.expireDue(now));
    if (events.length) this.publish(this.sim.apply(events, now, this.onFill));
    for (const id of changed) {
      const q = this.source.quote(id)!;
      this.history.record(q);
      this.listener?.quote(q);
    }
  }

  /**
   * The timer's tick. A write failure in it (disk full: a fill or expiry could not be recorded) is
   * reported, never thrown: thrown from a timer it would kill the whole engine. The matches it
   * could not record are found again on the next tick (the book still crosses) or by reconciling.
   */
  private tickSafely(): void {
    try {
      this.tick();
    } catch (err) {
      this.reportStorageFault(err);
    }
  }

  /** The last prices are a convenience (prices continue after a restart); losing one save is harmless. */
  private saveMidsSafely(now = this.clock.now()) {
    this.lastMidsSave = now;
    try {
      this.store.setState('mids', this.source.mids());
    } catch (err) {
      this.reportStorageFault(err);
    }
  }

  private reportStorageFault(err: unknown): void {
    if (this.listener?.storageFault) this.listener.storageFault(err);
    else console.error(`Paper venue ${this.name}: ${(err as Error).message ?? String(err)}`);
  }

  instruments(): readonly Instrument[] {
    return this.list;
  }
  instrument(idOrSymbol: string): Instrument | undefined {
    const id = this.byId.has(idOrSymbol) ? idOrSymbol : paperSpec(idOrSymbol)?.instrument.id;
    return id === undefined ? undefined : this.byId.get(id);
  }
  quote(instrumentId: string): Quote | undefined {
    return this.source.quote(instrumentId);
  }
  /** Paper's own price history since the engine started (paper-bars.ts). */
  async bars(instrumentId: string, intervalSec: number, sinceMs: number | undefined, limit: number): Promise<Bar[]> {
    return this.history.bars(instrumentId, intervalSec, sinceMs, limit);
  }
  book(instrumentId: string, depth: number): BookSnapshot | undefined {
    return this.source.bookSnapshot(instrumentId, depth);
  }

  // ---------------------------------------------------------------------------------------------
  // Orders

  async submit(order: Order): Promise<SubmitAck> {
    const inst = this.admit(order, []);
    this.check(inst, order);
    const { row, result } = this.sim.submit(order, this.source.book(inst.id), this.clock.now(), this.onFill);
    this.publish(result);
    if (row.status === 'rejected') throw new VenueRejectedError(row.reason ?? 'rejected by Paper');
    return { venueOrderId: row.venueOrderId, status: row.status };
  }

  /**
   * A bracket: the entry is checked against the account like any order; its children reserve
   * nothing while held. All legs are recorded in one transaction, then matched as one group.
   */
  async submitBracketOrders(parent: Order, children: readonly Order[]): Promise<SubmitAck[]> {
    const inst = this.admit(parent, children);
    const ticket = {
      side: parent.side,
      type: parent.type,
      qty: parent.qty,
      tif: parent.tif,
      ...(parent.limitPrice ? { limitPrice: parent.limitPrice } : {}),
      ...(parent.stopPrice ? { stopPrice: parent.stopPrice } : {}),
    };
    this.refuseUnaffordable(inst, ticket);
    const { rows, result } = this.sim.submitBracket(parent, children, this.source.book(inst.id), this.clock.now(), this.onFill);
    this.publish(result);
    if (rows[0]!.status === 'rejected') throw new VenueRejectedError(rows[0]!.reason ?? 'rejected by Paper');
    return rows.map((r) => ({ venueOrderId: r.venueOrderId, status: r.status }));
  }

  async cancel(order: Order): Promise<void> {
    const row = this.find(order);
    if (row.status !== 'accepted' && row.status !== 'partially_filled') throw new VenueRejectedError(`Order ${order.clientOrderId} is ${row.status} and cannot be cancelled.`, 'closed');
    this.publish(this.sim.cancel(row, this.clock.now(), this.onFill));
  }

  /** Modifies a working order in the matching engine; the account must carry the changed order. */
  async replace(order: Order, changes: ReplaceChanges): Promise<ReplaceAck> {
    if (this.status.state !== 'connected') throw new VenueRejectedError('Paper venue is not running.');
    const row = this.find(order);
    if (row.status !== 'accepted' && row.status !== 'partially_filled') throw new VenueRejectedError(`Order ${order.clientOrderId} is ${row.status} and cannot be modified.`, 'closed');
    const inst = this.instrument(row.instrumentId)!;
    const qty = changes.qty ?? row.qty;
    const rest = new Decimal(qty).minus(row.filledQty);
    if (rest.lte(0)) throw new VenueRejectedError(`The new quantity ${qty} is not above the ${row.filledQty} already filled; cancel the order to stop the rest.`, 'qty_below_filled');
    const limitPrice = changes.limitPrice ?? row.limitPrice ?? undefined;
    const stopPrice = changes.stopPrice ?? row.stopPrice ?? undefined;
    // Only what is still to fill needs buying power, and the order's own reservation is freed by the change.
    const ticket = {
      side: row.side,
      type: row.type,
      qty: toStr(rest),
      tif: row.tif,
      ...(limitPrice ? { limitPrice } : {}),
      ...(stopPrice ? { stopPrice } : {}),
      ...(row.ocaGroup ? { ocaGroup: row.ocaGroup } : {}),
    };
    // A bracket exit sells (or buys back) what its entry filled: a new price needs no new buying power or coins.
    if (!row.parentId) this.refuseUnaffordable(inst, ticket, row.venueOrderId);
    const out = this.sim.replace(row, changes, this.source.book(inst.id), this.clock.now(), this.onFill);
    if (typeof out === 'string') throw new VenueRejectedError(`Paper refused the change: ${out}.`, 'replace_refused');
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

  async lookup(clientOrderId: string): Promise<VenueOrderReport | undefined> {
    const row = this.store.orderByClientId(clientOrderId);
    return row ? this.sim.report(row) : undefined;
  }
  async openOrders(): Promise<VenueOrderReport[]> {
    return this.store.openOrders().map((r) => this.sim.report(r));
  }
  async fillsSince(sinceTs: number): Promise<VenueFillReport[]> {
    return this.store.fillsSince(sinceTs).map((f) => this.sim.fillReport(f));
  }
  async positions(): Promise<Position[]> {
    return this.account.positions();
  }
  async balances(): Promise<Balance[]> {
    return this.account.balances();
  }

  /** The order's instrument, once the venue runs, knows it and has none of these client ids yet. */
  private admit(order: Order, children: readonly Order[]): Instrument {
    if (this.status.state !== 'connected') throw new VenueRejectedError('Paper venue is not running.');
    const inst = this.instrument(order.instrumentId);
    if (!inst) throw new VenueRejectedError(`Paper has no instrument ${order.instrumentId}.`);
    for (const o of [order, ...children]) {
      if (this.store.orderByClientId(o.clientOrderId)) throw new VenueRejectedError(`Duplicate client order id ${o.clientOrderId}.`, 'duplicate');
    }
    return inst;
  }

  private find(order: Order): SimOrderRow {
    const row = (order.venueOrderId && this.store.orderByVenueId(order.venueOrderId)) || this.store.orderByClientId(order.clientOrderId);
    if (!row) throw new VenueRejectedError(`Paper has no order ${order.clientOrderId}.`, 'not_found');
    return row;
  }

  private check(inst: Instrument, o: Order): void {
    const ticket = {
      side: o.side,
      type: o.type,
      qty: o.qty,
      tif: o.tif,
      ...(o.limitPrice ? { limitPrice: o.limitPrice } : {}),
      ...(o.stopPrice ? { stopPrice: o.stopPrice } : {}),
      ...(o.trailAmount ? { trailAmount: o.trailAmount } : {}),
      ...(o.trailPercent ? { trailPercent: o.trailPercent } : {}),
      ...(o.ocaGroup ? { ocaGroup: o.ocaGroup } : {}),
    };
    this.refuseUnaffordable(inst, ticket);
  }

  private refuseUnaffordable(inst: Instrument, t: NormalizedTicket, excludeOrder?: string): void {
    const { violation } = this.account.affordability(inst, t, excludeOrder);
    if (violation) throw new VenueRejectedError(violation.message, violation.code);
  }

  /**
   * Sends what the simulator booked to the engine: fills, order reports, moved positions, balances,
   * as one burst (a tick's dozens of fills are journaled in one transaction). The simulator's own
   * rows committed first: if the engine cannot journal the burst, they are what reconciling reads.
   */
  private publish(result: LedgerResult): void {
    const touched = [...this.touched];
    this.touched.clear();
    const l = this.listener;
    if (!l) return;
    if (!touched.length && !result.reports.length && !result.fills.length) return;
    const deliver = () => {
      for (const f of result.fills) l.fill(f);
      for (const r of result.reports) l.orderReport(r);
      for (const id of touched) l.position(this.account.positionOf(id));
      // Reserved cash changes with every order event, so balances go out whenever an order moved.
      if (touched.length || result.reports.length) for (const b of this.account.balances()) l.balance(b);
    };
    if (l.burst) l.burst(deliver);
    else deliver();
  }

  /** Cash minus what open orders reserve and what positions hold (sim/account.ts). */
  buyingPower(excludeOrder?: string): Decimal {
    return this.account.buyingPower(excludeOrder);
  }

  async preview(inst: Instrument, t: NormalizedTicket): Promise<VenuePreview> {
    const a = this.account.affordability(inst, t);
    const dp = 2;
    return {
      estPrice: a.est.price ? toStr(a.est.price) : null,
      estNotional: a.notional ? toStr(a.notional.toDecimalPlaces(dp)) : null,
      estFee: a.fee ? toStr(a.fee) : null,
      estTotal: a.total ? toStr(a.total.toDecimalPlaces(dp)) : null,
      currency: inst.quote,
      buyingPowerBefore: toStr(a.bp.toDecimalPlaces(dp, Decimal.ROUND_DOWN)),
      buyingPowerAfter: a.bpAfter ? toStr(a.bpAfter.toDecimalPlaces(dp, Decimal.ROUND_DOWN)) : null,
      warnings: a.est.warnings,
      violations: a.violation ? [a.violation] : [],
    };
  }
}
