/**
 * One engine per data dir. Two engines on one SQLite file would each believe they own the order
 * journal and could both resubmit or reconcile the same order, so a second one must refuse to
 * start.
 *
 * The lock is an OS file lock held for the engine's whole life: SQLite's exclusive lock on
 * `engine-lock.sqlite` (POSIX fcntl / Windows LockFileEx under the hood), taken in one atomic step
 * and released by the OS when the process exits, however it exits. So there is no stale lock to
 * take over and no read → check → delete → create race: of several engines started together,
 * exactly one gets it. `engine.lock` only says who holds it (for the error message); its content
 * never decides anything, so a leftover one naming an unrelated live process blocks nobody.
 *
 * `engine.json` is the separate, public half: where the running engine's bridge listens, so the
 * CLI can talk to it instead of opening the data dir itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export const LOCK_FILE = 'engine.lock';
export const OS_LOCK_FILE = 'engine-lock.sqlite';
export const MARKER_FILE = 'engine.json';
export const TOKEN_FILE = 'bridge-token';

export interface EngineMarker {
  readonly pid: number;
  readonly port: number;
  readonly startedAt: number;
  /** Address the bridge is bound to (absent means 127.0.0.1). */
  readonly host?: string;
}

export class EngineLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
  ) {
    super(`Another Tradeport engine${ownerPid > 0 ? ` (pid ${ownerPid})` : ''} is already using ${dataDir}. Stop it, or use a different --data-dir.`);
    this.name = 'EngineLockedError';
  }
}

export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else; still a live owner.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface EngineLock {
  readonly file: string;
  release(): void;
}

export function acquireEngineLock(dataDir: string, pid: number = process.pid): EngineLock {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, LOCK_FILE);
  const held = holdOsLock(path.join(dataDir, OS_LOCK_FILE), pid);
  if (!held) throw new EngineLockedError(dataDir, readLockPid(file) ?? 0);
  writeFileAtomic(file, JSON.stringify({ pid, dataDir, startedAt: Date.now() }), 0o600);
  let released = false;
  return {
    file,
    release() {
      if (released) return;
      released = true;
      if (readLockPid(file) === pid) fs.rmSync(file, { force: true });
      held.close();
    },
  };
}

/** Opens the lock file and takes SQLite's exclusive lock on it, kept until close(); undefined when another process holds it. */
function holdOsLock(file: string, pid: number): Database.Database | undefined {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { timeout: 0 });
    // EXCLUSIVE locking mode: once written, the lock is never given back until the connection closes.
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('CREATE TABLE IF NOT EXISTS owner (pid INTEGER NOT NULL, since INTEGER NOT NULL)');
    db.exec('DELETE FROM owner');
    db.prepare('INSERT INTO owner (pid, since) VALUES (?, ?)').run(pid, Date.now());
    db.exec('COMMIT');
    return db;
  } catch (e) {
    db?.close();
    const code = String((e as { code?: unknown }).code ?? '');
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return undefined;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      // Deleting it here could race a second engine that just recreated and locked it: the trader does it.
      throw new Error(`${file} is not a lock file Tradeport wrote (damaged or replaced). Make sure no Tradeport is running, delete it, and start again.`);
    }
    throw e;
  }
}

function readLockPid(file: string): number | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: unknown };
    return typeof parsed.pid === 'number' ? parsed.pid : undefined;
  } catch {
    return undefined;
  }
}

export function writeMarker(dataDir: string, marker: EngineMarker): string {
  const file = path.join(dataDir, MARKER_FILE);
  writeFileAtomic(file, JSON.stringify(marker, null, 2) + '\n', 0o600);
  return file;
}

/** Removes the marker only if it still describes this process (a newer engine may own it). */
export function removeMarker(dataDir: string, pid: number = process.pid): void {
  const file = path.join(dataDir, MARKER_FILE);
  const current = readMarker(dataDir);
  if (current && current.pid !== pid) return;
  fs.rmSync(file, { force: true });
}

export function readMarker(dataDir: string): EngineMarker | undefined {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dataDir, MARKER_FILE), 'utf8')) as Partial<EngineMarker>;
    if (typeof m.pid !== 'number' || typeof m.port !== 'number' || typeof m.startedAt !== 'number') return undefined;
    return { pid: m.pid, port: m.port, startedAt: m.startedAt, ...(typeof m.host === 'string' ? { host: m.host } : {}) };
  } catch {
    return undefined;
  }
}

/** The marker of an engine that is still alive, or undefined (missing, unreadable or stale). */
export function liveMarker(dataDir: string): EngineMarker | undefined {
  const m = readMarker(dataDir);
  return m && isPidAlive(m.pid) ? m : undefined;
}

export function writeTokenFile(dataDir: string, token: string): string {
  const file = path.join(dataDir, TOKEN_FILE);
  writeFileAtomic(file, token + '\n', 0o600);
  return file;
}

export function readTokenFile(dataDir: string): string | undefined {
  try {
    const t = fs.readFileSync(path.join(dataDir, TOKEN_FILE), 'utf8').trim();
    return t || undefined;
  } catch {
    return undefined;
  }
}

// Write-then-rename so a reader never sees half a file, and the mode is set before any byte lands.
function writeFileAtomic(file: string, data: string, mode: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data, { mode });
  fs.chmodSync(tmp, mode);
  fs.renameSync(tmp, file);
}
