/**
 * The ledger as the API shows it: open lots (tax basis: wash-sale disallowed losses added, holding
 * period carried), closes with their wash-sale flags, and the CSV exports (Form 8949 is in
 * tax-lots.ts; here the lots and realized P&L files). Amounts are in the instrument's currency.
 */
import type { CloseView, LotView } from '../api/portfolio';
import { Decimal, ZERO, toStr } from '../domain/money';
import type { BookInfo, LedgerView } from './ledger-service';
import type { Close, Lot } from './lot-ledger';
import { lotUnrealized } from './pnl';
import { exchangeDate, isLongTerm, type WashAdjustment } from './tax-lots';

export interface ViewDeps {
  readonly now: number;
  readonly book: (account: string, asset: string) => BookInfo | undefined;
  readonly mark: (venue: string, instrumentId: string) => Decimal | undefined;
}

const cents = (d: Decimal): string => d.toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2);

export function lotViews(v: LedgerView, d: ViewDeps, filter: { symbol?: string | undefined; venue?: string | undefined } = {}): LotView[] {
  const lots = [...v.state.lots.values()].flat().filter((l) => (!filter.symbol || l.asset === filter.symbol) && (!filter.venue || l.account === filter.venue));
  return lots.sort((a, b) => a.account.localeCompare(b.account) || a.asset.localeCompare(b.asset) || a.openedAt - b.openedAt || (a.id < b.id ? -1 : 1)).map((l) => lotView(l, v.wash, d));
}

export function lotView(l: Lot, wash: readonly WashAdjustment[], d: ViewDeps): LotView {
  const hits = wash.filter((w) => w.replacementLotId === l.id);
  const adj = hits.reduce((a, w) => a.plus(w.disallowed), ZERO);
  // The replacement's holding period starts at the washed lot's acquisition.
  const acquired = hits.reduce((t, w) => Math.min(t, w.carriedAcquiredTs), l.openedAt);
  const b = d.book(l.account, l.asset);
  const mark = b ? d.mark(l.account, b.instrumentId) : undefined;
  const basis = l.basis.plus(adj);
  return {
    id: l.id,
    venue: l.account,
    symbol: l.asset,
    assetClass: b?.assetClass ?? null,
    currency: b?.currency ?? null,
    direction: l.direction,
    qty: toStr(l.qty),
    basis: cents(basis),
    unitCost: toStr(basis.div(l.qty).toDecimalPlaces(6, Decimal.ROUND_HALF_EVEN)),
    washAdjustment: cents(adj),
    openedAt: l.openedAt,
    term: isLongTerm(acquired, d.now) ? 'long' : 'short',
    opening: l.openFillId.startsWith('opening:'),
    mark: mark ? toStr(mark) : null,
    unrealized: mark && b ? cents(lotUnrealized(l, mark, b.multiplier)) : null,
  };
}

export function closeViews(v: LedgerView, d: Pick<ViewDeps, 'book'>, filter: { symbol?: string | undefined; venue?: string | undefined; sinceTs?: number | undefined } = {}): CloseView[] {
  const disallowed = new Map<Close, Decimal>();
  for (const w of v.wash) disallowed.set(w.close, (disallowed.get(w.close) ?? ZERO).plus(w.disallowed));
  return v.state.closes
    .filter((c) => (!filter.symbol || c.asset === filter.symbol) && (!filter.venue || c.account === filter.venue) && (filter.sinceTs === undefined || c.closedAt >= filter.sinceTs))
    .map((c) => ({
      lotId: c.lotId,
      venue: c.account,
      symbol: c.asset,
      direction: c.direction,
      qty: toStr(c.qty),
      openedAt: c.openedAt,
      closedAt: c.closedAt,
      proceeds: cents(c.proceeds),
      cost: cents(c.cost),
      realized: cents(c.realized),
      currency: d.book(c.account, c.asset)?.currency ?? null,
      term: isLongTerm(c.openedAt, c.closedAt) ? 'long' : 'short',
      washDisallowed: disallowed.has(c) ? cents(disallowed.get(c)!) : null,
      closeFillId: c.closeFillId,
    }));
}

const csvCell = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const csv = (head: readonly string[], rows: ReadonlyArray<readonly string[]>): string => [head, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';

export function lotsCsv(lots: readonly LotView[]): string {
  return csv(
    ['venue', 'symbol', 'direction', 'quantity', 'acquired', 'unit cost', 'cost basis', 'wash sale adjustment', 'currency', 'term', 'mark', 'unrealized'],
    lots.map((l) => [l.venue, l.symbol, l.direction, l.qty, exchangeDate(l.openedAt), l.unitCost, l.basis, l.washAdjustment, l.currency ?? '', l.term, l.mark ?? '', l.unrealized ?? '']),
  );
}

export function realizedCsv(closes: readonly CloseView[]): string {
  return csv(
    ['venue', 'symbol', 'direction', 'quantity', 'acquired', 'sold', 'proceeds', 'cost', 'realized', 'wash sale disallowed', 'currency', 'term'],
    closes.map((c) => [c.venue, c.symbol, c.direction, c.qty, exchangeDate(c.openedAt), exchangeDate(c.closedAt), c.proceeds, c.cost, c.realized, c.washDisallowed ?? '', c.currency ?? '', c.term]),
  );
}
