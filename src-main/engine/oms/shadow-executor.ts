/**
 * SHADOW route: an order on a venue in SHADOW mode (or the shadow share of CANARY) is never sent.
 * It is filled by the Paper matching engine against that venue's REAL book and quotes, and
 * reported through the same OrderManager paths (applyReport / applyFill) as a venue's own
 * reports, so the blotter, fills, risk and reconciliation treat it like any other order.
 *
 * It implements the venue port so the OrderManager and the reconciler need no special case: the
 * engine hands it out as "the connector" for orders whose route is `shadow`. Market data
 * (instruments, quotes, books) is the real venue's; orders, fills and their state are its own,
 * persisted in the Paper venue's tables under the venue key `shadow:<venue>` so they survive a
 * restart and never mix with the Paper venue's or the real venue's records.
 *
 * Model limits (said here so nobody reads more into a shadow fill than it is): there is no
 * simulated account; buying power is judged by the real venue's preview against the real account
 * (oms/preview.ts shadowAccountCheck), one order at a time; fees use the Paper
 * default rates; the displayed book is not depleted by our fills (same model as Paper). Trailing
 * stops, brackets and OCA groups follow the Paper matching engine's rules (matching-engine.ts);
 * SHADOW runs one engine per instrument, so an OCA group links orders of one instrument only.
 */
import type { Instrument } from '../domain/instrument';
import { Decimal } from '../domain/money';
import type { Balance, Order, Position } from '../domain/order';
import type { NormalizedTicket } from '../domain/order-validation';
import { PAPER_CAPABILITIES, type OrderCapabilities } from '../domain/order-capabilities';
import type { Clock } from '../ports/clock';
import type { Db } from '../store/db';
import { MatchingEngine, type MatchEvent, type ScaledBook, type ScaledLevel } from '../venues/paper/matching-engine';
import { PaperStore } from '../venues/paper/paper-store';
import { applyMatchEvents, paperFillReport, paperOrderReport, persistedFromRow, recordNewOrder } from '../venues/paper/paper-ledger';
import type { PaperOrderRow } from '../venues/paper/paper-store';
import { VenueRejectedError, type ReplaceAck, type ReplaceChanges, type SubmitAck, type VenueConnector, type VenueFillReport, type VenueListener, type VenueOrderReport, type VenuePreview } from '../venues/venue-port';

/** Ids carry this prefix so a shadow order or fill can never collide with one the real venue issues. */
export const SHADOW_ID_PREFIX = 'shadow:';
/** Marks every SHADOW report so a transition record shows the order was simulated. */
const SHADOW_RAW = { shadow: true } as const;
const BOOK_DEPTH = 20;

export interface ShadowExecutorDeps {
  readonly venue: string;
  readonly db: Db;
  readonly clock: Clock;
  /** The running real connector (it changes when the venue restarts). */
  readonly real: () => VenueConnector | undefined;
  /** Where reports go: the engine wires this to the OrderManager. */
  readonly report: Pick<VenueListener, 'orderReport' | 'fill'>;
}

export class ShadowExecutor implements VenueConnector {
  readonly kind = 'shadow';
  readonly name: string;
  private readonly store: PaperStore;
  /** One matching engine per instrument, made on first use: a real venue's instrument list loads late. */
  private readonly engines = new Map<string, MatchingEngine>();
  private bookVersion = 0;
  private restored = false;

  constructor(private readonly d: ShadowExecutorDeps) {
    this.name = d.venue;
    this.store = new PaperStore(d.db, `${SHADOW_ID_PREFIX}${d.venue}`);
  }

  /** Reloads working shadow orders into their matching engines (idempotent). */
  async start(_listener?: VenueListener): Promise<void> {
    if (this.restored) return;
    const real = this.d.real();
    if (!real) return;
    this.restored = true;
    // One restore per instrument, so a bracket's entry and children (and an OCA group) are linked again.
    const byInst = new Map<string, PaperOrderRow[]>();
    const cancelled: Array<[PaperOrderRow, string]> = [];
    for (const o of this.store.openOrders()) {
      if (!real.instrument(o.instrumentId)) cancelled.push([o, `${o.instrumentId} is no longer listed by ${this.d.venue}`]);
      else byInst.set(o.instrumentId, [...(byInst.get(o.instrumentId) ?? []), o]);
    }
    for (const [id, rows] of byInst) {
      const result = this.engineFor(real.instrument(id)!).restore(rows.map(persistedFromRow));
      for (const p of result.problems) {
        const o = rows.find((r) => r.venueOrderId === p.orderId);
        if (o) cancelled.push([o, p.reason]);
      }
    }
    for (const [o, reason] of cancelled) {
      // It cannot work any more; say so instead of leaving an order that never fills.
      this.store.saveOrder({ ...o, status: 'cancelled', reason: `shadow order cancelled: ${reason}`, updatedAt: this.d.clock.now() });
      this.d.report.orderReport(paperOrderReport(this.store.orderByVenueId(o.venueOrderId)!, SHADOW_RAW));
    }
  }
  async stop(): Promise<void> {}
  /** SHADOW fills come from the Paper matching engine, so it can carry what Paper can, whatever the real venue could. */
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
    const inst = this.instrument(order.instrumentId);
    if (!inst) throw new VenueRejectedError(`${this.d.venue} has no instrument ${order.instrumentId}.`);
    if (this.store.orderByClientId(order.clientOrderId)) throw new VenueRejectedError(`Duplicate client order id ${order.clientOrderId}.`, 'duplicate');
    const now = this.d.clock.now();
    const { row, input } = recordNewOrder(this.store, order, SHADOW_ID_PREFIX, now);
    const venueOrderId = row.venueOrderId;
    const events = this.engineFor(inst).submit(input, this.scaledBook(inst), now);
    this.apply(events, now);
    const after = this.store.orderByVenueId(venueOrderId)!;
    if (after.status === 'rejected') throw new VenueRejectedError(`shadow: ${after.reason ?? 'rejected'}`);
    return { venueOrderId, status: after.status };
  }

  /** A bracket simulated like Paper's: children held until the entry fills on the real book. */
  async submitBracketOrders(parent: Order, children: readonly Order[]): Promise<SubmitAck[]> {
    const inst = this.instrument(parent.instrumentId);
    if (!inst) throw new VenueRejectedError(`${this.d.venue} has no instrument ${parent.instrumentId}.`);
    for (const o of [parent, ...children]) {
      if (this.store.orderByClientId(o.clientOrderId)) throw new VenueRejectedError(`Duplicate client order id ${o.clientOrderId}.`, 'duplicate');
    }
    const now = this.d.clock.now();
    const legs = this.store.transaction(() => {
      const entry = recordNewOrder(this.store, parent, SHADOW_ID_PREFIX, now);
      return [entry, ...children.map((c) => recordNewOrder(this.store, c, SHADOW_ID_PREFIX, now, entry.row.venueOrderId))];
    });
    const [entry, ...kids] = legs;
    const events = this.engineFor(inst).submitBracket(
      entry!.input,
      kids.map((k) => k.input),
      this.scaledBook(inst),
      now,
    );
    this.apply(events, now);
    const after = legs.map((l) => this.store.orderByVenueId(l.row.venueOrderId)!);
    if (after[0]!.status === 'rejected') throw new VenueRejectedError(`shadow: ${after[0]!.reason ?? 'rejected'}`);
    return after.map((r) => ({ venueOrderId: r.venueOrderId, status: r.status }));
  }

  async cancel(order: Order): Promise<void> {
    const row = this.store.orderByClientId(order.clientOrderId);
    if (!row) throw new VenueRejectedError(`No shadow order ${order.clientOrderId}.`, 'not_found');
    if (row.status !== 'accepted' && row.status !== 'partially_filled' && row.status !== 'submitted') throw new VenueRejectedError(`Shadow order ${order.clientOrderId} is ${row.status}.`, 'closed');
    const now = this.d.clock.now();
    const me = this.engines.get(row.instrumentId);
    const events = me?.get(row.venueOrderId) ? me.cancel(row.venueOrderId, now) : [{ type: 'cancelled' as const, orderId: row.venueOrderId, ts: now, reason: 'cancelled by request' }];
    this.apply(events, now);
  }

  /** Modifies a resting shadow order in its matching engine (same rules as Paper; no account to check). */
  async replace(order: Order, changes: ReplaceChanges): Promise<ReplaceAck> {
    const row = this.store.orderByClientId(order.clientOrderId);
    if (!row) throw new VenueRejectedError(`No shadow order ${order.clientOrderId}.`, 'not_found');
    if (row.status !== 'accepted' && row.status !== 'partially_filled') throw new VenueRejectedError(`Shadow order ${order.clientOrderId} is ${row.status} and cannot be modified.`, 'closed');
    const inst = this.instrument(row.instrumentId);
    const me = inst && this.engines.get(row.instrumentId);
    if (!inst || !me?.get(row.venueOrderId)) throw new VenueRejectedError(`Shadow order ${order.clientOrderId} is not working (is ${this.d.venue} running?).`, 'not_working');
    const now = this.d.clock.now();
    const events = me.replace(row.venueOrderId, changes, this.scaledBook(inst), now);
    if (typeof events === 'string') throw new VenueRejectedError(`shadow: ${events}`, 'replace_refused');
    this.apply(events, now);
    const after = this.store.orderByVenueId(row.venueOrderId)!;
    return { venueOrderId: after.venueOrderId, status: after.status, qty: after.qty, ...(after.limitPrice ? { limitPrice: after.limitPrice } : {}), ...(after.stopPrice ? { stopPrice: after.stopPrice } : {}) };
  }

  /** The real venue's market moved: match resting shadow orders of that instrument against it. */
  onMarketData(instrumentId: string): void {
    const me = this.engines.get(instrumentId);
    if (!me || !me.hasWorking(instrumentId)) return;
    const inst = this.instrument(instrumentId);
    const book = inst && this.scaledBook(inst);
    if (!book) return;
    const now = this.d.clock.now();
    const events = me.onBook(instrumentId, book, now);
    const exp = me.nextExpiry();
    if (exp !== undefined && exp <= now) events.push(...me.expireDay(now));
    if (events.length) this.apply(events, now);
  }

  async lookup(clientOrderId: string): Promise<VenueOrderReport | undefined> {
    const row = this.store.orderByClientId(clientOrderId);
    return row ? paperOrderReport(row, SHADOW_RAW) : undefined;
  }
  async openOrders(): Promise<VenueOrderReport[]> {
    return this.store.openOrders().map((r) => paperOrderReport(r, SHADOW_RAW));
  }
  async fillsSince(sinceTs: number): Promise<VenueFillReport[]> {
    return this.store.fillsSince(sinceTs).map((f) => paperFillReport(f, SHADOW_RAW));
  }
  /** Shadow exposure is derived from the journal's shadow fills (see risk/exposure.ts), not reported here. */
  async positions(): Promise<Position[]> {
    return [];
  }
  async balances(): Promise<Balance[]> {
    return [];
  }

  private engineFor(inst: Instrument): MatchingEngine {
    let me = this.engines.get(inst.id);
    if (!me) {
      me = new MatchingEngine({ instruments: [inst] });
      this.engines.set(inst.id, me);
    }
    return me;
  }

  /**
   * The venue's displayed book in ticks and lots. A venue without depth gives only its top of
   * book (quote with sizes); a side without a size is left out rather than guessed, so a shadow
   * market order never fills against liquidity nobody showed.
   */
  private scaledBook(inst: Instrument): ScaledBook | undefined {
    const tick = new Decimal(inst.tickSize);
    const lot = new Decimal(inst.lotSize);
    const toLevel = (price: string, qty: string, side: 'bid' | 'ask'): ScaledLevel | undefined => {
      const p = new Decimal(price).div(tick);
      const ticks = (side === 'bid' ? p.floor() : p.ceil()).toNumber();
      const lots = new Decimal(qty).div(lot).floor().toNumber();
      return ticks > 0 && lots > 0 && Number.isSafeInteger(ticks) && Number.isSafeInteger(lots) ? [ticks, lots] : undefined;
    };
    const levels = (xs: Array<[string, string]>, side: 'bid' | 'ask') => xs.map(([p, q]) => toLevel(p, q, side)).filter((l): l is ScaledLevel => l !== undefined);
    const snap = this.book(inst.id, BOOK_DEPTH);
    let bids: ScaledLevel[] = [];
    let asks: ScaledLevel[] = [];
    if (snap && (snap.bids.length > 0 || snap.asks.length > 0)) {
      bids = levels(snap.bids.map((l) => [l.price, l.qty]), 'bid');
      asks = levels(snap.asks.map((l) => [l.price, l.qty]), 'ask');
    } else {
      const q = this.quote(inst.id);
      if (!q) return undefined;
      if (q.bid && q.bidSize) bids = levels([[q.bid, q.bidSize]], 'bid');
      if (q.ask && q.askSize) asks = levels([[q.ask, q.askSize]], 'ask');
    }
    // Every call is a fresh look at the venue: a new version lets resting orders match it once.
    return { bids, asks, version: ++this.bookVersion };
  }

  /** Applies match events to the shadow rows in one transaction, then reports them (fills first). */
  private apply(events: readonly MatchEvent[], now: number): void {
    const { reports, fills } = this.store.transaction(() => applyMatchEvents(this.store, events, now, { fillIdPrefix: SHADOW_ID_PREFIX, raw: SHADOW_RAW }));
    for (const f of fills) this.d.report.fill(f);
    for (const r of reports) this.d.report.orderReport(r);
  }
}
