import { describe, expect, it } from 'vitest';
import { BinanceBookSync, type DepthDiff, type DepthSnapshot } from '../../../src-main/engine/venues/binance/binance-book-sync';
import { OrderBook } from '../../../src-main/engine/market/order-book';
import { ManualClock, flushMicrotasks } from '../../../src-main/engine/ports/clock';

const diff = (U: number, u: number, b: [string, string][] = [], a: [string, string][] = []): DepthDiff => ({ U, u, b, a });

function setup(snapshots: DepthSnapshot[]) {
  const timers = new ManualClock();
  const book = new OrderBook({ tick: '0.01', lot: '0.001' });
  let fetches = 0;
  const pending: ((s: DepthSnapshot) => void)[] = [];
  const sync = new BinanceBookSync({
    book,
    timers,
    fetchSnapshot: () => {
      fetches++;
      const s = snapshots.shift();
      if (s) return Promise.resolve(s);
      return new Promise((res) => pending.push(res));
    },
  });
  const gaps: number[] = [];
  sync.on('gap', (g) => gaps.push(g.got));
  return { timers, book, sync, gaps, fetches: () => fetches, pending };
}

describe('BinanceBookSync', () => {
  it('buffers during the snapshot, drops stale events and applies the straddling one', async () => {
    const { book, sync, pending } = setup([]);
    sync.resync('start');
    sync.onDiff(diff(95, 99, [['10.00', '9']]));
    sync.onDiff(diff(100, 104, [['10.00', '1']]));
    sync.onDiff(diff(105, 106, [], [['11.00', '2']]));
    pending.shift()!({ lastUpdateId: 101, bids: [['10.00', '5']], asks: [['11.00', '1']] });
    await flushMicrotasks();
    expect(sync.state).toBe('live');
    expect(sync.lastUpdateId).toBe(106);
    expect(book.depth(1)).toEqual({ bids: [{ price: '10', qty: '1' }], asks: [{ price: '11', qty: '2' }] });
  });

  it('accepts a first live event that straddles the snapshot when nothing was buffered', async () => {
    const { sync, gaps } = setup([{ lastUpdateId: 50, bids: [], asks: [] }]);
    sync.resync('start');
    await flushMicrotasks();
    sync.onDiff(diff(48, 52));
    sync.onDiff(diff(53, 53));
    expect(gaps).toEqual([]);
    expect(sync.lastUpdateId).toBe(53);
  });

  it('refetches when the snapshot is older than the first buffered event', async () => {
    const { sync, fetches, pending } = setup([]);
    sync.resync('start');
    sync.onDiff(diff(200, 201));
    pending.shift()!({ lastUpdateId: 150, bids: [], asks: [] });
    await flushMicrotasks();
    expect(sync.state).toBe('syncing');
    pending.shift()!({ lastUpdateId: 200, bids: [], asks: [] });
    await flushMicrotasks();
    expect(sync.state).toBe('live');
    expect(fetches()).toBe(2);
    expect(sync.resyncCount).toBe(1);
  });

  it('a gap triggers exactly one resync however many bad events follow', async () => {
    const { sync, fetches, gaps, pending, book } = setup([{ lastUpdateId: 10, bids: [['1.00', '1']], asks: [] }]);
    sync.resync('start');
    await flushMicrotasks();
    sync.onDiff(diff(11, 12, [['1.00', '2']]));
    sync.onDiff(diff(15, 16)); // 13–14 lost
    sync.onDiff(diff(18, 19));
    sync.onDiff(diff(25, 30));
    expect(gaps).toEqual([15]);
    expect(sync.state).toBe('syncing');
    expect(book.levelCount('bid')).toBe(0); // a book known to be wrong is not shown
    expect(fetches()).toBe(2);
    pending.shift()!({ lastUpdateId: 17, bids: [['1.00', '3']], asks: [] });
    await flushMicrotasks();
    // 18–19 straddles? U=18 = 17+1: applied; then 25 ≠ 20 → a second, separate episode.
    expect(sync.resyncCount).toBe(3);
    expect(fetches()).toBe(3);
  });

  it('retries a failed snapshot fetch with backoff', async () => {
    const timers = new ManualClock();
    const book = new OrderBook({ tick: '0.01', lot: '0.001' });
    let calls = 0;
    const sync = new BinanceBookSync({
      book,
      timers,
      retryMs: 100,
      fetchSnapshot: async () => {
        calls++;
        if (calls < 3) throw new Error('HTTP 503');
        return { lastUpdateId: 1, bids: [], asks: [] };
      },
    });
    sync.resync('start');
    await flushMicrotasks();
    expect(calls).toBe(1);
    await timers.advanceAsync(100);
    expect(calls).toBe(2);
    await timers.advanceAsync(200);
    expect(calls).toBe(3);
    expect(sync.state).toBe('live');
    expect(sync.resyncCount).toBe(1);
  });
});
