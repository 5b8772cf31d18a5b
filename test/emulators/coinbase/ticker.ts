/**
 * The `ticker` channel's rows (Coinbase Advanced Trade WebSocket "Ticker"): per product the last
 * price, 24 h volume, high and low, 52-week high and low, the 24 h change in percent and the
 * touch, all as strings. Each fill is a trade: it moves the price, adds to the volume and widens
 * the day's range.
 */
import Decimal from 'decimal.js';
import type { L2Books } from './book';

interface DayStats {
  price: string;
  open: string;
  volume: Decimal;
  high: string;
  low: string;
}

export class Tickers {
  private readonly stats = new Map<string, DayStats>();

  constructor(private readonly books: L2Books) {}

  /** A product's day, opened at `price` with a seeded volume (what a fresh emulator shows before any trade). */
  seed(productId: string, price: string, volume = '1234.5'): void {
    const p = new Decimal(price);
    this.stats.set(productId, { price, open: price, volume: new Decimal(volume), high: p.mul('1.02').toString(), low: p.mul('0.98').toString() });
  }

  /** A trade of `size` at `price`. */
  trade(productId: string, price: string, size: string): void {
    const s = this.stats.get(productId);
    if (!s) return;
    s.price = price;
    s.volume = s.volume.plus(size);
    if (new Decimal(price).gt(s.high)) s.high = price;
    if (new Decimal(price).lt(s.low)) s.low = price;
  }

  /** One ticker row, as the channel sends it; undefined for a product with no day. */
  row(productId: string): Record<string, string> | undefined {
    const s = this.stats.get(productId);
    if (!s) return undefined;
    const [bid] = this.books.levels(productId, 'bid', 1);
    const [ask] = this.books.levels(productId, 'offer', 1);
    return {
      type: 'ticker',
      product_id: productId,
      price: s.price,
      volume_24_h: s.volume.toString(),
      low_24_h: s.low,
      high_24_h: s.high,
      low_52_w: new Decimal(s.low).mul('0.5').toString(),
      high_52_w: new Decimal(s.high).mul('1.5').toString(),
      price_percent_chg_24_h: new Decimal(s.price).minus(s.open).div(s.open).mul(100).toString(),
      best_bid: bid?.price ?? '',
      best_bid_quantity: bid?.size ?? '',
      best_ask: ask?.price ?? '',
      best_ask_quantity: ask?.size ?? '',
    };
  }
}
