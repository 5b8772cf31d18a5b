import { describe, expect, it } from 'vitest';
import { DecimalCodec, OrderBook } from '../../../src-main/engine/market/order-book';
import { SeededRandom } from '../../../src-main/engine/ports/random';

describe('DecimalCodec', () => {
  it('converts venue strings exactly, trailing zeros and all', () => {
    const c = new DecimalCodec('0.01');
    expect(c.parse('27123.45000000')).toBe(2712345);
    expect(c.parse('0.1')).toBe(10);
    expect(c.parse('.3')).toBe(30);
    expect(c.parse('5')).toBe(500);
    expect(c.format(2712345)).toBe('27123.45');
    expect(c.format(10)).toBe('0.1');
    expect(c.format(500)).toBe('5');
    // 0.1 + 0.2 in ticks is exactly 0.3
    expect(c.format(c.parse('0.1') + c.parse('0.2'))).toBe('0.3');
  });

  it('rejects off-grid, malformed and out-of-range values instead of rounding', () => {
    const c = new DecimalCodec('0.05');
    expect(c.parse('1.15')).toBe(23);
    expect(() => c.parse('1.12')).toThrow(/multiple/);
    expect(() => new DecimalCodec('0.01').parse('1.001')).toThrow(/finer/);
    expect(() => c.parse('1e5')).toThrow();
    expect(() => c.parse('-1')).toThrow();
    expect(() => c.parse('')).toThrow();
    expect(() => new DecimalCodec('0.00000001').parse('123456789.12345678')).toThrow(/range/);
  });

  it('round-trips random values at many scales', () => {
    const r = new SeededRandom(7);
    for (const step of ['1', '0.5', '0.01', '0.00001', '0.00000001', '25']) {
      const c = new DecimalCodec(step);
      for (let i = 0; i < 500; i++) {
        const n = r.int(1e9);
        expect(c.parse(c.format(n))).toBe(n);
      }
    }
  });
});

describe('OrderBook', () => {
  const spec = { tick: '0.01', lot: '0.00001' };

  it('applies a snapshot and diffs; qty 0 deletes; best and depth are sorted best-first', () => {
    const b = new OrderBook(spec);
    b.loadSnapshot(
      [
        ['100.00', '1'],
        ['99.99', '2'],
        ['99.50', '3'],
      ],
      [
        ['100.02', '1.5'],
        ['100.01', '0.5'],
      ],
    );
    expect(b.bestBid()).toEqual({ price: '100', qty: '1' });
    expect(b.bestAsk()).toEqual({ price: '100.01', qty: '0.5' });
    b.applyLevels('bid', [['100.00000000', '0.00000000']]);
    expect(b.bestBid()).toEqual({ price: '99.99', qty: '2' });
    b.applyLevels('ask', [['100.01', '0']]);
    b.applyLevels('ask', [['100.03', '4.00001']]);
    expect(b.depth(5)).toEqual({
      bids: [
        { price: '99.99', qty: '2' },
        { price: '99.5', qty: '3' },
      ],
      asks: [
        { price: '100.02', qty: '1.5' },
        { price: '100.03', qty: '4.00001' },
      ],
    });
    expect(b.spreadTicks()).toBe(3);
    // Deleting an absent level is a no-op (the venue sends deletes beyond our snapshot depth).
    b.applyLevels('bid', [['1.00', '0']]);
    expect(b.levelCount('bid')).toBe(2);
    // Updating an existing level replaces its quantity.
    b.applyLevels('bid', [['99.99', '7']]);
    expect(b.lotsAt('bid', 9999)).toBe(700000);
  });

  it('detects a crossed book', () => {
    const b = new OrderBook(spec);
    b.loadSnapshot([['100', '1']], [['101', '1']]);
    expect(b.isCrossed()).toBe(false);
    b.applyLevels('bid', [['101', '1']]);
    expect(b.isCrossed()).toBe(true);
    b.applyLevels('bid', [['101', '0']]);
    expect(b.isCrossed()).toBe(false);
  });

  it('matches a reference model over 50k random updates, including growth past the initial capacity', () => {
    const r = new SeededRandom(3);
    const b = new OrderBook({ tick: '0.5', lot: '0.001' });
    const ref = { bid: new Map<number, number>(), ask: new Map<number, number>() };
    for (let i = 0; i < 50_000; i++) {
      const side = r.next() < 0.5 ? 'bid' : 'ask';
      const ticks = side === 'bid' ? 3000 - r.int(2000) : 3001 + r.int(2000);
      const lots = r.next() < 0.3 ? 0 : 1 + r.int(100000);
      b.applyLevels(side, [[new DecimalCodec('0.5').format(ticks), new DecimalCodec('0.001').format(lots)]]);
      if (lots === 0) ref[side].delete(ticks);
      else ref[side].set(ticks, lots);
    }
    const want = (s: 'bid' | 'ask') => [...ref[s]].sort((x, y) => (s === 'bid' ? y[0] - x[0] : x[0] - y[0]));
    expect(b.scaledLevels('bid')).toEqual(want('bid'));
    expect(b.scaledLevels('ask')).toEqual(want('ask'));
    expect(b.levelCount('bid')).toBeGreaterThan(256);
  });

  it('clear empties both sides', () => {
    const b = new OrderBook(spec);
    b.loadSnapshot([['1', '1']], [['2', '1']]);
    b.clear();
    expect(b.bestBid()).toBeUndefined();
    expect(b.depth(3)).toEqual({ bids: [], asks: [] });
  });
});
