import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Quote } from '../../../src-main/engine/domain/order';
import { dayStatsFrom, dayStatsOf, LiveQuotes } from '../../../src-main/engine/market/live-quotes';

const board = () => {
  const sent: Quote[] = [];
  return { sent, q: new LiveQuotes((x) => sent.push(x)) };
};

describe('dayStatsFrom', () => {
  it('keeps prices above 0 and volumes not negative, as canonical decimals', () => {
    expect(dayStatsFrom({ last: '101.50', prevClose: 100, high: '102.000', low: '99.5', volume: '0' })).toEqual({ last: '101.5', prevClose: '100', dayHigh: '102', dayLow: '99.5', volume: '0' });
  });
  it('leaves out zero prices, negative volumes and anything unreadable', () => {
    expect(dayStatsFrom({ last: '0', prevClose: null, high: 'abc', low: Number.NaN, volume: '-1' })).toEqual({});
    expect(dayStatsFrom({ high: '1e5', low: '', volume: 12.25 })).toEqual({ volume: '12.25' });
  });
});

describe('dayStatsOf', () => {
  it('picks only the day figures a quote has', () => {
    expect(dayStatsOf({ instrumentId: 'x', bid: '1', dayHigh: '3', volume: '9', ts: 1 } as Quote)).toEqual({ dayHigh: '3', volume: '9' });
    expect(dayStatsOf(undefined)).toEqual({});
  });
});

describe('LiveQuotes', () => {
  it('merges the kept day statistics into every quote; the quote’s own fields win', () => {
    const { q, sent } = board();
    expect(q.dayStats('a', { last: '10', dayHigh: '12', volume: '5' })).toBeUndefined();
    expect(q.get('a')).toBeUndefined();
    expect(sent).toHaveLength(0);
    q.publish({ instrumentId: 'a', bid: '9', ask: '11', last: '10.5', ts: 2 });
    expect(q.get('a')).toEqual({ instrumentId: 'a', bid: '9', ask: '11', last: '10.5', dayHigh: '12', volume: '5', ts: 2 });
    q.dayStats('a', { dayLow: '8', volume: '6' });
    expect(q.get('a')).toEqual({ instrumentId: 'a', bid: '9', ask: '11', last: '10.5', dayHigh: '12', dayLow: '8', volume: '6', ts: 2 });
    q.publish({ instrumentId: 'a', bid: '9.5', ts: 4 });
    expect(q.get('a')).toEqual({ instrumentId: 'a', bid: '9.5', last: '10', dayHigh: '12', dayLow: '8', volume: '6', ts: 4 });
    expect(sent).toHaveLength(3);
  });

  it('patch merges a part over the quote kept', () => {
    const { q } = board();
    q.publish({ instrumentId: 'a', bid: '1', ask: '2', ts: 1 });
    expect(q.patch('a', { last: '1.5' }, 5)).toEqual({ instrumentId: 'a', bid: '1', ask: '2', last: '1.5', ts: 5 });
  });

  it('down marks every kept quote stale and re-sends it; quotes while down stay stale; after up the next fresh quote clears it', () => {
    const { q, sent } = board();
    q.publish({ instrumentId: 'a', bid: '1', ask: '2', ts: 1 });
    q.publish({ instrumentId: 'b', bid: '3', ask: '4', ts: 1 });
    sent.length = 0;
    q.down();
    expect(sent.map((x) => [x.instrumentId, x.stale])).toEqual([
      ['a', true],
      ['b', true],
    ]);
    q.down();
    expect(sent).toHaveLength(2);
    expect(q.publish({ instrumentId: 'a', bid: '1.1', ask: '2', ts: 2 }).stale).toBe(true);
    // A REST answer is fresh while the socket is down; the stream's next quote is stale again.
    expect(q.publish({ instrumentId: 'a', bid: '1.05', ask: '2', ts: 2 }, 'rest').stale).toBeUndefined();
    expect(q.publish({ instrumentId: 'a', bid: '1.1', ask: '2', ts: 2 }).stale).toBe(true);
    q.dayStats('b', { volume: '7' });
    expect(q.get('b')).toMatchObject({ volume: '7', ts: 1, stale: true });
    q.up();
    expect(q.get('a')!.stale).toBe(true);
    expect(q.publish({ instrumentId: 'a', bid: '1.2', ask: '2', ts: 4 }).stale).toBeUndefined();
    expect(q.dayStats('b', { volume: '8' })!.stale).toBe(true);
    expect(q.patch('b', { bid: '3.1' }, 6)).toEqual({ instrumentId: 'b', bid: '3.1', ask: '4', volume: '8', ts: 6 });
  });

  it('a feed of some instruments only marks those', () => {
    const { q } = board();
    q.publish({ instrumentId: 'a', bid: '1', ts: 1 });
    q.publish({ instrumentId: 'b', bid: '2', ts: 1 });
    q.down(['a']);
    expect(q.get('a')!.stale).toBe(true);
    expect(q.get('b')!.stale).toBeUndefined();
    expect(q.isDown('a') && !q.isDown('b')).toBe(true);
    expect(q.publish({ instrumentId: 'b', bid: '2.1', ts: 2 }).stale).toBeUndefined();
    q.up(['a']);
    expect(q.publish({ instrumentId: 'a', bid: '1.1', ts: 2 }).stale).toBeUndefined();
  });

  it('a quote that arrives stale from the caller is judged by the feed, not the flag', () => {
    const { q } = board();
    expect(q.publish({ instrumentId: 'a', bid: '1', ts: 1, stale: true }).stale).toBeUndefined();
  });

  it('follow: a socket reconnecting marks its instruments stale; from the next attempt on, fresh quotes get through', () => {
    const { q } = board();
    const ws = new EventEmitter();
    q.follow(ws as never, () => ['a']);
    q.publish({ instrumentId: 'a', bid: '1', ts: 1 });
    q.publish({ instrumentId: 'b', bid: '2', ts: 1 });
    ws.emit('state', { state: 'reconnecting' });
    expect([q.get('a')!.stale, q.get('b')!.stale]).toEqual([true, undefined]);
    ws.emit('state', { state: 'connecting' });
    expect(q.get('a')!.stale).toBe(true);
    // A venue's handshake can subscribe, and its snapshot arrive, before the socket says open.
    expect(q.publish({ instrumentId: 'a', bid: '1.5', ts: 2 }).stale).toBeUndefined();
  });

  it('follow: the feed stays down through failing reconnect attempts and is up once the socket is open', () => {
    const q = new LiveQuotes(() => undefined, { label: 'X market data', now: () => 5 });
    const ws = new EventEmitter();
    q.follow(ws as never);
    const changes: boolean[] = [];
    q.onFeedChange(() => changes.push(q.feed().up));
    ws.emit('state', { state: 'connecting' }); // the first connection: not an outage
    ws.emit('state', { state: 'open' });
    expect(q.feed().up).toBe(true);
    for (let i = 0; i < 3; i++) {
      ws.emit('state', { state: 'reconnecting' });
      expect(q.feed()).toMatchObject({ up: false, detail: 'X market data down; reconnecting, quotes marked stale' });
      ws.emit('state', { state: 'connecting' });
      expect(q.feed().up).toBe(false);
    }
    ws.emit('state', { state: 'open' });
    expect(q.feed().up).toBe(true);
    expect(changes).toEqual([false, true]);
  });

  it("is the venue health's quotes feed: down while any instrument is, stamped and announced once per change", () => {
    let now = 1_000;
    const q = new LiveQuotes(() => undefined, { label: 'X market data', now: () => now });
    const changes: boolean[] = [];
    const off = q.onFeedChange(() => changes.push(q.feed().up));
    expect(q.feed()).toEqual({ id: 'quotes', label: 'X market data', up: true, since: 0, detail: 'X market data streaming' });
    now = 2_000;
    q.down(['a', 'b']);
    q.down(['c']); // already down: no second announcement
    expect(q.feed()).toEqual({ id: 'quotes', label: 'X market data', up: false, since: 2_000, detail: 'X market data down for 3 instruments (a, b, c); reconnecting, their quotes marked stale' });
    now = 3_000;
    q.up(['a', 'b']);
    expect(q.feed().up).toBe(false); // c is still down
    q.up(['c']);
    expect(q.feed()).toMatchObject({ up: true, since: 3_000 });
    now = 4_000;
    q.down();
    expect(q.feed()).toMatchObject({ up: false, since: 4_000, detail: 'X market data down; reconnecting, quotes marked stale' });
    q.clear();
    expect(q.feed().up).toBe(true);
    expect(changes).toEqual([false, true, false, true]);
    off();
    q.down();
    expect(changes).toHaveLength(4);
  });
});
