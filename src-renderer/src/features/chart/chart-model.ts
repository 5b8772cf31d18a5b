/**
 * The price and depth charts as pure functions over exact decimals: the venue's bars as history
 * (`market.bars`, where the venue has them) with the candles built from the quotes the engine
 * streams merged on top, the trader's fills as markers, working orders as price lines, and the book's
 * cumulative bid and ask depth. Numbers appear only where the chart library draws (the views).
 */
import type { BookLevel, Fill, Order } from '../../../../src-main/engine/domain/order';
import { isWorking } from '../../../../src-main/engine/domain/order';
import { Decimal } from '../../../../src-main/engine/domain/money';
import { remainingQty } from '../../../../src-main/engine/domain/order-remaining';
import { orderPrice } from '../ladder/ladder-model';

/** One bar: `time` is the bucket's start in UTC seconds; prices are canonical decimal strings. */
export interface Candle {
  readonly time: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
}

/** The price a quote is charted at: the last trade, else the mid, else whichever side there is. */
export function quotePrice(q: { readonly bid?: string; readonly ask?: string; readonly last?: string }): string | undefined {
  if (q.last !== undefined) return q.last;
  if (q.bid !== undefined && q.ask !== undefined) return new Decimal(q.bid).plus(q.ask).div(2).toFixed();
  return q.bid ?? q.ask;
}

/** The start (UTC seconds) of the bucket of `intervalSec` holding `tsMs`. */
export const bucketOf = (tsMs: number, intervalSec: number): number => Math.floor(tsMs / 1000 / intervalSec) * intervalSec;

/**
 * A price seen at `tsMs` added to the candles: it moves the current bar, or opens the next one;
 * a sample older than the newest bar is dropped (the stream is ordered; a late one says nothing
 * new). At most `max` bars are kept: the oldest go first. Returns the same array when unchanged.
 */
export function addSample(candles: readonly Candle[], tsMs: number, price: string, intervalSec: number, max: number): readonly Candle[] {
  const time = bucketOf(tsMs, intervalSec);
  const last = candles[candles.length - 1];
  if (last && time < last.time) return candles;
  if (last && time === last.time) {
    const p = new Decimal(price);
    const high = p.gt(last.high) ? p.toFixed() : last.high;
    const low = p.lt(last.low) ? p.toFixed() : last.low;
    const close = p.toFixed();
    if (high === last.high && low === last.low && close === last.close) return candles;
    return [...candles.slice(0, -1), { time, open: last.open, high, low, close }];
  }
  const p = new Decimal(price).toFixed();
  const next = [...candles, { time, open: p, high: p, low: p, close: p }];
  return next.length > max ? next.slice(next.length - max) : next;
}

/** A venue's bars (`market.bars`, `ts` in UTC ms) as candles (UTC seconds), in time order (sorted here, once, if the venue's were not). */
export function barCandles(bars: readonly { ts: number; open: string; high: string; low: string; close: string }[]): Candle[] {
  const out = bars.map((b) => ({ time: Math.floor(b.ts / 1000), open: b.open, high: b.high, low: b.low, close: b.close }));
  return out.every((c, i) => i === 0 || out[i - 1]!.time <= c.time) ? out : out.sort((a, b) => a.time - b.time);
}

/**
 * History first, live candles on top, one bar per time, oldest first. Where both have a bar (the
 * minute the window opened in, or one the history's open bar shares with the stream), the venue's
 * open stands (it saw the whole bar), the extremes of both count, and the stream's close is the
 * newest price. Returns `live` itself when there is no history, `history` itself when no live bar.
 *
 * Runs every animation frame a quote arrives, so it never sorts: both inputs are in time order
 * (live candles are built in order, history is sorted once when loaded); the bars before the first
 * live one are found by binary search and copied as they are, and the few left are merged in step.
 */
export function withHistory(history: readonly Candle[], live: readonly Candle[]): readonly Candle[] {
  if (history.length === 0) return live;
  if (live.length === 0) return history;
  let i = firstAtOrAfter(history, live[0]!.time);
  const out = history.slice(0, i);
  for (const l of live) {
    while (i < history.length && history[i]!.time < l.time) out.push(history[i++]!);
    const h = i < history.length && history[i]!.time === l.time ? history[i++] : undefined;
    out.push(h ? { time: l.time, open: h.open, high: Decimal.max(h.high, l.high).toFixed(), low: Decimal.min(h.low, l.low).toFixed(), close: l.close } : l);
  }
  while (i < history.length) out.push(history[i++]!);
  return out;
}

/** The index of the first candle at or after `time` (candles in time order). */
function firstAtOrAfter(candles: readonly Candle[], time: number): number {
  let lo = 0;
  let hi = candles.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (candles[mid]!.time < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface FillMarker {
  readonly id: string;
  /** The bar it sits on (UTC seconds). */
  readonly time: number;
  readonly side: 'buy' | 'sell';
  readonly text: string;
}

/** The trader's fills of one instrument on one venue as markers on their bars, oldest first (the chart wants them sorted). */
export function fillMarkers(fills: readonly Fill[], venue: string, instrumentId: string, intervalSec: number): FillMarker[] {
  return fills
    .filter((f) => f.venue === venue && f.instrumentId === instrumentId)
    .map((f) => ({ id: f.id, time: bucketOf(f.ts, intervalSec), side: f.side, text: `${f.side === 'buy' ? 'B' : 'S'} ${f.qty} @ ${f.price}`, ts: f.ts }))
    .sort((a, b) => a.ts - b.ts || a.id.localeCompare(b.id))
    .map(({ ts: _ts, ...m }) => m);
}

export interface OrderLine {
  readonly id: string;
  readonly venue: string;
  readonly side: 'buy' | 'sell';
  readonly price: string;
  readonly title: string;
  /** Limit, stop and stop-limit orders move by price; a trailing stop follows the market instead. */
  readonly draggable: boolean;
}

/** The working orders of one instrument on one venue, each as a horizontal line at its limit (or stop) price. */
export function orderLines(orders: readonly Order[], venue: string, instrumentId: string): OrderLine[] {
  const out: OrderLine[] = [];
  for (const o of orders) {
    if (o.venue !== venue || o.instrumentId !== instrumentId || !isWorking(o.status)) continue;
    const at = orderPrice(o);
    if (!at) continue;
    const kind = o.type.replace('_', ' ');
    out.push({ id: o.id, venue: o.venue, side: o.side, price: at.price, title: `${o.side} ${remainingQty(o).toFixed()} ${kind}`, draggable: o.type !== 'trailing_stop' });
  }
  return out;
}

/** One step of a depth curve: everything resting at `price` or better, added up. */
export interface DepthPoint {
  readonly price: string;
  readonly total: string;
}

/**
 * The book's cumulative depth, both sides in ascending price (the chart's horizontal axis): bids
 * add up from the best (highest) bid down, asks from the best (lowest) ask up. Levels at the same
 * price are merged; empty levels are skipped.
 */
export function depthCurve(bids: readonly BookLevel[], asks: readonly BookLevel[]): { bids: DepthPoint[]; asks: DepthPoint[] } {
  const side = (levels: readonly BookLevel[], best: 'high' | 'low'): DepthPoint[] => {
    const merged = new Map<string, Decimal>();
    for (const l of levels) {
      const q = new Decimal(l.qty);
      if (q.lte(0)) continue;
      const k = new Decimal(l.price).toFixed();
      merged.set(k, (merged.get(k) ?? new Decimal(0)).plus(q));
    }
    const prices = [...merged.keys()].sort((a, b) => new Decimal(a).cmp(b) * (best === 'high' ? -1 : 1));
    let total = new Decimal(0);
    const out = prices.map((price) => {
      total = total.plus(merged.get(price)!);
      return { price, total: total.toFixed() };
    });
    return best === 'high' ? out.reverse() : out;
  };
  return { bids: side(bids, 'high'), asks: side(asks, 'low') };
}
