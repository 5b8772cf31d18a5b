import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src-main/engine/api/events';
import type { Order } from '../../../src-main/engine/domain/order';
import { EventCoalescer } from '../../../src-renderer/src/store/coalescer';
import { fill, order, quote } from './fixtures';

const qe = (id: string, bid: string, ts: number): EngineEvent => ({ type: 'quote', quote: quote(id, bid, ts) });

/** A frame scheduler the test advances by hand. */
function manualFrames() {
  const queue: Array<() => void> = [];
  return {
    schedule: (cb: () => void) => {
      queue.push(cb);
      return () => {
        const i = queue.indexOf(cb);
        if (i >= 0) queue.splice(i, 1);
      };
    },
    get scheduled() {
      return queue.length;
    },
    frame() {
      const cbs = queue.splice(0);
      for (const cb of cbs) cb();
    },
  };
}

describe('EventCoalescer', () => {
  it('delivers at most one batch per frame however many events arrive', () => {
    const frames = manualFrames();
    const batches: EngineEvent[][] = [];
    const c = new EventCoalescer((b) => batches.push(b), frames.schedule);
    for (let i = 0; i < 1000; i++) c.push([qe('paper:AAPL', String(100 + i), i)]);
    expect(frames.scheduled).toBe(1);
    expect(batches).toHaveLength(0);
    frames.frame();
    expect(batches).toHaveLength(1);
    frames.frame();
    expect(batches).toHaveLength(1);
  });

  it('conflates quotes per instrument: the latest quote of each wins', () => {
    const frames = manualFrames();
    const batches: EngineEvent[][] = [];
    const c = new EventCoalescer((b) => batches.push(b), frames.schedule);
    c.push([qe('paper:AAPL', '100', 1), qe('paper:MSFT', '200', 2), qe('paper:AAPL', '101', 3)]);
    c.push([qe('paper:AAPL', '102', 4)]);
    frames.frame();
    const qs = batches[0]!.filter((e) => e.type === 'quote');
    expect(qs).toHaveLength(2);
    expect(qs.map((e) => (e.type === 'quote' ? `${e.quote.instrumentId}=${e.quote.bid}` : ''))).toEqual(['paper:MSFT=200', 'paper:AAPL=102']);
  });

  it('never drops or reorders order and fill events, even among thousands of quotes', () => {
    const frames = manualFrames();
    const out: EngineEvent[] = [];
    const c = new EventCoalescer((b) => out.push(...b), frames.schedule);
    const expected: string[] = [];
    for (let i = 0; i < 500; i++) {
      c.push([qe('paper:AAPL', String(i), i)]);
      const o: Order = order({ id: `o${i % 7}`, updatedAt: i, status: 'accepted' });
      c.push([{ type: 'order', order: o }]);
      expected.push(`order:o${i % 7}@${i}`);
      if (i % 3 === 0) {
        c.push([{ type: 'fill', fill: fill(`f${i}`, `o${i % 7}`, i) }]);
        expected.push(`fill:f${i}`);
      }
      if (i % 50 === 0) frames.frame();
    }
    frames.frame();
    const got = out.filter((e) => e.type !== 'quote').map((e) => (e.type === 'order' ? `order:${e.order.id}@${e.order.updatedAt}` : e.type === 'fill' ? `fill:${e.fill.id}` : ''));
    expect(got).toEqual(expected);
  });

  it('holds events while a snapshot loads and releases them in order', () => {
    const frames = manualFrames();
    const batches: EngineEvent[][] = [];
    const c = new EventCoalescer((b) => batches.push(b), frames.schedule);
    c.hold();
    c.push([
      { type: 'order', order: order({ id: 'a', updatedAt: 1 }) },
      { type: 'order', order: order({ id: 'b', updatedAt: 2 }) },
    ]);
    frames.frame();
    expect(batches).toHaveLength(0);
    expect(c.pending).toBe(2);
    c.release();
    frames.frame();
    expect(batches).toHaveLength(1);
    expect(batches[0]!.map((e) => (e.type === 'order' ? e.order.id : ''))).toEqual(['a', 'b']);
  });
});
