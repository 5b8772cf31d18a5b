/**
 * The `ticker` channel (WS v2) feeds the quote's 24 h volume, high and low beside the last trade;
 * the book's touch stays the bid and ask. Frames are fed to the market's socket as received text,
 * shaped as Kraken documents the ticker (docs.kraken.com, WebSocket v2 › Ticker).
 */
import { describe, expect, it } from 'vitest';
import type { Quote } from '../../../src-main/engine/domain/order';
import type { PairInfo } from '../../../src-main/engine/venues/kraken/kraken-instruments';
import { KrakenMarket } from '../../../src-main/engine/venues/kraken/kraken-market';
import { docSnapshotFrame } from './doc-checksum-example';

const info = { inst: { id: 'kraken:BTC-USD' }, pair: { pair_decimals: 1, lot_decimals: 8 }, wsSymbol: 'BTC/USD' } as unknown as PairInfo;

const ticker = (fields: Record<string, unknown>, type = 'snapshot') =>
  JSON.stringify({ channel: 'ticker', type, data: [{ symbol: 'BTC/USD', bid: 45283.5, bid_qty: 0.1, ask: 45285.2, ask_qty: 0.001, ...fields }] });

function rig() {
  const quotes: Quote[] = [];
  const m = new KrakenMarket('ws://127.0.0.1:9/never', 'kraken', () => 1_000, { quote: (q) => quotes.push(q), resync: () => undefined });
  m.watch(info);
  const feed = (text: string) => m.ws.emit('message', text);
  return { m, quotes, feed };
}

describe('Kraken ticker → quote day statistics', () => {
  it('carries volume, high and low (24 h) and the last trade onto the book quote', () => {
    const { quotes, feed } = rig();
    feed(ticker({ last: 45284.1, volume: 1234.56789, vwap: 45000, low: 44100.2, high: 46000, change: 10, change_pct: 0.02 }));
    feed(docSnapshotFrame());
    expect(quotes.at(-1)).toEqual({
      instrumentId: 'kraken:BTC-USD',
      bid: '45283.5',
      bidSize: '0.1',
      ask: '45285.2',
      askSize: '0.001',
      last: '45284.1',
      volume: '1234.56789',
      dayHigh: '46000',
      dayLow: '44100.2',
      ts: 1_000,
    });
  });

  it('an update keeps what it does not repeat; a pair with no trades (zeros) gives volume 0 and no prices; junk rows are ignored', () => {
    const { quotes, feed } = rig();
    feed(ticker({ last: 0, volume: 0, low: 0, high: 0 }));
    feed(docSnapshotFrame());
    const q = quotes.at(-1)!;
    expect(q.volume).toBe('0');
    expect(q.last).toBeUndefined();
    expect(q.dayHigh).toBeUndefined();
    feed(ticker({ last: 45290, volume: '12.5', high: 45300, low: 45000 }, 'update'));
    feed(JSON.stringify({ channel: 'ticker', type: 'update', data: [{ symbol: 'BTC/USD', volume: { not: 'a number' } }, 'junk'] }));
    feed(docSnapshotFrame());
    expect(quotes.at(-1)).toMatchObject({ last: '45290', volume: '12.5', dayHigh: '45300', dayLow: '45000' });
  });
});
