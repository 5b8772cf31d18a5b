/**
 * The lot ledger's hot-path arithmetic: exact decimals as scaled integers (a BigInt coefficient
 * `c` times 10^`e`), with the result rule of the process's decimal.js configuration (money.ts:
 * every add, subtract, multiply and divide result is the exact result rounded half-even to
 * `Decimal.precision` significant digits; a parsed input keeps every digit). So each figure is the
 * one the Decimal path gives, digit for digit, at a fraction of the cost of building a Decimal per
 * step. Nothing is ever rounded more than the Decimal path rounds; Decimal is built only at the
 * output boundary (`toDecimal`).
 */
import { Decimal } from '../domain/money';

export interface Num {
  readonly c: bigint;
  readonly e: number;
}

const PREC = Decimal.precision;
if (Decimal.rounding !== Decimal.ROUND_HALF_EVEN) throw new Error('exact.ts follows decimal.js rounding half-even; money.ts changed it');

const P10: bigint[] = [1n];
for (let i = 1; i <= 2 * PREC + 20; i++) P10.push(P10[i - 1]! * 10n);
const pow10 = (k: number): bigint => P10[k] ?? 10n ** BigInt(k);
const LIMIT = pow10(PREC);

export const NUM_ZERO: Num = { c: 0n, e: 0 };

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
  if (a < LIMIT && !sticky) return { c, e };
  const k = digits(a) - PREC;
  if (k <= 0) return { c, e };
  const p = pow10(k);
  let q = a / p;
  const twice = (a - q * p) * 2n;
  if (twice > p || (twice === p && (sticky || (q & 1n) === 1n))) q += 1n;
  if (q === LIMIT) return { c: c < 0n ? -q / 10n : q / 10n, e: e + k + 1 };
  return { c: c < 0n ? -q : q, e: e + k };
}

const PLAIN = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/** An exact decimal string (a journal value); anything else (an exponent) goes through Decimal's own parse, still exact. */
export function num(s: string): Num {
  const m = PLAIN.exec(s);
  if (!m || (m[2] === '' && !m[3])) return fromDecimal(new Decimal(s));
  const frac = m[3] ?? '';
  return { c: BigInt(`${m[1]}${m[2] || '0'}${frac}`), e: -frac.length };
}

export function fromDecimal(d: Decimal): Num {
  if (!d.isFinite()) throw new Error(`not a finite decimal: ${d.toString()}`);
  return num(d.toFixed());
}

export function toDecimal(x: Num): Decimal {
  return new Decimal(x.e === 0 ? x.c.toString() : `${x.c}e${x.e}`);
}

export const isZero = (x: Num): boolean => x.c === 0n;

function align(a: Num, b: Num): [bigint, bigint, number] {
  if (a.e === b.e) return [a.c, b.c, a.e];
  return a.e < b.e ? [a.c, b.c * pow10(b.e - a.e), a.e] : [a.c * pow10(a.e - b.e), b.c, b.e];
}

export function add(a: Num, b: Num): Num {
  if (b.c === 0n) return fin(a.c, a.e);
  if (a.c === 0n) return fin(b.c, b.e);
  const [x, y, e] = align(a, b);
  return fin(x + y, e);
}

export const sub = (a: Num, b: Num): Num => add(a, { c: -b.c, e: b.e });

export const mul = (a: Num, b: Num): Num => fin(a.c * b.c, a.e + b.e);

export function div(a: Num, b: Num): Num {
  if (b.c === 0n) throw new Error('division by zero');
  if (a.c % b.c === 0n) return fin(a.c / b.c, a.e - b.e);
  const neg = a.c < 0n !== b.c < 0n;
  const n = a.c < 0n ? -a.c : a.c;
  const d = b.c < 0n ? -b.c : b.c;
  // Enough quotient digits to round at PREC, the remainder kept as the sticky bit.
  const s = Math.max(0, PREC + 2 + digits(d) - digits(n));
  const big = n * pow10(s);
  const q = big / d;
  const r = fin(neg ? -q : q, a.e - b.e - s, big - q * d !== 0n);
  return r;
}

export function cmp(a: Num, b: Num): number {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}
