/**
 * One-click trading on the ladder. Off by default; the trader opts a venue in (a saved preference,
 * audited by the engine), then ARMS it for the session (audited too). Only while the ticket's
 * venue is armed does a ladder click place at once; every other click stages and previews, and
 * Place confirms. Risk checks and the venue's mode (SHADOW/CANARY/LIVE) apply to a one-click
 * order exactly as to any other: it is previewed and placed through the same commands, and a
 * preview that is not allowed places nothing. Size presets set the ticket's quantity.
 *
 * Pure: state in, state out (tested in Node).
 */
import { oneClickPresetSchema, oneClickPrefsSchema, MAX_ONE_CLICK_PRESETS, type OneClickPrefs } from '../../../../src-main/engine/api/desk-prefs';
import type { HaltState } from '../../../../src-main/engine/domain/kill-switch-state';
import { parseStored } from '../../store/local-storage';

export const DEFAULT_ONE_CLICK: OneClickPrefs = { venues: [], presets: ['1', '5', '10'] };

export interface OneClickState {
  readonly prefs: OneClickPrefs;
  /** The venue armed this session; never restored after a reload. */
  readonly armed: string | undefined;
}

export const initialOneClick = (prefs: OneClickPrefs = DEFAULT_ONE_CLICK): OneClickState => ({ prefs, armed: undefined });

export function parseOneClick(raw: string | null | undefined): OneClickPrefs {
  const r = oneClickPrefsSchema.safeParse(parseStored(raw) ?? {});
  return r.success ? r.data : DEFAULT_ONE_CLICK;
}

export const optedIn = (p: OneClickPrefs, venue: string): boolean => p.venues.includes(venue);

/** Turns one-click on or off for a venue; turning it off disarms that venue. */
export function optIn(s: OneClickState, venue: string, on: boolean): OneClickState {
  const venues = on ? (optedIn(s.prefs, venue) ? s.prefs.venues : [...s.prefs.venues, venue]) : s.prefs.venues.filter((v) => v !== venue);
  return { prefs: { ...s.prefs, venues }, armed: !on && s.armed === venue ? undefined : s.armed };
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

export const arm = (s: OneClickState, venue: string): OneClickState => ({ ...s, armed: venue });
export const disarm = (s: OneClickState): OneClickState => (s.armed === undefined ? s : { ...s, armed: undefined });

/** The armed state holds only while its conditions do: another venue on the ticket, a tripped kill switch, a lost connection or an opt-out disarms it. */
export function keepArmed(s: OneClickState, ctx: ArmContext): OneClickState {
  if (s.armed === undefined) return s;
  return s.armed === ctx.venue && armBlock(s, ctx) === undefined ? s : disarm(s);
}

/** What a ladder click on `venue` does: place at once only when that very venue is armed. */
export const clickMode = (s: OneClickState, venue: string | undefined): 'place' | 'confirm' => (venue !== undefined && s.armed === venue && optedIn(s.prefs, venue) ? 'place' : 'confirm');
