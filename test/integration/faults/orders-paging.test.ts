/** `orders --all` pages through every order and says when a list is cut (it used to stop at 500 silently). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineRig, type EngineRig } from '../../support/engine-rig';
import type { Engine } from '../../../src-main/engine/engine';
import { formatResult } from '../../../src-main/headless/format';
import { parseArgv, toApiCall } from '../../../src-main/headless/argv';

describe('orders, a page at a time', () => {
  let rig: EngineRig;
  let engine: Engine;
  beforeEach(async () => {
    rig = await engineRig({ prefix: 'tp-faults-page-' });
    engine = rig.engine;
    for (let i = 0; i < 7; i++) {
      const r = await engine.call('order.place', { venue: 'paper', symbol: 'AAPL', side: 'buy', type: 'limit', qty: '1', limitPrice: String(225 + i), tif: 'gtc', clientOrderId: `page-${i}` });
      expect(r.ok).toBe(true);
    }
  });
  afterEach(() => rig.close());

  it('returns the total and whether more follow, and every order is reachable by offset', async () => {
    const first = await engine.call('orders.page', { all: true, limit: 3 });
    expect(first.ok && { total: first.value.total, n: first.value.orders.length, more: first.value.more }).toEqual({ total: 7, n: 3, more: true });
    const seen = new Set<string>();
    for (let offset = 0; offset < 7; offset += 3) {
      const r = await engine.call('orders.page', { all: true, limit: 3, offset });
      if (r.ok) for (const o of r.value.orders) seen.add(o.clientOrderId);
    }
    expect(seen.size).toBe(7);
    const last = await engine.call('orders.page', { all: true, limit: 3, offset: 6 });
    expect(last.ok && last.value.more).toBe(false);
  });

  it('the CLI says the list is cut and how to get the next page', async () => {
    const call = toApiCall(parseArgv(['orders', '--all', '--limit', '3']).command!);
    expect(call).toEqual({ command: 'orders.page', input: { all: true, limit: 3 } });
    const r = await engine.callRaw(call.command, call.input);
    expect(r.ok).toBe(true);
    const text = formatResult(call.command, r.ok ? r.value : undefined);
    expect(text).toContain('showing 1–3 of 7 orders (newest first); next page: add --offset 3 --limit 3');
    const all = await engine.call('orders.page', { all: true });
    expect(formatResult('orders.page', all.ok ? all.value : undefined)).not.toContain('showing');
  });
});
