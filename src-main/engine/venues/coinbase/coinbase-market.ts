/**
 * The market-data socket: `level2` and `ticker` for the watched products (the watchlist, and any
 * product a book or quote is asked for), `heartbeats` so it stays open. Quotes are the top of our
 * own book with the ticker's last price and 24 h volume, high and low (the watchlist's day
 * columns). A gap or a drop makes every book stale until the resubscribe's snapshots arrive, and
 * marks every quote stale until its product's next book quote (market/live-quotes).
 */
import { z } from 'zod';
import type { BookSnapshot, Quote } from '../../domain/order';
import type { FeedSource } from '../../api/venue-health';
import { dayStatsFrom, LiveQuotes } from '../../market/live-quotes';
import type { ResilientWs } from '../../net/resilient-ws';
import { CoinbaseBooks, type BookSpecOf } from './coinbase-book';
import { openSocket, subscribeMessage, type Frame } from './coinbase-stream';

/** One row of the `ticker` channel (the fields a quote takes; Coinbase sends more). */
const WireTicker = z.object({ product_id: z.string(), price: z.string().optional(), volume_24_h: z.string().optional(), high_24_h: z.string().optional(), low_24_h: z.string().optional() });

export interface MarketOptions {
  readonly url: string;
  readonly name: string;
  readonly jwt: () => Promise<string>;
  readonly specOf: BookSpecOf;
  readonly quote: (q: Quote) => void;
  readonly degraded: (why: string) => void;
  /** UTC ms (the feed's `since`). */
  readonly now: () => number;
}

export class CoinbaseMarket {
  private readonly books: CoinbaseBooks;
  private readonly products = new Set<string>();
  private readonly live: LiveQuotes;
  private ws: ResilientWs | undefined;

  constructor(private readonly o: MarketOptions) {
    this.books = new CoinbaseBooks(o.specOf);
    this.live = new LiveQuotes(o.quote, { label: 'Coinbase market data', now: o.now });
  }

  /** The market-data socket as the venue health's `quotes` feed. */
  get quotesFeed(): FeedSource {
    return this.live;
  }

  start(): void {
    this.ws = openSocket({
      url: this.o.url,
      name: this.o.name,
      jwt: this.o.jwt,
      channels: () =>
        this.products.size > 0
          ? [
              ['level2', [...this.products]],
              ['ticker', [...this.products]],
            ]
          : [],
      frame: (f) => {
        if (f.channel === 'ticker') return this.tickers(f);
        if (f.channel !== 'l2_data') return;
        try {
          for (const pid of this.books.apply(f)) this.publish(pid);
        } catch (e) {
          this.refuse(e);
        }
      },
      gap: (why) => {
        this.books.dropAll();
        this.o.degraded(`Coinbase market data lost frames (${why}); books resync`);
      },
      lost: () => this.books.dropAll(),
      refused: (why) => this.o.degraded(why),
      fast: (text) => {
        try {
          const r = this.books.applyText(text);
          if (!r) return undefined;
          this.publish(r.productId);
          return r.seq;
        } catch (e) {
          this.refuse(e);
          return 'drop';
        }
      },
    });
    this.live.follow(this.ws);
    this.ws.start();
  }

  /** The top of the product's book as its quote (with the ticker's day statistics). */
  private publish(pid: string): void {
    const top = this.books.quote(pid);
    if (top) this.live.publish(top);
  }

  /** A quote fetched over REST: fresh whatever the socket's state. */
  fromRest(q: Quote): Quote {
    return this.live.publish(q, 'rest');
  }

  /** A `ticker` frame: each row's day statistics, and the quote with them. */
  private tickers(f: Frame): void {
    for (const e of f.events) {
      for (const row of Array.isArray(e['tickers']) ? e['tickers'] : []) {
        const t = WireTicker.safeParse(row);
        const id = t.success ? this.o.specOf(t.data.product_id)?.instrumentId : undefined;
        if (t.success && id) this.live.dayStats(id, dayStatsFrom({ last: t.data.price, volume: t.data.volume_24_h, high: t.data.high_24_h, low: t.data.low_24_h }));
      }
    }
  }

  /** A level off the product's grid: the books cannot be trusted; the resubscribe rebuilds them. */
  private refuse(e: unknown): void {
    this.books.dropAll();
    this.o.degraded(`Coinbase level2 frame refused (${(e as Error).message}); books resync`);
    this.ws?.reconnectNow('bad level2 frame');
  }

  stop(): void {
    this.ws?.stop();
    this.ws = undefined;
  }

  /** Adds `pid` to the level2 subscription (now, when the socket is open; on every reconnect after). */
  watch(pid: string): void {
    if (this.products.has(pid) || !this.o.specOf(pid)) return;
    this.products.add(pid);
    const ws = this.ws;
    if (ws?.state === 'open')
      void this.o.jwt().then((jwt) => {
        ws.sendNow(subscribeMessage('level2', [pid], jwt));
        ws.sendNow(subscribeMessage('ticker', [pid], jwt));
      });
  }

  book(pid: string, depth: number): BookSnapshot | undefined {
    this.watch(pid);
    return this.books.snapshot(pid, depth);
  }

  /** The latest quote: the top of our book with the ticker's day statistics (stale while the socket is down). */
  quote(pid: string): Quote | undefined {
    const id = this.o.specOf(pid)?.instrumentId;
    return id ? this.live.get(id) : undefined;
  }
}
