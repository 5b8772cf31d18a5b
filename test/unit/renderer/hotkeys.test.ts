import { describe, expect, it } from 'vitest';
import { hotkeyAction, type Focus, type KeyPress } from '../../../src-renderer/src/features/ticket/hotkeys';

const key = (k: string, m: Partial<KeyPress> = {}): KeyPress => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...m });
const at = (kind: Focus['kind'], inTicket = false): Focus => ({ inTicket, kind });

describe('hotkeys work wherever focus is, except where the key means something else', () => {
  it('from a quote row, a tab or a blotter button: B/S side, Ctrl+Enter place', () => {
    for (const f of [at('other'), at('button')]) {
      expect(hotkeyAction(key('b'), f, false)).toBe('buy');
      expect(hotkeyAction(key('S'), f, false)).toBe('sell');
      expect(hotkeyAction(key('Enter', { ctrlKey: true }), f, false)).toBe('place');
      expect(hotkeyAction(key('Enter', { metaKey: true }), f, false)).toBe('place');
    }
    expect(hotkeyAction(key('Enter'), at('other'), false)).toBe('preview');
  });
  it('a focused button keeps its own Enter; the ticket side buttons preview', () => {
    expect(hotkeyAction(key('Enter'), at('button'), false)).toBeUndefined();
    expect(hotkeyAction(key('Enter'), at('side-button', true), false)).toBe('preview');
  });
  it('text boxes and selects outside the ticket keep every key', () => {
    for (const f of [at('letters'), at('number'), at('select')]) {
      expect(hotkeyAction(key('b'), f, false)).toBeUndefined();
      expect(hotkeyAction(key('Enter'), f, false)).toBeUndefined();
      expect(hotkeyAction(key('Enter', { ctrlKey: true }), f, false)).toBeUndefined();
      expect(hotkeyAction(key('Escape'), f, false)).toBeUndefined();
    }
  });
  it('in the ticket: the symbol box and selects keep letters, Enter previews, Ctrl+Enter places', () => {
    expect(hotkeyAction(key('s'), at('letters', true), false)).toBeUndefined();
    expect(hotkeyAction(key('s'), at('select', true), false)).toBeUndefined();
    expect(hotkeyAction(key('s'), at('number', true), false)).toBe('sell');
    expect(hotkeyAction(key('Enter'), at('select', true), false)).toBe('preview');
    expect(hotkeyAction(key('Enter', { ctrlKey: true }), at('letters', true), false)).toBe('place');
    expect(hotkeyAction(key('Escape'), at('number', true), false)).toBe('clear');
  });
  it('an open dialog owns the keyboard', () => {
    expect(hotkeyAction(key('Enter', { ctrlKey: true }), at('other'), true)).toBeUndefined();
    expect(hotkeyAction(key('b'), at('other'), true)).toBeUndefined();
  });
  it('Alt/Shift+Enter and Ctrl+letters are left alone', () => {
    expect(hotkeyAction(key('Enter', { shiftKey: true }), at('other'), false)).toBeUndefined();
    expect(hotkeyAction(key('b', { ctrlKey: true }), at('other'), false)).toBeUndefined();
  });
});
