import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccountSummaryView } from '../../../src-main/engine/api/commands';
import { EQUITY_KEEP_MS, EquityHistory, thin } from '../../../src-main/engine/portfolio/equity-history';
import { ManualClock } from '../../../src-main/engine/ports/clock';
import { openDatabase, type Db } from '../../../src-main/engine/store/db';
import { EquityRepo, type EquitySnapshot } from '../../../src-main/engine/store/equity-repo';

function account(clock: ManualClock, cash: string, positions: string, unconverted: string[] = []): AccountSummaryView {
  return {
    currency: 'USD',
    netLiquidation: (Number(cash) + Number(positions)).toFixed(2),
    cash,
    positionsValue: positions,
    buyingPower: cash,
    pnlToday: { realized: '0', unrealized: '0', total: '0' },
    venues: [],
    unconverted,
    ts: clock.now(),
  };
}

describe('equity history', () => {
  let db: Db;
  let clock: ManualClock;
  beforeEach(() => {
    db = openDatabase(':memory:');
    clock = new ManualClock();
  });
  afterEach(() => db.close());

  it('samples cash plus marked positions every minute into SQLite; the curve ends at now and survives a restart', () => {
    const marks = ['1000.00', '1010.50', '990.25'];
    let k = 0;
    const summary = () => account(clock, '5000.00', marks[Math.min(k, marks.length - 1)]!, k === 2 ? ['BTC: no USD rate'] : []);
    const h = new EquityHistory({ repo: new EquityRepo(db, () => clock.now()), timers: clock, summary });
    const t0 = clock.now();
    h.start();
    k = 1;
    clock.advance(60_000);
    k = 2;
    clock.advance(60_000);
    h.stop();
    clock.advance(600_000);
    const after = new EquityHistory({ repo: new EquityRepo(db, () => clock.now()), timers: clock, summary });
    const c = after.curve(undefined, 1000);
    expect(c.currency).toBe('USD');
    expect(c.everyMs).toBe(60_000);
    expect(c.points.map((p) => [p.ts - t0, p.equity, p.complete])).toEqual([
      [0, '6000.00', true],
      [60_000, '6010.50', true],
      [120_000, '5990.25', false],
      [720_000, '5990.25', false],
    ]);
    expect(c.points[1]).toMatchObject({ cash: '5000.00', positions: '1010.50' });
    expect(after.curve(t0 + 60_000, 1000).points.map((p) => p.ts - t0)).toEqual([60_000, 120_000, 720_000]);
  });

  it('keeps the ledger’s realized and unrealized P&L beside each snapshot in the same currency; older rows have none', () => {
    const repo = new EquityRepo(db, () => clock.now());
    repo.add({ ts: clock.now() - 60_000, currency: 'USD', equity: '6000.00', cash: '6000.00', positions: '0', complete: true });
    let pnl = { currency: 'USD', realized: '12.50', unrealized: '-3.25' };
    const h = new EquityHistory({ repo, timers: clock, summary: () => account(clock, '5000.00', '1000.00'), pnl: () => pnl });
    h.sample();
    clock.advance(60_000);
    pnl = { currency: 'EUR', realized: '1', unrealized: '1' };
    h.sample();
    expect(repo.since(0, 'USD').map((s) => [s.realized, s.unrealized])).toEqual([
      [undefined, undefined],
      ['12.50', '-3.25'],
      [undefined, undefined],
    ]);
    pnl = { currency: 'USD', realized: '20', unrealized: '4' };
    clock.advance(60_000);
    expect(h.curve(undefined, 1000).points.map((p) => [p.realized, p.unrealized])).toEqual([
      [undefined, undefined],
      ['12.50', '-3.25'],
      [undefined, undefined],
      ['20', '4'],
    ]);
  });

  it('drops snapshots older than two years when it starts', () => {
    const repo = new EquityRepo(db, () => clock.now());
    repo.add({ ts: clock.now() - EQUITY_KEEP_MS - 1, currency: 'USD', equity: '1', cash: '1', positions: '0', complete: true });
    repo.add({ ts: clock.now() - 1000, currency: 'USD', equity: '2', cash: '2', positions: '0', complete: true });
    new EquityHistory({ repo, timers: clock, summary: () => account(clock, '3', '0') }).start();
    expect(repo.since(0, 'USD').map((s) => s.equity)).toEqual(['2', '3.00']);
  });

  it('thins to at most maxPoints, keeping the last of each slice and the newest', () => {
    const snaps: EquitySnapshot[] = Array.from({ length: 100 }, (_, i) => ({ ts: i * 1000, currency: 'USD', equity: String(i), cash: String(i), positions: '0', complete: true }));
    const t = thin(snaps, 10);
    expect(t.length).toBeLessThanOrEqual(10);
    expect(t[t.length - 1]!.equity).toBe('99');
    expect(t.map((s) => s.ts)).toEqual([...t.map((s) => s.ts)].sort((a, b) => a - b));
    expect(thin(snaps.slice(0, 5), 10)).toHaveLength(5);
  });
});
