import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Decimal } from '../../../src-main/engine/domain/money';
import { dipPlanner, type DipState } from '../../../src-main/engine/strategies/dip-planner';
import type { PlanResult, StrategyEvent } from '../../../src-main/engine/strategies/planner';

const T0 = Date.UTC(2026, 0, 5, 15, 0);
const MIN = 60_000;
const q = (now: number, last: string): StrategyEvent => ({ type: 'quote', now, touch: { last, ask: last } });

describe('buy-the-dip planner', () => {
  const p = dipPlanner.parse({ qty: '1', drop: '5', window: '1h', takeProfit: '3', stop: '2' });

  function feed(s: DipState, events: StrategyEvent[]): PlanResult<DipState>[] {
    const out: PlanResult<DipState>[] = [];
    for (const e of events) {
      const r = dipPlanner.next(p, s, e);
      out.push(r);
      s = r.state;
    }
    return out;
  }

  it('buys when the price is drop % below the rolling high of the window, not before', () => {
    const rs = feed(dipPlanner.init(p, T0), [q(T0, '100'), q(T0 + MIN, '96'), q(T0 + 2 * MIN, '95')]);
    expect(rs[1]!.orders).toEqual([]);
    expect(rs[2]!.orders).toEqual([{ side: 'buy', type: 'limit', qty: '1', limitPrice: '95', tif: 'ioc', tag: 'entry 1' }]);
  });

  it('forgets highs older than the window', () => {
    const rs = feed(dipPlanner.init(p, T0), [q(T0, '100'), q(T0 + 30 * MIN, '97'), q(T0 + 61 * MIN, '95')]);
    // The 100 is out of the window; the high is 97, and 95 is only 2 % below it.
    expect(rs[2]!.orders).toEqual([]);
  });

  it('after the entry fills: take-profit and protective stop; the one that exits cancels the other', () => {
    const [, r] = feed(dipPlanner.init(p, T0), [q(T0, '100'), q(T0 + MIN, '95')]);
    let s = r!.state;
    s = dipPlanner.next(p, s, { type: 'fill', now: T0, tag: 'entry 1', side: 'buy', qty: '1', price: '95', fee: '0.1' }).state;
    // No second entry while one is under way.
    expect(dipPlanner.next(p, s, q(T0 + 2 * MIN, '90')).orders).toEqual([]);
    const ended = dipPlanner.next(p, s, { type: 'ended', now: T0, tag: 'entry 1', filledQty: '1', status: 'filled' });
    expect(ended.orders).toEqual([
      { side: 'sell', type: 'limit', qty: '1', limitPrice: '97.85', tif: 'gtc', tag: 'tp 1' },
      { side: 'sell', type: 'stop', qty: '1', stopPrice: '93.1', tif: 'gtc', tag: 'stop 1' },
    ]);
    s = dipPlanner.next(p, ended.state, { type: 'fill', now: T0, tag: 'tp 1', side: 'sell', qty: '1', price: '97.85', fee: '0.1' }).state;
    expect(s.realized).toBe('2.85');
    const out = dipPlanner.next(p, s, { type: 'ended', now: T0, tag: 'tp 1', filledQty: '1', status: 'filled' });
    expect(out.cancels).toEqual(['stop 1', 'exit 1']);
    expect(out.done).toMatch(/exited after 1 entry; realized 2.85/);
  });

  it('watches the stop itself when the venue refuses a stop order', () => {
    const [, r] = feed(dipPlanner.init(p, T0), [q(T0, '100'), q(T0 + MIN, '95')]);
    let s = dipPlanner.next(p, r!.state, { type: 'fill', now: T0, tag: 'entry 1', side: 'buy', qty: '1', price: '95', fee: '0' }).state;
    s = dipPlanner.next(p, s, { type: 'ended', now: T0, tag: 'entry 1', filledQty: '1', status: 'filled' }).state;
    s = dipPlanner.next(p, s, { type: 'refused', now: T0, tag: 'stop 1', reason: 'stop orders are not supported' }).state;
    expect(dipPlanner.next(p, s, q(T0 + 2 * MIN, '93.2')).orders).toEqual([]);
    const exit = dipPlanner.next(p, s, q(T0 + 3 * MIN, '93.1'));
    expect(exit.orders).toEqual([{ side: 'sell', type: 'market', qty: '1', tif: 'day', tag: 'exit 1' }]);
    expect(exit.cancels).toEqual(['tp 1']);
  });

  it('an entry that does not fill goes back to watching; a refused one ends a one-shot dip', () => {
    const [, r] = feed(dipPlanner.init(p, T0), [q(T0, '100'), q(T0 + MIN, '95')]);
    const none = dipPlanner.next(p, r!.state, { type: 'ended', now: T0, tag: 'entry 1', filledQty: '0', status: 'cancelled' });
    expect(none.state.phase).toBe('watching');
    expect(none.orders).toEqual([]);
    expect(dipPlanner.next(p, r!.state, { type: 'refused', now: T0, tag: 'entry 1', reason: 'halted' }).done).toMatch(/refused: halted/);
  });

  it('rejects bad parameters', () => {
    expect(() => dipPlanner.parse({ qty: '1', drop: '100', window: '1h', takeProfit: '3', stop: '2' })).toThrow(/drop is a percent below 100/);
    expect(() => dipPlanner.parse({ qty: '1', drop: '5', window: '1h', takeProfit: '3' })).toThrow(/stop is required/);
  });

  it('property: the rolling high popped from the back keeps exactly the samples a full filter keeps, and triggers on the same quote', () => {
    const p = dipPlanner.parse({ qty: '1', drop: '2.5', window: '1m', takeProfit: '1', stop: '1' });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 9_000, max: 11_000 })), { minLength: 1, maxLength: 60 }), (ticks) => {
        let s = dipPlanner.init(p, 0);
        let ref: [number, Decimal][] = [];
        let now = 0;
        for (const [dt, cents] of ticks) {
          now += dt;
          const px = new Decimal(cents).div(100);
          // The reference: every sample checked against the window and the price.
          ref = ref.filter(([t, v]) => t > now - 60_000 && v.gt(px));
          ref.push([now, px]);
          const r = dipPlanner.next(p, s, { type: 'quote', now, touch: { last: px.toFixed(), ask: px.toFixed() } });
          expect(r.state.highs.map(([t, v]) => [t, v])).toEqual(ref.map(([t, v]) => [t, v.toFixed()]));
          const fires = px.lte(ref[0]![1].mul(0.975));
          expect(r.orders.length > 0).toBe(fires && s.phase === 'watching');
          s = r.orders.length > 0 ? { ...r.state, phase: 'watching' } : r.state;
        }
      }),
      { numRuns: 200, seed: 16 },
    );
  });
});
