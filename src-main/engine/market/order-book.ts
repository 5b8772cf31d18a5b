/**
 * L2 order book on exact scaled integers.
 *
 * Keys: a price is held as an integer count of ticks, a quantity as an integer count of lots
 * (domain/scaled.ts). Venue strings are converted digit by digit (`DecimalCodec`), never through
 * a binary float, so "0.1" and "0.10000000" are the same level and no two distinct prices can
 * collide. Values stay below 2^53, where doubles hold integers exactly; anything larger or off
 * the tick/lot grid throws instead of being rounded.
 *
 * Layout: each side is two parallel Float64Arrays (key, lots) sorted ascending, with the best
 * level at the END (bids keyed by +ticks, asks by −ticks). Venues update mostly near the top of
 * the book, so inserts and deletes there shift only a few elements, best bid/ask is O(1), and
 * lookups are a binary search with no hashing or allocation.
 */
import type { BookLevel, BookSnapshot } from '../domain/order';

export type Side = 'bid' | 'ask';

/** Exact conversion between decimal strings and integer multiples of a step ("0.01", "0.5", "25"). */
export class DecimalCodec {
  /** Decimal places of the step. */
  readonly decimals: number;
  /** The step in units of 10^-decimals (1 for "0.01", 5 for "0.05"). */
  readonly unitsPerStep: number;
  private readonly pow: number;

  constructor(readonly step: string) {
    const m = /^(\d+)(?:\.(\d+))?$/.exec(step.trim());
    if (!m) throw new RangeError(`step "${step}" is not a plain positive decimal`);
    const frac = (m[2] ?? '').replace(/0+$/, '');
    this.decimals = frac.length;
    this.pow = 10 ** this.decimals;
    this.unitsPerStep = Number(m[1]! + frac);
    if (!(this.unitsPerStep > 0) || !Number.isSafeInteger(this.unitsPerStep)) throw new RangeError(`step "${step}" must be positive`);
  }

  /** Integer step count for a venue string like "27123.45000000". Throws when off-grid or out of range. */
  parse(s: string): number {
    const d = this.decimals;
    let units = 0;
    let i = 0;
    const n = s.length;
    if (n === 0) throw new RangeError('empty decimal');
    let c = 0;
    for (; i < n; i++) {
      c = s.charCodeAt(i);
      if (c === 46) break;
      const digit = c - 48;
      // One unsigned compare rejects every non-digit, the sign and exponent included.
      if (digit >>> 0 > 9) throw new RangeError(`"${s}" is not a plain decimal`);
      units = units * 10 + digit;
    }
    let fd = 0;
    if (c === 46) {
      i++;
      const stop = Math.min(n, i + d);
      for (; i < stop; i++, fd++) {
        const digit = s.charCodeAt(i) - 48;
        if (digit >>> 0 > 9) throw new RangeError(`"${s}" is not a plain decimal`);
        units = units * 10 + digit;
      }
      // Venues pad to a fixed width ("0.01000000"); anything but zeros past the step is off-grid.
      for (; i < n; i++) {
        const c2 = s.charCodeAt(i);
        if (c2 !== 48) throw new RangeError((c2 - 48) >>> 0 > 9 ? `"${s}" is not a plain decimal` : `"${s}" is finer than the step ${this.step}`);
      }
    }
    for (; fd < d; fd++) units *= 10;
    if (units > Number.MAX_SAFE_INTEGER) throw new RangeError(`"${s}" is out of the exact range`);
    if (this.unitsPerStep === 1) return units;
    const steps = units / this.unitsPerStep;
    if (!Number.isInteger(steps)) throw new RangeError(`"${s}" is not a multiple of the step ${this.step}`);
    return steps;
  }

  /** Canonical decimal string (no trailing zeros, no exponent) for a step count. */
  format(steps: number): string {
    const units = steps * this.unitsPerStep;
    if (this.decimals === 0) return String(units);
    const neg = units < 0;
    const a = neg ? -units : units;
    const int = Math.floor(a / this.pow);
    const frac = a - int * this.pow;
    let out = String(int);
    if (frac !== 0) out += '.' + String(frac).padStart(this.decimals, '0').replace(/0+$/, '');
    return neg ? '-' + out : out;
  }
}

/** One side: ascending keys with the best level last. */
class BookSide {
  keys: Float64Array;
  lots: Float64Array;
  n = 0;

  constructor(
    /** +1 for bids (key = ticks), −1 for asks (key = −ticks). */
    readonly sign: 1 | -1,
    capacity = 256,
  ) {
    this.keys = new Float64Array(capacity);
    this.lots = new Float64Array(capacity);
  }

  /** Index of `key`, or −(insertion point) − 1. */
  private find(key: number): number {
    const keys = this.keys;
    let lo = 0;
    let hi = this.n - 1;
    // Most updates land near the top of the book, i.e. the end of the array.
    if (hi >= 0 && keys[hi]! < key) return -(hi + 1) - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = keys[mid]!;
      if (k < key) lo = mid + 1;
      else if (k > key) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  }

  set(ticks: number, lots: number): void {
    const key = this.sign === 1 ? ticks : -ticks;
    const i = this.find(key);
    if (i >= 0) {
      if (lots === 0) {
        this.keys.copyWithin(i, i + 1, this.n);
        this.lots.copyWithin(i, i + 1, this.n);
        this.n--;
      } else this.lots[i] = lots;
      return;
    }
    // Deleting a level we never had is normal (levels outside the snapshot's depth).
    if (lots === 0) return;
    const at = -i - 1;
    if (this.n === this.keys.length) this.grow();
    if (at < this.n) {
      this.keys.copyWithin(at + 1, at, this.n);
      this.lots.copyWithin(at + 1, at, this.n);
    }
    this.keys[at] = key;
    this.lots[at] = lots;
    this.n++;
  }

  private grow(): void {
    const k = new Float64Array(this.keys.length * 2);
    k.set(this.keys);
    const l = new Float64Array(this.lots.length * 2);
    l.set(this.lots);
    this.keys = k;
    this.lots = l;
  }

  clear(): void {
    this.n = 0;
  }

  /** Ticks of the i-th best level (0 = best). */
  ticksAt(i: number): number {
    const k = this.keys[this.n - 1 - i]!;
    return this.sign === 1 ? k : -k;
  }

  lotsAt(i: number): number {
    return this.lots[this.n - 1 - i]!;
  }

  lotsAtTicks(ticks: number): number {
    const i = this.find(this.sign === 1 ? ticks : -ticks);
    return i >= 0 ? this.lots[i]! : 0;
  }
}

export interface BookSpec {
  /** Price increment as a decimal string, e.g. "0.01". */
  readonly tick: string;
  /** Quantity increment, e.g. "0.00001". */
  readonly lot: string;
}

/** A level as strings, for display and the API. */
export type Level = BookLevel;

/** `[price, qty]` as venues send them. */
export type RawLevel = readonly [string, string];

export class OrderBook {
  readonly price: DecimalCodec;
  readonly qty: DecimalCodec;
  private readonly bids = new BookSide(1);
  private readonly asks = new BookSide(-1);

  constructor(spec: BookSpec) {
    this.price = new DecimalCodec(spec.tick);
    this.qty = new DecimalCodec(spec.lot);
  }

  clear(): void {
    this.bids.clear();
    this.asks.clear();
  }

  /** Replaces the whole book. */
  loadSnapshot(bids: readonly RawLevel[], asks: readonly RawLevel[]): void {
    this.clear();
    this.applyLevels('bid', bids);
    this.applyLevels('ask', asks);
  }

  /** Applies absolute level quantities; quantity 0 deletes the level. */
  applyLevels(side: Side, levels: readonly RawLevel[]): void {
    const s = side === 'bid' ? this.bids : this.asks;
    const p = this.price;
    const q = this.qty;
    for (let i = 0; i < levels.length; i++) {
      const l = levels[i]!;
      s.set(p.parse(l[0]), q.parse(l[1]));
    }
  }

  /** Flat `[ticks, lots, ticks, lots, …]` (a venue parser's fast path output); lots 0 deletes. */
  applyScaled(side: Side, flat: readonly number[]): void {
    const s = side === 'bid' ? this.bids : this.asks;
    for (let i = 0; i < flat.length; i += 2) s.set(flat[i]!, flat[i + 1]!);
  }

  /** Scaled-integer entry point for engines that already work in ticks and lots (Paper matching). */
  setLevel(side: Side, ticks: number, lots: number): void {
    (side === 'bid' ? this.bids : this.asks).set(ticks, lots);
  }

  levelCount(side: Side): number {
    return (side === 'bid' ? this.bids : this.asks).n;
  }

  bestBidTicks(): number | undefined {
    return this.bids.n > 0 ? this.bids.ticksAt(0) : undefined;
  }

  bestAskTicks(): number | undefined {
    return this.asks.n > 0 ? this.asks.ticksAt(0) : undefined;
  }

  bestBid(): Level | undefined {
    return this.bids.n > 0 ? this.level(this.bids, 0) : undefined;
  }

  bestAsk(): Level | undefined {
    return this.asks.n > 0 ? this.level(this.asks, 0) : undefined;
  }

  /** Lots resting at an exact price (0 when the level is absent). */
  lotsAt(side: Side, ticks: number): number {
    return (side === 'bid' ? this.bids : this.asks).lotsAtTicks(ticks);
  }

  /** A best bid at or above the best ask: the book is corrupt (missed message) or the venue is in an auction. */
  isCrossed(): boolean {
    const b = this.bestBidTicks();
    const a = this.bestAskTicks();
    return b !== undefined && a !== undefined && b >= a;
  }

  /** Spread in ticks, undefined when a side is empty. */
  spreadTicks(): number | undefined {
    const b = this.bestBidTicks();
    const a = this.bestAskTicks();
    return b !== undefined && a !== undefined ? a - b : undefined;
  }

  /** Top `n` levels per side, best first, as decimal strings. */
  depth(n: number): { bids: Level[]; asks: Level[] } {
    return { bids: this.sideLevels(this.bids, n), asks: this.sideLevels(this.asks, n) };
  }

  /** Top `n` levels of one side as `[ticks, lots]`, best first. */
  scaledLevels(side: Side, n = Number.POSITIVE_INFINITY): [number, number][] {
    const s = side === 'bid' ? this.bids : this.asks;
    const out: [number, number][] = [];
    const m = Math.min(n, s.n);
    for (let i = 0; i < m; i++) out.push([s.ticksAt(i), s.lotsAt(i)]);
    return out;
  }

  snapshot(instrumentId: string, ts: number, n = 20): BookSnapshot {
    const d = this.depth(n);
    return { instrumentId, bids: d.bids, asks: d.asks, ts };
  }

  private sideLevels(s: BookSide, n: number): Level[] {
    const out: Level[] = [];
    const m = Math.min(n, s.n);
    for (let i = 0; i < m; i++) out.push(this.level(s, i));
    return out;
  }

  private level(s: BookSide, i: number): Level {
    return { price: this.price.format(s.ticksAt(i)), qty: this.qty.format(s.lotsAt(i)) };
  }
}
