/**
 * The Binance venue's own tables. Append only: a shipped step is never edited, a change is a new
 * entry.
 */
import type Database from 'better-sqlite3';
import { applyOwnedMigrations, type OwnedMigration } from '../../store/owned-migrations';
import { BINANCE_KIND_INFO } from './binance-config';

export const BINANCE_MIGRATIONS: readonly OwnedMigration[] = [
  {
    // Binance finds an order by client id only within a symbol (GET /api/v3/order?symbol&origClientOrderId),
    // and myTrades is per symbol too: after a restart this map says where to look.
    name: '001_binance_orders',
    sql: `
CREATE TABLE binance_orders (
  venue       TEXT NOT NULL,
  client_id   TEXT NOT NULL,   -- our client order id (= Binance's newClientOrderId)
  symbol      TEXT NOT NULL,   -- Binance symbol, e.g. BTCUSDT
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (venue, client_id)
);
CREATE INDEX binance_orders_symbol ON binance_orders(venue, symbol);
`,
  },
  {
    // A cancelReplace (or cancel + new order) carries our order on under a NEW Binance order that
    // knows nothing of what the earlier ones executed: kept per replacement, written before it is
    // sent, so its reports give the order's total and filled quantity, and the next replace
    // sizes the new order from them (binance-replace.ts).
    name: '002_binance_chain_prior',
    sql: `
ALTER TABLE binance_orders ADD COLUMN prior_filled TEXT NOT NULL DEFAULT '0';  -- base quantity executed by earlier orders of the chain
ALTER TABLE binance_orders ADD COLUMN prior_quote  TEXT NOT NULL DEFAULT '0';  -- their cumulative quote quantity
`,
  },
];

export function ensureBinanceSchema(db: Database.Database): void {
  applyOwnedMigrations(db, BINANCE_KIND_INFO.kind, BINANCE_MIGRATIONS);
}
