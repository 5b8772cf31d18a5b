/**
 * SHADOW route (the scripted venue, in its default SHADOW mode): trailing stops, brackets and OCA
 * groups are simulated by the Paper matching engine on the venue's real quotes, never sent, and
 * survive a restart.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeHarness, type Harness } from './harness';

const base = { venue: 'scripted', symbol: 'XYZ/USD', qty: '2', tif: 'gtc' } as const;

describe('SHADOW advanced orders', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await makeHarness();
  });
  afterEach(async () => {
    await h.close();
  });
  const byId = (id: string) => h.engine.internals.orders.byId(id)!;

  it('trailing stop: trails the real quotes, keeps its extreme across a restart, triggers', async () => {
    const o = await h.ok('order.place', { ...base, side: 'sell', type: 'trailing_stop', trailAmount: '0.50' });
    expect(o).toMatchObject({ route: 'shadow', status: 'accepted' });
    h.venue().setQuote('101.99', '102.01'); // extreme 101.99 → stop 101.49
    h.venue().setQuote('101.60', '101.62'); // above the stop
    expect(byId(o.id).status).toBe('accepted');
    await h.restart();
    h.venue().setQuote('101.50', '101.52'); // still above 101.49: a reset extreme (101.50 → 101.00) would not tell
    expect(byId(o.id).status).toBe('accepted');
    h.venue().setQuote('101.49', '101.51');
    expect(byId(o.id)).toMatchObject({ status: 'filled', filledQty: '2', avgFillPrice: '101.49' });
    expect(h.venue().submitCalls).toBe(0);
  });

  it('bracket: held, then activated by the entry fill across a restart; stop-loss fill cancels take-profit', async () => {
    const entry = await h.ok('order.place', { ...base, side: 'buy', type: 'limit', limitPrice: '99.50', takeProfit: { limitPrice: '103' }, stopLoss: { stopPrice: '97' } });
    expect(entry).toMatchObject({ route: 'shadow', status: 'accepted' });
    const [tp, sl] = h.engine.internals.orders.children(entry.id);
    expect([tp!.status, sl!.status]).toEqual(['accepted', 'accepted']);
    h.venue().setQuote('96.00', '103.50'); // would trigger the stop-loss if it worked: held
    expect(byId(sl!.id).status).toBe('accepted');
    h.venue().setQuote('99.40', '99.45'); // entry fills
    expect(byId(entry.id)).toMatchObject({ status: 'filled', filledQty: '2' });
    await h.restart();
    h.venue().setQuote('96.90', '96.95');
    expect(byId(sl!.id)).toMatchObject({ status: 'filled', filledQty: '2' });
    expect(byId(tp!.id)).toMatchObject({ status: 'cancelled', rejectReason: `OCA: ${sl!.clientOrderId} filled` });
    expect(h.venue().submitCalls).toBe(0);
  });

  it('OCA pair: the first fill cancels the other', async () => {
    const a = await h.ok('order.place', { ...base, side: 'buy', type: 'limit', limitPrice: '99.50', ocaGroup: 'g' });
    const b = await h.ok('order.place', { ...base, side: 'buy', type: 'limit', limitPrice: '99.00', ocaGroup: 'g' });
    await h.restart();
    h.venue().setQuote('98.00', '98.50');
    expect(byId(a.id).status).toBe('filled');
    expect(byId(b.id)).toMatchObject({ status: 'cancelled', rejectReason: `OCA: ${a.clientOrderId} filled` });
  });
});
