/**
 * Kraken's public WS v2 socket: `book` (depth 10, checksum-verified on every message) and
 * `ticker` per watched pair. A checksum mismatch resubscribes that pair's book (Kraken sends a
 * fresh snapshot with the subscription); a reconnect replays every subscription. Quotes come from
 * the verified book's top, with the ticker's last trade and 24 h volume, high and low.
 */
import type { BookSnapshot, Quote } from '../../domain/order';
import { ResilientWs } from '../../net/resilient-ws';
import { KrakenBook } from './kraken-book';
import type { PairInfo } from './kraken-instruments';
import { krakenPing } from './kraken-stream';
import { wireTickerSchema } from './kraken-wire';

type TickerStats = Pick<Quote, 'last' | 'volume' | 'dayHigh' | 'dayLow'>;

/** What a ticker row adds to the quote: a price only when above 0 (Kraken sends 0 for a pair with no trades), a volume when not negative. */
function statsOf(t: { last?: string | undefined; volume?: string | undefined; high?: string | undefined; low?: string | undefined }): TickerStats {
  const price = (v: string | undefined) => (v !== undefined && Number(v) > 0 ? v : undefined);
  const last = price(t.last);
  const high = price(t.high);
  const low = price(t.low);
  const volume = t.volume !== undefined && Number(t.volume) >= 0 ? t.volume : undefined;
  return { ...(last ? { last } : {}), ...(volume !== undefined ? { volume } : {}), ...(high ? { dayHigh: high } : {}), ...(low ? { dayLow: low } : {}) };
}

export interface MarketEvents {
  quote(q: Quote): void;
  /** A checksum mismatch (the book is being re-fetched). */
  resync(symbol: string, mismatches: number): void;
}

const sub = (method: 'subscribe' | 'unsubscribe', channel: string, symbol: string, extra: Record<string, unknown> = {}) => JSON.stringify({ method, params: { channel, symbol: [symbol], ...extra } });

export class KrakenMarket {
  readonly ws: ResilientWs;
  /** `resyncing`: a resubscribe is out; no other is sent until its snapshot arrives. */
  private readonly books = new Map<string, { book: KrakenBook; info: PairInfo; resyncing: boolean }>();
  private readonly stats = new Map<string, TickerStats>();
  private readonly quotes = new Map<string, Quote>();

  constructor(
    url: string | (() => Promise<string>),
    name: string,
    private readonly now: () => number,
    private readonly on: MarketEvents,
  ) {
    this.ws = new ResilientWs({ url, name: `${name} market data`, backoff: { initialMs: 200, maxMs: 10_000 }, heartbeat: { intervalMs: 10_000, timeoutMs: 30_000, message: krakenPing } });
    this.ws.on('message', (text) => this.onMessage(text));
  }

  watch(info: PairInfo): void {
    const s = info.wsSymbol;
    if (this.books.has(s)) return;
    this.books.set(s, { book: new KrakenBook(s, info.pair.pair_decimals, info.pair.lot_decimals, 10), info, resyncing: false });
    this.ws.subscribe(`book:${s}`, sub('subscribe', 'book', s, { depth: 10, snapshot: true }));
    this.ws.subscribe(`ticker:${s}`, sub('subscribe', 'ticker', s));
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
    if (!text.includes('"channel":"ticker"')) return;
    let m: { data?: unknown };
    try {
      m = JSON.parse(text) as typeof m;
    } catch {
      return;
    }
    for (const row of Array.isArray(m.data) ? m.data : []) {
      const t = wireTickerSchema.safeParse(row);
      if (t.success) this.stats.set(t.data.symbol, { ...this.stats.get(t.data.symbol), ...statsOf(t.data) });
    }
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
    const b = entry.book.book.bestBid();
    const a = entry.book.book.bestAsk();
    const stats = this.stats.get(entry.info.wsSymbol);
    const q: Quote = { instrumentId: entry.info.inst.id, ...(b ? { bid: b.price, bidSize: b.qty } : {}), ...(a ? { ask: a.price, askSize: a.qty } : {}), ...stats, ts: this.now() };
    this.quotes.set(entry.info.inst.id, q);
    this.on.quote(q);
  }
}
