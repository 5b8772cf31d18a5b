/**
 * The screen as the trader arranged it: panel sizes, light or dark theme, font scale, and named
 * layouts to save and restore. Pure: state in, state out (tested in Node). Every number is
 * clamped to a range where each panel stays usable; stored junk falls back to the defaults.
 */

import { parseStored } from '../../store/local-storage';

export type Theme = 'dark' | 'light';

export interface Panels {
  /** Width of the order ticket column, px. */
  readonly ticketWidth: number;
  /** Width of the book beside the quotes, px. */
  readonly bookWidth: number;
  /** Height of the quotes/book row, % of the main column; undefined = the screen's default. */
  readonly topPct: number | undefined;
}

export interface Look {
  readonly panels: Panels;
  readonly theme: Theme;
  /** 1 = as designed; the whole window scales with it. */
  readonly fontScale: number;
}

export interface LayoutState extends Look {
  readonly saved: Readonly<Record<string, Look>>;
}

export const LIMITS = {
  ticketWidth: { min: 260, max: 560 },
  bookWidth: { min: 180, max: 520 },
  topPct: { min: 20, max: 75 },
  fontScale: { min: 0.8, max: 1.4, step: 0.05 },
} as const;

export const MAX_SAVED = 12;
export const MAX_LAYOUT_NAME = 32;

export const DEFAULT_PANELS: Panels = { ticketWidth: 324, bookWidth: 250, topPct: undefined };
export const DEFAULT_LOOK: Look = { panels: DEFAULT_PANELS, theme: 'dark', fontScale: 1 };
export const DEFAULT_LAYOUT: LayoutState = { ...DEFAULT_LOOK, saved: {} };

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export function clampPanels(p: Panels): Panels {
  return {
    ticketWidth: Math.round(clamp(p.ticketWidth, LIMITS.ticketWidth.min, LIMITS.ticketWidth.max)),
    bookWidth: Math.round(clamp(p.bookWidth, LIMITS.bookWidth.min, LIMITS.bookWidth.max)),
    topPct: p.topPct === undefined ? undefined : Math.round(clamp(p.topPct, LIMITS.topPct.min, LIMITS.topPct.max) * 10) / 10,
  };
}

/** The font scale on its 5 % grid, within range. */
export function clampScale(s: number): number {
  const { min, max, step } = LIMITS.fontScale;
  const onGrid = Math.round(clamp(s, min, max) / step) * step;
  return Math.round(clamp(onGrid, min, max) * 100) / 100;
}

export const setPanels = (s: LayoutState, p: Partial<Panels>): LayoutState => ({ ...s, panels: clampPanels({ ...s.panels, ...p }) });
export const setTheme = (s: LayoutState, theme: Theme): LayoutState => ({ ...s, theme });
export const setFontScale = (s: LayoutState, fontScale: number): LayoutState => ({ ...s, fontScale: clampScale(fontScale) });
export const stepFontScale = (s: LayoutState, dir: 1 | -1): LayoutState => setFontScale(s, s.fontScale + dir * LIMITS.fontScale.step);
export const resetPanels = (s: LayoutState): LayoutState => ({ ...s, panels: DEFAULT_PANELS });

export type LayoutEdit = { readonly ok: true; readonly state: LayoutState } | { readonly ok: false; readonly message: string };

const look = (s: Look): Look => ({ panels: s.panels, theme: s.theme, fontScale: s.fontScale });

/** Saves the current screen under a name (replacing a layout of that name). */
export function saveLayout(s: LayoutState, rawName: string): LayoutEdit {
  const name = rawName.trim();
  if (name === '') return { ok: false, message: 'Give the layout a name.' };
  if (name.length > MAX_LAYOUT_NAME) return { ok: false, message: `A layout name is at most ${MAX_LAYOUT_NAME} characters.` };
  if (!(name in s.saved) && Object.keys(s.saved).length >= MAX_SAVED) return { ok: false, message: `At most ${MAX_SAVED} saved layouts; delete one first.` };
  return { ok: true, state: { ...s, saved: { ...s.saved, [name]: look(s) } } };
}

export function restoreLayout(s: LayoutState, name: string): LayoutEdit {
  const l = Object.prototype.hasOwnProperty.call(s.saved, name) ? s.saved[name] : undefined;
  if (!l) return { ok: false, message: `There is no saved layout called “${name}”.` };
  return { ok: true, state: { ...s, ...look(l) } };
}

export function deleteLayout(s: LayoutState, name: string): LayoutEdit {
  if (!Object.prototype.hasOwnProperty.call(s.saved, name)) return { ok: false, message: `There is no saved layout called “${name}”.` };
  const saved = { ...s.saved };
  delete saved[name];
  return { ok: true, state: { ...s, saved } };
}

function parseLook(v: unknown): Look | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as { panels?: unknown; theme?: unknown; fontScale?: unknown };
  const p = (o.panels ?? {}) as Record<string, unknown>;
  const num = (x: unknown, d: number) => (typeof x === 'number' && Number.isFinite(x) ? x : d);
  return {
    panels: clampPanels({
      ticketWidth: num(p.ticketWidth, DEFAULT_PANELS.ticketWidth),
      bookWidth: num(p.bookWidth, DEFAULT_PANELS.bookWidth),
      topPct: typeof p.topPct === 'number' && Number.isFinite(p.topPct) ? p.topPct : undefined,
    }),
    theme: o.theme === 'light' ? 'light' : 'dark',
    fontScale: clampScale(num(o.fontScale, 1)),
  };
}

export function parseLayout(raw: string | null | undefined): LayoutState {
  const v = parseStored(raw);
  const current = parseLook(v);
  if (!current) return DEFAULT_LAYOUT;
  const saved: Record<string, Look> = {};
  const rawSaved = (v as { saved?: unknown }).saved;
  if (rawSaved && typeof rawSaved === 'object' && !Array.isArray(rawSaved)) {
    for (const [name, l] of Object.entries(rawSaved as Record<string, unknown>)) {
      const parsed = parseLook(l);
      if (parsed && name.trim() === name && name !== '' && name.length <= MAX_LAYOUT_NAME && Object.keys(saved).length < MAX_SAVED) saved[name] = parsed;
    }
  }
  return { ...current, saved };
}

/**
 * The CSS custom properties that draw a look (styles.css reads them). Rows: two in the wide
 * screen (quotes+book / orders+account), three below 1800 px (orders and account stacked); a
 * dragged split keeps orders:account at the default 34:30 below it.
 */
export function cssVars(l: Look): Record<string, string> {
  const vars: Record<string, string> = {
    '--ticket-w': `${l.panels.ticketWidth}px`,
    '--book-w': `${l.panels.bookWidth}px`,
    '--font-scale': String(l.fontScale),
  };
  const top = l.panels.topPct;
  if (top !== undefined) {
    const rest = 100 - top;
    const fr = (n: number) => `minmax(0, ${Math.round(n * 100) / 100}fr)`;
    vars['--rows-wide'] = `${fr(top)} ${fr(rest)}`;
    vars['--rows-narrow'] = `${fr(top)} ${fr((rest * 34) / 64)} ${fr((rest * 30) / 64)}`;
  }
  return vars;
}
