/**
 * US tax help over the lot ledger's closes: holding period, wash sales and IRS Form 8949 rows.
 * An aid, not tax advice.
 *
 * - Dates are calendar dates in America/New_York (the US exchange day).
 * - Long term = held more than one year: acquired date + 1 year < sold date.
 * - Wash sale (equities/ETFs only, via `washable`): a long close at a loss with a purchase of the
 *   same asset, in any account, within 30 days before or after the sale. The disallowed loss
 *   (pro rata to replacement shares; each replacement share used once; shares sold in the same sale
 *   are not replacements) is reported with code W and
 *   added to the replacement lot's basis, whose holding period starts at the sold lot's acquisition.
 */
import { Decimal, ZERO, toStr } from '../domain/money';
import { closeOrder, isLoss, withBasis, type Close, type Lot } from './lot-ledger';

const DAY_MS = 86_400_000;
const nyDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' });

/** YYYY-MM-DD of an instant on the US exchange calendar. */
export const exchangeDate = (ts: number): string => nyDate.format(new Date(ts));

export function isLongTerm(acquiredTs: number, soldTs: number): boolean {
  const [y, m, d] = exchangeDate(acquiredTs).split('-');
  return `${Number(y) + 1}-${m}-${d}` < exchangeDate(soldTs);
}

export interface Purchase {
  readonly lotId: string;
  readonly asset: string;
  readonly qty: Decimal;
  readonly ts: number;
}

export interface WashAdjustment {
  readonly close: Close;
  readonly disallowed: Decimal;
  readonly replacementLotId: string;
  readonly replacementQty: Decimal;
  /** The replacement lot's quantity when bought (its disallowed loss is spread over it share by share). */
  readonly replacementLotQty: Decimal;
  /** The sold lot's acquisition, carried to the replacement lot's holding period. */
  readonly carriedAcquiredTs: number;
}

export function washSales(closes: readonly Close[], purchases: readonly Purchase[], washable: (asset: string) => boolean): WashAdjustment[] {
  const left = new Map<Purchase, Decimal>();
  const out: WashAdjustment[] = [];
  // Shares sold in the same sale are not each other's replacement (IRS Pub. 550).
  const soldBy = new Map<string, Set<string>>();
  for (const c of closes) soldBy.set(c.closeFillId, (soldBy.get(c.closeFillId) ?? new Set()).add(c.lotId));
  // Purchases per asset in time order: each loss looks only at its own 61-day window.
  const byAsset = new Map<string, Purchase[]>();
  for (const p of purchases) {
    if (!washable(p.asset)) continue;
    const list = byAsset.get(p.asset);
    if (list) list.push(p);
    else byAsset.set(p.asset, [p]);
  }
  for (const list of byAsset.values()) list.sort((a, b) => a.ts - b.ts || (a.lotId < b.lotId ? -1 : a.lotId > b.lotId ? 1 : 0));
  for (const c of [...closes].sort(closeOrder)) {
    if (c.direction !== 'long' || !isLoss(c)) continue;
    const list = byAsset.get(c.asset);
    if (!list) continue;
    const together = soldBy.get(c.closeFillId)!;
    let need = c.qty;
    for (let k = firstAtOrAfter(list, c.closedAt - WINDOW_MS); k < list.length && list[k]!.ts <= c.closedAt + WINDOW_MS && need.gt(0); k++) {
      const p = list[k]!;
      const free = left.get(p) ?? p.qty;
      // A replacement share serves one wash sale only: used-up purchases are skipped without arithmetic.
      if (free === USED || together.has(p.lotId)) continue;
      const q = Decimal.min(free, need);
      left.set(p, free.eq(q) ? USED : free.minus(q));
      need = need.minus(q);
      out.push({ close: c, disallowed: c.realized.neg().mul(q).div(c.qty), replacementLotId: p.lotId, replacementQty: q, replacementLotQty: p.qty, carriedAcquiredTs: c.openedAt });
    }
  }
  return out;
}

const WINDOW_MS = 30 * DAY_MS;
const USED = new Decimal(0);

/** Index of the first purchase at or after `ts` (binary search over a time-sorted list). */
function firstAtOrAfter(list: readonly Purchase[], ts: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.ts < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface Form8949Row {
  readonly description: string;
  readonly acquired: string;
  readonly sold: string;
  readonly proceeds: string;
  readonly cost: string;
  readonly code: string;
  readonly adjustment: string;
  readonly gain: string;
  readonly term: 'short' | 'long';
}

const cents = (d: Decimal): string => d.toDecimalPlaces(2).toFixed(2);

export interface WashBasis {
  /** Disallowed loss carried into `qty` shares of the lot (pro rata to the shares it was bought with). */
  readonly add: Decimal;
  /** Acquisition carried from the washed lot, when every share of the lot is a replacement share. */
  readonly acquiredTs: number | undefined;
}

/** What wash sales carried into a replacement lot, for `qty` of its shares. */
export function washBasisIndex(wash: readonly WashAdjustment[]): (lotId: string, qty: Decimal) => WashBasis {
  const byLot = new Map<string, WashAdjustment[]>();
  for (const w of wash) {
    const list = byLot.get(w.replacementLotId);
    if (list) list.push(w);
    else byLot.set(w.replacementLotId, [w]);
  }
  return (lotId, qty) => {
    const ws = byLot.get(lotId);
    if (!ws) return { add: ZERO, acquiredTs: undefined };
    const add = ws.reduce((a, w) => a.plus(w.disallowed.mul(qty).div(w.replacementLotQty)), ZERO);
    const replaced = ws.reduce((a, w) => a.plus(w.replacementQty), ZERO);
    const acquiredTs = replaced.gte(ws[0]!.replacementLotQty) ? Math.min(...ws.map((w) => w.carriedAcquiredTs)) : undefined;
    return { add, acquiredTs };
  };
}

/**
 * Form 8949 rows of the closes sold in `year`: a wash sale's disallowed loss is shown with code W
 * (column g); a replacement lot's close carries that loss in its cost basis and, when the whole lot
 * replaced washed shares, the washed lot's acquisition date.
 */
export function form8949Rows(closes: readonly Close[], wash: readonly WashAdjustment[], year: number): Form8949Row[] {
  const disallowed = new Map<Close, Decimal>();
  for (const w of wash) disallowed.set(w.close, (disallowed.get(w.close) ?? ZERO).plus(w.disallowed));
  const carried = washBasisIndex(wash);
  return closes
    .filter((c) => exchangeDate(c.closedAt).startsWith(`${year}-`))
    .map((c) => {
      const adj = disallowed.get(c) ?? ZERO;
      const into = c.direction === 'long' ? carried(c.lotId, c.qty) : { add: ZERO, acquiredTs: undefined };
      const acquired = into.acquiredTs ?? c.openedAt;
      const cost = c.cost.plus(into.add);
      return {
        description: `${toStr(c.qty)} ${c.asset}${c.direction === 'short' ? ' (short)' : ''}`,
        acquired: exchangeDate(acquired),
        sold: exchangeDate(c.closedAt),
        proceeds: cents(c.proceeds),
        cost: cents(cost),
        code: adj.gt(0) ? 'W' : '',
        adjustment: adj.gt(0) ? cents(adj) : '',
        gain: cents(c.proceeds.minus(cost).plus(adj)),
        term: isLongTerm(acquired, c.closedAt) ? 'long' : 'short',
      };
    });
}

const csvCell = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function form8949Csv(rows: readonly Form8949Row[]): string {
  const head = [
    '(a) Description of property',
    '(b) Date acquired',
    '(c) Date sold or disposed of',
    '(d) Proceeds',
    '(e) Cost or other basis',
    '(f) Code',
    '(g) Amount of adjustment',
    '(h) Gain or (loss)',
    'Term',
  ];
  const lines = rows.map((r) => [r.description, r.acquired, r.sold, r.proceeds, r.cost, r.code, r.adjustment, r.gain, r.term].map(csvCell).join(','));
  return [head.map(csvCell).join(','), ...lines].join('\n') + '\n';
}

/** Adds each disallowed loss to its replacement lot's basis (open lots, pro rata to what is left), as the tax view of the ledger. */
export function withWashBasis(lots: readonly Lot[], wash: readonly WashAdjustment[]): Lot[] {
  const carried = washBasisIndex(wash);
  return lots.map((l) => {
    const { add } = carried(l.id, l.qty);
    return add.gt(0) ? withBasis(l, l.basis.plus(add)) : l;
  });
}
