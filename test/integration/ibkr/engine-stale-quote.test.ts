/**
 * An order that could execute at once is never judged on an old quote: when the streamed IB quote
 * is older than the max quote age, the engine asks TWS for a snapshot and checks against that.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src-main/engine/ports/clock';
import type { IbkrConnector } from '../../../src-main/engine/venues/ibkr';
import { engineRig, T0, type EngineRig } from './ibkr-harness';
import { until } from '../../support/until';

describe('engine + IB venue: stale quotes and the price collar', () => {
  let skew = 0;
  const started = Date.now();
  const clock: Clock = { now: () => T0 + (Date.now() - started) + skew };
  let r: EngineRig;
  const ib = () => r.engine.internals.venues.get('ib') as IbkrConnector;

  beforeEach(async () => {
    r = await engineRig(clock, 'tp-ibkr-stale-');
    await until(() => ib().instrument('AAPL'));
    await until(() => ib().quote('ib:265598')?.ask);
  });
  afterEach(async () => {
    await r.close();
  });

  it('a buy limit at 400 with the market near 200 on a stale quote is checked against a fresh snapshot and blocked by the collar', async () => {
    skew += 60_000; // TWS sends nothing while the price does not change: the streamed quote is now a minute old
    expect(clock.now() - ib().quote('ib:265598')!.ts).toBeGreaterThan(10_000);
    const pv = await r.engine.call('order.preview', { venue: 'ib', symbol: 'AAPL', side: 'buy', type: 'limit', qty: '1', limitPrice: '400', tif: 'day' });
    expect(pv.ok).toBe(true);
    if (!pv.ok) return;
    expect(pv.value.allowed).toBe(false);
    expect(pv.value.violations.map((v) => v.code)).toContain('risk.price_collar');
    expect(pv.value.violations.find((v) => v.code === 'risk.price_collar')?.message).toMatch(/above the mid price of 200.*Blocked: on the aggressive side/);
    // the snapshot refreshed the quote itself
    expect(clock.now() - ib().quote('ib:265598')!.ts).toBeLessThan(10_000);
    const placed = await r.engine.call('order.place', { venue: 'ib', symbol: 'AAPL', side: 'buy', type: 'limit', qty: '1', limitPrice: '400', tif: 'day' });
    expect(placed.ok).toBe(false);
    // a deep bid on the same stale stream: passive, a warning the preview shows
    skew += 60_000;
    const deep = await r.engine.call('order.preview', { venue: 'ib', symbol: 'AAPL', side: 'buy', type: 'limit', qty: '1', limitPrice: '150', tif: 'day' });
    expect(deep.ok && deep.value.allowed).toBe(true);
    expect(deep.ok && deep.value.warnings.map((w) => w.code)).toContain('risk.price_collar_passive');
  });
});
