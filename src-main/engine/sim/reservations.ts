/**
 * What the Paper account's open orders hold back, kept as running totals so a buying-power check
 * costs the same with 10 or 10,000 open orders (it used to re-read and re-price every open order).
 *
 * Each open order's hold is computed once when its row changes (store.saveOrder) and added to the
 * totals. A bracket's two exits protect one quantity: per parent, only the larger hold counts.
 * The few orders priced at the market (no limit, stop or trail price) are priced at query time.
 */
import { Decimal, ZERO } from '../domain/money';
import type { SimOrderRow } from './sim-store';

export interface Hold {
  /** Cash held (mark-independent); 0 for a floating order. */
  readonly cash: Decimal;
  /** Coins promised to a crypto sell: asset and quantity. */
  readonly coin?: { readonly asset: string; readonly qty: Decimal };
  /** Priced at the market: its cash hold is computed at query time. */
  readonly floating: boolean;
}

interface Entry {
  readonly row: SimOrderRow;
  readonly hold: Hold;
}

export class SimReservations {
  private readonly entries = new Map<string, Entry>();
  private readonly exits = new Map<string, Set<string>>();
  private readonly floating = new Set<string>();
  private soloCash = ZERO;
  private readonly soloCoin = new Map<string, Decimal>();
  /** Per bracket parent: the larger of its exits' cash and coin holds. */
  private readonly groupCash = new Map<string, Decimal>();
  private readonly groupCoin = new Map<string, { asset: string; qty: Decimal }>();
  private groupCashTotal = ZERO;
  private readonly groupCoinTotal = new Map<string, Decimal>();

  constructor(
    private readonly holdOf: (row: SimOrderRow) => Hold,
    private readonly floatingCash: (row: SimOrderRow) => Decimal,
  ) {}

  reset(open: readonly SimOrderRow[]): void {
    this.entries.clear();
    this.exits.clear();
    this.floating.clear();
    this.soloCash = ZERO;
    this.soloCoin.clear();
    this.groupCash.clear();
    this.groupCoin.clear();
    this.groupCashTotal = ZERO;
    this.groupCoinTotal.clear();
    for (const r of open) this.save(r);
  }

  /** An order row was written: open rows are (re)counted, finished ones dropped. */
  save(row: SimOrderRow): void {
    this.remove(row.venueOrderId);
    if (row.status !== 'accepted' && row.status !== 'partially_filled') return;
    const entry: Entry = { row: { ...row }, hold: this.holdOf(row) };
    this.entries.set(row.venueOrderId, entry);
    if (entry.hold.floating) this.floating.add(row.venueOrderId);
    if (row.parentId) {
      let set = this.exits.get(row.parentId);
      if (!set) this.exits.set(row.parentId, (set = new Set()));
      set.add(row.venueOrderId);
      this.regroup(row.parentId);
      return;
    }
    this.soloCash = this.soloCash.plus(entry.hold.cash);
    if (entry.hold.coin) this.soloCoin.set(entry.hold.coin.asset, (this.soloCoin.get(entry.hold.coin.asset) ?? ZERO).plus(entry.hold.coin.qty));
  }

  /** Cash held by open orders; `exclude` leaves one order out (a modify's preview). */
  cash(exclude?: string): Decimal {
    let total = this.soloCash.plus(this.groupCashTotal);
    for (const id of this.floating) {
      const e = this.entries.get(id)!;
      if (id !== exclude && !e.row.parentId) total = total.plus(this.floatingCash(e.row));
    }
    const ex = exclude !== undefined ? this.entries.get(exclude) : undefined;
    if (!ex) return total;
    if (!ex.row.parentId) return total.minus(ex.hold.cash);
    const g = this.group(ex.row.parentId, exclude);
    return total.minus(this.groupCash.get(ex.row.parentId) ?? ZERO).plus(g.cash);
  }

  /** Coins of `asset` promised to open sells. */
  coin(asset: string, exclude?: string): Decimal {
    let total = (this.soloCoin.get(asset) ?? ZERO).plus(this.groupCoinTotal.get(asset) ?? ZERO);
    const ex = exclude !== undefined ? this.entries.get(exclude) : undefined;
    if (!ex || ex.hold.coin?.asset !== asset) return total;
    if (!ex.row.parentId) return total.minus(ex.hold.coin.qty);
    const g = this.group(ex.row.parentId, exclude);
    total = total.minus(this.groupCoin.get(ex.row.parentId)?.qty ?? ZERO);
    return g.coin && g.coin.asset === asset ? total.plus(g.coin.qty) : total;
  }

  private remove(id: string): void {
    const e = this.entries.get(id);
    if (!e) return;
    this.entries.delete(id);
    this.floating.delete(id);
    if (e.row.parentId) {
      const set = this.exits.get(e.row.parentId);
      set?.delete(id);
      if (set && set.size === 0) this.exits.delete(e.row.parentId);
      this.regroup(e.row.parentId);
      return;
    }
    this.soloCash = this.soloCash.minus(e.hold.cash);
    if (e.hold.coin) this.soloCoin.set(e.hold.coin.asset, (this.soloCoin.get(e.hold.coin.asset) ?? ZERO).minus(e.hold.coin.qty));
  }

  /** The larger hold among a parent's open exits (leaving one out). */
  private group(parentId: string, exclude?: string): { cash: Decimal; coin?: { asset: string; qty: Decimal } } {
    let cash = ZERO;
    let coin: { asset: string; qty: Decimal } | undefined;
    for (const id of this.exits.get(parentId) ?? []) {
      if (id === exclude) continue;
      const e = this.entries.get(id)!;
      const c = e.hold.floating ? this.floatingCash(e.row) : e.hold.cash;
      cash = Decimal.max(cash, c);
      if (e.hold.coin) coin = coin ? { asset: coin.asset, qty: Decimal.max(coin.qty, e.hold.coin.qty) } : { ...e.hold.coin };
    }
    return coin ? { cash, coin } : { cash };
  }

  private regroup(parentId: string): void {
    const before = { cash: this.groupCash.get(parentId) ?? ZERO, coin: this.groupCoin.get(parentId) };
    const after = this.group(parentId);
    this.groupCashTotal = this.groupCashTotal.minus(before.cash).plus(after.cash);
    if (before.coin) this.groupCoinTotal.set(before.coin.asset, (this.groupCoinTotal.get(before.coin.asset) ?? ZERO).minus(before.coin.qty));
    if (after.coin) this.groupCoinTotal.set(after.coin.asset, (this.groupCoinTotal.get(after.coin.asset) ?? ZERO).plus(after.coin.qty));
    if (this.exits.has(parentId)) {
      this.groupCash.set(parentId, after.cash);
      if (after.coin) this.groupCoin.set(parentId, after.coin);
      else this.groupCoin.delete(parentId);
    } else {
      this.groupCash.delete(parentId);
      this.groupCoin.delete(parentId);
    }
  }
}
