/**
 * One-click on the ladder: off until the account (venue) is opted in and the engine says it is
 * armed; the screen's armed list follows the engine (status, then events in order), several
 * accounts at once; a click places only on an armed account; presets validated.
 */
import { describe, expect, it } from 'vitest';
import type { OneClickArmed, OneClickStatus } from '../../../src-main/engine/api/desk-prefs';
import type { Result } from '../../../src-main/engine/api/errors';
import type { EngineEvent } from '../../../src-main/engine/api/events';
import {
  DEFAULT_ONE_CLICK,
  applyArmed,
  applyStatus,
  armBlock,
  clickMode,
  initialOneClick,
  optIn,
  parseOneClick,
  setPresets,
  type ArmContext,
} from '../../../src-renderer/src/features/one-click/one-click-model';
import { ONE_CLICK_KEY, createOneClickStore, oneClickFeed } from '../../../src-renderer/src/features/one-click/one-click-store';

const live: ArmContext = { venue: 'paper', connected: true, killSwitch: 'running' };

describe('one-click model', () => {
  it('is off by default: a click confirms; arming needs the venue opted in', () => {
    const s = initialOneClick();
    expect(clickMode(s, 'paper')).toBe('confirm');
    expect(armBlock(s, live)).toContain('One-click is off for paper');
    const on = optIn(s, 'paper', true);
    expect(armBlock(on, live)).toBeUndefined();
    expect(clickMode(on, 'paper')).toBe('confirm');
    const armed = applyArmed(on, { venue: 'paper', armed: true });
    expect(clickMode(armed, 'paper')).toBe('place');
    expect(clickMode(armed, 'alpaca')).toBe('confirm');
    expect(clickMode(armed, undefined)).toBe('confirm');
    // Armed by the engine but opted out here: a click still confirms.
    expect(clickMode(optIn(armed, 'paper', false), 'paper')).toBe('confirm');
  });

  it('says why arming is not possible while disconnected or with the kill switch tripped', () => {
    const on = optIn(initialOneClick(), 'paper', true);
    expect(armBlock(on, { ...live, connected: false })).toBe('paper is not connected.');
    expect(armBlock(on, { ...live, killSwitch: 'halted' })).toBe('The kill switch is halted.');
    expect(armBlock(on, { ...live, venue: undefined })).toBe('Pick an instrument first.');
  });

  it('arms per account, several at once, exactly as the engine tells', () => {
    let s = optIn(optIn(initialOneClick(), 'paper', true), 'alpaca-live', true);
    s = applyArmed(s, { venue: 'paper', armed: true });
    s = applyArmed(s, { venue: 'alpaca-live', armed: true });
    expect(s.armed).toEqual(['paper', 'alpaca-live']);
    expect(applyArmed(s, { venue: 'paper', armed: true })).toBe(s);
    s = applyArmed(s, { venue: 'paper', armed: false });
    expect([clickMode(s, 'paper'), clickMode(s, 'alpaca-live')]).toEqual(['confirm', 'place']);
    // The engine's status replaces the list, except an account an event told about since it was asked.
    expect(applyStatus(s, ['paper'], new Set()).armed).toEqual(['paper']);
    expect(applyStatus(s, ['paper'], new Set(['alpaca-live'])).armed).toEqual(['alpaca-live', 'paper']);
    expect(applyStatus(s, ['paper', 'alpaca-live'], new Set(['paper'])).armed).toEqual(['alpaca-live']);
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
  /** A scripted engine: answers arm/disarm and, like the real one, tells the change as an event. */
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
    let armedNow: string[] = [];
    let tell: (e: EngineEvent) => void = () => undefined;
    const engine = async (venue: string, armed: boolean): Promise<Result<OneClickArmed>> => {
      arms.push([venue, armed]);
      if (armed && engineRefuses) return { ok: false, error: { code: 'halted', message: engineRefuses } };
      armedNow = armed ? [...armedNow.filter((v) => v !== venue), venue] : armedNow.filter((v) => v !== venue);
      tell({ type: 'oneClick', venue, armed, at: 1 });
      return { ok: true, value: { venue, armed, at: 1 } };
    };
    const store = createOneClickStore(storage, engine);
    const feed = oneClickFeed(store, async () => ({ ok: true, value: { armed: armedNow.map((venue) => ({ venue, armed: true, at: 1 })) } }));
    tell = (e) => feed.onEvents([e]);
    return { store, kept, arms, feed, setArmed: (v: string[]) => (armedNow = v) };
  }

  it('opting in is saved before arming; arming and disarming reach the engine and the screen follows its events', async () => {
    const { store, kept, arms, feed } = rig();
    expect(await store.getState().toggleArm(live)).toEqual({ ok: false, message: expect.stringContaining('One-click is off') });
    expect(arms).toEqual([]);
    await store.getState().optIn('paper', true);
    expect(JSON.parse(kept.get(ONE_CLICK_KEY)!)).toEqual({ venues: ['paper'], presets: ['1', '5', '10'] });
    expect(await store.getState().toggleArm(live)).toEqual({ ok: true });
    expect(store.getState().armed).toEqual(['paper']);
    // The engine disarms by itself (kill switch): its event disarms the screen.
    feed.onEvents([{ type: 'oneClick', venue: 'paper', armed: false, at: 2, reason: 'kill switch tripped' }]);
    expect(store.getState().armed).toEqual([]);
    expect(await store.getState().toggleArm(live)).toEqual({ ok: true });
    expect(await store.getState().toggleArm(live)).toEqual({ ok: true });
    expect(arms).toEqual([
      ['paper', true],
      ['paper', true],
      ['paper', false],
    ]);
  });

  it('opting out of an armed account asks the engine to disarm it', async () => {
    const { store, arms } = rig();
    await store.getState().optIn('paper', true);
    await store.getState().toggleArm(live);
    await store.getState().optIn('paper', false);
    expect(arms.at(-1)).toEqual(['paper', false]);
    expect(store.getState().armed).toEqual([]);
  });

  it('stays disarmed when the engine refuses to arm', async () => {
    const { store } = rig('The kill switch is halted: one-click cannot be armed until it is reset.');
    await store.getState().optIn('paper', true);
    expect(await store.getState().toggleArm(live)).toEqual({ ok: false, message: expect.stringContaining('halted') });
    expect(store.getState().armed).toEqual([]);
  });

  it('reads the armed accounts from the engine, not from storage', async () => {
    const { store, feed, setArmed } = rig();
    setArmed(['paper', 'kraken']);
    await feed.load();
    expect(store.getState().armed).toEqual(['paper', 'kraken']);
    setArmed([]);
    await feed.load();
    expect(store.getState().armed).toEqual([]);
    const kept = new Map([[ONE_CLICK_KEY, JSON.stringify({ venues: ['paper'], presets: ['3'], armed: 'paper' })]]);
    const fresh = createOneClickStore({ getItem: (k) => kept.get(k) ?? null, saveNow: async () => undefined }, async (venue, armed) => ({ ok: true, value: { venue, armed, at: 0 } }));
    // A stored document with an unknown field is junk to the strict schema: one-click stays off.
    expect(fresh.getState()).toMatchObject({ armed: [], prefs: DEFAULT_ONE_CLICK });
  });

  it('an event that arrives while the status is on its way wins for its account', async () => {
    const store = createOneClickStore({ getItem: () => null, saveNow: async () => undefined }, async (venue, armed) => ({ ok: true, value: { venue, armed, at: 0 } }));
    let answer: (r: Result<OneClickStatus>) => void = () => undefined;
    const feed = oneClickFeed(store, () => new Promise((res) => (answer = res)));
    const loading = feed.load();
    feed.onEvents([{ type: 'oneClick', venue: 'paper', armed: false, at: 5, reason: 'kill switch tripped' }]);
    answer({ ok: true, value: { armed: [{ venue: 'paper', armed: true, at: 1 }] } });
    await loading;
    expect(store.getState().armed).toEqual([]);
  });
});
