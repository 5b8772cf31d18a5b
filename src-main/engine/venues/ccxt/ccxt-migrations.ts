/** The ccxt venue's own tables. Append only: a shipped step is never edited, a change is a new entry. */
import type { OwnedMigration } from '../../store/owned-migrations';

export const CCXT_MIGRATIONS: readonly OwnedMigration[] = [
  {
    // Most exchanges need the market symbol to find an order; lookups by client id (after a lost
    // answer or a restart) read it here. Written before the order is sent.
    name: '001_ccxt_orders',
    sql: `
CREATE TABLE ccxt_orders (
  venue          TEXT NOT NULL,
  client_id      TEXT NOT NULL,   -- our client order id (sent as ccxt's clientOrderId)
  symbol         TEXT NOT NULL,   -- ccxt unified symbol
  venue_order_id TEXT,            -- the exchange's order id, once known
  created_at     INTEGER NOT NULL,
  PRIMARY KEY (venue, client_id)
);
CREATE INDEX ccxt_orders_venue_id ON ccxt_orders(venue, venue_order_id);
`,
  },
];
