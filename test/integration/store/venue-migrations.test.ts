/**
 * Venue-owned tables: a data file made before the venues owned their migrations (core schema 7,
 * with the paper_* and ibkr_* tables made by core steps) opens with the new build with its rows
 * intact, the venue steps recorded as applied and nothing made twice; a fresh data file ends with
 * the same schema.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../../src-main/engine/engine';
import { ManualClock } from '../../../src-main/engine/ports/clock';
import { MemorySecretStore } from '../../../src-main/engine/ports/secrets';
import { DB_FILE, openDatabase } from '../../../src-main/engine/store/db';
import { MIGRATIONS } from '../../../src-main/engine/store/migrations';
import { applyOwnedMigrations, appliedMigrations } from '../../../src-main/engine/store/owned-migrations';
import { applyVenueMigrations, VENUE_FACTORIES } from '../../../src-main/engine/venues/registry';
import { CORE_SCHEMA_V7 } from './fixtures/core-schema-v7';

const T0 = Date.UTC(2026, 10, 18, 15, 0, 0);

/** A data file as the build before this change left it: core schema 7 with venue tables inside. */
function shippedV7(file: string, upTo = CORE_SCHEMA_V7.length): void {
  const db = new Database(file);
  for (const [i, m] of CORE_SCHEMA_V7.slice(0, upTo).entries()) {
    db.exec(m.sql);
    db.pragma(`user_version = ${i + 1}`);
  }
  if (upTo < 6) {
    db.close();
    return;
  }
  db.prepare(
    `INSERT INTO paper_orders (venue, venue_order_id, client_order_id, instrument_id, side, type, qty, limit_price, tif, status, created_at, updated_at, trail_amount, oca_group)
    VALUES ('paper', 'P1', 'c1', 'paper:AAPL', 'buy', 'limit', '3', '101.5', 'day', 'accepted', 1, 2, '0.5', 'g1')`,
  ).run();
  db.prepare("INSERT INTO paper_balances (venue, asset, total) VALUES ('paper', 'USD', '100000.00')").run();
  db.prepare("INSERT INTO paper_state (venue, key, value) VALUES ('paper', 'seq', '41')").run();
  db.prepare("INSERT INTO ibkr_order_ids (venue, highest_used) VALUES ('ib', 1207)").run();
  db.prepare("INSERT INTO ibkr_orders (venue, order_id, client_id, client_order_id, instrument_id, perm_id, created_at) VALUES ('ib', 1207, 7, 'c2', 'ib:265598', 99, 3)").run();
  db.prepare("INSERT INTO ibkr_contracts (venue, con_id, symbol, data, updated_at) VALUES ('ib', 265598, 'AAPL', '{}', 4)").run();
  db.close();
}

/** Every schema object, without rootpage (which depends on creation order, not on the schema). */
function schemaOf(db: Database.Database): string[] {
  return (
    db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all() as { type: string; name: string; tbl_name: string; sql: string | null }[]
  ).map((r) => `${r.type} ${r.name} ON ${r.tbl_name}: ${r.sql ?? ''}`);
}

const rows = (db: Database.Database, table: string) => db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all();

describe('venue-owned migrations', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-venue-mig-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a data file at core schema 7 upgrades: rows intact, venue steps recorded, nothing made again', () => {
    const file = path.join(dir, DB_FILE);
    shippedV7(file);
    const before = new Database(file);
    const paperBefore = rows(before, 'paper_orders');
    const ibBefore = [rows(before, 'ibkr_order_ids'), rows(before, 'ibkr_orders'), rows(before, 'ibkr_contracts')];
    const shippedSchema = schemaOf(before);
    before.close();

    const db = openDatabase(file);
    applyVenueMigrations(db, VENUE_FACTORIES, () => T0);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(rows(db, 'paper_orders')).toEqual(paperBefore);
    expect(rows(db, 'paper_balances')).toEqual([{ venue: 'paper', asset: 'USD', total: '100000.00' }]);
    expect(rows(db, 'paper_state')).toEqual([{ venue: 'paper', key: 'seq', value: '41' }]);
    expect([rows(db, 'ibkr_order_ids'), rows(db, 'ibkr_orders'), rows(db, 'ibkr_contracts')]).toEqual(ibBefore);
    expect(db.prepare('SELECT owner, name, applied_at FROM schema_migrations ORDER BY owner, name').all()).toEqual([
      { owner: 'alpaca', name: '001_alpaca_orders', applied_at: T0 },
      { owner: 'binance', name: '001_binance_orders', applied_at: T0 },
      { owner: 'binance', name: '002_binance_chain_prior', applied_at: T0 },
      { owner: 'ccxt', name: '001_ccxt_orders', applied_at: T0 },
      { owner: 'ccxt', name: '002_ccxt_order_ids', applied_at: T0 },
      { owner: 'coinbase', name: '001_coinbase_brackets', applied_at: T0 },
      { owner: 'ibkr', name: '001_ibkr_orders', applied_at: T0 },
      { owner: 'kraken', name: '001_kraken_nonces', applied_at: T0 },
      { owner: 'paper', name: '001_paper_books', applied_at: T0 },
      { owner: 'paper', name: '002_paper_advanced_orders', applied_at: T0 },
    ]);
    // The only new objects are the record of owned steps and Alpaca's tables (new since schema 7): every shipped venue table is unchanged.
    const after = schemaOf(db);
    expect(after.some((s) => s.startsWith('table alpaca_orders'))).toBe(true);
    // Core steps 008 and 009 only append columns to orders (old rows stay valid: NULL / 0 mean "not set").
    const isOrders = (s: string) => s.startsWith('table orders ');
    // Venue-owned tables added after v7 (each venue's own migrations) are new; everything else is as shipped.
    const venueOwned = (s: string) => /^(table|index) (alpaca|binance|kraken|coinbase|ccxt)_/.test(s);
    // Core step 009 only appends the derivative columns to positions (NULL: not reported).
    const isPositions = (s: string) => s.startsWith('table positions ');
    const appended = (s: string) => isOrders(s) || isPositions(s);
    // Core step 011 adds one index on the audit log's action.
    const auditActionIndex = 'index audit_log_action ON audit_log: CREATE INDEX audit_log_action ON audit_log(action COLLATE NOCASE)';
    expect(after).toContain(auditActionIndex);
    expect(after.filter((s) => !s.includes('schema_migrations') && !venueOwned(s) && !appended(s) && s !== auditActionIndex)).toEqual(shippedSchema.filter((s) => !appended(s)));
    expect(after.find(isPositions)).toBe(shippedSchema.find(isPositions)!.replace(/updated_at {4}INTEGER NOT NULL,/, 'updated_at    INTEGER NOT NULL, liquidation_price TEXT, leverage TEXT,'));
    expect(after.find(isOrders)).toBe(
      shippedSchema.find(isOrders)!.replace(/\)$/, ', expire_at INTEGER, post_only INTEGER NOT NULL DEFAULT 0, reduce_only INTEGER NOT NULL DEFAULT 0, notional TEXT, legs TEXT)'),
    );
    db.close();
  });

  it('a fresh data file gets the same final schema as an upgraded one', () => {
    const upgraded = path.join(dir, 'upgraded.db');
    shippedV7(upgraded);
    const a = openDatabase(upgraded);
    applyVenueMigrations(a, VENUE_FACTORIES);
    const b = openDatabase(path.join(dir, 'fresh.db'));
    applyVenueMigrations(b, VENUE_FACTORIES);
    expect(schemaOf(b).some((s) => s.startsWith('table paper_orders'))).toBe(true);
    expect(schemaOf(b).some((s) => s.startsWith('table ibkr_orders'))).toBe(true);
    expect(schemaOf(b)).toEqual(schemaOf(a));
    expect(appliedMigrations(b, 'paper')).toEqual(appliedMigrations(a, 'paper'));
    expect(appliedMigrations(b, 'ibkr')).toEqual(appliedMigrations(a, 'ibkr'));
    a.close();
    b.close();
  });

  it('the engine applies every registered venue kind at start, before any connector, and again is a no-op', async () => {
    shippedV7(path.join(dir, DB_FILE));
    const engine = await createEngine({ dataDir: dir, secrets: new MemorySecretStore(), clock: new ManualClock(T0), paperSeed: 7, paperTickMs: 0 });
    const db = engine.internals.db;
    expect(appliedMigrations(db, 'paper')).toEqual(['001_paper_books', '002_paper_advanced_orders']);
    expect(appliedMigrations(db, 'ibkr')).toEqual(['001_ibkr_orders']);
    expect(rows(db, 'ibkr_orders')).toHaveLength(1);
    expect(applyOwnedMigrations(db, 'ibkr', VENUE_FACTORIES.get('ibkr')!.migrations!)).toEqual([]);
    await engine.close();
  });

  it('an older data file (core schema 2: Paper books without advanced columns, no IB tables) gets the rest from the venues', () => {
    const old = path.join(dir, 'v2.db');
    shippedV7(old, 2);
    const a = openDatabase(old);
    applyVenueMigrations(a, VENUE_FACTORIES);
    const b = openDatabase(path.join(dir, 'fresh.db'));
    applyVenueMigrations(b, VENUE_FACTORIES);
    expect(schemaOf(a)).toEqual(schemaOf(b));
    expect(a.prepare("SELECT 1 FROM pragma_table_info('paper_orders') WHERE name = 'trail_stop'").get()).toBeDefined();
    a.close();
    b.close();
  });

  it('refuses a data file whose venue steps a newer build wrote', () => {
    const db = openDatabase(path.join(dir, 'newer.db'));
    applyVenueMigrations(db, VENUE_FACTORIES);
    db.prepare("INSERT INTO schema_migrations (owner, name, applied_at) VALUES ('ibkr', '002_from_the_future', 1)").run();
    expect(() => applyVenueMigrations(db, VENUE_FACTORIES)).toThrow(/newer Tradeport/);
    db.close();
  });

  it('runs an owner step in list order and records it with the step', () => {
    const db = openDatabase(':memory:');
    const list = [
      { name: '001_a', sql: 'CREATE TABLE demo_a (x TEXT)' },
      { name: '002_b', sql: 'ALTER TABLE demo_a ADD COLUMN y TEXT' },
    ];
    expect(applyOwnedMigrations(db, 'demo', list.slice(0, 1), () => 5)).toEqual(['001_a']);
    expect(applyOwnedMigrations(db, 'demo', list, () => 6)).toEqual(['002_b']);
    expect(db.prepare('SELECT name, applied_at FROM schema_migrations WHERE owner = ?').all('demo')).toEqual([
      { name: '001_a', applied_at: 5 },
      { name: '002_b', applied_at: 6 },
    ]);
    // A failing step leaves no record, so it runs again next time.
    expect(() => applyOwnedMigrations(db, 'demo', [...list, { name: '003_bad', sql: 'ALTER TABLE nope ADD COLUMN z TEXT' }])).toThrow();
    expect(appliedMigrations(db, 'demo')).toEqual(['001_a', '002_b']);
    db.close();
  });
});
