/**
 * Kraken's public WS v2 socket: `book` (depth 10, checksum-verified on every message), `ticker`
 * and `trade` per watched pair. A checksum mismatch resubscribes that pair's book (Kraken sends a
 * fresh snapshot with the subscription); a reconnect replays every subscription. Quotes come from
 * the verified book's top, with the ticker's 24 h volume, high and low; their last price from the
 * newest trade (the ticker's until one comes). A drop of the socket marks every quote stale until
 * the resubscribed book's next quote (market/live-quotes).
 */
import { z } from 'zod';
import { Decimal, toStr } from '../../domain/money';
import type { BookSnapshot, Quote } from '../../domain/order';
import type { FeedSource } from '../../api/venue-health';
import { dayStatsFrom, LiveQuotes } from '../../market/live-quotes';
import { ResilientWs } from '../../net/resilient-ws';
import { KrakenBook } from './kraken-book';
import type { PairInfo } from './kraken-instruments';
import { krakenPing } from './kraken-stream';
import { wireTickerSchema } from './kraken-wire';

export interface MarketEvents {
  quote(q: Quote): void;
  /** A checksum mismatch (the book is being re-fetched). */
  resync(symbol: string, mismatches: number): void;
}

/** A `trade` frame (WS v2): price and qty are JSON numbers, read from the text as written. */
const tradeFrame = z.object({
  channel: z.literal('trade'),
  type: z.enum(['snapshot', 'update']),
  data: z.array(z.object({ symbol: z.string(), side: z.enum(['buy', 'sell']), price: z.number(), qty: z.number(), trade_id: z.number(), timestamp: z.string() }).passthrough()),
});

const sub = (method: 'subscribe' | 'unsubscribe', channel: string, symbol: string, extra: Record<string, unknown> = {}) => JSON.stringify({ method, params: { channel, symbol: [symbol], ...extra } });

export class KrakenMarket {
  readonly ws: ResilientWs;
  /** `resyncing`: a resubscribe is out; no other is sent until its snapshot arrives. */
  private readonly books = new Map<string, { book: KrakenBook; info: PairInfo; resyncing: boolean }>();
  /** The newest trade's price per pair (wins over the ticker's last). */
  private readonly lastTrade = new Map<string, string>();
  private readonly quotes: LiveQuotes;

  constructor(
    url: string | (() => Promise<string>),
    name: string,
    private readonly now: () => number,
    private readonly on: MarketEvents,
  ) {
    this.ws = new ResilientWs({ url, name: `${name} market data`, backoff: { initialMs: 200, maxMs: 10_000 }, heartbeat: { intervalMs: 10_000, timeoutMs: 30_000, message: krakenPing } });
    this.quotes = new LiveQuotes((q) => this.on.quote(q), { label: 'Kraken market data', now });
    this.ws.on('message', (text) => this.onMessage(text));
    // What was sent while away is lost: each book waits for its resubscription's snapshot.
    this.ws.on('state', (e) => {
      if (e.state === 'reconnecting') for (const { book } of this.books.values()) book.invalidate();
    });
    this.quotes.follow(this.ws);
  }

  /** The market-data socket as the venue health's `quotes` feed. */
  get quotesFeed(): FeedSource {
    return this.quotes;
  }

  watch(info: PairInfo): void {
    const s = info.wsSymbol;
    if (this.books.has(s)) return;
    this.books.set(s, { book: new KrakenBook(s, info.pair.pair_decimals, info.pair.lot_decimals, 10), info, resyncing: false });
    this.ws.subscribe(`book:${s}`, sub('subscribe', 'book', s, { depth: 10, snapshot: true }));
    this.ws.subscribe(`ticker:${s}`, sub('subscribe', 'ticker', s));
    this.ws.subscribe(`trade:${s}`, sub('subscribe', 'trade', s, { snapshot: true }));
  }

  start(): void {
    this.ws.start();
  }

  stop(): void {
    this.ws.stop();
  }

  quote(instrumentId: string): Quote | undefined {
    return this.quotes.get(instrumentId);
  }

  /** A quote fetched over REST: fresh whatever the socket's state (the book's next quote replaces it). */
  fromRest(q: Quote): Quote {
    return this.quotes.publish(q, 'rest');
  }

  /** Checksum mismatches seen on the instrument's book so far. */
  mismatches(instrumentId: string): number {
    for (const { book, info } of this.books.values()) if (info.inst.id === instrumentId) return book.mismatches;
    return 0;
  }

  book(instrumentId: string, depth: number): BookSnapshot | undefined {
    for (const { book, info } of this.books.values()) if (info.inst.id === instrumentId && book.ready) return book.book.snapshot(instrumentId, this.now(), depth);
    return undefined;
  }

  /** Resubscribes a pair's book: its levels are dropped and a fresh snapshot replaces them. */
  resync(symbol: string): void {
    this.ws.resubscribe(`book:${symbol}`, sub('unsubscribe', 'book', symbol, { depth: 10 }));
  }

  private onMessage(text: string): void {
    // Subscription acks name the channel too; only data frames (no "method") carry levels.
    if (text.includes('"method"')) return;
    if (text.includes('"channel":"book"')) return this.onBook(text);
    if (text.includes('"channel":"trade"')) return this.onTrade(text);
    if (!text.includes('"channel":"ticker"')) return;
    let m: { data?: unknown };
    try {
      m = JSON.parse(text) as typeof m;
    } catch {
      return;
    }
    for (const row of Array.isArray(m.data) ? m.data : []) {
      const t = wireTickerSchema.safeParse(row);
      const id = t.success ? this.books.get(t.data.symbol)?.info.inst.id : undefined;
      if (t.success && id) this.quotes.dayStats(id, dayStatsFrom(t.data));
    }
  }

  /** The newest trade's price becomes the pair's last; a quote goes out with it. */
  private onTrade(text: string): void {
    let f;
    try {
      f = tradeFrame.safeParse(JSON.parse(text));
    } catch {
      return;
    }
    if (!f.success) return;
    // JSON numbers lose nothing at Kraken's precisions (≤ 10 decimals); each is made exact once here.
    const newest = f.data.data.at(-1);
    if (!newest) return;
    this.lastTrade.set(newest.symbol, toStr(new Decimal(newest.price)));
    const entry = this.books.get(newest.symbol);
    // While the book is rebuilt the last price waits for its snapshot's quote.
    if (entry?.book.ready) this.emit(entry);
  }

  private onBook(text: string): void {
    const symbol = /"symbol":\s*"([^"]+)"/.exec(text)?.[1];
    const entry = symbol ? this.books.get(symbol) : undefined;
    if (!entry) return;
    let frame;
    try {
      frame = entry.book.read(text);
    } catch {
      frame = undefined;
    }
    if (!frame) entry.book.invalidate();
    const r = frame ? entry.book.apply(frame) : 'mismatch';
    if (r === 'mismatch') {
      if (entry.resyncing) return;
      entry.resyncing = true;
      this.on.resync(entry.info.wsSymbol, entry.book.mismatches);
      this.resync(entry.info.wsSymbol);
      return;
    }
    if (r !== 'ok') return;
    if (frame?.type === 'snapshot') entry.resyncing = false;
    this.emit(entry);
  }

  private emit(entry: { book: KrakenBook; info: PairInfo }): void {
    const b = entry.book.book.bestBid();
    const a = entry.book.book.bestAsk();
    const last = this.lastTrade.get(entry.info.wsSymbol);
    this.quotes.publish({
      instrumentId: entry.info.inst.id,
      ...(b ? { bid: b.price, bidSize: b.qty } : {}),
      ...(a ? { ask: a.price, askSize: a.qty } : {}),
      ...(last ? { last } : {}),
      ts: this.now(),
    });
  }
}
