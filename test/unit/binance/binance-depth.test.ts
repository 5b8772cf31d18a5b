/**
 * The Binance depth fast path (text → ticks/lots) against the reference path (JSON.parse → string
 * levels → DecimalCodec): on every generated frame both must leave identical books, identical
 * U/u sequencing and identical errors. Frames the fast path must not decide (reordered keys,
 * escapes, bad JSON, off-grid values) must fall back, and malformed frames must never touch the book.
 */
import { describe, expect, it } from 'vitest';
import { decodeDepthUpdate, parseDepthUpdate } from '../../../src-main/engine/venues/binance/binance-depth';
import { BinanceBookSync, type DepthSnapshot } from '../../../src-main/engine/venues/binance/binance-book-sync';
import { DecimalCodec, OrderBook, type BookSpec } from '../../../src-main/engine/market/order-book';
import { flushMicrotasks } from '../../../src-main/engine/ports/clock';
import { SeededRandom } from '../../../src-main/engine/ports/random';

type Kind = 'canonical' | 'whitespace' | 'reordered' | 'escaped' | 'offgrid' | 'malformed' | 'gap' | 'stale';

const WS = [' ', '\n', '\t', '\r', '  ', ' \n '];

/** A Binance-shaped frame from parts, with optional whitespace between every token. */
function render(r: SeededRandom, f: { E: number; s: string; U: number; u: number; b: [string, string][]; a: [string, string][] }, odd: boolean, order?: string[]): string {
  const w = (): string => (odd && r.next() < 0.4 ? WS[r.int(WS.length)]! : '');
  const str = (s: string): string => `${w()}"${s}"${w()}`;
  const lv = (ls: [string, string][]): string => `${w()}[${w()}${ls.map(([p, q]) => `[${str(p)},${str(q)}]`).join(`${w()},${w()}`)}${w()}]${w()}`;
  const members: Record<string, string> = {
    e: `${str('e')}:${str('depthUpdate')}`,
    E: `${str('E')}:${w()}${f.E}${w()}`,
    s: `${str('s')}:${str(f.s)}`,
    U: `${str('U')}:${w()}${f.U}${w()}`,
    u: `${str('u')}:${w()}${f.u}${w()}`,
    b: `${str('b')}:${lv(f.b)}`,
    a: `${str('a')}:${lv(f.a)}`,
  };
  const keys = order ?? ['e', 'E', 's', 'U', 'u', 'b', 'a'];
  return `${w()}{${keys.map((k) => members[k]).join(',')}}${w()}`;
}

function shuffle<T>(r: SeededRandom, xs: T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** Breaks a valid frame in one of many ways; each result is either invalid JSON or not a usable depthUpdate. */
function malform(r: SeededRandom, good: string): string {
  switch (r.int(14)) {
    case 0:
      return good.slice(0, 1 + r.int(good.length - 2)); // truncated
    case 1:
      return good + '}';
    case 2:
      return good.replace('"depthUpdate"', '"depthUpdat"');
    case 3:
      return good.replace(/"U":\s*(\d+)/, '"U":"$1"'); // U as a string
    case 4:
      return good.replace(/"u":\s*(\d+)/, '"u":-$1');
    case 5:
      return good.replace(/\["(\d)/, '["-$1'); // negative price
    case 6:
      return good.replace(/\["([\d.]+)"/, '[$1'); // price as a JSON number
    case 7:
      return good.replace(/"b":\s*\[/, '"b":[["1.00","2.000","3"],'); // three-element level
    case 8:
      return good.replace(/,"a"/, ',,"a"');
    case 9:
      return good.replace(/\["(\d+)\.(\d+)"/, '["$1.$2e1"'); // exponent inside the decimal string
    case 10:
      return good.replace(/"U":\s*(\d+)/, '"U":0$1'); // leading zero: not JSON
    case 11:
      return good.replace(/"b":/, '"b":null,"x":');
    case 12:
      return 'x' + good;
    default:
      return good.replace(/"a":\s*\[/, '"a":[["",""],');
  }
}

interface Side {
  book: OrderBook;
  sync: BinanceBookSync;
  errors: string[];
  gaps: number[];
}

function makeSide(spec: BookSpec, snapshot: () => DepthSnapshot): Side {
  const book = new OrderBook(spec);
  const sync = new BinanceBookSync({ book, fetchSnapshot: () => Promise.resolve(snapshot()) });
  const s: Side = { book, sync, errors: [], gaps: [] };
  sync.on('error', (e) => s.errors.push(e.name));
  sync.on('gap', (g) => s.gaps.push(g.got));
  return s;
}

const levelsOf = (b: OrderBook) => [b.scaledLevels('bid'), b.scaledLevels('ask')];

async function fuzz(seed: number, spec: BookSpec, n: number) {
  const r = new SeededRandom(seed);
  const price = new DecimalCodec(spec.tick);
  const qty = new DecimalCodec(spec.lot);
  const tickUnits = price.unitsPerStep;
  const pd = price.decimals;
  // Prices on the grid, printed with Binance's 8 decimals (or fewer, sometimes).
  const fmt = (units: number, d: number, pad: number): string => {
    const s = String(units).padStart(d + 1, '0');
    const int = d === 0 ? s : s.slice(0, s.length - d);
    const frac = d === 0 ? '' : s.slice(s.length - d);
    const width = Math.max(frac.length, pad);
    return width === 0 ? int : `${int}.${frac.padEnd(width, '0')}`;
  };
  const px = (ticks: number): string => fmt(ticks * tickUnits, pd, r.next() < 0.8 ? 8 : 0);
  const lot = (lots: number): string => (lots === 0 && r.next() < 0.3 ? '0' : fmt(lots * qty.unitsPerStep, qty.decimals, r.next() < 0.8 ? 8 : 0));

  let u = 1000;
  let snap: DepthSnapshot = { lastUpdateId: u, bids: [['100.00', '1.000']], asks: [['101.00', '1.000']] };
  const fast = makeSide(spec, () => snap);
  const ref = makeSide(spec, () => snap);
  const live = new Map<string, Set<number>>([
    ['b', new Set()],
    ['a', new Set()],
  ]);
  fast.sync.resync('start');
  ref.sync.resync('start');
  await flushMicrotasks();

  const counts: Record<Kind, number> = { canonical: 0, whitespace: 0, reordered: 0, escaped: 0, offgrid: 0, malformed: 0, gap: 0, stale: 0 };
  let fastTaken = 0;
  let deletions = 0;
  const mid = 2000; // in ticks
  for (let m = 0; m < n; m++) {
    const x = r.next();
    const kind: Kind = x < 0.45 ? 'canonical' : x < 0.65 ? 'whitespace' : x < 0.73 ? 'reordered' : x < 0.8 ? 'escaped' : x < 0.85 ? 'offgrid' : x < 0.95 ? 'malformed' : x < 0.97 ? 'gap' : 'stale';
    counts[kind]++;
    const mk = (sideKey: 'b' | 'a'): [string, string][] => {
      const out: [string, string][] = [];
      const set = live.get(sideKey)!;
      const k = r.int(8);
      for (let i = 0; i < k; i++) {
        const t = sideKey === 'b' ? mid - 1 - r.int(60) : mid + 1 + r.int(60);
        const del = set.has(t) && r.next() < 0.35;
        if (del) {
          set.delete(t);
          deletions++;
        } else set.add(t);
        out.push([px(t), lot(del ? 0 : 1 + r.int(100_000))]);
      }
      return out;
    };
    let U = u + 1;
    if (kind === 'gap') U += 1 + r.int(5);
    if (kind === 'stale') U = Math.max(1, u - 3);
    const last = U + r.int(3);
    const frame = { E: 1_700_000_000_000 + m, s: 'BTCUSDT', U, u: last, b: mk('b'), a: mk('a') };
    if (kind === 'offgrid') frame.b.push(['100.001', '1.000']);
    let text: string;
    if (kind === 'reordered') text = render(r, frame, r.next() < 0.5, shuffle(r, ['e', 'E', 's', 'U', 'u', 'b', 'a']));
    else if (kind === 'escaped') {
      const t = render(r, frame, false);
      // \u0030 is "0", \/ is "/": JSON.parse reads them back to the same strings (or the symbol).
      text = r.next() < 0.5 ? t.replace('"BTCUSDT"', '"BTC\\/USDT"') : t.replace(/\.(\d*)0"/, '.$1\\u0030"');
    } else if (kind === 'malformed') text = malform(r, render(r, frame, r.next() < 0.3));
    else text = render(r, frame, kind === 'whitespace');

    const decoded = decodeDepthUpdate(text, fast.book.price, fast.book.qty);
    if (decoded) fastTaken++;
    // What the fast path may and may not decide.
    if (kind === 'canonical' || kind === 'whitespace' || kind === 'gap' || kind === 'stale') expect(decoded, text).toBeDefined();
    if (kind === 'offgrid' || (kind === 'escaped' && text.includes('\\'))) expect(decoded, text).toBeUndefined();

    const before = levelsOf(fast.book);
    const okFast = fast.sync.onMessage(text);
    let okRef = true;
    try {
      ref.sync.onDiff(parseDepthUpdate(text));
    } catch {
      okRef = false;
    }
    expect(okFast, text).toBe(okRef);
    // The fast path only ever accepts what the reference path accepts.
    if (decoded) expect(okRef, text).toBe(true);
    if (kind === 'malformed' && !okRef) expect(decoded, text).toBeUndefined();
    if (!okFast) {
      expect(kind, text).toBe('malformed');
      // A frame that is not a depthUpdate never changes the book.
      expect(levelsOf(fast.book)).toEqual(before);
    } else if (kind !== 'stale' && kind !== 'malformed') u = Math.max(u, last);
    if (kind === 'malformed' && okFast) u = Math.max(u, last);

    if (fast.sync.state === 'syncing' || ref.sync.state === 'syncing') {
      // Both resync from the same venue snapshot: the model's book at its current update id.
      const bids = [...live.get('b')!].map((t) => [px(t), '1.000'] as [string, string]);
      const asks = [...live.get('a')!].map((t) => [px(t), '1.000'] as [string, string]);
      snap = { lastUpdateId: u, bids, asks };
      await flushMicrotasks();
    }
    expect(fast.sync.state).toBe(ref.sync.state);
    expect(fast.sync.lastUpdateId).toBe(ref.sync.lastUpdateId);
    expect(fast.sync.resyncCount).toBe(ref.sync.resyncCount);
    expect(levelsOf(fast.book)).toEqual(levelsOf(ref.book));
  }
  expect(fast.gaps).toEqual(ref.gaps);
  // The reference path reports JSON.parse and shape errors from its own try/catch; the fast side's
  // sync emits them. Off-grid levels are errors inside both syncs.
  expect(fast.errors.filter((e) => e === 'RangeError').length).toBe(ref.errors.filter((e) => e === 'RangeError').length);
  return { counts, fastTaken, deletions, gaps: fast.gaps.length, resyncs: fast.sync.resyncCount };
}

describe('Binance depth fast path', () => {
  it('matches the JSON.parse path on 12,000 generated frames (tick 0.01, lot 0.001)', async () => {
    const res = await fuzz(7, { tick: '0.01', lot: '0.001' }, 12_000);
    expect(res.counts.canonical + res.counts.whitespace).toBeGreaterThan(6000);
    for (const k of Object.keys(res.counts) as Kind[]) expect(res.counts[k], k).toBeGreaterThan(100);
    expect(res.fastTaken).toBeGreaterThan(7000);
    expect(res.deletions).toBeGreaterThan(1000);
    expect(res.gaps).toBeGreaterThan(100);
    expect(res.resyncs).toBeGreaterThan(100);
  });

  it('matches it with a step that is not a power of ten (tick 0.05, lot 1)', async () => {
    const res = await fuzz(11, { tick: '0.05', lot: '1' }, 4000);
    expect(res.fastTaken).toBeGreaterThan(2000);
  });

  it('decodes the documented example exactly', () => {
    const price = new DecimalCodec('0.0001');
    const qty = new DecimalCodec('1');
    const text = '{"e":"depthUpdate","E":1672515782136,"s":"BNBBTC","U":157,"u":160,"b":[["0.0024","10"]],"a":[["0.0026","100"],["0.0027","0.00000000"]]}';
    expect(decodeDepthUpdate(text, price, qty)).toEqual({ scaled: true, U: 157, u: 160, E: 1672515782136, bids: [24, 10], asks: [26, 100, 27, 0] });
  });

  it('leaves to the reference path what it must not decide', () => {
    const price = new DecimalCodec('0.01');
    const qty = new DecimalCodec('0.001');
    const base = '{"e":"depthUpdate","E":1,"s":"X","U":1,"u":2,"b":[["1.00","2.000"]],"a":[]}';
    expect(decodeDepthUpdate(base, price, qty)).toBeDefined();
    for (const t of [
      base.replace('"1.00"', '"1.001"'), // off-grid
      base.replace('"1.00"', '".5"'),
      base.replace('"1.00"', '"1e2"'),
      base.replace('"1.00"', '"99999999999999999.00"'), // past 2^53 ticks
      base.replace('"U":1', '"U":1.0'),
      base.replace('"U":1', '"U":1e0'),
      base.replace('"s":"X"', '"s":"X\\"Y"'),
      base.replace('"a":[]', '"a":[],"T":3'),
      base.replace('{"e"', '\uFEFF{"e"'),
    ]) {
      expect(decodeDepthUpdate(t, price, qty), t).toBeUndefined();
    }
  });
});
