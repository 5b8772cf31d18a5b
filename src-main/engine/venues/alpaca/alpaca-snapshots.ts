/**
 * Alpaca's market-data snapshots, the day figures a watchlist shows before the first streamed daily
 * bar: `GET /v2/stocks/snapshots?symbols=A,B&feed=` answers `{A: snapshot, B: snapshot}`, `GET
 * /v1beta3/crypto/us/snapshots?symbols=` the same rows under `snapshots` (docs.alpaca.markets
 * market data; the official JS SDK's getSnapshots / getCryptoSnapshots). A snapshot is
 * `{latestTrade, latestQuote, minuteBar, dailyBar, prevDailyBar}`, any of them null or absent;
 * bars are `{t, o, h, l, c, v, n, vw}`, quotes `{t, bp, bs, ap, as, …}`, trades `{t, p, s, …}`.
 */
import { z } from 'zod';
import type { Quote } from '../../domain/order';
import { dayStatsFrom, type DayStats } from '../../market/live-quotes';

const bar = z.object({ h: z.number(), l: z.number(), c: z.number(), v: z.number() }).passthrough();
const quote = z.object({ bp: z.number(), bs: z.number(), ap: z.number(), as: z.number(), t: z.string() }).passthrough();
const trade = z.object({ p: z.number() }).passthrough();

export const wireSnapshot = z
  .object({
    latestTrade: trade.nullish(),
    latestQuote: quote.nullish(),
    minuteBar: bar.nullish(),
    dailyBar: bar.nullish(),
    prevDailyBar: bar.nullish(),
  })
  .passthrough();
export type WireSnapshot = z.infer<typeof wireSnapshot>;

export const wireStockSnapshots = z.record(z.string(), wireSnapshot);
export const wireCryptoSnapshots = z.object({ snapshots: z.record(z.string(), wireSnapshot) }).passthrough();

/** What a snapshot gives a quote: the touch (when it has a quote) and the day statistics. */
export interface SnapshotQuote {
  readonly touch?: Pick<Quote, 'bid' | 'ask' | 'bidSize' | 'askSize'>;
  readonly day: DayStats;
}

export function fromSnapshot(s: WireSnapshot): SnapshotQuote {
  const q = s.latestQuote;
  // Alpaca sends 0 for a side with no order (out of hours, IEX): no price, not a price of 0.
  const touch = q && q.bp > 0 && q.ap > 0 ? { bid: String(q.bp), ask: String(q.ap), bidSize: String(q.bs), askSize: String(q.as) } : undefined;
  const d = s.dailyBar;
  return {
    ...(touch ? { touch } : {}),
    day: dayStatsFrom({ last: s.latestTrade?.p, prevClose: s.prevDailyBar?.c, high: d?.h, low: d?.l, volume: d?.v }),
  };
}
