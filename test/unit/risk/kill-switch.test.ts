import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src-main/engine/ports/clock';
import { KILL_SWITCH_UNREADABLE_REASON, KillSwitch, type KillSwitchChange } from '../../../src-main/engine/risk/kill-switch';

function make() {
  const clock = new ManualClock(1_000);
  const ks = new KillSwitch({ clock });
  const changes: KillSwitchChange[] = [];
  ks.onChange((c) => changes.push(c));
  return { clock, ks, changes };
}

describe('KillSwitch', () => {
  it('starts running and lets every order through', () => {
    const { ks } = make();
    expect(ks.state).toBe('running');
    expect(ks.allows(false)).toBe(true);
    expect(ks.allows(true)).toBe(true);
  });

  it('trip(halted) blocks everything and records why, who and when', () => {
    const { ks, changes } = make();
    const r = ks.trip({ reason: 'manual: hotkey', mode: 'halted', actor: 'user', flatten: true });
    expect(r.ok && r.value.changed).toBe(true);
    expect(ks.allows(false)).toBe(false);
    expect(ks.allows(true)).toBe(false);
    expect(ks.snapshot()).toMatchObject({ state: 'halted', reason: 'manual: hotkey', actor: 'user', trippedAt: 1_000, flatten: true, flattenPending: true });
    expect(changes.map((c) => [c.kind, c.from, c.to])).toEqual([['trip', 'running', 'halted']]);
  });

  it('trip(reducing) lets only reducing orders through; tightening to halted is allowed', () => {
    const { ks, clock, changes } = make();
    ks.trip({ reason: 'daily loss', mode: 'reducing', actor: 'system' });
    expect(ks.allows(true)).toBe(true);
    expect(ks.allows(false)).toBe(false);
    clock.advance(5_000);
    ks.trip({ reason: 'manual', mode: 'halted', actor: 'user' });
    expect(ks.state).toBe('halted');
    expect(ks.snapshot().trippedAt).toBe(1_000);
    expect(changes.map((c) => c.kind)).toEqual(['trip', 'escalate']);
  });

  it('a trip can never loosen a halt', () => {
    const { ks, changes } = make();
    ks.trip({ reason: 'manual', mode: 'halted', actor: 'user' });
    const r = ks.trip({ reason: 'loop', mode: 'reducing', actor: 'strategy' });
    expect(r.ok && r.value.changed).toBe(false);
    expect(r.ok && r.value.note).toMatch(/reset the kill switch first/);
    expect(ks.state).toBe('halted');
    expect(changes).toHaveLength(1);
  });

  it('adds flatten to an existing trip without changing the state', () => {
    const { ks, changes } = make();
    ks.trip({ reason: 'manual', mode: 'reducing', actor: 'user' });
    ks.trip({ reason: 'flatten too', mode: 'reducing', actor: 'user', flatten: true });
    expect(ks.snapshot()).toMatchObject({ state: 'reducing', flatten: true, flattenPending: true });
    ks.flattenCompleted('system');
    expect(ks.snapshot().flattenPending).toBe(false);
    expect(changes.map((c) => c.kind)).toEqual(['trip', 'flatten', 'flatten_done']);
  });

  it('reset needs confirm:true and an actor, then returns to running', () => {
    const { ks, clock, changes } = make();
    ks.trip({ reason: 'manual', mode: 'halted', actor: 'user' });
    const refused = ks.reset({ confirm: false, actor: 'user' });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error.message).toMatch(/--confirm/);
    expect(ks.state).toBe('halted');
    // A JSON payload with confirm: "yes" is not a confirmation.
    expect(ks.reset({ confirm: 'yes' as unknown as boolean, actor: 'user' }).ok).toBe(false);
    expect(ks.reset({ confirm: true, actor: ' ' }).ok).toBe(false);
    expect(ks.state).toBe('halted');
    clock.advance(60_000);
    const r = ks.reset({ confirm: true, actor: 'cli', note: 'checked positions' });
    expect(r.ok && r.value.changed).toBe(true);
    expect(ks.snapshot()).toMatchObject({ state: 'running', reason: null, flatten: false, lastReset: { actor: 'cli', at: 61_000, note: 'checked positions' } });
    expect(changes.map((c) => [c.kind, c.to])).toEqual([
      ['trip', 'halted'],
      ['reset', 'running'],
    ]);
  });

  it('refuses a trip without a reason or actor', () => {
    const { ks } = make();
    expect(ks.trip({ reason: '  ', mode: 'halted', actor: 'user' }).ok).toBe(false);
    expect(ks.trip({ reason: 'x', mode: 'halted', actor: '' }).ok).toBe(false);
    expect(ks.trip({ reason: 'x', mode: 'stop' as never, actor: 'u' }).ok).toBe(false);
    expect(ks.state).toBe('running');
  });

  it('a throwing listener does not stop the trip or the other listeners', () => {
    const clock = new ManualClock();
    const errors: unknown[] = [];
    const ks = new KillSwitch({ clock, onListenerError: (e) => errors.push(e) });
    const seen: string[] = [];
    ks.onChange(() => {
      throw new Error('boom');
    });
    const off = ks.onChange((c) => seen.push(c.to));
    ks.trip({ reason: 'r', mode: 'halted', actor: 'u' });
    expect(ks.state).toBe('halted');
    expect(seen).toEqual(['halted']);
    expect(errors).toHaveLength(1);
    off();
    ks.reset({ confirm: true, actor: 'u' });
    expect(seen).toEqual(['halted']);
  });

  it('survives a restart through JSON', () => {
    const { ks } = make();
    ks.trip({ reason: 'daily loss', mode: 'reducing', actor: 'system', flatten: true });
    const persisted = JSON.stringify(ks);
    const restored = KillSwitch.fromJSON(persisted, { clock: new ManualClock(99_000) });
    expect(restored.snapshot()).toEqual(ks.snapshot());
    expect(restored.allows(false)).toBe(false);
    expect(restored.allows(true)).toBe(true);
    expect(KillSwitch.fromJSON(JSON.parse(JSON.stringify(new KillSwitch({ clock: new ManualClock() }))), { clock: new ManualClock() }).state).toBe('running');
  });

  it('restores unreadable or inconsistent state as halted, never running', () => {
    for (const raw of [
      '{not json',
      null,
      { state: 'running' },
      { version: 1, state: 'running', reason: 'tripped?', actor: null, trippedAt: null, flatten: false, flattenPending: false, lastReset: null },
      { version: 1, state: 'paused', reason: 'x', actor: 'u', trippedAt: 1, flatten: false, flattenPending: false, lastReset: null },
    ]) {
      const ks = KillSwitch.fromJSON(raw, { clock: new ManualClock(5) });
      expect(ks.state, JSON.stringify(raw)).toBe('halted');
      expect(ks.snapshot().reason).toBe(KILL_SWITCH_UNREADABLE_REASON);
      expect(ks.snapshot().trippedAt).toBe(5);
    }
  });
});
