/**
 * One engine per data dir. Two engines on one SQLite file would each believe they own the order
 * journal and could both resubmit or reconcile the same order, so a second one must refuse to
 * start. The lock is a file created with O_EXCL holding the owner's pid; a lock whose pid is gone
 * (crash, kill -9) is stale and taken over.
 *
 * `engine.json` is the separate, public half: where the running engine's bridge listens, so the
 * CLI can talk to it instead of opening the data dir itself.
 */
import fs from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'engine.lock';
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
    super(`Another Tradeport engine (pid ${ownerPid}) is already using ${dataDir}. Stop it, or use a different --data-dir.`);
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
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx', 0o600);
      fs.writeSync(fd, JSON.stringify({ pid, startedAt: Date.now() }));
      fs.closeSync(fd);
      let released = false;
      return {
        file,
        release() {
          if (released) return;
          released = true;
          // Only remove a lock that is still ours (a stale-lock takeover may have replaced it).
          if (readLockPid(file) === pid) fs.rmSync(file, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = readLockPid(file);
      if (owner !== undefined && owner !== pid && isPidAlive(owner)) throw new EngineLockedError(dataDir, owner);
      if (owner === undefined && isFreshFile(file)) {
        // Created a moment ago by a starting engine that has not written its pid yet.
        throw new EngineLockedError(dataDir, 0);
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new EngineLockedError(dataDir, readLockPid(file) ?? 0);
}

function readLockPid(file: string): number | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: unknown };
    return typeof parsed.pid === 'number' ? parsed.pid : undefined;
  } catch {
    return undefined;
  }
}

function isFreshFile(file: string): boolean {
  try {
    return Date.now() - fs.statSync(file).mtimeMs < 2000;
  } catch {
    return false;
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
