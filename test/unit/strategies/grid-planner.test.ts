import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Decimal } from '../../../src-main/engine/domain/money';
import { gridLevels, gridPlanner, profitPerGrid, type GridState } from '../../../src-main/engine/strategies/grid-planner';
import type { PlannedOrder } from '../../../src-main/engine/strategies/planner';

const T0 = Date.UTC(2026, 0, 5, 15, 0);

describe('grid planner', () => {
  it('levels: arithmetic steps and geometric ratios; profit per grid', () => {
    expect(gridLevels({ low: new Decimal(100), high: new Decimal(200), levels: 5, spacing: 'arithmetic' }).map(String)).toEqual(['100', '125', '150', '175', '200']);
    expect(gridLevels({ low: new Decimal(100), high: new Decimal(400), levels: 3, spacing: 'geometric' }).map(String)).toEqual(['100', '200', '400']);
    const p = gridPlanner.parse({ low: '100', high: '200', levels: '5', qty: '2' });
    expect(profitPerGrid(p)).toEqual(['50', '50', '50', '50']);
  });

  it('starts with a buy at every level below the market, and nothing while the market is closed', () => {
    const p = gridPlanner.parse({ low: '100', high: '200', levels: '5', qty: '1' });
    const s = gridPlanner.init(p, T0);
    expect(gridPlanner.next(p, s, { type: 'start', now: T0, touch: { bid: '160', ask: '160' }, open: false }).orders).toEqual([]);
    const r = gridPlanner.next(p, s, { type: 'start', now: T0, touch: { bid: '159', ask: '161' } });
    expect(r.orders.map((o) => [o.tag, o.side, o.limitPrice])).toEqual([
      ['B0', 'buy', '100'],
      ['B1', 'buy', '125'],
      ['B2', 'buy', '150'],
    ]);
    // Started: later quotes plan nothing new.
    expect(gridPlanner.next(p, r.state, { type: 'quote', now: T0, touch: { last: '120' } }).orders).toEqual([]);
  });

  it('re-places the opposite order one level away on each complete fill and books the grid profit', () => {
    const p = gridPlanner.parse({ low: '100', high: '200', levels: '5', qty: '2' });
    let s = gridPlanner.next(p, gridPlanner.init(p, T0), { type: 'start', now: T0, touch: { last: '160' } }).state;
    const part = gridPlanner.next(p, s, { type: 'fill', now: T0, tag: 'B2', side: 'buy', qty: '0.5', price: '150', fee: '0.01' });
    expect(part.orders).toEqual([]);
    const full = gridPlanner.next(p, part.state, { type: 'fill', now: T0, tag: 'B2', side: 'buy', qty: '1.5', price: '150', fee: '0.03' });
    expect(full.orders).toEqual([{ side: 'sell', type: 'limit', qty: '2', limitPrice: '175', tif: 'gtc', tag: 'S3' }]);
    s = full.state;
    expect(s.position).toBe('2');
    const sold = gridPlanner.next(p, s, { type: 'fill', now: T0, tag: 'S3', side: 'sell', qty: '2', price: '175', fee: '0.05' });
    expect(sold.orders).toEqual([{ side: 'buy', type: 'limit', qty: '2', limitPrice: '150', tif: 'gtc', tag: 'B2' }]);
    expect(sold.state).toMatchObject({ cycles: 1, realized: '50', position: '0', fees: '0.09' });
  });

  it('stops when the price leaves its bounds, unless told not to', () => {
    const p = gridPlanner.parse({ low: '100', high: '200', levels: '3', qty: '1' });
    const s = gridPlanner.next(p, gridPlanner.init(p, T0), { type: 'start', now: T0, touch: { last: '160' } }).state;
    const out = gridPlanner.next(p, s, { type: 'quote', now: T0, touch: { last: '99.9' } });
    expect(out.done).toMatch(/left the grid \[100, 200\]/);
    expect(out.cancels).toEqual(['B0', 'B1']);
    expect(gridPlanner.next(p, s, { type: 'quote', now: T0, touch: { last: '200.1' } }).done).toMatch(/left the grid/);
    const keep = gridPlanner.parse({ low: '100', high: '200', levels: '3', qty: '1', stopAtBounds: 'false' });
    expect(gridPlanner.next(keep, s, { type: 'quote', now: T0, touch: { last: '50' } }).done).toBeUndefined();
  });

  it('a refused or cancelled level stops resting', () => {
    const p = gridPlanner.parse({ low: '100', high: '200', levels: '3', qty: '1' });
    const s = gridPlanner.next(p, gridPlanner.init(p, T0), { type: 'start', now: T0, touch: { last: '190' } }).state;
    expect(Object.keys(s.resting)).toEqual(['B0', 'B1']);
    const r = gridPlanner.next(p, s, { type: 'refused', now: T0, tag: 'B0', reason: 'risk' });
    expect(Object.keys(r.state.resting)).toEqual(['B1']);
    const c = gridPlanner.next(p, r.state, { type: 'ended', now: T0, tag: 'B1', filledQty: '0', status: 'cancelled' });
    expect(c.state.resting).toEqual({});
  });

  it('rejects bad parameters', () => {
    expect(() => gridPlanner.parse({ low: '200', high: '100', levels: '5', qty: '1' })).toThrow(/high \(100\) must be above low \(200\)/);
    expect(() => gridPlanner.parse({ low: '1', high: '2', levels: '1', qty: '1' })).toThrow(/levels must be a whole number from 2 to 200/);
    expect(() => gridPlanner.parse({ low: '1', high: '2', levels: '3', qty: '1', spacing: 'log' })).toThrow(/spacing must be one of arithmetic, geometric/);
    expect(() => gridPlanner.parse({ low: '1', high: '2', levels: '3', qty: '1', stopAtBounds: 'maybe' })).toThrow(/stopAtBounds must be true or false/);
  });

  it('property: spot only — never sells more than it bought; at most one order rests per level', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), fc.array(fc.nat({ max: 1000 }), { maxLength: 80 }), (levels, picks) => {
        const p = gridPlanner.parse({ low: '100', high: '200', levels: String(levels), qty: '1' });
        let s: GridState = gridPlanner.next(p, gridPlanner.init(p, T0), { type: 'start', now: T0, touch: { last: '200' } }).state;
        const working = new Map<string, PlannedOrder>(Object.keys(s.resting).map((t) => [t, { side: 'buy', type: 'limit', qty: '1', tif: 'gtc', tag: t }]));
        let bought = new Decimal(0);
        let sold = new Decimal(0);
        for (const pick of picks) {
          const tags = [...working.keys()];
          if (!tags.length) break;
          const tag = tags[pick % tags.length]!;
          const o = working.get(tag)!;
          working.delete(tag);
          const r = gridPlanner.next(p, s, { type: 'fill', now: T0, tag, side: o.side, qty: '1', price: '150', fee: '0' });
          if (o.side === 'buy') bought = bought.plus(1);
          else sold = sold.plus(1);
          for (const n of r.orders) {
            expect(working.has(n.tag)).toBe(false);
            working.set(n.tag, n);
          }
          s = r.state;
          const pendingSells = [...working.values()].filter((w) => w.side === 'sell').length;
          expect(sold.plus(pendingSells).lte(bought)).toBe(true);
          expect(s.position).toBe(bought.minus(sold).toFixed());
        }
      }),
    );
  });
});
