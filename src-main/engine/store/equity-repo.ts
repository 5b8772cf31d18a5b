/**
 * The account's equity snapshots (portfolio/equity-history.ts takes them): one row per sample with
 * net liquidation, cash and marked positions in the reporting currency. Persisted because an
 * equity curve is a record of marks at past moments, which neither the fills nor the ledger can
 * recompute. The table is the portfolio's own migration (owner "equity").
 */
import type { Db } from './db';
import { applyOwnedMigrations, type OwnedMigration } from './owned-migrations';

export const EQUITY_MIGRATIONS: readonly OwnedMigration[] = [
  {
    name: '001_equity_snapshots',
    sql: `
CREATE TABLE equity_snapshots (
  ts        INTEGER PRIMARY KEY,           -- UTC ms
  currency  TEXT NOT NULL,
  equity    TEXT NOT NULL,                 -- canonical decimal strings
  cash      TEXT NOT NULL,
  positions TEXT NOT NULL,
  complete  INTEGER NOT NULL CHECK (complete IN (0, 1))
);
`,
  },
  {
    // The P&L curve beside equity: the ledger's realized and unrealized total at each snapshot (NULL in older rows).
    name: '002_equity_pnl',
    sql: `
ALTER TABLE equity_snapshots ADD COLUMN realized TEXT;
ALTER TABLE equity_snapshots ADD COLUMN unrealized TEXT;
`,
  },
];

export interface EquitySnapshot {
  readonly ts: number;
  readonly currency: string;
  readonly equity: string;
  readonly cash: string;
  readonly positions: string;
  readonly complete: boolean;
  /** The lot ledger's P&L at that moment (realized since the first fill, unrealized at the marks), when it was taken. */
  readonly realized?: string;
  readonly unrealized?: string;
}

interface Row {
  ts: number;
  currency: string;
  equity: string;
  cash: string;
  positions: string;
  complete: number;
  realized: string | null;
  unrealized: string | null;
}

export class EquityRepo {
  private readonly addStmt;
  private readonly sinceStmt;
  private readonly pruneStmt;
  constructor(db: Db, now: () => number = Date.now) {
    applyOwnedMigrations(db, 'equity', EQUITY_MIGRATIONS, now);
    this.addStmt = db.prepare('INSERT OR REPLACE INTO equity_snapshots (ts, currency, equity, cash, positions, complete, realized, unrealized) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    this.sinceStmt = db.prepare('SELECT * FROM equity_snapshots WHERE ts >= ? AND currency = ? ORDER BY ts');
    this.pruneStmt = db.prepare('DELETE FROM equity_snapshots WHERE ts < ?');
  }
  add(s: EquitySnapshot): void {
    this.addStmt.run(s.ts, s.currency, s.equity, s.cash, s.positions, s.complete ? 1 : 0, s.realized ?? null, s.unrealized ?? null);
  }
  /** Snapshots in `currency` from `ts` on, oldest first. */
  since(ts: number, currency: string): EquitySnapshot[] {
    return (this.sinceStmt.all(ts, currency) as Row[]).map((r) => ({
      ts: r.ts,
      currency: r.currency,
      equity: r.equity,
      cash: r.cash,
      positions: r.positions,
      complete: r.complete === 1,
      ...(r.realized !== null && r.unrealized !== null ? { realized: r.realized, unrealized: r.unrealized } : {}),
    }));
  }
  prune(beforeTs: number): void {
    this.pruneStmt.run(beforeTs);
  }
}
