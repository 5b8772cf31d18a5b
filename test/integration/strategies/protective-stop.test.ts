/**
 * Protective stops in a real engine on Paper: a DCA with `stop=` rests a sell stop at the venue
 * after each filled buy, placed through the engine API as the strategy with the step's client id;
 * a restart places none twice; the stop fills when the price falls through it and the fill is the
 * strategy's.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Decimal } from '../../../src-main/engine/domain/money';
import type { StrategyView } from '../../../src-main/engine/api/commands';
import type { Order } from '../../../src-main/engine/domain/order';
import type { PaperVenue } from '../../../src-main/engine/venues/paper';
import { engineRig, type EngineRig } from '../../support/engine-rig';

const MIN = 60_000;

describe('protective stops on Paper', () => {
  let rig: EngineRig;
  const ok = async <T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> => {
    const r = await p;
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  const paper = () => rig.engine.internals.venues.get('paper') as PaperVenue;
  const mine = async (id: string): Promise<Order[]> => ((await ok(rig.engine.call('orders.list', { all: true }))) as Order[]).filter((o) => o.clientOrderId.startsWith(`${id}-`));
  const settle = async (ms = 0) => {
    if (ms > 0) {
      await rig.clock.advanceAsync(ms - 1000);
      paper().tick();
      await rig.clock.advanceAsync(1000);
    }
    await rig.engine.internals.idle();
  };

  beforeEach(async () => {
    rig = await engineRig({ prefix: 'tp-strat-stop-' });
  });
  afterEach(() => rig.close());

  it('a DCA rests one stop per filled buy, survives a restart without a second one, and the stop sells what the buy filled', async () => {
    const s = (await ok(rig.engine.call('strategy.add', { kind: 'dca', venue: 'paper', symbol: 'BTC/USD', params: { qty: '0.01', every: '1h', maxTotal: '0.02', stop: '5' } }))) as StrategyView;
    await settle();
    await settle(MIN);
    let orders = await mine(s.id);
    const buy = orders.find((o) => o.clientOrderId === `${s.id}-1`)!;
    expect(buy.status).toBe('filled');
    const stop = orders.find((o) => o.clientOrderId === `${s.id}-2`)!;
    expect(stop).toMatchObject({ side: 'sell', type: 'stop', qty: '0.01', tif: 'gtc', source: 'strategy' });
    expect(['new', 'accepted']).toContain(stop.status);
    // 5 % under the buy's average fill price, rounded up to the tick.
    const want = new Decimal(buy.avgFillPrice).mul(0.95);
    expect(new Decimal(stop.stopPrice!).minus(want).abs().lt(0.01)).toBe(true);
    expect(new Decimal(stop.stopPrice!).gte(want)).toBe(true);

    await rig.restart();
    await settle();
    orders = await mine(s.id);
    expect(orders.map((o) => o.clientOrderId).sort()).toEqual([`${s.id}-1`, `${s.id}-2`]);

    // The price falls through the stop: it sells the 0.01, accounted to the strategy.
    const id = paper().instrument('BTC/USD')!.id;
    paper().setPrice(id, new Decimal(stop.stopPrice!).mul(0.9));
    await settle();
    await settle(MIN);
    const after = (await mine(s.id)).find((o) => o.clientOrderId === `${s.id}-2`)!;
    expect(after.status).toBe('filled');
    const v = await ok(rig.engine.call('strategy.show', { id: s.id }));
    expect(v).toMatchObject({ sold: '0.01' });
    expect(v.steps.find((x) => x.clientOrderId === `${s.id}-2`)).toMatchObject({ tag: 'stop buy 1', status: 'ended' });
  });

  it("a grid with stop= rests a stop beside each filled buy's sell (one OCA group), places none twice across a restart, and cancels it when the sell closes the lot", async () => {
    const AAPL = 'paper:AAPL';
    const tickAt = async (mid: string) => {
      paper().source.setMid(AAPL, new Decimal(mid));
      await settle(1000);
    };
    await tickAt('100.25');
    const g = (await ok(rig.engine.call('strategy.add', { kind: 'grid', venue: 'paper', symbol: 'AAPL', params: { low: '99', high: '101', levels: '5', qty: '1', stop: '5' } }))) as StrategyView;
    await settle();
    // 99.9: the buy at 100 fills; its sell at 100.5 and a stop at 99 × 0.95 = 94.05 go out, linked.
    await tickAt('99.9');
    const byTag = async () => {
      const steps = ((await ok(rig.engine.call('strategy.show', { id: g.id }))) as { steps: { tag: string; clientOrderId: string }[] }).steps;
      const orders = await mine(g.id);
      return steps.map((st) => ({ tag: st.tag, order: orders.find((o) => o.clientOrderId === st.clientOrderId) }));
    };
    let steps = await byTag();
    const sell = steps.find((x) => x.tag === 'S3')!.order!;
    const stop = steps.find((x) => x.tag === 'stop S3')!.order!;
    expect([sell.status, sell.limitPrice]).toEqual(['accepted', '100.5']);
    expect([stop.type, stop.side, stop.qty, stop.stopPrice, stop.status]).toEqual(['stop', 'sell', '1', '94.05', 'accepted']);
    expect(stop.ocaGroup).toBe(sell.ocaGroup);
    expect(stop.ocaGroup).toBe(`${g.id}-L1`);
    const before = (await mine(g.id)).length;
    await rig.restart();
    await settle();
    await tickAt('99.9');
    expect((await mine(g.id)).length).toBe(before);
    // 100.6: the sell fills, the lot is closed, its stop is cancelled and the buy at 100 rests again.
    await tickAt('100.6');
    steps = await byTag();
    expect(steps.find((x) => x.tag === 'S3')!.order!.status).toBe('filled');
    expect(steps.find((x) => x.tag === 'stop S3')!.order!.status).toBe('cancelled');
    expect(steps.filter((x) => x.tag === 'B2').map((x) => x.order!.status)).toEqual(['filled', 'accepted']);
    expect(((await ok(rig.engine.call('strategy.show', { id: g.id }))) as { progress: { position: string } }).progress.position).toBe('0');
    const dup = rig.engine.internals.db.prepare('SELECT client_order_id FROM paper_orders GROUP BY client_order_id HAVING COUNT(*) > 1').all();
    expect(dup).toEqual([]);
  });
  it('a grid with stop= on Paper crypto rests the stop beside the sell (the coins are held once per OCA group); the sell filling cancels the stop, the stop filling cancels the sell, and the balances come out right', async () => {
    const id = paper().instrument('BTC/USD')!.id;
    const tickAt = async (mid: string) => {
      paper().source.setMid(id, new Decimal(mid));
      await settle(1000);
    };
    const btc = async () => {
      const b = ((await ok(rig.engine.call('balances.list', { venue: 'paper' }))) as { venue: string; asset: string; total: string; available: string }[]).find(
        (x) => x.venue === 'paper' && x.asset === 'BTC',
      );
      return { total: b?.total ?? '0', available: b?.available ?? '0' };
    };
    await tickAt('60250');
    const g = (await ok(
      rig.engine.call('strategy.add', { kind: 'grid', venue: 'paper', symbol: 'BTC/USD', params: { low: '59000', high: '61000', levels: '5', qty: '0.01', stop: '5', stopAtBounds: 'false' } }),
    )) as StrategyView;
    await settle();
    const byTag = async () => {
      const steps = ((await ok(rig.engine.call('strategy.show', { id: g.id }))) as { steps: { tag: string; clientOrderId: string; error: string | null }[] }).steps;
      const orders = await mine(g.id);
      return steps.map((st) => ({ tag: st.tag, error: st.error, order: orders.find((o) => o.clientOrderId === st.clientOrderId) }));
    };
    // 59990: the buy at 60000 fills; its sell at 60500 and its stop at 59000 × 0.95 = 56050 both rest, one OCA group.
    await tickAt('59990');
    let steps = await byTag();
    const stop1 = steps.find((x) => x.tag === 'stop S3')!;
    expect(stop1.error).toBeNull();
    expect([stop1.order!.type, stop1.order!.qty, stop1.order!.stopPrice, stop1.order!.status]).toEqual(['stop', '0.01', '56050', 'accepted']);
    expect(steps.find((x) => x.tag === 'S3')!.order!.status).toBe('accepted');
    // 0.01 BTC bought, promised once to the pair (not twice: nothing free, nothing negative).
    expect(await btc()).toEqual({ total: '0.01', available: '0' });

    // 60510: the sell fills, the venue and the planner cancel the stop, no coin stays promised.
    await tickAt('60510');
    steps = await byTag();
    expect(steps.find((x) => x.tag === 'S3')!.order!.status).toBe('filled');
    expect(steps.find((x) => x.tag === 'stop S3')!.order!.status).toBe('cancelled');
    expect(await btc()).toEqual({ total: '0', available: '0' });

    // The buy at 60000 rests again; 59990 fills it: a second lot with its own sell and stop.
    await tickAt('59990');
    steps = await byTag();
    const stop2 = steps.filter((x) => x.tag === 'stop S3')[1]!;
    expect([stop2.error, stop2.order!.status, stop2.order!.ocaGroup]).toEqual([null, 'accepted', `${g.id}-L2`]);
    expect(await btc()).toEqual({ total: '0.01', available: '0' });

    // 56000: through the stop (the grid waits out of bounds): the stop sells the lot, its sell is cancelled.
    await tickAt('56000');
    await tickAt('56000');
    steps = await byTag();
    expect(steps.filter((x) => x.tag === 'stop S3')[1]!.order!.status).toBe('filled');
    expect(steps.filter((x) => x.tag === 'S3')[1]!.order!.status).toBe('cancelled');
    expect(await btc()).toEqual({ total: '0', available: '0' });
    expect(((await ok(rig.engine.call('strategy.show', { id: g.id }))) as { progress: { position: string } }).progress.position).toBe('0');
  });
});
