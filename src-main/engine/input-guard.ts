/**
 * Checks on raw command input before it is parsed or audited: a nesting limit (a deeply nested
 * payload would overflow the stack of the schema check or of JSON.stringify in the audit log), and
 * redaction of anything that may be a secret before it reaches the append-only audit log.
 */
export const MAX_INPUT_DEPTH = 32;

/** True when `input` nests objects/arrays deeper than MAX_INPUT_DEPTH (checked without recursion). */
export function tooDeep(input: unknown, max = MAX_INPUT_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[input, 0]];
  let seen = 0;
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (!v || typeof v !== 'object') continue;
    if (depth >= max) return true;
    // Transports cap a message at 64 KB (a few tens of thousands of nodes); anything bigger is refused as too deep to be a command.
    if (++seen > 200_000) return true;
    for (const child of Object.values(v as Record<string, unknown>)) if (child && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/** Setting names that look like they hold a secret. */
const SECRET_NAME = /pass(word|phrase)?|pwd|secret|key|token|credential|auth|private|signature|cookie|session|\bpin\b/i;

export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** The setting keys a venue kind declares, for `venue.add` (by kind) or `venue.set` (by venue name). */
export type SettingsDeclared = (by: { kind?: string; name?: string }) => ReadonlySet<string> | undefined;

const REDACTED = '[redacted]';

/**
 * The input as the audit log may keep it: secret values (`secret.set`), settings whose name looks
 * secret, and settings the venue does not declare (a mistyped key may hold a pasted secret) are
 * replaced by "[redacted]"; the keys stay so the trail shows what was attempted.
 */
export function redactInput(command: string, input: unknown, declared: SettingsDeclared): unknown {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return input;
  const raw = input as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) out[k] = command === 'secret.set' && k === 'value' ? REDACTED : v;
  if ((command === 'venue.add' || command === 'venue.set') && 'settings' in raw) {
    const keys = declared(command === 'venue.add' ? { kind: str(raw.kind) } : { name: str(raw.name) });
    out.settings = redactSettings(raw.settings, keys);
  }
  return out;
}

function redactSettings(settings: unknown, declared: ReadonlySet<string> | undefined): unknown {
  if (!settings || typeof settings !== 'object' || Array.isArray(settings)) return REDACTED;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(settings as Record<string, unknown>)) {
    out[k] = looksSecret(k) || !declared?.has(k) || typeof v !== 'string' ? REDACTED : v;
  }
  return out;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
