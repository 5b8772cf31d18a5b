/**
 * The lot ledger's pure core: fills in, tax lots and closes out. One book per account (venue) and
 * asset; long and short. A buy on a short book (or a sell on a long one) closes lots by the
 * account's relief method; any remainder opens a new lot on the other side. Fees go into the
 * opening lot's basis and reduce a close's proceeds. A partial close splits a lot.
 *
 * Exact throughout: the arithmetic runs on scaled integers (exact.ts) with the Decimal path's own
 * result rule, so every figure equals the one decimal.js gives (a property test holds them equal);
 * a lot's or a close's amounts become Decimals only when read (the output boundary).
 *
 * Deterministic: the same fills in the same order (see `fillOrder`) give the same ledger, so a full
 * rebuild equals the state reached by applying fills one at a time.
 */
import { Decimal, ZERO, toStr } from '../domain/money';
import type { DecimalString } from '../domain/money';
import type { Fill } from '../domain/order';
import { add, cmp, div, fromDecimal, isZero, mul, num, NUM_ZERO, sub, toDecimal, type Num } from './exact';
import type { Purchase } from './tax-lots';

export type ReliefMethod = 'fifo' | 'lifo' | 'hifo' | 'specific';
export const RELIEF_METHODS: readonly ReliefMethod[] = ['fifo', 'lifo', 'hifo', 'specific'];

export interface Lot {
  readonly id: string;
  readonly account: string;
  readonly asset: string;
  readonly direction: 'long' | 'short';
  /** Remaining open quantity (always positive). */
  readonly qty: Decimal;
  /** Remaining cost basis (long: paid incl. fees; short: proceeds received net of fees). */
  readonly basis: Decimal;
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

/** A lot as the ledger keeps it: exact scaled amounts, read as Decimals. */
class LotRec implements Lot {
  constructor(
    readonly id: string,
    readonly account: string,
    readonly asset: string,
    readonly direction: 'long' | 'short',
    public q: Num,
    public b: Num,
    readonly openedAt: number,
    readonly openFillId: string,
  ) {}
  get qty(): Decimal {
    return toDecimal(this.q);
  }
  get basis(): Decimal {
    return toDecimal(this.b);
  }
}

/** A close as the ledger keeps it; its Decimals are built once, when first read. */
class CloseRec implements Close {
  private dq: Decimal | undefined;
  private dc: Decimal | undefined;
  private dp: Decimal | undefined;
  private dr: Decimal | undefined;
  constructor(
    readonly lotId: string,
    readonly account: string,
    readonly asset: string,
    readonly direction: 'long' | 'short',
    readonly q: Num,
    readonly openedAt: number,
    readonly closedAt: number,
    readonly c: Num,
    readonly p: Num,
    readonly closeFillId: string,
  ) {}
  get qty(): Decimal {
    return (this.dq ??= toDecimal(this.q));
  }
  get cost(): Decimal {
    return (this.dc ??= toDecimal(this.c));
  }
  get proceeds(): Decimal {
    return (this.dp ??= toDecimal(this.p));
  }
  get realized(): Decimal {
    return (this.dr ??= toDecimal(sub(this.p, this.c)));
  }
}

/** True when a close lost money; a ledger close answers from its exact amounts without building a Decimal. */
export function isLoss(c: Close): boolean {
  return c instanceof CloseRec ? cmp(c.p, c.c) < 0 : c.realized.lt(0);
}

/** A long lot as a purchase for the wash-sale pass: its quantity when bought (read as a Decimal when needed). */
class PurchaseRec implements Purchase {
  private d: Decimal | undefined;
  constructor(
    readonly lotId: string,
    readonly asset: string,
    private readonly q: Num,
    readonly ts: number,
  ) {}
  get qty(): Decimal {
    return (this.d ??= toDecimal(this.q));
  }
}

/** The purchase a lot just opened stands for (its quantity now, kept as it is). */
export function purchaseOf(lot: Lot): Purchase {
  return lot instanceof LotRec ? new PurchaseRec(lot.id, lot.asset, lot.q, lot.openedAt) : { lotId: lot.id, asset: lot.asset, qty: lot.qty, ts: lot.openedAt };
}

/**
 * The same lot with another basis (the tax view adds a wash sale's disallowed loss): a ledger lot
 * still, its amounts read through the same getters. Never copy a lot with an object spread: the
 * spread keeps its scaled internals but drops its getters (`qty`, `basis`).
 */
export function withBasis(lot: Lot, basis: Decimal): Lot {
  const q = lot instanceof LotRec ? lot.q : fromDecimal(lot.qty);
  return new LotRec(lot.id, lot.account, lot.asset, lot.direction, q, fromDecimal(basis), lot.openedAt, lot.openFillId);
}

export interface LedgerFill extends Pick<Fill, 'id' | 'venue' | 'symbol' | 'side' | 'qty' | 'price' | 'fee' | 'ts'> {
  /** For specific-lot relief: lot ids to close first, in this order. */
  readonly lotIds?: readonly string[];
}

export interface LedgerState {
  readonly lots: Map<string, readonly Lot[]>;
  readonly closes: Close[];
  readonly methods: Map<string, ReliefMethod>;
}

export function emptyLedger(methods: Iterable<[string, ReliefMethod]> = []): LedgerState {
  return { lots: new Map(), closes: [], methods: new Map(methods) };
}

const keys = new Map<string, Map<string, string>>();
/** A book's key; made once per book (two lookups on the hot path instead of a new string per fill). */
export function bookKey(account: string, asset: string): string {
  let byAsset = keys.get(account);
  if (!byAsset) keys.set(account, (byAsset = new Map()));
  let key = byAsset.get(asset);
  if (key === undefined) byAsset.set(asset, (key = `${account}\u0000${asset}`));
  return key;
}

/** The one order fills are applied in: time, then id. */
export function fillOrder(a: LedgerFill, b: LedgerFill): number {
  return a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

const openOrder = (a: LotRec, b: LotRec): number => a.openedAt - b.openedAt || (a.id < b.id ? -1 : 1);

/** Inserts a lot where open order puts it (at the end for a fill applied in time order). */
function insertLot(book: LotRec[], lot: LotRec): void {
  let i = book.length;
  while (i > 0 && openOrder(book[i - 1]!, lot) > 0) i--;
  book.splice(i, 0, lot);
}

/**
 * Lots to relieve, in order. A book is kept in open order (insertLot), so FIFO and LIFO walk it
 * as it is; `lots` is a fresh array (the book's lots on the closing side) the caller gives up.
 */
function relieveOrder(byOpen: LotRec[], method: ReliefMethod, lotIds: readonly string[] | undefined): LotRec[] {
  if (method === 'lifo') return byOpen.reverse();
  if (method === 'hifo') {
    const unit = new Map(byOpen.map((l) => [l, div(l.b, l.q)]));
    return byOpen.sort((a, b) => cmp(unit.get(b)!, unit.get(a)!));
  }
  if (method === 'specific' && lotIds?.length) {
    const chosen = [...new Set(lotIds)].map((id) => byOpen.find((l) => l.id === id)).filter((l): l is LotRec => l !== undefined);
    return [...chosen, ...byOpen.filter((l) => !lotIds.includes(l.id))];
  }
  return byOpen;
}

/** Adds an opening lot the trader entered (a position held before Tradeport). */
export function addOpeningLot(s: LedgerState, lot: { id: string; account: string; asset: string; direction: 'long' | 'short'; qty: DecimalString; cost: DecimalString; openedAt: number }): Lot {
  const qty = new Decimal(lot.qty);
  if (!qty.isFinite() || qty.lte(0)) throw new Error(`opening lot quantity must be positive, got ${lot.qty}`);
  const basis = new Decimal(lot.cost);
  if (!basis.isFinite() || basis.lt(0)) throw new Error(`opening lot cost must be zero or more, got ${lot.cost}`);
  const l = new LotRec(lot.id, lot.account, lot.asset, lot.direction, fromDecimal(qty), fromDecimal(basis), lot.openedAt, `opening:${lot.id}`);
  const key = bookKey(lot.account, lot.asset);
  const book = (s.lots.get(key) as LotRec[] | undefined) ?? [];
  insertLot(book, l);
  s.lots.set(key, book);
  return l;
}

/** Applies one fill; returns the closes it made. */
export function applyFill(s: LedgerState, f: LedgerFill): Close[] {
  const key = bookKey(f.venue, f.symbol);
  // Every lot in a book is the ledger's own (addOpeningLot, applyFill).
  const book = (s.lots.get(key) as LotRec[] | undefined) ?? [];
  const fillQty = num(f.qty);
  let left = fillQty;
  const price = num(f.price);
  const fee = num(f.fee || '0');
  const noFee = isZero(fee);
  const closing = f.side === 'buy' ? 'short' : 'long';
  const made: CloseRec[] = [];
  const method = s.methods.get(f.venue) ?? 'fifo';
  let emptied = 0;
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
    if (isZero(left)) break;
    // One comparison decides the share: the whole lot (and the fill goes on) or the rest of the fill.
    const whole = cmp(left, lot.q) >= 0;
    const q = whole ? lot.q : left;
    const basisShare = whole ? lot.b : div(mul(lot.b, q), lot.q);
    const feeShare = noFee ? fee : div(mul(fee, q), fillQty);
    const gross = mul(price, q);
    const cost = closing === 'long' ? basisShare : add(gross, feeShare);
    const proceeds = closing === 'long' ? sub(gross, feeShare) : basisShare;
    made.push(new CloseRec(lot.id, f.venue, f.symbol, closing, q, lot.openedAt, f.ts, cost, proceeds, f.id));
    closedAny = true;
    if (whole) {
      lot.q = NUM_ZERO;
      lot.b = NUM_ZERO;
      emptied++;
      left = sub(left, q);
      if (isZero(left)) break;
    } else {
      lot.q = sub(lot.q, q);
      lot.b = sub(lot.b, basisShare);
      left = NUM_ZERO;
      break;
    }
  }
  const open = emptied ? dropEmpty(book, emptied) : book;
  if (!isZero(left)) {
    const feeShare = noFee || !closedAny ? fee : div(mul(fee, left), fillQty);
    const gross = mul(price, left);
    const direction = f.side === 'buy' ? 'long' : 'short';
    const basis = direction === 'long' ? add(gross, feeShare) : sub(gross, feeShare);
    insertLot(open, new LotRec(`${f.id}`, f.venue, f.symbol, direction, left, basis, f.ts, f.id));
  }
  if (open.length) s.lots.set(key, open);
  else s.lots.delete(key);
  for (const c of made) s.closes.push(c);
  return made;
}

/** The book without its `n` emptied lots, in place (no new array per closing fill). */
function dropEmpty(book: LotRec[], n: number): LotRec[] {
  // FIFO empties the oldest lots: a cut at the front, without walking the rest of the book.
  let front = 0;
  while (front < n && isZero(book[front]!.q)) front++;
  if (front === n) {
    book.splice(0, n);
    return book;
  }
  let w = 0;
  for (const l of book) if (!isZero(l.q)) book[w++] = l;
  book.length = w;
  return book;
}

/** Full rebuild from every fill (any order in; applied in `fillOrder`). */
export function rebuild(fills: readonly LedgerFill[], methods: Iterable<[string, ReliefMethod]> = [], opening: Parameters<typeof addOpeningLot>[1][] = []): LedgerState {
  const s = emptyLedger(methods);
  for (const o of [...opening].sort((a, b) => a.openedAt - b.openedAt || (a.id < b.id ? -1 : 1))) addOpeningLot(s, o);
  for (const f of [...fills].sort(fillOrder)) applyFill(s, f);
  return s;
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
export function closeOrder(a: Close, b: Close): number {
  return a.closedAt - b.closedAt || (a.closeFillId < b.closeFillId ? -1 : a.closeFillId > b.closeFillId ? 1 : 0);
}

export const sumRealized = (closes: readonly Close[]): Decimal => closes.reduce((a, c) => a.plus(c.realized), ZERO);
