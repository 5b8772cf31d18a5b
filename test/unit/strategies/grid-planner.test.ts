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

  describe('protective stops (stop=<percent>)', () => {
    const p = gridPlanner.parse({ low: '100', high: '200', levels: '5', qty: '2', stop: '10' });
    const started = () => gridPlanner.next(p, gridPlanner.init(p, T0), { type: 'start', now: T0, touch: { last: '160' } }).state;
    const buy = (s: GridState, tag: string, price: string) => gridPlanner.next(p, s, { type: 'fill', now: T0, tag, side: 'buy', qty: '2', price, fee: '0' });

    it('each filled buy gets its sell and a stop 10 % below the lowest level, linked one-cancels-other, one group per lot', () => {
      const a = buy(started(), 'B2', '150');
      expect(a.orders).toEqual([
        { side: 'sell', type: 'limit', qty: '2', limitPrice: '175', tif: 'gtc', tag: 'S3', ocaGroup: 'L1' },
        { side: 'sell', type: 'stop', qty: '2', stopPrice: '90', tif: 'gtc', tag: 'stop S3', ocaGroup: 'L1' },
      ]);
      const b = buy(a.state, 'B1', '125');
      expect(b.orders.map((o) => [o.tag, o.ocaGroup])).toEqual([
        ['S2', 'L2'],
        ['stop S2', 'L2'],
      ]);
    });

    it("the lot's sell filling cancels its stop and the buy rests again; the stop's own end changes nothing else", () => {
      const a = buy(started(), 'B2', '150');
      const sold = gridPlanner.next(p, a.state, { type: 'fill', now: T0, tag: 'S3', side: 'sell', qty: '2', price: '175', fee: '0' });
      expect(sold.cancels).toEqual(['stop S3']);
      expect(sold.orders.map((o) => o.tag)).toEqual(['B2']);
      const ended = gridPlanner.next(p, sold.state, { type: 'ended', now: T0, tag: 'stop S3', filledQty: '0', status: 'cancelled' });
      expect(ended.orders).toEqual([]);
      expect(ended.state.resting['stop S3']).toBeUndefined();
      expect(ended.state.position).toBe('0');
    });

    it('the stop filling closes the lot: its sell is cancelled, the loss booked, and the level not bought again', () => {
      const a = buy(started(), 'B2', '150');
      const half = gridPlanner.next(p, a.state, { type: 'fill', now: T0, tag: 'stop S3', side: 'sell', qty: '1', price: '90', fee: '0.1' });
      expect(half.cancels).toBeUndefined();
      const out = gridPlanner.next(p, half.state, { type: 'fill', now: T0, tag: 'stop S3', side: 'sell', qty: '1', price: '89', fee: '0.1' });
      expect(out.orders).toEqual([]);
      expect(out.cancels).toEqual(['S3']);
      expect(out.state.position).toBe('0');
      // (90 - 150) × 1 + (89 - 150) × 1
      expect(out.state.realized).toBe('-121');
      expect(out.state.resting.S3).toBeUndefined();
      const cancelled = gridPlanner.next(p, out.state, { type: 'ended', now: T0, tag: 'S3', filledQty: '0', status: 'cancelled' });
      expect(cancelled.orders).toEqual([]);
    });

    it('stopping at its bounds cancels the resting buys and sells but keeps the stops that protect what it holds', () => {
      const a = buy(started(), 'B2', '150');
      const below = gridPlanner.next(p, a.state, { type: 'quote', now: T0, touch: { last: '95' } });
      expect(below.done).toMatch(/left the grid/);
      expect([...(below.cancels ?? [])].sort()).toEqual(['B0', 'B1', 'S3']);
    });

    it('refuses a stop outside (0, 100) with the parameter named; without stop the grid places no stops', () => {
      expect(() => gridPlanner.parse({ low: '100', high: '200', levels: '5', qty: '2', stop: '100' })).toThrow(/stop is a percent below the lowest level/);
      expect(() => gridPlanner.parse({ low: '100', high: '200', levels: '5', qty: '2', stop: 'x' })).toThrow(/stop/);
      const plain = gridPlanner.parse({ low: '100', high: '200', levels: '5', qty: '2' });
      const s = gridPlanner.next(plain, gridPlanner.init(plain, T0), { type: 'start', now: T0, touch: { last: '160' } }).state;
      expect(gridPlanner.next(plain, s, { type: 'fill', now: T0, tag: 'B2', side: 'buy', qty: '2', price: '150', fee: '0' }).orders.map((o) => o.tag)).toEqual(['S3']);
    });
  });
});
