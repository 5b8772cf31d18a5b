/**
 * The emulator's level-2 books: price level → size per side, seeded around each product's price.
 * Changes come back as `l2_data` update entries (`new_quantity` "0" deletes the level).
 */
import Decimal from 'decimal.js';

export type L2Side = 'bid' | 'offer';
export interface L2Entry {
  side: L2Side;
  event_time: string;
  price_level: string;
  new_quantity: string;
}

export class L2Books {
  private readonly books = new Map<string, { bid: Map<string, string>; offer: Map<string, string> }>();

  constructor(private readonly now: () => number) {}

  seed(productId: string, mid: string, tick: string, levels = 5): void {
    const bid = new Map<string, string>();
    const offer = new Map<string, string>();
    for (let i = 1; i <= levels; i++) {
      bid.set(new Decimal(mid).minus(new Decimal(tick).mul(i * 100)).toFixed(2), new Decimal(i).div(2).toString());
      offer.set(new Decimal(mid).plus(new Decimal(tick).mul(i * 100)).toFixed(2), new Decimal(i).div(2).toString());
    }
    this.books.set(productId, { bid, offer });
  }

  has(productId: string): boolean {
    return this.books.has(productId);
  }

  /** Sets levels (size "0" deletes); returns the update entries. */
  set(productId: string, levels: ReadonlyArray<{ side: L2Side; price: string; size: string }>): L2Entry[] {
    const b = this.books.get(productId);
    if (!b) throw new Error(`no book ${productId}`);
    const t = new Date(this.now()).toISOString();
    return levels.map((l) => {
      const key = new Decimal(l.price).toFixed(2);
      if (new Decimal(l.size).isZero()) b[l.side].delete(key);
      else b[l.side].set(key, l.size);
      return { side: l.side, event_time: t, price_level: key, new_quantity: l.size };
    });
  }

  /** Levels best first. */
  levels(productId: string, side: L2Side, limit = 1000): Array<{ price: string; size: string }> {
    const b = this.books.get(productId);
    if (!b) return [];
    const xs = [...b[side]].map(([price, size]) => ({ price, size }));
    xs.sort((x, y) => (side === 'bid' ? new Decimal(y.price).cmp(x.price) : new Decimal(x.price).cmp(y.price)));
    return xs.slice(0, limit);
  }

  snapshot(productId: string): L2Entry[] | undefined {
    if (!this.books.has(productId)) return undefined;
    const t = new Date(this.now()).toISOString();
    return (['bid', 'offer'] as const).flatMap((side) => this.levels(productId, side).map((l) => ({ side, event_time: t, price_level: l.price, new_quantity: l.size })));
  }
}
