/**
 * Replace a file so that a crash or a full disk leaves either the old content or the new, never a
 * torn mix: write a temp file beside it, fsync it, rename it over the target, fsync the folder
 * (the rename itself is only durable once the directory entry is on disk).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface AtomicWriteHooks {
  /** Runs after the temp file is durable and before the rename: a test makes it throw to stand for a crash there. */
  readonly beforeRename?: (tempFile: string) => void;
}

export function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600, hooks: AtomicWriteHooks = {}): void {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = fs.openSync(temp, 'wx', mode);
  try {
    try {
      // The umask can only narrow the mode; fchmod makes it exactly `mode` either way.
      fs.fchmodSync(fd, mode);
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    hooks.beforeRename?.(temp);
    fs.renameSync(temp, file);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
  fsyncDir(dir);
}

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some platforms (Windows) cannot open or fsync a directory; the rename is still atomic there.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
