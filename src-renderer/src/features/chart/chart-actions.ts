/**
 * The charts' engine side. A price chart opens with the venue's bars (`market.bars`, one-minute,
 * loaded once per venue, symbol and interval for the session — closing and reopening a chart, or
 * toggling its view, does not ask again; a venue without bars has none) and live candles are built
 * here, in the renderer, from the `quote` events the window already receives, drawn on top of the
 * history at the same one-minute interval; a closed window costs the engine nothing. Every instrument quoted gets a bounded series (MAX_BARS bars of BAR_SEC seconds, at most
 * MAX_SERIES instruments, the least recently quoted dropped first), so switching instruments shows
 * what was seen since the window opened. Depth comes from `book.watch` (the stream the ladder uses;
 * the engine counts watches). Both are applied at most once per animation frame.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { EngineEvent } from '../../../../src-main/engine/api/events';
import type { BookSnapshot } from '../../../../src-main/engine/domain/order';
import { invoke } from '../../api/invoke';
import type { FrameScheduler } from '../../store/coalescer';
import { addSample, barCandles, quotePrice, type Candle } from './chart-model';

/** One minute: the venues' smallest bar, so history and live candles share one time scale. */
export const BAR_SEC = 60;
/** Bars of history asked for when a chart opens. */
export const HISTORY_BARS = 500;
export const MAX_BARS = 960;
export const MAX_SERIES = 24;
export const DEPTH_LEVELS = 50;

interface ChartState {
  /** Keyed by `venue|instrumentId`. */
  readonly candles: Readonly<Record<string, readonly Candle[]>>;
  /** The venue's bars per series, as loaded when its chart opened (at most MAX_SERIES series). */
  readonly history: Readonly<Record<string, readonly Candle[]>>;
  readonly depthOf?: { readonly venue: string; readonly instrumentId: string };
  readonly book?: BookSnapshot;
  readonly depthError?: string;
}

export const chartStore = createStore<ChartState>()(() => ({ candles: {}, history: {} }));
export const useChart = <T>(pick: (s: ChartState) => T): T => useStore(chartStore, pick);
export const seriesKey = (venue: string, instrumentId: string): string => `${venue}|${instrumentId}`;

/** Adds samples to the series map, keeping at most MAX_SERIES series (the least recently updated go). */
export function withSamples(candles: Readonly<Record<string, readonly Candle[]>>, samples: readonly { key: string; ts: number; price: string }[]): Readonly<Record<string, readonly Candle[]>> {
  if (samples.length === 0) return candles;
  const next = new Map(Object.entries(candles));
  for (const s of samples) {
    const cur = next.get(s.key) ?? [];
    next.delete(s.key);
    next.set(s.key, addSample(cur, s.ts, s.price, BAR_SEC, MAX_BARS));
  }
  while (next.size > MAX_SERIES) next.delete(next.keys().next().value!);
  return Object.fromEntries(next);
}

/** The raw event stream's feed (main.tsx): quotes become candle samples, the watched book its depth; drawn on the next frame. */
export function chartFeed(schedule: FrameScheduler): { onEvents: (events: readonly EngineEvent[]) => void } {
  let samples: { key: string; ts: number; price: string }[] = [];
  let book: BookSnapshot | undefined;
  let scheduled = false;
  return {
    onEvents(events) {
      const watched = chartStore.getState().depthOf;
      for (const e of events) {
        if (e.type === 'quote') {
          const price = quotePrice(e.quote);
          if (price !== undefined) samples.push({ key: seriesKey(e.quote.venue, e.quote.instrumentId), ts: e.quote.ts, price });
        } else if (e.type === 'book' && watched && e.venue === watched.venue && e.book.instrumentId === watched.instrumentId) book = e.book;
      }
      if ((samples.length === 0 && !book) || scheduled) return;
      scheduled = true;
      schedule(() => {
        scheduled = false;
        const s = chartStore.getState();
        const b = book;
        const batch = samples;
        samples = [];
        book = undefined;
        const fresh = b && s.depthOf && b.instrumentId === s.depthOf.instrumentId && (!s.book || b.ts >= s.book.ts) ? b : undefined;
        chartStore.setState({ candles: withSamples(s.candles, batch), ...(fresh ? { book: fresh, depthError: undefined } : {}) });
      });
    },
  };
}

/** Seeds a series with the quote the window already holds (the chart opened between quotes). */
export function seedSample(venue: string, instrumentId: string, q: { bid?: string; ask?: string; last?: string; ts: number } | undefined): void {
  const price = q ? quotePrice(q) : undefined;
  if (!q || price === undefined) return;
  const s = chartStore.getState();
  if (s.candles[seriesKey(venue, instrumentId)]?.length) return;
  chartStore.setState({ candles: withSamples(s.candles, [{ key: seriesKey(venue, instrumentId), ts: q.ts, price }]) });
}

/** History loads of this session by venue, symbol and interval: under way, or done and kept. */
const historyLoads = new Map<string, { readonly promise: Promise<void>; done: boolean }>();

/**
 * Loads the venue's bars for a chart that opens, once per (venue, symbol, interval) this session:
 * a chart shown again (a view toggled) finds them in the store, a second open while the first load
 * is out shares it. A venue without bars (or a load that failed) leaves the chart to live quotes
 * and is asked again the next time the chart opens; so is a series the store has since dropped.
 */
export function loadHistory(venue: string, symbol: string, instrumentId: string): Promise<void> {
  const interval = '1m';
  const key = seriesKey(venue, instrumentId);
  const cacheKey = `${venue}|${symbol}|${interval}`;
  const known = historyLoads.get(cacheKey);
  if (known && (!known.done || chartStore.getState().history[key] !== undefined)) return known.promise;
  const entry: { promise: Promise<void>; done: boolean } = { promise: Promise.resolve(), done: false };
  entry.promise = (async () => {
    let kept = false;
    try {
      const r = await invoke('market.bars', { venue, symbol, interval, limit: HISTORY_BARS });
      if (!r.ok) return;
      kept = true;
      const next = new Map(Object.entries(chartStore.getState().history));
      next.delete(key);
      next.set(key, barCandles(r.value.bars));
      while (next.size > MAX_SERIES) next.delete(next.keys().next().value!);
      chartStore.setState({ history: Object.fromEntries(next) });
    } finally {
      entry.done = true;
      if (!kept && historyLoads.get(cacheKey) === entry) historyLoads.delete(cacheKey);
    }
  })();
  historyLoads.set(cacheKey, entry);
  return entry.promise;
}

/** Watches the book for the depth chart; returns the unwatch for the effect's cleanup. */
export function watchDepth(venue: string, symbol: string, instrumentId: string): () => void {
  chartStore.setState({ depthOf: { venue, instrumentId }, book: undefined, depthError: undefined });
  let live = true;
  void invoke('book.watch', { venue, symbol, depth: DEPTH_LEVELS }).then((r) => {
    if (!live) return;
    const cur = chartStore.getState();
    if (r.ok) {
      if (!cur.book || r.value.ts >= cur.book.ts) chartStore.setState({ book: r.value, depthError: undefined });
    } else chartStore.setState({ depthError: `${r.error.code}: ${r.error.message}` });
  });
  return () => {
    live = false;
    chartStore.setState({ depthOf: undefined, book: undefined });
    void invoke('book.unwatch', { venue, symbol });
  };
}
