/**
 * Kraken's price history for the chart: the public `GET /0/public/OHLC` (docs.kraken.com, "Get
 * OHLC Data"): `pair`, `interval` in minutes (1, 5, 15, 30, 60, 240, 1440, 10080, 21600) and an
 * optional `since` (unix seconds). The result holds the pair's rows `[time, open, high, low, close,
 * vwap, volume, count]` (time in unix seconds, decimals as strings) and `last`; at most the 720
 * newest rows, the last one the current, uncommitted bar. Checked with zod; prices stay exact.
 */
import { z } from 'zod';
import { barWindow, type Bar } from '../../domain/bar';
import { Decimal, parseDecimal } from '../../domain/money';
import { TradeportError } from '../../api/errors';
import type { KrakenRest } from './kraken-rest';

const KRAKEN_MINUTES = new Set([1, 5, 15, 30, 60, 240, 1440, 10080, 21600]);

const decimal = z.string().refine((s) => parseDecimal(s)?.gte(0) === true, 'a decimal ≥ 0');
const row = z.tuple([z.number().int().nonnegative(), decimal, decimal, decimal, decimal, decimal, decimal, z.number().int()]);
const ohlcResult = z.record(z.string(), z.union([z.array(row), z.number()]));

export async function krakenBars(rest: Pick<KrakenRest, 'public'>, pair: string, intervalSec: number, sinceMs: number | undefined, limit: number): Promise<Bar[]> {
  const minutes = intervalSec / 60;
  if (!KRAKEN_MINUTES.has(minutes)) throw new TradeportError('invalid_input', `Kraken has no ${intervalSec}-second bars; its chart starts from live quotes.`);
  // One second early: a bar starting exactly at sinceMs is in whichever way Kraken reads `since`.
  const query: Record<string, string> = { pair, interval: String(minutes) };
  if (sinceMs !== undefined) query['since'] = String(Math.max(0, Math.floor(sinceMs / 1000) - 1));
  const answer = ohlcResult.safeParse(await rest.public('OHLC', query));
  if (!answer.success)
    throw new TradeportError('venue_unavailable', `Kraken sent OHLC bars Tradeport cannot read (${answer.error.issues[0]?.path.join('.') ?? ''}: ${answer.error.issues[0]?.message ?? ''}).`);
  const result = answer.data;
  // The rows sit under Kraken's own pair key (XXBTZUSD for XBTUSD), beside `last`.
  const rows = Object.entries(result).find(([k, v]) => k !== 'last' && Array.isArray(v))?.[1] as z.infer<typeof row>[] | undefined;
  const bars = (rows ?? []).map(([t, open, high, low, close, , volume]) => ({
    ts: t * 1000,
    open: new Decimal(open),
    high: new Decimal(high),
    low: new Decimal(low),
    close: new Decimal(close),
    volume: new Decimal(volume),
  }));
  return barWindow(bars, sinceMs, limit);
}
