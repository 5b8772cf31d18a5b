/**
 * A data dir whose disk can be filled and freed. As root (CI, this machine) it is a 2 MB tmpfs
 * filled with a filler file, a real ENOSPC; where mount is not permitted, the failure is injected at
 * the store port instead: every writing SQLite statement fails with SQLITE_FULL, as SQLite reports a
 * full disk. Either way the test runs — it never skips.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';

export interface FullableDisk {
  readonly dir: string;
  readonly mode: 'tmpfs' | 'injected';
  fill(): void;
  free(): void;
  dispose(): void;
}

/** `injected` forces the store-port injection (so both ways are exercised where mount works). */
export function fullableDisk(prefer: 'tmpfs' | 'injected' = 'tmpfs'): FullableDisk {
  const mnt = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-fulldisk-'));
  if (prefer === 'injected') return injectedDisk(mnt);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mnt], { stdio: 'ignore' });
    return tmpfsDisk(mnt);
  } catch {
    return injectedDisk(mnt);
  }
}

function tmpfsDisk(mnt: string): FullableDisk {
  const dir = path.join(mnt, 'data');
  const filler = path.join(mnt, 'filler');
  return {
    dir,
    mode: 'tmpfs',
    fill() {
      const fd = fs.openSync(filler, 'a');
      const chunk = Buffer.alloc(4096, 1);
      try {
        for (;;) fs.writeSync(fd, chunk);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
      } finally {
        fs.closeSync(fd);
      }
    },
    free() {
      fs.rmSync(filler, { force: true });
    },
    dispose() {
      try {
        execFileSync('umount', [mnt], { stdio: 'ignore' });
      } finally {
        fs.rmSync(mnt, { recursive: true, force: true });
      }
    },
  };
}

type Run = (...args: unknown[]) => unknown;

function injectedDisk(dir: string): FullableDisk {
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as { run: Run };
  probe.close();
  const original = proto.run;
  const full = () => Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
  return {
    dir,
    mode: 'injected',
    fill() {
      proto.run = function (this: { reader: boolean }, ...args: unknown[]) {
        if (!this.reader) throw full();
        return original.apply(this, args);
      };
    },
    free() {
      proto.run = original;
    },
    dispose() {
      proto.run = original;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
