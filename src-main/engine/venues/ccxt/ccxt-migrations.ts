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
  {
    // Every exchange id our order has had. An edit that the exchange carries out as cancel + new
    // order (Binance order/cancelReplace) gives the order a new id: ccxt_orders follows it, and the
    // old id stays here (replaced_at set) so a late report or fill on it still finds our order.
    name: '002_ccxt_order_ids',
    sql: `
CREATE TABLE ccxt_order_ids (
  venue          TEXT NOT NULL,
  venue_order_id TEXT NOT NULL,
  client_id      TEXT NOT NULL,
  replaced_at    INTEGER,         -- when a replace moved our order to a new id (NULL: the current id)
  PRIMARY KEY (venue, venue_order_id)
);
INSERT OR IGNORE INTO ccxt_order_ids (venue, venue_order_id, client_id)
  SELECT venue, venue_order_id, client_id FROM ccxt_orders WHERE venue_order_id IS NOT NULL;
`,
  },
];
