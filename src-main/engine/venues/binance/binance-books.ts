/**
 * Binance order books kept exact from `<symbol>@depth@100ms` (web-socket-streams.md "How to
 * manage a local order book correctly") with the existing BinanceBookSync: one raw stream per
 * followed symbol (so frames reach the fast depth parser unwrapped), a REST snapshot on every
 * (re)connect, a sequence gap → one resync. Quotes come from the book's touch, with the last price
 * and the 24-hour high, low and volume from `<symbol>@miniTicker` (web-socket-streams.md "Individual
 * Symbol Mini Ticker Stream", `{e:"24hrMiniTicker",E,s,c,o,h,l,v,q}`) on its own raw stream.
 * The depth socket dropping marks the symbol's quote stale until the rebuilt book's next quote.
 */
import { z } from 'zod';
import type { Instrument } from '../../domain/instrument';
import type { BookSnapshot, Quote } from '../../domain/order';
import { dayStatsFrom, LiveQuotes, type DayStats } from '../../market/live-quotes';
import { OrderBook } from '../../market/order-book';
import { ResilientWs } from '../../net/resilient-ws';
import { BinanceBookSync, type DepthSnapshot } from './binance-book-sync';

export interface BookEvents {
  quote(q: Quote): void;
  /** The book is being rebuilt (a gap, a reconnect) or a frame was refused: for the log. */
  note(instrumentId: string, message: string): void;
}

const miniTicker = z.object({ e: z.literal('24hrMiniTicker'), s: z.string(), c: z.string(), h: z.string(), l: z.string(), v: z.string() }).passthrough();

/** A miniTicker frame as the quote's day statistics; undefined for anything else. */
function dayStats(text: string): DayStats | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const m = miniTicker.safeParse(json);
  return m.success ? dayStatsFrom({ last: m.data.c, high: m.data.h, low: m.data.l, volume: m.data.v }) : undefined;
}

interface Followed {
  readonly inst: Instrument;
  readonly ticker: ResilientWs;
  readonly book: OrderBook;
  readonly sync: BinanceBookSync;
  readonly ws: ResilientWs;
}

export class BinanceBooks {
  private readonly followed = new Map<string, Followed>();
  private readonly live = new LiveQuotes((q) => this.on()?.quote(q));

  constructor(
    private readonly wsUrl: string,
    private readonly name: string,
    private readonly snapshot: (symbol: string) => Promise<DepthSnapshot>,
    private readonly now: () => number,
    private readonly on: () => BookEvents | undefined,
  ) {}

  follow(inst: Instrument): void {
    if (this.followed.has(inst.id)) return;
    const book = new OrderBook({ tick: inst.tickSize, lot: inst.lotSize });
    const sync = new BinanceBookSync({ book, fetchSnapshot: () => this.snapshot(inst.venueSymbol), resyncOnCrossed: true });
    const ws = new ResilientWs({ url: `${this.wsUrl}/ws/${inst.venueSymbol.toLowerCase()}@depth@100ms`, name: `${this.name} ${inst.venueSymbol} depth`, backoff: { initialMs: 100, maxMs: 5_000 } });
    const ticker = new ResilientWs({
      url: `${this.wsUrl}/ws/${inst.venueSymbol.toLowerCase()}@miniTicker`,
      name: `${this.name} ${inst.venueSymbol} ticker`,
      backoff: { initialMs: 100, maxMs: 5_000 },
    });
    const f: Followed = { inst, book, sync, ws, ticker };
    ticker.on('message', (text) => {
      const stats = dayStats(text);
      if (stats) this.live.dayStats(inst.id, stats);
    });
    this.live.follow(ws, () => [inst.id]);
    // Every connection starts from a fresh snapshot: what was sent while we were away is lost to us.
    ws.on('open', () => sync.resync('stream connected'));
    ws.on('message', (text) => {
      if (sync.onMessage(text) && sync.state === 'live') this.touch(f);
    });
    sync.on('live', () => this.touch(f));
    sync.on('resync', (r) => this.on()?.note(inst.id, `resync: ${r.reason}`));
    sync.on('error', (e) => this.on()?.note(inst.id, e.message));
    this.followed.set(inst.id, f);
    ws.start();
    ticker.start();
  }

  private touch(f: Followed): void {
    const bid = f.book.bestBid();
    const ask = f.book.bestAsk();
    this.live.publish({ instrumentId: f.inst.id, ...(bid ? { bid: bid.price, bidSize: bid.qty } : {}), ...(ask ? { ask: ask.price, askSize: ask.qty } : {}), ts: this.now() });
  }

  isLive(instrumentId: string): boolean {
    return this.followed.get(instrumentId)?.sync.state === 'live';
  }

  /** The top `depth` levels a side while the book is in sync; undefined while it is rebuilt. */
  snapshotOf(instrumentId: string, depth: number): BookSnapshot | undefined {
    const f = this.followed.get(instrumentId);
    if (!f || f.sync.state !== 'live') return undefined;
    return { instrumentId, ...f.book.depth(depth), ts: this.now() };
  }

  /** Resyncs so far for a book (the first sync included). */
  resyncs(instrumentId: string): number {
    return this.followed.get(instrumentId)?.sync.resyncCount ?? 0;
  }

  stop(): void {
    for (const f of this.followed.values()) {
      f.ws.stop();
      f.ticker.stop();
      f.sync.stop();
    }
    this.followed.clear();
    this.live.clear();
  }
}
