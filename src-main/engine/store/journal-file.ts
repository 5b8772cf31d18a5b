/**
 * Opening the journal (tradeport.db) safely. Before anything writes to it the file is checked:
 * SQLite's header, `PRAGMA quick_check`, and — when Tradeport has written a journal in this data
 * dir before (the `journal.json` marker, or a backup exists) — that it is not suddenly empty or
 * missing pages. A damaged or unexpectedly empty journal is never silently replaced by a fresh one
 * (that would lose every order and reset the balances): the engine refuses to start and says which
 * file is damaged and which backup to restore.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TradeportError } from '../api/errors';
import { DB_FILE, openDatabase, type Db } from './db';
import { latestBackup } from './backups';
import { storageErrorOf } from './storage-errors';

export const JOURNAL_MARKER = 'journal.json';
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export function openJournal(dataDir: string, now: number): Db {
  const file = path.join(dataDir, DB_FILE);
  preflight(dataDir, file);
  let db: Db | undefined;
  try {
    db = openDatabase(file);
    const problems = (db.pragma('quick_check', { simple: false }) as Array<{ quick_check: string }>).map((r) => r.quick_check);
    if (problems.length !== 1 || problems[0] !== 'ok') throw damaged(dataDir, file, `quick_check found: ${problems.slice(0, 3).join('; ')}`);
  } catch (err) {
    db?.close();
    if (err instanceof TradeportError) throw err;
    const code = String((err as { code?: unknown }).code ?? '');
    if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') throw damaged(dataDir, file, (err as Error).message);
    // A read-only file or a full disk at start: said as such (with the file), not as an internal error.
    const storage = storageErrorOf(err);
    if (storage) throw new TradeportError(storage.code, `${file}: ${storage.message}`);
    throw err;
  }
  writeMarker(dataDir, now);
  return db;
}

function preflight(dataDir: string, file: string): void {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    return; // no file yet: a new data dir
  }
  const existed = journalExisted(dataDir);
  if (size === 0) {
    if (existed) throw damaged(dataDir, file, 'the file is empty (0 bytes), but Tradeport has kept a journal here before');
    return;
  }
  const head = Buffer.alloc(SQLITE_HEADER.length);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (!head.equals(SQLITE_HEADER)) throw damaged(dataDir, file, 'the file does not start with the SQLite header');
}

/** True when this data dir has held a journal before: the marker, or any backup of one. */
export function journalExisted(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, JOURNAL_MARKER)) || latestBackup(dataDir) !== undefined;
}

function writeMarker(dataDir: string, now: number): void {
  try {
    const file = path.join(dataDir, JOURNAL_MARKER);
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ journal: DB_FILE, lastOpenedAt: new Date(now).toISOString() }) + '\n', { mode: 0o600 });
    fs.renameSync(tmp, file);
  } catch {
    // A full disk must not keep the engine from starting; the backups also say a journal existed.
  }
}

function damaged(dataDir: string, file: string, why: string): TradeportError {
  const backup = latestBackup(dataDir);
  const restore = backup
    ? `Restore the latest backup: with Tradeport stopped, copy ${backup} over ${file} (and delete ${file}-wal and ${file}-shm if present), then start again.`
    : `No backup of it exists yet. Keep the file for recovery (sqlite3 "${file}" ".recover"), or move it away to start with an empty journal.`;
  return new TradeportError('database_damaged', `The order journal ${file} is damaged: ${why}. Tradeport did not start, so nothing was overwritten. ${restore}`, {
    file,
    ...(backup ? { backup } : {}),
  });
}
