/**
 * TEST REFERENCE: the lot ledger as it was before its integer hot path (engine/portfolio/exact.ts),
 * every step a decimal.js Decimal. Kept unchanged as the Decimal path the ledger must equal, digit
 * for digit (test/unit/portfolio/exact.test.ts). Not used by the engine. One fix since, made in both:
 * a specific-lot choice naming a lot twice relieves it once (it used to add a zero-quantity close).
 *
 * The lot ledger's pure core: fills in, tax lots and closes out. One book per account (venue) and
 * asset; long and short. A buy on a short book (or a sell on a long one) closes lots by the
 * account's relief method; any remainder opens a new lot on the other side. Fees go into the
 * opening lot's basis and reduce a close's proceeds. A partial close splits a lot. Decimal only.
 *
 * Deterministic: the same fills in the same order (the engine's `fillOrder`) give the same ledger, so a full
 * rebuild equals the state reached by applying fills one at a time.
 */
import { Decimal, ZERO, toStr } from '../../src-main/engine/domain/money';
import type { Fill } from '../../src-main/engine/domain/order';
import type { ReliefMethod } from '../../src-main/engine/portfolio/lot-ledger';

export interface Lot {
  readonly id: string;
  readonly account: string;
  readonly asset: string;
  readonly direction: 'long' | 'short';
  /** Remaining open quantity (always positive). */
  qty: Decimal;
  /** Remaining cost basis (long: paid incl. fees; short: proceeds received net of fees). */
  basis: Decimal;
  readonly openedAt: number;
  readonly openFillId: string;
}

export interface Close {
  readonly lotId: string;
  readonly account: string;
  readonly asset: string;
  readonly direction: 'long' | 'short';
  readonly qty: Decimal;
  readonly openedAt: number;
  readonly closedAt: number;
  /** Long: what was paid (basis share). Short: what it cost to buy back. */
  readonly cost: Decimal;
  /** Long: sale net of fee share. Short: basis share received at opening. */
  readonly proceeds: Decimal;
  readonly realized: Decimal;
  readonly closeFillId: string;
}

export interface LedgerFill extends Pick<Fill, 'id' | 'venue' | 'symbol' | 'side' | 'qty' | 'price' | 'fee' | 'ts'> {
  /** For specific-lot relief: lot ids to close first, in this order. */
  readonly lotIds?: readonly string[];
}

export interface LedgerState {
  readonly lots: Map<string, Lot[]>;
  readonly closes: Close[];
  readonly methods: Map<string, ReliefMethod>;
}

export function emptyLedger(methods: Iterable<[string, ReliefMethod]> = []): LedgerState {
  return { lots: new Map(), closes: [], methods: new Map(methods) };
}

const bookKey = (account: string, asset: string): string => `${account}\u0000${asset}`;

const openOrder = (a: Lot, b: Lot): number => a.openedAt - b.openedAt || (a.id < b.id ? -1 : 1);

/** Inserts a lot where open order puts it (at the end for a fill applied in time order). */
function insertLot(book: Lot[], lot: Lot): void {
  let i = book.length;
  while (i > 0 && openOrder(book[i - 1]!, lot) > 0) i--;
  book.splice(i, 0, lot);
}

/**
 * Lots to relieve, in order. A book is kept in open order (insertLot), so FIFO and LIFO walk it
 * as it is; `lots` is a fresh array (the book's lots on the closing side) the caller gives up.
 */
function relieveOrder(byOpen: Lot[], method: ReliefMethod, lotIds: readonly string[] | undefined): Lot[] {
  if (method === 'lifo') return byOpen.reverse();
  if (method === 'hifo') {
    const unit = new Map(byOpen.map((l) => [l, l.basis.div(l.qty)]));
    return byOpen.sort((a, b) => unit.get(b)!.cmp(unit.get(a)!));
  }
  if (method === 'specific' && lotIds?.length) {
    const chosen = [...new Set(lotIds)].map((id) => byOpen.find((l) => l.id === id)).filter((l): l is Lot => l !== undefined);
    return [...chosen, ...byOpen.filter((l) => !lotIds.includes(l.id))];
  }
  return byOpen;
}

/** Applies one fill; returns the closes it made. */
export function applyFill(s: LedgerState, f: LedgerFill): Close[] {
  const key = bookKey(f.venue, f.symbol);
  const book = s.lots.get(key) ?? [];
  let left = new Decimal(f.qty);
  const fillQty = left;
  const price = new Decimal(f.price);
  const fee = new Decimal(f.fee || '0');
  const noFee = fee.isZero();
  const closing = f.side === 'buy' ? 'short' : 'long';
  const made: Close[] = [];
  const method = s.methods.get(f.venue) ?? 'fifo';
  let emptied = false;
  let closedAny = false;
  // FIFO (the default) walks the book in place; the other methods order a copy of its closing side.
  for (const lot of method === 'fifo' || book.length === 0
    ? book
    : relieveOrder(
        book.filter((l) => l.direction === closing),
        method,
        f.lotIds,
      )) {
    if (lot.direction !== closing) continue;
    if (left.isZero()) break;
    // One comparison decides the share: the whole lot (and the fill goes on) or the rest of the fill.
    const whole = left.cmp(lot.qty) >= 0;
    const q = whole ? lot.qty : left;
    const basisShare = whole ? lot.basis : lot.basis.mul(q).div(lot.qty);
    const feeShare = noFee ? fee : fee.mul(q).div(fillQty);
    const gross = price.mul(q);
    const cost = closing === 'long' ? basisShare : gross.plus(feeShare);
    const proceeds = closing === 'long' ? gross.minus(feeShare) : basisShare;
    made.push({
      lotId: lot.id,
      account: f.venue,
      asset: f.symbol,
      direction: closing,
      qty: q,
      openedAt: lot.openedAt,
      closedAt: f.ts,
      cost,
      proceeds,
      realized: proceeds.minus(cost),
      closeFillId: f.id,
    });
    closedAny = true;
    if (whole) {
      lot.qty = ZERO;
      lot.basis = ZERO;
      emptied = true;
      left = left.minus(q);
      if (left.isZero()) break;
    } else {
      lot.qty = lot.qty.minus(q);
      lot.basis = lot.basis.minus(basisShare);
      left = ZERO;
      break;
    }
  }
  const open = emptied ? book.filter((l) => !l.qty.isZero()) : book;
  if (!left.isZero()) {
    const feeShare = noFee || !closedAny ? fee : fee.mul(left).div(fillQty);
    const gross = price.mul(left);
    const direction = f.side === 'buy' ? 'long' : 'short';
    const basis = direction === 'long' ? gross.plus(feeShare) : gross.minus(feeShare);
    insertLot(open, { id: `${f.id}`, account: f.venue, asset: f.symbol, direction, qty: left, basis, openedAt: f.ts, openFillId: f.id });
  }
  if (open.length) s.lots.set(key, open);
  else s.lots.delete(key);
  s.closes.push(...made);
  return made;
}

/** A comparable, canonical snapshot (strings only) for tests, storage and the API. */
export function snapshot(s: LedgerState): { lots: Record<string, string>[]; closes: Record<string, string>[] } {
  const lots = [...s.lots.values()]
    .flat()
    .map((l) => ({ id: l.id, account: l.account, asset: l.asset, direction: l.direction, qty: toStr(l.qty), basis: toStr(l.basis), openedAt: String(l.openedAt) }))
    .sort((a, b) => (a.account + a.asset + a.id < b.account + b.asset + b.id ? -1 : 1));
  // Books are independent: closes are listed in time, then fill order (stable within one fill), whatever order books were fed in.
  const closes = [...s.closes].sort(closeOrder).map((c) => ({
    lotId: c.lotId,
    account: c.account,
    asset: c.asset,
    direction: c.direction,
    qty: toStr(c.qty),
    cost: toStr(c.cost),
    proceeds: toStr(c.proceeds),
    realized: toStr(c.realized),
    openedAt: String(c.openedAt),
    closedAt: String(c.closedAt),
    closeFillId: c.closeFillId,
  }));
  return { lots, closes };
}

/** The one order closes are listed in: time, then closing fill id (a stable sort keeps one fill's relief order). */
function closeOrder(a: Close, b: Close): number {
  return a.closedAt - b.closedAt || (a.closeFillId < b.closeFillId ? -1 : a.closeFillId > b.closeFillId ? 1 : 0);
}
