/**
 * The Venues panel's pure logic: the settings form generated from a kind's `VenueKindInfo`
 * (inputs by declared type, defaults, presets, live notes, field errors from the contract's own
 * checker, so no bound is copied here), what `venue.add` / `venue.set` receive, and how a venue's
 * state reads to a trader. Nothing here knows a venue by name: every kind gets the same form. The
 * engine checks everything again (plus each venue's cross-field rules) and its refusal is shown.
 *
 * Secrets never pass through here: their inputs are uncontrolled and cleared once sent.
 */
import type { CommandInput, VenueInfo, VenueKindInfo, VenuePhase, VenueState } from '../../../../src-main/engine/api/commands';
import { effectiveSetting, fieldMessage, livePreset, settingProblems, type SettingSpec } from '../../../../src-main/engine/api/venue-settings';

export type { SettingSpec };

export interface VenueDraft {
  readonly kind: string;
  /** Add only: empty means the engine picks (the kind, then kind-2, …). */
  readonly name: string;
  /** Every setting of the kind, as typed; '' means "not set" (the default applies). */
  readonly values: Readonly<Record<string, string>>;
}

/** Same rule as the engine's venue manager. */
export const VENUE_NAME_RE = /^[a-z0-9][a-z0-9_-]{0,31}$/;
export { MAX_SETTING_LENGTH } from '../../../../src-main/engine/api/venue-settings';

/** A fresh add form: every field empty, so the placeholder shows the default. */
export function newDraft(kind: VenueKindInfo): VenueDraft {
  return { kind: kind.kind, name: '', values: Object.fromEntries(kind.settings.map((s) => [s.key, ''])) };
}

/**
 * The edit form, prefilled with what the venue stores. A stored value equal to the default is
 * shown as typed (the trader sees exactly what is saved).
 */
export function editDraft(kind: VenueKindInfo, venue: VenueInfo): VenueDraft {
  return { kind: kind.kind, name: venue.name, values: Object.fromEntries(kind.settings.map((s) => [s.key, venue.settings[s.key] ?? ''])) };
}

export function setValue(d: VenueDraft, key: string, value: string): VenueDraft {
  return { ...d, values: { ...d.values, [key]: value } };
}

/** The placeholder of a setting: its default, else "optional" / "required". */
export function placeholderOf(s: SettingSpec): string {
  if (s.default !== undefined && s.default !== '') return s.default;
  return s.required ? 'required' : 'optional';
}

/** A required setting with a default is satisfied by the default, as in the engine. */
export function isRequired(s: SettingSpec): boolean {
  return s.required && (s.default === undefined || s.default === '');
}

/** The value a draft will send or fall back to (typed, else the default), e.g. to light up a preset. */
export function effectiveValue(kind: VenueKindInfo, d: VenueDraft, key: string): string {
  const spec = kind.settings.find((s) => s.key === key);
  return spec ? effectiveSetting(spec, d.values) : (d.values[key] ?? '').trim();
}

/** One message per field with a problem, from the contract's own checker; empty when the draft may be sent. */
export function draftErrors(kind: VenueKindInfo, d: VenueDraft, mode: 'add' | 'edit', existingNames: readonly string[] = []): Record<string, string> {
  const errors: Record<string, string> = {};
  if (mode === 'add') {
    const name = d.name.trim();
    if (name !== '' && !VENUE_NAME_RE.test(name)) errors.name = 'Name: 1–32 lowercase letters, digits, "-" or "_", starting with a letter or digit.';
    else if (name !== '' && existingNames.includes(name)) errors.name = `A venue named "${name}" already exists. Pick another name.`;
  }
  for (const p of settingProblems(kind.settings, d.values)) errors[p.key] = fieldMessage(p);
  return errors;
}

/** How a setting is entered: the input element and its attributes, by declared type. */
export interface InputView {
  readonly element: 'input' | 'select';
  readonly inputMode?: 'numeric' | 'decimal';
  /** select: '' (the default) first, then each option. */
  readonly options?: ReadonlyArray<{ readonly value: string; readonly label: string }>;
}

export function inputView(s: SettingSpec): InputView {
  switch (s.type) {
    case 'boolean':
      return {
        element: 'select',
        options: [
          { value: '', label: `default (${s.default ?? 'false'})` },
          { value: 'true', label: 'true' },
          { value: 'false', label: 'false' },
        ],
      };
    case 'enum':
      return { element: 'select', options: [{ value: '', label: s.default !== undefined ? `default (${s.default})` : '—' }, ...(s.options ?? [])] };
    case 'integer':
    case 'port':
      return { element: 'input', inputMode: 'numeric' };
    case 'decimal':
      return { element: 'input', inputMode: 'decimal' };
    default:
      return { element: 'input' };
  }
}

/** The notes a draft earns: one per setting whose value is a live preset (e.g. a live account port). */
export function liveNotes(kind: VenueKindInfo, d: VenueDraft): Array<{ readonly key: string; readonly note: string }> {
  const out: Array<{ key: string; note: string }> = [];
  for (const s of kind.settings) {
    const p = livePreset(s, effectiveSetting(s, d.values));
    if (p) out.push({ key: s.key, note: p.note ?? `${s.label} ${p.value} (${p.label}) is live.` });
  }
  return out;
}

/** Settings split for the form: everyday ones first, the declared `advanced` ones folded away. */
export function formSections(kind: VenueKindInfo): { readonly basic: SettingSpec[]; readonly advanced: SettingSpec[] } {
  return { basic: kind.settings.filter((s) => !s.advanced), advanced: kind.settings.filter((s) => s.advanced === true) };
}

/** What `venue.add` receives: trimmed values that were typed (the engine fills in the defaults). */
export function addInput(kind: VenueKindInfo, d: VenueDraft): CommandInput<'venue.add'> {
  const settings: Record<string, string> = {};
  for (const s of kind.settings) {
    const v = (d.values[s.key] ?? '').trim();
    if (v !== '') settings[s.key] = v;
  }
  const name = d.name.trim();
  return { kind: kind.kind, ...(name ? { name } : {}), settings };
}

/**
 * What `venue.set` receives: only the settings that changed. The engine merges them over the stored
 * ones; a cleared field is sent as '' and reads as "use the default".
 */
export function setInput(kind: VenueKindInfo, venue: VenueInfo, d: VenueDraft): CommandInput<'venue.set'> {
  const settings: Record<string, string> = {};
  for (const s of kind.settings) {
    const now = (d.values[s.key] ?? '').trim();
    const was = (venue.settings[s.key] ?? '').trim();
    if (now !== was) settings[s.key] = now;
  }
  return { name: venue.name, settings };
}

export function hasChanges(kind: VenueKindInfo, venue: VenueInfo, d: VenueDraft): boolean {
  return Object.keys(setInput(kind, venue, d).settings).length > 0;
}

/** An engine error as the panel shows it: the engine's own words, verbatim. */
export function errorText(e: { code: string; message: string }): string {
  return e.message || e.code;
}

// ── how a venue's state reads ────────────────────────────────────────────────────────────────

export type { VenuePhase };
export type Tone = 'ok' | 'warn' | 'bad' | 'off';

export interface VenueStatusView {
  readonly phase: VenuePhase;
  readonly tone: Tone;
  /** "TWS 193": the server version TWS announced, when the detail names one. */
  readonly serverVersion?: string;
}

const TONE: Record<VenuePhase, Tone> = { connected: 'ok', connecting: 'warn', degraded: 'warn', restarting: 'warn', down: 'bad', disabled: 'off' };

/** Matches "TWS 193" at a word boundary ("TWS · client 7" has none: no session yet). */
const SERVER_VERSION = /\bTWS (\d{2,4})\b/;

/**
 * The phase a trader reads. The engine's VenueState folds IB's connection states: `restarting`
 * arrives as `disconnected` with "reconnecting in …" in the detail, `down` as `error`. An address
 * that refuses the connection is `down` even while retries continue (nothing is listening there).
 */
export function venueStatusView(v: Pick<VenueInfo, 'state' | 'detail' | 'phase' | 'serverVersion'>): VenueStatusView {
  const detail = v.detail ?? '';
  // The engine's own phase and version win; reading the detail text is for venues that give none.
  const version = v.serverVersion ?? SERVER_VERSION.exec(detail)?.[1];
  const phase = v.phase ?? phaseOf(v.state, detail);
  return { phase, tone: TONE[phase], ...(version ? { serverVersion: version } : {}) };
}

function phaseOf(state: VenueState, detail: string): VenuePhase {
  switch (state) {
    case 'connected':
      return 'connected';
    case 'connecting':
      return 'connecting';
    case 'degraded':
      return 'degraded';
    case 'disabled':
      return 'disabled';
    case 'error':
      return 'down';
    case 'disconnected':
      if (/cannot reach|refused|ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|both in use/i.test(detail)) return 'down';
      if (/reconnecting|restart/i.test(detail)) return 'restarting';
      return 'down';
  }
}

/**
 * Keeps the last server version seen per venue, so "TWS 193" stays readable while TWS restarts
 * (the engine's detail has no version between sessions). Returns the same object when unchanged.
 */
export function rememberServerVersions(prev: Readonly<Record<string, string>>, venues: readonly Pick<VenueInfo, 'name' | 'state' | 'detail'>[]): Readonly<Record<string, string>> {
  let out = prev;
  for (const v of venues) {
    const sv = venueStatusView(v).serverVersion;
    if (sv && out[v.name] !== sv) out = { ...out, [v.name]: sv };
  }
  return out;
}

/** "Some Broker (desktop gateway)" → "Some Broker": a kind label short enough for a row. */
export function shortLabel(label: string): string {
  return label.replace(/\s*\([^)]*\)\s*$/, '') || label;
}

/** A venue problem that needs more than a dot in the status bar: a banner the trader cannot miss. */
export interface VenueAlert {
  readonly venue: string;
  readonly text: string;
}

/**
 * Banners for venues that are up but cannot trade: TWS lost its own link to IB (code 1100 →
 * `degraded`). The status bar's phase tag is a word wide and truncated; this says what it means.
 */
export function venueAlerts(venues: readonly Pick<VenueInfo, 'name' | 'kind' | 'state' | 'detail' | 'phase' | 'serverVersion'>[]): VenueAlert[] {
  const out: VenueAlert[] = [];
  for (const v of venues) {
    if (venueStatusView(v).phase !== 'degraded') continue;
    // The venue's own detail says why (IB: "TWS lost its connection to IB (1100)"): no venue is named here.
    // The venue's own detail usually says it already ("new orders paused"): say it once.
    const paused = /new orders/i.test(v.detail) ? '' : `new orders to ${v.name} are paused; `;
    const text = `${v.name}: degraded — ${paused}working orders stay at the venue. ${v.detail}`.trimEnd();
    out.push({ venue: v.name, text });
  }
  return out;
}
