/**
 * Coinbase `level2` into our exact books: frames arrive on channel `l2_data`, each event a
 * `snapshot` (the whole book) or an `update` (absolute sizes per level, `new_quantity` "0"
 * deletes), `side` "bid" or "offer". A book is live from its snapshot on; the socket's
 * sequence check (coinbase-stream.ts) drops every book on a gap and the resubscribe brings
 * fresh snapshots. Pure apart from the books it holds.
 */
import { OrderBook, type RawLevel } from '../../market/order-book';
import type { BookSnapshot, Quote } from '../../domain/order';
import type { Frame } from './coinbase-stream';
import { scanL2Update } from './coinbase-l2-scan';

interface L2Update {
  readonly side?: unknown;
  readonly price_level?: unknown;
  readonly new_quantity?: unknown;
}

export interface BookSpecOf {
  (productId: string): { readonly tick: string; readonly lot: string; readonly instrumentId: string } | undefined;
}

export class CoinbaseBooks {
  private readonly books = new Map<string, OrderBook>();
  private readonly live = new Set<string>();
  /** Each book's last frame time as Coinbase wrote it (parsed only when read). */
  private readonly ts = new Map<string, string>();

  constructor(private readonly specOf: BookSpecOf) {}

  /** Every book is stale (a gap or a lost socket) until its next snapshot. */
  dropAll(): void {
    this.live.clear();
  }

  private readonly sides: number[] = [];
  private readonly prices: string[] = [];
  private readonly qtys: string[] = [];
  private readonly scaled: number[] = [];

  /**
   * The fast path: an `l2_data` update frame applied from its text. Returns its sequence number
   * and product, or undefined when the frame needs the JSON path (nothing applied then). Every
   * level is converted before any is applied, so an off-grid value leaves the book untouched.
   */
  applyText(text: string): { seq: number; productId: string } | undefined {
    const r = scanL2Update(text, this.sides, this.prices, this.qtys);
    if (!r) return undefined;
    this.ts.set(r.productId, r.timestamp);
    if (!this.live.has(r.productId)) return r;
    const book = this.books.get(r.productId)!;
    const flat = this.scaled;
    for (let i = 0; i < r.count; i++) {
      flat[2 * i] = book.price.parse(this.prices[i]!);
      flat[2 * i + 1] = book.qty.parse(this.qtys[i]!);
    }
    for (let i = 0; i < r.count; i++) book.setLevel(this.sides[i] === 0 ? 'bid' : 'ask', flat[2 * i]!, flat[2 * i + 1]!);
    return r;
  }

  /** Applies one `l2_data` frame; returns the products whose book changed. */
  apply(f: Frame): string[] {
    const changed: string[] = [];
    const ts = f.timestamp ?? '';
    for (const e of f.events) {
      const pid = typeof e['product_id'] === 'string' ? e['product_id'] : undefined;
      const updates = Array.isArray(e['updates']) ? (e['updates'] as L2Update[]) : [];
      if (!pid) continue;
      const book = this.bookFor(pid);
      if (!book) continue;
      const bids: RawLevel[] = [];
      const asks: RawLevel[] = [];
      for (const u of updates) {
        if (typeof u.price_level !== 'string' || typeof u.new_quantity !== 'string') continue;
        (u.side === 'bid' ? bids : u.side === 'offer' ? asks : []).push([u.price_level, u.new_quantity]);
      }
      if (e['type'] === 'snapshot') {
        book.loadSnapshot(bids, asks);
        this.live.add(pid);
      } else if (e['type'] === 'update' && this.live.has(pid)) {
        book.applyLevels('bid', bids);
        book.applyLevels('ask', asks);
      } else continue;
      this.ts.set(pid, ts);
      changed.push(pid);
    }
    return changed;
  }

  private bookFor(pid: string): OrderBook | undefined {
    let b = this.books.get(pid);
    if (!b) {
      const spec = this.specOf(pid);
      if (!spec) return undefined;
      b = new OrderBook(spec);
      this.books.set(pid, b);
    }
    return b;
  }

  snapshot(pid: string, depth: number): BookSnapshot | undefined {
    const b = this.books.get(pid);
    const spec = this.specOf(pid);
    if (!b || !spec || !this.live.has(pid)) return undefined;
    return b.snapshot(spec.instrumentId, Date.parse(this.ts.get(pid) ?? '') || 0, depth);
  }

  quote(pid: string): Quote | undefined {
    const b = this.books.get(pid);
    const spec = this.specOf(pid);
    if (!b || !spec || !this.live.has(pid)) return undefined;
    const bid = b.bestBid();
    const ask = b.bestAsk();
    return { instrumentId: spec.instrumentId, ...(bid ? { bid: bid.price, bidSize: bid.qty } : {}), ...(ask ? { ask: ask.price, askSize: ask.qty } : {}), ts: Date.parse(this.ts.get(pid) ?? '') || 0 };
  }
}
