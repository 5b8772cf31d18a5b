/**
 * Rolling backups of the journal with SQLite's online backup API (consistent while the engine
 * writes): one at start and one every few hours, the newest few kept, in `<data dir>/backups`.
 * A failed backup (disk full) is reported, never fatal.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from './db';

export const BACKUP_DIR = 'backups';
const NAME = /^tradeport-(\d{8}T\d{6}(?:\d{3})?Z)\.db$/;

export interface BackupOptions {
  readonly db: Db;
  readonly dataDir: string;
  readonly now: () => number;
  /** Default 6 h; 0 disables the periodic backup (the start backup still runs). */
  readonly everyMs?: number;
  /** Backups kept (default 5). */
  readonly keep?: number;
  readonly onError: (err: unknown) => void;
}

/** Backups, newest first. */
export function listBackups(dataDir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(path.join(dataDir, BACKUP_DIR));
  } catch {
    return [];
  }
  return names
    .filter((n) => NAME.test(n))
    .sort()
    .reverse()
    .map((n) => path.join(dataDir, BACKUP_DIR, n));
}

export function latestBackup(dataDir: string): string | undefined {
  return listBackups(dataDir)[0];
}

export class BackupScheduler {
  private timer?: NodeJS.Timeout;
  private running?: Promise<string | undefined>;

  constructor(private readonly o: BackupOptions) {}

  start(): Promise<string | undefined> {
    const every = this.o.everyMs ?? 6 * 3600_000;
    if (every > 0) {
      this.timer = setInterval(() => void this.backupNow(), every);
      this.timer.unref?.();
    }
    return this.backupNow();
  }

  /** Writes one backup and prunes the oldest; resolves with its path, or undefined when it failed. */
  backupNow(): Promise<string | undefined> {
    if (this.running) return this.running;
    const run = this.write().finally(() => (this.running = undefined));
    this.running = run;
    return run;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async write(): Promise<string | undefined> {
    const dir = path.join(this.o.dataDir, BACKUP_DIR);
    const stamp = new Date(this.o.now()).toISOString().replace(/[-:]/g, '').replace('.', '');
    const file = path.join(dir, `tradeport-${stamp}.db`);
    const partial = `${file}.partial`;
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      fs.closeSync(fs.openSync(partial, 'w', 0o600));
      await this.o.db.backup(partial);
      fs.chmodSync(partial, 0o600);
      // Renamed only once complete, so a half-written backup is never offered for a restore.
      fs.renameSync(partial, file);
      this.prune();
      return file;
    } catch (err) {
      fs.rmSync(partial, { force: true });
      this.o.onError(err);
      return undefined;
    }
  }

  private prune(): void {
    for (const old of listBackups(this.o.dataDir).slice(this.o.keep ?? 5)) fs.rmSync(old, { force: true });
  }
}
