import { describe, expect, it } from 'vitest';
import type { LotView } from '../../../src-main/engine/api/portfolio';
import { curvePoints, equityPoints, exportYears, lotsOf, positionsFromLots } from '../../../src-renderer/src/features/portfolio/portfolio-model';

const lot = (id: string, venue: string, symbol: string, qty: string, basis: string, unrealized: string | null, direction: 'long' | 'short' = 'long'): LotView => ({
  id,
  venue,
  symbol,
  assetClass: 'equity',
  currency: 'USD',
  direction,
  qty,
  basis,
  unitCost: '0',
  washAdjustment: '0.00',
  openedAt: 0,
  term: 'short',
  opening: false,
  mark: unrealized === null ? null : '120',
  unrealized,
});

describe('portfolio model', () => {
  const lots = [lot('a1', 'alpaca', 'AAPL', '10', '1001.00', '198.99'), lot('a2', 'alpaca', 'AAPL', '5', '560.50', '39.50'), lot('i1', 'ibkr', 'AAPL', '3', '270.00', null)];

  it('sums each position’s lots into quantity, cost basis, average cost and open P&L', () => {
    expect(positionsFromLots(lots)).toEqual([
      { key: 'alpaca|AAPL|long', venue: 'alpaca', symbol: 'AAPL', direction: 'long', qty: '15', basis: '1561.50', avgCost: '104.1', mark: '120', unrealized: '238.49', currency: 'USD', lots: 2 },
      // A lot without a mark leaves the position's open P&L unknown rather than partial.
      { key: 'ibkr|AAPL|long', venue: 'ibkr', symbol: 'AAPL', direction: 'long', qty: '3', basis: '270.00', avgCost: '90', mark: null, unrealized: null, currency: 'USD', lots: 1 },
    ]);
    expect(lotsOf(lots, 'alpaca|AAPL|long').map((l) => l.id)).toEqual(['a1', 'a2']);
    expect(lotsOf(lots, undefined)).toEqual([]);
  });

  it('draws the curve in UTC seconds and ends at today’s total, one point per time', () => {
    const day = Date.UTC(2026, 2, 9);
    const curve = { currency: 'USD', points: [{ time: day, realized: '39.60', cumulative: '39.60' }], now: { time: day + 3_600_000, total: '129.00' } };
    expect(curvePoints(curve)).toEqual([
      { time: day / 1000, value: 39.6 },
      { time: day / 1000 + 3600, value: 129 },
    ]);
    expect(curvePoints({ ...curve, now: { time: day, total: '50' } })).toEqual([{ time: day / 1000, value: 50 }]);
    expect(curvePoints(undefined)).toEqual([]);
    expect(curvePoints({ currency: 'USD', points: [], now: { time: day, total: '0' } })).toEqual([{ time: day / 1000, value: 0 }]);
  });

  it('draws realized plus unrealized at each snapshot that kept it, realized per day before them, and today last', () => {
    const day = Date.UTC(2026, 2, 9);
    const curve = {
      currency: 'USD',
      points: [
        { time: day - 86_400_000, realized: '10', cumulative: '10' },
        { time: day, realized: '29.60', cumulative: '39.60' },
      ],
      now: { time: day + 7_200_000, total: '129.00' },
    };
    const snap = (ts: number, realized?: string, unrealized?: string) => ({ ts, equity: '1000', cash: '1000', positions: '0', complete: true, ...(realized ? { realized, unrealized } : {}) });
    const equity = { currency: 'USD', everyMs: 60_000, points: [snap(day - 3_600_000), snap(day + 60_000, '39.60', '-5.10'), snap(day + 3_600_000, '39.60', '80.40')] };
    expect(curvePoints(curve, equity)).toEqual([
      { time: day / 1000 - 86_400, value: 10 },
      { time: day / 1000, value: 39.6 },
      { time: day / 1000 + 60, value: 34.5 },
      { time: day / 1000 + 3600, value: 120 },
      { time: day / 1000 + 7200, value: 129 },
    ]);
    // Snapshots in another currency say nothing about this curve.
    expect(curvePoints(curve, { ...equity, currency: 'EUR' })).toEqual(curvePoints(curve));
  });

  it('offers this year and the four before it for export', () => {
    expect(exportYears(Date.UTC(2026, 11, 4))).toEqual([2026, 2025, 2024, 2023, 2022]);
  });
});

describe('equity curve points', () => {
  it('one point per second, the newest of a second winning, oldest first', () => {
    const t = Date.UTC(2026, 11, 4, 15, 0, 0);
    const pt = (ts: number, equity: string) => ({ ts, equity, cash: equity, positions: '0', complete: true });
    const c = { currency: 'USD', everyMs: 60_000, points: [pt(t, '10000.5'), pt(t + 60_000, '10012.25'), pt(t + 60_400, '10013')] };
    expect(equityPoints(c)).toEqual([
      { time: t / 1000, value: 10000.5 },
      { time: t / 1000 + 60, value: 10013 },
    ]);
    expect(equityPoints(undefined)).toEqual([]);
  });
});
