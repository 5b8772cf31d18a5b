import { describe, expect, it } from 'vitest';
import { KrakenBook } from '../../../src-main/engine/venues/kraken/kraken-book';
import { bookChecksum } from '../../emulators/kraken';
import { DOC_ASKS, DOC_BIDS, DOC_CHECKSUM, docSnapshotFrame } from './doc-checksum-example';

const update = (bids: [string, string][], asks: [string, string][], checksum: number) =>
  `{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[${bids.map(([p, q]) => `{"price":${p},"qty":${q}}`).join(',')}],"asks":[${asks.map(([p, q]) => `{"price":${p},"qty":${q}}`).join(',')}],"checksum":${checksum},"timestamp":"2026-12-04T15:00:00.000000Z"}]}`;

function fresh(depth = 10): KrakenBook {
  const b = new KrakenBook('BTC/USD', 1, 8, depth);
  expect(b.apply(b.read(docSnapshotFrame())!)).toBe('ok');
  return b;
}

describe('Kraken WS v2 book with checksum', () => {
  it("accepts the documented example snapshot (checksum 3310070434) read from the frame's text", () => {
    const b = fresh();
    expect(b.checksum()).toBe(DOC_CHECKSUM);
    expect(b.book.bestBid()).toEqual({ price: '45283.5', qty: '0.1' });
    expect(b.book.bestAsk()).toEqual({ price: '45285.2', qty: '0.001' });
  });

  it('reads quoted prices and quantities too, and spaces', () => {
    const b = new KrakenBook('BTC/USD', 1, 8);
    const quoted = docSnapshotFrame().replace(/"price":([\d.]+),"qty":([\d.]+)/g, '"price": "$1", "qty": "$2"');
    expect(b.apply(b.read(quoted)!)).toBe('ok');
  });

  it('a wrong checksum is a mismatch: the book is unready and ignores updates until a new snapshot', () => {
    const b = new KrakenBook('BTC/USD', 1, 8);
    expect(b.apply(b.read(docSnapshotFrame(DOC_CHECKSUM + 1))!)).toBe('mismatch');
    expect(b.ready).toBe(false);
    expect(b.apply(b.read(update([], [], DOC_CHECKSUM))!)).toBe('not-ready');
    expect(b.apply(b.read(docSnapshotFrame())!)).toBe('ok');
    expect(b.mismatches).toBe(1);
  });

  it('updates (insert, change, delete with qty 0) match an independent checksum; the book is truncated to its depth', () => {
    const b = fresh(10);
    const bids = DOC_BIDS.map(([p, q]) => ({ price: p, qty: q }));
    const asks = DOC_ASKS.map(([p, q]) => ({ price: p, qty: q }));
    // A better bid pushes the 10th out (no qty 0 is sent for it); an ask changes; an ask is deleted and a deeper one appears.
    bids.unshift({ price: '45284.0', qty: '0.50000000' });
    bids.pop();
    asks[1] = { price: '45286.4', qty: '2.00000000' };
    asks.splice(0, 1);
    asks.push({ price: '45300.0', qty: '1.00000000' });
    const expected = bookChecksum(asks, bids);
    const r = b.apply(
      b.read(
        update(
          [['45284.0', '0.50000000']],
          [
            ['45286.4', '2.00000000'],
            ['45285.2', '0.00000000'],
            ['45300.0', '1.00000000'],
          ],
          expected,
        ),
      )!,
    );
    expect(r).toBe('ok');
    expect(b.book.levelCount('bid')).toBe(10);
    expect(b.book.depth(10).bids.at(-1)).toEqual({ price: '45277.3', qty: '1.54602737' });
  });

  it('an exponent-form quantity is read exactly', () => {
    const b = fresh();
    const bids = DOC_BIDS.map(([p, q]) => ({ price: p, qty: q }));
    bids[0] = { price: '45283.5', qty: '0.00000010' };
    const asks = DOC_ASKS.map(([p, q]) => ({ price: p, qty: q }));
    expect(b.apply(b.read(update([['45283.5', '1e-7']], [], bookChecksum(asks, bids)))!)).toBe('ok');
  });

  it('other channels are not book frames', () => {
    const b = new KrakenBook('BTC/USD', 1, 8);
    expect(b.read('{"channel":"heartbeat"}')).toBeUndefined();
    expect(b.read('{"channel":"ticker","type":"update","data":[{"symbol":"BTC/USD","bid":1}]}')).toBeUndefined();
  });
});
