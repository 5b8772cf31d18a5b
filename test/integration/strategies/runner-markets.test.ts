/**
 * The runner against market hours and moving prices on Paper (ManualClock, no sleeps): a TWAP on
 * an equity across the NYSE Thanksgiving holiday and the early close after it, a DCA held while
 * the market is closed, and a grid that re-places on fills and stops at its bounds.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineRig, type EngineRig } from '../../support/engine-rig';
import { ManualClock } from '../../../src-main/engine/ports/clock';
import type { StrategyView } from '../../../src-main/engine/api/commands';
import { Decimal } from '../../../src-main/engine/domain/money';
import type { Order } from '../../../src-main/engine/domain/order';
import type { PaperVenue } from '../../../src-main/engine/venues/paper';

/** New York wall time in late November 2026 (EST, UTC−5). */
const et = (day: number, h: number, m = 0) => Date.UTC(2026, 10, day, h + 5, m);

describe('strategies and markets on Paper', () => {
  let rig: EngineRig;
  let clock: ManualClock;
  const ok = async <T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> => {
    const r = await p;
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  const add = (kind: string, symbol: string, params: Record<string, string>) => ok(rig.engine.call('strategy.add', { kind, venue: 'paper', symbol, params })) as Promise<StrategyView>;
  const show = (id: string) => ok(rig.engine.call('strategy.show', { id }));
  const stepOf = (o: Order) => parseInt(o.clientOrderId.split('-')[1]!, 36);
  const ordersOf = async (id: string): Promise<Order[]> =>
    ((await ok(rig.engine.call('orders.list', { all: true }))) as Order[]).filter((o) => o.clientOrderId.startsWith(`${id}-`)).sort((a, b) => stepOf(a) - stepOf(b));
  const paper = () => rig.engine.internals.venues.get('paper') as PaperVenue;
  /** Moves time to `t`; the Paper market ticks a second before, so the quotes the risk checks read are fresh. */
  const at = async (t: number) => {
    await clock.advanceAsync(t - 1000 - clock.now());
    paper().tick();
    await clock.advanceAsync(1000);
    await rig.engine.internals.idle();
  };
  /** The market opens at `t`: its first quote comes with the first tick, and the runner waits 5 s for a fresh one. */
  const open = async (t: number) => {
    await at(t);
    paper().tick();
    await at(t + 5000);
  };
  const S5 = 5000;

  beforeEach(async () => {
    // The tests move the clock by days (a holiday, weekends): the equity curve samples hourly, not
    // every minute (thousands of account snapshots written to SQLite made this test take 44–85 s on
    // a loaded machine), and the clock starts on the Tuesday before Thanksgiving, not a week earlier.
    rig = await engineRig({ prefix: 'tp-strat-mkt-', clock: new ManualClock(et(24, 10)), equityEveryMs: 3_600_000 });
    clock = rig.clock;
  });
  afterEach(() => rig.close());

  it('a TWAP counts only open market minutes: across Thanksgiving, and across the early close on the day after', async () => {
    const closes: string[] = [];
    rig.engine.subscribe((e) => {
      if (e.type === 'strategyPaused') closes.push(`${e.strategyId} ${e.cause} ${e.reason}`);
    });
    await at(et(25, 15));
    const a = await add('twap', 'AAPL', { qty: '4', duration: '2h', slices: '4', maxDeviation: '5' });
    await rig.engine.internals.idle();
    await at(et(25, 15, 30));
    expect((await ok(rig.engine.call('strategy.list', {})))[0]!.state).toBe('running');
    await at(et(25, 16, 1));
    expect((await show(a.id)).state).toBe('paused_market');
    // The close is told once, as a pause with its cause (alerts: "strategy paused").
    expect(closes).toEqual([`${a.id} market_closed AAPL market closed: the plan waits for the next open`]);
    // Thursday 26th is the holiday; Friday 27th opens at 09:30 and closes early at 13:00.
    await open(et(27, 9, 30));
    await at(et(27, 10) + S5);
    await at(et(27, 10, 30) + S5);
    expect((await ordersOf(a.id)).map((o) => o.createdAt)).toEqual([et(25, 15), et(25, 15, 30), et(27, 9, 30) + S5, et(27, 10) + S5]);
    const done = await show(a.id);
    expect(done.state).toBe('done');
    expect(done.reason).toMatch(/ran its 120 market minutes; filled \d+(\.\d+)? of 4, leftover/);

    await at(et(27, 12, 30));
    const b = await add('twap', 'AAPL', { qty: '2', duration: '1h', slices: '2' });
    await rig.engine.internals.idle();
    // 13:00 early close with half the duration run; Monday 30th 09:30 the second slice goes.
    await at(et(27, 13, 1));
    expect((await show(b.id)).state).toBe('paused_market');
    await open(et(30, 9, 30));
    await at(et(30, 10) + S5);
    expect((await ordersOf(b.id)).map((o) => o.createdAt)).toEqual([et(27, 12, 30), et(30, 9, 30) + S5]);
    expect((await show(b.id)).state).toBe('done');
  });

  it('a DCA on an equity holds its buys while the market is closed and buys once at the open', async () => {
    await at(et(25, 15, 50));
    const s = await add('dca', 'AAPL', { qty: '1', every: '15m' });
    await rig.engine.internals.idle();
    await at(et(25, 16, 5));
    expect((await show(s.id)).state).toBe('paused_market');
    await open(et(27, 9, 30));
    const orders = await ordersOf(s.id);
    // 15:50, then nothing overnight or on the holiday, then one buy at Friday's open, at its first quote (missed ones are not made up).
    expect(orders.map((o) => o.createdAt)).toEqual([et(25, 15, 50), et(27, 9, 30) + S5]);
  });

  it('a grid rests buys below the market, re-places the opposite order on each fill, and stops at its bounds cancelling what rests', async () => {
    const id = 'paper:BTC-USD';
    paper().source.setMid(id, new Decimal('100250'));
    await at(clock.now() + 1000);
    const g = await add('grid', 'BTC/USD', { low: '99000', high: '101000', levels: '5', qty: '0.01' });
    await rig.engine.internals.idle();
    const prices = async () => (await ordersOf(g.id)).map((o) => [o.side, o.limitPrice, o.status]);
    expect(await prices()).toEqual([
      ['buy', '99000', 'accepted'],
      ['buy', '99500', 'accepted'],
      ['buy', '100000', 'accepted'],
    ]);
    paper().source.setMid(id, new Decimal('99900'));
    await at(clock.now() + 1000);
    expect((await prices()).slice(2)).toEqual([
      ['buy', '100000', 'filled'],
      ['sell', '100500', 'accepted'],
    ]);
    paper().source.setMid(id, new Decimal('100600'));
    await at(clock.now() + 1000);
    expect((await prices()).slice(3)).toEqual([
      ['sell', '100500', 'filled'],
      ['buy', '100000', 'accepted'],
    ]);
    const mid = await show(g.id);
    expect(mid.progress).toMatchObject({ cycles: 1, realized: '5', position: '0' });
    expect(mid.fills).toBe(2);
    paper().source.setMid(id, new Decimal('102000'));
    await at(clock.now() + 1000);
    const end = await show(g.id);
    expect(end.state).toBe('done');
    expect(end.reason).toMatch(/left the grid \[99000, 101000\]/);
    expect((await ordersOf(g.id)).filter((o) => o.status === 'accepted')).toEqual([]);
  });
});
