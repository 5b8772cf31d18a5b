/**
 * Parameter parsing shared by the kinds: decimals and durations arrive as strings (CLI `k=v`) or
 * JSON numbers (UI); every problem is reported with the parameter's name and what to type instead.
 */
import { Decimal } from '../domain/money';
import { TradeportError } from '../api/errors';

export function bad(kind: string, message: string, param?: string): TradeportError {
  return new TradeportError('invalid_input', `${kind}: ${message}`, param ? { param } : undefined);
}

export function knownOnly(kind: string, raw: Record<string, unknown>, known: readonly string[]): void {
  const unknown = Object.keys(raw).filter((k) => !known.includes(k));
  if (unknown.length) throw bad(kind, `unknown parameter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; this kind takes ${known.join(', ')}.`, unknown[0]);
}

export function positiveDecimal(kind: string, raw: Record<string, unknown>, name: string, required: true): Decimal;
export function positiveDecimal(kind: string, raw: Record<string, unknown>, name: string, required: false): Decimal | undefined;
export function positiveDecimal(kind: string, raw: Record<string, unknown>, name: string, required: boolean): Decimal | undefined {
  const v = raw[name];
  if (v === undefined || v === '') {
    if (required) throw bad(kind, `${name} is required (a positive number, e.g. ${name}=10).`, name);
    return undefined;
  }
  let d: Decimal;
  try {
    if (typeof v !== 'string' && typeof v !== 'number') throw new Error('not a number');
    d = new Decimal(v);
  } catch {
    throw bad(kind, `${name} must be a number, not "${String(v)}".`, name);
  }
  if (!d.isFinite() || d.lte(0)) throw bad(kind, `${name} must be greater than 0 (got ${String(v)}).`, name);
  return d;
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration as `30s`, `15m`, `4h`, `1d` or plain milliseconds. */
export function duration(kind: string, raw: Record<string, unknown>, name: string, min: number): number {
  const v = raw[name];
  if (v === undefined || v === '') throw bad(kind, `${name} is required (a duration such as 15m, 4h or 1d).`, name);
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(String(v).trim());
  if (!m) throw bad(kind, `${name} must be a duration such as 30s, 15m, 4h or 1d, not "${String(v)}".`, name);
  const ms = Math.round(Number(m[1]) * (m[2] ? UNITS[m[2]]! : 1));
  if (ms < min) throw bad(kind, `${name} must be at least ${min / 1000} s (got ${String(v)}).`, name);
  return ms;
}

export function choice<T extends string>(kind: string, raw: Record<string, unknown>, name: string, options: readonly T[], fallback: T): T {
  const v = raw[name];
  if (v === undefined || v === '') return fallback;
  if (!options.includes(v as T)) throw bad(kind, `${name} must be one of ${options.join(', ')} (got "${String(v)}").`, name);
  return v as T;
}

export function flag(kind: string, raw: Record<string, unknown>, name: string, fallback: boolean): boolean {
  const v = raw[name];
  if (v === undefined || v === '') return fallback;
  if (v === true || v === 'true' || v === 'yes') return true;
  if (v === false || v === 'false' || v === 'no') return false;
  throw bad(kind, `${name} must be true or false (got "${String(v)}").`, name);
}

export function integer(kind: string, raw: Record<string, unknown>, name: string, min: number, max: number): number {
  const v = raw[name];
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw bad(kind, `${name} must be a whole number from ${min} to ${max} (got ${v === undefined ? 'nothing' : `"${String(v)}"`}).`, name);
  return n;
}
