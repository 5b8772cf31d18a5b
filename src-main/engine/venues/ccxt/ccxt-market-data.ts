/** Quotes and books per instrument: from ticker snapshots (REST) and streamed books (ccxt.pro). */
import type { BookSnapshot, Quote } from '../../domain/order';
import { bookFrom, dayStatsOf, quoteOfBook } from './ccxt-account';

export class CcxtMarketData {
  private readonly quotes = new Map<string, Quote>();
  private readonly books = new Map<string, BookSnapshot>();

  constructor(private readonly publish: (q: Quote) => void) {}

  quote(instrumentId: string): Quote | undefined {
    return this.quotes.get(instrumentId);
  }

  setQuote(q: Quote): Quote {
    this.quotes.set(q.instrumentId, q);
    this.publish(q);
    return q;
  }

  /** A streamed book: kept, and its touch published as the quote (with the last ticker's day statistics). */
  setBook(instrumentId: string, b: Parameters<typeof bookFrom>[1], now: number): void {
    const snap = bookFrom(instrumentId, b, now);
    this.books.set(instrumentId, snap);
    this.setQuote({ ...dayStatsOf(this.quotes.get(instrumentId)), ...quoteOfBook(snap) });
  }

  book(instrumentId: string, depth: number): BookSnapshot | undefined {
    const b = this.books.get(instrumentId);
    return b && { ...b, bids: b.bids.slice(0, depth), asks: b.asks.slice(0, depth) };
  }
}
