/**
 * The order manager: the only code that changes an order's state.
 *
 * - Journal before send: the order row, its client id and first transition are committed before
 *   the connector's submit is called.
 * - Never blind-retry a submit: a submit whose outcome we could not observe makes the order
 *   `unknown`; it is resolved by looking the client id up at the venue, never by sending again.
 * - Fills are deduplicated by the venue's fill id; an order's filled quantity and average price
 *   are derived from its recorded fills, so replaying a fill can never double count.
 */
import { Decimal, parseDecimal, toStr, ZERO } from '../domain/money';
import type { Instrument } from '../domain/instrument';
import type { Actor, Fill, OrderStatus } from '../domain/order';
import { isTerminal } from '../domain/order';
import type { NormalizedTicket } from '../domain/order-validation';
import { TradeportError } from '../api/errors';
import type { EngineEvent } from '../api/events';
import type { Clock } from '../ports/clock';
import type { Random } from '../ports/random';
import type { OrdersRepo, StoredOrder } from '../store/orders-repo';
import { isStorageError } from '../store/storage-errors';
import { OutcomeUnknownError, VenueRejectedError, type VenueConnector, type VenueFillReport, type VenueOrderReport } from '../venues/venue-port';
import { canTransition } from './lifecycle';
import { makeClientOrderId, validateClientOrderId } from './client-order-id';
import { bracketChildren, runBracket, sameAdvanced, ticketExtras, type BracketDeps } from './brackets';
import { isBracket, isOco } from '../domain/order-validation';
import { ocoOrders, runOco } from './oco';
import { applyTerms, runReplace, workingState } from './replace';
import type { ReplaceChanges } from '../venues/venue-port';
import { arrivalRaw } from '../portfolio/execution-quality';
import { legFillSummary, sameLegs } from '../domain/order-legs';

export type TransitionSource = Actor | 'external';

export interface PlaceRequest {
  readonly venue: string;
  readonly instrument: Instrument;
  readonly ticket: NormalizedTicket;
  readonly clientOrderId?: string;
  readonly route: StoredOrder['route'];
  readonly actor: Actor;
  /**
   * Runs synchronously right before the journal write, after the idempotency check: the last
   * chance to refuse (the kill switch may have tripped while the preview awaited the venue).
   * Throwing here journals nothing.
   */
  readonly gate?: () => void;
}

export interface OrderManagerDeps {
  readonly repo: OrdersRepo;
  readonly clock: Clock;
  readonly random: Random;
  readonly emit: (e: EngineEvent) => void;
  /**
   * The connector an order's route talks to: the venue itself for paper/live, the venue's
   * ShadowExecutor for shadow. Cancels and lookups follow the route the order took, so a SHADOW
   * order never reaches the real venue, even after the venue is switched to LIVE.
   */
  readonly connector: (venue: string, route?: StoredOrder['route']) => VenueConnector | undefined;
  /** Delays between lookups of an `unknown` order (ms). */
  readonly unknownLookupDelays?: readonly number[];
  /** A journal write failed for lack of disk (or a read-only file): the engine's storage health hears of it. */
  readonly onStorageError?: (err: unknown) => void;
}

/** The quote an order is placed against, for slippage; a connector without one never holds the order up. */
function arrivalOf(connector: VenueConnector, instrumentId: string): ReturnType<typeof arrivalRaw> {
  try {
    return typeof connector.quote === 'function' ? arrivalRaw(connector.quote(instrumentId)) : undefined;
  } catch {
    return undefined;
  }
}

/** The verdict for an order whose lookups all found nothing; the only rejection a venue may overturn. */
export const NO_RECORD_REASON = 'The venue has no record of this order: it never arrived, so nothing was placed.';
const LATE_ARRIVAL_STATES: ReadonlySet<OrderStatus> = new Set(['accepted', 'partially_filled', 'filled', 'cancelled', 'expired']);

export class OrderManager {
  private readonly lookupTimers = new Set<NodeJS.Timeout>();
  /** Orders whose submit call has not returned yet in this process: reconciliation must not judge them. */
  private readonly submitting = new Set<string>();
  /** Orders whose replace call has not returned yet in this process: its ack, not a report, settles the terms. */
  private readonly replacing = new Set<string>();
  private closed = false;

  constructor(private readonly d: OrderManagerDeps) {}

  close(): void {
    this.closed = true;
    for (const t of this.lookupTimers) clearTimeout(t);
    this.lookupTimers.clear();
  }

  /**
   * Places an order. A repeated client order id with the same parameters returns the existing
   * order (idempotency: a double-click or a repeated CLI call makes one order).
   */
  async place(req: PlaceRequest): Promise<StoredOrder> {
    const { repo, clock } = this.d;
    if (req.clientOrderId !== undefined) {
      const problem = validateClientOrderId(req.clientOrderId);
      if (problem) throw new TradeportError('invalid_input', problem, { field: 'clientOrderId' });
      const existing = repo.byClientId(req.clientOrderId);
      if (existing) {
        if (sameOrder(existing, req) && sameAdvanced(existing, req.ticket, repo)) return existing;
        throw new TradeportError(
          'duplicate_client_order_id',
          `Client order id ${req.clientOrderId} was already used for a different order (${existing.side} ${existing.qty} ${existing.symbol}). Use a new id.`,
        );
      }
    }
    const connector = this.d.connector(req.venue, req.route);
    if (!connector) throw new TradeportError('unknown_venue', `Venue "${req.venue}" is not configured.`);
    req.gate?.();

    const now = clock.now();
    const t = req.ticket;
    const order: StoredOrder = {
      id: `O${now.toString(36).toUpperCase()}${Math.floor(this.d.random.next() * 36 ** 6)
        .toString(36)
        .toUpperCase()
        .padStart(6, '0')}`,
      clientOrderId: req.clientOrderId ?? this.newClientOrderId(),
      venue: req.venue,
      instrumentId: req.instrument.id,
      symbol: req.instrument.symbol,
      side: t.side,
      type: t.type,
      qty: t.qty,
      ...(t.limitPrice !== undefined ? { limitPrice: t.limitPrice } : {}),
      ...(t.stopPrice !== undefined ? { stopPrice: t.stopPrice } : {}),
      tif: t.tif,
      ...ticketExtras(t),
      ...(t.legs ? { legs: t.legs } : {}),
      status: 'pending_submit',
      filledQty: '0',
      avgFillPrice: '0',
      fees: '0',
      source: req.actor,
      route: req.route,
      createdAt: now,
      updatedAt: now,
    };
    // A bracket: the entry plus its children, journaled together and sent as one group (oms/brackets.ts).
    if (isBracket(t)) return this.placeBracket(order, t, connector, req.actor);
    if (isOco(t)) return this.placeOco(order, t, connector, req.actor);
    // Journal before send: this commit (synchronous=FULL) completes before submit() is called.
    // The quote it was placed against: the arrival mid execution quality measures slippage from.
    const arrival = arrivalOf(connector, order.instrumentId);
    repo.insert(order, { orderId: order.id, from: null, to: 'pending_submit', accepted: true, source: req.actor, ts: now, ...(arrival ? { raw: arrival } : {}) });
    this.d.emit({ type: 'order', order: { ...order } });

    this.submitting.add(order.id);
    try {
      await this.sendAndRecord(order, connector);
    } catch (err) {
      // The order was journaled and sent; writing down what happened failed (disk full). The venue
      // may well have it, so it is reported as unknown — never as failed — and looked up.
      if (!isStorageError(err)) throw err;
      return this.outcomeUnclear(order.id, err);
    } finally {
      this.submitting.delete(order.id);
    }
    return repo.byId(order.id)!;
  }

  private async sendAndRecord(order: StoredOrder, connector: VenueConnector): Promise<void> {
    const { repo } = this.d;
    try {
      const ack = await connector.submit(order);
      const cur = repo.byId(order.id)!;
      cur.venueOrderId = ack.venueOrderId;
      // Fills may have been reported while submit was in flight; only move forward from the pre-ack states.
      if (cur.status === 'pending_submit' || cur.status === 'unknown') this.transition(cur, ack.status, 'venue', undefined, ack);
      else this.persist(cur);
    } catch (err) {
      const cur = repo.byId(order.id)!;
      if (err instanceof VenueRejectedError) {
        cur.rejectReason = err.message;
        // The venue's stream may have reported the rejection first, without its words: keep them.
        if (cur.status === 'rejected') this.persist(cur);
        else this.transition(cur, 'rejected', 'venue', err.message, { venueCode: err.venueCode });
      } else {
        // Timeout, 5xx, dropped socket, or a bug after the bytes left: we cannot know. Never resend.
        const why = err instanceof OutcomeUnknownError ? err.message : `submit failed: ${(err as Error).message}`;
        if (cur.status === 'pending_submit') this.transition(cur, 'unknown', 'system', why);
        this.scheduleLookup(cur.id, 0);
      }
    }
  }

  /** The order as `unknown` (in the journal when it can still be written, else in what the caller and the screens see), looked up until resolved. */
  private outcomeUnclear(orderId: string, err: unknown): StoredOrder {
    this.d.onStorageError?.(err);
    const cur = this.d.repo.byId(orderId)!;
    const why = 'The journal could not record the venue’s answer (the disk is full); the order may be working at the venue. It is reconciled when writes work again.';
    if (cur.status === 'pending_submit') {
      try {
        this.transition(cur, 'unknown', 'system', why);
        this.scheduleLookup(orderId, 0);
        return this.d.repo.byId(orderId)!;
      } catch (again) {
        if (!isStorageError(again)) throw again;
      }
    }
    const view: StoredOrder = { ...cur, status: cur.status === 'pending_submit' ? 'unknown' : cur.status, updatedAt: this.d.clock.now() };
    this.d.emit({ type: 'order', order: { ...view } });
    this.scheduleLookup(orderId, 0);
    return view;
  }

  private placeBracket(parent: StoredOrder, t: NormalizedTicket, connector: VenueConnector, actor: Actor): Promise<StoredOrder> {
    const children = bracketChildren(parent, t, () => ({ id: this.newOrderId(), clientOrderId: this.newClientOrderId() }));
    return runBracket(this.groupDeps(connector), parent, children, actor);
  }

  private placeOco(takeProfit: StoredOrder, t: NormalizedTicket, connector: VenueConnector, actor: Actor): Promise<StoredOrder> {
    const [tp, sl] = ocoOrders(takeProfit, t, () => ({ id: this.newOrderId(), clientOrderId: this.newClientOrderId() }));
    return runOco(this.groupDeps(connector), tp, sl, actor);
  }

  private groupDeps(connector: VenueConnector): BracketDeps {
    return {
      repo: this.d.repo,
      clock: this.d.clock,
      connector,
      emit: (o) => this.d.emit({ type: 'order', order: o }),
      transition: (o, to, source, reason, raw) => this.transition(o, to, source, reason, raw),
      persist: (o) => this.persist(o),
      scheduleLookup: (id) => this.scheduleLookup(id, 0),
      submitting: this.submitting,
    };
  }

  private newOrderId(): string {
    return `O${this.d.clock.now().toString(36).toUpperCase()}${Math.floor(this.d.random.next() * 36 ** 6)
      .toString(36)
      .toUpperCase()
      .padStart(6, '0')}`;
  }

  /** True while this process waits for the venue's answer to the order's submit. */
  isSubmitting(orderId: string): boolean {
    return this.submitting.has(orderId);
  }

  async cancel(orderId: string, actor: Actor): Promise<StoredOrder> {
    const order = this.d.repo.byId(orderId);
    if (!order) throw new TradeportError('order_not_found', `No order ${orderId}.`);
    if (isTerminal(order.status)) {
      throw new TradeportError('order_not_cancellable', `Order ${order.clientOrderId} is already ${order.status}; there is nothing to cancel.`);
    }
    if (order.status === 'pending_cancel') return order;
    const connector = this.d.connector(order.venue, order.route);
    if (!connector) throw new TradeportError('venue_unavailable', `Venue "${order.venue}" is not running; the order stays as it is.`);
    if (order.status === 'pending_submit') {
      throw new TradeportError('order_not_cancellable', `Order ${order.clientOrderId} is still being sent; cancel it once the venue acknowledges it.`);
    }
    if (order.status === 'unknown') {
      // We do not know whether the venue has it. Find out first: a failed cancel must never be
      // read as "so it is working" (that would turn an order that never arrived into a live one).
      const resolved = await this.resolve(order.id, false).catch(() => undefined);
      if (!resolved || resolved.status === 'unknown') {
        throw new TradeportError(
          'order_not_cancellable',
          `Tradeport does not know yet whether ${order.venue} received order ${order.clientOrderId}; it is being looked up. Cancel it once it shows as working.`,
        );
      }
      if (isTerminal(resolved.status) || resolved.status === 'pending_cancel') return resolved;
      return this.cancel(order.id, actor);
    }
    this.transition(order, 'pending_cancel', actor);
    try {
      await connector.cancel(order);
    } catch (err) {
      // The cancel did not take; find out where the order really is rather than guessing.
      const report = await connector.lookup(order.clientOrderId).catch(() => undefined);
      const cur = this.d.repo.byId(order.id)!;
      if (report) this.applyReport(order.venue, report, 'venue');
      else if (cur.status === 'pending_cancel') {
        // Back to working: the venue refused the cancel and the lookup could not say otherwise.
        this.transition(cur, new Decimal(cur.filledQty).gt(0) ? 'partially_filled' : 'accepted', 'system', `cancel failed: ${(err as Error).message}`);
      }
      const after = this.d.repo.byId(order.id)!;
      if (!isTerminal(after.status)) {
        throw new TradeportError(err instanceof TradeportError ? err.code : 'venue_rejected', `Cancel of ${order.clientOrderId} failed: ${(err as Error).message}`);
      }
    }
    return this.d.repo.byId(order.id)!;
  }

  /**
   * Modifies a working order (oms/replace.ts): journals the intent as pending_replace, asks the
   * venue once, and stores the terms the venue says are live. `changes` must already be checked
   * against the instrument (mergeReplace); `gate` runs right before the journal write.
   */
  replace(orderId: string, changes: ReplaceChanges, actor: Actor, gate?: () => void): Promise<StoredOrder> {
    return runReplace(
      {
        repo: this.d.repo,
        clock: this.d.clock,
        connector: (venue, route) => this.d.connector(venue, route),
        transition: (o, to, source, reason, raw) => this.transition(o, to, source, reason, raw),
        persist: (o) => this.persist(o),
        applyReport: (venue, r, source) => this.applyReport(venue, r, source),
        scheduleLookup: (id) => this.scheduleLookup(id, 0),
        replacing: this.replacing,
      },
      orderId,
      changes,
      actor,
      gate,
    );
  }

  /** Applies the venue's view of an order; adopts orders we did not place (source external). */
  applyReport(venue: string, r: VenueOrderReport, source: TransitionSource): StoredOrder | undefined {
    const repo = this.d.repo;
    const order = repo.byClientId(r.clientOrderId) ?? (r.venueOrderId ? repo.byVenueOrderId(venue, r.venueOrderId) : undefined);
    if (!order) return this.adopt(venue, r);
    if (order.venue !== venue) return undefined;
    if (r.venueOrderId && !order.venueOrderId) order.venueOrderId = r.venueOrderId;
    const inFlight = this.replacing.has(order.id);
    // The venue's terms are the live ones (a replace, or a change made at the venue). While our own
    // replace call is in flight its ack decides them; after a lost ack this report settles the replace.
    if (!inFlight && !isTerminal(order.status)) applyTerms(order, r);
    // A trailing stop's stop moves at the venue; its latest word is what the blotter shows.
    if (!isTerminal(order.status)) applyTrailStop(order, r);
    if (!inFlight && order.replaceRequest) {
      // Any word from the venue after an unanswered replace says which terms are live (applied above).
      delete order.replaceRequest;
      if (order.status === 'pending_replace' && (r.status === 'submitted' || r.status === 'pending_submit')) {
        this.transition(order, workingState(order), source, 'replace settled by the venue report', r.raw);
        return repo.byId(order.id)!;
      }
    } else if (inFlight && order.status === 'pending_replace' && (r.status === 'accepted' || r.status === 'partially_filled' || r.status === 'submitted')) {
      // Still working at the venue while it processes our change: keep the pending marker, take the quantities.
      if (new Decimal(r.filledQty).gt(order.filledQty)) {
        order.filledQty = r.filledQty;
        order.avgFillPrice = r.avgFillPrice;
      }
      order.updatedAt = this.d.clock.now();
      this.persist(order);
      return repo.byId(order.id)!;
    }
    // Quantities from the venue count only when our fills are behind; fills arriving later replace them.
    if (new Decimal(r.filledQty).gt(order.filledQty)) {
      order.filledQty = r.filledQty;
      order.avgFillPrice = r.avgFillPrice;
    }
    if (r.status !== order.status) {
      if (r.reason && (r.status === 'rejected' || r.status === 'cancelled' || r.status === 'expired')) order.rejectReason = r.reason;
      this.transition(order, r.status, source, r.reason, r.raw);
    } else {
      order.updatedAt = this.d.clock.now();
      this.persist(order);
    }
    return repo.byId(order.id)!;
  }

  /** Records a fill once (by venue fill id) and re-derives the order's filled quantity from its fills. */
  applyFill(venue: string, f: VenueFillReport, source: TransitionSource): Fill | undefined {
    const repo = this.d.repo;
    const order = repo.byClientId(f.clientOrderId) ?? (f.venueOrderId ? repo.byVenueOrderId(venue, f.venueOrderId) : undefined);
    if (!order || order.venue !== venue) return undefined;
    // A spread's fill belongs to the leg it names: its own instrument, position and lots.
    const leg = order.legs?.find((l) => l.instrumentId === f.instrumentId);
    if (order.legs && !leg) return undefined;
    const fill: Fill = {
      id: `F${venue}:${f.venueFillId}`,
      orderId: order.id,
      clientOrderId: order.clientOrderId,
      venue,
      venueFillId: f.venueFillId,
      instrumentId: leg?.instrumentId ?? order.instrumentId,
      symbol: leg?.symbol ?? order.symbol,
      side: f.side,
      qty: f.qty,
      price: f.price,
      fee: f.fee,
      feeCurrency: f.feeCurrency,
      liquidity: f.liquidity,
      ts: f.ts,
    };
    const isNew = repo.insertFill(fill);

    const fills = repo.fills({ orderId: order.id, limit: 100_000 });
    let qty = ZERO;
    let notional = ZERO;
    let fees = ZERO;
    for (const x of fills) {
      qty = qty.plus(x.qty);
      notional = notional.plus(new Decimal(x.qty).mul(x.price));
      fees = fees.plus(x.fee);
    }
    // A spread counts whole spreads (every leg filled in ratio) at the net of its legs' prices.
    const spread = order.legs ? legFillSummary(order.side, order.legs, fills) : undefined;
    if (spread) qty = new Decimal(spread.filledQty);
    // A replayed fill counts nothing twice. But the fill row and the order row are two commits: a
    // crash between them leaves the order behind its own recorded fills, and the replay (from
    // reconciliation after the restart) is the only chance to finish that update.
    if (!isNew && !qty.gt(order.filledQty)) return undefined;
    order.filledQty = toStr(qty);
    order.avgFillPrice = spread ? spread.avgFillPrice : qty.isZero() ? '0' : toStr(notional.div(qty).toDecimalPlaces(12));
    order.fees = toStr(fees);
    if (f.venueOrderId && !order.venueOrderId) order.venueOrderId = f.venueOrderId;
    // While a quantity change is unanswered either quantity may be live. Fills beyond the old
    // quantity prove the venue took the change; otherwise only the larger quantity proves the order
    // complete (the venue's report or the replace ack settles the rest).
    const req = order.replaceRequest;
    if (req?.qty !== undefined && qty.gt(order.qty) && !this.replacing.has(order.id)) {
      applyTerms(order, req);
      delete order.replaceRequest;
    }
    const pendingQty = order.replaceRequest?.qty;
    const complete = qty.gte(pendingQty !== undefined && new Decimal(pendingQty).gt(order.qty) ? pendingQty : order.qty);
    const next: OrderStatus | undefined = complete ? 'filled' : ['pending_submit', 'submitted', 'accepted', 'unknown', 'partially_filled'].includes(order.status) ? 'partially_filled' : undefined;
    if (next && (next !== order.status || next === 'partially_filled')) this.transition(order, next, source, `fill ${f.qty} @ ${f.price}`, f.raw);
    else {
      order.updatedAt = this.d.clock.now();
      this.persist(order);
    }
    this.d.emit({ type: 'fill', fill });
    return fill;
  }

  /** Looks an `unknown` (or stuck) order up by client id and applies what the venue says. */
  async resolve(orderId: string, finalAttempt: boolean): Promise<StoredOrder | undefined> {
    const order = this.d.repo.byId(orderId);
    if (!order || isTerminal(order.status)) return order;
    const connector = this.d.connector(order.venue, order.route);
    if (!connector) return order;
    const report = await connector.lookup(order.clientOrderId);
    if (report) return this.applyReport(order.venue, report, 'reconcile');
    if (finalAttempt && (order.status === 'unknown' || order.status === 'pending_submit')) {
      const cur = this.d.repo.byId(orderId)!;
      cur.rejectReason = NO_RECORD_REASON;
      this.transition(cur, 'rejected', 'reconcile', cur.rejectReason);
    }
    return this.d.repo.byId(orderId);
  }

  private scheduleLookup(orderId: string, attempt: number): void {
    const delays = this.d.unknownLookupDelays ?? [250, 1000, 3000, 10_000];
    if (this.closed || attempt >= delays.length) return;
    const timer = setTimeout(() => {
      this.lookupTimers.delete(timer);
      const final = attempt === delays.length - 1;
      this.resolve(orderId, final)
        .then((o) => {
          if (o && (o.status === 'unknown' || (o.status === 'pending_replace' && !this.replacing.has(o.id)))) this.scheduleLookup(orderId, attempt + 1);
        })
        .catch(() => this.scheduleLookup(orderId, attempt + 1));
    }, delays[attempt]);
    timer.unref?.();
    this.lookupTimers.add(timer);
  }

  private adopt(venue: string, r: VenueOrderReport): StoredOrder | undefined {
    if (!r.instrumentId || !r.side || !r.type || !r.qty) return undefined;
    const now = this.d.clock.now();
    const order: StoredOrder = {
      id: `X${now.toString(36).toUpperCase()}${Math.floor(this.d.random.next() * 36 ** 6)
        .toString(36)
        .toUpperCase()
        .padStart(6, '0')}`,
      clientOrderId: r.clientOrderId || `ext-${venue}-${r.venueOrderId}`,
      ...(r.venueOrderId ? { venueOrderId: r.venueOrderId } : {}),
      venue,
      instrumentId: r.instrumentId,
      // The venue's instrument gives the display symbol (an IB conId alone means nothing to a trader).
      symbol: this.d.connector(venue)?.instrument(r.instrumentId)?.symbol ?? r.instrumentId.slice(r.instrumentId.indexOf(':') + 1),
      side: r.side,
      type: r.type,
      qty: r.qty,
      ...(r.limitPrice ? { limitPrice: r.limitPrice } : {}),
      ...(r.stopPrice ? { stopPrice: r.stopPrice } : {}),
      ...(r.type === 'trailing_stop' && validPrice(r.trailStop) ? { trailStop: toStr(new Decimal(r.trailStop!)) } : {}),
      tif: r.tif ?? 'day',
      ...(r.legs ? { legs: r.legs.map((l) => ({ ...l, symbol: this.d.connector(venue)?.instrument(l.instrumentId)?.symbol ?? l.symbol })) } : {}),
      status: r.status,
      filledQty: r.filledQty,
      avgFillPrice: r.avgFillPrice,
      fees: '0',
      source: 'external',
      route: 'live',
      createdAt: r.ts || now,
      updatedAt: now,
    };
    this.d.repo.insert(order, { orderId: order.id, from: null, to: order.status, accepted: true, source: 'reconcile', reason: 'adopted: placed outside Tradeport', raw: r.raw, ts: now });
    this.d.emit({ type: 'order', order: { ...order } });
    return order;
  }

  /** Applies a transition if the table allows it; records a refused one. Returns whether it applied. */
  transition(order: StoredOrder, to: OrderStatus, source: TransitionSource, reason?: string, raw?: unknown): boolean {
    const from = order.status;
    const now = this.d.clock.now();
    // "No record" was our inference, not the venue's word: if the venue later shows the order, it
    // is live and must be tracked (and be cancellable by the kill switch), never ignored.
    const arrivedLate = from === 'rejected' && order.rejectReason === NO_RECORD_REASON && (source === 'venue' || source === 'reconcile') && LATE_ARRIVAL_STATES.has(to);
    if (arrivedLate) {
      delete order.rejectReason;
      reason = `open at the venue after all (it was declared never arrived)${reason ? ': ' + reason : ''}`;
    } else if (!canTransition(from, to)) {
      this.d.repo.recordTransition({ orderId: order.id, from, to, accepted: false, source, reason: `illegal ${from} → ${to}${reason ? ': ' + reason : ''}`, raw, ts: now });
      return false;
    }
    order.status = to;
    order.updatedAt = now;
    // A finished order has nothing left to change.
    if (isTerminal(to)) delete order.replaceRequest;
    this.d.repo.update(order, { orderId: order.id, from, to, accepted: true, source, ...(reason ? { reason } : {}), raw, ts: now });
    this.d.emit({ type: 'order', order: { ...order } });
    return true;
  }

  private persist(order: StoredOrder): void {
    this.d.repo.update(order);
    this.d.emit({ type: 'order', order: { ...order } });
  }

  /** A client id never used before; the preview shows it so the ticket can send it back. */
  newClientOrderId(): string {
    for (;;) {
      const id = makeClientOrderId(this.d.clock, this.d.random);
      if (!this.d.repo.byClientId(id)) return id;
    }
  }
}

/** A positive decimal string (a venue may send 0 or a sentinel for a price it has not set). */
function validPrice(v: string | undefined): boolean {
  const d = parseDecimal(v);
  return !!d && d.gt(0);
}

/**
 * Takes a trailing stop's current stop from a venue report. Only trailing stops and only a real
 * price; returns whether it moved (the caller persists and emits the order either way).
 */
export function applyTrailStop(o: StoredOrder, r: Pick<VenueOrderReport, 'trailStop'>): boolean {
  if (o.type !== 'trailing_stop' || !validPrice(r.trailStop)) return false;
  const s = new Decimal(r.trailStop!);
  if (o.trailStop !== undefined && s.eq(o.trailStop)) return false;
  o.trailStop = toStr(s);
  return true;
}

function sameOrder(o: StoredOrder, r: PlaceRequest): boolean {
  const t = r.ticket;
  return (
    o.venue === r.venue &&
    o.instrumentId === r.instrument.id &&
    o.side === t.side &&
    o.type === t.type &&
    new Decimal(o.qty).eq(t.qty) &&
    (o.limitPrice ?? '') === (t.limitPrice ?? '') &&
    (o.stopPrice ?? '') === (t.stopPrice ?? '') &&
    o.tif === t.tif &&
    sameLegs(o.legs, t.legs)
  );
}
