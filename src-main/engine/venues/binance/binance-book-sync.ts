/**
 * Keeping a local book in step with a venue's diff stream, and getting back in step after a gap.
 *
 * Binance protocol (binance.md, web-socket-streams.md "How to manage a local order book"):
 * buffer stream events → fetch a REST snapshot → if its lastUpdateId is older than the first
 * buffered U, fetch again → drop events with u ≤ lastUpdateId → the first applied event must have
 * U ≤ lastUpdateId+1 ≤ u → afterwards every event's U must equal the previous u+1, else resync.
 *
 * A gap triggers exactly one resync: while one is in flight further gaps only keep buffering, so
 * a burst of bad messages never turns into a burst of snapshot requests (each costs weight).
 */
import { EventEmitter } from 'node:events';
import { systemClock, type Timers } from '../../ports/clock';
import { decodeDepthUpdate, parseDepthUpdate, type ScaledDepthDiff } from './binance-depth';
import type { OrderBook, RawLevel } from '../../market/order-book';

export interface DepthDiff {
  /** First update id in the event. */
  readonly U: number;
  /** Final update id in the event. */
  readonly u: number;
  readonly b: readonly RawLevel[];
  readonly a: readonly RawLevel[];
  readonly E?: number;
}

export interface DepthSnapshot {
  readonly lastUpdateId: number;
  readonly bids: readonly RawLevel[];
  readonly asks: readonly RawLevel[];
}

export type SyncState = 'idle' | 'syncing' | 'live';

export interface BookSyncEvents {
  /** A sequence break was seen in a live book. */
  gap: [{ expected: number; got: number; reason: string }];
  /** A resync began (one per episode, however many gaps caused it). */
  resync: [{ reason: string; episode: number }];
  /** The book is consistent again and being updated. */
  live: [{ lastUpdateId: number }];
  crossed: [{ bid: number; ask: number }];
  error: [Error];
}

export interface BookSyncOptions {
  readonly book: OrderBook;
  /** REST depth snapshot (Binance `GET /api/v3/depth`). */
  readonly fetchSnapshot: () => Promise<DepthSnapshot>;
  readonly timers?: Timers;
  /** Events kept while a snapshot is fetched; overflow restarts the resync (the venue outran us). */
  readonly maxBuffered?: number;
  /** Delay between failed snapshot fetches (doubles, capped at 30 s). */
  readonly retryMs?: number;
  /** Treat a crossed book after an update as corruption and resync. */
  readonly resyncOnCrossed?: boolean;
}

export class BinanceBookSync extends EventEmitter<BookSyncEvents> {
  private st: SyncState = 'idle';
  private last = 0;
  private buffer: (DepthDiff | ScaledDepthDiff)[] = [];
  private episodes = 0;
  private fetches = 0;
  private generation = 0;
  private firstPending = false;
  private readonly book: OrderBook;
  private readonly timers: Timers;
  private readonly maxBuffered: number;
  private readonly retryMs: number;

  constructor(private readonly opts: BookSyncOptions) {
    super();
    this.book = opts.book;
    this.timers = opts.timers ?? systemClock;
    this.maxBuffered = opts.maxBuffered ?? 10_000;
    this.retryMs = opts.retryMs ?? 500;
    this.on('error', () => undefined);
  }

  get state(): SyncState {
    return this.st;
  }

  /** Update id of the last applied event. */
  get lastUpdateId(): number {
    return this.last;
  }

  /** Resync episodes since creation (the initial sync included). */
  get resyncCount(): number {
    return this.episodes;
  }

  /** Snapshot requests made (≥ resyncCount when fetches failed or were too old). */
  get snapshotFetches(): number {
    return this.fetches;
  }

  /** Starts (or restarts, e.g. after a stream reconnect) from a fresh snapshot. */
  resync(reason: string): void {
    if (this.st === 'syncing') return;
    this.st = 'syncing';
    this.episodes++;
    this.buffer = [];
    this.book.clear();
    this.emit('resync', { reason, episode: this.episodes });
    void this.fetchLoop(++this.generation, 0);
  }

  /**
   * Feeds one raw stream frame: the path a connector uses. Binance's exact shape takes the fast
   * path (text straight to ticks/lots); anything else goes through JSON.parse and the string
   * path, which decides. Returns false (and emits `error`) for a frame that is not a usable
   * depthUpdate: the book is left untouched, and if an update was really lost the next frame's
   * U shows the gap.
   */
  onMessage(text: string): boolean {
    const fast = decodeDepthUpdate(text, this.book.price, this.book.qty);
    if (fast) {
      this.onDiff(fast);
      return true;
    }
    let d: DepthDiff;
    try {
      d = parseDepthUpdate(text);
    } catch (e) {
      this.emit('error', e instanceof Error ? e : new Error(String(e)));
      return false;
    }
    this.onDiff(d);
    return true;
  }

  /** Feeds one stream event. */
  onDiff(d: DepthDiff | ScaledDepthDiff): void {
    if (this.st === 'live') {
      if (d.u <= this.last) return;
      // The first event after a snapshot may straddle it (U ≤ lastUpdateId+1 ≤ u).
      if (this.firstPending ? d.U > this.last + 1 : d.U !== this.last + 1) {
        this.emit('gap', { expected: this.last + 1, got: d.U, reason: 'sequence' });
        this.resync(`update ${this.last + 1} missing (got ${d.U})`);
        this.buffer.push(d);
        return;
      }
      this.firstPending = false;
      this.apply(d);
      return;
    }
    if (this.st === 'syncing') {
      if (this.buffer.length >= this.maxBuffered) {
        // Too far behind to catch up from this snapshot; the next fetch starts over.
        this.buffer = [];
      }
      this.buffer.push(d);
    }
  }

  stop(): void {
    this.generation++;
    this.st = 'idle';
    this.buffer = [];
  }

  private apply(d: DepthDiff | ScaledDepthDiff): void {
    try {
      if ('scaled' in d) {
        // Converted and range-checked by the decoder already.
        this.book.applyScaled('bid', d.bids);
        this.book.applyScaled('ask', d.asks);
      } else {
        this.book.applyLevels('bid', d.b);
        this.book.applyLevels('ask', d.a);
      }
    } catch (e) {
      // Off-grid price: the instrument's tick changed under us. A snapshot will show the same.
      this.emit('error', e instanceof Error ? e : new Error(String(e)));
      this.st = 'idle';
      this.resync('unparseable update');
      return;
    }
    this.last = d.u;
    if (this.opts.resyncOnCrossed && this.book.isCrossed()) {
      this.emit('crossed', { bid: this.book.bestBidTicks()!, ask: this.book.bestAskTicks()! });
      this.st = 'idle';
      this.resync('crossed book');
    }
  }

  private async fetchLoop(gen: number, failures: number): Promise<void> {
    let snap: DepthSnapshot;
    try {
      this.fetches++;
      snap = await this.opts.fetchSnapshot();
    } catch (e) {
      if (gen !== this.generation) return;
      this.emit('error', e instanceof Error ? e : new Error(String(e)));
      const delay = Math.min(30_000, this.retryMs * 2 ** failures);
      this.timers.setTimeout(() => {
        if (gen === this.generation) void this.fetchLoop(gen, failures + 1);
      }, delay);
      return;
    }
    if (gen !== this.generation) return;
    const first = this.buffer[0];
    if (first && snap.lastUpdateId < first.U) {
      // The snapshot predates what we buffered: the events in between are lost to us.
      void this.fetchLoop(gen, failures);
      return;
    }
    this.book.loadSnapshot(snap.bids, snap.asks);
    this.last = snap.lastUpdateId;
    const pending = this.buffer;
    this.buffer = [];
    this.st = 'live';
    let firstApplied = true;
    for (const d of pending) {
      if (d.u <= this.last) continue;
      if (firstApplied ? !(d.U <= this.last + 1 && this.last + 1 <= d.u) : d.U !== this.last + 1) {
        this.st = 'idle';
        this.emit('gap', { expected: this.last + 1, got: d.U, reason: 'buffer' });
        this.resync('gap in buffered events');
        return;
      }
      firstApplied = false;
      this.apply(d);
      if (this.st !== 'live') return;
    }
    this.firstPending = firstApplied;
    this.emit('live', { lastUpdateId: this.last });
  }
}
