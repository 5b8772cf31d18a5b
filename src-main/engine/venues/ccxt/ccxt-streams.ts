/**
 * ccxt.pro streams where the exchange has them (`has.watchOrders`, `watchMyTrades`,
 * `watchOrderBook`): each runs as a loop of watch calls, handing every batch to the connector; a
 * failed watch (socket lost, auth refused) is retried after `retryMs`. The REST poll stays the
 * safety net and the judge of the connection state; `live()` tells it whether the private streams
 * carry the orders and fills (then it slows to a reconcile cadence): a stream is live once it
 * delivered a batch, or once a watch stayed open `settleMs` without failing (a quiet account sends
 * nothing), and stops being live on its first failure — the poll speeds back up at once.
 */
import type * as Ccxt from 'ccxt';
import { systemClock, type TimerHandle, type Timers } from '../../ports/clock';

export interface CcxtStreamHandlers {
  orders(batch: readonly unknown[]): void;
  trades(batch: readonly unknown[]): void;
  book(symbol: string, book: { readonly bids: readonly unknown[][]; readonly asks: readonly unknown[][]; readonly timestamp?: number | undefined }): void;
  trouble(what: string, err: unknown): void;
  /** A symbol's book watch failed (its socket lost): its quote is no longer live until the next book. */
  bookLost?(symbol: string): void;
  /** The private streams became live, or stopped being live. */
  health?(live: boolean): void;
}

export interface CcxtStreamTiming {
  readonly retryMs: number;
  /** How long a watch must stay open without failing to count as live (default 5 s). */
  readonly settleMs?: number;
  readonly timers?: Timers;
}

type WatchFn = () => Promise<unknown>;

export class CcxtStreams {
  private stopped = false;
  private readonly books = new Set<string>();
  private readonly waits = new Set<TimerHandle>();
  /** Each private stream: live or not, and its settle timer while a watch is open. */
  private readonly priv = new Map<string, { live: boolean; settle: TimerHandle | undefined }>();
  private readonly timers: Timers;
  private wasLive = false;

  constructor(
    private readonly ex: Ccxt.Exchange,
    private readonly on: CcxtStreamHandlers,
    private readonly timing: CcxtStreamTiming,
  ) {
    this.timers = timing.timers ?? systemClock;
  }

  /** The private streams the exchange offers; returns which ones run. */
  start(): string[] {
    const streams: [string, WatchFn, (xs: readonly unknown[]) => void][] = [
      ['watchOrders', () => this.ex.watchOrders(), (xs) => this.on.orders(xs)],
      ['watchMyTrades', () => this.ex.watchMyTrades(), (xs) => this.on.trades(xs)],
    ];
    const running = streams.filter(([name]) => this.ex.has[name]);
    for (const [name] of running) this.priv.set(name, { live: false, settle: undefined });
    for (const [name, watch, handle] of running) void this.loop(name, watch, (x) => handle(x as readonly unknown[]));
    return running.map(([name]) => name);
  }

  /** True while every private stream the exchange offers is live (false when it offers none). */
  live(): boolean {
    return this.priv.size > 0 && [...this.priv.values()].every((s) => s.live);
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
        () => this.on.bookLost?.(symbol),
      );
    }
    return true;
  }

  private mark(what: string, live: boolean | 'opening'): void {
    const s = this.priv.get(what);
    if (!s) return;
    if (live === 'opening') {
      if (!s.live && !s.settle) s.settle = this.timers.setTimeout(() => ((s.settle = undefined), this.mark(what, true)), this.timing.settleMs ?? 5_000);
      return;
    }
    if (s.settle) this.timers.clearTimeout(s.settle);
    s.settle = undefined;
    s.live = live;
    const now = this.live();
    if (now !== this.wasLive) {
      this.wasLive = now;
      this.on.health?.(now);
    }
  }

  private async loop(what: string, watch: WatchFn, handle: (x: unknown) => void, failed?: () => void): Promise<void> {
    while (!this.stopped) {
      try {
        this.mark(what, 'opening');
        const x = await watch();
        if (this.stopped) return;
        this.mark(what, true);
        handle(x);
      } catch (e) {
        if (this.stopped) return;
        this.mark(what, false);
        failed?.();
        this.on.trouble(what, e);
        await new Promise<void>((r) => {
          const t = this.timers.setTimeout(() => {
            this.waits.delete(t);
            r();
          }, this.timing.retryMs);
          this.waits.add(t);
        });
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.waits) this.timers.clearTimeout(t);
    this.waits.clear();
    for (const s of this.priv.values()) if (s.settle) this.timers.clearTimeout(s.settle);
    this.priv.clear();
    await this.ex.close().catch(() => undefined);
  }
}
