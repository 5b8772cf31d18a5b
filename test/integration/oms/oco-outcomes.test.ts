/**
 * An OCO exit pair on a venue that links orders by OCA group (two submits): what each submit
 * outcome does to the pair. A refused take-profit keeps its stop-loss unsent; a lost ack leaves the
 * take-profit `unknown` until looked up, the stop-loss still goes, and nothing is sent twice.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BASIC_CAPABILITIES } from '../../../src-main/engine/domain/order-capabilities';
import { until } from '../../support/until';
import { makeHarness, type Harness } from './harness';

const pair = (cid: string) =>
  ({ venue: 'scripted', symbol: 'XYZ/USD', side: 'sell', type: 'limit', qty: '1', tif: 'gtc', limitPrice: '120', oco: true, stopLoss: { stopPrice: '90' }, clientOrderId: cid }) as const;

describe('OCO exit pair over OCA groups (scripted venue, LIVE)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await makeHarness({ venueOptions: { capabilities: { ...BASIC_CAPABILITIES, oca: true } } });
    await h.ok('order.place', { venue: 'scripted', symbol: 'XYZ/USD', side: 'buy', type: 'market', qty: '1', tif: 'ioc' });
    await h.ok('mode.set', { venue: 'scripted', mode: 'live', arm: true });
  });
  afterEach(() => h.close());
  const legs = (cid: string) => h.engine.internals.orders.list({ venue: 'scripted', limit: 100 }).filter((o) => o.ocaGroup === `oco-${cid}`);

  it('both legs go, in one OCA group, take-profit first; each once', async () => {
    const tp = await h.ok('order.place', pair('oco-ok'));
    expect(tp).toMatchObject({ status: 'accepted', leg: 'take_profit' });
    const sl = legs('oco-ok').find((o) => o.leg === 'stop_loss')!;
    expect(sl).toMatchObject({ status: 'accepted', type: 'stop', stopPrice: '90' });
    expect(h.venue().submitLog.slice(-2)).toEqual(['oco-ok', sl.clientOrderId]);
    expect(h.venue().remote.get(sl.clientOrderId)?.order.ocaGroup).toBe('oco-oco-ok');
  });

  it('the venue refuses the take-profit: the stop-loss is rejected unsent, with the reason', async () => {
    h.venue().submitScript.push('reject');
    const tp = await h.ok('order.place', pair('oco-no'));
    expect(tp).toMatchObject({ status: 'rejected', rejectReason: 'insufficient margin (scripted)' });
    const sl = legs('oco-no').find((o) => o.leg === 'stop_loss')!;
    expect(sl).toMatchObject({ status: 'rejected', rejectReason: 'not sent: its take-profit oco-no was rejected (insufficient margin (scripted))' });
    expect(h.venue().submitLog).not.toContain(sl.clientOrderId);
  });

  it("the take-profit's ack is lost: unknown, resolved by lookup; the stop-loss is sent; nothing resent", async () => {
    h.venue().submitScript.push('lost_after_accept');
    const tp = await h.ok('order.place', pair('oco-lost'));
    expect(tp.status).toBe('unknown');
    await until(() => h.engine.internals.orders.byId(tp.id)!.status === 'accepted', { what: 'take-profit resolved by lookup' });
    const sl = legs('oco-lost').find((o) => o.leg === 'stop_loss')!;
    expect(sl.status).toBe('accepted');
    expect(h.venue().submitLog.filter((c) => c === 'oco-lost' || c === sl.clientOrderId)).toEqual(['oco-lost', sl.clientOrderId]);
  });
});
