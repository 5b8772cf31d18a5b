/**
 * What the Paper account's open orders hold back, kept as running totals so a buying-power check
 * costs the same with 10 or 10,000 open orders (it used to re-read and re-price every open order).
 *
 * Each open order's hold is computed once when its row changes (store.saveOrder) and added to the
 * totals. Orders of which only one can ever fill hold once between them: a bracket's two exits
 * (per parent) and the members of an OCA group (per group name: the matching engine's first fill
 * of any member cancels the others, and the member that filled only works on for its remainder).
 * Such a group holds, per asset, the LARGEST of its members' holds, never their sum.
 * The few orders priced at the market (no limit, stop or trail price) are priced at query time, and
 * so is a group with one among its members.
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

/** What a group of orders, only one of which can fill, holds: the largest cash and, per asset, the largest coin hold. */
export interface GroupHold {
  readonly cash: Decimal;
  readonly coin: ReadonlyMap<string, Decimal>;
}

interface Entry {
  readonly row: SimOrderRow;
  readonly hold: Hold;
  /** The group it holds in (`bracket:<parent>` or `oca:<name>`), if any. */
  readonly group: string | undefined;
}

const NONE: GroupHold = { cash: ZERO, coin: new Map() };

/** A bracket child shares its parent's hold; an OCA member its group's (a bracket child takes no OCA group). */
function groupOf(row: SimOrderRow): string | undefined {
  if (row.parentId) return `bracket:${row.parentId}`;
  return row.ocaGroup ? `oca:${row.ocaGroup}` : undefined;
}

const add = (m: Map<string, Decimal>, asset: string, qty: Decimal): void => void m.set(asset, (m.get(asset) ?? ZERO).plus(qty));

export class SimReservations {
  private readonly entries = new Map<string, Entry>();
  private readonly members = new Map<string, Set<string>>();
  private readonly floating = new Set<string>();
  private soloCash = ZERO;
  private readonly soloCoin = new Map<string, Decimal>();
  /** Per group: the largest of its members' cash and coin holds, and the totals over every group. */
  private readonly groups = new Map<string, GroupHold>();
  private groupCashTotal = ZERO;
  private readonly groupCoinTotal = new Map<string, Decimal>();

  constructor(
    private readonly holdOf: (row: SimOrderRow) => Hold,
    private readonly floatingCash: (row: SimOrderRow) => Decimal,
  ) {}

  reset(open: readonly SimOrderRow[]): void {
    this.entries.clear();
    this.members.clear();
    this.floating.clear();
    this.soloCash = ZERO;
    this.soloCoin.clear();
    this.groups.clear();
    this.groupCashTotal = ZERO;
    this.groupCoinTotal.clear();
    for (const r of open) this.save(r);
  }

  /** An order row was written: open rows are (re)counted, finished ones dropped. */
  save(row: SimOrderRow): void {
    this.remove(row.venueOrderId);
    if (row.status !== 'accepted' && row.status !== 'partially_filled') return;
    const entry: Entry = { row: { ...row }, hold: this.holdOf(row), group: groupOf(row) };
    this.entries.set(row.venueOrderId, entry);
    if (entry.hold.floating) this.floating.add(row.venueOrderId);
    if (entry.group) {
      let set = this.members.get(entry.group);
      if (!set) this.members.set(entry.group, (set = new Set()));
      set.add(row.venueOrderId);
      this.regroup(entry.group);
      return;
    }
    this.soloCash = this.soloCash.plus(entry.hold.cash);
    if (entry.hold.coin) add(this.soloCoin, entry.hold.coin.asset, entry.hold.coin.qty);
  }

  /** Cash held by open orders; `exclude` leaves one order out (a modify's preview). */
  cash(exclude?: string): Decimal {
    let total = this.soloCash.plus(this.groupCashTotal);
    const ex = exclude !== undefined ? this.entries.get(exclude) : undefined;
    for (const id of this.floating) {
      const e = this.entries.get(id)!;
      if (id === exclude) continue;
      // A floating group member: the group's stored cash is replaced by the group priced now.
      if (e.group) {
        if (e.group !== ex?.group && this.firstFloating(e.group) === id) total = total.minus(this.groups.get(e.group)!.cash).plus(this.group(e.group).cash);
      } else total = total.plus(this.floatingCash(e.row));
    }
    if (!ex) return total;
    if (!ex.group) return total.minus(ex.hold.cash);
    return total.minus(this.groups.get(ex.group)!.cash).plus(this.group(ex.group, exclude).cash);
  }

  /** Coins of `asset` promised to open sells. */
  coin(asset: string, exclude?: string): Decimal {
    const total = (this.soloCoin.get(asset) ?? ZERO).plus(this.groupCoinTotal.get(asset) ?? ZERO);
    const ex = exclude !== undefined ? this.entries.get(exclude) : undefined;
    if (!ex || ex.hold.coin?.asset !== asset) return total;
    if (!ex.group) return total.minus(ex.hold.coin.qty);
    const now = this.groups.get(ex.group)!.coin.get(asset) ?? ZERO;
    return total.minus(now).plus(this.group(ex.group, exclude).coin.get(asset) ?? ZERO);
  }

  /**
   * What an OCA group's open members hold now (leaving one out): a new member needs only what it
   * holds beyond that, since whichever member fills first cancels the rest.
   */
  ocaHold(ocaGroup: string, exclude?: string): GroupHold {
    const key = `oca:${ocaGroup}`;
    return this.members.has(key) ? this.group(key, exclude) : NONE;
  }

  /** The first floating member of a group (its group is repriced once per query, not once per member). */
  private firstFloating(key: string): string | undefined {
    for (const id of this.members.get(key) ?? []) if (this.floating.has(id)) return id;
    return undefined;
  }

  private remove(id: string): void {
    const e = this.entries.get(id);
    if (!e) return;
    this.entries.delete(id);
    this.floating.delete(id);
    if (e.group) {
      const set = this.members.get(e.group)!;
      set.delete(id);
      if (set.size === 0) this.members.delete(e.group);
      this.regroup(e.group);
      return;
    }
    this.soloCash = this.soloCash.minus(e.hold.cash);
    if (e.hold.coin) add(this.soloCoin, e.hold.coin.asset, e.hold.coin.qty.neg());
  }

  /** The larger holds among a group's open members (leaving one out); a floating member is priced now. */
  private group(key: string, exclude?: string): GroupHold {
    let cash = ZERO;
    const coin = new Map<string, Decimal>();
    for (const id of this.members.get(key) ?? []) {
      if (id === exclude) continue;
      const e = this.entries.get(id)!;
      cash = Decimal.max(cash, e.hold.floating ? this.floatingCash(e.row) : e.hold.cash);
      if (e.hold.coin) coin.set(e.hold.coin.asset, Decimal.max(coin.get(e.hold.coin.asset) ?? ZERO, e.hold.coin.qty));
    }
    return { cash, coin };
  }

  private regroup(key: string): void {
    const before = this.groups.get(key) ?? NONE;
    const after = this.members.has(key) ? this.group(key) : NONE;
    this.groupCashTotal = this.groupCashTotal.minus(before.cash).plus(after.cash);
    for (const [asset, qty] of before.coin) add(this.groupCoinTotal, asset, qty.neg());
    for (const [asset, qty] of after.coin) add(this.groupCoinTotal, asset, qty);
    if (this.members.has(key)) this.groups.set(key, after);
    else this.groups.delete(key);
  }
}
