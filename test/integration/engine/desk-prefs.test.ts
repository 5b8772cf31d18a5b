/**
 * Desk preferences in the data dir: saved per key, read back after a restart (a reinstalled
 * renderer or the headless bridge sees the same), checked for shape and size at the boundary,
 * audited; and one-click arming refused unless the venue is opted in and the kill switch is
 * running.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineRig, type EngineRig } from '../../support/engine-rig';
import { MAX_PREF_BYTES } from '../../../src-main/engine/api/desk-prefs';

const user = { actor: 'user', transport: 'bridge' } as const;

describe('desk preferences (engine)', () => {
  let rig: EngineRig;
  beforeEach(async () => {
    rig = await engineRig({ prefix: 'tp-prefs-' });
  });
  afterEach(() => rig.close());
  const call = (c: 'prefs.get' | 'prefs.set' | 'oneClick.arm' | 'killSwitch.trip', input: unknown) => rig.engine.callRaw(c, input, user);

  it('keeps each document across a restart, replaced whole on each save', async () => {
    expect(await call('prefs.get', {})).toEqual({ ok: true, value: {} });
    const layout = { panels: { ticketWidth: 300, bookWidth: 200 }, theme: 'light', fontScale: 1.1, saved: { Scalping: { theme: 'dark' } } };
    expect(await call('prefs.set', { key: 'layout', value: layout })).toEqual({ ok: true, value: { key: 'layout', savedAt: rig.clock.now() } });
    await call('prefs.set', { key: 'watchlists', value: { lists: [{ name: 'Tech', items: ['paper:AAPL'] }], active: 'Tech' } });
    await call('prefs.set', { key: 'layout', value: { ...layout, theme: 'dark' } });
    await rig.restart();
    const r = await call('prefs.get', {});
    expect(r).toEqual({ ok: true, value: { layout: { ...layout, theme: 'dark' }, watchlists: { lists: [{ name: 'Tech', items: ['paper:AAPL'] }], active: 'Tech' } } });
  });

  it('refuses an unknown key, a missing value and an oversized document, saying why', async () => {
    const unknown = await call('prefs.set', { key: 'wallpaper', value: {} });
    expect(unknown.ok || unknown.error.code).toBe('invalid_input');
    const missing = await call('prefs.set', { key: 'hotkeys' });
    expect(missing.ok || missing.error).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('JSON') });
    const big = await call('prefs.set', { key: 'watchlists', value: { blob: 'x'.repeat(MAX_PREF_BYTES) } });
    expect(big.ok || big.error).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('64 KiB') });
    const badPreset = await call('prefs.set', { key: 'oneClick', value: { venues: ['paper'], presets: ['-1'] } });
    expect(badPreset.ok || badPreset.error).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('size preset') });
    expect(await call('prefs.get', {})).toEqual({ ok: true, value: {} });
  });

  it('arms one-click only on an opted-in venue while the kill switch runs; every step audited', async () => {
    const off = await call('oneClick.arm', { venue: 'paper', armed: true });
    expect(off.ok || off.error).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('One-click is off for paper') });
    expect(await call('prefs.set', { key: 'oneClick', value: { venues: ['paper'], presets: ['1', '2.5'] } })).toMatchObject({ ok: true });
    expect(await call('oneClick.arm', { venue: 'paper', armed: true })).toEqual({ ok: true, value: { venue: 'paper', armed: true, at: rig.clock.now() } });
    const ghost = await call('oneClick.arm', { venue: 'nowhere', armed: true });
    expect(ghost.ok || ghost.error.code).toBe('unknown_venue');
    expect(await call('killSwitch.trip', { mode: 'halted', reason: 'test' })).toMatchObject({ ok: true });
    const halted = await call('oneClick.arm', { venue: 'paper', armed: true });
    expect(halted.ok || halted.error).toMatchObject({ code: 'halted', message: expect.stringContaining('kill switch') });
    expect(await call('oneClick.arm', { venue: 'paper', armed: false })).toMatchObject({ ok: true, value: { armed: false } });

    const audit = await rig.engine.call('audit.list', { limit: 50 });
    if (!audit.ok) throw new Error(audit.error.message);
    const actions = audit.value.filter((e) => e.action === 'oneClick.arm' || e.action === 'prefs.set').map((e) => [e.action, e.ok]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ['oneClick.arm', false],
        ['prefs.set', true],
        ['oneClick.arm', true],
      ]),
    );
    const arms = audit.value.filter((e) => e.action === 'oneClick.arm');
    expect(arms).toHaveLength(5);
    expect(arms.every((e) => e.venue === 'paper' || e.venue === 'nowhere')).toBe(true);
  });
});
