/**
 * A Kraken WS v2 `book` kept exact and checked: frames are read straight from their text (Kraken
 * sends prices and quantities as JSON numbers at the pair's full precision, which JSON.parse would
 * round), levels go into the scaled-integer OrderBook at the pair's wire precision, the book is
 * truncated to the subscribed depth after each message, and the CRC32 of the top 10 asks and bids
 * is compared with Kraken's `checksum` on every snapshot and update (docs.kraken.com, "Book
 * checksum (WebSocket v2)"). With the wire precision as the step, "price without the point and the
 * leading zeros" is exactly the integer step count, so the checksum string needs no formatting.
 */
import { crc32 } from 'node:zlib';
import Decimal from 'decimal.js';
import { OrderBook, type Side } from '../../market/order-book';

export interface BookFrame {
  readonly type: 'snapshot' | 'update';
  readonly symbol: string;
  /** Flat `[ticks, lots, …]` in message order; lots 0 deletes. */
  readonly bids: number[];
  readonly asks: number[];
  readonly checksum: number;
}

export type BookResult = 'ok' | 'mismatch' | 'not-ready';

/** Decimal places → the step string ("0.1" for 1, "1" for 0). */
export const stepOf = (decimals: number): string => (decimals === 0 ? '1' : `0.${'0'.repeat(decimals - 1)}1`);

export class KrakenBook {
  readonly book: OrderBook;
  private synced = false;
  mismatches = 0;

  constructor(
    readonly symbol: string,
    priceDecimals: number,
    qtyDecimals: number,
    readonly depth = 10,
  ) {
    this.book = new OrderBook({ tick: stepOf(priceDecimals), lot: stepOf(qtyDecimals) });
  }

  get ready(): boolean {
    return this.synced;
  }

  /** A frame could not be read: the book is unready until the next snapshot. */
  invalidate(): void {
    this.synced = false;
  }

  /** Reads a `book` frame's text for this pair; undefined when the text is not a book frame. */
  read(text: string): BookFrame | undefined {
    return readBookFrame(
      text,
      (s) => this.price(s),
      (s) => this.qty(s),
    );
  }

  private price(s: string): number {
    return parseExact(this.book.price, s);
  }

  private qty(s: string): number {
    return parseExact(this.book.qty, s);
  }

  /** Applies a frame; a mismatch leaves the book unready until the next snapshot. */
  apply(f: BookFrame): BookResult {
    if (f.type === 'snapshot') {
      this.book.clear();
      this.synced = true;
    } else if (!this.synced) return 'not-ready';
    this.book.applyScaled('bid', f.bids);
    this.book.applyScaled('ask', f.asks);
    this.truncate('bid');
    this.truncate('ask');
    if (this.checksum() === f.checksum) return 'ok';
    this.synced = false;
    this.mismatches++;
    return 'mismatch';
  }

  private truncate(side: Side): void {
    const extra = this.book.levelCount(side) - this.depth;
    if (extra <= 0) return;
    for (const [ticks] of this.book.scaledLevels(side).slice(this.depth)) this.book.setLevel(side, ticks, 0);
  }

  /** CRC32 of the top 10 asks (low → high) then bids (high → low), as Kraken computes it. */
  checksum(): number {
    const p = this.book.price.unitsPerStep;
    const q = this.book.qty.unitsPerStep;
    let s = '';
    for (const [t, l] of this.book.scaledLevels('ask', 10)) s += String(t * p) + String(l * q);
    for (const [t, l] of this.book.scaledLevels('bid', 10)) s += String(t * p) + String(l * q);
    return crc32(s) >>> 0;
  }
}

/** A plain decimal at the codec's step; an exponent form ("1e-8") goes through Decimal first. */
function parseExact(codec: OrderBook['price'], s: string): number {
  try {
    return codec.parse(s);
  } catch (e) {
    if (!/[eE]/.test(s)) throw e;
    return codec.parse(new Decimal(s).toFixed(codec.decimals));
  }
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/** The value text after `"key":` from `from` (quotes stripped), and where it ends. */
function valueAt(text: string, key: string, from: number): { v: string; end: number } | undefined {
  const k = text.indexOf(key, from);
  if (k < 0) return undefined;
  let i = k + key.length;
  while (isSpace(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) === 58) i++;
  while (isSpace(text.charCodeAt(i))) i++;
  const quoted = text.charCodeAt(i) === 34;
  if (quoted) i++;
  let j = i;
  for (; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (quoted ? c === 34 : c === 44 || c === 125 || c === 93 || isSpace(c)) break;
  }
  return { v: text.slice(i, j), end: j };
}

/** `[{"price":…,"qty":…},…]` after `"bids":` into flat [ticks, lots]. */
function levelsAt(text: string, key: string, price: (s: string) => number, qty: (s: string) => number): number[] {
  const k = text.indexOf(key);
  if (k < 0) return [];
  const close = text.indexOf(']', k);
  const out: number[] = [];
  let i = k;
  for (;;) {
    const p = valueAt(text, '"price"', i);
    if (!p || p.end > close) break;
    const q = valueAt(text, '"qty"', p.end);
    if (!q || q.end > close) break;
    out.push(price(p.v), qty(q.v));
    i = q.end;
  }
  return out;
}

/** A one-symbol v2 `book` frame from its text; undefined for any other frame. */
export function readBookFrame(text: string, price: (s: string) => number, qty: (s: string) => number): BookFrame | undefined {
  if (text.indexOf('"channel":"book"') < 0) return undefined;
  const type = valueAt(text, '"type"', 0)?.v;
  const symbol = valueAt(text, '"symbol"', 0)?.v;
  const checksum = Number(valueAt(text, '"checksum"', 0)?.v);
  if ((type !== 'snapshot' && type !== 'update') || !symbol || !Number.isInteger(checksum)) return undefined;
  return { type, symbol, bids: levelsAt(text, '"bids"', price, qty), asks: levelsAt(text, '"asks"', price, qty), checksum };
}
