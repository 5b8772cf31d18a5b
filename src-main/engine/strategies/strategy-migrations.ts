/**
 * The strategies' own tables (owner `strategies` in schema_migrations). Append only.
 * strategy_steps is the strategy journal: a step's client order id is UNIQUE and is written
 * (with the planner state that produced it) before the order is sent.
 */
import type { OwnedMigration } from '../store/owned-migrations';

export const STRATEGY_MIGRATIONS: readonly OwnedMigration[] = [
  {
    name: '001_strategies',
    sql: `
CREATE TABLE strategies (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL,
  venue       TEXT NOT NULL,
  symbol      TEXT NOT NULL,
  params      TEXT NOT NULL,               -- the raw parameters as given (JSON)
  state       TEXT NOT NULL,               -- the planner state (JSON)
  status      TEXT NOT NULL,
  reason      TEXT,
  next_step   INTEGER NOT NULL DEFAULT 1,
  wake_at     INTEGER,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE TABLE strategy_steps (
  strategy_id     TEXT NOT NULL REFERENCES strategies(id),
  step            INTEGER NOT NULL,
  client_order_id TEXT NOT NULL UNIQUE,
  tag             TEXT NOT NULL,
  ticket          TEXT NOT NULL,           -- the order.place input (JSON)
  status          TEXT NOT NULL,           -- journaled | sent | refused | ended
  order_id        TEXT,
  error           TEXT,
  created_at      INTEGER NOT NULL,
  ended_at        INTEGER,
  PRIMARY KEY (strategy_id, step)
);
CREATE TABLE strategy_fills (
  fill_id     TEXT PRIMARY KEY,
  strategy_id TEXT NOT NULL,
  step        INTEGER NOT NULL,
  side        TEXT NOT NULL,
  qty         TEXT NOT NULL,
  price       TEXT NOT NULL,
  fee         TEXT NOT NULL,
  ts          INTEGER NOT NULL
);
CREATE INDEX strategy_fills_by_strategy ON strategy_fills(strategy_id, ts);
`,
  },
];
