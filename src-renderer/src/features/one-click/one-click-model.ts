/**
 * One-click trading on the ladder. Off by default; the trader opts an account (a venue: the engine
 * runs one account per venue) in (a saved preference, audited by the engine), then ARMS it for the
 * session. The armed state is the engine's (risk/one-click-arming.ts): this screen only shows what
 * the engine says (`oneClick.status`, then `oneClick` events), so a kill-switch trip, a lost venue or
 * an engine restart disarms every window at once. Only while the ticket's account is armed does a
 * ladder click place at once (`oneClick: true`, refused by the engine when not armed); every other
 * click stages and previews, and Place confirms. Risk checks and the venue's mode
 * (SHADOW/CANARY/LIVE) apply to a one-click order exactly as to any other. Size presets set the
 * ticket's quantity.
 *
 * Pure: state in, state out (tested in Node).
 */
import { oneClickPresetSchema, oneClickPrefsSchema, MAX_ONE_CLICK_PRESETS, type OneClickPrefs } from '../../../../src-main/engine/api/desk-prefs';
import type { HaltState } from '../../../../src-main/engine/domain/kill-switch-state';
import { parseStored } from '../../store/local-storage';

export const DEFAULT_ONE_CLICK: OneClickPrefs = { venues: [], presets: ['1', '5', '10'] };

export interface OneClickState {
  readonly prefs: OneClickPrefs;
  /** The accounts the engine says are armed now; never kept by the screen across a reload. */
  readonly armed: readonly string[];
}

export const initialOneClick = (prefs: OneClickPrefs = DEFAULT_ONE_CLICK): OneClickState => ({ prefs, armed: [] });

export function parseOneClick(raw: string | null | undefined): OneClickPrefs {
  const r = oneClickPrefsSchema.safeParse(parseStored(raw) ?? {});
  return r.success ? r.data : DEFAULT_ONE_CLICK;
}

export const optedIn = (p: OneClickPrefs, venue: string): boolean => p.venues.includes(venue);

export const isArmed = (s: OneClickState, venue: string | undefined): boolean => venue !== undefined && s.armed.includes(venue);

/** Turns one-click on or off for an account (its opt-in only: turning it off also asks the engine to disarm it, see the store). */
export function optIn(s: OneClickState, venue: string, on: boolean): OneClickState {
  const venues = on ? (optedIn(s.prefs, venue) ? s.prefs.venues : [...s.prefs.venues, venue]) : s.prefs.venues.filter((v) => v !== venue);
  return { ...s, prefs: { ...s.prefs, venues } };
}

export type PresetsEdit = { readonly ok: true; readonly state: OneClickState } | { readonly ok: false; readonly message: string };

/** Size presets as typed: "1, 5, 10". Each a quantity above 0; at most six. */
export function setPresets(s: OneClickState, typed: string): PresetsEdit {
  const list = typed
    .split(/[\s,;]+/)
    .map((x) => x.trim())
    .filter((x) => x !== '');
  if (list.length === 0) return { ok: false, message: 'Give at least one size, e.g. 1, 5, 10.' };
  if (list.length > MAX_ONE_CLICK_PRESETS) return { ok: false, message: `At most ${MAX_ONE_CLICK_PRESETS} sizes.` };
  for (const x of list) {
    const r = oneClickPresetSchema.safeParse(x);
    if (!r.success) return { ok: false, message: `“${x}”: ${r.error.issues[0]?.message ?? 'not a size'}.` };
  }
  return { ok: true, state: { ...s, prefs: { ...s.prefs, presets: list } } };
}

export interface ArmContext {
  readonly venue: string | undefined;
  readonly connected: boolean;
  readonly killSwitch: HaltState | undefined;
}

/** Why arming `ctx.venue` is not possible now; undefined when it is. */
export function armBlock(s: OneClickState, ctx: ArmContext): string | undefined {
  if (!ctx.venue) return 'Pick an instrument first.';
  if (!optedIn(s.prefs, ctx.venue)) return `One-click is off for ${ctx.venue}: turn it on in the one-click settings first.`;
  if (!ctx.connected) return `${ctx.venue} is not connected.`;
  if (ctx.killSwitch !== undefined && ctx.killSwitch !== 'running') return `The kill switch is ${ctx.killSwitch}.`;
  return undefined;
}

/** What the engine said about one account (an `oneClick` event, in stream order). */
export function applyArmed(s: OneClickState, e: { readonly venue: string; readonly armed: boolean }): OneClickState {
  if (e.armed === s.armed.includes(e.venue)) return s;
  return { ...s, armed: e.armed ? [...s.armed, e.venue] : s.armed.filter((v) => v !== e.venue) };
}

/** The engine's whole armed list (`oneClick.status`), except accounts an event told about since it was asked for (the event is newer). */
export function applyStatus(s: OneClickState, armed: readonly string[], toldSince: ReadonlySet<string>): OneClickState {
  const kept = s.armed.filter((v) => toldSince.has(v));
  const fresh = armed.filter((v) => !toldSince.has(v));
  return { ...s, armed: [...kept, ...fresh] };
}

/** What a ladder click on `venue` does: place at once only when that very account is armed (and opted in). */
export const clickMode = (s: OneClickState, venue: string | undefined): 'place' | 'confirm' => (isArmed(s, venue) && optedIn(s.prefs, venue!) ? 'place' : 'confirm');
