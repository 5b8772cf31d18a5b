/**
 * The Interactive Brokers venue's own tables. Append only: a shipped step is never edited, a
 * change is a new entry. Until these moved here they were the core schema's step 3, so the first
 * step recognises a database that already has them.
 */
import type Database from 'better-sqlite3';
import { applyOwnedMigrations, tableExists, type OwnedMigration } from '../../store/owned-migrations';
import { IBKR_KIND_INFO } from './ibkr-config';

export const IBKR_MIGRATIONS: readonly OwnedMigration[] = [
  {
    // Order ids must never be reused after TWS rolls nextValidId back, so the highest id used is
    // persisted; sent orders map id ↔ client order id ↔ client id.
    name: '001_ibkr_orders',
    alreadyIn: (db) => tableExists(db, 'ibkr_order_ids'),
    sql: `
CREATE TABLE ibkr_order_ids (
  venue        TEXT PRIMARY KEY,
  highest_used INTEGER NOT NULL
);
CREATE TABLE ibkr_orders (
  venue           TEXT NOT NULL,
  order_id        INTEGER NOT NULL,
  client_id       INTEGER NOT NULL,
  client_order_id TEXT NOT NULL,
  instrument_id   TEXT NOT NULL,
  perm_id         INTEGER,
  created_at      INTEGER NOT NULL,
  PRIMARY KEY (venue, order_id)
);
CREATE UNIQUE INDEX ibkr_orders_client_order_id ON ibkr_orders(venue, client_order_id);
CREATE INDEX ibkr_orders_perm_id ON ibkr_orders(venue, perm_id);
CREATE TABLE ibkr_contracts (
  venue      TEXT NOT NULL,
  con_id     INTEGER NOT NULL,
  symbol     TEXT NOT NULL,
  data       TEXT NOT NULL,                 -- the Instrument plus the contract fields orders need, JSON
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (venue, con_id)
);
CREATE INDEX ibkr_contracts_symbol ON ibkr_contracts(venue, symbol);
`,
  },
];

/** Makes sure the IB tables exist (the engine applies them at start; this covers a store opened on its own). */
export function ensureIbkrSchema(db: Database.Database): void {
  applyOwnedMigrations(db, IBKR_KIND_INFO.kind, IBKR_MIGRATIONS);
}
