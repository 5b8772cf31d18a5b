/**
 * Price alerts kept across restarts, in their own table (owned migrations, owner "price-alerts").
 * An alert fires once: `fire` sets its time and price only while it is still armed, so two quotes
 * racing each other cannot fire it twice, and a fired alert is never armed again after a restart.
 */
import type Database from 'better-sqlite3';
import type { PriceAlert } from '../domain/price-alert';
import { applyOwnedMigrations, type OwnedMigration } from './owned-migrations';

const MIGRATIONS: readonly OwnedMigration[] = [
  {
    name: '001_price_alerts',
    sql: `
CREATE TABLE price_alerts (
  id            TEXT PRIMARY KEY,
  venue         TEXT NOT NULL,
  instrument_id TEXT NOT NULL,
  symbol        TEXT NOT NULL,
  condition     TEXT NOT NULL,
  price         TEXT,
  pct           TEXT,
  ref_price     TEXT NOT NULL,
  note          TEXT,
  created_at    INTEGER NOT NULL,
  fired_at      INTEGER,
  fired_price   TEXT
);
CREATE INDEX price_alerts_armed ON price_alerts(venue, instrument_id) WHERE fired_at IS NULL;`,
  },
];

interface Row {
  id: string;
  venue: string;
  instrument_id: string;
  symbol: string;
  condition: PriceAlert['condition'];
  price: string | null;
  pct: string | null;
  ref_price: string;
  note: string | null;
  created_at: number;
  fired_at: number | null;
  fired_price: string | null;
}

const fromRow = (r: Row): PriceAlert => ({
  id: r.id,
  venue: r.venue,
  instrumentId: r.instrument_id,
  symbol: r.symbol,
  condition: r.condition,
  ...(r.price !== null ? { price: r.price } : {}),
  ...(r.pct !== null ? { pct: r.pct } : {}),
  refPrice: r.ref_price,
  ...(r.note !== null ? { note: r.note } : {}),
  createdAt: r.created_at,
  ...(r.fired_at !== null ? { firedAt: r.fired_at } : {}),
  ...(r.fired_price !== null ? { firedPrice: r.fired_price } : {}),
});

export class PriceAlertsRepo {
  constructor(private readonly db: Database.Database) {
    applyOwnedMigrations(db, 'price-alerts', MIGRATIONS);
  }

  add(a: PriceAlert): void {
    this.db
      .prepare(
        `INSERT INTO price_alerts (id, venue, instrument_id, symbol, condition, price, pct, ref_price, note, created_at)
         VALUES (@id, @venue, @instrumentId, @symbol, @condition, @price, @pct, @refPrice, @note, @createdAt)`,
      )
      .run({ ...a, price: a.price ?? null, pct: a.pct ?? null, note: a.note ?? null });
  }

  /** Armed alerts first by age, then (with `all`) the fired ones, newest first. */
  list(all = false): PriceAlert[] {
    const armed = (this.db.prepare('SELECT * FROM price_alerts WHERE fired_at IS NULL ORDER BY created_at, rowid').all() as Row[]).map(fromRow);
    if (!all) return armed;
    return [...armed, ...(this.db.prepare('SELECT * FROM price_alerts WHERE fired_at IS NOT NULL ORDER BY fired_at DESC, rowid DESC LIMIT 1000').all() as Row[]).map(fromRow)];
  }

  byId(id: string): PriceAlert | undefined {
    const r = this.db.prepare('SELECT * FROM price_alerts WHERE id = ?').get(id) as Row | undefined;
    return r ? fromRow(r) : undefined;
  }

  /** Marks the alert fired; false when it had fired already (or is gone). */
  fire(id: string, ts: number, price: string): boolean {
    return this.db.prepare('UPDATE price_alerts SET fired_at = ?, fired_price = ? WHERE id = ? AND fired_at IS NULL').run(ts, price, id).changes === 1;
  }

  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM price_alerts WHERE id = ?').run(id).changes === 1;
  }
}
