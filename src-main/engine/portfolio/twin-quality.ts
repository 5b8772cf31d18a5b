/**
 * CANARY's side-by-side: each live order beside its SHADOW twin (oms/shadow-twins.ts) — average
 * fill price, time from the order's arrival to its first fill, filled quantity — and the pairs
 * aggregated per venue and in total. Pure: orders with their twins in, figures out.
 *
 * - Price difference: (live avg − twin avg) ÷ twin avg × 10 000, signed by side so a positive
 *   number means the live fill cost more than the simulation said it would (paid more to buy,
 *   received less to sell). Per pair when both filled; the aggregate is the mean of the pairs'.
 * - Time to fill: both sides are measured from the live order's journaling (the twin is made at
 *   that arrival), to their first fill.
 * - Fill rate: filled ÷ ordered quantity over the pairs whose live order reached the venue (a
 *   rejected live order measures the venue's rules, not its execution).
 */
import { Decimal, toStr } from '../domain/money';
import type { Percentiles, TwinPairRow, TwinReportView, TwinSide, TwinSummary } from '../api/quality-view';
import { percentiles, type QualityOrder } from './execution-quality';

interface SideFigures {
  readonly view: TwinSide;
  readonly qty: Decimal;
  readonly got: Decimal;
  readonly avg: Decimal | null;
}

function side(status: string, qty: string, fills: QualityOrder['fills'], arrival: number): SideFigures {
  const filled = fills.reduce((s, f) => s.plus(f.qty), new Decimal(0));
  const amount = fills.reduce((s, f) => s.plus(new Decimal(f.qty).mul(f.price)), new Decimal(0));
  const avg = filled.gt(0) ? amount.div(filled) : null;
  const first = fills.length > 0 ? Math.min(...fills.map((f) => f.ts)) : null;
  const q = new Decimal(qty);
  return {
    view: { status, filledQty: toStr(filled), avgFillPrice: avg ? toStr(avg.toDecimalPlaces(12)) : null, fillMs: first === null ? null : Math.max(0, first - arrival) },
    qty: q,
    got: Decimal.min(filled, q),
    avg,
  };
}

const liveStatus = (o: QualityOrder): string => o.status ?? o.transitions[o.transitions.length - 1]?.to ?? 'pending_submit';
const wasRejected = (o: QualityOrder): boolean => o.transitions.some((t) => t.to === 'rejected') && o.fills.length === 0;
const pct = (num: Decimal, den: Decimal): string | null => (den.isZero() ? null : num.div(den).mul(100).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2));

interface Acc {
  pairs: number;
  diffs: Decimal[];
  liveMs: number[];
  twinMs: number[];
  liveAsked: Decimal;
  liveGot: Decimal;
  twinAsked: Decimal;
  twinGot: Decimal;
}
const fresh = (): Acc => ({ pairs: 0, diffs: [], liveMs: [], twinMs: [], liveAsked: new Decimal(0), liveGot: new Decimal(0), twinAsked: new Decimal(0), twinGot: new Decimal(0) });

function summary(key: string, a: Acc): TwinSummary {
  const mean = a.diffs.length === 0 ? null : a.diffs.reduce((s, d) => s.plus(d), new Decimal(0)).div(a.diffs.length);
  const p = (v: number[]): Percentiles => percentiles(v);
  return {
    key,
    pairs: a.pairs,
    bothFilled: a.diffs.length,
    avgDiffBps: mean === null ? null : mean.toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2),
    liveFillMs: p(a.liveMs),
    twinFillMs: p(a.twinMs),
    liveFillRatePct: pct(a.liveGot, a.liveAsked),
    twinFillRatePct: pct(a.twinGot, a.twinAsked),
  };
}

/** The pairs (newest first) and their aggregates; null when no order has a twin. */
export function twinComparison(orders: readonly QualityOrder[]): TwinReportView | null {
  const pairs: TwinPairRow[] = [];
  const groups = new Map<string, Acc>();
  const total = fresh();
  for (const o of orders) {
    const t = o.twin;
    if (!t) continue;
    const live = side(liveStatus(o), o.qty, o.fills, o.createdAt);
    const twin = side(t.status, t.qty, t.fills, o.createdAt);
    const sign = o.side === 'buy' ? 1 : -1;
    const diff = live.avg && twin.avg && twin.avg.gt(0) ? live.avg.minus(twin.avg).div(twin.avg).mul(10_000).mul(sign) : null;
    pairs.push({
      orderId: o.id,
      clientOrderId: o.clientOrderId ?? o.id,
      venue: o.venue,
      symbol: o.symbol ?? '',
      side: o.side,
      qty: o.qty,
      createdAt: o.createdAt,
      live: live.view,
      twin: twin.view,
      diffBps: diff === null ? null : diff.toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2),
      ...(t.reason ? { twinNote: t.reason } : {}),
    });
    let g = groups.get(o.venue);
    if (!g) groups.set(o.venue, (g = fresh()));
    for (const a of [g, total]) {
      a.pairs++;
      if (diff) a.diffs.push(diff);
      if (live.view.fillMs !== null) a.liveMs.push(live.view.fillMs);
      if (twin.view.fillMs !== null) a.twinMs.push(twin.view.fillMs);
      if (!wasRejected(o)) {
        a.liveAsked = a.liveAsked.plus(live.qty);
        a.liveGot = a.liveGot.plus(live.got);
        a.twinAsked = a.twinAsked.plus(twin.qty);
        a.twinGot = a.twinGot.plus(twin.got);
      }
    }
  }
  if (pairs.length === 0) return null;
  return {
    pairs: pairs.sort((x, y) => y.createdAt - x.createdAt || y.orderId.localeCompare(x.orderId)),
    rows: [...groups.entries()].sort(([x], [y]) => x.localeCompare(y)).map(([k, a]) => summary(k, a)),
    total: summary('all', total),
  };
}
