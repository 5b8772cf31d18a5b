/**
 * The Venues panel's pure logic: the settings form generated from a kind's `VenueKindInfo`
 * (defaults, required fields, client-side checks with clear messages), what `venue.add` /
 * `venue.set` receive, and how a venue's state reads to a trader (connected / degraded /
 * restarting / down, the TWS server version). The engine checks everything again; these checks
 * only save a round trip and name the field.
 *
 * Secrets never pass through here: their inputs are uncontrolled and cleared once sent.
 */
import type { CommandInput, VenueInfo, VenueKindInfo, VenuePhase, VenueState } from '../../../../src-main/engine/api/commands';

export type SettingSpec = VenueKindInfo['settings'][number];

export interface VenueDraft {
  readonly kind: string;
  /** Add only: empty means the engine picks (the kind, then kind-2, …). */
  readonly name: string;
  /** Every setting of the kind, as typed; '' means "not set" (the default applies). */
  readonly values: Readonly<Record<string, string>>;
}

/** Same rule as the engine's venue manager. */
export const VENUE_NAME_RE = /^[a-z0-9][a-z0-9_-]{0,31}$/;
export const MAX_SETTING_LENGTH = 512;

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

interface IntRule {
  readonly min: number;
  readonly max: number;
}

/** Known numeric settings per kind (the engine's own bounds), for messages before the round trip. */
const INT_RULES: Readonly<Record<string, Readonly<Record<string, IntRule>>>> = {
  ibkr: {
    port: { min: 1, max: 65_535 },
    clientId: { min: 0, max: 999_999_999 },
    fallbackClientId: { min: 0, max: 999_999_999 },
    rollAlertDays: { min: 0, max: 365 },
    maxMessagesPerSecond: { min: 1, max: 49 },
    reconnectMinMs: { min: 10, max: 600_000 },
    reconnectMaxMs: { min: 10, max: 3_600_000 },
    ackTimeoutMs: { min: 100, max: 600_000 },
  },
  paper: { tickMs: { min: 1, max: 3_600_000 } },
};

/** TWS / IB Gateway socket ports, for the quick-pick buttons. */
export const IBKR_PORT_PRESETS: ReadonlyArray<{ readonly port: string; readonly label: string; readonly live: boolean }> = [
  { port: '7497', label: 'TWS paper', live: false },
  { port: '7496', label: 'TWS live', live: true },
  { port: '4002', label: 'Gateway paper', live: false },
  { port: '4001', label: 'Gateway live', live: true },
];

/** The port a draft will connect to (typed or default), for highlighting the preset. */
export function effectiveValue(kind: VenueKindInfo, d: VenueDraft, key: string): string {
  const typed = (d.values[key] ?? '').trim();
  if (typed !== '') return typed;
  return kind.settings.find((s) => s.key === key)?.default ?? '';
}

const WHOLE = /^-?\d+$/;

/** One message per field with a problem; empty when the draft may be sent. */
export function draftErrors(kind: VenueKindInfo, d: VenueDraft, mode: 'add' | 'edit', existingNames: readonly string[] = []): Record<string, string> {
  const errors: Record<string, string> = {};
  if (mode === 'add') {
    const name = d.name.trim();
    if (name !== '' && !VENUE_NAME_RE.test(name)) errors.name = 'Name: 1–32 lowercase letters, digits, "-" or "_", starting with a letter or digit.';
    else if (name !== '' && existingNames.includes(name)) errors.name = `A venue named "${name}" already exists. Pick another name.`;
  }
  const rules = INT_RULES[kind.kind] ?? {};
  for (const s of kind.settings) {
    const v = (d.values[s.key] ?? '').trim();
    if (v === '') {
      if (isRequired(s)) errors[s.key] = `${s.label} is required.`;
      continue;
    }
    if (v.length > MAX_SETTING_LENGTH) {
      errors[s.key] = `${s.label} is at most ${MAX_SETTING_LENGTH} characters.`;
      continue;
    }
    const rule = rules[s.key] ?? (s.default !== undefined && WHOLE.test(s.default) ? { min: 0, max: Number.MAX_SAFE_INTEGER } : undefined);
    if (rule) {
      const n = Number(v);
      if (!WHOLE.test(v) || !Number.isSafeInteger(n) || n < rule.min || n > rule.max) {
        errors[s.key] = rule.max === Number.MAX_SAFE_INTEGER ? `${s.label} must be a whole number.` : `${s.label} must be a whole number from ${rule.min} to ${rule.max}.`;
      }
    }
  }
  if (kind.kind === 'ibkr' && !errors.clientId && !errors.fallbackClientId) {
    const id = effectiveValue(kind, d, 'clientId');
    const fb = (d.values.fallbackClientId ?? '').trim();
    if (fb !== '' && id !== '' && Number(fb) === Number(id)) errors.fallbackClientId = `The fallback client id must differ from the client id (${id}).`;
  }
  if (kind.kind === 'ibkr' && !errors.account) {
    const acct = (d.values.account ?? '').trim();
    if (acct !== '' && !/^[A-Z0-9]{1,32}$/i.test(acct)) errors.account = `Account "${acct}" does not look like an IB account id (e.g. DU1234567 or U1234567).`;
  }
  return errors;
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

/** "Interactive Brokers (TWS / IB Gateway)" → "Interactive Brokers": short enough for a row. */
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
    const text =
      v.kind === 'ibkr'
        ? `${v.name}: TWS has lost its connection to Interactive Brokers (1100). New orders to ${v.name} are paused until TWS reconnects; working orders stay at IB.`
        : `${v.name}: degraded — new orders are paused. ${v.detail}`;
    out.push({ venue: v.name, text });
  }
  return out;
}
