/**
 * The Portfolio view as pure functions: positions built from the tax lots (cost basis, open P&L),
 * the lots of the selected position, and the P&L curve as chart points. Money stays Decimal; the
 * chart gets numbers only for drawing.
 */
import type { EquityCurveView, LotView, PnlCurveView } from '../../../../src-main/engine/api/portfolio';
import { Decimal } from '../../../../src-main/engine/domain/money';

export { TAX_DISCLAIMER } from '../../../../src-main/engine/api/portfolio';

export interface PositionRow {
  readonly key: string;
  readonly venue: string;
  readonly symbol: string;
  readonly direction: 'long' | 'short';
  readonly qty: string;
  readonly basis: string;
  readonly avgCost: string;
  readonly mark: string | null;
  /** Null when any lot has no mark (a partial figure would mislead). */
  readonly unrealized: string | null;
  readonly currency: string | null;
  readonly lots: number;
}

export const positionKey = (l: Pick<LotView, 'venue' | 'symbol' | 'direction'>): string => `${l.venue}|${l.symbol}|${l.direction}`;

/** One row per venue, symbol and side, summing its lots. */
export function positionsFromLots(lots: readonly LotView[]): PositionRow[] {
  const groups = new Map<string, LotView[]>();
  for (const l of lots) {
    const list = groups.get(positionKey(l));
    if (list) list.push(l);
    else groups.set(positionKey(l), [l]);
  }
  return [...groups.entries()].map(([key, ls]) => {
    const qty = ls.reduce((a, l) => a.plus(l.qty), new Decimal(0));
    const basis = ls.reduce((a, l) => a.plus(l.basis), new Decimal(0));
    const marked = ls.every((l) => l.unrealized !== null);
    const first = ls[0]!;
    return {
      key,
      venue: first.venue,
      symbol: first.symbol,
      direction: first.direction,
      qty: qty.toFixed(),
      basis: basis.toFixed(2),
      avgCost: basis.div(qty).toDecimalPlaces(4, Decimal.ROUND_HALF_EVEN).toFixed(),
      mark: first.mark,
      unrealized: marked ? ls.reduce((a, l) => a.plus(l.unrealized!), new Decimal(0)).toFixed(2) : null,
      currency: first.currency,
      lots: ls.length,
    };
  });
}

export const lotsOf = (lots: readonly LotView[], key: string | undefined): LotView[] => (key ? lots.filter((l) => positionKey(l) === key) : []);

export interface ChartPoint {
  /** UTC seconds, as lightweight-charts takes time. */
  readonly time: number;
  readonly value: number;
}

/**
 * The P&L curve: realized plus unrealized over time. Where the engine kept the ledger's P&L beside
 * its equity snapshots (same currency), those are the points (realized + unrealized at each
 * moment); before the first such snapshot, cumulative realized P&L per day stands in (nothing
 * recorded the marks then). Today's total (realized plus open) is the last point.
 */
export function curvePoints(c: PnlCurveView | undefined, equity?: EquityCurveView): ChartPoint[] {
  if (!c) return [];
  const sampled = equity?.currency === c.currency ? equity.points.filter((p) => p.realized !== undefined && p.unrealized !== undefined) : [];
  const from = sampled.length ? Math.floor(sampled[0]!.ts / 1000) : Infinity;
  const pts = c.points.map((p) => ({ time: Math.floor(p.time / 1000), value: Number(p.cumulative) })).filter((p) => p.time < from);
  for (const p of sampled) {
    const pt = { time: Math.floor(p.ts / 1000), value: Number(new Decimal(p.realized!).plus(p.unrealized!)) };
    const last = pts[pts.length - 1];
    if (last && last.time >= pt.time) pts[pts.length - 1] = { time: last.time, value: pt.value };
    else pts.push(pt);
  }
  const now = Math.floor(c.now.time / 1000);
  const last = pts[pts.length - 1];
  // One point per time: today's total replaces a realized point of the same second, and never goes before it.
  if (last && last.time >= now) pts[pts.length - 1] = { time: last.time, value: Number(c.now.total) };
  else pts.push({ time: now, value: Number(c.now.total) });
  return pts;
}

/**
 * The account's equity over time (snapshots of cash plus marked positions), one point per second at
 * most (the newest of a second wins), oldest first. Drawn against its first point: above it green.
 */
export function equityPoints(c: EquityCurveView | undefined): ChartPoint[] {
  const out: ChartPoint[] = [];
  for (const p of c?.points ?? []) {
    const pt = { time: Math.floor(p.ts / 1000), value: Number(p.equity) };
    const last = out[out.length - 1];
    if (last && last.time >= pt.time) out[out.length - 1] = { time: last.time, value: pt.value };
    else out.push(pt);
  }
  return out;
}

export type ExportKind = 'form8949' | 'lots' | 'realized';
export const EXPORTS: ReadonlyArray<{ readonly kind: ExportKind; readonly label: string; readonly title: string }> = [
  { kind: 'form8949', label: 'Form 8949 CSV', title: 'Closed lots of the year in the columns of IRS Form 8949, wash sales coded W' },
  { kind: 'lots', label: 'Lots CSV', title: 'Every open lot with its cost basis and holding period' },
  { kind: 'realized', label: 'Realized P&L CSV', title: 'Every close of the year with its proceeds, cost and gain' },
];

/** Years a trader can export: this one and the four before it. */
export function exportYears(now: number): number[] {
  const y = new Date(now).getUTCFullYear();
  return [y, y - 1, y - 2, y - 3, y - 4];
}
