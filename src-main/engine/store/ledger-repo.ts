/**
 * The lot ledger's store. The ledger itself is derived from the journal's fills (never stored
 * twice); what is stored here is what a trader adds that fills cannot say: opening lots for
 * positions held before Tradeport, the relief method per account, and specific-lot choices per
 * closing fill. The tables are the portfolio's own migrations (store/owned-migrations.ts).
 */
import type { Db } from './db';
import { applyOwnedMigrations, type OwnedMigration } from './owned-migrations';

export const LEDGER_MIGRATIONS: readonly OwnedMigration[] = [
  {
    name: '001_lot_ledger',
    sql: `
CREATE TABLE ledger_opening_lots (
  id         TEXT PRIMARY KEY,
  account    TEXT NOT NULL,                 -- the venue name
  asset      TEXT NOT NULL,                 -- the symbol
  direction  TEXT NOT NULL CHECK (direction IN ('long','short')),
  qty        TEXT NOT NULL,
  cost       TEXT NOT NULL,                 -- total basis in the instrument's currency
  opened_at  INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE ledger_methods (
  account TEXT PRIMARY KEY,
  method  TEXT NOT NULL CHECK (method IN ('fifo','lifo','hifo','specific'))
);
CREATE TABLE ledger_lot_choices (
  fill_id TEXT PRIMARY KEY,                 -- the closing fill
  lot_ids TEXT NOT NULL                     -- JSON array, relieved first in this order
);
`,
  },
];

/** A fill as the ledger reads it: every route but SHADOW (simulated trades are no one's taxes). */
export interface LedgerFillRow {
  readonly id: string;
  readonly venue: string;
  readonly instrumentId: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly qty: string;
  readonly price: string;
  readonly fee: string;
  readonly feeCurrency: string;
  readonly ts: number;
  /** Who placed the order ('user', 'cli', 'strategy', 'external' for adopted orders…). */
  readonly source: string;
}

export interface OpeningLotRow {
  readonly id: string;
  readonly account: string;
  readonly asset: string;
  readonly direction: 'long' | 'short';
  readonly qty: string;
  readonly cost: string;
  readonly openedAt: number;
}

export class LedgerRepo {
  private readonly fillsStmt;
  private readonly fillStmt;
  constructor(
    private readonly db: Db,
    now: () => number = Date.now,
  ) {
    applyOwnedMigrations(db, 'portfolio', LEDGER_MIGRATIONS, now);
    const cols = `f.id, f.venue, f.instrument_id AS instrumentId, f.symbol, f.side, f.qty, f.price, f.fee, f.fee_currency AS feeCurrency, f.ts, COALESCE(o.source, 'external') AS source`;
    const notShadow = `(o.route IS NULL OR o.route != 'shadow')`;
    this.fillsStmt = db.prepare(`SELECT ${cols} FROM fills f LEFT JOIN orders o ON o.id = f.order_id WHERE ${notShadow} ORDER BY f.ts, f.id`);
    this.fillStmt = db.prepare(`SELECT ${cols} FROM fills f LEFT JOIN orders o ON o.id = f.order_id WHERE f.id = ? AND ${notShadow}`);
  }

  /** Every ledger fill, oldest first (time, then id: the ledger's own order). */
  fills(): LedgerFillRow[] {
    return this.fillsStmt.all() as LedgerFillRow[];
  }

  /** One journaled fill, or undefined if it is unknown or SHADOW. */
  fill(id: string): LedgerFillRow | undefined {
    return this.fillStmt.get(id) as LedgerFillRow | undefined;
  }

  openingLots(): OpeningLotRow[] {
    return this.db.prepare('SELECT id, account, asset, direction, qty, cost, opened_at AS openedAt FROM ledger_opening_lots ORDER BY opened_at, id').all() as OpeningLotRow[];
  }
  addOpeningLot(l: OpeningLotRow, ts: number): void {
    this.db
      .prepare('INSERT INTO ledger_opening_lots (id, account, asset, direction, qty, cost, opened_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(l.id, l.account, l.asset, l.direction, l.qty, l.cost, l.openedAt, ts);
  }
  removeOpeningLot(id: string): boolean {
    return this.db.prepare('DELETE FROM ledger_opening_lots WHERE id = ?').run(id).changes === 1;
  }

  methods(): Array<[string, string]> {
    return (this.db.prepare('SELECT account, method FROM ledger_methods ORDER BY account').all() as Array<{ account: string; method: string }>).map((r) => [r.account, r.method]);
  }
  setMethod(account: string, method: string): void {
    this.db.prepare('INSERT INTO ledger_methods (account, method) VALUES (?, ?) ON CONFLICT(account) DO UPDATE SET method = excluded.method').run(account, method);
  }

  lotChoices(): Map<string, string[]> {
    const rows = this.db.prepare('SELECT fill_id, lot_ids FROM ledger_lot_choices').all() as Array<{ fill_id: string; lot_ids: string }>;
    return new Map(rows.map((r) => [r.fill_id, JSON.parse(r.lot_ids) as string[]]));
  }
  setLotChoice(fillId: string, lotIds: readonly string[]): void {
    this.db.prepare('INSERT INTO ledger_lot_choices (fill_id, lot_ids) VALUES (?, ?) ON CONFLICT(fill_id) DO UPDATE SET lot_ids = excluded.lot_ids').run(fillId, JSON.stringify(lotIds));
  }
}
