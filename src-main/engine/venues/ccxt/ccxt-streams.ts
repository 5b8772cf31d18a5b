/**
 * ccxt.pro streams where the exchange has them (`has.watchOrders`, `watchMyTrades`,
 * `watchOrderBook`): each runs as a loop of watch calls, handing every batch to the connector; a
 * failed watch (socket lost, auth refused) is retried after `retryMs` — the REST poll stays the
 * safety net and the judge of the connection state, so a stream that stalls never hides a change.
 */
import type * as Ccxt from 'ccxt';
import { systemClock, type TimerHandle } from '../../ports/clock';

export interface CcxtStreamHandlers {
  orders(batch: readonly unknown[]): void;
  trades(batch: readonly unknown[]): void;
  book(symbol: string, book: { readonly bids: readonly unknown[][]; readonly asks: readonly unknown[][]; readonly timestamp?: number | undefined }): void;
  trouble(what: string, err: unknown): void;
}

export class CcxtStreams {
  private stopped = false;
  private readonly books = new Set<string>();
  private readonly waits = new Set<TimerHandle>();

  constructor(
    private readonly ex: Ccxt.Exchange,
    private readonly on: CcxtStreamHandlers,
    private readonly retryMs: number,
  ) {}

  /** The private streams the exchange offers; returns which ones run. */
  start(): string[] {
    const running: string[] = [];
    if (this.ex.has['watchOrders']) {
      running.push('watchOrders');
      void this.loop(
        'watchOrders',
        () => this.ex.watchOrders(),
        (xs) => this.on.orders(xs),
      );
    }
    if (this.ex.has['watchMyTrades']) {
      running.push('watchMyTrades');
      void this.loop(
        'watchMyTrades',
        () => this.ex.watchMyTrades(),
        (xs) => this.on.trades(xs),
      );
    }
    return running;
  }

  /** Starts streaming `symbol`'s book (once); false when the exchange has no book stream. */
  watchBook(symbol: string): boolean {
    if (!this.ex.has['watchOrderBook']) return false;
    if (!this.books.has(symbol)) {
      this.books.add(symbol);
      void this.loop(
        `watchOrderBook ${symbol}`,
        () => this.ex.watchOrderBook(symbol),
        (b) => this.on.book(symbol, b as Parameters<CcxtStreamHandlers['book']>[1]),
      );
    }
    return true;
  }

  private async loop<T>(what: string, watch: () => Promise<T>, handle: (x: T) => void): Promise<void> {
    while (!this.stopped) {
      try {
        handle(await watch());
      } catch (e) {
        if (this.stopped) return;
        this.on.trouble(what, e);
        await new Promise<void>((r) => {
          const t = systemClock.setTimeout(() => {
            this.waits.delete(t);
            r();
          }, this.retryMs);
          this.waits.add(t);
        });
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.waits) systemClock.clearTimeout(t);
    this.waits.clear();
    await this.ex.close().catch(() => undefined);
  }
}
