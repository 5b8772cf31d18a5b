/**
 * Summaries of one figure over the rounds of a benchmark: the median is the figure we report; the
 * spread (min–max and the interquartile range) says how far one run can be trusted.
 */
export interface Spread {
  readonly n: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly q1: number;
  readonly q3: number;
  /** IQR relative to the median: how much a single run may move the figure. */
  readonly relIqr: number;
}

/** Linear-interpolated quantile of sorted values (the usual "type 7" definition). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function spread(values: readonly number[]): Spread {
  const s = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const median = quantile(s, 0.5);
  const q1 = quantile(s, 0.25);
  const q3 = quantile(s, 0.75);
  return { n: s.length, median, min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN, q1, q3, relIqr: median !== 0 ? (q3 - q1) / Math.abs(median) : NaN };
}

/** A word for the reader: below 5 % IQR a single run is close to the median; above 15 % it is not. */
export function stability(s: Spread): 'stable' | 'fair' | 'noisy' {
  if (!(s.relIqr < 0.15)) return 'noisy';
  return s.relIqr < 0.05 ? 'stable' : 'fair';
}

/** Three significant digits, enough for figures whose spread is a few percent. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1000) return Math.round(x).toLocaleString('en-US');
  return Number(x.toPrecision(3)).toString();
}
