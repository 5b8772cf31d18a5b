import { describe, expect, it } from 'vitest';
import { twapPlanner, type TwapState } from '../../../src-main/engine/strategies/twap-planner';
import type { PlannedOrder, StrategyEvent } from '../../../src-main/engine/strategies/planner';

const T0 = Date.UTC(2026, 0, 5, 15, 0);
const MIN = 60_000;
const touch = { bid: '99', ask: '100' };

function run(p: ReturnType<typeof twapPlanner.parse>, events: StrategyEvent[]) {
  let s: TwapState = twapPlanner.init(p, T0);
  const orders: PlannedOrder[] = [];
  let done: string | undefined;
  const wakes: Array<number | undefined> = [];
  for (const e of events) {
    const r = twapPlanner.next(p, s, e);
    s = r.state;
    orders.push(...r.orders);
    wakes.push(r.wakeAt);
    done ??= r.done;
  }
  return { s, orders, done, wakes };
}

describe('TWAP planner', () => {
  it('slices qty evenly over the duration as IOC limits at the touch', () => {
    const p = twapPlanner.parse({ qty: '10', duration: '1h', slices: '4' });
    const ev = [0, 15, 30, 45].map((m): StrategyEvent => ({ type: 'timer', now: T0 + m * MIN, touch }));
    const r = run(p, [...ev, { type: 'timer', now: T0 + 60 * MIN, touch }]);
    expect(r.orders.map((o) => [o.tag, o.qty, o.limitPrice, o.tif])).toEqual([
      ['slice 1', '2.5', '100', 'ioc'],
      ['slice 2', '2.5', '100', 'ioc'],
      ['slice 3', '2.5', '100', 'ioc'],
      ['slice 4', '2.5', '100', 'ioc'],
    ]);
    expect(r.wakes.slice(0, 4)).toEqual([T0 + 15 * MIN, T0 + 30 * MIN, T0 + 45 * MIN, T0 + 60 * MIN]);
    expect(r.done).toMatch(/filled 0 of 10, leftover 10/);
  });

  it('the last slice carries the rounding so the slices add up to qty', () => {
    const p = twapPlanner.parse({ qty: '1', duration: '3m', slices: '3' });
    const r = run(
      p,
      [0, 1, 2].map((m): StrategyEvent => ({ type: 'timer', now: T0 + m * MIN, touch: { ask: '5' } })),
    );
    expect(r.orders.map((o) => o.qty)).toEqual(['0.333333333333', '0.333333333333', '0.333333333334']);
  });

  it('counts only open market time: a closure pauses it and it resumes where it was', () => {
    const p = twapPlanner.parse({ qty: '4', duration: '40m', slices: '4' });
    const r = run(p, [
      { type: 'start', now: T0, touch },
      { type: 'timer', now: T0 + 10 * MIN, touch },
      // Closes 5 minutes into the second slice; 17 hours later it opens again.
      { type: 'timer', now: T0 + 15 * MIN, touch, open: false },
      { type: 'timer', now: T0 + 17 * 60 * MIN, touch, open: true },
    ]);
    expect(r.orders.map((o) => o.tag)).toEqual(['slice 1', 'slice 2']);
    expect(r.s.elapsed).toBe(15 * MIN);
    // Slice 3 is due 5 market minutes after the reopening.
    expect(r.wakes[3]).toBe(T0 + 17 * 60 * MIN + 5 * MIN);
  });

  it('prices slices no further than maxDeviation from the arrival touch', () => {
    const p = twapPlanner.parse({ qty: '2', duration: '2m', slices: '2', maxDeviation: '1' });
    const r = run(p, [
      { type: 'timer', now: T0, touch: { ask: '100' } },
      { type: 'timer', now: T0 + MIN, touch: { ask: '105' } },
    ]);
    expect(r.orders.map((o) => o.limitPrice)).toEqual(['100', '101']);
    const sell = twapPlanner.parse({ side: 'sell', qty: '2', duration: '2m', slices: '2', maxDeviation: '2' });
    const rs = run(sell, [
      { type: 'timer', now: T0, touch: { bid: '50' } },
      { type: 'timer', now: T0 + MIN, touch: { bid: '40' } },
    ]);
    expect(rs.orders.map((o) => [o.side, o.limitPrice])).toEqual([
      ['sell', '50'],
      ['sell', '49'],
    ]);
  });

  it('reports fills and the leftover at the end; never stacks missed slices', () => {
    const p = twapPlanner.parse({ qty: '3', duration: '3m', slices: '3' });
    let s = twapPlanner.next(p, twapPlanner.init(p, T0), { type: 'timer', now: T0, touch }).state;
    s = twapPlanner.next(p, s, { type: 'fill', now: T0, tag: 'slice 1', side: 'buy', qty: '1', price: '100', fee: '0.2' }).state;
    // Woken late, at minute 2.5: only one slice (3), slice 2 counted as skipped.
    const late = twapPlanner.next(p, s, { type: 'timer', now: T0 + 2.5 * 60_000, touch });
    expect(late.orders.map((o) => o.tag)).toEqual(['slice 3']);
    expect(late.state.skipped).toBe(1);
    expect(twapPlanner.next(p, late.state, { type: 'timer', now: T0 + 3 * MIN, touch }).done).toMatch(/filled 1 of 3, leftover 2/);
    expect(twapPlanner.maxOrders(p)).toBe(3);
  });

  it('rejects bad parameters', () => {
    expect(() => twapPlanner.parse({ qty: '1', duration: '30s', slices: '2' })).toThrow(/duration must be at least 60 s/);
    expect(() => twapPlanner.parse({ qty: '1', duration: '1h', slices: '0' })).toThrow(/slices must be a whole number from 1 to 1000/);
    expect(() => twapPlanner.parse({ qty: '1', duration: '1h', slices: '2', side: 'short' })).toThrow(/side must be one of buy, sell/);
  });
});
