/**
 * The Paper venue's own tables. Append only: a shipped step is never edited, a change is a new
 * entry. Until these moved here they were part of the core schema (its steps 1 and 6), so each
 * step knows how to recognise a database that already has it.
 */
import type Database from 'better-sqlite3';
import { applyOwnedMigrations, columnExists, tableExists, type OwnedMigration } from '../../store/owned-migrations';
import { PAPER_KIND_INFO } from './paper-config';

export const PAPER_MIGRATIONS: readonly OwnedMigration[] = [
  {
    name: '001_paper_books',
    alreadyIn: (db) => tableExists(db, 'paper_orders'),
    sql: `
-- The Paper venue's own books: what the simulated exchange knows, kept apart from our journal so
-- reconciliation against Paper is as real as against any other venue.
CREATE TABLE paper_orders (
  venue           TEXT NOT NULL,
  venue_order_id  TEXT NOT NULL,
  client_order_id TEXT NOT NULL,
  instrument_id   TEXT NOT NULL,
  side            TEXT NOT NULL,
  type            TEXT NOT NULL,
  qty             TEXT NOT NULL,
  limit_price     TEXT,
  stop_price      TEXT,
  tif             TEXT NOT NULL,
  status          TEXT NOT NULL,
  filled_qty      TEXT NOT NULL DEFAULT '0',
  avg_fill_price  TEXT NOT NULL DEFAULT '0',
  triggered       INTEGER NOT NULL DEFAULT 0,
  expires_at      INTEGER,
  reason          TEXT,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  PRIMARY KEY (venue, venue_order_id),
  UNIQUE (venue, client_order_id)
);
CREATE INDEX paper_orders_open ON paper_orders(venue, status);

CREATE TABLE paper_fills (
  venue           TEXT NOT NULL,
  fill_id         TEXT NOT NULL,
  venue_order_id  TEXT NOT NULL,
  client_order_id TEXT NOT NULL,
  instrument_id   TEXT NOT NULL,
  side            TEXT NOT NULL,
  qty             TEXT NOT NULL,
  price           TEXT NOT NULL,
  fee             TEXT NOT NULL,
  fee_currency    TEXT NOT NULL,
  liquidity       TEXT NOT NULL,
  ts              INTEGER NOT NULL,
  PRIMARY KEY (venue, fill_id)
);
CREATE INDEX paper_fills_ts ON paper_fills(venue, ts);

CREATE TABLE paper_balances (
  venue  TEXT NOT NULL,
  asset  TEXT NOT NULL,
  total  TEXT NOT NULL,
  PRIMARY KEY (venue, asset)
);

CREATE TABLE paper_positions (
  venue         TEXT NOT NULL,
  instrument_id TEXT NOT NULL,
  qty           TEXT NOT NULL,
  avg_price     TEXT NOT NULL,
  realized_pnl  TEXT NOT NULL DEFAULT '0',
  PRIMARY KEY (venue, instrument_id)
);

CREATE TABLE paper_state (
  venue TEXT NOT NULL,
  key   TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (venue, key)
);
`,
  },
  {
    // The Paper matching engine simulates trailing stops, OCA groups and brackets (Paper venue and
    // SHADOW routes); what it must remember across a restart lives on its own order rows.
    name: '002_paper_advanced_orders',
    alreadyIn: (db) => columnExists(db, 'paper_orders', 'trail_amount'),
    sql: `
ALTER TABLE paper_orders ADD COLUMN trail_amount TEXT;
ALTER TABLE paper_orders ADD COLUMN trail_percent TEXT;
ALTER TABLE paper_orders ADD COLUMN trail_extreme TEXT;   -- best bid (sell) / ask (buy) seen since acceptance
ALTER TABLE paper_orders ADD COLUMN trail_stop TEXT;      -- the stop that extreme gives
ALTER TABLE paper_orders ADD COLUMN oca_group TEXT;
ALTER TABLE paper_orders ADD COLUMN parent_id TEXT;       -- bracket child: the entry's venue order id
ALTER TABLE paper_orders ADD COLUMN released_qty TEXT;    -- bracket child: what the entry has filled ('0' = held)
ALTER TABLE paper_orders ADD COLUMN exited_qty TEXT;      -- bracket child: what the exits have filled
`,
  },
];

/** Makes sure the Paper tables exist (the engine applies them at start; this covers a store opened on its own). */
export function ensurePaperSchema(db: Database.Database): void {
  applyOwnedMigrations(db, PAPER_KIND_INFO.kind, PAPER_MIGRATIONS);
}
