/**
 * ccxt tickers → quotes with the exchange's day statistics (ccxt's unified `baseVolume`, `high`,
 * `low`, `previousClose`); a streamed book's quote keeps them (a book carries none); a zero price
 * is "none"; a failed book watch makes the quote stale until the next book.
 */
import { describe, expect, it } from 'vitest';
import type { Quote } from '../../../src-main/engine/domain/order';
import { quoteFrom } from '../../../src-main/engine/venues/ccxt/ccxt-account';
import { CcxtMarketData } from '../../../src-main/engine/venues/ccxt/ccxt-market-data';

describe('ccxt quote day statistics', () => {
  it('maps volume, high, low and previous close when the exchange gives them; leaves them out when not', () => {
    expect(quoteFrom('byb:BTC/USDT', { bid: 90000.1, ask: 90000.2, last: 90000.1, high: 91000, low: 88000.5, baseVolume: 1523.004, previousClose: 89000 }, 5)).toEqual({
      instrumentId: 'byb:BTC/USDT',
      bid: '90000.1',
      ask: '90000.2',
      last: '90000.1',
      prevClose: '89000',
      dayHigh: '91000',
      dayLow: '88000.5',
      volume: '1523.004',
      ts: 5,
    });
    const bare = quoteFrom('byb:BTC/USDT', { bid: 1, ask: 2, high: 0, low: 0, previousClose: undefined }, 5);
    expect(Object.keys(bare).sort()).toEqual(['ask', 'bid', 'instrumentId', 'ts']);
    expect(quoteFrom('byb:BTC/USDT', { baseVolume: 0 }, 5).volume).toBe('0');
  });

  it("a streamed book's quote keeps the ticker's day statistics", () => {
    const published: Quote[] = [];
    const m = new CcxtMarketData((q) => published.push(q));
    m.setQuote(quoteFrom('byb:BTC/USDT', { bid: 1, ask: 2, last: 1.5, high: 3, low: 0.5, baseVolume: 42 }, 1));
    m.setBook('byb:BTC/USDT', { bids: [[1.1, 5]], asks: [[1.9, 6]] }, 2);
    expect(published.at(-1)).toEqual({ instrumentId: 'byb:BTC/USDT', bid: '1.1', bidSize: '5', ask: '1.9', askSize: '6', last: '1.5', dayHigh: '3', dayLow: '0.5', volume: '42', ts: 2 });
  });

  it('a failed book watch marks the quote stale until the next streamed book', () => {
    const published: Quote[] = [];
    const m = new CcxtMarketData((q) => published.push(q));
    m.setBook('byb:BTC/USDT', { bids: [[1.1, 5]], asks: [[1.9, 6]] }, 2);
    m.bookLost('byb:BTC/USDT');
    expect(published.at(-1)).toMatchObject({ bid: '1.1', stale: true });
    expect(m.quote('byb:BTC/USDT')!.stale).toBe(true);
    m.setBook('byb:BTC/USDT', { bids: [[1.2, 5]], asks: [[1.9, 6]] }, 3);
    expect(m.quote('byb:BTC/USDT')).toMatchObject({ bid: '1.2', ts: 3 });
    expect(m.quote('byb:BTC/USDT')!.stale).toBeUndefined();
  });
});
