import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineEvent } from '../../../src-main/engine/api/events';
import { createEventBatcher } from '../../../src-main/headless/event-batcher';
import { orderEvent, quote } from '../../helpers/fake-engine';

describe('event batcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends at most one batch per interval and keeps only the newest quote per instrument', () => {
    const batches: EngineEvent[][] = [];
    const b = createEventBatcher({ intervalMs: 16, send: (e) => batches.push(e), now: () => Date.now() });
    for (let i = 1; i <= 1000; i++) b.push(quote('paper:BTC/USD', String(i)));
    b.push(quote('paper:AAPL', '190'));
    // Delivery is asynchronous even for the first event, so a synchronous burst lands in one batch.
    expect(batches).toHaveLength(0);
    vi.advanceTimersByTime(0);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toEqual([quote('paper:BTC/USD', '1000'), quote('paper:AAPL', '190')]);

    // An event right after a flush waits for the next frame instead of sending immediately.
    b.push(quote('paper:BTC/USD', '1001'));
    vi.advanceTimersByTime(15);
    expect(batches).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(batches).toHaveLength(2);
  });

  it('never drops or reorders order events, and a conflated quote keeps its latest position', () => {
    const batches: EngineEvent[][] = [];
    const b = createEventBatcher({ intervalMs: 16, send: (e) => batches.push(e) });
    b.push(quote('paper:BTC/USD', '1'));
    b.push(orderEvent('o1', 'accepted'));
    b.push(orderEvent('o1', 'partially_filled'));
    b.push(quote('paper:BTC/USD', '2'));
    b.push(orderEvent('o1', 'filled'));
    vi.advanceTimersByTime(16);
    expect(batches.flat()).toEqual([orderEvent('o1', 'accepted'), orderEvent('o1', 'partially_filled'), quote('paper:BTC/USD', '2'), orderEvent('o1', 'filled')]);
  });

  it('keeps conflating while the receiver is congested and delivers the final state once it drains', () => {
    const batches: EngineEvent[][] = [];
    let congested = true;
    const b = createEventBatcher({ intervalMs: 16, send: (e) => batches.push(e), canSend: () => !congested });
    for (let frame = 0; frame < 50; frame++) {
      for (let i = 0; i < 100; i++) b.push(quote('paper:BTC/USD', `${frame}.${i}`));
      vi.advanceTimersByTime(16);
    }
    b.push(orderEvent('o9', 'filled'));
    expect(batches).toHaveLength(0);
    // Memory stays bounded by instruments + non-conflatable events, not by the tick count.
    expect(b.pendingCount).toBe(2);
    congested = false;
    vi.advanceTimersByTime(16);
    expect(batches).toEqual([[quote('paper:BTC/USD', '49.99'), orderEvent('o9', 'filled')]]);
  });

  it('calls onOverflow instead of growing without bound when never-dropped events pile up', () => {
    const onOverflow = vi.fn();
    const b = createEventBatcher({ intervalMs: 16, send: () => undefined, canSend: () => false, maxPending: 10, onOverflow });
    for (let i = 0; i < 11; i++) b.push(orderEvent(`o${i}`, 'accepted'));
    expect(onOverflow).toHaveBeenCalled();
  });

  it('compacts tombstones so one hot instrument cannot grow the queue', () => {
    const b = createEventBatcher({ intervalMs: 16, send: () => undefined, canSend: () => false });
    for (let i = 0; i < 100_000; i++) b.push(quote('paper:BTC/USD', String(i)));
    expect(b.pendingCount).toBe(1);
    b.close();
  });
});
