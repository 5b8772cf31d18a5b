/**
 * The Paper venue's matching engine: pure, synchronous, in scaled integers (ticks and lots).
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
 * The engine reports what happened as events and never touches balances or storage.
 */
import type { Instrument } from '../../domain/instrument';
import { Decimal, parseDecimal } from '../../domain/money';
import type { OrderType, Side, TimeInForce } from '../../domain/order';
import { fromLots, fromTicks, toLots, toTicks, type Scale } from '../../domain/scaled';
import { formatNewYorkTime, isTradable, sessionCloseFor, sessionState } from '../../market/sessions';

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
export interface PaperOrderInput {
  /** The key events are reported under (the Paper venue order id). */
  readonly id: string;
  readonly instrumentId: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly tif: TimeInForce;
  readonly qty: string;
  readonly limitPrice?: string;
  readonly stopPrice?: string;
}

/** A working order as it must be persisted to survive a restart. */
export interface PersistedPaperOrder extends PaperOrderInput {
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
  | { readonly type: 'cancelled'; readonly orderId: string; readonly ts: number; readonly reason: string }
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

/** What a modify may change; absent fields stay. */
export interface PaperReplace {
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

export function feeDecimals(quoteCurrency: string): number {
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
}

/** Quantity already taken from each displayed level during one call. */
interface Used {
  readonly bids: number[];
  readonly asks: number[];
}

const isStop = (t: OrderType) => t === 'stop' || t === 'stop_limit';
const needsLimit = (t: OrderType) => t === 'limit' || t === 'stop_limit';

export class MatchingEngine {
  private readonly byInstrument = new Map<string, InstState>();
  private readonly byId = new Map<string, Working>();
  private nextSeq = 0;
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
  submit(input: PaperOrderInput, book: ScaledBook | undefined, nowMs: number): MatchEvent[] {
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
      if ((input.tif === 'ioc' || input.tif === 'fok') && !isStop(input.type)) {
        return reject(`${sym} market is closed (${why}); an ${input.tif.toUpperCase()} order would cancel at once. Use DAY or GTC to queue it for the open.`);
      }
    } else if (input.type === 'market') {
      const side = input.side === 'buy' ? book?.asks : book?.bids;
      if (!side || side.length === 0) {
        return reject(`No ${input.side === 'buy' ? 'asks' : 'bids'} on the ${sym} book: a market ${input.side} has nothing to fill against. Use a limit order.`);
      }
    }

    const expiresAt = input.tif === 'day' ? this.dayExpiry(st.inst, nowMs) : undefined;
    const o: Working = {
      ...parsed,
      id: input.id,
      st,
      side: input.side,
      type: input.type,
      tif: input.tif,
      qty: input.qty,
      limitPrice: input.limitPrice,
      stopPrice: input.stopPrice,
      expiresAt,
      createdAt: nowMs,
      seq: 0,
      filledLots: 0,
      triggered: false,
      seenVersion: undefined,
    };
    const open = this.isOpen(st.inst, nowMs);
    events.push({
      type: 'accepted',
      orderId: o.id,
      ts: nowMs,
      ...(expiresAt !== undefined ? { expiresAt } : {}),
      ...(open ? {} : { note: `${sym} market is closed (${closedText(st.inst, nowMs)}); the order waits for the open.` }),
    });
    this.add(o);
    if (!open || !book) return events;

    o.seenVersion = book.version;
    const used: Used = { bids: [], asks: [] };
    if (isStop(o.type)) {
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
    const events: MatchEvent[] = [];
    this.expireIn(st, nowMs, events);
    if (st.orders.length === 0 || !this.isOpen(st.inst, nowMs)) return events;

    const fresh = (o: Working) => book.version === undefined || o.seenVersion === undefined || book.version > o.seenVersion;
    const used: Used = { bids: [], asks: [] };
    // Stops first: a trigger this book causes takes liquidity as a taker would have.
    for (const o of st.orders.slice()) {
      if (!isStop(o.type) || o.triggered || !fresh(o)) continue;
      if (!stopTriggered(o, book)) continue;
      o.triggered = true;
      o.seenVersion = book.version;
      events.push({ type: 'triggered', orderId: o.id, ts: nowMs });
      this.execute(o, book, used, nowMs, events);
    }

    const resting = st.orders.filter((o) => o.limitTicks !== undefined && (!isStop(o.type) || o.triggered) && fresh(o));
    resting.sort(pricePriority);
    for (const o of resting) {
      o.seenVersion = book.version;
      const limit = o.limitTicks!;
      const lots = takeAtOrBetter(o.side === 'buy' ? book.asks : book.bids, o.side === 'buy' ? used.asks : used.bids, o.side, limit, o.qtyLots - o.filledLots);
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
  replace(orderId: string, change: PaperReplace, book: ScaledBook | undefined, nowMs: number): MatchEvent[] | string {
    const o = this.byId.get(orderId);
    if (!o) return `order ${orderId} is not working`;
    const input: PaperOrderInput = {
      id: o.id,
      instrumentId: o.st.inst.id,
      side: o.side,
      type: o.type,
      tif: o.tif,
      qty: change.qty ?? o.qty,
      ...((change.limitPrice ?? o.limitPrice) !== undefined ? { limitPrice: change.limitPrice ?? o.limitPrice } : {}),
      ...((change.stopPrice ?? o.stopPrice) !== undefined ? { stopPrice: change.stopPrice ?? o.stopPrice } : {}),
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
      ...parsed,
      id: o.id,
      st: o.st,
      side: o.side,
      type: o.type,
      tif: o.tif,
      qty: parseDecimal(input.qty)!.toFixed(),
      limitPrice: input.limitPrice,
      stopPrice: input.stopPrice,
      expiresAt: o.expiresAt,
      createdAt: priorityLost ? nowMs : o.createdAt,
      seq: o.seq,
      filledLots: o.filledLots,
      triggered: o.triggered,
      seenVersion: o.seenVersion,
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

  cancel(orderId: string, nowMs: number, reason = 'cancelled by request'): MatchEvent[] {
    const o = this.byId.get(orderId);
    if (!o) return [];
    this.remove(o);
    return [{ type: 'cancelled', orderId, ts: nowMs, reason }];
  }

  cancelAll(nowMs: number, reason = 'cancelled by request', instrumentId?: string): MatchEvent[] {
    const events: MatchEvent[] = [];
    for (const o of [...this.byId.values()]) {
      if (instrumentId !== undefined && o.st.inst.id !== instrumentId) continue;
      events.push(...this.cancel(o.id, nowMs, reason));
    }
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
  restore(orders: readonly PersistedPaperOrder[]): RestoreResult {
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
      if (p.type === 'market' || ((p.tif === 'ioc' || p.tif === 'fok') && (!isStop(p.type) || p.triggered))) {
        bad(`a ${p.type} ${p.tif} order never rests, so it cannot be restored`);
        continue;
      }
      this.add({
        ...parsed,
        id: p.id,
        st,
        side: p.side,
        type: p.type,
        tif: p.tif,
        qty: p.qty,
        limitPrice: p.limitPrice,
        stopPrice: p.stopPrice,
        expiresAt: p.tif === 'day' ? (p.expiresAt ?? this.dayExpiry(st.inst, p.createdAt)) : undefined,
        createdAt: p.createdAt,
        seq: 0,
        filledLots,
        triggered: isStop(p.type) && p.triggered,
        seenVersion: undefined,
      });
      restored++;
    }
    return { restored, problems };
  }

  /** Working orders in the persisted shape, in time priority. */
  openOrders(instrumentId?: string): PersistedPaperOrder[] {
    const out: PersistedPaperOrder[] = [];
    // byId iterates in insertion order, which is time priority.
    for (const o of this.byId.values()) if (instrumentId === undefined || o.st.inst.id === instrumentId) out.push(this.persisted(o));
    return out;
  }

  get(orderId: string): PersistedPaperOrder | undefined {
    const o = this.byId.get(orderId);
    return o ? this.persisted(o) : undefined;
  }

  hasWorking(instrumentId: string): boolean {
    return (this.byInstrument.get(instrumentId)?.orders.length ?? 0) > 0;
  }

  // -------------------------------------------------------------------------------------------

  private persisted(o: Working): PersistedPaperOrder {
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
    };
  }

  /** Decimal → scaled integers, once, at the edge. Returns a reason string when the order is malformed. */
  private parse(input: PaperOrderInput, st: InstState): { qtyLots: number; limitTicks: number | undefined; stopTicks: number | undefined } | string {
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
    return { qtyLots, limitTicks, stopTicks };
  }

  /** Takes liquidity as taker, then applies the TIF to what is left. */
  private execute(o: Working, book: ScaledBook, used: Used, nowMs: number, events: MatchEvent[]): void {
    const levels = o.side === 'buy' ? book.asks : book.bids;
    const usedSide = o.side === 'buy' ? used.asks : used.bids;
    const limit = o.limitTicks;
    const want = o.qtyLots - o.filledLots;
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
    if (remaining === 0) return;

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
            : `${o.type === 'stop' ? 'stop (market)' : 'market'} order ${filledText}: the displayed ${o.side === 'buy' ? 'asks' : 'bids'} ran out; the rest is cancelled`,
      });
    } else if (o.tif === 'ioc') {
      this.remove(o);
      events.push({ type: 'cancelled', orderId: o.id, ts: nowMs, reason: `IOC ${filledText}; the unfilled remainder is cancelled` });
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
  }

  private expireIn(st: InstState, nowMs: number, events: MatchEvent[]): void {
    for (const o of st.orders.slice()) {
      if (o.expiresAt === undefined || o.expiresAt > nowMs) continue;
      this.remove(o);
      events.push({ type: 'expired', orderId: o.id, ts: nowMs, reason: `DAY order expired at the session close (${formatNewYorkTime(o.expiresAt)})` });
    }
  }

  private add(o: Working): void {
    o.seq = this.nextSeq++;
    this.byId.set(o.id, o);
    o.st.orders.push(o);
  }

  private remove(o: Working): void {
    if (!this.byId.delete(o.id)) return;
    const i = o.st.orders.indexOf(o);
    if (i >= 0) o.st.orders.splice(i, 1);
  }
}

function stopTriggered(o: Working, book: ScaledBook): boolean {
  const stop = o.stopTicks!;
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

function closedText(inst: Instrument, nowMs: number): string {
  const s = sessionState(inst.session, nowMs);
  const reason = s.reason ?? s.phase;
  return s.nextOpen !== undefined ? `${reason}; opens ${formatNewYorkTime(s.nextOpen)}` : reason;
}
