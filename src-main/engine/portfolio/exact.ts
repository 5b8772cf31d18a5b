/**
 * The lot ledger's hot-path arithmetic: exact decimals as scaled integers (a coefficient `c` times
 * 10^`e`; `c` a safe-integer number while it fits, a BigInt when it does not), with the result rule of the process's decimal.js configuration (money.ts:
 * every add, subtract, multiply and divide result is the exact result rounded half-even to
 * `Decimal.precision` significant digits; a parsed input keeps every digit). So each figure is the
 * one the Decimal path gives, digit for digit, at a fraction of the cost of building a Decimal per
 * step. Nothing is ever rounded more than the Decimal path rounds; Decimal is built only at the
 * output boundary (`toDecimal`).
 */
import { Decimal } from '../domain/money';

export interface Num {
  /** A number only while it is a safe integer (every step checks); otherwise a BigInt. */
  readonly c: number | bigint;
  readonly e: number;
}

const PREC = Decimal.precision;
if (Decimal.rounding !== Decimal.ROUND_HALF_EVEN) throw new Error('exact.ts follows decimal.js rounding half-even; money.ts changed it');

const P10: bigint[] = [1n];
for (let i = 1; i <= 2 * PREC + 20; i++) P10.push(P10[i - 1]! * 10n);
const pow10 = (k: number): bigint => P10[k] ?? 10n ** BigInt(k);
const LIMIT = pow10(PREC);
const N10: number[] = [1];
for (let i = 1; i <= 15; i++) N10.push(N10[i - 1]! * 10);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export const NUM_ZERO: Num = { c: 0, e: 0 };

const big = (c: number | bigint): bigint => (typeof c === 'bigint' ? c : BigInt(c));
/** A BigInt result, as a number when it fits (so the next step can take the fast path). */
const small = (c: bigint, e: number): Num => ({ c: c <= MAX_SAFE && c >= -MAX_SAFE ? Number(c) : c, e });

/** Decimal digits of a non-negative integer (a binary search over the powers of ten). */
function digits(a: bigint): number {
  if (a >= P10[P10.length - 1]!) return a.toString().length;
  let lo = 1;
  let hi = P10.length - 1;
  // The least d with a < 10^d.
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a < P10[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** `c × 10^e` rounded half-even to PREC significant digits; `sticky`: the exact value is a little beyond `c` in magnitude. */
function fin(c: bigint, e: number, sticky = false): Num {
  const a = c < 0n ? -c : c;
  if (a < LIMIT && !sticky) return small(c, e);
  const k = digits(a) - PREC;
  if (k <= 0) return small(c, e);
  const p = pow10(k);
  let q = a / p;
  const twice = (a - q * p) * 2n;
  if (twice > p || (twice === p && (sticky || (q & 1n) === 1n))) q += 1n;
  if (q === LIMIT) return small(c < 0n ? -q / 10n : q / 10n, e + k + 1);
  return small(c < 0n ? -q : q, e + k);
}

const PLAIN = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/** An exact decimal string (a journal value); anything else (an exponent) goes through Decimal's own parse, still exact. */
export function num(s: string): Num {
  const m = PLAIN.exec(s);
  if (!m || (m[2] === '' && !m[3])) return fromDecimal(new Decimal(s));
  const frac = m[3] ?? '';
  const digitsOf = `${m[1]}${m[2] || '0'}${frac}`;
  // Up to 15 digits a number holds exactly.
  return { c: digitsOf.length <= 15 ? Number(digitsOf) : small(BigInt(digitsOf), 0).c, e: -frac.length };
}

export function fromDecimal(d: Decimal): Num {
  if (!d.isFinite()) throw new Error(`not a finite decimal: ${d.toString()}`);
  return num(d.toFixed());
}

export function toDecimal(x: Num): Decimal {
  return new Decimal(x.e === 0 ? String(x.c) : `${x.c}e${x.e}`);
}

export const isZero = (x: Num): boolean => x.c === 0 || x.c === 0n;

/** Both coefficients at the smaller exponent, as numbers when that stays exact. */
function alignSmall(a: Num, b: Num): [number, number, number] | undefined {
  if (typeof a.c !== 'number' || typeof b.c !== 'number') return undefined;
  if (a.e === b.e) return [a.c, b.c, a.e];
  const k = Math.abs(a.e - b.e);
  if (k > 15) return undefined;
  const x = a.e < b.e ? a.c : a.c * N10[k]!;
  const y = a.e < b.e ? b.c * N10[k]! : b.c;
  return Number.isSafeInteger(x) && Number.isSafeInteger(y) ? [x, y, Math.min(a.e, b.e)] : undefined;
}

function align(a: Num, b: Num): [bigint, bigint, number] {
  const x = big(a.c);
  const y = big(b.c);
  if (a.e === b.e) return [x, y, a.e];
  return a.e < b.e ? [x, y * pow10(b.e - a.e), a.e] : [x * pow10(a.e - b.e), y, b.e];
}

export function add(a: Num, b: Num): Num {
  if (isZero(b)) return typeof a.c === 'number' ? a : fin(a.c, a.e);
  if (isZero(a)) return typeof b.c === 'number' ? b : fin(b.c, b.e);
  const s = alignSmall(a, b);
  if (s) {
    const sum = s[0] + s[1];
    if (Number.isSafeInteger(sum)) return { c: sum, e: s[2] };
  }
  const [x, y, e] = align(a, b);
  return fin(x + y, e);
}

export const sub = (a: Num, b: Num): Num => add(a, { c: -b.c, e: b.e });

export function mul(a: Num, b: Num): Num {
  if (typeof a.c === 'number' && typeof b.c === 'number') {
    const p = a.c * b.c;
    if (Number.isSafeInteger(p)) return { c: p, e: a.e + b.e };
  }
  return fin(big(a.c) * big(b.c), a.e + b.e);
}

export function div(a: Num, b: Num): Num {
  if (isZero(b)) throw new Error('division by zero');
  // An exact quotient of safe integers is a safe integer, and short enough to need no rounding.
  if (typeof a.c === 'number' && typeof b.c === 'number' && a.c % b.c === 0) return { c: a.c / b.c || 0, e: a.e - b.e };
  const ac = big(a.c);
  const bc = big(b.c);
  if (ac % bc === 0n) return fin(ac / bc, a.e - b.e);
  const neg = ac < 0n !== bc < 0n;
  const n = ac < 0n ? -ac : ac;
  const d = bc < 0n ? -bc : bc;
  // Enough quotient digits to round at PREC, the remainder kept as the sticky bit.
  const s = Math.max(0, PREC + 2 + digits(d) - digits(n));
  const scaled = n * pow10(s);
  const q = scaled / d;
  return fin(neg ? -q : q, a.e - b.e - s, scaled - q * d !== 0n);
}

export function cmp(a: Num, b: Num): number {
  const [x, y] = alignSmall(a, b) ?? align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}
