/**
 * A real engine with the IB venue, driven through engine commands, riding through a TWS restart
 * that rolls nextValidId back: no order id reused, no duplicate order, fills missed while TWS was
 * down recovered by reconciliation; then 1100/1102 and adoption of a hand-placed TWS order.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src-main/engine/engine';
import type { TwsEmulator } from '../../emulators/tws';
import type { IbkrConnector } from '../../../src-main/engine/venues/ibkr';
import { engineRig, marketClock, type EngineRig } from './ibkr-harness';
import { until } from '../../support/until';

describe('engine + IB venue through a TWS restart', () => {
  const clock = marketClock();
  let r: EngineRig;
  let engine: Engine;
  let emu: TwsEmulator;

  beforeEach(async () => {
    r = await engineRig(clock, 'tp-ibkr-engine-');
    ({ engine, emu } = r);
    expect(r.added.ok && r.added.value).toMatchObject({ state: 'connected', detail: 'TWS 193 · DU123456 · client 7', mode: 'shadow' });
    const mode = await engine.call('mode.set', { venue: 'ib', mode: 'live', arm: true });
    expect(mode.ok).toBe(true);
    // the watchlist resolves in the background
    await until(() => ib().instrument('AAPL'));
    ib().quote('ib:265598');
    await until(() => ib().quote('ib:265598')?.ask);
  });
  afterEach(async () => {
    await r.close();
  });

  const ib = () => engine.internals.venues.get('ib') as IbkrConnector;
  const place = async (t: { side: 'buy' | 'sell'; type: 'market' | 'limit'; qty: string; limitPrice?: string }) => {
    const r = await engine.call('order.place', { venue: 'ib', symbol: 'AAPL', tif: 'day', ...t });
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value;
  };
  const orderOf = async (id: string) => {
    const r = await engine.call('orders.list', { all: true });
    return r.ok ? r.value.find((o) => o.id === id) : undefined;
  };

  it('restart with nextValidId rolled back: no id reuse, no duplicate, the missed fill recovered by reconciliation', async () => {
    emu.setAutoFill(false);
    const a = await place({ side: 'buy', type: 'limit', qty: '10', limitPrice: '197' });
    expect(a.status).toBe('accepted');
    // Each order.place first previews through a whatIf order, which burns an id of its own.
    const aId = Number(a.venueOrderId);
    expect(aId).toBeGreaterThanOrEqual(1000);
    const b = await place({ side: 'buy', type: 'limit', qty: '5', limitPrice: '196' });
    const bId = Number(b.venueOrderId);
    expect(bId).toBeGreaterThan(aId);

    // TWS restarts; while it is down order A fills. It comes back announcing nextValidId 1.
    const restarted = emu.restart({ downMs: 400, nextValidId: 1 });
    await until(() => !emu.isUp);
    emu.fillOrder({ clientId: 7, orderId: aId }, { price: '197' });
    await until(() => engine.internals.venues.info('ib')?.state === 'disconnected');
    await restarted;
    await until(() => engine.internals.venues.info('ib')?.state === 'connected', { timeoutMs: 10_000 });
    await engine.internals.idle();

    const reports = await engine.call('reconcile.reports', { venue: 'ib' });
    const reconnect = reports.ok ? reports.value.find((x) => x.trigger === 'reconnect') : undefined;
    expect(reconnect?.ok).toBe(true);
    expect(reconnect?.changes.map((c) => c.kind)).toContain('fill');
    const afterA = await orderOf(a.id);
    expect(afterA).toMatchObject({ status: 'filled', filledQty: '10', avgFillPrice: '197', fees: '1' });
    expect((await orderOf(b.id))?.status).toBe('accepted');
    const fills = await engine.call('fills.list', { venue: 'ib' });
    expect(fills.ok && fills.value.map((f) => [f.clientOrderId, f.qty, f.price, f.fee])).toEqual([[a.clientOrderId, '10', '197', '1']]);

    // The next order's id continues above every id used, not from TWS's rolled-back nextValidId 1.
    const c = await place({ side: 'buy', type: 'limit', qty: '1', limitPrice: '195' });
    expect(c.status).toBe('accepted');
    const cId = Number(c.venueOrderId);
    expect(cId).toBeGreaterThan(bId);
    expect(ib().conn.pacingViolations).toBe(0);
    const mine = emu.orders().filter((o) => o.clientId === 7);
    expect(new Set(mine.map((o) => o.orderId)).size).toBe(mine.length);
    expect(mine.map((o) => o.orderRef).sort()).toEqual([a.clientOrderId, b.clientOrderId, c.clientOrderId].sort());
    // A Tradeport restart (same data dir) keeps counting from the persisted highest id.
    await engine.close();
    engine = r.engine = await r.startEngine();
    await until(() => ib().instrument('AAPL'));
    await until(() => ib().quote('ib:265598')?.ask);
    const d = await place({ side: 'buy', type: 'limit', qty: '1', limitPrice: '195' });
    expect(Number(d.venueOrderId)).toBeGreaterThan(cId);
    expect(emu.orders().filter((o) => o.orderRef === d.clientOrderId)).toHaveLength(1);
  }, 30_000);

  it('1100 → order refused before it is journaled → 1102 → order accepted; reconnect reconciles', async () => {
    emu.injectConnectivity(1100);
    await until(() => engine.internals.venues.info('ib')?.state === 'degraded');
    const refused = await engine.call('order.place', { venue: 'ib', symbol: 'AAPL', side: 'buy', type: 'limit', qty: '1', limitPrice: '195', tif: 'day' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toMatch(/lost its connection to Interactive Brokers; new orders are paused/);
    const none = await engine.call('orders.list', { all: true });
    expect(none.ok && none.value).toEqual([]);
    expect(engine.internals.venues.info('ib')?.detail).toContain('degraded');
    emu.injectConnectivity(1102);
    await until(() => engine.internals.venues.info('ib')?.state === 'connected');
    const ok = await place({ side: 'buy', type: 'limit', qty: '1', limitPrice: '195' });
    expect(ok.status).toBe('accepted');
  });

  it('an order placed by hand in TWS is adopted as external on reconciliation', async () => {
    const manual = emu.placeManualOrder({ symbol: 'AAPL', action: 'BUY', quantity: '7', lmtPrice: '196', tif: 'DAY' });
    const rec = await engine.call('reconcile.run', { venue: 'ib' });
    expect(rec.ok && rec.value[0]?.changes.map((c) => c.kind)).toContain('adopted');
    const list = await engine.call('orders.list', {});
    const ext = list.ok ? list.value.find((o) => o.venueOrderId === `p${manual.permId}`) : undefined;
    expect(ext).toMatchObject({ source: 'external', side: 'buy', qty: '7', type: 'limit', limitPrice: '196', status: 'accepted', instrumentId: 'ib:265598' });
  });

  it('whatIf preview through order.preview: IB commission and buying power, route live', async () => {
    const p = await engine.call('order.preview', { venue: 'ib', symbol: 'AAPL', side: 'buy', type: 'limit', qty: '100', limitPrice: '200', tif: 'day' });
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.value).toMatchObject({ route: 'live', allowed: true, estFee: '1', buyingPowerBefore: '1000000', buyingPowerAfter: '989999' });
    expect(emu.orders()).toEqual([]);
  });
});
