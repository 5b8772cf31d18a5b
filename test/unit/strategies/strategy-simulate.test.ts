import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../src-main/engine/domain/money';
import { priceWalk, simulateStrategy } from '../../../src-main/engine/strategies/strategy-simulate';

const T0 = Date.UTC(2026, 0, 5, 15, 0); // a Monday, 10:00 New York
const MIN = 60_000;
const crypto = { session: 'always', tickSize: '0.01', lotSize: '0.0001' } as const;
const path = (points: Array<[number, string]>) => (ts: number) => new Decimal([...points].reverse().find(([at]) => ts >= T0 + at * MIN)![1]);

describe('strategy simulate', () => {
  it('DCA: one buy per interval at the ask, filled when the price reaches it, until its maximum total', () => {
    const r = simulateStrategy({
      kind: 'dca',
      params: { qty: '1', every: '1h', maxTotal: '3' },
      instrument: crypto,
      from: T0,
      hours: 5,
      priceAt: path([
        [0, '100'],
        [90, '90'],
      ]),
    });
    expect(r.orders.map((o) => [o.ts - T0, o.step, o.side, o.type, o.qty, o.price])).toEqual([
      [0, 1, 'buy', 'limit', '1', '100'],
      [60 * MIN, 2, 'buy', 'limit', '1', '100'],
      [120 * MIN, 3, 'buy', 'limit', '1', '90'],
    ]);
    expect(r.fills.map((f) => [f.ts - T0, f.price, f.fee])).toEqual([
      [1 * MIN, '100', '0.1'],
      [61 * MIN, '100', '0.1'],
      [121 * MIN, '90', '0.09'],
    ]);
    expect({ bought: r.bought, sold: r.sold, spent: r.spent, fees: r.fees, steps: r.steps, done: r.done }).toEqual({
      bought: '3',
      sold: '0',
      spent: '290',
      fees: '0.29',
      steps: 3,
      done: 'bought its maximum total of 3',
    });
  });

  it('DCA on an equity places nothing while its market is closed (a Saturday)', () => {
    const saturday = Date.UTC(2026, 0, 10, 15, 0);
    const r = simulateStrategy({ kind: 'dca', params: { qty: '1', every: '1h' }, instrument: { ...crypto, session: 'us_equity' }, from: saturday, hours: 24, priceAt: () => new Decimal(100) });
    expect(r.orders).toEqual([]);
    expect(r.steps).toBe(0);
    // The Monday session opens at 14:30 UTC: it buys each hour to the 21:00 UTC close, then at Tuesday's open and on the hour again (the window's end is included).
    const monday = simulateStrategy({ kind: 'dca', params: { qty: '1', every: '1h' }, instrument: { ...crypto, session: 'us_equity' }, from: T0, hours: 24, priceAt: () => new Decimal(100) });
    expect(monday.orders.map((o) => new Date(o.ts).toISOString().slice(11, 16))).toEqual(['15:00', '16:00', '17:00', '18:00', '19:00', '20:00', '14:30', '15:00']);
  });

  it('grid: rests buys below the market, sells a level up on a fill, re-buys after the sell, stops at its bounds', () => {
    const r = simulateStrategy({
      kind: 'grid',
      params: { low: '90', high: '110', levels: '3', qty: '1' },
      instrument: crypto,
      from: T0,
      hours: 2,
      priceAt: path([
        [0, '105'],
        [10, '99'],
        [20, '111'],
      ]),
    });
    expect(r.orders.map((o) => [o.ts - T0, o.step, o.tag, o.side, o.price])).toEqual([
      [0, 1, 'B0', 'buy', '90'],
      [0, 2, 'B1', 'buy', '100'],
      [10 * MIN, 3, 'S2', 'sell', '110'],
      [20 * MIN, 4, 'B1', 'buy', '100'],
    ]);
    expect(r.fills.map((f) => [f.ts - T0, f.tag, f.side, f.qty, f.price, f.fee])).toEqual([
      [10 * MIN, 'B1', 'buy', '1', '100', '0.1'],
      [20 * MIN, 'S2', 'sell', '1', '110', '0.11'],
    ]);
    expect({ bought: r.bought, sold: r.sold, spent: r.spent, received: r.received, fees: r.fees, steps: r.steps, done: r.done }).toEqual({
      bought: '1',
      sold: '1',
      spent: '100',
      received: '110',
      fees: '0.21',
      steps: 4,
      done: 'the price 111 left the grid [90, 110]',
    });
  });

  it('the price walk is deterministic per seed and moves at most its volatility per tick', () => {
    const a = priceWalk(new Decimal(100), 'seed-1', T0, MIN);
    const b = priceWalk(new Decimal(100), 'seed-1', T0, MIN);
    const c = priceWalk(new Decimal(100), 'seed-2', T0, MIN);
    const pa = Array.from({ length: 50 }, (_, i) => a(T0 + i * MIN).toFixed());
    expect(Array.from({ length: 50 }, (_, i) => b(T0 + i * MIN).toFixed())).toEqual(pa);
    expect(Array.from({ length: 50 }, (_, i) => c(T0 + i * MIN).toFixed())).not.toEqual(pa);
    for (let i = 1; i < 50; i++)
      expect(
        new Decimal(pa[i]!)
          .div(pa[i - 1]!)
          .minus(1)
          .abs()
          .lte('0.002'),
      ).toBe(true);
  });
});
