/**
 * The market-data socket: `level2` for the watched products (the watchlist, and any product a
 * book or quote is asked for), `heartbeats` so it stays open. Quotes are the top of our own book.
 * A gap or a drop makes every book stale until the resubscribe's snapshots arrive.
 */
import type { BookSnapshot, Quote } from '../../domain/order';
import type { ResilientWs } from '../../net/resilient-ws';
import { CoinbaseBooks, type BookSpecOf } from './coinbase-book';
import { openSocket, subscribeMessage } from './coinbase-stream';

export interface MarketOptions {
  readonly url: string;
  readonly name: string;
  readonly jwt: () => Promise<string>;
  readonly specOf: BookSpecOf;
  readonly quote: (q: Quote) => void;
  readonly degraded: (why: string) => void;
}

export class CoinbaseMarket {
  private readonly books: CoinbaseBooks;
  private readonly products = new Set<string>();
  private ws: ResilientWs | undefined;

  constructor(private readonly o: MarketOptions) {
    this.books = new CoinbaseBooks(o.specOf);
  }

  start(): void {
    this.ws = openSocket({
      url: this.o.url,
      name: this.o.name,
      jwt: this.o.jwt,
      channels: () => (this.products.size > 0 ? [['level2', [...this.products]]] : []),
      frame: (f) => {
        if (f.channel !== 'l2_data') return;
        try {
          for (const pid of this.books.apply(f)) {
            const q = this.books.quote(pid);
            if (q) this.o.quote(q);
          }
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
          const q = this.books.quote(r.productId);
          if (q) this.o.quote(q);
          return r.seq;
        } catch (e) {
          this.refuse(e);
          return 'drop';
        }
      },
    });
    this.ws.start();
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
    if (ws?.state === 'open') void this.o.jwt().then((jwt) => ws.sendNow(subscribeMessage('level2', [pid], jwt)));
  }

  book(pid: string, depth: number): BookSnapshot | undefined {
    this.watch(pid);
    return this.books.snapshot(pid, depth);
  }

  quote(pid: string): Quote | undefined {
    return this.books.quote(pid);
  }
}
