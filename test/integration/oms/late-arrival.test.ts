/**
 * An order declared "never arrived" (lookups found no record) that the venue later reports open —
 * a slow venue that accepted it after all — must be tracked as working again, so the kill switch
 * and the blotter see it. Silently ignoring it would leave a live order nobody can see.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeHarness, type Harness } from './harness';
import { until } from '../../support/until';

const ticket = { venue: 'scripted', symbol: 'XYZ/USD', side: 'buy', type: 'limit', qty: '2', limitPrice: '99.5', tif: 'gtc' } as const;

describe('an order that arrives after the "no record" verdict', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await makeHarness();
    await h.ok('mode.set', { venue: 'scripted', mode: 'live', arm: true });
  });
  afterEach(async () => {
    await h.close();
  });

  it('is tracked as working again, reported, and swept by the kill switch', async () => {
    h.venue().submitScript.push('lost_before_accept');
    const placed = await h.ok('order.place', { ...ticket, clientOrderId: 'late-1' });
    expect(placed.status).toBe('unknown');
    await h.engine.internals.idle();
    const orders = h.engine.internals.orders;
    await until(() => orders.byId(placed.id)?.status === 'rejected', { what: 'the lookup to find no record and reject' });
    expect(orders.byId(placed.id)).toMatchObject({ status: 'rejected' });

    // The venue had it after all (accepted late, under our client id).
    h.venue().placeExternal('late-1', '2', '99.5');
    const reports = await h.ok('reconcile.run', { venue: 'scripted' });
    expect(orders.byId(placed.id)).toMatchObject({ status: 'accepted' });
    expect(orders.byId(placed.id)!.rejectReason).toBeUndefined();
    expect(reports[0]!.changes.map((c: { message: string }) => c.message).join('\n')).toMatch(/late-1.*open at the venue after all/);
    // Never a second order: the venue still holds exactly one under this id.
    expect(h.venue().submitCalls).toBe(1);

    const trip = await h.ok('killSwitch.trip', { mode: 'halted' });
    expect(trip.sweep.requested).toBeGreaterThanOrEqual(1);
    expect(orders.byId(placed.id)!.status).toBe('cancelled');
  });
});
