/**
 * One SQLite file per data dir. WAL for concurrent readers, synchronous=FULL because an order row
 * must be durable before a byte goes to a venue (journal before send).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

export const DB_FILE = 'tradeport.db';

export function openDatabase(file: string): Db {
  if (file !== ':memory:') {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Created owner-only before SQLite opens it, whatever the data dir's mode or the umask
    // (an existing file is left alone here: it may be read-only, which SQLite then reports).
    try {
      fs.closeSync(fs.openSync(file, 'wx', 0o600));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  const db = new Database(file);
  if (file !== ':memory:') restrictToOwner(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

/** The journal holds orders and balances: owner-only, with its WAL and shared-memory siblings. */
export function restrictToOwner(file: string): void {
  if (process.platform === 'win32') return;
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      fs.chmodSync(f, 0o600);
    } catch {
      // -wal / -shm exist only while a connection has them open.
    }
  }
}

/** Applies every migration above the stored user_version, each in its own transaction. */
export function migrate(db: Db): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = MIGRATIONS.length;
  if (current > latest) {
    throw new Error(`This data file was written by a newer Tradeport (schema ${current}, this build knows ${latest}). Update Tradeport before opening it.`);
  }
  for (let v = current; v < latest; v++) {
    const step = MIGRATIONS[v]!;
    db.transaction(() => {
      db.exec(step.sql);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return latest;
}
