/**
 * Property: whatever happens — quotes moving, fills and partial fills, restarts, the breaker
 * opening and closing, the kill switch tripping and being reset, the trader pausing and resuming —
 * no strategy sends more orders than its plan allows, no client id reaches the venue twice, and
 * every fill of a strategy's order is accounted to that strategy exactly once.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { engineRig } from '../../support/engine-rig';
import { Decimal } from '../../../src-main/engine/domain/money';
import type { Fill, Order } from '../../../src-main/engine/domain/order';
import type { PaperVenue } from '../../../src-main/engine/venues/paper';

type Action =
  | { readonly t: 'time'; readonly ms: number }
  | { readonly t: 'price'; readonly mid: number }
  | { readonly t: 'restart' }
  | { readonly t: 'breaker'; readonly open: boolean }
  | { readonly t: 'kill' }
  | { readonly t: 'reset' }
  | { readonly t: 'pause' | 'resume'; readonly which: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ t: fc.constant('time' as const), ms: fc.integer({ min: 1_000, max: 90_000 }) }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('price' as const), mid: fc.integer({ min: 98_500, max: 101_500 }) }) },
  { weight: 1, arbitrary: fc.constant({ t: 'restart' as const }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('breaker' as const), open: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ t: 'kill' as const }) },
  { weight: 1, arbitrary: fc.constant({ t: 'reset' as const }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constantFrom('pause' as const, 'resume' as const), which: fc.nat({ max: 2 }) }) },
);

describe('strategy runner property', () => {
  it('never over-sends, never duplicates a client id at the venue, accounts every fill once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 4, maxLength: 14 }), async (actions) => {
        const rig = await engineRig({ prefix: 'tp-strat-prop-' });
        const { clock } = rig;
        const btc = 'paper:BTC-USD';
        const paper = () => rig.engine.internals.venues.get('paper') as PaperVenue;
        const call = async (c: string, input: unknown) => {
          const r = await rig.engine.callRaw(c, input);
          return r.ok ? r.value : undefined;
        };
        const step = async (ms: number) => {
          await clock.advanceAsync(Math.max(0, ms - 1000));
          paper().tick();
          await clock.advanceAsync(Math.min(ms, 1000));
          await rig.engine.internals.idle();
        };
        try {
          paper().source.setMid(btc, new Decimal(100_000));
          await step(1000);
          const ids: string[] = [];
          for (const [kind, params] of [
            ['dca', { qty: '0.01', every: '30s', maxTotal: '0.04' }],
            ['grid', { low: '99000', high: '101000', levels: '5', qty: '0.01', stopAtBounds: 'false' }],
            ['dip', { qty: '0.01', drop: '0.5', window: '10m', takeProfit: '0.5', stop: '0.5' }],
          ] as const) {
            const v = (await call('strategy.add', { kind, venue: 'paper', symbol: 'BTC/USD', params })) as { id: string };
            ids.push(v.id);
          }
          await rig.engine.internals.idle();
          for (const a of actions) {
            if (a.t === 'time') await step(a.ms);
            else if (a.t === 'price') {
              paper().source.setMid(btc, new Decimal(a.mid));
              await step(1000);
            } else if (a.t === 'restart') {
              await rig.restart();
              await rig.engine.internals.idle();
            } else if (a.t === 'breaker') {
              rig.engine.internals.health.report('paper', { usage: null, breaker: { state: a.open ? 'open' : 'closed', consecutiveFailures: 0, since: clock.now() } });
              await rig.engine.internals.idle();
            } else if (a.t === 'kill') await call('killSwitch.trip', { reason: 'property' });
            else if (a.t === 'reset') await call('killSwitch.reset', { confirm: true });
            else await call(`strategy.${a.t}`, { id: ids[a.which]! });
            await rig.engine.internals.idle();
          }
          const orders = (await call('orders.list', { all: true, limit: 5000 })) as Order[];
          const fills = (await call('fills.list', { limit: 5000 })) as Fill[];
          const db = rig.engine.internals.db;
          // The plans did trade: the first DCA buy and the grid's resting buys went out before any action.
          expect(orders.filter((o) => o.clientOrderId.startsWith(`${ids[0]}-1`)).length).toBe(1);
          expect(orders.filter((o) => o.clientOrderId.startsWith(`${ids[1]}-`)).length).toBeGreaterThanOrEqual(2);
          // One order per client id, locally and at the venue.
          expect(new Set(orders.map((o) => o.clientOrderId)).size).toBe(orders.length);
          expect(db.prepare('SELECT client_order_id FROM paper_orders GROUP BY client_order_id HAVING COUNT(*) > 1').all()).toEqual([]);
          // The bounded plan (DCA, 0.04 in 0.01 buys) never sends more than 4.
          expect(orders.filter((o) => o.clientOrderId.startsWith(`${ids[0]}-`)).length).toBeLessThanOrEqual(4);
          // A one-shot dip: one entry, its take-profit and stop, perhaps one market exit.
          expect(orders.filter((o) => o.clientOrderId.startsWith(`${ids[2]}-`)).length).toBeLessThanOrEqual(4);
          for (const id of ids) {
            const mine = fills.filter((f) => f.clientOrderId.startsWith(`${id}-`)).map((f) => f.id);
            const accounted = (db.prepare('SELECT fill_id FROM strategy_fills WHERE strategy_id = ?').all(id) as { fill_id: string }[]).map((r) => r.fill_id);
            expect(accounted.sort()).toEqual(mine.sort());
          }
        } finally {
          await rig.close();
        }
      }),
      { numRuns: 6, seed: 16 },
    );
  });
});
