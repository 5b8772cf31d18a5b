/**
 * Replace through the engine on the scripted venue: SHADOW orders are modified in the shadow
 * matching engine (never at the venue) and fill at the new price; LIVE orders go to the venue
 * once, and a venue refusal leaves them working as they were.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeHarness, type Harness } from './harness';

const ticket = { venue: 'scripted', symbol: 'XYZ/USD', side: 'buy', type: 'limit', qty: '2', limitPrice: '99.5', tif: 'gtc' } as const;

describe('replace on each route', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await makeHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('SHADOW: modified in the shadow engine, never sent to the venue, fills at the new price, survives a restart', async () => {
    const o = await h.ok('order.place', ticket);
    expect(o.route).toBe('shadow');
    const m = await h.ok('order.replace', { id: o.id, limitPrice: '99.8', qty: '3' });
    expect(m).toMatchObject({ status: 'accepted', qty: '3', limitPrice: '99.8' });
    expect(h.venue().replaceCalls).toBe(0);
    await h.restart();
    expect(h.engine.internals.orders.byId(o.id)).toMatchObject({ status: 'accepted', qty: '3', limitPrice: '99.8' });
    // Above the old limit, at the new one: only the modified order would fill here.
    h.venue().setQuote('99.70', '99.75');
    expect(h.engine.internals.orders.byId(o.id)).toMatchObject({ status: 'filled', filledQty: '3', avgFillPrice: '99.8' });
    expect(h.venue().submitCalls + h.venue().replaceCalls).toBe(0);
  });

  it('LIVE: one replace at the venue; a refusal keeps the old terms and says why; audit has both', async () => {
    await h.ok('mode.set', { venue: 'scripted', mode: 'live', arm: true });
    const o = await h.ok('order.place', ticket);
    await h.ok('order.replace', { id: o.clientOrderId, qty: '1' });
    expect(h.venue().remote.get(o.clientOrderId)!.order.qty).toBe('1');
    h.venue().replaceScript.push('reject');
    const r = await h.engine.call('order.replace', { id: o.id, limitPrice: '99.6' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'venue_rejected', message: expect.stringMatching(/refused the change.*works on unchanged/) });
    expect(h.engine.internals.orders.byId(o.id)).toMatchObject({ status: 'accepted', qty: '1', limitPrice: '99.5' });
    expect(h.venue().replaceCalls).toBe(2);
    const audit = h.engine.internals.audit.list({ action: 'order.replace', limit: 10 });
    expect(audit.map((a) => a.ok)).toEqual([false, true]);
  });
});
