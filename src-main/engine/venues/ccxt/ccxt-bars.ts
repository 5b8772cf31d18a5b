/**
 * Price history for the chart through ccxt's unified `fetchOHLCV(symbol, timeframe, since, limit)`
 * (rows `[ms, open, high, low, close, volume]`), on exchanges whose `has.fetchOHLCV` says they
 * serve it in the asked timeframe. ccxt hands over numbers; each becomes the decimal its shortest
 * round-trip text names (as every ccxt figure here, ccxt-mapping.ts `decOf`).
 */
import type * as Ccxt from 'ccxt';
import { TradeportError } from '../../api/errors';
import { BAR_INTERVAL_NAMES, barWindow, type Bar } from '../../domain/bar';
import { Decimal } from '../../domain/money';
import { decOf } from './ccxt-mapping';

export async function ccxtBars(
  ex: Pick<Ccxt.Exchange, 'has' | 'timeframes' | 'fetchOHLCV' | 'name'>,
  query: <T>(f: () => Promise<T>) => Promise<T>,
  symbol: string,
  intervalSec: number,
  sinceMs: number | undefined,
  limit: number,
): Promise<Bar[]> {
  const tf = BAR_INTERVAL_NAMES[intervalSec];
  if (!ex.has['fetchOHLCV'] || !tf || (ex.timeframes && !(tf in ex.timeframes)))
    throw new TradeportError('invalid_input', `${String(ex.name)} offers no ${tf ?? `${intervalSec}-second`} price history through ccxt; its chart starts from live quotes.`);
  const rows = await query(() => ex.fetchOHLCV(symbol, tf, sinceMs, limit));
  const bars: Bar[] = [];
  for (const [ts, o, h, l, c, v] of rows) {
    if (typeof ts !== 'number' || ![o, h, l, c].every((x) => typeof x === 'number' && Number.isFinite(x))) continue;
    bars.push({ ts, open: new Decimal(decOf(o)), high: new Decimal(decOf(h)), low: new Decimal(decOf(l)), close: new Decimal(decOf(c)), volume: new Decimal(decOf(v)) });
  }
  return barWindow(bars, sinceMs, limit);
}
