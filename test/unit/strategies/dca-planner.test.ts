import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Decimal } from '../../../src-main/engine/domain/money';
import { dcaPlanner, type DcaState } from '../../../src-main/engine/strategies/dca-planner';
import type { PlannedOrder, StrategyEvent } from '../../../src-main/engine/strategies/planner';

const T0 = Date.UTC(2026, 0, 5, 15, 0);
const MIN = 60_000;
const touch = { bid: '99', ask: '100' };

describe('DCA planner', () => {
  it('buys qty at the ask every interval and not before', () => {
    const p = dcaPlanner.parse({ qty: '0.5', every: '15m' });
    let s = dcaPlanner.init(p, T0);
    const r1 = dcaPlanner.next(p, s, { type: 'start', now: T0, touch });
    expect(r1.orders).toEqual([{ side: 'buy', type: 'limit', qty: '0.5', limitPrice: '100', tif: 'gtc', tag: 'buy 1' }]);
    expect(r1.wakeAt).toBe(T0 + 15 * MIN);
    s = r1.state;
    expect(dcaPlanner.next(p, s, { type: 'timer', now: T0 + 14 * MIN, touch }).orders).toEqual([]);
    const r2 = dcaPlanner.next(p, s, { type: 'timer', now: T0 + 15 * MIN, touch: { ask: '101' } });
    expect(r2.orders.map((o) => [o.tag, o.limitPrice])).toEqual([['buy 2', '101']]);
  });

  it('does not make up missed intervals after an outage', () => {
    const p = dcaPlanner.parse({ qty: '1', every: '1h' });
    const s = dcaPlanner.next(p, dcaPlanner.init(p, T0), { type: 'start', now: T0, touch }).state;
    // Five hours later one buy, and the next is due on the original hourly grid.
    const r = dcaPlanner.next(p, s, { type: 'timer', now: T0 + 5 * 60 * MIN + 10, touch });
    expect(r.orders).toHaveLength(1);
    expect(r.wakeAt).toBe(T0 + 6 * 60 * MIN);
  });

  it('holds a due buy while the market is closed and skips one above its price limit', () => {
    const p = dcaPlanner.parse({ qty: '1', every: '1h', below: '100' });
    const s = dcaPlanner.init(p, T0);
    const closed = dcaPlanner.next(p, s, { type: 'timer', now: T0, touch, open: false });
    expect(closed.orders).toEqual([]);
    expect(closed.state).toEqual(s);
    const above = dcaPlanner.next(p, s, { type: 'timer', now: T0, touch: { ask: '100.5' } });
    expect(above.orders).toEqual([]);
    expect(above.state.skipped).toBe(1);
    expect(above.wakeAt).toBe(T0 + 60 * MIN);
  });

  it('market orders and notional amounts', () => {
    const m = dcaPlanner.parse({ notional: '250', every: '1d', orderType: 'market' });
    expect(dcaPlanner.next(m, dcaPlanner.init(m, T0), { type: 'start', now: T0, touch }).orders[0]).toMatchObject({ type: 'market', qty: '0', notional: '250', tif: 'day' });
    const l = dcaPlanner.parse({ notional: '250', every: '1d' });
    expect(dcaPlanner.next(l, dcaPlanner.init(l, T0), { type: 'start', now: T0, touch: { ask: '300' } }).orders[0]).toMatchObject({ type: 'limit', limitPrice: '300', qty: '0.833333333333' });
  });

  it('stops at its maximum total and accounts fills', () => {
    const p = dcaPlanner.parse({ qty: '2', every: '1m', maxTotal: '5' });
    expect(dcaPlanner.maxOrders(p)).toBe(2);
    const r1 = dcaPlanner.next(p, dcaPlanner.init(p, T0), { type: 'start', now: T0, touch });
    expect(r1.done).toBeUndefined();
    const r2 = dcaPlanner.next(p, r1.state, { type: 'timer', now: T0 + MIN, touch });
    expect(r2.orders).toHaveLength(1);
    expect(r2.done).toMatch(/maximum total of 5/);
    const f = dcaPlanner.next(p, r2.state, { type: 'fill', now: T0 + MIN, tag: 'buy 2', side: 'buy', qty: '2', price: '99.5', fee: '0.1' });
    expect(f.state).toMatchObject({ filled: '2', cost: '199', fees: '0.1', ordered: '4' });
  });

  it('rejects bad parameters with the parameter named', () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ every: '1h' }, /qty .* or notional .* is required/],
      [{ qty: '1', notional: '5', every: '1h' }, /not both/],
      [{ qty: '-1', every: '1h' }, /qty must be greater than 0/],
      [{ qty: 'abc', every: '1h' }, /qty must be a number/],
      [{ qty: '1', every: 'soon' }, /every must be a duration/],
      [{ qty: '1', every: '500' }, /at least 1 s/],
      [{ qty: '2', every: '1h', maxTotal: '1' }, /maxTotal \(1\) is less than one buy/],
      [{ qty: '1', every: '1h', orderType: 'stop' }, /orderType must be one of limit, market/],
      [{ qty: '1', every: '1h', size: '3' }, /unknown parameter size/],
    ];
    for (const [raw, msg] of cases) expect(() => dcaPlanner.parse(raw), JSON.stringify(raw)).toThrow(msg);
  });

  it('property: never orders more than maxTotal, whatever the timers and fills', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.record({ dt: fc.integer({ min: 0, max: 3 * MIN }), open: fc.boolean(), fill: fc.boolean() }), { maxLength: 60 }),
        (qty, maxTotal, steps) => {
          fc.pre(maxTotal >= qty);
          const p = dcaPlanner.parse({ qty: String(qty), every: '1m', maxTotal: String(maxTotal) });
          let s: DcaState = dcaPlanner.init(p, T0);
          let now = T0;
          const sent: PlannedOrder[] = [];
          let done = false;
          for (const st of steps) {
            if (done) break;
            now += st.dt;
            const ev: StrategyEvent =
              st.fill && sent.length ? { type: 'fill', now, tag: sent[sent.length - 1]!.tag, side: 'buy', qty: '0.1', price: '1', fee: '0' } : { type: 'timer', now, touch, open: st.open };
            const r = dcaPlanner.next(p, s, ev);
            sent.push(...r.orders);
            s = r.state;
            done = r.done !== undefined;
          }
          const total = sent.reduce((a, o) => a.plus(o.qty), new Decimal(0));
          expect(total.lte(maxTotal)).toBe(true);
          expect(sent.length).toBeLessThanOrEqual(dcaPlanner.maxOrders(p)!);
          expect(new Set(sent.map((o) => o.tag)).size).toBe(sent.length);
        },
      ),
    );
  });
});
