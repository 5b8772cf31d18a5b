/**
 * Which order books a window is watching (the DOM ladder), and a `book` event for each of them
 * every time its venue streams a quote: the ladder redraws from the stream, never by polling.
 * Watches are counted (two windows on one book) and capped; the oldest goes when the cap is hit.
 */
import type { BookSnapshot } from '../domain/order';

export interface BookWatchDeps {
  /** The venue's current book, or undefined when it has none yet. */
  readonly book: (venue: string, instrumentId: string, depth: number) => BookSnapshot | undefined;
  readonly emit: (venue: string, book: BookSnapshot) => void;
  /** Most books watched at once (default 32). */
  readonly max?: number;
}

interface Watch {
  depth: number;
  count: number;
}

export class BookWatch {
  private readonly watches = new Map<string, Watch>();

  constructor(private readonly d: BookWatchDeps) {}

  private static key(venue: string, instrumentId: string): string {
    return `${venue}\u0000${instrumentId}`;
  }

  /** Starts (or joins) a watch; the deepest depth asked wins. */
  watch(venue: string, instrumentId: string, depth: number): void {
    const k = BookWatch.key(venue, instrumentId);
    const w = this.watches.get(k);
    if (w) {
      this.watches.delete(k);
      this.watches.set(k, { depth: Math.max(w.depth, depth), count: w.count + 1 });
      return;
    }
    if (this.watches.size >= (this.d.max ?? 32)) this.watches.delete(this.watches.keys().next().value!);
    this.watches.set(k, { depth, count: 1 });
  }

  unwatch(venue: string, instrumentId: string): void {
    const k = BookWatch.key(venue, instrumentId);
    const w = this.watches.get(k);
    if (!w) return;
    if (--w.count <= 0) this.watches.delete(k);
  }

  watching(venue: string, instrumentId: string): boolean {
    return this.watches.has(BookWatch.key(venue, instrumentId));
  }

  /** A quote arrived: the watched book goes out as it is now. */
  onQuote(venue: string, instrumentId: string): void {
    const w = this.watches.get(BookWatch.key(venue, instrumentId));
    if (!w) return;
    const b = this.d.book(venue, instrumentId, w.depth);
    if (b) this.d.emit(venue, b);
  }

  /** Forgets a removed venue's watches. */
  dropVenue(venue: string): void {
    for (const k of [...this.watches.keys()]) if (k.startsWith(`${venue}\u0000`)) this.watches.delete(k);
  }
}
