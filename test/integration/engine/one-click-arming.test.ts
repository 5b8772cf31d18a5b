/**
 * One-click's armed state is the engine's: per account (venue), for the session, told to every
 * window as `oneClick` events, cleared by the engine itself (audited with the reason) on a
 * kill-switch trip or when the venue goes away, closed in the audit log after a restart, and a
 * one-click place on an account that is not armed is refused before anything is sent.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineRig, type EngineRig } from '../../support/engine-rig';
import type { EngineEvent } from '../../../src-main/engine/api/events';
import { Decimal } from '../../../src-main/engine/domain/money';

const user = { actor: 'user', transport: 'bridge' } as const;

describe('one-click armed state (engine)', () => {
  let rig: EngineRig;
  let events: EngineEvent[];
  beforeEach(async () => {
    rig = await engineRig({ prefix: 'tp-oneclick-' });
    events = [];
    rig.engine.subscribe((e) => events.push(e));
    expect(await rig.engine.callRaw('prefs.set', { key: 'oneClick', value: { venues: ['paper'], presets: ['1'] } }, user)).toMatchObject({ ok: true });
  });
  afterEach(() => rig.close());

  const arm = (armed: boolean, venue = 'paper') => rig.engine.callRaw('oneClick.arm', { venue, armed }, user);
  const status = async () => {
    const r = await rig.engine.call('oneClick.status', {});
    if (!r.ok) throw new Error(r.error.message);
    return r.value.armed.map((a) => a.venue);
  };
  const engineClears = async () => {
    const r = await rig.engine.call('audit.list', { action: 'oneClick.disarmed', limit: 50 });
    if (!r.ok) throw new Error(r.error.message);
    return r.value.map((e) => [e.venue, e.actor, e.detail.reason]);
  };
  const oneClickBuy = async () => {
    const q = await rig.engine.call('quote.get', { venue: 'paper', symbol: 'BTC/USD' });
    if (!q.ok) throw new Error('no quote');
    const ticket = { venue: 'paper', symbol: 'BTC/USD', side: 'buy', type: 'limit', qty: '0.01', limitPrice: new Decimal(q.value.bid!).minus(500).toFixed(), tif: 'gtc' };
    const p = await rig.engine.callRaw('order.preview', ticket, user);
    if (!p.ok) throw new Error(p.error.message);
    const previewId = (p.value as { previewId: string }).previewId;
    return rig.engine.callRaw('order.place', { ...ticket, previewId, oneClick: true }, user);
  };

  it('holds the armed account, tells every window, and places one-click orders only while armed', async () => {
    expect(await status()).toEqual([]);
    const refused = await oneClickBuy();
    expect(refused.ok || refused.error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('One-click is not armed on paper') });
    expect(await arm(true)).toMatchObject({ ok: true, value: { venue: 'paper', armed: true } });
    expect(await status()).toEqual(['paper']);
    expect(events).toContainEqual(expect.objectContaining({ type: 'oneClick', venue: 'paper', armed: true }));
    const placed = await oneClickBuy();
    expect(placed.ok).toBe(true);
    expect(await arm(false)).toMatchObject({ ok: true, value: { armed: false } });
    expect(await status()).toEqual([]);
    expect(events.filter((e) => e.type === 'oneClick').map((e) => e.type === 'oneClick' && e.armed)).toEqual([true, false]);
    const after = await oneClickBuy();
    expect(after.ok || after.error.code).toBe('forbidden');
    // The audit log marks the one-click place as one (its input), refused ones included.
    const places = await rig.engine.call('audit.list', { action: 'order.place', limit: 10 });
    expect(places.ok && places.value.map((e) => [e.ok, (e.detail.input as { oneClick?: boolean }).oneClick])).toEqual([
      [false, true],
      [true, true],
      [false, true],
    ]);
  });

  it('arms per account, several at once; removing a venue disarms its account, audited', async () => {
    const added = await rig.engine.call('venue.add', { kind: 'paper', name: 'paper2' });
    expect(added.ok).toBe(true);
    await rig.engine.callRaw('prefs.set', { key: 'oneClick', value: { venues: ['paper', 'paper2'], presets: ['1'] } }, user);
    expect(await arm(true, 'paper2')).toMatchObject({ ok: true });
    expect(await arm(true)).toMatchObject({ ok: true });
    // Per account: both armed at once.
    expect((await status()).sort()).toEqual(['paper', 'paper2']);
    expect(await rig.engine.callRaw('venue.remove', { name: 'paper2' }, user)).toMatchObject({ ok: true });
    expect(await status()).toEqual(['paper']);
    expect(await engineClears()).toEqual([['paper2', 'engine', 'venue removed']]);
  });

  it('a kill-switch trip disarms every account, audited with the reason', async () => {
    await arm(true);
    expect(await rig.engine.callRaw('killSwitch.trip', { mode: 'halted', reason: 'test' }, user)).toMatchObject({ ok: true });
    expect(await status()).toEqual([]);
    expect(await engineClears()).toEqual([['paper', 'engine', 'kill switch tripped']]);
    expect(events).toContainEqual(expect.objectContaining({ type: 'oneClick', venue: 'paper', armed: false, reason: 'kill switch tripped' }));
  });

  it('after a restart while armed the account is disarmed and the audit log closes the arm once', async () => {
    await arm(true);
    await rig.restart();
    expect(await status()).toEqual([]);
    expect(await engineClears()).toEqual([['paper', 'engine', 'engine restarted']]);
    // Closed already: another restart writes nothing more.
    await rig.restart();
    expect(await engineClears()).toHaveLength(1);
    // An arm disarmed by the trader before the stop needs no closing entry.
    await arm(true);
    await arm(false);
    await rig.restart();
    expect(await engineClears()).toHaveLength(1);
  });
});
