/**
 * The core schema, versioned by user_version. Append only: a shipped migration is never edited, a
 * change is a new entry. (Steps 1, 3 and 6 once also made venue tables; those moved to their
 * venues' own migrations, store/owned-migrations.ts, which recognise a database that has them.)
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
    // Moved to the venue that owns these tables (venues/<v>/<v>-migrations.ts); kept so the
    // numbering of the steps after it, and user_version, stay as shipped.
    name: '003_moved_to_venue',
    sql: '',
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
    // Moved to the venue that owns these tables, like step 3.
    name: '006_moved_to_venue',
    sql: '',
  },
  {
    // Trailing stops: the stop the venue last reported (it moves with the market), so the blotter
    // shows where the stop is now, not only the trail the trader asked for.
    name: '007_order_trail_stop',
    sql: `
ALTER TABLE orders ADD COLUMN trail_stop TEXT;   -- NULL until the venue reports one
`,
  },
  {
    // The extended order model: GTD expiry, post-only, reduce-only and notional (money-sized)
    // orders. Old rows read as before: NULL / 0 mean "not set".
    name: '008_order_model_flags',
    sql: `
ALTER TABLE orders ADD COLUMN expire_at INTEGER;                      -- GTD: UTC epoch ms
ALTER TABLE orders ADD COLUMN post_only INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN reduce_only INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN notional TEXT;                          -- quote-currency amount; qty is '0' then
`,
  },
  {
    // Perpetuals and futures: the venue's liquidation price and leverage for a position. Old rows
    // (and spot or equity positions) read NULL: "not reported".
    name: '009_position_risk',
    sql: `
ALTER TABLE positions ADD COLUMN liquidation_price TEXT;
ALTER TABLE positions ADD COLUMN leverage TEXT;
`,
  },
  {
    // Multi-leg orders (an option vertical as ONE order): the legs of the one row, in order, the
    // first being the row's instrument. NULL for every single-instrument order.
    name: '010_order_legs',
    sql: `
ALTER TABLE orders ADD COLUMN legs TEXT;   -- JSON [{instrumentId, symbol, side, ratio}]
`,
  },
  {
    // The audit log filtered by action prefix (\`audit --action order.\`, one-click arming's
    // history) read the whole table; a range on this index reads only the matching rows.
    name: '011_audit_action_index',
    sql: `
CREATE INDEX audit_log_action ON audit_log(action COLLATE NOCASE);
`,
  },
];
