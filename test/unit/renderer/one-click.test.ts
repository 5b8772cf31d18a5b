/**
 * One-click on the ladder: off until the venue is opted in and armed; armed only while its venue,
 * connection and kill switch qualify; a click places only on the armed venue; presets validated.
 */
import { describe, expect, it } from 'vitest';
import type { OneClickArmed } from '../../../src-main/engine/api/desk-prefs';
import type { Result } from '../../../src-main/engine/api/errors';
import {
  DEFAULT_ONE_CLICK,
  arm,
  armBlock,
  clickMode,
  initialOneClick,
  keepArmed,
  optIn,
  parseOneClick,
  setPresets,
  type ArmContext,
} from '../../../src-renderer/src/features/one-click/one-click-model';
import { ONE_CLICK_KEY, createOneClickStore } from '../../../src-renderer/src/features/one-click/one-click-store';

const live: ArmContext = { venue: 'paper', connected: true, killSwitch: 'running' };

describe('one-click model', () => {
  it('is off by default: a click confirms; arming needs the venue opted in', () => {
    const s = initialOneClick();
    expect(clickMode(s, 'paper')).toBe('confirm');
    expect(armBlock(s, live)).toContain('One-click is off for paper');
    const on = optIn(s, 'paper', true);
    expect(armBlock(on, live)).toBeUndefined();
    expect(clickMode(on, 'paper')).toBe('confirm');
    const armed = arm(on, 'paper');
    expect(clickMode(armed, 'paper')).toBe('place');
    expect(clickMode(armed, 'alpaca')).toBe('confirm');
    expect(clickMode(armed, undefined)).toBe('confirm');
  });

  it('refuses to arm while disconnected or with the kill switch tripped, and disarms when they change', () => {
    const armed = arm(optIn(initialOneClick(), 'paper', true), 'paper');
    expect(armBlock(armed, { ...live, connected: false })).toBe('paper is not connected.');
    expect(armBlock(armed, { ...live, killSwitch: 'halted' })).toBe('The kill switch is halted.');
    expect(armBlock(armed, { ...live, venue: undefined })).toBe('Pick an instrument first.');
    expect(keepArmed(armed, live)).toBe(armed);
    expect(keepArmed(armed, { ...live, killSwitch: 'reducing' }).armed).toBeUndefined();
    expect(keepArmed(armed, { ...live, connected: false }).armed).toBeUndefined();
    expect(keepArmed(armed, { ...live, venue: 'alpaca' }).armed).toBeUndefined();
    expect(optIn(armed, 'paper', false)).toEqual({ prefs: { ...DEFAULT_ONE_CLICK, venues: [] }, armed: undefined });
  });

  it('takes size presets as typed, refusing junk with the offending entry named', () => {
    const s = initialOneClick();
    const ok = setPresets(s, '1, 2.5;  100');
    expect(ok.ok && ok.state.prefs.presets).toEqual(['1', '2.5', '100']);
    expect(setPresets(s, '1, -2')).toEqual({ ok: false, message: expect.stringContaining('“-2”') });
    expect(setPresets(s, '0')).toEqual({ ok: false, message: expect.stringContaining('above 0') });
    expect(setPresets(s, '  ')).toEqual({ ok: false, message: 'Give at least one size, e.g. 1, 5, 10.' });
    expect(setPresets(s, '1 2 3 4 5 6 7')).toEqual({ ok: false, message: 'At most 6 sizes.' });
  });

  it('reads stored prefs through the engine schema; junk falls back to off', () => {
    expect(parseOneClick(JSON.stringify({ venues: ['paper'], presets: ['2'] }))).toEqual({ venues: ['paper'], presets: ['2'] });
    expect(parseOneClick('{"venues":"all"}')).toEqual(DEFAULT_ONE_CLICK);
    expect(parseOneClick('not json')).toEqual(DEFAULT_ONE_CLICK);
    expect(parseOneClick(null)).toEqual(DEFAULT_ONE_CLICK);
  });
});

describe('one-click store', () => {
  function rig(engineRefuses?: string) {
    const kept = new Map<string, string>();
    const arms: [string, boolean][] = [];
    const storage = {
      getItem: (k: string) => kept.get(k) ?? null,
      saveNow: async (k: string, v: string): Promise<Result<unknown>> => {
        kept.set(k, v);
        return { ok: true, value: {} };
      },
    };
    const engine = async (venue: string, armed: boolean): Promise<Result<OneClickArmed>> => {
      arms.push([venue, armed]);
      if (armed && engineRefuses) return { ok: false, error: { code: 'halted', message: engineRefuses } };
      return { ok: true, value: { venue, armed, at: 1 } };
    };
    return { store: createOneClickStore(storage, engine), kept, arms };
  }

  it('opting in is saved before arming; arming and disarming reach the engine (audited there)', async () => {
    const { store, kept, arms } = rig();
    expect(await store.getState().toggleArm(live)).toEqual({ ok: false, message: expect.stringContaining('One-click is off') });
    expect(arms).toEqual([]);
    await store.getState().optIn('paper', true);
    expect(JSON.parse(kept.get(ONE_CLICK_KEY)!)).toEqual({ venues: ['paper'], presets: ['1', '5', '10'] });
    expect(await store.getState().toggleArm(live)).toEqual({ ok: true });
    expect(store.getState().armed).toBe('paper');
    store.getState().check({ ...live, killSwitch: 'halted' });
    expect(store.getState().armed).toBeUndefined();
    expect(arms).toEqual([
      ['paper', true],
      ['paper', false],
    ]);
  });

  it('a kill switch tripped while the arm was in flight disarms as soon as the engine answers', async () => {
    const { store, arms } = rig();
    await store.getState().optIn('paper', true);
    let ctx: ArmContext = live;
    const arming = store.getState().toggleArm(() => ctx);
    ctx = { ...live, killSwitch: 'halted' };
    expect(await arming).toEqual({ ok: false, message: expect.stringContaining('disarmed as it armed') });
    expect(store.getState().armed).toBeUndefined();
    expect(arms).toEqual([
      ['paper', true],
      ['paper', false],
    ]);
  });

  it('stays disarmed when the engine refuses to arm', async () => {
    const { store } = rig('The kill switch is halted: one-click cannot be armed until it is reset.');
    await store.getState().optIn('paper', true);
    expect(await store.getState().toggleArm(live)).toEqual({ ok: false, message: expect.stringContaining('halted') });
    expect(store.getState().armed).toBeUndefined();
  });

  it('never restores the armed state from storage', () => {
    const kept = new Map([[ONE_CLICK_KEY, JSON.stringify({ venues: ['paper'], presets: ['3'], armed: 'paper' })]]);
    const store = createOneClickStore({ getItem: (k) => kept.get(k) ?? null, saveNow: async () => undefined }, async (venue, armed) => ({ ok: true, value: { venue, armed, at: 0 } }));
    // A stored document with an unknown field is junk to the strict schema: one-click stays off.
    expect(store.getState()).toMatchObject({ armed: undefined, prefs: DEFAULT_ONE_CLICK });
  });
});
