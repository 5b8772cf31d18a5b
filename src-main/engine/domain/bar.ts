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
