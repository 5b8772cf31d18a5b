/**
 * The Alpaca venue's own tables. Append only: a shipped step is never edited, a change is a new
 * entry.
 */
import type Database from 'better-sqlite3';
import { applyOwnedMigrations, type OwnedMigration } from '../../store/owned-migrations';
import { ALPACA_KIND_INFO } from './alpaca-config';

export const ALPACA_MIGRATIONS: readonly OwnedMigration[] = [
  {
    // Alpaca gives a replacement a new order id and bracket legs client ids of its own; after a
    // restart only this map says which of our orders they are and which order carries one now.
    name: '001_alpaca_orders',
    sql: `
CREATE TABLE alpaca_orders (
  venue        TEXT NOT NULL,
  order_id     TEXT NOT NULL,               -- Alpaca's order id
  our_cid      TEXT NOT NULL,               -- our client order id (the journal's)
  venue_cid    TEXT,                        -- the client_order_id Alpaca knows (ours, ~rN, or its own for a leg)
  replaced_by  TEXT,                        -- the Alpaca order id that replaced this one
  bracket_leg  INTEGER NOT NULL DEFAULT 0,  -- 1: a bracket exit journaled under our_cid
  updated_at   INTEGER NOT NULL,
  PRIMARY KEY (venue, order_id)
);
CREATE INDEX alpaca_orders_our_cid ON alpaca_orders(venue, our_cid);
`,
  },
];

/** Makes sure the Alpaca tables exist (the engine applies them at start; this covers a store opened on its own). */
export function ensureAlpacaSchema(db: Database.Database): void {
  applyOwnedMigrations(db, ALPACA_KIND_INFO.kind, ALPACA_MIGRATIONS);
}
