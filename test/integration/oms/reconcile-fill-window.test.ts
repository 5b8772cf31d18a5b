/**
 * Reconciliation must fetch every fill made while the venue was unreachable, even when a newer
 * fill arrives on the live stream before the reconciliation reads the journal's newest fill time
 * (a venue replays or streams executions as soon as the socket is back).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeHarness, type Harness } from './harness';

const ticket = { venue: 'scripted', symbol: 'XYZ/USD', side: 'buy', type: 'limit', qty: '10', limitPrice: '99.5', tif: 'gtc' } as const;

describe('reconciliation fill window', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await makeHarness();
    await h.ok('mode.set', { venue: 'scripted', mode: 'live', arm: true });
  });
  afterEach(async () => {
    await h.close();
  });

  it('a fill streamed right after reconnect does not hide the fills made while disconnected', async () => {
    const a = await h.ok('order.place', { ...ticket, clientOrderId: 'win-a' });
    const b = await h.ok('order.place', { ...ticket, qty: '2', clientOrderId: 'win-b' });
    h.venue().disconnect();
    h.clock.advance(1_000);
    h.venue().fill('win-a', '3', '99.5'); // while we could not hear it
    h.clock.advance(5 * 60_000);
    h.venue().reconnect();
    // The stream is live again before the background reconciliation reads the journal.
    h.venue().fill('win-b', '2', '99.4');
    await h.engine.internals.idle();

    const orders = h.engine.internals.orders;
    expect(orders.byId(b.id)).toMatchObject({ status: 'filled', filledQty: '2' });
    // Every execution is in the journal, not only the order's quantity from a lookup.
    expect(orders.fills({ orderId: a.id }).map((f) => [f.qty, f.price])).toEqual([['3', '99.5']]);
    expect(orders.byId(a.id)).toMatchObject({ status: 'partially_filled', filledQty: '3' });
  });
});

describe('reconciliation of SHADOW fills', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await makeHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('a shadow fill recorded by the simulator but not by the journal (crash between the two) is recovered at restart', async () => {
    const resting = await h.ok('order.place', { ...ticket, qty: '2' });
    expect(resting).toMatchObject({ route: 'shadow', status: 'accepted' });
    // The simulator commits the fill; the process dies before the OMS records it.
    const oms = h.engine.internals.oms;
    const applyFill = oms.applyFill.bind(oms);
    oms.applyFill = () => undefined;
    oms.applyReport = () => undefined;
    h.venue().setQuote('99.40', '99.45');
    oms.applyFill = applyFill;
    expect(h.engine.internals.orders.fills({ orderId: resting.id })).toHaveLength(0);

    await h.restart();
    await h.engine.internals.idle();
    const orders = h.engine.internals.orders;
    expect(orders.byId(resting.id)).toMatchObject({ status: 'filled', filledQty: '2' });
    // The execution itself is journaled: shadow exposure and P&L are derived from journal fills.
    expect(orders.fills({ orderId: resting.id }).map((f) => [f.qty, f.price])).toEqual([['2', '99.5']]);
    expect(
      h.engine.internals.risk
        .exposures()
        .find((e) => e.venue === 'scripted')!
        .qty.toFixed(),
    ).toBe('2');
  });
});
