/**
 * max_orders_per_minute binds the venue account, not the name a client gives itself: a bridge
 * client says "ui" or "cli" in its hello, so counting per name let each name have its own limit.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../src-main/engine/api/engine-api';
import { makeHarness, type Harness } from '../oms/harness';
import { windowCall } from '../../support/window-call';

const ui: CallContext = { actor: 'user', transport: 'bridge' };
const cli: CallContext = { actor: 'cli', transport: 'bridge' };
const ticket = { venue: 'scripted', symbol: 'XYZ/USD', side: 'buy', type: 'limit', qty: '1', limitPrice: '99.5', tif: 'gtc' } as const;

describe('orders per minute per venue account', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await makeHarness();
    await h.ok('mode.set', { venue: 'scripted', mode: 'live', arm: true });
    await h.ok('risk.set', { key: 'max_orders_per_minute', value: '4' });
  });
  afterEach(async () => h.close());

  it('counts the UI and the CLI together: 3 + 3 sends only 4', async () => {
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await windowCall(h.engine, 'order.place', ticket, ui));
    for (let i = 0; i < 3; i++) results.push(await h.engine.call('order.place', ticket, cli));
    expect(results.filter((r) => r.ok)).toHaveLength(4);
    const refused = results.filter((r) => !r.ok);
    expect(refused).toHaveLength(2);
    expect(refused.every((r) => !r.ok && r.error.code === 'risk_violation' && /4 orders were placed by anyone on scripted in the last minute/.test(r.error.message))).toBe(true);
    expect(h.venue().submitCalls).toBe(4);
  });
});
