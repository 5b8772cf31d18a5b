/**
 * The trader's desk preferences, kept by the engine in its data dir so the desktop app and the
 * headless bridge share them and a cleared browser cache loses nothing: layout (panels, theme,
 * font scale, saved layouts), hotkeys, watchlists, alert switches, and one-click trading.
 *
 * The engine checks shape and size here (each document is JSON of at most 64 KiB); each screen
 * feature parses its own document again and falls back to its defaults on anything it does not
 * know. One-click is checked in full here: it is a trading switch, not a look.
 *
 * This file is shared with the renderer: no Node imports here.
 */
import { z } from 'zod';

export const DESK_PREF_KEYS = ['layout', 'hotkeys', 'watchlists', 'alerts', 'oneClick'] as const;
export type DeskPrefKey = (typeof DESK_PREF_KEYS)[number];

export const MAX_PREF_BYTES = 64 * 1024;

export const MAX_ONE_CLICK_PRESETS = 6;

const venueName = z.string().trim().min(1).max(64);
/** A positive quantity as a canonical decimal string ("1", "0.5"). */
export const oneClickPresetSchema = z
  .string()
  .trim()
  .regex(/^(0|[1-9]\d{0,11})(\.\d{1,12})?$/, 'a size preset is a decimal quantity such as 1 or 0.5')
  .refine((s) => /[1-9]/.test(s), 'a size preset is above 0');

/**
 * One-click trading: which venues the trader opted in (a click on the ladder then places without
 * the confirm step while the ladder is ARMED) and the size presets shown beside the ladder.
 */
export const oneClickPrefsSchema = z
  .object({
    venues: z.array(venueName).max(64).default([]),
    presets: z.array(oneClickPresetSchema).min(1).max(MAX_ONE_CLICK_PRESETS).default(['1', '5', '10']),
  })
  .strict();
export type OneClickPrefs = z.infer<typeof oneClickPrefsSchema>;

/** JSON only (what a layout, a watchlist or a key map is made of), bounded in size. */
const jsonDocument = z.unknown().superRefine((v, ctx) => {
  let text: string | undefined;
  try {
    text = JSON.stringify(v);
  } catch {
    text = undefined;
  }
  if (text === undefined) ctx.addIssue({ code: 'custom', message: 'a preference is a JSON document' });
  else if (text.length > MAX_PREF_BYTES) ctx.addIssue({ code: 'custom', message: `a preference is at most ${MAX_PREF_BYTES / 1024} KiB of JSON` });
});

export const prefsSetSchema = z.discriminatedUnion('key', [
  z.object({ key: z.literal('oneClick'), value: oneClickPrefsSchema }).strict(),
  z.object({ key: z.enum(['layout', 'hotkeys', 'watchlists', 'alerts']), value: jsonDocument }).strict(),
]);

/** Every stored preference document, by key (absent: never saved). */
export type DeskPrefs = { readonly [K in DeskPrefKey]?: K extends 'oneClick' ? OneClickPrefs : unknown };

export interface PrefSaved {
  readonly key: DeskPrefKey;
  readonly savedAt: number;
}

/** Arming one-click for a venue: only for an opted-in venue, and only while the kill switch is not tripped. */
export const oneClickArmSchema = z.object({ venue: venueName, armed: z.boolean() }).strict();

export interface OneClickArmed {
  readonly venue: string;
  readonly armed: boolean;
  readonly at: number;
}

/** The accounts (venues) one-click is armed on in this engine session (`oneClick.status`). */
export interface OneClickStatus {
  readonly armed: readonly OneClickArmed[];
}
