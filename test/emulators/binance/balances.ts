/**
 * The emulator's spot balances (rest-api.md "Account information"; user-data-stream.md "Account
 * Update"): totals move with every trade (the commission taken in the asset received), and
 * `locked` is what the open orders hold — a BUY its remaining quantity at its price in the quote
 * asset, a SELL its remaining quantity of the base; the legs of an order list share one lock.
 */
import Decimal from 'decimal.js';
import type { BnOrder, BnTrade } from './server';
import type { SymbolSpec } from './symbols';

const dec = (d: Decimal.Value): string => new Decimal(d).toFixed(8);
const working = (o: BnOrder): boolean => o.status === 'NEW' || o.status === 'PARTIALLY_FILLED';

export class BinanceBalances {
  private readonly totals = new Map<string, Decimal>([
    ['BTC', new Decimal(10)],
    ['ETH', new Decimal(100)],
    ['USDT', new Decimal(1_000_000)],
  ]);

  constructor(
    private readonly orders: readonly BnOrder[],
    private readonly specOf: (symbol: string) => SymbolSpec,
  ) {}

  /** A trade moves both assets of its symbol. */
  trade(o: BnOrder, t: BnTrade): void {
    const s = this.specOf(o.symbol);
    const add = (asset: string, v: Decimal.Value) => this.totals.set(asset, (this.totals.get(asset) ?? new Decimal(0)).plus(v));
    const buy = o.side === 'BUY';
    add(s.base, buy ? new Decimal(t.qty).minus(t.commission) : new Decimal(t.qty).neg());
    add(s.quote, buy ? new Decimal(t.quoteQty).neg() : new Decimal(t.quoteQty).minus(t.commission));
  }

  private locked(asset: string): Decimal {
    const byList = new Map<number, Decimal>();
    let sum = new Decimal(0);
    for (const o of this.orders) {
      if (!working(o)) continue;
      const s = this.specOf(o.symbol);
      const left = new Decimal(o.origQty).minus(o.executedQty);
      const price = new Decimal(o.price).gt(0) ? o.price : o.stopPrice;
      const lock = o.side === 'BUY' ? (s.quote === asset ? left.mul(price) : new Decimal(0)) : s.base === asset ? left : new Decimal(0);
      if (o.orderListId < 0) sum = sum.plus(lock);
      else byList.set(o.orderListId, Decimal.max(byList.get(o.orderListId) ?? 0, lock));
    }
    for (const v of byList.values()) sum = sum.plus(v);
    return sum;
  }

  /** `balances` of GET /api/v3/account. */
  all(): { asset: string; free: string; locked: string }[] {
    return [...this.totals.keys()].map((a) => this.of(a));
  }

  of(asset: string): { asset: string; free: string; locked: string } {
    const locked = this.locked(asset);
    return { asset, free: dec((this.totals.get(asset) ?? new Decimal(0)).minus(locked)), locked: dec(locked) };
  }

  /** The `outboundAccountPosition` event for the assets of `symbol`. */
  position(symbol: string, now: number): Record<string, unknown> {
    const s = this.specOf(symbol);
    return { e: 'outboundAccountPosition', E: now, u: now, B: [s.base, s.quote].map((a) => ({ a, f: this.of(a).free, l: this.of(a).locked })) };
  }
}
