/**
 * Versioned schema. Append only: a shipped migration is never edited, a change is a new entry.
 * Money and quantities are TEXT holding canonical decimal strings; times are INTEGER ms UTC.
 */
export interface Migration {
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    name: '001_foundation',
    sql: `
CREATE TABLE venues (
  name        TEXT PRIMARY KEY,
  kind        TEXT NOT NULL,
  settings    TEXT NOT NULL DEFAULT '{}',   -- JSON, never secrets
  mode        TEXT NOT NULL DEFAULT 'shadow',
  canary_pct  TEXT NOT NULL DEFAULT '0',
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);

CREATE TABLE instruments (
  id           TEXT PRIMARY KEY,
  venue        TEXT NOT NULL,
  venue_symbol TEXT NOT NULL,
  symbol       TEXT NOT NULL,
  asset_class  TEXT NOT NULL,
  data         TEXT NOT NULL,                -- the full Instrument as JSON
  updated_at   INTEGER NOT NULL
);
CREATE INDEX instruments_venue_symbol ON instruments(venue, symbol);

CREATE TABLE orders (
  id              TEXT PRIMARY KEY,
  client_order_id TEXT NOT NULL UNIQUE,
  venue_order_id  TEXT,
  venue           TEXT NOT NULL,
  instrument_id   TEXT NOT NULL,
  symbol          TEXT NOT NULL,
  side            TEXT NOT NULL CHECK (side IN ('buy','sell')),
  type            TEXT NOT NULL,
  qty             TEXT NOT NULL,
  limit_price     TEXT,
  stop_price      TEXT,
  tif             TEXT NOT NULL,
  status          TEXT NOT NULL,
  filled_qty      TEXT NOT NULL DEFAULT '0',
  avg_fill_price  TEXT NOT NULL DEFAULT '0',
  fees            TEXT NOT NULL DEFAULT '0',
  reject_reason   TEXT,
  source          TEXT NOT NULL,
  route           TEXT NOT NULL DEFAULT 'paper',
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX orders_venue_status ON orders(venue, status);
CREATE INDEX orders_venue_order_id ON orders(venue, venue_order_id);
CREATE INDEX orders_created ON orders(created_at);

-- Every state change of every order, including refused (illegal) ones, with the venue message.
CREATE TABLE order_transitions (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  order_id    TEXT NOT NULL,
  from_status TEXT,
  to_status   TEXT NOT NULL,
  accepted    INTEGER NOT NULL,
  source      TEXT NOT NULL,
  reason      TEXT,
  raw         TEXT,
  ts          INTEGER NOT NULL
);
CREATE INDEX order_transitions_order ON order_transitions(order_id, seq);

CREATE TABLE fills (
  id              TEXT PRIMARY KEY,
  order_id        TEXT NOT NULL,
  client_order_id TEXT NOT NULL,
  venue           TEXT NOT NULL,
  venue_fill_id   TEXT NOT NULL,
  instrument_id   TEXT NOT NULL,
  symbol          TEXT NOT NULL,
  side            TEXT NOT NULL,
  qty             TEXT NOT NULL,
  price           TEXT NOT NULL,
  fee             TEXT NOT NULL,
  fee_currency    TEXT NOT NULL,
  liquidity       TEXT NOT NULL,
  ts              INTEGER NOT NULL,
  UNIQUE (venue, venue_fill_id)
);
CREATE INDEX fills_ts ON fills(ts);
CREATE INDEX fills_order ON fills(order_id);

-- The venue's latest word on positions and balances (a cache the reconciler compares against).
CREATE TABLE positions (
  venue         TEXT NOT NULL,
  instrument_id TEXT NOT NULL,
  symbol        TEXT NOT NULL,
  qty           TEXT NOT NULL,
  avg_price     TEXT NOT NULL,
  realized_pnl  TEXT NOT NULL DEFAULT '0',
  updated_at    INTEGER NOT NULL,
  PRIMARY KEY (venue, instrument_id)
);

CREATE TABLE balances (
  venue      TEXT NOT NULL,
  asset      TEXT NOT NULL,
  total      TEXT NOT NULL,
  available  TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (venue, asset)
);

CREATE TABLE audit_log (
  seq       INTEGER PRIMARY KEY AUTOINCREMENT,
  ts        INTEGER NOT NULL,
  actor     TEXT NOT NULL,
  transport TEXT NOT NULL,
  action    TEXT NOT NULL,
  venue     TEXT,
  ok        INTEGER NOT NULL,
  detail    TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_ts ON audit_log(ts);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;

-- Engine-wide key/value state (kill switch, risk limits, counters).
CREATE TABLE engine_state (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

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
    // Issue 3: every reconciliation's report, so "what changed while disconnected" can be read later.
    name: '002_reconcile_reports',
    sql: `
CREATE TABLE reconcile_reports (
  seq      INTEGER PRIMARY KEY AUTOINCREMENT,
  venue    TEXT NOT NULL,
  ts       INTEGER NOT NULL,
  trigger  TEXT NOT NULL,                  -- start | reconnect | manual
  ok       INTEGER NOT NULL,
  error    TEXT,
  changes  TEXT NOT NULL DEFAULT '[]'      -- JSON ReconcileChange[]
);
CREATE INDEX reconcile_reports_venue_ts ON reconcile_reports(venue, ts);
`,
  },
  {
    // Issue 5: Interactive Brokers. Order ids must never be reused after TWS rolls nextValidId
    // back, so the highest id used is persisted; sent orders map id ↔ client order id ↔ client id.
    name: '003_ibkr',
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
  {
    // Replace (modify) of a working order: the change asked for and the state to return to if the
    // venue refuses it, journaled before the venue is asked, so a restart mid-replace knows both.
    name: '004_order_replace',
    sql: `
ALTER TABLE orders ADD COLUMN replace_request TEXT;   -- JSON {qty?, limitPrice?, stopPrice?, from, ts}; NULL when none is in flight
`,
  },
  {
    // Advanced orders (issue 5 on the unified ticket): trailing stops, extended hours, OCA groups,
    // and brackets journaled as a parent row plus child rows linked by parent_order_id.
    name: '005_advanced_orders',
    sql: `
ALTER TABLE orders ADD COLUMN trail_amount TEXT;
ALTER TABLE orders ADD COLUMN trail_percent TEXT;
ALTER TABLE orders ADD COLUMN extended_hours INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN oca_group TEXT;
ALTER TABLE orders ADD COLUMN parent_order_id TEXT;   -- local id of a bracket's entry order
ALTER TABLE orders ADD COLUMN leg TEXT;               -- take_profit | stop_loss for bracket children
CREATE INDEX orders_parent ON orders(parent_order_id);
`,
  },
  {
    // The Paper matching engine simulates trailing stops, OCA groups and brackets (Paper venue and
    // SHADOW routes); what it must remember across a restart lives on its own order rows.
    name: '006_paper_advanced_orders',
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
  {
    // Trailing stops: the stop the venue last reported (it moves with the market), so the blotter
    // shows where the stop is now, not only the trail the trader asked for.
    name: '007_order_trail_stop',
    sql: `
ALTER TABLE orders ADD COLUMN trail_stop TEXT;   -- NULL until the venue reports one
`,
  },
];
