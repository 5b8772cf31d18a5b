/**
 * The Coinbase venue's own tables. Append only: a shipped step is never edited, a change is a new
 * entry.
 */
import type Database from 'better-sqlite3';
import { applyOwnedMigrations, type OwnedMigration } from '../../store/owned-migrations';
import { COINBASE_KIND_INFO } from './coinbase-config';

export const COINBASE_MIGRATIONS: readonly OwnedMigration[] = [
  {
    // A bracket's exits are ONE Coinbase order (attached `trigger_bracket_gtc`, ids of Coinbase's
    // own) standing for our two child orders; after a restart only this row says which they are.
    name: '001_coinbase_brackets',
    sql: `
CREATE TABLE coinbase_brackets (
  venue          TEXT NOT NULL,
  entry_cid      TEXT NOT NULL,   -- our entry's client order id (Coinbase's client_order_id)
  tp_cid         TEXT NOT NULL,   -- our take-profit child's client order id
  sl_cid         TEXT NOT NULL,   -- our stop-loss child's client order id
  entry_order_id TEXT,            -- Coinbase's id of the entry, once known
  exit_order_id  TEXT,            -- Coinbase's id of the attached exit order, once known
  updated_at     INTEGER NOT NULL,
  PRIMARY KEY (venue, entry_cid)
);
CREATE INDEX coinbase_brackets_exit ON coinbase_brackets(venue, exit_order_id);
`,
  },
];

/** Makes sure the Coinbase tables exist (the engine applies them at start; this covers a store opened on its own). */
export function ensureCoinbaseSchema(db: Database.Database): void {
  applyOwnedMigrations(db, COINBASE_KIND_INFO.kind, COINBASE_MIGRATIONS);
}
