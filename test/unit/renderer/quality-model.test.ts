import { describe, expect, it } from 'vitest';
import type { QualityReportView, QualityRow, TwinSummary } from '../../../src-main/engine/api/quality-view';
import { diffTone, msLine, pctCell, qualityRows, shownPairs, twinSummaryRows, PAIRS_SHOWN } from '../../../src-renderer/src/features/quality/quality-model';

const none = { n: 0, p50: null, p90: null, p99: null };
const row = (key: string): QualityRow => ({
  key,
  orders: 1,
  filled: 1,
  partial: 0,
  rejected: 0,
  fillRatePct: '100.00',
  rejectRatePct: '0.00',
  slippageBps: null,
  slippageOrders: 0,
  ackMs: none,
  fillMs: none,
});
const sum = (key: string): TwinSummary => ({ key, pairs: 1, bothFilled: 1, avgDiffBps: '1.00', liveFillMs: none, twinFillMs: none, liveFillRatePct: null, twinFillRatePct: null });
const pair = (i: number) => ({
  orderId: `O${i}`,
  clientOrderId: `c${i}`,
  venue: 'kr',
  symbol: 'BTC/USD',
  side: 'buy' as const,
  qty: '1',
  createdAt: i,
  live: { status: 'filled', filledQty: '1', avgFillPrice: '1', fillMs: 1 },
  twin: { status: 'filled', filledQty: '1', avgFillPrice: '1', fillMs: 1 },
  diffBps: '0.00',
});
const report = (venues: string[], twins: number): QualityReportView => ({
  by: 'venue',
  sinceTs: 0,
  venue: null,
  ordersRead: venues.length,
  rows: venues.map(row),
  total: row('all'),
  twins: twins === 0 ? null : { pairs: Array.from({ length: twins }, (_, i) => pair(i)), rows: venues.map(sum), total: sum('all') },
});

describe('execution-quality view model', () => {
  it('adds the total row only with more than one venue, for the figures and for the CANARY pairs', () => {
    expect(qualityRows(report(['kr'], 1)).map((r) => r.key)).toEqual(['kr']);
    expect(qualityRows(report(['ib', 'kr'], 1)).map((r) => r.key)).toEqual(['ib', 'kr', 'all']);
    expect(twinSummaryRows(report(['ib', 'kr'], 1)).map((r) => r.key)).toEqual(['ib', 'kr', 'all']);
    expect(twinSummaryRows(report(['kr'], 0))).toEqual([]);
  });

  it('caps the pairs listed on screen, and formats empty figures as a dash', () => {
    expect(shownPairs(report(['kr'], PAIRS_SHOWN + 5))).toHaveLength(PAIRS_SHOWN);
    expect(shownPairs(report(['kr'], 0))).toEqual([]);
    expect(msLine(none)).toBe('–');
    expect(msLine({ n: 3, p50: 5, p90: 9, p99: 12 })).toBe('5 / 9 / 12');
    expect(pctCell(null)).toBe('–');
    expect(pctCell('12.50')).toBe('12.50 %');
  });

  it('tones a difference: positive is a cost of going live, negative a gain, zero neither', () => {
    expect(diffTone('5.02')).toBe('cost');
    expect(diffTone('-5.02')).toBe('gain');
    expect(diffTone('0.00')).toBe('');
    expect(diffTone(null)).toBe('');
  });
});
