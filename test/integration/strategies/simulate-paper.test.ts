/**
 * `strategy.simulate` inside a real engine on Paper: it answers the orders the plan would place
 * over simulated time from Paper's quote, and places, journals and audits nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineRig, type EngineRig } from '../../support/engine-rig';
import type { StrategySimulation } from '../../../src-main/engine/api/strategy-simulation';

describe('strategy simulate on Paper', () => {
  let rig: EngineRig;
  const ok = async <T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> => {
    const r = await p;
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };

  beforeEach(async () => {
    rig = await engineRig({ prefix: 'tp-strat-sim-' });
  });
  afterEach(() => rig.close());

  it('returns the planned orders and totals, deterministic per request, and places, journals and audits nothing', async () => {
    const e = rig.engine;
    const auditBefore = (await ok(e.call('audit.list', { limit: 1000 }))) as unknown[];
    const input = { kind: 'dca', venue: 'paper', symbol: 'BTC/USD', params: { qty: '0.01', every: '1h', maxTotal: '0.05' }, hours: 5 };
    const sim = (await ok(e.call('strategy.simulate', input))) as StrategySimulation;
    expect(sim.symbol).toBe('BTC/USD');
    expect(sim.steps).toBe(5);
    expect(sim.orders.map((o) => [o.step, o.side, o.type, o.qty])).toEqual([1, 2, 3, 4, 5].map((n) => [n, 'buy', 'limit', '0.01']));
    expect(sim.orders.map((o) => o.ts - sim.from)).toEqual([0, 1, 2, 3, 4].map((h) => h * 3_600_000));
    expect(sim.done).toBe('bought its maximum total of 0.05');
    // Totals are the fills' sums.
    const sum = (k: 'qty' | 'fee') => sim.fills.reduce((a, f) => a + Number(f[k]), 0);
    expect(Number(sim.bought)).toBeCloseTo(sum('qty'), 10);
    expect(Number(sim.fees)).toBeCloseTo(sum('fee'), 10);
    // Same request, same walk; another seed, another walk.
    expect(await ok(e.call('strategy.simulate', input))).toEqual(sim);
    const other = (await ok(e.call('strategy.simulate', { ...input, seed: 'other' }))) as StrategySimulation;
    expect(other.orders.map((o) => o.price)).not.toEqual(sim.orders.map((o) => o.price));

    expect(await ok(e.call('orders.list', { all: true }))).toEqual([]);
    expect(await ok(e.call('strategy.list', {}))).toEqual([]);
    expect(await ok(e.call('audit.list', { limit: 1000 }))).toEqual(auditBefore);
  });

  it('refuses bad parameters and unknown kinds with the parameter named', async () => {
    const r = await rig.engine.call('strategy.simulate', { kind: 'dca', venue: 'paper', symbol: 'BTC/USD', params: { every: '1h' } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/qty .* or notional .* is required/);
    const k = await rig.engine.call('strategy.simulate', { kind: 'martingale', venue: 'paper', symbol: 'BTC/USD' });
    expect(!k.ok && k.error.message).toMatch(/Unknown strategy kind "martingale"/);
  });

  // The live run would be refused by these; so must the simulation be (its sandbox takes the trader's limits).
  it.each([
    ['global', {}],
    ['on the venue', { venue: 'paper' }],
    ['on the instrument', { venue: 'paper', symbol: 'BTC/USD' }],
  ])('refuses what your risk limits refuse (max order notional set %s), as the live run would', async (_scope, where) => {
    const e = rig.engine;
    await ok(e.call('risk.set', { key: 'max_order_notional', value: '50', ...where }));
    const input = { kind: 'dca', venue: 'paper', symbol: 'BTC/USD', params: { qty: '0.01', every: '1h', maxTotal: '0.03' }, hours: 3 };
    // The live run's own check, for comparison: the same ticket is refused.
    const live = await e.call('order.preview', { venue: 'paper', symbol: 'BTC/USD', side: 'buy', type: 'market', qty: '0.01' });
    expect(live.ok && (live.value as { allowed: boolean }).allowed).toBe(false);
    const sim = (await ok(e.call('strategy.simulate', input))) as StrategySimulation;
    expect(sim.orders).toEqual([]);
    expect(sim.fills).toEqual([]);
    expect(sim.refused.length).toBeGreaterThan(0);
    expect(sim.refused[0]!.reason).toMatch(/max order notional/);
    // The trader's limits are untouched by the simulation.
    expect(((await ok(e.call('risk.get', {}))) as { configured: unknown }).configured).toMatchObject(
      'symbol' in where
        ? { instruments: { paper: { 'paper:BTC-USD': { maxOrderNotional: '50' } } } }
        : 'venue' in where
          ? { venues: { paper: { maxOrderNotional: '50' } } }
          : { global: { maxOrderNotional: '50' } },
    );
  });

  it("refuses what the venue's buying power cannot pay for: the sandbox's cash is the live venue's buying power", async () => {
    const e = rig.engine;
    // Spend most of the trader's Paper cash (100,000): about 99,000 in BTC at ~100,000.
    await ok(e.call('risk.set', { key: 'max_order_notional', value: 'off' }));
    await ok(e.call('risk.set', { key: 'max_position_notional', value: 'off' }));
    await ok(e.call('risk.set', { key: 'max_concentration_pct', value: 'off' }));
    await ok(e.call('order.place', { venue: 'paper', symbol: 'BTC/USD', side: 'buy', type: 'market', qty: '0.99' }));
    const paperBp = async () => ((await ok(e.call('account.summary', {}))) as { venues: { venue: string; buyingPower: string }[] }).venues.find((v) => v.venue === 'paper')!.buyingPower;
    await rig.until(async () => (Number(await paperBp()) < 2000 ? true : undefined));
    // 0.05 BTC (~5,000) is more than is left: refused, as the live run's would be.
    const sim = (await ok(e.call('strategy.simulate', { kind: 'dca', venue: 'paper', symbol: 'BTC/USD', params: { qty: '0.05', every: '1h', maxTotal: '0.1' }, hours: 2 }))) as StrategySimulation;
    expect(sim.orders).toEqual([]);
    expect(sim.refused[0]?.reason).toMatch(/buying power|cash/i);
    // Each refusal says what was refused and when: the order as planned (a limit at the touch, ~100,000).
    expect(sim.refused[0]).toMatchObject({ ts: sim.from, step: 1, side: 'buy', qty: '0.05' });
    expect(Number(sim.refused[0]!.price)).toBeGreaterThan(50_000);
    // A plan within it is placed.
    const small = (await ok(e.call('strategy.simulate', { kind: 'dca', venue: 'paper', symbol: 'BTC/USD', params: { qty: '0.001', every: '1h', maxTotal: '0.002' }, hours: 2 }))) as StrategySimulation;
    expect(small.orders.length).toBe(2);
    expect(small.refused).toEqual([]);
  });
});
