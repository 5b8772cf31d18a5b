/**
 * Number formatting straight from decimal strings. Money never passes through a binary float:
 * rounding is done by decimal.js, grouping and padding by string manipulation.
 */
import { Decimal } from '../../../src-main/engine/domain/money';

const PLAIN = /^[+-]?(\d+\.?\d*|\.\d+)$/;

export interface FormatOptions {
  /** Exactly this many decimals (pads or rounds). */
  readonly dp?: number;
  /** Keep at least this many decimals when trimming trailing zeros (default 0). */
  readonly minDp?: number;
  /** Round to at most this many decimals, then trim trailing zeros down to minDp. */
  readonly maxDp?: number;
  /** Thousands separators (default true). */
  readonly group?: boolean;
  /** Show "+" for positive values (P&L). */
  readonly plus?: boolean;
}

export const DASH = '—';

function groupInt(int: string): string {
  let out = '';
  for (let i = 0; i < int.length; i++) {
    if (i > 0 && (int.length - i) % 3 === 0) out += ',';
    out += int[i];
  }
  return out;
}

/** Formats a decimal string. Missing values show as an em dash; non-decimals are shown as given. */
export function formatDecimal(value: string | null | undefined, opts: FormatOptions = {}): string {
  if (value === undefined || value === null || value.trim() === '') return DASH;
  const v = value.trim();
  if (!PLAIN.test(v)) return v;
  const d = new Decimal(v);
  let s: string;
  if (opts.dp !== undefined) {
    // Display rounding is half-up: what a trader expects to see when a figure is cut short.
    s = d.toFixed(opts.dp, Decimal.ROUND_HALF_UP);
  } else {
    s = opts.maxDp !== undefined ? d.toDecimalPlaces(opts.maxDp, Decimal.ROUND_HALF_UP).toFixed() : d.toFixed();
    const minDp = opts.minDp ?? 0;
    const dot = s.indexOf('.');
    const frac = dot < 0 ? '' : s.slice(dot + 1);
    if (frac.length < minDp) s = (dot < 0 ? s + '.' : s) + '0'.repeat(minDp - frac.length);
  }
  let sign = '';
  if (s.startsWith('-')) {
    s = s.slice(1);
    // "-0.00" after rounding is zero: no sign.
    sign = /[1-9]/.test(s) ? '-' : '';
  } else if (opts.plus && /[1-9]/.test(s)) {
    sign = '+';
  }
  const dot = s.indexOf('.');
  const int = dot < 0 ? s : s.slice(0, dot);
  const frac = dot < 0 ? '' : s.slice(dot);
  return sign + (opts.group === false ? int : groupInt(int)) + frac;
}

/** Decimal places of a step such as a tick ("0.01" → 2, "1" → 0, "0.00050" → 4). */
export function stepDecimals(step: string | undefined): number | undefined {
  if (step === undefined || !PLAIN.test(step.trim())) return undefined;
  return new Decimal(step.trim()).decimalPlaces();
}

/** -1, 0 or 1; 0 for missing or unparsable values. */
export function signOf(value: string | null | undefined): -1 | 0 | 1 {
  if (!value || !PLAIN.test(value.trim())) return 0;
  const d = new Decimal(value.trim());
  return d.isZero() ? 0 : d.isNegative() ? -1 : 1;
}

export function formatPrice(value: string | null | undefined, tickSize?: string): string {
  const dp = stepDecimals(tickSize);
  return dp === undefined ? formatDecimal(value, { minDp: 2, maxDp: 10 }) : formatDecimal(value, { dp });
}

export function formatQty(value: string | null | undefined, lotSize?: string): string {
  const dp = stepDecimals(lotSize);
  return dp === undefined ? formatDecimal(value, { maxDp: 10 }) : formatDecimal(value, { minDp: 0, maxDp: Math.max(dp, 0) });
}

export function formatMoney(value: string | null | undefined, opts: { plus?: boolean } = {}): string {
  return formatDecimal(value, { dp: 2, plus: opts.plus });
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** HH:MM:SS in UTC: the terminal shows one time zone everywhere. */
export function formatTime(ts: number | undefined): string {
  if (ts === undefined || !Number.isFinite(ts)) return DASH;
  const d = new Date(ts);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** MM-DD HH:MM:SS in UTC, for history that spans days. */
export function formatDateTime(ts: number | undefined): string {
  if (ts === undefined || !Number.isFinite(ts)) return DASH;
  const d = new Date(ts);
  return `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${formatTime(ts)}`;
}
