/**
 * A venue's price bar (OHLCV) for one interval: `ts` is the bar's start in UTC epoch ms; prices and
 * volume are exact decimals. Bars are history for the charts, never an input to trading.
 */
import type { Decimal } from './money';

export interface Bar {
  readonly ts: number;
  readonly open: Decimal;
  readonly high: Decimal;
  readonly low: Decimal;
  readonly close: Decimal;
  /** Traded quantity in the interval (base units); zero when the venue reports none. */
  readonly volume: Decimal;
}

/** The bar intervals the API offers, in seconds. */
export const BAR_INTERVALS = { '1m': 60, '5m': 300, '15m': 900, '1h': 3600, '4h': 14_400, '1d': 86_400 } as const;
export type BarInterval = keyof typeof BAR_INTERVALS;

/** The intervals as ccxt-style timeframe names, by seconds (`60` → `'1m'`). */
export const BAR_INTERVAL_NAMES: Readonly<Record<number, BarInterval>> = Object.fromEntries(Object.entries(BAR_INTERVALS).map(([name, sec]) => [sec, name as BarInterval]));

/**
 * The window of bars a `bars` call answers, from bars in any order: those from `sinceMs` on (the
 * oldest `limit` of them), or, with no `sinceMs`, the newest `limit`; oldest first.
 */
export function barWindow<B extends { readonly ts: number }>(bars: readonly B[], sinceMs: number | undefined, limit: number): B[] {
  const sorted = bars.filter((b) => sinceMs === undefined || b.ts >= sinceMs).sort((a, b) => a.ts - b.ts);
  return sinceMs === undefined ? sorted.slice(-limit) : sorted.slice(0, limit);
}
