import { describe, expect, it } from 'vitest';
import type { QualityOrder } from '../../../src-main/engine/portfolio/execution-quality';
import { twinComparison } from '../../../src-main/engine/portfolio/twin-quality';
import type { TwinOutcome } from '../../../src-main/engine/store/twins-repo';

const T0 = Date.UTC(2026, 11, 4, 14, 30);
type F = { qty: string; price: string; ts: number };

/** A scripted CANARY day: a live order (fills at ms after its arrival) and its twin's outcome. */
function pair(
  id: string,
  venue: string,
  side: 'buy' | 'sell',
  qty: string,
  live: { status: QualityOrder['status']; fills: F[]; rejected?: boolean },
  twin?: { status: TwinOutcome['status']; fills: F[]; qty?: string; reason?: string },
): QualityOrder {
  const created = T0 + Number(id.replace(/\D/g, '')) * 1000;
  return {
    id,
    clientOrderId: `c-${id}`,
    symbol: 'BTC/USD',
    venue,
    source: 'user',
    side,
    qty,
    status: live.status!,
    createdAt: created,
    transitions: [{ to: 'pending_submit', ts: created }, ...(live.rejected ? [{ to: 'rejected' as const, ts: created + 5 }] : [])],
    fills: live.fills.map((f) => ({ ...f, ts: created + f.ts })),
    ...(twin ? { twin: { status: twin.status, qty: twin.qty ?? qty, ...(twin.reason ? { reason: twin.reason } : {}), fills: twin.fills.map((f) => ({ ...f, ts: created + f.ts })) } } : {}),
  };
}

const history: QualityOrder[] = [
  // kraken: a buy filled live at 100.10 (two parts) vs the twin's 100.00 at once: live cost 10 bp more.
  pair(
    'o1',
    'kraken',
    'buy',
    '10',
    {
      status: 'filled',
      fills: [
        { qty: '4', price: '100.05', ts: 80 },
        { qty: '6', price: '100.1333333333333333', ts: 200 },
      ],
    },
    { status: 'filled', fills: [{ qty: '10', price: '100', ts: 0 }] },
  ),
  // kraken: a sell filled live at 49.90, the twin at 50.00: the live sell received less (a cost: +20 bp).
  pair('o2', 'kraken', 'sell', '5', { status: 'filled', fills: [{ qty: '5', price: '49.9', ts: 40 }] }, { status: 'filled', fills: [{ qty: '5', price: '50', ts: 10 }] }),
  // ib: live filled half then cancelled; the twin never filled and was cancelled with it.
  pair('o3', 'ib', 'buy', '4', { status: 'cancelled', fills: [{ qty: '2', price: '10', ts: 500 }] }, { status: 'cancelled', fills: [], reason: 'cancelled with the live order (cancelled)' }),
  // ib: rejected live: the pair is listed but out of the fill rates.
  pair('o4', 'ib', 'buy', '100', { status: 'rejected', fills: [], rejected: true }, { status: 'cancelled', fills: [] }),
  // No twin (SHADOW-routed, or before CANARY): not a pair.
  pair('o5', 'ib', 'buy', '1', { status: 'filled', fills: [{ qty: '1', price: '10', ts: 1 }] }),
];

describe('CANARY live vs SHADOW twin figures', () => {
  it('pairs each live order with its twin: prices, times from arrival, signed difference', () => {
    const r = twinComparison(history)!;
    expect(r.pairs.map((p) => p.orderId)).toEqual(['o4', 'o3', 'o2', 'o1']);
    const o1 = r.pairs.find((p) => p.orderId === 'o1')!;
    expect(o1).toMatchObject({
      clientOrderId: 'c-o1',
      symbol: 'BTC/USD',
      live: { status: 'filled', filledQty: '10', avgFillPrice: '100.1', fillMs: 80 },
      twin: { status: 'filled', filledQty: '10', avgFillPrice: '100', fillMs: 0 },
      diffBps: '10.00',
    });
    // A sell: receiving 49.90 where the simulation got 50.00 is a cost, positive.
    expect(r.pairs.find((p) => p.orderId === 'o2')!.diffBps).toBe('20.00');
    expect(r.pairs.find((p) => p.orderId === 'o3')).toMatchObject({
      live: { filledQty: '2', fillMs: 500 },
      twin: { filledQty: '0', avgFillPrice: null, fillMs: null },
      diffBps: null,
      twinNote: 'cancelled with the live order (cancelled)',
    });
  });

  it('aggregates per venue and in total: mean difference, fill-time percentiles, fill rates without rejected orders', () => {
    const r = twinComparison(history)!;
    expect(r.rows.map((x) => [x.key, x.pairs, x.bothFilled, x.avgDiffBps, x.liveFillRatePct, x.twinFillRatePct])).toEqual([
      ['ib', 2, 0, null, '50.00', '0.00'],
      ['kraken', 2, 2, '15.00', '100.00', '100.00'],
    ]);
    expect(r.total).toMatchObject({
      key: 'all',
      pairs: 4,
      bothFilled: 2,
      avgDiffBps: '15.00',
      // 17 of 19 live (10 + 5 + 2 of 10 + 5 + 4); 15 of 19 twin.
      liveFillRatePct: '89.47',
      twinFillRatePct: '78.95',
      liveFillMs: { n: 3, p50: 80, p90: 500, p99: 500 },
      twinFillMs: { n: 2, p50: 0, p90: 10, p99: 10 },
    });
  });

  it('is null when no order has a twin', () => {
    expect(twinComparison(history.filter((o) => !o.twin))).toBeNull();
    expect(twinComparison([])).toBeNull();
  });
});
