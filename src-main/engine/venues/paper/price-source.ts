/**
 * The Paper venue's deterministic price source.
 *
 * Each instrument's mid follows a geometric random walk whose variance grows with the elapsed
 * session time, so one seed and one sequence of step times always produce the same books. Each
 * instrument draws from its own generator, seeded from the source seed and its id, so adding an
 * instrument or stepping at a different rate elsewhere does not change another's path.
 *
 * The walk state is a float (the only float that ever approaches a price); the book built from
 * it is integers: ticks for prices, lots for quantities. Outside an instrument's regular session
 * its book is frozen but still quotable.
 *
 * `step` is allocation-light (preallocated level arrays, a cached session state per calendar) so
 * it can drive thousands of quote updates a second for the UI benchmark.
 */
import type { Instrument, SessionKind } from '../../domain/instrument';
import { Decimal, roundToStep } from '../../domain/money';
import type { BookSnapshot, Quote } from '../../domain/order';
import { toTicks } from '../../domain/scaled';
import { type Clock, systemClock } from '../../ports/clock';
import { SeededRandom } from '../../ports/random';
import { sessionState } from '../../market/sessions';
import { PAPER_SPECS, type PaperInstrumentSpec } from './paper-instruments';
import type { ScaledBook, ScaledLevel } from '../../sim/matching-engine';

export interface PriceSourceOptions {
  readonly seed: number;
  readonly clock?: Clock;
  readonly specs?: readonly PaperInstrumentSpec[];
  /**
   * 'calendar' (default) moves an instrument only in its regular session; 'always_open' moves
   * everything, for benchmarks and demos run outside US market hours.
   */
  readonly sessions?: 'calendar' | 'always_open';
  /** Start mids by instrument id (e.g. persisted by the last run); otherwise each spec's refPrice. */
  readonly initialMids?: Readonly<Record<string, string>>;
  /** Time the walk starts from; defaults to clock.now(). */
  readonly startMs?: number;
}

/** Session hours per trading day, to turn a daily volatility into one per elapsed millisecond. */
const SESSION_MS_PER_DAY: Readonly<Record<SessionKind, number>> = {
  us_equity: 6.5 * 3_600_000,
  cme_equity_futures: 23 * 3_600_000,
  forex: 24 * 3_600_000,
  always: 24 * 3_600_000,
};

/** Expected size at depth level i is topLots × (1 + SIZE_GROWTH × i). */
const SIZE_GROWTH = 0.45;

interface Fmt {
  /** step = mantissa × 10^-places */
  readonly mantissa: number;
  readonly places: number;
}

interface Sim {
  readonly spec: PaperInstrumentSpec;
  readonly id: string;
  readonly rng: SeededRandom;
  readonly sigmaPerSqrtMs: number;
  readonly tick: Decimal;
  readonly priceFmt: Fmt;
  readonly qtyFmt: Fmt;
  /** Lowest mid the walk may reach, so every displayed bid stays above zero. */
  readonly floorTicks: number;
  /** Random-walk state: the mid in ticks, unrounded. */
  x: number;
  midTicks: number;
  readonly bidTicks: number[];
  readonly bidLots: number[];
  readonly askTicks: number[];
  readonly askLots: number[];
  nBids: number;
  nAsks: number;
  lastTicks: number;
  /** Day statistics: the mid this run started from (Paper's previous close), the high and low prints since. */
  readonly openTicks: number;
  highTicks: number;
  lowTicks: number;
  /** Simulated day volume in lots: each print trades a quarter of the level it lands on (at least one lot). */
  volumeLots: number;
  /** How far the walk has been advanced. */
  walkedTo: number;
  /** When the book last changed. */
  ts: number;
  version: number;
}

interface SessionCache {
  open: boolean;
  openedAt: number | undefined;
  from: number;
  until: number | undefined;
}

export class PaperPriceSource {
  private readonly sims: Sim[] = [];
  private readonly byId = new Map<string, Sim>();
  private readonly clock: Clock;
  private readonly mode: 'calendar' | 'always_open';
  private readonly sessionCache = new Map<SessionKind, SessionCache>();

  constructor(opts: PriceSourceOptions) {
    this.clock = opts.clock ?? systemClock;
    this.mode = opts.sessions ?? 'calendar';
    const start = opts.startMs ?? this.clock.now();
    for (const spec of opts.specs ?? PAPER_SPECS) {
      const inst = spec.instrument;
      const tick = new Decimal(inst.tickSize);
      const mid = new Decimal(opts.initialMids?.[inst.id] ?? spec.refPrice);
      const midTicks = toTicks(roundToStep(mid, tick), { tick, lot: new Decimal(inst.lotSize) });
      const depth = spec.depth;
      const sim: Sim = {
        spec,
        id: inst.id,
        rng: new SeededRandom(mixSeed(opts.seed, inst.id)),
        sigmaPerSqrtMs: spec.dailyVol / Math.sqrt(SESSION_MS_PER_DAY[inst.session]),
        tick,
        priceFmt: fmtOf(tick),
        qtyFmt: fmtOf(new Decimal(inst.lotSize)),
        floorTicks: spec.spreadTicks + 1 + depth * spec.levelGapTicks,
        x: midTicks,
        midTicks,
        bidTicks: new Array<number>(depth).fill(0),
        bidLots: new Array<number>(depth).fill(0),
        askTicks: new Array<number>(depth).fill(0),
        askLots: new Array<number>(depth).fill(0),
        nBids: 0,
        nAsks: 0,
        lastTicks: midTicks,
        openTicks: midTicks,
        highTicks: midTicks,
        lowTicks: midTicks,
        volumeLots: 0,
        walkedTo: start,
        ts: start,
        version: 0,
      };
      this.rebuild(sim);
      this.sims.push(sim);
      this.byId.set(sim.id, sim);
    }
  }

  instruments(): Instrument[] {
    return this.sims.map((s) => s.spec.instrument);
  }

  /** Advances every instrument to `nowMs`; returns the ids whose book changed. */
  step(nowMs: number = this.clock.now()): string[] {
    const changed: string[] = [];
    for (let i = 0; i < this.sims.length; i++) {
      const sim = this.sims[i]!;
      if (nowMs <= sim.walkedTo) continue;
      const session = this.session(sim.spec.instrument.session, nowMs);
      if (!session.open) {
        // Closed time must not count as variance when the session reopens.
        sim.walkedTo = nowMs;
        continue;
      }
      const from = session.openedAt !== undefined && session.openedAt > sim.walkedTo ? session.openedAt : sim.walkedTo;
      sim.walkedTo = nowMs;
      const dt = nowMs - from;
      if (dt <= 0) continue;
      const s = sim.sigmaPerSqrtMs * Math.sqrt(dt);
      sim.x *= Math.exp(s * sim.rng.normal() - 0.5 * s * s);
      if (sim.x < sim.floorTicks) sim.x = sim.floorTicks;
      const prevMid = sim.midTicks;
      sim.midTicks = Math.round(sim.x);
      this.rebuild(sim);
      // The print lands on the side the mid moved towards; a flat mid prints on either side.
      const up = sim.midTicks > prevMid || (sim.midTicks === prevMid && sim.rng.next() < 0.5);
      sim.lastTicks = up ? sim.askTicks[0]! : sim.bidTicks[0]!;
      // No extra random draw: the walk of a given seed stays what it was.
      sim.volumeLots += Math.max(1, Math.round((up ? sim.askLots[0]! : sim.bidLots[0]!) / 4));
      if (sim.lastTicks > sim.highTicks) sim.highTicks = sim.lastTicks;
      if (sim.lastTicks < sim.lowTicks) sim.lowTicks = sim.lastTicks;
      sim.ts = nowMs;
      changed.push(sim.id);
    }
    return changed;
  }

  /** The displayed book in ticks and lots, best first. Fresh arrays: the caller may keep them. */
  book(instrumentId: string): ScaledBook | undefined {
    const sim = this.byId.get(instrumentId);
    if (!sim) return undefined;
    const bids: ScaledLevel[] = new Array(sim.nBids);
    for (let i = 0; i < sim.nBids; i++) bids[i] = [sim.bidTicks[i]!, sim.bidLots[i]!];
    const asks: ScaledLevel[] = new Array(sim.nAsks);
    for (let i = 0; i < sim.nAsks; i++) asks[i] = [sim.askTicks[i]!, sim.askLots[i]!];
    return { bids, asks, version: sim.version };
  }

  /** The book as decimal strings, for the API. */
  bookSnapshot(instrumentId: string, depth = Number.POSITIVE_INFINITY): BookSnapshot | undefined {
    const sim = this.byId.get(instrumentId);
    if (!sim) return undefined;
    const level = (t: number, l: number) => ({ price: fmt(t, sim.priceFmt), qty: fmt(l, sim.qtyFmt) });
    const bids = [];
    for (let i = 0; i < Math.min(depth, sim.nBids); i++) bids.push(level(sim.bidTicks[i]!, sim.bidLots[i]!));
    const asks = [];
    for (let i = 0; i < Math.min(depth, sim.nAsks); i++) asks.push(level(sim.askTicks[i]!, sim.askLots[i]!));
    return { instrumentId, bids, asks, ts: sim.ts };
  }

  quote(instrumentId: string): Quote | undefined {
    const sim = this.byId.get(instrumentId);
    if (!sim) return undefined;
    return {
      instrumentId,
      ...(sim.nBids > 0 ? { bid: fmt(sim.bidTicks[0]!, sim.priceFmt), bidSize: fmt(sim.bidLots[0]!, sim.qtyFmt) } : {}),
      ...(sim.nAsks > 0 ? { ask: fmt(sim.askTicks[0]!, sim.priceFmt), askSize: fmt(sim.askLots[0]!, sim.qtyFmt) } : {}),
      last: fmt(sim.lastTicks, sim.priceFmt),
      prevClose: fmt(sim.openTicks, sim.priceFmt),
      dayHigh: fmt(sim.highTicks, sim.priceFmt),
      dayLow: fmt(sim.lowTicks, sim.priceFmt),
      volume: fmt(sim.volumeLots, sim.qtyFmt),
      ts: sim.ts,
    };
  }

  /** Current mid, rounded to the tick (what a restart should resume from). */
  mid(instrumentId: string): Decimal | undefined {
    const sim = this.byId.get(instrumentId);
    return sim ? sim.tick.mul(sim.midTicks) : undefined;
  }

  /** Every mid as a decimal string, to persist and pass back as `initialMids`. */
  mids(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const sim of this.sims) out[sim.id] = fmt(sim.midTicks, sim.priceFmt);
    return out;
  }

  /** Moves an instrument's mid (rounded to its tick) and rebuilds its book around it: for tests and demos. */
  setMid(instrumentId: string, price: Decimal): void {
    const sim = this.byId.get(instrumentId);
    if (!sim) throw new RangeError(`unknown Paper instrument ${instrumentId}`);
    const ticks = roundToStep(price, sim.tick).div(sim.tick).toNumber();
    if (!Number.isSafeInteger(ticks) || ticks < sim.floorTicks) {
      throw new RangeError(`mid ${price.toFixed()} is out of range for ${sim.spec.instrument.symbol} (at least ${sim.tick.mul(sim.floorTicks).toFixed()})`);
    }
    sim.x = ticks;
    sim.midTicks = ticks;
    this.rebuild(sim);
    sim.lastTicks = ticks;
    if (ticks > sim.highTicks) sim.highTicks = ticks;
    if (ticks < sim.lowTicks) sim.lowTicks = ticks;
    sim.ts = this.clock.now();
  }

  version(instrumentId: string): number | undefined {
    return this.byId.get(instrumentId)?.version;
  }

  private session(kind: SessionKind, nowMs: number): SessionCache {
    if (this.mode === 'always_open' || kind === 'always') return ALWAYS_OPEN;
    let c = this.sessionCache.get(kind);
    if (!c || nowMs < c.from || (c.until !== undefined && nowMs >= c.until)) {
      const s = sessionState(kind, nowMs);
      c = { open: s.open, openedAt: s.openedAt, from: nowMs, until: s.until };
      this.sessionCache.set(kind, c);
    }
    return c;
  }

  /** Lays out both sides around the current mid with fresh sizes. */
  private rebuild(sim: Sim): void {
    const { spec, rng } = sim;
    const depth = spec.depth;
    const gap = spec.levelGapTicks;
    let spread = spec.spreadTicks;
    const u = rng.next();
    if (u < 0.15) spread += 1;
    else if (u > 0.9 && spread > 1) spread -= 1;
    const bestBid = sim.midTicks - Math.floor(spread / 2);
    const bestAsk = bestBid + spread;

    let nBids = 0;
    let prev = 0;
    for (let i = 0; i < depth; i++) {
      const t = bestBid - i * gap;
      if (t < 1) break;
      prev = levelLots(spec.topLots, i, rng.next(), prev);
      sim.bidTicks[i] = t;
      sim.bidLots[i] = prev;
      nBids++;
    }
    prev = 0;
    for (let i = 0; i < depth; i++) {
      prev = levelLots(spec.topLots, i, rng.next(), prev);
      sim.askTicks[i] = bestAsk + i * gap;
      sim.askLots[i] = prev;
    }
    sim.nBids = nBids;
    sim.nAsks = depth;
    sim.version++;
  }
}

const ALWAYS_OPEN: SessionCache = { open: true, openedAt: undefined, from: Number.NEGATIVE_INFINITY, until: undefined };

/** Size at level i: grows with depth, jittered ±30 %, never below the level above it or one lot. */
function levelLots(topLots: number, i: number, u: number, prev: number): number {
  const q = Math.round(topLots * (1 + SIZE_GROWTH * i) * (0.7 + 0.6 * u));
  return Math.max(q, prev, 1);
}

/** FNV-1a of the id folded into the seed, so each instrument's stream is independent. */
function mixSeed(seed: number, id: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

function fmtOf(step: Decimal): Fmt {
  const places = step.decimalPlaces();
  return { mantissa: step.mul(new Decimal(10).pow(places)).toNumber(), places };
}

/**
 * A scaled integer as a canonical decimal string (same text as Decimal#toFixed()), without
 * building a Decimal: quotes are formatted thousands of times a second.
 */
function fmt(units: number, f: Fmt): string {
  const v = units * f.mantissa;
  if (f.places === 0) return String(v);
  const neg = v < 0;
  let digits = String(neg ? -v : v);
  if (digits.length <= f.places) digits = '0'.repeat(f.places - digits.length + 1) + digits;
  const int = digits.slice(0, digits.length - f.places);
  let end = digits.length;
  while (end > int.length && digits.charCodeAt(end - 1) === 48) end--;
  const frac = digits.slice(int.length, end);
  return (neg ? '-' : '') + int + (frac.length > 0 ? `.${frac}` : '');
}
