import { describe, expect, it } from 'vitest';
import { plannerFor } from '../../../src-main/engine/strategies/kinds';
import { dcaPlanner } from '../../../src-main/engine/strategies/dca-planner';
import type { PlanResult } from '../../../src-main/engine/strategies/planner';

const T0 = Date.UTC(2026, 0, 5, 15, 0);
const HOUR = 3_600_000;
const touch = { bid: '99', ask: '100' };

describe('protective stop (DCA and buying TWAP)', () => {
  const dca = plannerFor('dca');

  it('after each entry ends with fills, rests a sell stop for exactly what it filled at its average price less stop %', () => {
    const p = dca.parse({ qty: '1', every: '1h', stop: '10' });
    let r: PlanResult<unknown> = dca.next(p, dca.init(p, T0), { type: 'start', now: T0, touch });
    expect(r.orders.map((o) => [o.tag, o.side, o.type])).toEqual([['buy 1', 'buy', 'limit']]);
    // Two partial fills: 0.4 at 100 and 0.6 at 95 → average 97; the stop is at 97 × 0.9 = 87.3.
    r = dca.next(p, r.state, { type: 'fill', now: T0 + 1, tag: 'buy 1', side: 'buy', qty: '0.4', price: '100', fee: '0.04' });
    expect(r.orders).toEqual([]);
    r = dca.next(p, r.state, { type: 'fill', now: T0 + 2, tag: 'buy 1', side: 'buy', qty: '0.6', price: '95', fee: '0.06' });
    r = dca.next(p, r.state, { type: 'ended', now: T0 + 3, tag: 'buy 1', filledQty: '1', status: 'filled' });
    expect(r.orders).toEqual([{ side: 'sell', type: 'stop', qty: '1', stopPrice: '87.3', tif: 'gtc', tag: 'stop buy 1' }]);
    // The stop's own fill is not a DCA buy: the DCA's accounting stays at what it bought.
    const before = r.state as { filled: string };
    r = dca.next(p, r.state, { type: 'fill', now: T0 + 4, tag: 'stop buy 1', side: 'sell', qty: '1', price: '87', fee: '0.09' });
    expect((r.state as { filled: string }).filled).toBe(before.filled);
    expect(r.orders).toEqual([]);
  });

  it('an entry that ends unfilled gets no stop; without stop= nothing changes from the plain DCA', () => {
    const p = dca.parse({ qty: '1', every: '1h', stop: '5' });
    let r: PlanResult<unknown> = dca.next(p, dca.init(p, T0), { type: 'start', now: T0, touch });
    r = dca.next(p, r.state, { type: 'ended', now: T0 + 1, tag: 'buy 1', filledQty: '0', status: 'cancelled' });
    expect(r.orders).toEqual([]);
    const plain = dca.parse({ qty: '1', every: '1h' });
    const raw = dcaPlanner.parse({ qty: '1', every: '1h' });
    const a = dca.next(plain, dca.init(plain, T0), { type: 'start', now: T0, touch });
    const b = dcaPlanner.next(raw, dcaPlanner.init(raw, T0), { type: 'start', now: T0, touch });
    expect(a.orders).toEqual(b.orders);
    expect(dca.maxOrders(dca.parse({ qty: '1', every: '1h', maxTotal: '3', stop: '5' }))).toBe(6);
  });

  it('is done only once its last entry has its stop', () => {
    const p = dca.parse({ qty: '1', every: '1h', maxTotal: '1', stop: '10' });
    let r: PlanResult<unknown> = dca.next(p, dca.init(p, T0), { type: 'start', now: T0, touch });
    expect(r.done).toBeUndefined();
    r = dca.next(p, r.state, { type: 'fill', now: T0 + 1, tag: 'buy 1', side: 'buy', qty: '1', price: '100', fee: '0' });
    r = dca.next(p, r.state, { type: 'ended', now: T0 + 2, tag: 'buy 1', filledQty: '1', status: 'filled' });
    expect(r.orders.map((o) => [o.tag, o.stopPrice])).toEqual([['stop buy 1', '90']]);
    expect(r.done).toBe('bought its maximum total of 1');
  });

  it('a state saved before stops existed still runs', () => {
    const p = dca.parse({ qty: '1', every: '1h', stop: '10' });
    const legacy = dcaPlanner.init(dcaPlanner.parse({ qty: '1', every: '1h' }), T0);
    expect(dca.next(p, legacy, { type: 'timer', now: T0 + HOUR, touch }).orders.map((o) => o.tag)).toEqual(['buy 1']);
  });

  it('refuses a bad stop and a stop on a selling TWAP, naming the parameter', () => {
    expect(() => dca.parse({ qty: '1', every: '1h', stop: '100' })).toThrow(/stop is a percent below the entry price/);
    expect(() => dca.parse({ qty: '1', every: '1h', stop: 'x' })).toThrow(/stop is a percent/);
    expect(() => plannerFor('twap').parse({ side: 'sell', qty: '1', duration: '1h', slices: '4', stop: '5' })).toThrow(/a selling plan holds nothing to protect/);
    expect(plannerFor('twap').parse({ side: 'buy', qty: '1', duration: '1h', slices: '4', stop: '5' })).toMatchObject({ stopPct: expect.anything() });
  });
});
