/**
 * The DOM ladder's book stream on the Paper venue: `book.watch` answers with the book now, then each
 * quote of that instrument brings a `book` event (conflated per instrument); other instruments'
 * quotes bring none, and after `book.unwatch` the stream stops. Watches are counted and capped.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineRig, type EngineRig } from '../../support/engine-rig';
import type { EngineEvent } from '../../../src-main/engine/api/events';
import { conflationKey } from '../../../src-main/engine/api/events';
import type { PaperVenue } from '../../../src-main/engine/venues/paper';
import { BookWatch } from '../../../src-main/engine/market/book-watch';

describe('book.watch on Paper', () => {
  let rig: EngineRig;
  beforeEach(async () => {
    rig = await engineRig({ prefix: 'tp-bookwatch-' });
  });
  afterEach(() => rig.close());

  it('streams the watched book on each quote, only that one, until unwatched', async () => {
    const { engine, clock } = rig;
    const paper = () => engine.internals.venues.get('paper') as PaperVenue;
    const events: EngineEvent[] = [];
    engine.subscribe((e) => events.push(e));
    const first = await engine.call('book.watch', { venue: 'paper', symbol: 'ETH/USD', depth: 5 });
    if (!first.ok) throw new Error(first.error.message);
    expect(first.value).toMatchObject({ venue: 'paper', symbol: 'ETH/USD', instrumentId: 'paper:ETH-USD' });
    expect(first.value.bids).toHaveLength(5);

    clock.advance(1000);
    paper().tick();
    const books = events.filter((e): e is Extract<EngineEvent, { type: 'book' }> => e.type === 'book');
    expect(books.map((b) => [b.venue, b.book.instrumentId])).toEqual([['paper', 'paper:ETH-USD']]);
    expect(books[0]!.book.asks).toHaveLength(5);
    expect(books[0]!.book.bids[0]!.price).toBe(paper().quote('paper:ETH-USD')!.bid);
    expect(conflationKey(books[0]!)).toBe('bk|paper|paper:ETH-USD');

    const un = await engine.call('book.unwatch', { venue: 'paper', symbol: 'ETH/USD' });
    expect(un.ok && un.value.watching).toBe(false);
    events.length = 0;
    clock.advance(1000);
    paper().tick();
    expect(events.some((e) => e.type === 'quote')).toBe(true);
    expect(events.filter((e) => e.type === 'book')).toEqual([]);
    // Not audited: watching a book changes nothing.
    expect(engine.internals.audit.list({ action: 'book.', limit: 10 })).toEqual([]);
  });

  it('an unknown symbol is a clear error', async () => {
    const r = await rig.engine.call('book.watch', { venue: 'paper', symbol: 'NOPE' });
    expect(r.ok || r.error.code).toBe('unknown_instrument');
  });
});

describe('BookWatch', () => {
  it('counts watchers (two windows on one book) and drops the oldest past the cap', () => {
    const sent: string[] = [];
    const w = new BookWatch({ book: (_v, id) => ({ instrumentId: id, bids: [], asks: [], ts: 1 }), emit: (v, b) => sent.push(`${v}:${b.instrumentId}`), max: 2 });
    w.watch('p', 'a', 5);
    w.watch('p', 'a', 10);
    w.unwatch('p', 'a');
    w.onQuote('p', 'a');
    expect(sent).toEqual(['p:a']);
    w.watch('p', 'b', 5);
    w.watch('p', 'c', 5);
    expect([w.watching('p', 'a'), w.watching('p', 'b'), w.watching('p', 'c')]).toEqual([false, true, true]);
    w.dropVenue('p');
    expect(w.watching('p', 'b')).toBe(false);
  });
});
