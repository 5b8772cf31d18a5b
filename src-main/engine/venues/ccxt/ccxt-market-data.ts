/**
 * Quotes and books per instrument: from ticker snapshots (REST) and streamed books (ccxt.pro). A
 * ticker's day statistics stay on the quotes the book makes (market/live-quotes); a book watch that
 * fails (its socket lost) marks the instrument's quote stale until the next streamed book.
 */
import type { BookSnapshot, Quote } from '../../domain/order';
import type { FeedSource } from '../../api/venue-health';
import { dayStatsOf, LiveQuotes, type LiveQuotesFeedOptions } from '../../market/live-quotes';
import { bookFrom, quoteOfBook } from './ccxt-account';

export class CcxtMarketData {
  private readonly live: LiveQuotes;
  private readonly books = new Map<string, BookSnapshot>();

  constructor(publish: (q: Quote) => void, feed?: LiveQuotesFeedOptions) {
    this.live = new LiveQuotes(publish, feed);
  }

  /** The streamed books as the venue health's `quotes` feed. */
  get quotesFeed(): FeedSource {
    return this.live;
  }

  quote(instrumentId: string): Quote | undefined {
    return this.live.get(instrumentId);
  }

  /** A ticker fetched over REST: fresh, and its day statistics kept for the book's quotes. */
  setQuote(q: Quote): Quote {
    this.live.dayStats(q.instrumentId, dayStatsOf(q));
    return this.live.publish(q, 'rest');
  }

  /** A streamed book: kept, and its touch published as the quote (with the last ticker's day statistics). */
  setBook(instrumentId: string, b: Parameters<typeof bookFrom>[1], now: number): void {
    const snap = bookFrom(instrumentId, b, now);
    this.books.set(instrumentId, snap);
    this.live.up([instrumentId]);
    this.live.publish(quoteOfBook(snap));
  }

  /** The instrument's book stream failed: its quote is stale until the next book. */
  bookLost(instrumentId: string): void {
    this.live.down([instrumentId]);
  }

  book(instrumentId: string, depth: number): BookSnapshot | undefined {
    const b = this.books.get(instrumentId);
    return b && { ...b, bids: b.bids.slice(0, depth), asks: b.asks.slice(0, depth) };
  }
}
