/**
 * Binance order books kept exact from `<symbol>@depth@100ms` (web-socket-streams.md "How to
 * manage a local order book correctly") with the existing BinanceBookSync: a REST snapshot on every
 * (re)connect and on subscribing, a sequence gap → one resync. Quotes come from the book's touch,
 * with the last price and the 24-hour high, low and volume from `<symbol>@miniTicker`
 * (web-socket-streams.md "Individual Symbol Mini Ticker Stream", `{e:"24hrMiniTicker",E,s,c,o,h,l,v,q}`).
 * Every followed symbol's streams share one combined connection (binance-market-socket.ts); the
 * event text is cut out of each frame unparsed, so depth still takes the fast parser. A connection
 * dropping marks its symbols' quotes stale until each rebuilt book's next quote.
 */
import { z } from 'zod';
import type { Instrument } from '../../domain/instrument';
import type { BookSnapshot, Quote } from '../../domain/order';
import type { FeedSource } from '../../api/venue-health';
import { dayStatsFrom, LiveQuotes, type DayStats } from '../../market/live-quotes';
import { OrderBook } from '../../market/order-book';
import { BinanceMarketSockets, type MarketFrame } from './binance-market-socket';
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
  readonly book: OrderBook;
  readonly sync: BinanceBookSync;
}

const DEPTH = '@depth@100ms';
const TICKER = '@miniTicker';

export class BinanceBooks {
  private readonly followed = new Map<string, Followed>();
  /** Followed books by their stream prefix (the lower-case symbol). */
  private readonly byStream = new Map<string, Followed>();
  readonly sockets: BinanceMarketSockets;
  private readonly live: LiveQuotes;

  constructor(
    wsUrl: string,
    name: string,
    private readonly snapshot: (symbol: string) => Promise<DepthSnapshot>,
    private readonly now: () => number,
    private readonly on: () => BookEvents | undefined,
  ) {
    this.live = new LiveQuotes((q) => this.on()?.quote(q), { label: 'Binance market data', now });
    this.sockets = new BinanceMarketSockets(wsUrl, name, {
      frame: (f) => this.onFrame(f),
      // Every connection starts from a fresh snapshot: what was sent while we were away is lost to us.
      opened: (streams) => {
        for (const s of streams) if (s.endsWith(DEPTH)) this.byStream.get(s.slice(0, -DEPTH.length))?.sync.resync('stream connected');
      },
      feed: (streams, up) => {
        const ids = streams.filter((s) => s.endsWith(DEPTH)).flatMap((s) => this.byStream.get(s.slice(0, -DEPTH.length))?.inst.id ?? []);
        if (up) this.live.up(ids);
        else this.live.down(ids);
      },
    });
  }
  /** The combined market socket as the venue health's `quotes` feed. */
  get quotesFeed(): FeedSource {
    return this.live;
  }

  private onFrame(fr: MarketFrame): void {
    const at = fr.stream.indexOf('@');
    const f = at > 0 ? this.byStream.get(fr.stream.slice(0, at)) : undefined;
    if (!f) return;
    if (fr.stream.endsWith(DEPTH)) {
      if (f.sync.onMessage(fr.data) && f.sync.state === 'live') this.touch(f);
    } else if (fr.stream.endsWith(TICKER)) {
      const stats = dayStats(fr.data);
      if (stats) this.live.dayStats(f.inst.id, stats);
    }
  }

  follow(inst: Instrument): void {
    if (this.followed.has(inst.id)) return;
    const book = new OrderBook({ tick: inst.tickSize, lot: inst.lotSize });
    const sync = new BinanceBookSync({ book, fetchSnapshot: () => this.snapshot(inst.venueSymbol), resyncOnCrossed: true });
    const f: Followed = { inst, book, sync };
    sync.on('live', () => this.touch(f));
    sync.on('resync', (r) => this.on()?.note(inst.id, `resync: ${r.reason}`));
    sync.on('error', (e) => this.on()?.note(inst.id, e.message));
    const key = inst.venueSymbol.toLowerCase();
    this.followed.set(inst.id, f);
    this.byStream.set(key, f);
    // On a connection already open, the book starts now: buffer the stream, fetch the snapshot
    // (web-socket-streams.md's order); otherwise the connection's opening starts it.
    if (this.sockets.add([`${key}${DEPTH}`, `${key}${TICKER}`])) sync.resync('subscribed');
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
    this.sockets.stop();
    for (const f of this.followed.values()) f.sync.stop();
    this.followed.clear();
    this.byStream.clear();
    this.live.clear();
  }
}
