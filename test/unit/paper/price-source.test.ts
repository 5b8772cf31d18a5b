import { describe, expect, it } from 'vitest';
import { Decimal, isMultipleOf } from '../../../src-main/engine/domain/money';
import { ManualClock } from '../../../src-main/engine/ports/clock';
import { PAPER_SPECS, paperSpec } from '../../../src-main/engine/venues/paper/paper-instruments';
import { PaperPriceSource } from '../../../src-main/engine/venues/paper/price-source';

// Tue 2026-01-06 15:00Z = 10:00 ET: every calendar is in its regular session.
const OPEN = Date.UTC(2026, 0, 6, 15, 0);
const ids = PAPER_SPECS.map((s) => s.instrument.id);

function run(seed: number, times: number[]) {
  const src = new PaperPriceSource({ seed, startMs: OPEN });
  for (const t of times) src.step(t);
  return src;
}

function stepTimes(n: number, start = OPEN): number[] {
  // Irregular but fixed intervals, like a real timer.
  const out: number[] = [];
  let t = start;
  for (let i = 0; i < n; i++) out.push((t += 150 + ((i * 37) % 400)));
  return out;
}

describe('PaperPriceSource determinism', () => {
  it('produces identical books and quotes for the same seed and step times', () => {
    const times = stepTimes(400);
    const a = run(42, times);
    const b = run(42, times);
    for (const id of ids) {
      expect(b.book(id)).toEqual(a.book(id));
      expect(b.quote(id)).toEqual(a.quote(id));
    }
  });

  it('produces different paths for a different seed', () => {
    const times = stepTimes(400);
    const a = run(42, times);
    const b = run(43, times);
    const differing = ids.filter((id) => JSON.stringify(a.book(id)) !== JSON.stringify(b.book(id)));
    expect(differing.length).toBe(ids.length);
  });

  it("keeps an instrument's path independent of which other instruments exist", () => {
    const times = stepTimes(200);
    const all = run(7, times);
    const btc = new PaperPriceSource({ seed: 7, startMs: OPEN, specs: [paperSpec('BTC/USD')!] });
    for (const t of times) btc.step(t);
    expect(btc.book('paper:BTC-USD')).toEqual(all.book('paper:BTC-USD'));
  });

  it('moves prices over time', () => {
    const src = new PaperPriceSource({ seed: 1, startMs: OPEN });
    const before = src.mids();
    src.step(OPEN + 30 * 60_000);
    const after = src.mids();
    expect(ids.filter((id) => before[id] !== after[id]).length).toBeGreaterThan(ids.length / 2);
  });
});

describe('PaperPriceSource books', () => {
  it('are never crossed, always on tick and lot, ≥ 10 levels, sizes growing with depth', () => {
    const src = new PaperPriceSource({ seed: 9, startMs: OPEN });
    const problems: string[] = [];
    let checked = 0;
    for (const t of stepTimes(300)) {
      for (const id of src.step(t)) {
        checked++;
        const { bids, asks } = src.book(id)!;
        const bad = (what: string) => problems.push(`${id} @${t}: ${what}`);
        if (bids.length < 10 || asks.length < 10) bad('fewer than 10 levels');
        if (!(bids[0]![0] < asks[0]![0])) bad('crossed or locked');
        for (const side of [bids, asks]) {
          for (let i = 0; i < side.length; i++) {
            const [p, q] = side[i]!;
            if (!Number.isSafeInteger(p) || p <= 0) bad(`price ${p} not a positive tick count`);
            if (!Number.isSafeInteger(q) || q <= 0) bad(`qty ${q} not a positive lot count`);
            if (i > 0 && q < side[i - 1]![1]) bad('size shrinks with depth');
          }
          if (!(side[side.length - 1]![1] > side[0]![1])) bad('deepest level not larger than the touch');
        }
        for (let i = 1; i < bids.length; i++) if (!(bids[i]![0] < bids[i - 1]![0])) bad('bids not strictly descending');
        for (let i = 1; i < asks.length; i++) if (!(asks[i]![0] > asks[i - 1]![0])) bad('asks not strictly ascending');
      }
    }
    expect(checked).toBeGreaterThan(300 * 10);
    expect(problems).toEqual([]);
  });

  it('quotes decimal strings that equal the book in ticks and lots, on tick and lot', () => {
    const src = new PaperPriceSource({ seed: 3, startMs: OPEN });
    src.step(OPEN + 5_000);
    for (const spec of PAPER_SPECS) {
      const id = spec.instrument.id;
      const tick = new Decimal(spec.instrument.tickSize);
      const lot = new Decimal(spec.instrument.lotSize);
      const q = src.quote(id)!;
      const b = src.book(id)!;
      expect(new Decimal(q.bid!).eq(tick.mul(b.bids[0]![0]))).toBe(true);
      expect(new Decimal(q.ask!).eq(tick.mul(b.asks[0]![0]))).toBe(true);
      expect(new Decimal(q.bidSize!).eq(lot.mul(b.bids[0]![1]))).toBe(true);
      expect(new Decimal(q.askSize!).eq(lot.mul(b.asks[0]![1]))).toBe(true);
      for (const s of [q.bid!, q.ask!, q.last!]) {
        expect(isMultipleOf(new Decimal(s), tick), `${id} ${s}`).toBe(true);
        expect(s).toBe(new Decimal(s).toFixed()); // canonical: no exponent, no trailing zeros
      }
      expect(isMultipleOf(new Decimal(q.bidSize!), lot)).toBe(true);
      expect(q.ts).toBe(OPEN + 5_000);
      const snap = src.bookSnapshot(id, 3)!;
      expect(snap.bids).toHaveLength(3);
      expect(snap.asks[0]).toEqual({ price: q.ask, qty: q.askSize });
    }
  });

  it('spreads are a few ticks and the last trade prints at the touch', () => {
    const src = new PaperPriceSource({ seed: 5, startMs: OPEN });
    for (const t of stepTimes(100)) src.step(t);
    for (const spec of PAPER_SPECS) {
      const b = src.book(spec.instrument.id)!;
      const spread = b.asks[0]![0] - b.bids[0]![0];
      expect(spread).toBeGreaterThanOrEqual(1);
      expect(spread).toBeLessThanOrEqual(spec.spreadTicks + 1);
      const q = src.quote(spec.instrument.id)!;
      expect([q.bid, q.ask]).toContain(q.last);
    }
  });
});

describe('PaperPriceSource sessions', () => {
  it('freezes equities and futures outside their session, keeps crypto moving, resumes at the open', () => {
    const sat = Date.UTC(2026, 0, 10, 15, 0);
    const src = new PaperPriceSource({ seed: 11, startMs: sat });
    const aapl = src.book('paper:AAPL');
    const es = src.book('paper:ESZ6');
    const changed = new Set<string>();
    for (let t = sat + 60_000; t < Date.UTC(2026, 0, 11, 23, 0); t += 10 * 60_000) for (const id of src.step(t)) changed.add(id);
    expect(changed.has('paper:BTC-USD')).toBe(true);
    expect(changed.has('paper:AAPL')).toBe(false);
    expect(changed.has('paper:ESZ6')).toBe(false);
    expect(src.book('paper:AAPL')).toEqual(aapl);
    expect(src.book('paper:ESZ6')).toEqual(es);
    expect(src.quote('paper:AAPL')!.bid).toBeDefined(); // still quotable
    // CME reopens Sunday 18:00 ET; NYSE on Monday 09:30 ET.
    expect(src.step(Date.UTC(2026, 0, 11, 23, 1))).toContain('paper:ESZ6');
    expect(src.step(Date.UTC(2026, 0, 12, 14, 0))).not.toContain('paper:AAPL');
    expect(src.step(Date.UTC(2026, 0, 12, 14, 31))).toContain('paper:AAPL');
  });

  it('does not count the closed weekend as variance: the first step after the open is a one-minute move', () => {
    // AAPL daily vol 1.6 % over 6.5 h: a one-minute move is ~0.08 % (1σ), a weekend's worth would be ~5 %.
    let maxMove = 0;
    for (let seed = 0; seed < 50; seed++) {
      const src = new PaperPriceSource({ seed, startMs: Date.UTC(2026, 0, 9, 20, 59), specs: [paperSpec('AAPL')!] });
      const before = src.mid('paper:AAPL')!;
      src.step(Date.UTC(2026, 0, 12, 14, 31)); // Monday 09:31 ET
      maxMove = Math.max(maxMove, src.mid('paper:AAPL')!.div(before).ln().abs().toNumber());
    }
    expect(maxMove).toBeLessThan(0.005);
  });

  it('always_open mode moves equities at night (for benchmarks)', () => {
    const night = Date.UTC(2026, 0, 10, 3, 0);
    const src = new PaperPriceSource({ seed: 1, startMs: night, sessions: 'always_open' });
    expect(src.step(night + 1_000)).toContain('paper:AAPL');
  });
});

describe('PaperPriceSource volatility', () => {
  it('scales with elapsed time: daily log-return std ≈ the spec, whatever the step size', () => {
    const spec = paperSpec('BTC/USD')!;
    for (const stepMs of [60_000, 15 * 60_000]) {
      const src = new PaperPriceSource({ seed: 2024, startMs: OPEN, specs: [spec] });
      const day = 86_400_000;
      const rets: number[] = [];
      let prev = src.mid(spec.instrument.id)!.toNumber();
      for (let d = 1; d <= 200; d++) {
        for (let t = OPEN + (d - 1) * day + stepMs; t <= OPEN + d * day; t += stepMs) src.step(t);
        const m = src.mid(spec.instrument.id)!.toNumber();
        rets.push(Math.log(m / prev));
        prev = m;
      }
      const mean = rets.reduce((a, b) => a + b, 0) / rets.length;
      const sd = Math.sqrt(rets.reduce((a, b) => a + (b - mean) ** 2, 0) / (rets.length - 1));
      expect(sd).toBeGreaterThan(spec.dailyVol * 0.8);
      expect(sd).toBeLessThan(spec.dailyVol * 1.2);
    }
  });
});

describe('PaperPriceSource controls', () => {
  it('setMid moves the mid (to the tick) and rebuilds the book around it', () => {
    const clock = new ManualClock(OPEN);
    const src = new PaperPriceSource({ seed: 1, clock });
    const v = src.version('paper:AAPL')!;
    clock.advance(10);
    src.setMid('paper:AAPL', new Decimal('100.004'));
    expect(src.mid('paper:AAPL')!.toFixed()).toBe('100');
    const q = src.quote('paper:AAPL')!;
    expect(new Decimal(q.bid!).lte(100)).toBe(true);
    expect(new Decimal(q.ask!).gt(100)).toBe(true);
    expect(new Decimal(q.ask!).minus(q.bid!).lte('0.02')).toBe(true);
    expect(q.ts).toBe(OPEN + 10);
    expect(src.version('paper:AAPL')).toBeGreaterThan(v);
    expect(() => src.setMid('paper:NOPE', new Decimal(1))).toThrow(/unknown/);
    expect(() => src.setMid('paper:AAPL', new Decimal('0.01'))).toThrow(/out of range/);
  });

  it('resumes from persisted mids', () => {
    const a = run(8, stepTimes(50));
    const b = new PaperPriceSource({ seed: 99, startMs: OPEN, initialMids: a.mids() });
    for (const id of ids) expect(b.mid(id)!.eq(a.mid(id)!)).toBe(true);
  });

  it('is cheap enough for 5,000 quote updates a second', () => {
    const src = new PaperPriceSource({ seed: 1, startMs: OPEN, sessions: 'always_open' });
    let updates = 0;
    let t = OPEN;
    const started = performance.now();
    while (updates < 50_000) {
      for (const id of src.step((t += 3))) {
        src.quote(id);
        updates++;
      }
    }
    const seconds = (performance.now() - started) / 1000;
    // 50,000 updates must take well under 10 s (5,000/s); in practice this is a few hundred ms.
    expect(seconds).toBeLessThan(5);
  });
});

describe('PaperPriceSource day volume', () => {
  it('starts at 0 and grows with each print, in whole lots, the same for the same seed', () => {
    const fresh = new PaperPriceSource({ seed: 3, startMs: OPEN });
    for (const id of ids) expect(fresh.quote(id)!.volume).toBe('0');
    const times = stepTimes(50);
    const a = run(3, times);
    const b = run(3, times);
    for (const spec of PAPER_SPECS) {
      const id = spec.instrument.id;
      const vol = new Decimal(a.quote(id)!.volume!);
      expect(vol.gt(0)).toBe(true);
      expect(isMultipleOf(vol, new Decimal(spec.instrument.lotSize))).toBe(true);
      expect(b.quote(id)!.volume).toBe(a.quote(id)!.volume);
    }
    const before = new Decimal(a.quote('paper:BTC-USD')!.volume!);
    a.step(times.at(-1)! + 5_000);
    expect(new Decimal(a.quote('paper:BTC-USD')!.volume!).gt(before)).toBe(true);
  });
});
