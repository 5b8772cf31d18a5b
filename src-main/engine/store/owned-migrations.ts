/**
 * Migrations owned by a part of the engine other than the core schema (a venue's own tables).
 * Each owner's list is append-only like the core one; what has run is recorded per owner and
 * name in `schema_migrations`, so owners can be added, and their lists grow, independently.
 */
import type Database from 'better-sqlite3';
import type { Migration } from './migrations';

export interface OwnedMigration extends Migration {
  /**
   * For a step whose tables were made by the core schema before their owner held its own
   * migrations: true when the database already has this step's result, which is then recorded as
   * applied instead of run again.
   */
  readonly alreadyIn?: (db: Database.Database) => boolean;
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  owner      TEXT NOT NULL,
  name       TEXT NOT NULL,
  applied_at INTEGER NOT NULL,
  PRIMARY KEY (owner, name)
)`;

export function tableExists(db: Database.Database, table: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
}

export function columnExists(db: Database.Database, table: string, column: string): boolean {
  return (db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).some((c) => c.name === column);
}

/** The names recorded as applied for `owner`, oldest first. */
export function appliedMigrations(db: Database.Database, owner: string): string[] {
  db.exec(CREATE_TABLE);
  return (db.prepare('SELECT name FROM schema_migrations WHERE owner = ? ORDER BY rowid').all(owner) as { name: string }[]).map((r) => r.name);
}

/**
 * Applies `owner`'s migrations not yet recorded, in list order, each in its own transaction
 * together with its record. Returns the names it ran or adopted. Idempotent: a second call with
 * the same list does nothing.
 */
export function applyOwnedMigrations(db: Database.Database, owner: string, list: readonly OwnedMigration[], now: () => number = Date.now): string[] {
  const done = new Set(appliedMigrations(db, owner));
  const known = new Set(list.map((m) => m.name));
  const unknown = [...done].filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new Error(`This data file has ${owner} schema steps this build does not know (${unknown.join(', ')}): it was written by a newer Tradeport. Update Tradeport before opening it.`);
  }
  const record = db.prepare('INSERT INTO schema_migrations (owner, name, applied_at) VALUES (?, ?, ?)');
  const applied: string[] = [];
  for (const m of list) {
    if (done.has(m.name)) continue;
    db.transaction(() => {
      if (!m.alreadyIn?.(db)) db.exec(m.sql);
      record.run(owner, m.name, now());
    })();
    applied.push(m.name);
  }
  return applied;
}
