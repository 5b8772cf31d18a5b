/**
 * The Paper venue connector: a simulated exchange behind the same port as every real venue.
 *
 * Account model (documented for traders in the README):
 * - one USD cash balance (all Paper instruments are USD-quoted), starting at `startingCash`;
 * - crypto is spot: a buy pays USD and adds the coin, a sell needs the coin (no crypto shorts);
 * - equities and ETFs may be shorted; a short holds 150 % of its value out of buying power
 *   (its proceeds are in cash, so the net cost is 50 %), as under Reg T;
 * - futures exchange no notional: each open contract holds initial margin (8 % of its value),
 *   and realized P&L settles to cash;
 * - resting buy orders reserve their cost (limit or stop price × qty + taker fee; a trailing
 *   stop at its current stop);
 * - a bracket's held children reserve nothing; once the entry fills, its two exits protect the
 *   same quantity (released − exited), so they reserve it ONCE between them (the larger of the
 *   two), and a crypto exit sells coins the entry bought, so those coins are no longer free;
 * - OCA members each reserve as if they were alone (a fill cancels the rest, but until then any
 *   one of them may fill first).
 * Everything the venue knows is in its own tables (paper-store.ts) and survives a restart.
 */
import type { Instrument } from '../../domain/instrument';
import { Decimal, toStr, ZERO } from '../../domain/money';
import type { Balance, BookSnapshot, Order, Position, Quote } from '../../domain/order';
import type { NormalizedTicket } from '../../domain/order-validation';
import { PAPER_CAPABILITIES, type OrderCapabilities } from '../../domain/order-capabilities';
import type { PreviewIssue, VenueState } from '../../api/commands';
import type { Clock } from '../../ports/clock';
import { fromTicks, toLots } from '../../domain/scaled';
import type { ReplaceAck, ReplaceChanges, SubmitAck, VenueConnector, VenueContext, VenueFillReport, VenueListener, VenueOrderReport, VenuePreview } from '../venue-port';
import { VenueRejectedError } from '../venue-port';
import { PAPER_INSTRUMENTS, paperSpec } from './paper-instruments';
import { MatchingEngine, computeFee, type MatchEvent, type ScaledBook } from './matching-engine';
import { PaperPriceSource } from './price-source';
import { PaperStore, type PaperOrderRow, type PaperPositionRow } from './paper-store';
import { applyMatchEvents, paperFillReport, paperOrderReport, persistedFromRow, recordNewOrder } from './paper-ledger';
import { readPaperSettings, type PaperSettings } from './paper-config';
import { PaperReservations, type Hold } from './paper-reservations';

const CASH = 'USD';
const FUTURES_MARGIN = new Decimal('0.08');
const SHORT_REQUIREMENT = new Decimal('1.5');
const MIDS_SAVE_EVERY_MS = 5_000;

export class PaperVenue implements VenueConnector {
  readonly kind = 'paper';
  readonly name: string;
  private readonly settings: PaperSettings;
  private readonly clock: Clock;
  private readonly store: PaperStore;
  readonly source: PaperPriceSource;
  readonly matching: MatchingEngine;
  private readonly byId = new Map<string, Instrument>();
  /** PAPER_INSTRUMENTS, or copies trading 24/7 when `market24x7` is set. */
  private readonly list: readonly Instrument[];
  private listener?: VenueListener;
  private timer?: NodeJS.Timeout;
  private lastMidsSave = 0;
  private status: { state: VenueState; detail: string } = { state: 'disconnected', detail: 'not started' };
  /** What open orders hold back, as running totals (paper-reservations.ts). */
  private readonly held = new PaperReservations(
    (o) => this.holdOf(o),
    (o) => this.reservation(o),
  );

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
    this.matching = new MatchingEngine({ instruments: this.list, fees: { maker: this.settings.makerFee, taker: this.settings.takerFee } });
    this.store.onOrderSaved = (o) => this.held.save(o);
    this.store.onRollback = () => this.held.reset(this.store.openOrders());
  }

  async start(listener: VenueListener): Promise<void> {
    this.listener = listener;
    if (this.store.balances().size === 0) this.store.saveBalance(CASH, toStr(this.settings.startingCash));
    this.held.reset(this.store.openOrders());
    // Trailing extremes, held / released bracket children and OCA groups come back from the rows.
    const restored = this.matching.restore(this.store.openOrders().map(persistedFromRow));
    for (const p of restored.problems) {
      const row = this.store.orderByVenueId(p.orderId);
      if (row) this.store.saveOrder({ ...row, status: 'cancelled', reason: `could not be restored: ${p.reason}`, updatedAt: this.clock.now() });
    }
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
    const changed = this.source.step(now);
    const events: MatchEvent[] = [];
    for (const id of changed) {
      if (this.matching.hasWorking(id)) events.push(...this.matching.onBook(id, this.source.book(id)!, now));
    }
    const exp = this.matching.nextExpiry();
    if (exp !== undefined && exp <= now) events.push(...this.matching.expireDay(now));
    if (events.length) this.apply(events, now);
    const l = this.listener;
    if (l) for (const id of changed) l.quote(this.source.quote(id)!);
    if (now - this.lastMidsSave >= MIDS_SAVE_EVERY_MS) this.saveMidsSafely(now);
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
  book(instrumentId: string, depth: number): BookSnapshot | undefined {
    return this.source.bookSnapshot(instrumentId, depth);
  }

  // ---------------------------------------------------------------------------------------------
  // Orders

  async submit(order: Order): Promise<SubmitAck> {
    if (this.status.state !== 'connected') throw new VenueRejectedError('Paper venue is not running.');
    const inst = this.instrument(order.instrumentId);
    if (!inst) throw new VenueRejectedError(`Paper has no instrument ${order.instrumentId}.`);
    if (this.store.orderByClientId(order.clientOrderId)) throw new VenueRejectedError(`Duplicate client order id ${order.clientOrderId}.`, 'duplicate');
    const ticket = {
      side: order.side,
      type: order.type,
      qty: order.qty,
      tif: order.tif,
      ...(order.limitPrice ? { limitPrice: order.limitPrice } : {}),
      ...(order.stopPrice ? { stopPrice: order.stopPrice } : {}),
      ...(order.trailAmount ? { trailAmount: order.trailAmount } : {}),
      ...(order.trailPercent ? { trailPercent: order.trailPercent } : {}),
    };
    const check = this.affordability(inst, ticket);
    if (check.violation) throw new VenueRejectedError(check.violation.message, check.violation.code);

    const now = this.clock.now();
    const { row, input } = recordNewOrder(this.store, order, 'P', now);
    const venueOrderId = row.venueOrderId;
    const events = this.matching.submit(input, this.source.book(inst.id), now);
    this.apply(events, now);
    const after = this.store.orderByVenueId(venueOrderId)!;
    if (after.status === 'rejected') throw new VenueRejectedError(after.reason ?? 'rejected by Paper');
    return { venueOrderId, status: after.status };
  }

  /**
   * A bracket: the entry is checked against the account like any order; its children reserve
   * nothing while held. All legs are recorded in one transaction, then matched as one group.
   */
  async submitBracketOrders(parent: Order, children: readonly Order[]): Promise<SubmitAck[]> {
    if (this.status.state !== 'connected') throw new VenueRejectedError('Paper venue is not running.');
    const inst = this.instrument(parent.instrumentId);
    if (!inst) throw new VenueRejectedError(`Paper has no instrument ${parent.instrumentId}.`);
    for (const o of [parent, ...children]) {
      if (this.store.orderByClientId(o.clientOrderId)) throw new VenueRejectedError(`Duplicate client order id ${o.clientOrderId}.`, 'duplicate');
    }
    const ticket = { side: parent.side, type: parent.type, qty: parent.qty, tif: parent.tif, ...(parent.limitPrice ? { limitPrice: parent.limitPrice } : {}), ...(parent.stopPrice ? { stopPrice: parent.stopPrice } : {}) };
    const check = this.affordability(inst, ticket);
    if (check.violation) throw new VenueRejectedError(check.violation.message, check.violation.code);
    const now = this.clock.now();
    const legs = this.store.transaction(() => {
      const entry = recordNewOrder(this.store, parent, 'P', now);
      return [entry, ...children.map((c) => recordNewOrder(this.store, c, 'P', now, entry.row.venueOrderId))];
    });
    const [entry, ...kids] = legs;
    const events = this.matching.submitBracket(
      entry!.input,
      kids.map((k) => k.input),
      this.source.book(inst.id),
      now,
    );
    this.apply(events, now);
    const after = legs.map((l) => this.store.orderByVenueId(l.row.venueOrderId)!);
    if (after[0]!.status === 'rejected') throw new VenueRejectedError(after[0]!.reason ?? 'rejected by Paper');
    return after.map((r) => ({ venueOrderId: r.venueOrderId, status: r.status }));
  }

  async cancel(order: Order): Promise<void> {
    const row = (order.venueOrderId && this.store.orderByVenueId(order.venueOrderId)) || this.store.orderByClientId(order.clientOrderId);
    if (!row) throw new VenueRejectedError(`Paper has no order ${order.clientOrderId}.`, 'not_found');
    if (row.status !== 'accepted' && row.status !== 'partially_filled') throw new VenueRejectedError(`Order ${order.clientOrderId} is ${row.status} and cannot be cancelled.`, 'closed');
    const now = this.clock.now();
    this.apply(this.matching.cancel(row.venueOrderId, now, 'cancelled by request'), now);
  }

  /** Modifies a working order in the matching engine; the account must carry the changed order. */
  async replace(order: Order, changes: ReplaceChanges): Promise<ReplaceAck> {
    if (this.status.state !== 'connected') throw new VenueRejectedError('Paper venue is not running.');
    const row = (order.venueOrderId && this.store.orderByVenueId(order.venueOrderId)) || this.store.orderByClientId(order.clientOrderId);
    if (!row) throw new VenueRejectedError(`Paper has no order ${order.clientOrderId}.`, 'not_found');
    if (row.status !== 'accepted' && row.status !== 'partially_filled') throw new VenueRejectedError(`Order ${order.clientOrderId} is ${row.status} and cannot be modified.`, 'closed');
    const inst = this.instrument(row.instrumentId)!;
    const qty = changes.qty ?? row.qty;
    const rest = new Decimal(qty).minus(row.filledQty);
    if (rest.lte(0)) throw new VenueRejectedError(`The new quantity ${qty} is not above the ${row.filledQty} already filled; cancel the order to stop the rest.`, 'qty_below_filled');
    const limitPrice = changes.limitPrice ?? row.limitPrice ?? undefined;
    const stopPrice = changes.stopPrice ?? row.stopPrice ?? undefined;
    // Only what is still to fill needs buying power, and the order's own reservation is freed by the change.
    const ticket = { side: row.side, type: row.type, qty: toStr(rest), tif: row.tif, ...(limitPrice ? { limitPrice } : {}), ...(stopPrice ? { stopPrice } : {}) };
    // A bracket exit sells (or buys back) what its entry filled: a new price needs no new buying power or coins.
    const check = row.parentId ? undefined : this.affordability(inst, ticket, row.venueOrderId);
    if (check?.violation) throw new VenueRejectedError(check.violation.message, check.violation.code);
    const now = this.clock.now();
    const events = this.matching.replace(row.venueOrderId, changes, this.source.book(inst.id), now);
    if (typeof events === 'string') throw new VenueRejectedError(`Paper refused the change: ${events}.`, 'replace_refused');
    this.apply(events, now);
    const after = this.store.orderByVenueId(row.venueOrderId)!;
    return { venueOrderId: after.venueOrderId, status: after.status, qty: after.qty, ...(after.limitPrice ? { limitPrice: after.limitPrice } : {}), ...(after.stopPrice ? { stopPrice: after.stopPrice } : {}) };
  }

  async lookup(clientOrderId: string): Promise<VenueOrderReport | undefined> {
    const row = this.store.orderByClientId(clientOrderId);
    return row ? paperOrderReport(row) : undefined;
  }
  async openOrders(): Promise<VenueOrderReport[]> {
    return this.store.openOrders().map((r) => paperOrderReport(r));
  }
  async fillsSince(sinceTs: number): Promise<VenueFillReport[]> {
    return this.store.fillsSince(sinceTs).map((f) => paperFillReport(f));
  }
  async positions(): Promise<Position[]> {
    return [...this.store.positions().values()].map((p) => this.position(p));
  }
  async balances(): Promise<Balance[]> {
    return this.balanceList();
  }

  /** Applies match events to the venue's orders, fills and account in one transaction, then reports them. */
  private apply(events: MatchEvent[], now: number): void {
    const touchedPositions = new Set<string>();
    let balancesChanged = false;
    const { reports, fills } = this.store.transaction(() => {
      const out = applyMatchEvents(this.store, events, now, {
        onFill: (row, f) => {
          this.settleFill(row.instrumentId, row.side, new Decimal(f.qty), new Decimal(f.price), new Decimal(f.fee));
          touchedPositions.add(row.instrumentId);
          balancesChanged = true;
        },
      });
      // Reserved cash changes with every order event, so balances go out whenever an order moved.
      if (out.reports.length) balancesChanged = true;
      return out;
    });
    const l = this.listener;
    if (!l) return;
    for (const f of fills) l.fill(f);
    for (const r of reports) l.orderReport(r);
    const positions = this.store.positions();
    for (const id of touchedPositions) {
      const p = positions.get(id);
      const inst = this.byId.get(id)!;
      l.position(p ? this.position(p) : { venue: this.name, instrumentId: id, symbol: inst.symbol, qty: '0', avgPrice: '0', realizedPnl: '0' });
    }
    if (balancesChanged) for (const b of this.balanceList()) l.balance(b);
  }

  /** Moves cash and the position for one fill (inside apply's transaction). */
  private settleFill(instrumentId: string, side: Order['side'], qty: Decimal, price: Decimal, fee: Decimal): void {
    const inst = this.byId.get(instrumentId)!;
    const mult = new Decimal(inst.multiplier);
    const positions = this.store.positions();
    const pos: PaperPositionRow = positions.get(instrumentId) ?? { instrumentId, qty: '0', avgPrice: '0', realizedPnl: '0' };
    const cur = new Decimal(pos.qty);
    const signed = side === 'buy' ? qty : qty.neg();
    const next = cur.plus(signed);
    let realized = ZERO;
    let avg = new Decimal(pos.avgPrice);
    if (cur.isZero() || cur.isNeg() === signed.isNeg()) {
      avg = cur.abs().mul(avg).plus(qty.mul(price)).div(next.abs());
    } else {
      const closing = Decimal.min(qty, cur.abs());
      realized = price.minus(avg).mul(closing).mul(cur.isNeg() ? -1 : 1).mul(mult);
      if (next.isZero()) avg = ZERO;
      else if (next.isNeg() !== cur.isNeg()) avg = price; // flipped: the remainder opened at this price
    }
    const cash = new Decimal(this.store.balances().get(CASH) ?? '0');
    const cashDelta = inst.assetClass === 'future' ? realized.minus(fee) : signed.neg().mul(price).mul(mult).minus(fee);
    this.store.saveBalance(CASH, toStr(cash.plus(cashDelta)));
    if (next.isZero()) this.store.deletePosition(instrumentId);
    else this.store.savePosition({ instrumentId, qty: toStr(next), avgPrice: toStr(avg.toDecimalPlaces(12)), realizedPnl: toStr(new Decimal(pos.realizedPnl).plus(realized)) });
    if (inst.assetClass === 'crypto_spot') this.store.saveBalance(inst.base, toStr(next));
  }

  private position(p: PaperPositionRow): Position {
    const inst = this.byId.get(p.instrumentId);
    return { venue: this.name, instrumentId: p.instrumentId, symbol: inst?.symbol ?? p.instrumentId, qty: p.qty, avgPrice: p.avgPrice, realizedPnl: p.realizedPnl };
  }

  private balanceList(): Balance[] {
    const out: Balance[] = [];
    const bp = this.buyingPower();
    for (const [asset, total] of this.store.balances()) {
      // Exact: rounding here showed fractions of a cent as "reserved" after every fill.
      if (asset === CASH) out.push({ venue: this.name, asset, total, available: toStr(bp) });
      else out.push({ venue: this.name, asset, total, available: toStr(this.freeCoin(asset)) });
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Buying power and preview

  private mark(inst: Instrument): Decimal | undefined {
    return this.source.mid(inst.id);
  }

  /** Cash minus what open orders reserve and what positions hold (futures margin, short requirement). */
  buyingPower(excludeOrder?: string): Decimal {
    let bp = new Decimal(this.store.balances().get(CASH) ?? '0');
    for (const p of this.store.positions().values()) {
      const inst = this.byId.get(p.instrumentId);
      if (!inst) continue;
      const value = new Decimal(p.qty).abs().mul(this.mark(inst) ?? p.avgPrice).mul(inst.multiplier);
      if (inst.assetClass === 'future') bp = bp.minus(value.mul(FUTURES_MARGIN));
      else if (new Decimal(p.qty).isNeg()) bp = bp.minus(value.mul(SHORT_REQUIREMENT));
    }
    // Open orders' holds are running totals; a bracket's two exits count once (the larger).
    return bp.minus(this.held.cash(excludeOrder));
  }

  /** One open order's hold, computed when its row changes (PaperReservations keeps the totals). */
  private holdOf(o: PaperOrderRow): Hold {
    const inst = this.byId.get(o.instrumentId);
    const floating = (o.limitPrice ?? o.stopPrice ?? o.trailStop) === null;
    const cash = floating || !inst ? ZERO : this.reservation(o);
    const coin = inst?.assetClass === 'crypto_spot' && o.side === 'sell' ? { asset: inst.base, qty: this.workingQty(o) } : undefined;
    return coin ? { cash, coin, floating } : { cash, floating };
  }

  /** What an open order may still fill: its remainder, or for a bracket exit what the entry released and no exit has used (0 while held). */
  private workingQty(o: PaperOrderRow): Decimal {
    const remaining = new Decimal(o.qty).minus(o.filledQty);
    if (!o.parentId) return remaining;
    const shared = new Decimal(o.releasedQty ?? '0').minus(o.exitedQty ?? '0');
    return Decimal.max(ZERO, Decimal.min(remaining, shared));
  }

  private reservation(o: PaperOrderRow): Decimal {
    const inst = this.byId.get(o.instrumentId);
    if (!inst) return ZERO;
    const px = new Decimal(o.limitPrice ?? o.stopPrice ?? o.trailStop ?? this.mark(inst) ?? 0);
    return this.holdFor(inst, o.side, this.workingQty(o), px);
  }

  /** What a working order holds out of buying power: the one formula for the hold and the preview of it. */
  private holdFor(inst: Instrument, side: Order['side'], qty: Decimal, px: Decimal): Decimal {
    const value = qty.mul(px).mul(inst.multiplier);
    if (inst.assetClass === 'future') return value.mul(FUTURES_MARGIN);
    return side === 'buy' ? value.mul(this.matching.fees().taker.plus(1)) : ZERO;
  }

  /** The price a ticket would rest at (what its hold is computed on), or undefined when it executes on arrival. */
  private restingPrice(inst: Instrument, t: NormalizedTicket, marketable: boolean): Decimal | undefined {
    if (t.type === 'market' || (t.type === 'limit' && marketable)) return undefined;
    if (t.type === 'limit') return new Decimal(t.limitPrice!);
    const q = this.source.quote(inst.id);
    const touch = t.side === 'buy' ? q?.ask : q?.bid;
    if (t.type === 'trailing_stop') return undefined;
    const stop = new Decimal(t.stopPrice!);
    // A stop already through the market triggers on arrival.
    if (touch && (t.side === 'buy' ? new Decimal(touch).gte(stop) : new Decimal(touch).lte(stop))) return undefined;
    return t.type === 'stop_limit' ? new Decimal(t.limitPrice!) : stop;
  }

  /** Coins not promised to open sell orders. */
  private freeCoin(asset: string, excludeOrder?: string): Decimal {
    const inst = this.list.find((i) => i.assetClass === 'crypto_spot' && i.base === asset);
    const free = new Decimal(this.store.balances().get(asset) ?? '0');
    if (!inst) return free;
    // A bracket's take-profit and stop-loss sell the same coins: counted once (PaperReservations).
    return free.minus(this.held.coin(asset, excludeOrder));
  }

  /** Walks the displayed book for a marketable quantity; undefined when the side is empty. */
  private walk(book: ScaledBook | undefined, inst: Instrument, side: Order['side'], qty: Decimal): { price: Decimal; short: boolean } | undefined {
    const levels = side === 'buy' ? book?.asks : book?.bids;
    if (!levels || levels.length === 0) return undefined;
    const scale = { tick: new Decimal(inst.tickSize), lot: new Decimal(inst.lotSize) };
    let need = toLots(qty, scale);
    let notionalTicksLots = 0;
    let taken = 0;
    for (const [ticks, lots] of levels) {
      const n = Math.min(need, lots);
      notionalTicksLots += n * ticks;
      taken += n;
      need -= n;
      if (need === 0) break;
    }
    if (taken === 0) return undefined;
    // VWAP in exact decimals: Σ(ticks·lots) is an exact integer below 2^53 for Paper's books.
    const vwap = fromTicks(1, scale).mul(notionalTicksLots).div(taken).toDecimalPlaces(scale.tick.decimalPlaces() + 4);
    return { price: vwap, short: need > 0 };
  }

  private estimate(inst: Instrument, t: NormalizedTicket): { price: Decimal | undefined; marketable: boolean; warnings: PreviewIssue[] } {
    const warnings: PreviewIssue[] = [];
    const q = this.source.quote(inst.id);
    const ask = q?.ask ? new Decimal(q.ask) : undefined;
    const bid = q?.bid ? new Decimal(q.bid) : undefined;
    const qty = new Decimal(t.qty);
    if (t.type === 'market') {
      const w = this.walk(this.source.book(inst.id), inst, t.side, qty);
      if (w?.short) warnings.push({ code: 'thin_book', message: `Displayed depth covers less than ${t.qty} ${inst.symbol}; the rest of a market order would be cancelled.` });
      return { price: w?.price, marketable: true, warnings };
    }
    if (t.type === 'limit') {
      const lim = new Decimal(t.limitPrice!);
      const marketable = t.side === 'buy' ? ask !== undefined && lim.gte(ask) : bid !== undefined && lim.lte(bid);
      if (marketable) {
        const w = this.walk(this.source.book(inst.id), inst, t.side, qty);
        const px = w ? (t.side === 'buy' ? Decimal.min(w.price, lim) : Decimal.max(w.price, lim)) : lim;
        return { price: px, marketable, warnings };
      }
      return { price: lim, marketable, warnings };
    }
    if (t.type === 'trailing_stop') {
      // Where the stop would start now: the touch it tracks, minus (sell) or plus (buy) the trail.
      const ref = t.side === 'sell' ? bid : ask;
      if (!ref) return { price: undefined, marketable: true, warnings };
      const dist = t.trailAmount !== undefined ? new Decimal(t.trailAmount) : ref.mul(t.trailPercent ?? '0').div(100);
      return { price: t.side === 'sell' ? ref.minus(dist) : ref.plus(dist), marketable: true, warnings };
    }
    return { price: new Decimal(t.type === 'stop_limit' ? t.limitPrice! : t.stopPrice!), marketable: t.type === 'stop', warnings };
  }

  /** What this order would cost and whether the account can carry it. */
  private affordability(inst: Instrument, t: NormalizedTicket, excludeOrder?: string) {
    const est = this.estimate(inst, t);
    const qty = new Decimal(t.qty);
    const mult = new Decimal(inst.multiplier);
    const bp = this.buyingPower(excludeOrder);
    if (!est.price) return { est, bp, bpAfter: undefined, notional: undefined, fee: undefined, total: undefined, violation: undefined };
    const notional = qty.mul(est.price).mul(mult);
    const rate = est.marketable ? this.matching.fees().taker : this.matching.fees().maker;
    const fee = computeFee(qty, est.price, mult, rate, inst.quote);
    const pos = new Decimal(this.store.positions().get(inst.id)?.qty ?? '0');
    const signed = t.side === 'buy' ? qty : qty.neg();
    const opening = pos.isZero() || pos.isNeg() === signed.isNeg() ? qty : Decimal.max(qty.minus(pos.abs()), 0);
    const closing = qty.minus(opening);
    let cost: Decimal;
    let total: Decimal;
    if (inst.assetClass === 'future') {
      const perUnit = est.price.mul(mult).mul(FUTURES_MARGIN);
      cost = opening.mul(perUnit).minus(closing.mul(perUnit)).plus(fee);
      total = fee;
    } else if (t.side === 'buy') {
      // Buying back a short releases its 150 % requirement and pays the price.
      cost = notional.plus(fee).minus(closing.mul(est.price).mul(mult).mul(SHORT_REQUIREMENT));
      total = notional.plus(fee);
    } else {
      cost = opening.mul(est.price).mul(mult).mul(SHORT_REQUIREMENT.minus(1)).minus(closing.mul(est.price).mul(mult)).plus(fee);
      total = notional.minus(fee);
    }
    let violation: PreviewIssue | undefined;
    if (inst.assetClass === 'crypto_spot' && t.side === 'sell') {
      const free = this.freeCoin(inst.base, excludeOrder);
      if (qty.gt(free)) violation = { code: 'insufficient_position', message: `You have ${toStr(free)} ${inst.base} free to sell; this order sells ${t.qty}. Paper crypto is spot: no shorting.` };
    }
    // An order that rests holds what its reservation says (not what a fill would cost): the preview
    // shows that hold, so "buying power after" is what the account shows once it is placed.
    const restPx = this.restingPrice(inst, t, est.marketable);
    const hold = restPx ? this.holdFor(inst, t.side, qty, restPx) : cost;
    const need = Decimal.max(cost, hold);
    if (!violation && need.gt(0) && need.gt(bp)) {
      violation = { code: 'insufficient_funds', message: `This order needs ${toStr(need.toDecimalPlaces(2, Decimal.ROUND_UP))} USD of buying power; you have ${toStr(bp.toDecimalPlaces(2, Decimal.ROUND_DOWN))} USD. Reduce the quantity.` };
    }
    return { est, bp, bpAfter: bp.minus(hold), notional, fee, total, violation };
  }

  async preview(inst: Instrument, t: NormalizedTicket): Promise<VenuePreview> {
    const a = this.affordability(inst, t);
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
