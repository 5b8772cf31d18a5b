/**
 * The simulator's matching engine (Paper venue and SHADOW route): pure, synchronous, in scaled integers (ticks and lots).
 *
 * Model. The engine matches the trader's orders against a displayed book it is handed (the Paper
 * price source's, or a real venue's in SHADOW mode); there is no other participant. Fills never
 * deplete the source's book, so each call sees the book as displayed, but within one call the
 * orders matched share the displayed quantity, so two orders never fill against the same lots.
 *
 * - A marketable order takes liquidity level by level as taker at each level's price (a market
 *   order walks the whole displayed side: slippage), up to its limit price.
 * - What a limit order does not take rests (DAY, GTC), is cancelled (IOC); FOK fills completely
 *   against displayed depth or not at all. A market order never rests: what the displayed depth
 *   cannot fill is cancelled with a reason.
 * - A resting buy at L fills as maker at L against a later book's asks priced ≤ L, up to their
 *   displayed quantity (symmetric for sells). A book carrying `version` is matched at most once
 *   per order, so handing the same book twice cannot fill twice.
 * - Stops trigger on the touch (buy: best ask ≥ stop; sell: best bid ≤ stop), then act as a
 *   market (stop) or limit (stop_limit) order taking liquidity from that same book.
 * - Outside the instrument's regular session nothing matches and no stop triggers; market, IOC
 *   and FOK orders are rejected, limit and stop orders are accepted and wait for the open.
 *
 * Advanced orders (the rules a trader practises here are the ones written below):
 * - Trailing stop. A sell tracks the highest best bid seen while the market is open since it was
 *   accepted (a buy: the lowest best ask); its stop is that extreme minus the trail (buy: plus).
 *   A trail amount is a whole number of ticks. A trail percent p (at most 2 decimals, so p × 100
 *   is an integer b) gives a distance of extreme × b / 10000 ticks computed exactly on integers
 *   and rounded DOWN to a whole tick, at least one tick: the stop never sits farther from the
 *   extreme than the trader asked (a sell stop rounds up, a buy stop down — the protective
 *   direction). It ratchets only towards the market, triggers like a stop on the touch, then
 *   works as a market order. Each move is reported as a `trail` event (extreme + stop) so the
 *   connector can persist it and a restart resumes from the same stop.
 * - OCA group (IB's type 1, "cancel all remaining"): orders of one engine sharing `ocaGroup`;
 *   the FIRST fill of any member, even a partial one, cancels every other member at once with
 *   the reason "OCA: <member> filled". The member that filled works on for its remainder.
 * - Bracket (`submitBracket`): an entry plus a take-profit (limit) and/or stop-loss (stop or
 *   stop-limit) child on the opposite side for the same quantity. Children are HELD (accepted,
 *   not working, no trigger) until the entry fills. Each entry fill RELEASES that quantity to the
 *   children, which then work (from the next book) for released − exited: the two exits share
 *   the protected quantity as an OCA pair with IB's bracket "reduce" rule, so together they never
 *   exit more than the entry bought. A partial entry fill therefore activates the children for
 *   the filled quantity only, and they grow as the entry fills. An exit that completes cancels
 *   its sibling ("OCA: <exit> filled"); when the entry can fill no more and everything it filled
 *   has exited, what is left of the exits is cancelled. Cancelling the entry cancels its
 *   children (even after a partial fill, as at IB); an entry that ends by itself (expiry, a
 *   market remainder) cancels held children only, and released exits keep protecting what
 *   filled. A bracket's quantity cannot be modified (prices can).
 *
 * The engine reports what happened as events and never touches balances or storage.
 */
import type { Instrument } from '../domain/instrument';
import { Decimal, parseDecimal } from '../domain/money';
import type { OrderType, Side, TimeInForce } from '../domain/order';
import { fromLots, fromTicks, toLots, toTicks, type Scale } from '../domain/scaled';
import { formatNewYorkTime, isTradable, sessionCloseFor, sessionState } from '../market/sessions';

/** One displayed price level: [price in ticks, quantity in lots]. */
export type ScaledLevel = readonly [ticks: number, lots: number];

export interface ScaledBook {
  /** Best (highest) first. */
  readonly bids: readonly ScaledLevel[];
  /** Best (lowest) first. */
  readonly asks: readonly ScaledLevel[];
  /** Increases whenever the book changes; lets the engine match each book once per order. */
  readonly version?: number;
}

export interface FeeRates {
  readonly maker: Decimal;
  readonly taker: Decimal;
}

export const DEFAULT_FEES: FeeRates = { maker: new Decimal('0.0010'), taker: new Decimal('0.0020') };

/** An order as the connector hands it over: canonical decimal strings, already journaled. */
export interface SimOrderInput {
  /** The key events are reported under (the Paper venue order id). */
  readonly id: string;
  readonly instrumentId: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly tif: TimeInForce;
  readonly qty: string;
  readonly limitPrice?: string;
  readonly stopPrice?: string;
  /** Trailing stops: exactly one, a price distance (on the tick) or a percent (≤ 2 decimals). */
  readonly trailAmount?: string;
  readonly trailPercent?: string;
  /** One-cancels-other group (type 1: the first fill cancels the others). */
  readonly ocaGroup?: string;
  /** Bracket children: the entry's id (the key its events are reported under). */
  readonly parentId?: string;
}

/** A working order as it must be persisted to survive a restart. */
export interface PersistedSimOrder extends SimOrderInput {
  /** Trailing stops: the extreme tracked so far and the stop it gives (decimal strings). */
  readonly trailExtreme?: string;
  readonly trailStop?: string;
  /** Bracket children: what the entry has filled (released to the exits) and what the exits have filled. */
  readonly releasedQty?: string;
  readonly exitedQty?: string;
  readonly filledQty: string;
  /** A stop whose trigger has fired now works as a market/limit order. */
  readonly triggered: boolean;
  /** DAY orders: when they expire (ms UTC). */
  readonly expiresAt?: number;
  /** Restored orders keep their time priority by this. */
  readonly createdAt: number;
}

export type Liquidity = 'maker' | 'taker';

export type MatchEvent =
  | { readonly type: 'accepted'; readonly orderId: string; readonly ts: number; readonly expiresAt?: number; readonly note?: string }
  | { readonly type: 'triggered'; readonly orderId: string; readonly ts: number }
  | ReplacedEvent
  | FillEvent
  | { readonly type: 'cancelled'; readonly orderId: string; readonly ts: number; readonly reason: string; readonly ocaOf?: string }
  | TrailEvent
  | BracketEvent
  | { readonly type: 'expired'; readonly orderId: string; readonly ts: number; readonly reason: string }
  | { readonly type: 'rejected'; readonly orderId: string; readonly ts: number; readonly reason: string };

/** A working order's terms changed (a modify). Fills it makes at its new price follow as fill events. */
export interface ReplacedEvent {
  readonly type: 'replaced';
  readonly orderId: string;
  readonly ts: number;
  readonly qty: string;
  readonly limitPrice?: string;
  readonly stopPrice?: string;
  /** True when the change sent the order to the back of the queue at its price. */
  readonly priorityLost: boolean;
  /** The order's new time-priority stamp (persist it so a restart keeps the queue order). */
  readonly priorityAt: number;
}

/** A trailing stop's extreme moved (and with it, maybe, its stop). Persist both. */
export interface TrailEvent {
  readonly type: 'trail';
  readonly orderId: string;
  readonly ts: number;
  readonly extreme: string;
  readonly stopPrice: string;
}

/** A bracket child's shared quantities changed: released by entry fills, exited by the children's fills. */
export interface BracketEvent {
  readonly type: 'bracket';
  readonly orderId: string;
  readonly ts: number;
  readonly releasedQty: string;
  readonly exitedQty: string;
}

/** What a modify may change; absent fields stay. */
export interface SimReplace {
  readonly qty?: string;
  readonly limitPrice?: string;
  readonly stopPrice?: string;
}

export interface FillEvent {
  readonly type: 'fill';
  readonly orderId: string;
  /** Unique per venue and stable across restarts: order id + cumulative lots after this fill. */
  readonly fillId: string;
  readonly ts: number;
  readonly liquidity: Liquidity;
  readonly lots: number;
  readonly ticks: number;
  readonly qty: string;
  readonly price: string;
  readonly fee: string;
  readonly feeCurrency: string;
  /** Cumulative filled quantity after this fill. */
  readonly filledQty: string;
  readonly remainingQty: string;
  /** True when this fill completes the order. */
  readonly done: boolean;
}

export interface MatchingEngineOptions {
  readonly instruments: readonly Instrument[];
  readonly fees?: Partial<FeeRates>;
  /** Whether the instrument matches now; defaults to its regular session (market/sessions.ts). */
  readonly isOpen?: (inst: Instrument, nowMs: number) => boolean;
  /** When a DAY order placed now expires; defaults to sessionCloseFor. */
  readonly dayExpiry?: (inst: Instrument, nowMs: number) => number;
}

export interface RestoreResult {
  readonly restored: number;
  readonly problems: ReadonlyArray<{ readonly orderId: string; readonly reason: string }>;
}

/**
 * fee = qty × price × multiplier × rate, rounded half-even to the quote currency's minor unit
 * (cents for USD-like fiat, 8 places for anything else, e.g. USDT).
 */
export function computeFee(qty: Decimal, price: Decimal, multiplier: Decimal, rate: Decimal, quoteCurrency: string): Decimal {
  return qty.mul(price).mul(multiplier).mul(rate).toDecimalPlaces(feeDecimals(quoteCurrency), Decimal.ROUND_HALF_EVEN);
}

const TWO_DP_FIAT = new Set(['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'CHF', 'NZD', 'SGD', 'HKD']);

function feeDecimals(quoteCurrency: string): number {
  return TWO_DP_FIAT.has(quoteCurrency.toUpperCase()) ? 2 : 8;
}

interface InstState {
  readonly inst: Instrument;
  readonly scale: Scale;
  readonly multiplier: Decimal;
  /** Working orders in time priority. */
  orders: Working[];
}

interface Working {
  readonly id: string;
  readonly st: InstState;
  readonly side: Side;
  readonly type: OrderType;
  readonly tif: TimeInForce;
  readonly qtyLots: number;
  readonly limitTicks: number | undefined;
  readonly stopTicks: number | undefined;
  readonly qty: string;
  readonly limitPrice: string | undefined;
  readonly stopPrice: string | undefined;
  readonly expiresAt: number | undefined;
  readonly createdAt: number;
  /** Time priority; createdAt alone ties within a millisecond. */
  seq: number;
  filledLots: number;
  triggered: boolean;
  /** Version of the last book this order was matched against. */
  seenVersion: number | undefined;
  readonly trailTicks: number | undefined;
  /** Trail percent × 100 (an integer: percents have at most 2 decimals). */
  readonly trailBp: number | undefined;
  readonly trailAmount: string | undefined;
  readonly trailPercent: string | undefined;
  trailExtreme: number | undefined;
  trailStop: number | undefined;
  readonly ocaGroup: string | undefined;
  readonly parentId: string | undefined;
  /** The matching call from which this order may match (bracket children work from the next book after activation). */
  activeFrom: number;
}

/** A bracket entry and its live children; quantities in lots. */
interface BracketGroup {
  readonly parentId: string;
  releasedLots: number;
  exitedLots: number;
  readonly children: Working[];
}

type Parsed = { qtyLots: number; limitTicks: number | undefined; stopTicks: number | undefined; trailTicks: number | undefined; trailBp: number | undefined };

/** Quantity already taken from each displayed level during one call. */
interface Used {
  readonly bids: number[];
  readonly asks: number[];
}

const isStop = (t: OrderType) => t === 'stop' || t === 'stop_limit';
/** Orders that wait for a trigger: stops and trailing stops. */
const isTrigger = (t: OrderType) => isStop(t) || t === 'trailing_stop';
const needsLimit = (t: OrderType) => t === 'limit' || t === 'stop_limit';

export class MatchingEngine {
  private readonly byInstrument = new Map<string, InstState>();
  private readonly byId = new Map<string, Working>();
  private nextSeq = 0;
  /** Counts matching calls (submit, onBook, replace): lets a just-activated bracket child wait for the next book. */
  private call = 0;
  private readonly brackets = new Map<string, BracketGroup>();
  private readonly oca = new Map<string, Set<Working>>();
  private rates: FeeRates;
  private readonly isOpen: (inst: Instrument, nowMs: number) => boolean;
  private readonly dayExpiry: (inst: Instrument, nowMs: number) => number;

  constructor(opts: MatchingEngineOptions) {
    for (const inst of opts.instruments) {
      this.byInstrument.set(inst.id, {
        inst,
        scale: { tick: new Decimal(inst.tickSize), lot: new Decimal(inst.lotSize) },
        multiplier: new Decimal(inst.multiplier),
        orders: [],
      });
    }
    this.rates = { ...DEFAULT_FEES, ...opts.fees };
    this.isOpen = opts.isOpen ?? ((inst, now) => isTradable(inst.session, now));
    this.dayExpiry = opts.dayExpiry ?? ((inst, now) => sessionCloseFor(inst.session, now));
  }

  fees(): FeeRates {
    return this.rates;
  }

  setFees(fees: Partial<FeeRates>): void {
    this.rates = { ...this.rates, ...fees };
  }

  /** Accepts (and immediately matches what it can of) a new order against the current book. */
  submit(input: SimOrderInput, book: ScaledBook | undefined, nowMs: number): MatchEvent[] {
    if (input.parentId !== undefined) return [{ type: 'rejected', orderId: input.id, ts: nowMs, reason: 'a bracket child is submitted with its entry (submitBracket)' }];
    this.call++;
    return this.submitOne(input, book, nowMs);
  }

  /**
   * A bracket: the entry and its one or two children (take-profit limit, stop-loss stop or
   * stop-limit; opposite side, same quantity, instrument and DAY/GTC TIF, `parentId` = entry id).
   * All legs are accepted together or all rejected. The children are held until the entry fills.
   */
  submitBracket(parent: SimOrderInput, children: readonly SimOrderInput[], book: ScaledBook | undefined, nowMs: number): MatchEvent[] {
    this.call++;
    const rejectAll = (reason: string): MatchEvent[] => [parent, ...children].map((l) => ({ type: 'rejected' as const, orderId: l.id, ts: nowMs, reason }));
    const st = this.byInstrument.get(parent.instrumentId);
    if (!st) return rejectAll(`unknown Paper instrument ${parent.instrumentId}`);
    if (parent.parentId !== undefined || parent.ocaGroup !== undefined) return rejectAll('a bracket entry has no parent and no OCA group of its own');
    if (parent.type === 'trailing_stop') return rejectAll("a bracket's entry must be a market, limit, stop or stop-limit order");
    if (parent.tif !== 'day' && parent.tif !== 'gtc') return rejectAll(`a bracket's entry must rest until it fills: use DAY or GTC, not ${parent.tif.toUpperCase()}`);
    if (children.length === 0 || children.length > 2) return rejectAll('a bracket has one or two children (take-profit and/or stop-loss)');
    const ids = new Set([parent.id]);
    const parsedChildren: Parsed[] = [];
    for (const c of children) {
      if (ids.has(c.id) || this.byId.has(c.id)) return rejectAll(`order id ${c.id} is already working`);
      ids.add(c.id);
      if (c.parentId !== parent.id) return rejectAll(`child ${c.id} does not name ${parent.id} as its parent`);
      if (c.instrumentId !== parent.instrumentId || c.side === parent.side || c.tif !== parent.tif)
        return rejectAll(`child ${c.id} must trade ${parent.instrumentId} on the opposite side with the entry's TIF`);
      if (c.type !== 'limit' && c.type !== 'stop' && c.type !== 'stop_limit') return rejectAll(`child ${c.id} must be a limit (take-profit) or a stop / stop-limit (stop-loss), not ${c.type}`);
      if (c.ocaGroup !== undefined) return rejectAll("a bracket's children already cancel each other: they take no OCA group");
      const p = this.parse(c, st);
      if (typeof p === 'string') return rejectAll(`child ${c.id}: ${p}`);
      const entry = this.parse(parent, st);
      if (typeof entry !== 'string' && p.qtyLots !== entry.qtyLots) return rejectAll(`child ${c.id} must have the entry's quantity ${parent.qty}`);
      parsedChildren.push(p);
    }
    // The children are added (held) right after the entry is accepted and before it can fill, so
    // their acceptance is reported after the entry's and before any fill activates them.
    const events = this.submitOne(parent, book, nowMs, (entry) => {
      const out: MatchEvent[] = [];
      this.brackets.set(entry.id, { parentId: entry.id, releasedLots: 0, exitedLots: 0, children: [] });
      children.forEach((c, k) => {
        const o = this.working(c, parsedChildren[k]!, st, { expiresAt: entry.expiresAt, createdAt: nowMs });
        this.add(o);
        out.push({ type: 'accepted', orderId: o.id, ts: nowMs, ...(o.expiresAt !== undefined ? { expiresAt: o.expiresAt } : {}), note: 'held until the entry fills' });
      });
      return out;
    });
    const rejected = events.find((e) => e.type === 'rejected' && e.orderId === parent.id);
    if (rejected && rejected.type === 'rejected') {
      return [rejected, ...children.map((c) => ({ type: 'rejected' as const, orderId: c.id, ts: nowMs, reason: `the bracket entry was rejected: ${rejected.reason}` }))];
    }
    return events;
  }

  private submitOne(input: SimOrderInput, book: ScaledBook | undefined, nowMs: number, beforeMatch?: (o: Working) => MatchEvent[]): MatchEvent[] {
    const events: MatchEvent[] = [];
    const reject = (reason: string): MatchEvent[] => [{ type: 'rejected', orderId: input.id, ts: nowMs, reason }];

    if (this.byId.has(input.id)) return reject(`order id ${input.id} is already working`);
    const st = this.byInstrument.get(input.instrumentId);
    if (!st) return reject(`unknown Paper instrument ${input.instrumentId}`);
    const parsed = this.parse(input, st);
    if (typeof parsed === 'string') return reject(parsed);

    const sym = st.inst.symbol;
    if (!this.isOpen(st.inst, nowMs)) {
      const why = closedText(st.inst, nowMs);
      if (input.type === 'market') return reject(`${sym} market is closed (${why}); a market order cannot fill now. Use a limit order (DAY or GTC) to queue it for the open.`);
      if ((input.tif === 'ioc' || input.tif === 'fok') && !isTrigger(input.type)) {
        return reject(`${sym} market is closed (${why}); an ${input.tif.toUpperCase()} order would cancel at once. Use DAY or GTC to queue it for the open.`);
      }
    } else if (input.type === 'market') {
      const side = input.side === 'buy' ? book?.asks : book?.bids;
      if (!side || side.length === 0) {
        return reject(`No ${input.side === 'buy' ? 'asks' : 'bids'} on the ${sym} book: a market ${input.side} has nothing to fill against. Use a limit order.`);
      }
    }

    const expiresAt = input.tif === 'day' ? this.dayExpiry(st.inst, nowMs) : undefined;
    const o = this.working(input, parsed, st, { expiresAt, createdAt: nowMs });
    const open = this.isOpen(st.inst, nowMs);
    events.push({
      type: 'accepted',
      orderId: o.id,
      ts: nowMs,
      ...(expiresAt !== undefined ? { expiresAt } : {}),
      ...(open ? {} : { note: `${sym} market is closed (${closedText(st.inst, nowMs)}); the order waits for the open.` }),
    });
    this.add(o);
    if (beforeMatch) events.push(...beforeMatch(o));
    if (!open || !book) return events;

    o.seenVersion = book.version;
    const used: Used = { bids: [], asks: [] };
    if (isTrigger(o.type)) {
      this.updateTrail(o, book, nowMs, events);
      if (!stopTriggered(o, book)) return events;
      o.triggered = true;
      events.push({ type: 'triggered', orderId: o.id, ts: nowMs });
    }
    this.execute(o, book, used, nowMs, events);
    return events;
  }

  /** Matches working orders of one instrument against a new book. Call it whenever the book changes. */
  onBook(instrumentId: string, book: ScaledBook, nowMs: number): MatchEvent[] {
    const st = this.byInstrument.get(instrumentId);
    if (!st || st.orders.length === 0) return [];
    this.call++;
    const events: MatchEvent[] = [];
    this.expireIn(st, nowMs, events);
    if (st.orders.length === 0 || !this.isOpen(st.inst, nowMs)) return events;

    const fresh = (o: Working) => book.version === undefined || o.seenVersion === undefined || book.version > o.seenVersion;
    const used: Used = { bids: [], asks: [] };
    // Stops first: a trigger this book causes takes liquidity as a taker would have. An OCA or
    // bracket fill may cancel orders later in this list, so each is checked to be still working.
    for (const o of st.orders.slice()) {
      if (!isTrigger(o.type) || !this.byId.has(o.id) || !this.canMatch(o) || !fresh(o)) continue;
      if (o.triggered) {
        // Only a bracket's stop-loss (market) waits triggered: the entry released more to it.
        if (o.limitTicks !== undefined) continue;
        o.seenVersion = book.version;
        this.execute(o, book, used, nowMs, events);
        continue;
      }
      this.updateTrail(o, book, nowMs, events);
      if (!stopTriggered(o, book)) continue;
      o.triggered = true;
      o.seenVersion = book.version;
      events.push({ type: 'triggered', orderId: o.id, ts: nowMs });
      this.execute(o, book, used, nowMs, events);
    }

    const resting = st.orders.filter((o) => o.limitTicks !== undefined && (!isTrigger(o.type) || o.triggered) && fresh(o) && this.canMatch(o));
    resting.sort(pricePriority);
    for (const o of resting) {
      if (!this.byId.has(o.id)) continue;
      const want = this.openLots(o);
      if (want <= 0) continue;
      o.seenVersion = book.version;
      const limit = o.limitTicks!;
      const lots = takeAtOrBetter(o.side === 'buy' ? book.asks : book.bids, o.side === 'buy' ? used.asks : used.bids, o.side, limit, want);
      if (lots > 0) this.fill(o, lots, limit, 'maker', nowMs, events);
    }
    return events;
  }

  /**
   * Modifies a working order in place, keeping its id and filled quantity. Exchange rules: a price
   * change or a larger quantity sends it to the back of the queue (a new time priority); a smaller
   * quantity keeps its place. The new quantity must stay above what has filled. A new price that
   * crosses the book fills at once, as a new order would. Returns the refusal as a string.
   */
  replace(orderId: string, change: SimReplace, book: ScaledBook | undefined, nowMs: number): MatchEvent[] | string {
    const o = this.byId.get(orderId);
    if (!o) return `order ${orderId} is not working`;
    if (o.type === 'trailing_stop') return 'a trailing stop cannot be modified: cancel it and place a new one with the trail you want';
    const inBracket = o.parentId !== undefined || this.brackets.has(o.id);
    if (inBracket && change.qty !== undefined && !new Decimal(change.qty).eq(o.qty))
      return "a bracket's quantity cannot be modified (its exits are sized to the entry): cancel the bracket and place it again";
    this.call++;
    const input: SimOrderInput = {
      id: o.id,
      instrumentId: o.st.inst.id,
      side: o.side,
      type: o.type,
      tif: o.tif,
      qty: change.qty ?? o.qty,
      ...((change.limitPrice ?? o.limitPrice) !== undefined ? { limitPrice: change.limitPrice ?? o.limitPrice } : {}),
      ...((change.stopPrice ?? o.stopPrice) !== undefined ? { stopPrice: change.stopPrice ?? o.stopPrice } : {}),
      ...(o.ocaGroup !== undefined ? { ocaGroup: o.ocaGroup } : {}),
      ...(o.parentId !== undefined ? { parentId: o.parentId } : {}),
    };
    const parsed = this.parse(input, o.st);
    if (typeof parsed === 'string') return parsed;
    if (parsed.qtyLots <= o.filledLots) {
      const filled = fromLots(o.filledLots, o.st.scale).toFixed();
      return `the new quantity ${input.qty} is not above the ${filled} already filled; cancel the order to stop the rest`;
    }
    // A stop that has triggered already works as a market/limit order: its stop price no longer matters.
    const stopMoved = parsed.stopTicks !== o.stopTicks && !o.triggered;
    const priorityLost = parsed.limitTicks !== o.limitTicks || stopMoved || parsed.qtyLots > o.qtyLots;
    const next: Working = {
      ...this.working({ ...input, qty: parseDecimal(input.qty)!.toFixed() }, parsed, o.st, { expiresAt: o.expiresAt, createdAt: priorityLost ? nowMs : o.createdAt }),
      seq: o.seq,
      filledLots: o.filledLots,
      triggered: o.triggered,
      seenVersion: o.seenVersion,
      activeFrom: o.activeFrom,
    };
    const list = o.st.orders;
    const at = list.indexOf(o);
    if (priorityLost) {
      this.remove(o);
      this.add(next);
    } else {
      // Same place in the queue: Map.set on an existing key keeps its insertion (time) order.
      if (at >= 0) list[at] = next;
      this.byId.set(next.id, next);
      this.unlink(o);
      this.link(next);
    }
    const events: MatchEvent[] = [
      {
        type: 'replaced',
        orderId: next.id,
        ts: nowMs,
        qty: next.qty,
        ...(next.limitPrice !== undefined ? { limitPrice: next.limitPrice } : {}),
        ...(next.stopPrice !== undefined ? { stopPrice: next.stopPrice } : {}),
        priorityLost,
        priorityAt: next.createdAt,
      },
    ];
    if (!book || !this.isOpen(o.st.inst, nowMs)) return events;
    // The displayed book is not depleted by fills, so an order that already took from this very
    // book must not take from it again: a changed order that crosses fills now only if the book
    // is new to it or it has taken nothing yet, else on the next book.
    const seen = book.version !== undefined && o.seenVersion !== undefined && book.version <= o.seenVersion;
    if (seen && o.filledLots > 0) return events;
    // A held bracket child does not work yet, whatever its new price.
    if (!this.canMatch(next)) return events;
    next.seenVersion = book.version;
    const used: Used = { bids: [], asks: [] };
    if (isStop(next.type) && !next.triggered) {
      if (!stopTriggered(next, book)) return events;
      next.triggered = true;
      events.push({ type: 'triggered', orderId: next.id, ts: nowMs });
    }
    this.execute(next, book, used, nowMs, events);
    return events;
  }

  /** Cancels a working order; a bracket entry takes its children with it. */
  cancel(orderId: string, nowMs: number, reason = 'cancelled by request'): MatchEvent[] {
    const o = this.byId.get(orderId);
    if (!o) return [];
    this.remove(o);
    const events: MatchEvent[] = [{ type: 'cancelled', orderId, ts: nowMs, reason }];
    this.entryEnded(o, nowMs, events, true);
    this.gc(o);
    return events;
  }

  /** Expires every DAY order whose session has closed by `nowMs`. Call it on a timer (see nextExpiry). */
  expireDay(nowMs: number): MatchEvent[] {
    const events: MatchEvent[] = [];
    for (const st of this.byInstrument.values()) this.expireIn(st, nowMs, events);
    return events;
  }

  /** The earliest DAY expiry among working orders, to schedule the next expireDay. */
  nextExpiry(): number | undefined {
    let min: number | undefined;
    for (const o of this.byId.values()) if (o.expiresAt !== undefined && (min === undefined || o.expiresAt < min)) min = o.expiresAt;
    return min;
  }

  /**
   * Reloads working orders after a restart, without events. Orders keep their time priority by
   * createdAt; one that cannot be restored is reported, not thrown, so the others still load.
   */
  restore(orders: readonly PersistedSimOrder[]): RestoreResult {
    const problems: Array<{ orderId: string; reason: string }> = [];
    let restored = 0;
    const sorted = [...orders].sort((a, b) => a.createdAt - b.createdAt);
    for (const p of sorted) {
      const bad = (reason: string) => problems.push({ orderId: p.id, reason });
      if (this.byId.has(p.id)) {
        bad('already working');
        continue;
      }
      const st = this.byInstrument.get(p.instrumentId);
      if (!st) {
        bad(`unknown Paper instrument ${p.instrumentId}`);
        continue;
      }
      const parsed = this.parse(p, st);
      if (typeof parsed === 'string') {
        bad(parsed);
        continue;
      }
      const filled = parseDecimal(p.filledQty);
      let filledLots: number;
      try {
        if (!filled || filled.isNeg()) throw new RangeError(`bad filled quantity ${p.filledQty}`);
        filledLots = toLots(filled, st.scale);
      } catch (e) {
        bad((e as Error).message);
        continue;
      }
      if (filledLots >= parsed.qtyLots) {
        bad(`filled quantity ${p.filledQty} is not below the order quantity ${p.qty}: nothing left to work`);
        continue;
      }
      if (p.type === 'market' || ((p.tif === 'ioc' || p.tif === 'fok') && (!isTrigger(p.type) || p.triggered))) {
        bad(`a ${p.type} ${p.tif} order never rests, so it cannot be restored`);
        continue;
      }
      // Trailing extreme and bracket quantities: decimals from the row, integers from here on.
      let extreme: number | undefined;
      let released = 0;
      let exited = 0;
      try {
        if (p.type === 'trailing_stop' && p.trailExtreme !== undefined) extreme = toTicks(new Decimal(p.trailExtreme), st.scale);
        if (p.parentId !== undefined) {
          released = toLots(new Decimal(p.releasedQty ?? '0'), st.scale);
          exited = toLots(new Decimal(p.exitedQty ?? '0'), st.scale);
        }
      } catch (e) {
        bad(`bad trailing or bracket state: ${(e as Error).message}`);
        continue;
      }
      const o = this.working(p, parsed, st, { expiresAt: p.tif === 'day' ? (p.expiresAt ?? this.dayExpiry(st.inst, p.createdAt)) : undefined, createdAt: p.createdAt });
      o.filledLots = filledLots;
      o.triggered = isTrigger(p.type) && p.triggered;
      if (extreme !== undefined) {
        // The stop is recomputed from the extreme (same integers, same rule): it cannot drift from what was persisted.
        o.trailExtreme = extreme;
        o.trailStop = trailStopFor(o.side, extreme, o.trailTicks, o.trailBp);
      }
      this.add(o);
      if (p.parentId !== undefined) {
        const g = this.brackets.get(p.parentId)!;
        if (released > g.releasedLots) g.releasedLots = released;
        if (exited > g.exitedLots) g.exitedLots = exited;
      }
      restored++;
    }
    return { restored, problems };
  }

  /** Working orders in the persisted shape, in time priority. */
  openOrders(instrumentId?: string): PersistedSimOrder[] {
    const out: PersistedSimOrder[] = [];
    // byId iterates in insertion order, which is time priority.
    for (const o of this.byId.values()) if (instrumentId === undefined || o.st.inst.id === instrumentId) out.push(this.persisted(o));
    return out;
  }

  get(orderId: string): PersistedSimOrder | undefined {
    const o = this.byId.get(orderId);
    return o ? this.persisted(o) : undefined;
  }

  hasWorking(instrumentId: string): boolean {
    return (this.byInstrument.get(instrumentId)?.orders.length ?? 0) > 0;
  }

  // -------------------------------------------------------------------------------------------

  private persisted(o: Working): PersistedSimOrder {
    return {
      id: o.id,
      instrumentId: o.st.inst.id,
      side: o.side,
      type: o.type,
      tif: o.tif,
      qty: o.qty,
      ...(o.limitPrice !== undefined ? { limitPrice: o.limitPrice } : {}),
      ...(o.stopPrice !== undefined ? { stopPrice: o.stopPrice } : {}),
      filledQty: fromLots(o.filledLots, o.st.scale).toFixed(),
      triggered: o.triggered,
      ...(o.expiresAt !== undefined ? { expiresAt: o.expiresAt } : {}),
      createdAt: o.createdAt,
      ...(o.trailAmount !== undefined ? { trailAmount: o.trailAmount } : {}),
      ...(o.trailPercent !== undefined ? { trailPercent: o.trailPercent } : {}),
      ...(o.trailExtreme !== undefined ? { trailExtreme: fromTicks(o.trailExtreme, o.st.scale).toFixed() } : {}),
      ...(o.trailStop !== undefined ? { trailStop: fromTicks(o.trailStop, o.st.scale).toFixed() } : {}),
      ...(o.ocaGroup !== undefined ? { ocaGroup: o.ocaGroup } : {}),
      ...(o.parentId !== undefined ? { parentId: o.parentId, ...this.bracketQtys(o) } : {}),
    };
  }

  private bracketQtys(o: Working): { releasedQty: string; exitedQty: string } {
    const g = this.brackets.get(o.parentId!);
    return { releasedQty: fromLots(g?.releasedLots ?? 0, o.st.scale).toFixed(), exitedQty: fromLots(g?.exitedLots ?? 0, o.st.scale).toFixed() };
  }

  /** Decimal → scaled integers, once, at the edge. Returns a reason string when the order is malformed. */
  private parse(input: SimOrderInput, st: InstState): Parsed | string {
    const sym = st.inst.symbol;
    const qty = parseDecimal(input.qty);
    if (!qty || qty.lte(0)) return `quantity must be greater than zero (got ${input.qty})`;
    if (qty.lt(st.inst.minQty)) return `quantity ${qty.toFixed()} is below ${sym}'s minimum of ${st.inst.minQty}`;
    const price = (label: string, raw: string | undefined, required: boolean): number | undefined | string => {
      if (raw === undefined) return required ? `a ${input.type.replace('_', '-')} order needs a ${label} price` : undefined;
      if (!required) return `a ${input.type.replace('_', '-')} order takes no ${label} price`;
      const d = parseDecimal(raw);
      if (!d || d.lte(0)) return `${label} price must be greater than zero (got ${raw})`;
      try {
        return toTicks(d, st.scale);
      } catch {
        return `${label} price ${d.toFixed()} is not a multiple of ${sym}'s tick size ${st.inst.tickSize}`;
      }
    };
    let qtyLots: number;
    try {
      qtyLots = toLots(qty, st.scale);
    } catch {
      return `quantity ${qty.toFixed()} is not a multiple of ${sym}'s lot size ${st.inst.lotSize}`;
    }
    const limitTicks = price('limit', input.limitPrice, needsLimit(input.type));
    if (typeof limitTicks === 'string') return limitTicks;
    const stopTicks = price('stop', input.stopPrice, isStop(input.type));
    if (typeof stopTicks === 'string') return stopTicks;
    const trail = parseTrail(input, st);
    if (typeof trail === 'string') return trail;
    return { qtyLots, limitTicks, stopTicks, ...trail };
  }

  /** Takes liquidity as taker, then applies the TIF to what is left. */
  private execute(o: Working, book: ScaledBook, used: Used, nowMs: number, events: MatchEvent[]): void {
    const levels = o.side === 'buy' ? book.asks : book.bids;
    const usedSide = o.side === 'buy' ? used.asks : used.bids;
    const limit = o.limitTicks;
    const want = this.openLots(o);
    if (o.tif === 'fok') {
      const avail = availableWithin(levels, usedSide, o.side, limit);
      if (avail < want) {
        const where = limit === undefined ? 'on the displayed book' : `at ${fromTicks(limit, o.st.scale).toFixed()} or better`;
        this.remove(o);
        events.push({
          type: 'cancelled',
          orderId: o.id,
          ts: nowMs,
          reason: `FOK: only ${fromLots(avail, o.st.scale).toFixed()} of ${fromLots(want, o.st.scale).toFixed()} available ${where}; nothing filled`,
        });
        this.entryEnded(o, nowMs, events, false);
        this.gc(o);
        return;
      }
    }
    let remaining = want;
    for (let i = 0; i < levels.length && remaining > 0; i++) {
      const [ticks, lots] = levels[i]!;
      if (limit !== undefined && (o.side === 'buy' ? ticks > limit : ticks < limit)) break;
      const avail = lots - (usedSide[i] ?? 0);
      if (avail <= 0) continue;
      const q = avail < remaining ? avail : remaining;
      usedSide[i] = (usedSide[i] ?? 0) + q;
      remaining -= q;
      this.fill(o, q, ticks, 'taker', nowMs, events);
    }
    if (remaining === 0 || !this.byId.has(o.id)) return;

    const filledText = `filled ${fromLots(o.filledLots, o.st.scale).toFixed()} of ${o.qty}`;
    if (limit === undefined) {
      this.remove(o);
      events.push({
        type: 'cancelled',
        orderId: o.id,
        ts: nowMs,
        reason:
          o.filledLots === 0
            ? `no ${o.side === 'buy' ? 'asks' : 'bids'} on the ${o.st.inst.symbol} book to fill the ${o.type} order`
            : `${o.type === 'market' ? 'market' : o.type === 'trailing_stop' ? 'trailing stop (market)' : 'stop (market)'} order ${filledText}: the displayed ${o.side === 'buy' ? 'asks' : 'bids'} ran out; the rest is cancelled`,
      });
      this.entryEnded(o, nowMs, events, false);
      this.gc(o);
    } else if (o.tif === 'ioc') {
      this.remove(o);
      events.push({ type: 'cancelled', orderId: o.id, ts: nowMs, reason: `IOC ${filledText}; the unfilled remainder is cancelled` });
      this.entryEnded(o, nowMs, events, false);
      this.gc(o);
    }
    // DAY / GTC limit remainders simply stay in the book.
  }

  private fill(o: Working, lots: number, ticks: number, liquidity: Liquidity, nowMs: number, events: MatchEvent[]): void {
    o.filledLots += lots;
    const done = o.filledLots === o.qtyLots;
    if (done) this.remove(o);
    // Decimals start here: this is the edge where a fill leaves the engine.
    const { scale, multiplier, inst } = o.st;
    const qty = fromLots(lots, scale);
    const price = fromTicks(ticks, scale);
    const fee = computeFee(qty, price, multiplier, liquidity === 'maker' ? this.rates.maker : this.rates.taker, inst.quote);
    events.push({
      type: 'fill',
      orderId: o.id,
      fillId: `${o.id}:${o.filledLots}`,
      ts: nowMs,
      liquidity,
      lots,
      ticks,
      qty: qty.toFixed(),
      price: price.toFixed(),
      fee: fee.toFixed(),
      feeCurrency: inst.quote,
      filledQty: fromLots(o.filledLots, scale).toFixed(),
      remainingQty: fromLots(o.qtyLots - o.filledLots, scale).toFixed(),
      done,
    });
    this.afterFill(o, lots, nowMs, events);
  }

  private expireIn(st: InstState, nowMs: number, events: MatchEvent[]): void {
    for (const o of st.orders.slice()) {
      if (o.expiresAt === undefined || o.expiresAt > nowMs || !this.byId.has(o.id)) continue;
      this.remove(o);
      events.push({ type: 'expired', orderId: o.id, ts: nowMs, reason: `DAY order expired at the session close (${formatNewYorkTime(o.expiresAt)})` });
      this.entryEnded(o, nowMs, events, false);
      this.gc(o);
    }
  }

  private add(o: Working): void {
    o.seq = this.nextSeq++;
    this.byId.set(o.id, o);
    o.st.orders.push(o);
    this.link(o);
  }

  private remove(o: Working): void {
    if (!this.byId.delete(o.id)) return;
    const i = o.st.orders.indexOf(o);
    if (i >= 0) o.st.orders.splice(i, 1);
    this.unlink(o);
  }

  /** Registers a working order in its OCA group and, for a bracket child, its bracket. */
  private link(o: Working): void {
    if (o.ocaGroup !== undefined) {
      let set = this.oca.get(o.ocaGroup);
      if (!set) this.oca.set(o.ocaGroup, (set = new Set()));
      set.add(o);
    }
    if (o.parentId !== undefined) {
      let g = this.brackets.get(o.parentId);
      if (!g) this.brackets.set(o.parentId, (g = { parentId: o.parentId, releasedLots: 0, exitedLots: 0, children: [] }));
      g.children.push(o);
    }
  }

  private unlink(o: Working): void {
    if (o.ocaGroup !== undefined) {
      const set = this.oca.get(o.ocaGroup);
      set?.delete(o);
      if (set && set.size === 0) this.oca.delete(o.ocaGroup);
    }
    if (o.parentId !== undefined) {
      const g = this.brackets.get(o.parentId);
      const i = g ? g.children.indexOf(o) : -1;
      if (i >= 0) g!.children.splice(i, 1);
    }
  }

  /** Forgets a bracket once neither its entry nor any child works (not in unlink: a replace re-adds). */
  private gc(o: Working): void {
    const key = o.parentId ?? o.id;
    const g = this.brackets.get(key);
    if (g && g.children.length === 0 && !this.byId.has(key)) this.brackets.delete(key);
  }

  /** Lots this order may fill now: its remainder, and for a bracket child what the entry released and the exits have not yet used. */
  private openLots(o: Working): number {
    const own = o.qtyLots - o.filledLots;
    if (o.parentId === undefined) return own;
    const g = this.brackets.get(o.parentId);
    if (!g) return own;
    const shared = g.releasedLots - g.exitedLots;
    return shared < own ? shared : own;
  }

  private canMatch(o: Working): boolean {
    return o.activeFrom <= this.call && this.openLots(o) > 0;
  }

  /** A trailing stop follows the market: a new extreme moves the stop (never away from the market). */
  private updateTrail(o: Working, book: ScaledBook, nowMs: number, events: MatchEvent[]): void {
    if (o.type !== 'trailing_stop' || o.triggered) return;
    const sell = o.side === 'sell';
    const ref = sell ? book.bids[0]?.[0] : book.asks[0]?.[0];
    if (ref === undefined) return;
    if (o.trailExtreme !== undefined && (sell ? ref <= o.trailExtreme : ref >= o.trailExtreme)) return;
    o.trailExtreme = ref;
    o.trailStop = trailStopFor(o.side, ref, o.trailTicks, o.trailBp);
    events.push({ type: 'trail', orderId: o.id, ts: nowMs, extreme: fromTicks(ref, o.st.scale).toFixed(), stopPrice: fromTicks(o.trailStop, o.st.scale).toFixed() });
  }

  /** Links after a fill: OCA siblings are cancelled, a bracket entry releases quantity, an exit uses it. */
  private afterFill(o: Working, lots: number, nowMs: number, events: MatchEvent[]): void {
    if (o.ocaGroup !== undefined) {
      for (const sib of [...(this.oca.get(o.ocaGroup) ?? [])]) {
        if (sib !== o) this.cancelLinked(sib, nowMs, events, `OCA: ${o.id} filled`, o.id);
      }
    }
    const asEntry = this.brackets.get(o.id);
    if (asEntry) {
      asEntry.releasedLots += lots;
      // Activated children work from the next book: this one was the entry's.
      for (const c of asEntry.children) c.activeFrom = this.call + 1;
      this.reportBracket(asEntry, nowMs, events);
    }
    if (o.parentId !== undefined) {
      const g = this.brackets.get(o.parentId);
      if (!g) return;
      g.exitedLots += lots;
      const entryWorking = this.byId.has(g.parentId);
      if (o.filledLots === o.qtyLots || (!entryWorking && g.exitedLots >= g.releasedLots)) {
        for (const sib of [...g.children]) if (sib !== o) this.cancelLinked(sib, nowMs, events, `OCA: ${o.id} filled`, o.id);
        if (this.byId.has(o.id)) {
          this.cancelLinked(o, nowMs, events, `bracket exit complete: all ${fromLots(g.releasedLots, o.st.scale).toFixed()} the entry filled has exited`);
        }
      } else {
        this.reportBracket(g, nowMs, events);
      }
      this.gc(o);
    }
  }

  private reportBracket(g: BracketGroup, nowMs: number, events: MatchEvent[]): void {
    for (const c of g.children) {
      events.push({ type: 'bracket', orderId: c.id, ts: nowMs, releasedQty: fromLots(g.releasedLots, c.st.scale).toFixed(), exitedQty: fromLots(g.exitedLots, c.st.scale).toFixed() });
    }
  }

  /** Cancels an order because of a linked one (OCA, bracket), with its own consequences. */
  private cancelLinked(o: Working, nowMs: number, events: MatchEvent[], reason: string, ocaOf?: string): void {
    if (!this.byId.has(o.id)) return;
    this.remove(o);
    events.push({ type: 'cancelled', orderId: o.id, ts: nowMs, reason, ...(ocaOf !== undefined ? { ocaOf } : {}) });
    this.entryEnded(o, nowMs, events, true);
    this.gc(o);
  }

  /**
   * A bracket entry stopped working without filling completely. Cancelled by request (or by its
   * own OCA group): the children go too. Ended by itself: held children go, released ones keep
   * protecting what filled, unless all of that has already exited.
   */
  private entryEnded(o: Working, nowMs: number, events: MatchEvent[], cancelled: boolean): void {
    const g = this.brackets.get(o.id);
    if (!g || o.filledLots === o.qtyLots) return;
    const all = cancelled || g.releasedLots === 0 || g.exitedLots >= g.releasedLots;
    if (!all) return;
    const why = cancelled
      ? `bracket entry ${o.id} was cancelled`
      : g.releasedLots === 0
        ? `bracket entry ${o.id} ended with nothing filled`
        : `bracket entry ${o.id} ended and all it filled has exited`;
    for (const c of [...g.children]) {
      this.remove(c);
      events.push({ type: 'cancelled', orderId: c.id, ts: nowMs, reason: why });
    }
    this.gc(o);
  }

  /** A new Working from parsed terms (no fills, not triggered). */
  private working(input: SimOrderInput, parsed: Parsed, st: InstState, at: { expiresAt: number | undefined; createdAt: number }): Working {
    return {
      ...parsed,
      id: input.id,
      st,
      side: input.side,
      type: input.type,
      tif: input.tif,
      qty: input.qty,
      limitPrice: input.limitPrice,
      stopPrice: input.stopPrice,
      expiresAt: at.expiresAt,
      createdAt: at.createdAt,
      seq: 0,
      filledLots: 0,
      triggered: false,
      seenVersion: undefined,
      trailAmount: input.trailAmount,
      trailPercent: input.trailPercent,
      trailExtreme: undefined,
      trailStop: undefined,
      ocaGroup: input.ocaGroup,
      parentId: input.parentId,
      activeFrom: 0,
    };
  }
}

/**
 * A trailing stop's stop for an extreme, in ticks. Amount: extreme ∓ trail ticks. Percent (b =
 * percent × 100): the distance extreme × b / 10000 is computed exactly on integers and rounded
 * DOWN to a whole tick (at least one), so the stop is never farther from the extreme than asked.
 */
export function trailStopFor(side: Side, extreme: number, trailTicks: number | undefined, trailBp: number | undefined): number {
  let dist: number;
  if (trailTicks !== undefined) dist = trailTicks;
  else {
    const bp = trailBp!;
    const prod = extreme * bp;
    // Beyond 2^53 a float product is no longer exact: fall back to BigInt for the division.
    dist = Number.isSafeInteger(prod) ? (prod - (prod % 10_000)) / 10_000 : Number((BigInt(extreme) * BigInt(bp)) / 10_000n);
    if (dist < 1) dist = 1;
  }
  return side === 'sell' ? extreme - dist : extreme + dist;
}

function stopTriggered(o: Working, book: ScaledBook): boolean {
  const stop = o.type === 'trailing_stop' ? o.trailStop : o.stopTicks;
  // A trailing stop with no extreme yet (no book seen while open) has nothing to trigger on.
  if (stop === undefined) return false;
  if (o.side === 'buy') {
    const ask = book.asks[0];
    return ask !== undefined && ask[0] >= stop;
  }
  const bid = book.bids[0];
  return bid !== undefined && bid[0] <= stop;
}

/** Price then time priority. Buys and sells take from different sides, so their relative order is only for a total order. */
function pricePriority(a: Working, b: Working): number {
  if (a.side !== b.side) return a.side === 'buy' ? -1 : 1;
  const byPrice = a.side === 'buy' ? b.limitTicks! - a.limitTicks! : a.limitTicks! - b.limitTicks!;
  return byPrice !== 0 ? byPrice : a.seq - b.seq;
}

function crosses(side: Side, levelTicks: number, limit: number | undefined): boolean {
  return limit === undefined || (side === 'buy' ? levelTicks <= limit : levelTicks >= limit);
}

function availableWithin(levels: readonly ScaledLevel[], used: number[], side: Side, limit: number | undefined): number {
  let sum = 0;
  for (let i = 0; i < levels.length; i++) {
    const [ticks, lots] = levels[i]!;
    if (!crosses(side, ticks, limit)) break;
    sum += Math.max(0, lots - (used[i] ?? 0));
  }
  return sum;
}

/** Consumes up to `want` lots from levels at or better than `limit`; returns the lots taken. */
function takeAtOrBetter(levels: readonly ScaledLevel[], used: number[], side: Side, limit: number, want: number): number {
  let taken = 0;
  for (let i = 0; i < levels.length && taken < want; i++) {
    const [ticks, lots] = levels[i]!;
    if (!crosses(side, ticks, limit)) break;
    const avail = lots - (used[i] ?? 0);
    if (avail <= 0) continue;
    const q = Math.min(avail, want - taken);
    used[i] = (used[i] ?? 0) + q;
    taken += q;
  }
  return taken;
}

/** A trailing stop's trail in scaled integers: ticks for an amount, basis points (percent × 100) for a percent. */
function parseTrail(input: SimOrderInput, st: InstState): { trailTicks: number | undefined; trailBp: number | undefined } | string {
  const hasAmt = input.trailAmount !== undefined;
  const hasPct = input.trailPercent !== undefined;
  if (input.type !== 'trailing_stop') return hasAmt || hasPct ? `a ${input.type.replace('_', '-')} order takes no trail` : { trailTicks: undefined, trailBp: undefined };
  if (hasAmt === hasPct) return 'a trailing stop needs exactly one of a trail amount or a trail percent';
  if (hasAmt) {
    const d = parseDecimal(input.trailAmount);
    if (!d || d.lte(0)) return `trail amount must be greater than zero (got ${input.trailAmount})`;
    try {
      return { trailTicks: toTicks(d, st.scale), trailBp: undefined };
    } catch {
      return `trail amount ${d.toFixed()} is not a multiple of ${st.inst.symbol}'s tick size ${st.inst.tickSize}`;
    }
  }
  const p = parseDecimal(input.trailPercent);
  if (!p || p.lte(0) || p.gte(100)) return `trail percent must be greater than 0 and less than 100 (got ${input.trailPercent})`;
  const bp = p.mul(100);
  if (!bp.isInteger()) return `trail percent ${p.toFixed()} has more than 2 decimals`;
  return { trailTicks: undefined, trailBp: bp.toNumber() };
}

function closedText(inst: Instrument, nowMs: number): string {
  const s = sessionState(inst.session, nowMs);
  const reason = s.reason ?? s.phase;
  return s.nextOpen !== undefined ? `${reason}; opens ${formatNewYorkTime(s.nextOpen)}` : reason;
}
