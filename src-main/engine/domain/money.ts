/**
 * Exact money. Every price, quantity, fee and balance that crosses a boundary or is stored is a
 * Decimal (or its canonical string). Binary floats never hold money: 0.1 + 0.2 must be 0.3.
 *
 * Hot paths (books, matching) use scaled integers instead; see `scaled.ts`.
 */
import Decimal from 'decimal.js';

// One configuration for the whole process. 40 significant digits covers 1e12 USD at 1e-18 units.
Decimal.set({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -30, toExpPos: 40 });

export { Decimal };
export type DecimalString = string;

export const ZERO = new Decimal(0);
export const ONE = new Decimal(1);

/** Plain decimal literal: optional sign, digits, optional fraction. No exponent, no hex, no spaces. */
const DECIMAL_RE = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/** Parses untrusted input (CLI, IPC, venue messages). Returns undefined for anything not a finite plain decimal. */
export function parseDecimal(input: unknown): Decimal | undefined {
  if (input instanceof Decimal) return input.isFinite() ? input : undefined;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return undefined;
    // A JS number from JSON is converted through its shortest round-trip string, never its binary value.
    return new Decimal(String(input));
  }
  if (typeof input !== 'string') return undefined;
  const s = input.trim();
  if (s.length === 0 || s.length > 64 || !DECIMAL_RE.test(s)) return undefined;
  return new Decimal(s);
}

export function dec(v: Decimal.Value): Decimal {
  return new Decimal(v);
}

/** Canonical string for storage and the wire: no exponent, no trailing zeros. */
export function toStr(d: Decimal): DecimalString {
  return d.toFixed();
}

/** True when `value` is an exact multiple of `step` (tick or lot size). */
export function isMultipleOf(value: Decimal, step: Decimal): boolean {
  if (step.isZero()) return true;
  return value.mod(step).isZero();
}

/** Rounds to a multiple of `step` in the given direction. */
export function roundToStep(value: Decimal, step: Decimal, mode: 'down' | 'up' | 'nearest' = 'nearest'): Decimal {
  if (step.isZero()) return value;
  const q = value.div(step);
  const r = mode === 'down' ? q.floor() : mode === 'up' ? q.ceil() : q.toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN);
  return r.mul(step);
}

export function decimalPlaces(d: Decimal): number {
  return d.decimalPlaces();
}

export function sum(values: Iterable<Decimal>): Decimal {
  let s = ZERO;
  for (const v of values) s = s.plus(v);
  return s;
}
