/**
 * A venue kind's settings, declared once: type, bounds, default, choices and quick picks. The engine
 * checks stored settings with `settingProblems`, and the renderer builds and checks its form from the
 * same declaration, so a bound exists in one place. Shared with the renderer: no Node imports here.
 *
 * Values travel as strings (the CLI's `--set key=value`, the form's inputs); '' or a missing key is
 * "not set" and the default applies.
 */
import { Decimal, parseDecimal } from '../domain/money';
import { TradeportError } from './errors';

export type SettingType = 'string' | 'integer' | 'decimal' | 'boolean' | 'enum' | 'host' | 'port' | 'list';

/** A quick pick for a setting (IB's four socket ports). A `live` pick shows its `note` when chosen. */
export interface SettingPreset {
  readonly label: string;
  readonly value: string;
  readonly live?: boolean;
  readonly note?: string;
}

export interface SettingSpec {
  readonly key: string;
  readonly label: string;
  readonly type: SettingType;
  readonly required: boolean;
  readonly default?: string;
  readonly help?: string;
  /** integer / decimal / port: inclusive bounds as decimal strings (exact, JSON-safe). */
  readonly min?: string;
  readonly max?: string;
  /** enum: the accepted values. */
  readonly options?: ReadonlyArray<{ readonly value: string; readonly label: string }>;
  readonly presets?: readonly SettingPreset[];
  /** string / list items: a whole-value pattern, and what a valid value looks like, for the message. */
  readonly pattern?: string;
  readonly patternHint?: string;
  /** Tucked under "Advanced" in the form. */
  readonly advanced?: boolean;
}

/** A write-only field, kept in the OS keychain (or keystore), never in settings. */
export interface SecretSpec {
  readonly field: string;
  readonly label: string;
  /** Optional marker (the `secrets` list already says so), for forms that mix both. */
  readonly secret?: true;
  readonly help?: string;
}

export const MAX_SETTING_LENGTH = 512;
const PORT_MIN = '1';
const PORT_MAX = '65535';
const WHOLE = /^[+-]?\d+$/;
const HOST = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$|^\[?[0-9A-Fa-f:.]+\]?$/;
const TRUE = new Set(['true', '1', 'yes']);
const FALSE = new Set(['false', '0', 'no']);

/** One problem with one setting: `rule` completes "<label> …" and "<kind> setting key="raw" …". */
export interface SettingProblem {
  readonly key: string;
  readonly label: string;
  readonly raw: string;
  readonly rule: string;
}

/** The message a form shows next to the field: "Socket port must be a whole number from 1 to 65535." */
export function fieldMessage(p: SettingProblem): string {
  return `${p.label} ${p.rule}.`;
}

/** The message the engine and CLI give, naming the key a `--set` used. */
export function settingMessage(kindLabel: string, p: SettingProblem): string {
  return `${kindLabel} setting ${p.key}="${p.raw}" ${p.rule}.`;
}

function range(spec: SettingSpec, noun: string): string {
  const lo = spec.min ?? (spec.type === 'port' ? PORT_MIN : undefined);
  const hi = spec.max ?? (spec.type === 'port' ? PORT_MAX : undefined);
  if (lo !== undefined && hi !== undefined) return `must be ${noun} from ${lo} to ${hi}`;
  if (lo !== undefined) return `must be ${noun} of at least ${lo}`;
  if (hi !== undefined) return `must be ${noun} of at most ${hi}`;
  return `must be ${noun}`;
}

function inRange(spec: SettingSpec, d: Decimal): boolean {
  const lo = spec.min ?? (spec.type === 'port' ? PORT_MIN : undefined);
  const hi = spec.max ?? (spec.type === 'port' ? PORT_MAX : undefined);
  return (lo === undefined || d.gte(lo)) && (hi === undefined || d.lte(hi));
}

/** Why one set value breaks its declaration (the rule text), or undefined when it is fine. */
export function valueRule(spec: SettingSpec, value: string): string | undefined {
  const v = value.trim();
  if (v.length > MAX_SETTING_LENGTH) return `is at most ${MAX_SETTING_LENGTH} characters`;
  switch (spec.type) {
    case 'integer':
    case 'port': {
      const d = WHOLE.test(v) ? new Decimal(v) : undefined;
      const ok = d !== undefined && d.abs().lte(Number.MAX_SAFE_INTEGER) && inRange(spec, d);
      return ok ? undefined : range(spec, 'a whole number');
    }
    case 'decimal': {
      const d = parseDecimal(v);
      return d && inRange(spec, d) ? undefined : range(spec, 'a number');
    }
    case 'boolean':
      return TRUE.has(v.toLowerCase()) || FALSE.has(v.toLowerCase()) ? undefined : 'must be true or false';
    case 'enum': {
      const values = (spec.options ?? []).map((o) => o.value);
      return values.includes(v) ? undefined : `must be one of ${values.join(', ')}`;
    }
    case 'host':
      return HOST.test(v) ? undefined : 'must be a host name or IP address, such as 127.0.0.1';
    case 'string':
    case 'list':
      return patternRule(spec, v);
  }
}

function patternRule(spec: SettingSpec, v: string): string | undefined {
  if (spec.pattern === undefined) return undefined;
  const items = spec.type === 'list' ? listItems(v) : [v];
  const re = new RegExp(spec.pattern);
  const bad = items.find((x) => !re.test(x));
  if (bad === undefined) return undefined;
  return spec.type === 'list' ? `has "${bad}", which is not ${spec.patternHint ?? 'valid'}` : `must be ${spec.patternHint ?? 'valid'}`;
}

/** A list setting's items: comma separated, trimmed, empty ones dropped. */
export function listItems(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The value a setting has: the trimmed one set, else its default, else ''. */
export function effectiveSetting(spec: SettingSpec, values: Readonly<Record<string, string | undefined>>): string {
  const v = (values[spec.key] ?? '').trim();
  return v !== '' ? v : (spec.default ?? '');
}

/** Every problem with a settings record against its declaration (unknown keys are the caller's concern). */
export function settingProblems(specs: readonly SettingSpec[], values: Readonly<Record<string, string | undefined>>): SettingProblem[] {
  const out: SettingProblem[] = [];
  for (const spec of specs) {
    const raw = values[spec.key] ?? '';
    if (raw.trim() === '') {
      if (spec.required && (spec.default ?? '') === '') out.push({ key: spec.key, label: spec.label, raw, rule: 'is required' });
      continue;
    }
    const rule = valueRule(spec, raw);
    if (rule !== undefined) out.push({ key: spec.key, label: spec.label, raw, rule });
  }
  return out;
}

/** A boolean setting's value (after `settingProblems` passed). */
export function isTrue(value: string): boolean {
  return TRUE.has(value.trim().toLowerCase());
}

/** The live preset a value picks, if any: its note is shown next to the form. */
export function livePreset(spec: SettingSpec, value: string): SettingPreset | undefined {
  return spec.presets?.find((p) => p.live === true && p.value === value.trim());
}

/**
 * For a venue's config: throws the first problem as `invalid_input` (in the engine's words), else
 * returns each setting's effective value by key. Cross-field rules run after, in the venue's config.
 */
export function checkedSettings(kindLabel: string, specs: readonly SettingSpec[], values: Readonly<Record<string, string | undefined>>): (key: string) => string {
  const problem = settingProblems(specs, values)[0];
  if (problem) throw new TradeportError('invalid_input', settingMessage(kindLabel, problem));
  const byKey = new Map(specs.map((s) => [s.key, s]));
  return (key) => {
    const spec = byKey.get(key);
    if (!spec) throw new Error(`no declared setting "${key}"`);
    return effectiveSetting(spec, values);
  };
}

/**
 * A venue's URL setting (REST or WebSocket base, for proxies, sandboxes and emulators): empty means
 * the venue's default; anything else must parse as a URL with one of `schemes` (`https:`, `wss:`…),
 * refused in the trader's words otherwise; returned without trailing slashes.
 */
export function urlSetting(venueLabel: string, settings: Readonly<Record<string, string>>, key: string, fallback: string, schemes: readonly string[]): string {
  const raw = (settings[key] ?? '').trim();
  if (raw === '') return fallback;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new TradeportError('invalid_input', `${venueLabel} setting ${key}="${raw}" is not a URL; use e.g. ${fallback}.`);
  }
  if (!schemes.includes(u.protocol)) throw new TradeportError('invalid_input', `${venueLabel} setting ${key} must start with ${schemes.map((x) => `${x}//`).join(' or ')} (got ${u.protocol}//).`);
  return raw.replace(/\/+$/, '');
}
