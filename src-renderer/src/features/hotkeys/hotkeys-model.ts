/**
 * Every hotkey of the window, remappable. Pure: bindings in, bindings out (tested in Node).
 *
 * A chord is a canonical string: modifiers in the order Ctrl, Alt, Shift, then the key — `B`,
 * `Shift+B`, `Ctrl+Enter`, `Ctrl+Shift+K`, `Escape`, `F2`, `?`. ⌘ counts as Ctrl (macOS). Shift
 * is part of a typed symbol (`?` is Shift+/ on most layouts), so it is only kept for letters and
 * named keys. A letter typed on a non-Latin layout is read from the physical key (`KeyK` → K).
 *
 * Remapping refuses, with the reason in words: a chord another action has, a chord the browser or
 * the OS owns (copy, paste, reload, Tab…), a key typed into quantities and prices (digits, `.`,
 * `-`…), and a kill switch without Ctrl or Alt (it works inside text fields, so it must never be
 * a plain key).
 */

import { parseStored } from '../../store/local-storage';

export type HotkeyId = 'buy' | 'sell' | 'preview' | 'place' | 'clear' | 'focus-symbol' | 'kill-switch' | 'help';

export interface HotkeyInfo {
  readonly id: HotkeyId;
  readonly label: string;
  readonly help: string;
}

export const HOTKEYS: readonly HotkeyInfo[] = [
  { id: 'buy', label: 'Buy side', help: 'Set the ticket to Buy' },
  { id: 'sell', label: 'Sell side', help: 'Set the ticket to Sell' },
  { id: 'preview', label: 'Preview order', help: 'Check the ticket with the engine (risk, cost) before placing' },
  { id: 'place', label: 'Place order', help: 'Send the previewed order' },
  { id: 'clear', label: 'Clear ticket', help: 'Clear the ticket and its preview' },
  { id: 'focus-symbol', label: 'Symbol search', help: 'Jump to the ticket’s symbol box' },
  { id: 'kill-switch', label: 'Kill switch', help: 'Cancel every working order and halt new ones; works from anywhere, text fields included' },
  { id: 'help', label: 'Hotkey list', help: 'Show this list' },
];

export type Bindings = Readonly<Record<HotkeyId, string>>;

export const DEFAULT_BINDINGS: Bindings = {
  buy: 'B',
  sell: 'S',
  preview: 'Enter',
  place: 'Ctrl+Enter',
  clear: 'Escape',
  'focus-symbol': '/',
  'kill-switch': 'Ctrl+Shift+K',
  help: '?',
};

/** Keys that stay fixed whatever the bindings: listed in the help overlay, never remappable. */
export const FIXED_KEYS: ReadonlyArray<{ readonly chord: string; readonly label: string }> = [
  { chord: 'Escape', label: 'Close the open dialog (in a dialog)' },
  { chord: 'Enter', label: 'Confirm the open dialog (in a dialog)' },
  { chord: 'Tab', label: 'Next field' },
];

export interface KeyPress {
  readonly key: string;
  readonly code?: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey: boolean;
}

const MODIFIER_KEYS = new Set(['Control', 'Meta', 'Alt', 'Shift', 'AltGraph', 'CapsLock', 'OS', 'Dead', 'Unidentified', 'Process']);
const KEY_NAMES: Readonly<Record<string, string>> = { ' ': 'Space', Esc: 'Escape', Spacebar: 'Space', Up: 'ArrowUp', Down: 'ArrowDown', Left: 'ArrowLeft', Right: 'ArrowRight' };

/** The chord a key press makes; undefined for a modifier pressed alone. */
export function chordOf(e: KeyPress): string | undefined {
  let key = KEY_NAMES[e.key] ?? e.key;
  if (!key || MODIFIER_KEYS.has(key)) return undefined;
  const physical = /^Key([A-Z])$/.exec(e.code ?? '');
  if (key.length === 1 && !/[a-z]/i.test(key) && physical && (e.ctrlKey || e.metaKey || e.altKey || !/[\x20-\x7e]/.test(key))) key = physical[1]!;
  const letter = /^[a-z]$/i.test(key);
  const named = key.length > 1;
  if (letter) key = key.toUpperCase();
  const mods: string[] = [];
  if (e.ctrlKey || e.metaKey) mods.push('Ctrl');
  if (e.altKey) mods.push('Alt');
  if (e.shiftKey && (letter || named)) mods.push('Shift');
  return [...mods, key].join('+');
}

/** A stored or typed chord in canonical form; undefined when it is not one. */
export function normalizeChord(s: string): string | undefined {
  if (typeof s !== 'string' || s.length === 0 || s.length > 40) return undefined;
  const parts = s === '+' ? ['+'] : s.endsWith('++') ? [...s.slice(0, -2).split('+'), '+'] : s.split('+');
  const key = parts.pop();
  if (!key) return undefined;
  const mods = new Set(parts.map((m) => m.toLowerCase()));
  for (const m of mods) if (!['ctrl', 'alt', 'shift', 'meta', 'cmd'].includes(m)) return undefined;
  return chordOf({ key, ctrlKey: mods.has('ctrl'), metaKey: mods.has('meta') || mods.has('cmd'), altKey: mods.has('alt'), shiftKey: mods.has('shift') });
}

const SHOWN: Readonly<Record<string, string>> = { Escape: 'Esc', ArrowUp: '↑', ArrowDown: '↓', ArrowLeft: '←', ArrowRight: '→' };

/** How a chord is shown: `Ctrl+Enter`, `Esc`, `Ctrl+Shift+K`. */
export function chordLabel(chord: string): string {
  if (!chord) return '—';
  const parts = chord === '+' ? ['+'] : chord.endsWith('++') ? [...chord.slice(0, -2).split('+'), '+'] : chord.split('+');
  const key = parts.pop()!;
  return [...parts, SHOWN[key] ?? key].join('+');
}

/** The compact form for tight spaces (the ticket's head): `⌃⏎`, `⇧B`, `Esc`. */
export function chordShort(chord: string): string {
  return chordLabel(chord)
    .replace(/Ctrl\+/g, '⌃')
    .replace(/Alt\+/g, '⌥')
    .replace(/Shift\+/g, '⇧')
    .replace(/Enter$/, '⏎');
}

const RESERVED: Readonly<Record<string, string>> = {
  Tab: 'moves between fields',
  'Shift+Tab': 'moves between fields',
  'Ctrl+C': 'is Copy',
  'Ctrl+V': 'is Paste',
  'Ctrl+X': 'is Cut',
  'Ctrl+A': 'is Select all',
  'Ctrl+Z': 'is Undo',
  'Ctrl+Y': 'is Redo',
  'Ctrl+Shift+Z': 'is Redo',
  'Ctrl+R': 'reloads the window',
  'Ctrl+Shift+R': 'reloads the window',
  F5: 'reloads the window',
  'Ctrl+W': 'closes the window',
  'Ctrl+Q': 'quits the app',
  'Ctrl+Shift+I': 'opens the developer tools',
  F11: 'is full screen',
  F12: 'opens the developer tools',
  'Ctrl+=': 'zooms in',
  'Ctrl+-': 'zooms out',
  'Ctrl+0': 'resets the zoom',
  'Alt+F4': 'closes the window',
  Space: 'presses the focused button',
  Backspace: 'deletes in text fields',
  Delete: 'deletes in text fields',
  ArrowUp: 'moves in lists and fields',
  ArrowDown: 'moves in lists and fields',
  ArrowLeft: 'moves in text fields',
  ArrowRight: 'moves in text fields',
};

/** Typed into quantities and prices (which take hotkeys while focused): never a plain hotkey. */
const TYPED_IN_NUMBERS = /^[0-9.,\-+]$/;

export type RemapResult = { readonly ok: true; readonly bindings: Bindings } | { readonly ok: false; readonly message: string };

/** Why `chord` cannot be `id`'s hotkey under `bindings`; undefined when it can. */
export function refusal(bindings: Bindings, id: HotkeyId, chord: string): string | undefined {
  const shown = chordLabel(chord);
  const owner = HOTKEYS.find((h) => h.id !== id && bindings[h.id] === chord);
  if (owner) return `${shown} is already “${owner.label}”. Change that one first.`;
  if (RESERVED[chord]) return `${shown} ${RESERVED[chord]}; pick another key.`;
  if (TYPED_IN_NUMBERS.test(chord)) return `${shown} is typed into quantities and prices; add Ctrl or Alt, or pick another key.`;
  if (id === 'kill-switch' && !/^(Ctrl|Alt)\+/.test(chord)) return `The kill switch works inside text fields, so it needs Ctrl or Alt (${shown} alone would fire while typing).`;
  return undefined;
}

export function remap(bindings: Bindings, id: HotkeyId, chord: string): RemapResult {
  const c = normalizeChord(chord);
  if (!c) return { ok: false, message: `“${chord}” is not a key this app can read.` };
  if (bindings[id] === c) return { ok: true, bindings };
  const why = refusal(bindings, id, c);
  return why ? { ok: false, message: why } : { ok: true, bindings: { ...bindings, [id]: c } };
}

/** The action bound to a chord. */
export function actionOf(bindings: Bindings, chord: string | undefined): HotkeyId | undefined {
  if (!chord) return undefined;
  return HOTKEYS.find((h) => bindings[h.id] === chord)?.id;
}

/**
 * Stored bindings (JSON). Each entry is taken when it is a valid chord for its action and does not
 * clash with one taken before it; anything else keeps its default (or is left unbound when the
 * default is already taken), so a damaged file never leaves two actions on one key.
 */
export function parseBindings(raw: string | null | undefined): Bindings {
  const v = parseStored(raw);
  if (!v || typeof v !== 'object') return DEFAULT_BINDINGS;
  const stored = v as Record<string, unknown>;
  const out: Record<string, string> = {};
  const taken = (c: string) => Object.values(out).includes(c);
  for (const h of HOTKEYS) {
    const s = stored[h.id];
    const c = typeof s === 'string' ? normalizeChord(s) : undefined;
    if (c && !taken(c) && refusal(out as Bindings, h.id, c) === undefined) out[h.id] = c;
  }
  for (const h of HOTKEYS) if (out[h.id] === undefined) out[h.id] = taken(DEFAULT_BINDINGS[h.id]) ? '' : DEFAULT_BINDINGS[h.id];
  return out as Bindings;
}
