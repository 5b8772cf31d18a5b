import { describe, expect, it } from 'vitest';
import { actionOf, chordLabel, chordOf, chordShort, DEFAULT_BINDINGS, HOTKEYS, normalizeChord, parseBindings, remap, type KeyPress } from '../../../src-renderer/src/features/hotkeys/hotkeys-model';
import { HOTKEYS_KEY, createHotkeysStore } from '../../../src-renderer/src/features/hotkeys/hotkeys-store';
import { hotkeyAction } from '../../../src-renderer/src/features/ticket/hotkeys';
import { isKillSwitchHotkey } from '../../../src-renderer/src/features/safety/safety-model';

const key = (k: string, m: Partial<KeyPress> = {}): KeyPress => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...m });
const memory = (init: Record<string, string> = {}) => {
  const mem = new Map(Object.entries(init));
  return { mem, storage: { getItem: (k: string) => mem.get(k) ?? null, setItem: (k: string, v: string) => void mem.set(k, v) } };
};

describe('chords', () => {
  it('reads a key press as a canonical chord: letters upper-case, ⌘ as Ctrl, Shift kept for letters and named keys only', () => {
    expect(chordOf(key('b'))).toBe('B');
    expect(chordOf(key('B'))).toBe('B');
    expect(chordOf(key('B', { shiftKey: true }))).toBe('Shift+B');
    expect(chordOf(key('Enter', { metaKey: true }))).toBe('Ctrl+Enter');
    expect(chordOf(key('K', { ctrlKey: true, shiftKey: true }))).toBe('Ctrl+Shift+K');
    expect(chordOf(key('?', { shiftKey: true }))).toBe('?');
    expect(chordOf(key('Enter', { shiftKey: true }))).toBe('Shift+Enter');
    expect(chordOf(key(' '))).toBe('Space');
    expect(chordOf(key('F2', { altKey: true }))).toBe('Alt+F2');
    for (const m of ['Control', 'Shift', 'Meta', 'Alt']) expect(chordOf(key(m, { shiftKey: true }))).toBeUndefined();
  });
  it('reads a letter from the physical key on a non-Latin layout', () => {
    expect(chordOf(key('л', { code: 'KeyK', ctrlKey: true, shiftKey: true }))).toBe('Ctrl+Shift+K');
    expect(chordOf(key('и', { code: 'KeyB' }))).toBe('B');
    expect(chordOf(key('/', { code: 'Slash' }))).toBe('/');
  });
  it('normalizes typed chords, shows them short, and refuses junk', () => {
    expect(normalizeChord('ctrl+shift+k')).toBe('Ctrl+Shift+K');
    expect(normalizeChord('Cmd+Enter')).toBe('Ctrl+Enter');
    expect(normalizeChord('Ctrl++')).toBe('Ctrl++');
    expect(normalizeChord('Hyper+K')).toBeUndefined();
    expect(normalizeChord('')).toBeUndefined();
    expect(chordLabel('Escape')).toBe('Esc');
    expect(chordLabel('Ctrl+Shift+K')).toBe('Ctrl+Shift+K');
    expect(chordLabel('')).toBe('—');
    expect(chordShort('Ctrl+Enter')).toBe('⌃⏎');
    expect(chordShort('Alt+Shift+B')).toBe('⌥⇧B');
  });
});

describe('remapping', () => {
  it('keeps B/S/Enter/Ctrl+Enter/Esc/Ctrl+Shift+K as the defaults, every action bound once', () => {
    expect(DEFAULT_BINDINGS).toMatchObject({ buy: 'B', sell: 'S', preview: 'Enter', place: 'Ctrl+Enter', clear: 'Escape', 'kill-switch': 'Ctrl+Shift+K', help: '?' });
    const chords = HOTKEYS.map((h) => DEFAULT_BINDINGS[h.id]);
    expect(new Set(chords).size).toBe(chords.length);
  });
  it('moves an action to a free key', () => {
    const r = remap(DEFAULT_BINDINGS, 'buy', 'F2');
    expect(r).toEqual({ ok: true, bindings: { ...DEFAULT_BINDINGS, buy: 'F2' } });
    if (r.ok) expect(actionOf(r.bindings, 'F2')).toBe('buy');
    if (r.ok) expect(actionOf(r.bindings, 'B')).toBeUndefined();
  });
  it('refuses a key another action has, naming that action', () => {
    expect(remap(DEFAULT_BINDINGS, 'buy', 'S')).toEqual({ ok: false, message: 'S is already “Sell side”. Change that one first.' });
    expect(remap(DEFAULT_BINDINGS, 'preview', 'Ctrl+Enter')).toMatchObject({ ok: false, message: expect.stringContaining('“Place order”') });
  });
  it('refuses keys the browser owns, keys typed into numbers, and a kill switch without Ctrl or Alt', () => {
    expect(remap(DEFAULT_BINDINGS, 'place', 'Ctrl+C')).toEqual({ ok: false, message: 'Ctrl+C is Copy; pick another key.' });
    expect(remap(DEFAULT_BINDINGS, 'buy', 'Tab')).toMatchObject({ ok: false });
    expect(remap(DEFAULT_BINDINGS, 'buy', '1')).toMatchObject({ ok: false, message: expect.stringContaining('typed into quantities and prices') });
    expect(remap(DEFAULT_BINDINGS, 'sell', '.')).toMatchObject({ ok: false });
    expect(remap(DEFAULT_BINDINGS, 'buy', 'Alt+1')).toMatchObject({ ok: true });
    expect(remap(DEFAULT_BINDINGS, 'kill-switch', 'F9')).toMatchObject({ ok: false, message: expect.stringContaining('needs Ctrl or Alt') });
    expect(remap(DEFAULT_BINDINGS, 'kill-switch', 'Shift+K')).toMatchObject({ ok: false });
    expect(remap(DEFAULT_BINDINGS, 'kill-switch', 'Ctrl+Alt+X')).toMatchObject({ ok: true });
    expect(remap(DEFAULT_BINDINGS, 'buy', 'Nonsense+B')).toMatchObject({ ok: false, message: expect.stringContaining('not a key') });
  });
  it('a remapped key drives the ticket actions and the kill switch; the old key no longer does', () => {
    const r = remap(DEFAULT_BINDINGS, 'buy', 'F2');
    const k = remap(DEFAULT_BINDINGS, 'kill-switch', 'Ctrl+Alt+X');
    if (!r.ok || !k.ok) throw new Error('remap refused');
    const other = { inTicket: false, kind: 'other' } as const;
    expect(hotkeyAction(key('F2'), other, false, r.bindings)).toBe('buy');
    expect(hotkeyAction(key('b'), other, false, r.bindings)).toBeUndefined();
    expect(hotkeyAction(key('?', { shiftKey: true }), other, false, r.bindings)).toBe('help');
    expect(hotkeyAction(key('?', { shiftKey: true }), { inTicket: true, kind: 'letters' }, false, r.bindings)).toBeUndefined();
    expect(isKillSwitchHotkey(key('x', { ctrlKey: true, altKey: true, code: 'KeyX' }), k.bindings['kill-switch'])).toBe(true);
    expect(isKillSwitchHotkey(key('k', { ctrlKey: true, shiftKey: true, code: 'KeyK' }), k.bindings['kill-switch'])).toBe(false);
  });
});

describe('stored bindings', () => {
  it('round-trip through the store and survive a restart; a refused change is not saved', () => {
    const { mem, storage } = memory();
    const s = createHotkeysStore(storage);
    expect(s.getState().remap('sell', 'F3')).toMatchObject({ ok: true });
    expect(s.getState().remap('buy', 'F3')).toMatchObject({ ok: false });
    expect(JSON.parse(mem.get(HOTKEYS_KEY)!)).toMatchObject({ buy: 'B', sell: 'F3' });
    expect(createHotkeysStore(storage).getState().bindings).toEqual({ ...DEFAULT_BINDINGS, sell: 'F3' });
    s.getState().resetAll();
    expect(createHotkeysStore(storage).getState().bindings).toEqual(DEFAULT_BINDINGS);
  });
  it('a damaged or hand-edited file never leaves two actions on one key nor a refused key', () => {
    expect(parseBindings('{not json')).toEqual(DEFAULT_BINDINGS);
    expect(parseBindings('[1]')).toEqual(DEFAULT_BINDINGS);
    expect(parseBindings(JSON.stringify({ buy: 'Ctrl+C', sell: 7, 'kill-switch': 'K' }))).toEqual(DEFAULT_BINDINGS);
    const clash = parseBindings(JSON.stringify({ buy: 'F2', sell: 'F2' }));
    expect(clash).toMatchObject({ buy: 'F2', sell: 'S' });
    const stolen = parseBindings(JSON.stringify({ buy: 'S' }));
    expect(stolen.buy).toBe('S');
    expect(stolen.sell).toBe('');
    expect(actionOf(stolen, 'S')).toBe('buy');
  });
  it('blocked storage still gives working defaults', () => {
    const s = createHotkeysStore({
      getItem: () => {
        throw new Error('blocked');
      },
      setItem: () => {
        throw new Error('blocked');
      },
    });
    expect(s.getState().bindings).toEqual(DEFAULT_BINDINGS);
    expect(s.getState().remap('buy', 'F2')).toMatchObject({ ok: true });
    expect(s.getState().bindings.buy).toBe('F2');
  });
});
