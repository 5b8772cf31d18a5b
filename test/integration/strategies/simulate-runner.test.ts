/**
 * `strategy simulate` drives the real runner in a sandbox engine on Paper: hand-worked P&L over a
 * known price path, a closed market, and a property — over random paths, a simulation places
 * exactly the orders (and gets exactly the fills) a live engine's runner does on the same path.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../src-main/engine/engine';
import { Decimal } from '../../../src-main/engine/domain/money';
import type { Fill, Order } from '../../../src-main/engine/domain/order';
import { strategySandboxes } from '../../../src-main/engine/strategy-sandbox';
import { runSimulation } from '../../../src-main/engine/strategies/strategy-simulate';
import type { PaperVenue } from '../../../src-main/engine/venues/paper';
import { ManualClock } from '../../../src-main/engine/ports/clock';
import { engineRig } from '../../support/engine-rig';

const T0 = Date.UTC(2026, 0, 5, 15, 0); // a Monday, 10:00 New York
const MIN = 60_000;
const TICK = MIN;
const sandbox = (settings: Record<string, string>, from = T0) => strategySandboxes(createEngine, () => settings)({ from, seed: 1, tickMs: TICK });

describe('strategy simulate runs the runner in a sandbox engine', () => {
  it('DCA over a known path: the average cost, realized and unrealized P&L, fees and drawdown are the hand-worked ones', async () => {
    const sb = await sandbox({ market24x7: 'true' });
    try {
      const path = (ts: number) => new Decimal(ts - T0 < 90 * MIN ? '100' : '90');
      const r = await runSimulation(sb, { kind: 'dca', params: { qty: '1', every: '1h', maxTotal: '3' }, symbol: 'BTC/USD', from: T0, hours: 5, seed: 1, tickMs: TICK, priceAt: path });
      // Limit-at-touch buys at Paper's ask, one cent over the mid: 100.01, 100.01, then 90.01 after the drop.
      expect(r.orders.map((o) => [(o.ts - T0) / MIN, o.step, o.side, o.type, o.qty, o.price, o.status])).toEqual([
        [0, 1, 'buy', 'limit', '1', '100.01', 'filled'],
        [60, 2, 'buy', 'limit', '1', '100.01', 'filled'],
        [120, 3, 'buy', 'limit', '1', '90.01', 'filled'],
      ]);
      const fees = r.fills.reduce((a, f) => a.plus(f.fee), new Decimal(0));
      expect(fees.gt(0)).toBe(true);
      // 290.03 spent for 3: average cost 96.67666…; at the end mid of 90 the 3 held are 20.03 under it.
      expect({ bought: r.bought, spent: r.spent, held: r.held, avgCost: r.avgCost, unrealized: r.unrealizedPnl, endPrice: r.endPrice, currency: r.currency, done: r.done, steps: r.steps }).toEqual({
        bought: '3',
        spent: '290.03',
        held: '3',
        avgCost: '96.67666667',
        unrealized: '-20.03',
        endPrice: '90',
        currency: 'USD',
        done: 'bought its maximum total of 3',
        steps: 3,
      });
      // Nothing sold: realized is the fees paid; the P&L only fell, so the drawdown is all of it.
      expect(r.fees).toBe(fees.toFixed());
      expect(r.realizedPnl).toBe(fees.neg().toFixed());
      expect(r.pnl).toBe(new Decimal(-20.03).minus(fees).toFixed());
      expect(r.maxDrawdown).toBe(new Decimal(20.03).plus(fees).toFixed());
    } finally {
      await sb.close();
    }
  });

  it('an equity DCA places nothing while its market is closed (a Saturday)', async () => {
    const saturday = Date.UTC(2026, 0, 10, 15, 0);
    const sb = await sandbox({}, saturday);
    try {
      const closed = await runSimulation(sb, { kind: 'dca', params: { qty: '1', every: '1h' }, symbol: 'AAPL', from: saturday, hours: 3, seed: 1, tickMs: TICK });
      expect(closed.orders).toEqual([]);
    } finally {
      await sb.close();
    }
  });

  it('property: on the same price path a simulation places the orders, and gets the fills, the live runner does', async () => {
    const kinds = [
      { kind: 'dca', params: { qty: '0.1', every: '30m', maxTotal: '0.4' } },
      { kind: 'grid', params: { low: '94', high: '106', levels: '5', qty: '0.1' } },
      { kind: 'dip', params: { qty: '0.1', drop: '2', window: '1h', takeProfit: '2', stop: '3' } },
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...kinds), fc.array(fc.integer({ min: -150, max: 150 }), { minLength: 150, maxLength: 150 }), async (k, moves) => {
        // A path in cents from 100: one move per simulated minute.
        const mids: Decimal[] = [];
        let c = 10_000;
        for (const m of moves) mids.push(new Decimal((c = Math.min(12_000, Math.max(8_000, c + m)))).div(100));
        const priceAt = (ts: number) => mids[Math.min(mids.length - 1, Math.round((ts - T0) / TICK))]!;
        const hours = (moves.length - 1) / 60;

        const sb = await sandbox({ market24x7: 'true' });
        const sim = await runSimulation(sb, { ...k, symbol: 'BTC/USD', from: T0, hours, seed: 1, tickMs: TICK, priceAt }).finally(() => sb.close());

        // The live engine, on the same quotes at the same times.
        const rig = await engineRig({ prefix: 'tp-sim-live-', clock: new ManualClock(T0), paperSeed: 1, strategyQuoteMaxAgeMs: TICK });
        try {
          const e = rig.engine;
          const ok = async <T>(cmd: string, input: unknown): Promise<T> => {
            const r = await e.callRaw(cmd, input);
            if (!r.ok) throw new Error(`${cmd}: ${r.error.message}`);
            return r.value as T;
          };
          await ok('venue.set', { name: 'paper', settings: { market24x7: 'true' } });
          await ok('risk.set', { key: 'max_quote_age_ms', value: String(TICK) });
          const paper = e.internals.venues.get('paper') as PaperVenue;
          const id = paper.instrument('BTC/USD')!.id;
          paper.setPrice(id, priceAt(T0));
          const fills: Fill[] = [];
          e.subscribe((ev) => void (ev.type === 'fill' && fills.push(ev.fill)));
          const s = await ok<{ id: string }>('strategy.add', { ...k, venue: 'paper', symbol: 'BTC/USD' });
          await e.internals.idle();
          for (let t = T0 + TICK; t <= T0 + hours * 3_600_000; t += TICK) {
            await rig.clock.advanceAsync(t - rig.clock.now());
            await e.internals.idle();
            paper.setPrice(id, priceAt(t));
            await e.internals.idle();
          }
          const mine = (await ok<Order[]>('orders.list', { all: true })).filter((o) => o.clientOrderId.startsWith(`${s.id}-`));
          const step = (cid: string) => parseInt(cid.slice(s.id.length + 1), 36);
          const live = mine
            .map((o) => [step(o.clientOrderId), o.createdAt, o.side, o.type, o.qty, o.limitPrice ?? o.stopPrice ?? o.avgFillPrice, o.status])
            .sort((a, b) => Number(a[0]) - Number(b[0]));
          expect(sim.orders.map((o) => [o.step, o.ts, o.side, o.type, o.qty, o.price, o.status])).toEqual(live);
          const liveFills = fills.filter((f) => f.clientOrderId.startsWith(`${s.id}-`)).map((f) => [step(f.clientOrderId), f.ts, f.qty, f.price, f.fee]);
          expect(sim.fills.map((f) => [f.step, f.ts, f.qty, f.price, f.fee])).toEqual(liveFills);
        } finally {
          await rig.close();
        }
      }),
      { numRuns: 3 },
    );
  }, 120_000);
});
