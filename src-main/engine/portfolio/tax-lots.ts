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
import { closeOrder, type Close } from './lot-ledger';

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
  /** The sold lot's acquisition, carried to the replacement lot's holding period. */
  readonly carriedAcquiredTs: number;
}

export function washSales(closes: readonly Close[], purchases: readonly Purchase[], washable: (asset: string) => boolean): WashAdjustment[] {
  const used = new Map<string, Decimal>();
  const out: WashAdjustment[] = [];
  // Shares sold in the same sale are not each other's replacement (IRS Pub. 550).
  const soldBy = new Map<string, Set<string>>();
  for (const c of closes) soldBy.set(c.closeFillId, (soldBy.get(c.closeFillId) ?? new Set()).add(c.lotId));
  const soldTogether = (c: Close): Set<string> => soldBy.get(c.closeFillId) ?? new Set([c.lotId]);
  const byTime = [...purchases].sort((a, b) => a.ts - b.ts || (a.lotId < b.lotId ? -1 : a.lotId > b.lotId ? 1 : 0));
  for (const c of [...closes].sort(closeOrder)) {
    if (c.direction !== 'long' || c.realized.gte(0) || !washable(c.asset)) continue;
    let need = c.qty;
    for (const p of byTime) {
      if (need.lte(0)) break;
      if (p.asset !== c.asset || soldTogether(c).has(p.lotId) || Math.abs(p.ts - c.closedAt) > 30 * DAY_MS) continue;
      const free = p.qty.minus(used.get(p.lotId) ?? ZERO);
      if (free.lte(0)) continue;
      const q = Decimal.min(free, need);
      used.set(p.lotId, (used.get(p.lotId) ?? ZERO).plus(q));
      need = need.minus(q);
      out.push({ close: c, disallowed: c.realized.neg().mul(q).div(c.qty), replacementLotId: p.lotId, replacementQty: q, carriedAcquiredTs: c.openedAt });
    }
  }
  return out;
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

export function form8949Rows(closes: readonly Close[], wash: readonly WashAdjustment[], year: number): Form8949Row[] {
  const disallowed = new Map<Close, Decimal>();
  for (const w of wash) disallowed.set(w.close, (disallowed.get(w.close) ?? ZERO).plus(w.disallowed));
  return closes
    .filter((c) => exchangeDate(c.closedAt).startsWith(`${year}-`))
    .map((c) => {
      const adj = disallowed.get(c) ?? ZERO;
      return {
        description: `${toStr(c.qty)} ${c.asset}${c.direction === 'short' ? ' (short)' : ''}`,
        acquired: exchangeDate(c.openedAt),
        sold: exchangeDate(c.closedAt),
        proceeds: cents(c.proceeds),
        cost: cents(c.cost),
        code: adj.gt(0) ? 'W' : '',
        adjustment: adj.gt(0) ? cents(adj) : '',
        gain: cents(c.realized.plus(adj)),
        term: isLongTerm(c.openedAt, c.closedAt) ? 'long' : 'short',
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

/** Adds each disallowed loss to its replacement lot's basis (open lots), as the tax view of the ledger. */
export function withWashBasis<L extends { id: string; basis: Decimal }>(lots: readonly L[], wash: readonly WashAdjustment[]): L[] {
  return lots.map((l) => {
    const add = wash.filter((w) => w.replacementLotId === l.id).reduce((a, w) => a.plus(w.disallowed), ZERO);
    return add.gt(0) ? { ...l, basis: l.basis.plus(add) } : l;
  });
}
