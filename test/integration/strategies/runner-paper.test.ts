/**
 * The strategy runner inside a real engine on the Paper venue, with a ManualClock: orders go
 * through the engine API (source `strategy`, audited), client ids are the strategy's steps, and
 * restarts, the kill switch and the breaker act as the issue says.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineRig, type EngineRig } from '../../support/engine-rig';
import type { Engine } from '../../../src-main/engine/engine';
import type { ManualClock } from '../../../src-main/engine/ports/clock';
import type { StrategyView } from '../../../src-main/engine/api/commands';
import type { Order } from '../../../src-main/engine/domain/order';
import type { PaperVenue } from '../../../src-main/engine/venues/paper';

const MIN = 60_000;

describe('strategy runner on Paper', () => {
  let rig: EngineRig;
  let clock: ManualClock;
  const engine = (): Engine => rig.engine;
  const ok = async <T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> => {
    const r = await p;
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  const add = (kind: string, symbol: string, params: Record<string, string>) => ok(engine().call('strategy.add', { kind, venue: 'paper', symbol, params })) as Promise<StrategyView>;
  const show = (id: string) => ok(engine().call('strategy.show', { id }));
  const orders = async (): Promise<Order[]> => (await ok(engine().call('orders.list', { all: true }))) as Order[];
  const paper = () => engine().internals.venues.get('paper') as PaperVenue;
  /** Moves time on; the Paper market ticks a second before, so the quotes the risk checks read are fresh. */
  const settle = async (ms = 0) => {
    if (ms > 0) {
      await clock.advanceAsync(ms - 1000);
      paper().tick();
      await clock.advanceAsync(1000);
    }
    await engine().internals.idle();
  };

  beforeEach(async () => {
    rig = await engineRig({ prefix: 'tp-strat-' });
    clock = rig.clock;
  });
  afterEach(() => rig.close());

  it('a DCA buys through the engine API every interval, tagged with the strategy, and survives a restart without doubling a step', async () => {
    const s = await add('dca', 'BTC/USD', { qty: '0.01', every: '1m', maxTotal: '0.05' });
    await settle();
    let mine = (await orders()).filter((o) => o.clientOrderId.startsWith(s.id));
    expect(mine.map((o) => [o.clientOrderId, o.source, o.side, o.qty, o.status])).toEqual([[`${s.id}-1`, 'strategy', 'buy', '0.01', 'filled']]);
    await settle(MIN);
    expect((await show(s.id)).fills).toBe(2);

    await rig.restart();
    await settle();
    // The restart does not place the current interval's buy again; the next interval's comes on time.
    expect((await orders()).filter((o) => o.clientOrderId.startsWith(s.id))).toHaveLength(2);
    await settle(MIN);
    await settle(MIN);
    await settle(MIN);
    mine = (await orders()).filter((o) => o.clientOrderId.startsWith(s.id));
    expect(mine.map((o) => o.clientOrderId).sort()).toEqual([1, 2, 3, 4, 5].map((n) => `${s.id}-${n}`));
    const v = await show(s.id);
    expect(v).toMatchObject({ state: 'done', ordersSent: 5, maxOrders: 5, fills: 5, bought: '0.05' });
    expect(v.steps.every((x) => x.status === 'ended')).toBe(true);
    // Audited as the strategy's own calls.
    const audit = await ok(engine().call('audit.list', { action: 'order.place', actor: 'strategy' }));
    expect(audit.length).toBeGreaterThanOrEqual(5);
  });

  it('a step journaled but never sent (killed between journal and send) is sent once at restart; one the engine already has is not sent again', async () => {
    const s = await add('dca', 'BTC/USD', { qty: '0.01', every: '1h' });
    await settle();
    const runner = engine().internals.strategies;
    // Journal steps 2 and 3 by hand as a crashed run would have left them; step 3 also reached the engine.
    const store = (runner as unknown as { c: { d: { store: import('../../../src-main/engine/strategies/strategy-store').StrategyStore } } }).c.d.store;
    const row = store.get(s.id)!;
    const ticket = (n: number) => ({ venue: 'paper', symbol: 'BTC/USD', side: 'buy' as const, type: 'market' as const, qty: '0.01', tif: 'day' as const, clientOrderId: `${s.id}-${n}` });
    store.commit({
      id: s.id,
      state: row.state,
      nextStep: 4,
      wakeAt: row.wakeAt,
      now: clock.now(),
      steps: [2, 3].map((n) => ({ strategyId: s.id, step: n, clientOrderId: `${s.id}-${n}`, tag: `buy ${n}`, ticket: ticket(n), status: 'journaled' as const, orderId: null, error: null })),
    });
    await ok(engine().call('order.place', ticket(3), { actor: 'strategy', transport: 'internal', strategyId: s.id }));
    await rig.restart();
    await settle();
    const mine = (await orders()).filter((o) => o.clientOrderId.startsWith(s.id));
    expect(mine.map((o) => o.clientOrderId).sort()).toEqual([`${s.id}-1`, `${s.id}-2`, `${s.id}-3`]);
    expect((await show(s.id)).steps.map((x) => x.status)).toEqual(['ended', 'ended', 'ended']);
  });

  it('the kill switch stops every strategy; after a reset they stay stopped until the trader resumes each', async () => {
    const a = await add('dca', 'BTC/USD', { qty: '0.01', every: '1m' });
    const b = await add('dca', 'ETH/USD', { qty: '0.1', every: '1m' });
    await settle();
    await ok(engine().call('killSwitch.trip', { reason: 'test' }));
    await settle();
    expect((await ok(engine().call('strategy.list', {}))).map((x) => x.state)).toEqual(['stopped_kill', 'stopped_kill']);
    const before = (await orders()).length;
    await settle(5 * MIN);
    expect((await orders()).length).toBe(before);
    expect((await engine().call('strategy.resume', { id: a.id })).ok).toBe(false);
    await ok(engine().call('killSwitch.reset', { confirm: true }));
    await settle(MIN);
    expect((await orders()).length).toBe(before);
    await rig.restart();
    await settle(MIN);
    expect((await ok(engine().call('strategy.list', {}))).map((x) => x.state)).toEqual(['stopped_kill', 'stopped_kill']);
    await ok(engine().call('strategy.resume', { id: a.id }));
    await settle();
    const after = (await orders()).filter((o) => o.createdAt >= clock.now());
    expect(after.map((o) => o.clientOrderId.split('-')[0])).toEqual([a.id]);
    expect((await show(b.id)).state).toBe('stopped_kill');
  });

  it('tells each pause as a strategyPaused event with its cause: the trader, the breaker, the kill switch', async () => {
    const told: [string, string][] = [];
    engine().subscribe((e) => {
      if (e.type === 'strategyPaused') told.push([e.strategyId, e.cause]);
    });
    const a = await add('dca', 'BTC/USD', { qty: '0.01', every: '1m' });
    const c = await add('dca', 'SOL/USD', { qty: '1', every: '1m' });
    await settle();
    await ok(engine().call('strategy.pause', { id: c.id }));
    engine().internals.health.report('paper', { usage: null, breaker: { state: 'open', consecutiveFailures: 5, reason: '5 failures', since: clock.now() } });
    await ok(engine().call('killSwitch.trip', { mode: 'halted', reason: 'test' }));
    await settle();
    expect(told).toEqual([
      [c.id, 'trader'],
      [a.id, 'breaker'],
      [a.id, 'kill_switch'],
      [c.id, 'kill_switch'],
    ]);
  });

  it('breaker OPEN pauses the venue strategies; CLOSED resumes only those it paused', async () => {
    const a = await add('dca', 'BTC/USD', { qty: '0.01', every: '1m' });
    const b = await add('dca', 'ETH/USD', { qty: '0.1', every: '1m' });
    const c = await add('dca', 'SOL/USD', { qty: '1', every: '1m' });
    await settle();
    await ok(engine().call('strategy.pause', { id: c.id }));
    const breaker = (state: 'open' | 'closed') => ({ usage: null, breaker: { state, consecutiveFailures: state === 'open' ? 5 : 0, reason: '5 failures', since: clock.now() } });
    engine().internals.health.report('paper', breaker('open'));
    expect((await ok(engine().call('strategy.list', {}))).map((x) => x.state)).toEqual(['paused_breaker', 'paused_breaker', 'paused_user']);
    // The trader pauses b by hand during the outage: the breaker must not resume it.
    await ok(engine().call('strategy.pause', { id: b.id }));
    const n = (await orders()).length;
    await settle(3 * MIN);
    expect((await orders()).length).toBe(n);
    engine().internals.health.report('paper', breaker('closed'));
    await settle();
    expect((await ok(engine().call('strategy.list', {}))).map((x) => [x.id, x.state])).toEqual([
      [a.id, 'running'],
      [b.id, 'paused_user'],
      [c.id, 'paused_user'],
    ]);
    expect((await orders()).slice(n).map((o) => o.clientOrderId.split('-')[0])).toEqual([a.id]);
  });

  it('refuses unknown kinds, bad parameters and unknown symbols with a clear message', async () => {
    const r1 = await engine().call('strategy.add', { kind: 'martingale', venue: 'paper', symbol: 'BTC/USD', params: {} });
    expect(!r1.ok && r1.error.message).toMatch(/Unknown strategy kind "martingale"; the kinds are dca, grid, twap, dip/);
    const r2 = await engine().call('strategy.add', { kind: 'grid', venue: 'paper', symbol: 'BTC/USD', params: { low: '10', high: '5', levels: '3', qty: '1' } });
    expect(!r2.ok && r2.error.message).toMatch(/high \(5\) must be above low \(10\)/);
    const r3 = await engine().call('strategy.add', { kind: 'dca', venue: 'paper', symbol: 'NOPE', params: { qty: '1', every: '1h' } });
    expect(!r3.ok && r3.error.message).toMatch(/lists no instrument "NOPE"/);
    const r4 = await engine().call('strategy.add', { kind: 'dca', venue: 'paper', symbol: 'AAPL', params: { qty: '1', every: '1h', sessions: 'always' } });
    expect(!r4.ok && r4.error.message).toMatch(/sessions must be one of regular, extended/);
    expect((await ok(engine().call('strategy.list', {}))).length).toBe(0);
  });
});
