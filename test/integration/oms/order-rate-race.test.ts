/**
 * The runaway-loop guard holds when a strategy fires orders in parallel: each preview awaits the
 * venue, so they all see the same count; the send-time check lets exactly the limit through.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../src-main/engine/api/engine-api';
import { makeHarness, type Harness } from './harness';

const strategy: CallContext = { actor: 'strategy', transport: 'internal', strategyId: 'burst-1' };
const ticket = { venue: 'scripted', symbol: 'XYZ/USD', side: 'buy', type: 'limit', qty: '1', limitPrice: '99.5', tif: 'gtc' } as const;

describe('orders per minute under parallel sends', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await makeHarness();
    await h.ok('mode.set', { venue: 'scripted', mode: 'live', arm: true });
    await h.ok('risk.set', { key: 'max_orders_per_minute', value: '3' });
  });
  afterEach(async () => {
    await h.close();
  });

  it('ten orders fired at once by one strategy: three are sent, seven refused before the journal', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => h.engine.call('order.place', ticket, strategy)));
    const sent = results.filter((r) => r.ok);
    const refused = results.filter((r) => !r.ok);
    expect(sent).toHaveLength(3);
    expect(refused.every((r) => !r.ok && r.error.code === 'risk_violation' && /orders per minute/.test(r.error.message))).toBe(true);
    expect(h.venue().submitCalls).toBe(3);
    // Refused orders never reached the journal.
    expect(h.engine.internals.orders.list({ limit: 100 })).toHaveLength(3);
  });
});
