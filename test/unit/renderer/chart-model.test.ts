import { describe, expect, it, vi } from 'vitest';
import { addSample, barCandles, bucketOf, depthCurve, fillMarkers, orderLines, quotePrice, withHistory, type Candle } from '../../../src-renderer/src/features/chart/chart-model';
import { BAR_SEC, chartFeed, chartStore, loadHistory, MAX_SERIES, seriesKey, withSamples } from '../../../src-renderer/src/features/chart/chart-actions';
import { setActiveClient } from '../../../src-renderer/src/api/invoke';
import type { TradeportClient } from '../../../src-main/engine/api/transport';
import { fill, order, quote } from './fixtures';

const T0 = Date.UTC(2026, 11, 4, 14, 30, 0);

describe('candles from quotes', () => {
  it('charts the last trade, else the exact mid, else one side', () => {
    expect(quotePrice({ bid: '100', ask: '100.03', last: '100.01' })).toBe('100.01');
    expect(quotePrice({ bid: '100', ask: '100.03' })).toBe('100.015');
    expect(quotePrice({ ask: '7' })).toBe('7');
    expect(quotePrice({})).toBeUndefined();
  });

  it('moves the current bar, opens the next one, drops late samples and keeps at most max bars', () => {
    let c: readonly Candle[] = [];
    c = addSample(c, T0 + 1_000, '100', 15, 3);
    c = addSample(c, T0 + 5_000, '101.5', 15, 3);
    c = addSample(c, T0 + 9_000, '99.25', 15, 3);
    c = addSample(c, T0 + 14_999, '100.5', 15, 3);
    expect(c).toEqual([{ time: T0 / 1000, open: '100', high: '101.5', low: '99.25', close: '100.5' }]);
    const same = addSample(c, T0 + 14_000, '100.50', 15, 3);
    expect(same).toBe(c);
    c = addSample(c, T0 + 15_000, '100.75', 15, 3);
    expect(c[1]).toEqual({ time: T0 / 1000 + 15, open: '100.75', high: '100.75', low: '100.75', close: '100.75' });
    expect(addSample(c, T0 + 2_000, '1', 15, 3)).toBe(c);
    c = addSample(c, T0 + 60_000, '102', 15, 3);
    c = addSample(c, T0 + 75_000, '103', 15, 3);
    expect(c.map((k) => k.time)).toEqual([T0 / 1000 + 15, T0 / 1000 + 60, T0 / 1000 + 75]);
    expect(bucketOf(T0 + 29_999, 15)).toBe(T0 / 1000 + 15);
  });

  it('keeps at most MAX_SERIES instruments, dropping the least recently quoted', () => {
    let m = withSamples({}, [{ key: 'paper|first', ts: T0, price: '1' }]);
    for (let i = 0; i < MAX_SERIES; i++) m = withSamples(m, [{ key: `paper|i${i}`, ts: T0, price: '2' }]);
    expect(Object.keys(m)).toHaveLength(MAX_SERIES);
    expect(m['paper|first']).toBeUndefined();
    expect(m[`paper|i${MAX_SERIES - 1}`]?.[0]?.close).toBe('2');
  });

  it('the feed applies a frame of quotes at once, on the scheduled frame only', () => {
    const frames: (() => void)[] = [];
    const feed = chartFeed((cb) => {
      frames.push(cb);
      return () => undefined;
    });
    feed.onEvents([{ type: 'quote', quote: quote('paper:ETH', '10', T0, '10.2') }]);
    feed.onEvents([{ type: 'quote', quote: { ...quote('paper:ETH', '10', T0 + 1_000, '10.2'), last: '10.4' } }]);
    expect(frames).toHaveLength(1);
    expect(chartStore.getState().candles[seriesKey('paper', 'paper:ETH')]).toBeUndefined();
    frames[0]!();
    expect(chartStore.getState().candles[seriesKey('paper', 'paper:ETH')]).toEqual([{ time: T0 / 1000, open: '10.1', high: '10.4', low: '10.1', close: '10.4' }]);
  });
});

describe('fills and orders on the chart', () => {
  it('marks this instrument’s fills on their bars, oldest first', () => {
    const f2 = { ...fill('f2', 'o1', T0 + 20_000), side: 'sell' as const, price: '101' };
    const other = { ...fill('f3', 'o2', T0), instrumentId: 'paper:MSFT' };
    const m = fillMarkers([f2, fill('f1', 'o1', T0 + 3_000), other], 'paper', 'paper:AAPL', 15);
    expect(m).toEqual([
      { id: 'f1', time: T0 / 1000, side: 'buy', text: 'B 1 @ 100' },
      { id: 'f2', time: T0 / 1000 + 15, side: 'sell', text: 'S 1 @ 101' },
    ]);
  });

  it('draws working orders at their limit or stop; trailing stops are not dragged; done orders are gone', () => {
    const lines = orderLines(
      [
        order({ id: 'l', limitPrice: '99.5', qty: '10', filledQty: '4', status: 'partially_filled' }),
        order({ id: 's', side: 'sell', type: 'stop', limitPrice: undefined, stopPrice: '95' }),
        order({ id: 't', side: 'sell', type: 'trailing_stop', limitPrice: undefined, trailStop: '94' }),
        order({ id: 'done', status: 'filled' }),
        order({ id: 'm', type: 'market', limitPrice: undefined }),
        order({ id: 'x', instrumentId: 'paper:MSFT' }),
      ],
      'paper',
      'paper:AAPL',
    );
    expect(lines).toEqual([
      { id: 'l', venue: 'paper', side: 'buy', price: '99.5', title: 'buy 6 limit', draggable: true },
      { id: 's', venue: 'paper', side: 'sell', price: '95', title: 'sell 10 stop', draggable: true },
      { id: 't', venue: 'paper', side: 'sell', price: '94', title: 'sell 10 trailing stop', draggable: false },
    ]);
  });
});

describe('depth', () => {
  it('adds up each side from the inside out, both in ascending price, merging equal prices and skipping empty levels', () => {
    const d = depthCurve(
      [
        { price: '100', qty: '1.5' },
        { price: '99.5', qty: '2' },
        { price: '99.50', qty: '0.25' },
        { price: '99', qty: '0' },
      ],
      [
        { price: '101', qty: '3' },
        { price: '100.5', qty: '0.1' },
      ],
    );
    expect(d.bids).toEqual([
      { price: '99.5', total: '3.75' },
      { price: '100', total: '1.5' },
    ]);
    expect(d.asks).toEqual([
      { price: '100.5', total: '0.1' },
      { price: '101', total: '3.1' },
    ]);
    expect(depthCurve([], [])).toEqual({ bids: [], asks: [] });
  });
});

describe('history first, live candles on top', () => {
  const bar = (ts: number, open: string, high: string, low: string, close: string) => ({ ts, open, high, low, close, volume: '1' });
  const history = barCandles([bar(T0 - 120_000, '99', '100', '98', '99.5'), bar(T0 - 60_000, '99.5', '101', '99', '100'), bar(T0, '100', '100.5', '99.8', '100.2')]);

  it('turns venue bars (UTC ms) into candles (UTC seconds)', () => {
    expect(history.map((c) => c.time)).toEqual([T0 / 1000 - 120, T0 / 1000 - 60, T0 / 1000]);
    expect(history[2]).toEqual({ time: T0 / 1000, open: '100', high: '100.5', low: '99.8', close: '100.2' });
  });

  it('merges the bar both have (venue open, both extremes, stream close) and appends newer live bars in time order', () => {
    let live: readonly Candle[] = [];
    live = addSample(live, T0 + 20_000, '100.9', BAR_SEC, 100);
    live = addSample(live, T0 + 40_000, '99.7', BAR_SEC, 100);
    live = addSample(live, T0 + 50_000, '100.1', BAR_SEC, 100);
    live = addSample(live, T0 + 65_000, '100.3', BAR_SEC, 100);
    expect(withHistory(history, live)).toEqual([
      history[0],
      history[1],
      { time: T0 / 1000, open: '100', high: '100.9', low: '99.7', close: '100.1' },
      { time: T0 / 1000 + 60, open: '100.3', high: '100.3', low: '100.3', close: '100.3' },
    ]);
  });

  it('without history the live candles are the chart, unchanged; without live ones the history is', () => {
    const live = addSample([], T0, '5', BAR_SEC, 10);
    expect(withHistory([], live)).toBe(live);
    expect(withHistory(history, [])).toEqual(history);
  });

  it('never sorts on a frame: a long history with live bars inside and after it merges in time order', () => {
    // 500 one-minute bars; live bars on the last history minute, on a gap inside it, and after it.
    const start = T0 / 1000 - 500 * 60;
    const long: Candle[] = Array.from({ length: 500 }, (_, k) => ({ time: start + k * 60, open: '1', high: '2', low: '0.5', close: '1.5' }));
    const gap = long.filter((c) => c.time !== start + 499 * 60 - 120);
    const live: Candle[] = [
      { time: start + 499 * 60 - 120, open: '3', high: '3', low: '3', close: '3' },
      { time: start + 499 * 60, open: '1.7', high: '2.5', low: '1.2', close: '1.8' },
      { time: start + 500 * 60, open: '1.8', high: '1.9', low: '1.8', close: '1.9' },
    ];
    const sort = vi.spyOn(Array.prototype, 'sort');
    let merged: readonly Candle[];
    try {
      merged = withHistory(gap, live);
    } finally {
      expect(sort).not.toHaveBeenCalled();
      sort.mockRestore();
    }
    expect(merged.length).toBe(501);
    expect(merged.every((c, k) => k === 0 || merged[k - 1]!.time < c.time)).toBe(true);
    expect(merged.slice(0, 497)).toEqual(gap.slice(0, 497));
    expect(merged.slice(-4)).toEqual([live[0], gap[497], { time: start + 499 * 60, open: '1', high: '2.5', low: '0.5', close: '1.8' }, live[2]]);
    // Live bars older than all the history (a sample seen before the bars' window) come first.
    const early = { time: start - 60, open: '9', high: '9', low: '9', close: '9' };
    expect(withHistory(long.slice(0, 2), [early]).map((c) => c.time)).toEqual([start - 60, start, start + 60]);
  });

  it('a chart shown again (a view toggled) does not ask for its history again; a failed load is asked again', async () => {
    let calls = 0;
    let fail = true;
    setActiveClient({
      invoke: async (_command: string, input: { venue: string }) => {
        calls++;
        if (fail) return { ok: false, error: { code: 'venue_unavailable', message: 'down' } };
        return { ok: true, value: { venue: input.venue, symbol: 'MSFT', instrumentId: 'cache:MSFT', interval: '1m', bars: [bar(T0, '1', '2', '0.5', '1.5')] } };
      },
    } as unknown as TradeportClient);
    chartStore.setState({ history: {} });
    await loadHistory('cache', 'MSFT', 'cache:MSFT');
    expect(calls).toBe(1);
    fail = false;
    // Two opens at once share one request; later opens (view toggles) ask nothing.
    await Promise.all([loadHistory('cache', 'MSFT', 'cache:MSFT'), loadHistory('cache', 'MSFT', 'cache:MSFT')]);
    await loadHistory('cache', 'MSFT', 'cache:MSFT');
    expect(calls).toBe(2);
    expect(chartStore.getState().history[seriesKey('cache', 'cache:MSFT')]).toHaveLength(1);
    // A series the store has dropped since (MAX_SERIES) is loaded again.
    chartStore.setState({ history: {} });
    await loadHistory('cache', 'MSFT', 'cache:MSFT');
    expect(calls).toBe(3);
  });

  it('loadHistory asks the engine for one-minute bars and keeps them per series; a venue without bars leaves none', async () => {
    const calls: { command: string; input: unknown }[] = [];
    const client = {
      invoke: async (command: string, input: { venue: string }) => {
        calls.push({ command, input });
        if (input.venue === 'nobars') return { ok: false, error: { code: 'invalid_input', message: 'nobars offers no price history; its chart starts from live quotes.' } };
        return { ok: true, value: { venue: input.venue, symbol: 'AAPL', instrumentId: 'paper:AAPL', interval: '1m', bars: [bar(T0, '100', '100.5', '99.8', '100.2')] } };
      },
    } as unknown as TradeportClient;
    setActiveClient(client);
    chartStore.setState({ history: {} });
    await loadHistory('paper', 'AAPL', 'paper:AAPL');
    await loadHistory('nobars', 'AAPL', 'nobars:AAPL');
    expect(calls).toEqual([
      { command: 'market.bars', input: { venue: 'paper', symbol: 'AAPL', interval: '1m', limit: 500 } },
      { command: 'market.bars', input: { venue: 'nobars', symbol: 'AAPL', interval: '1m', limit: 500 } },
    ]);
    expect(chartStore.getState().history).toEqual({ [seriesKey('paper', 'paper:AAPL')]: [{ time: T0 / 1000, open: '100', high: '100.5', low: '99.8', close: '100.2' }] });
  });
});
