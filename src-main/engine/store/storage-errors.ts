/**
 * What a failed write to tradeport.db means for the trader. SQLite and the OS report a full disk,
 * a read-only file or a failing device as codes (SQLITE_FULL, ENOSPC, SQLITE_READONLY, EROFS…);
 * each becomes a TradeportError that says what happened and what to do, never `internal`.
 */
import { TradeportError } from '../api/errors';

export type StorageProblem = 'full' | 'read_only' | 'io';

/** The storage problem behind an error, or undefined when it is not one. */
export function storageProblemOf(err: unknown): StorageProblem | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const code = String((err as { code?: unknown }).code ?? '');
  const message = String((err as { message?: unknown }).message ?? '');
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT' || /database or disk is full/i.test(message)) return 'full';
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS' || /readonly database/i.test(message)) return 'read_only';
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN' || code === 'EIO') return 'io';
  return undefined;
}

export function isStorageError(err: unknown): boolean {
  return storageProblemOf(err) !== undefined;
}

export function storageMessage(problem: StorageProblem): string {
  switch (problem) {
    case 'full':
      return 'The disk is full: Tradeport could not write to its database. Free space on the disk that holds the data dir; new orders are refused until writes work again.';
    case 'read_only':
      return 'The database is read-only: Tradeport cannot write to tradeport.db. Check the permissions of the data dir and its files (or the mount), then restart Tradeport.';
    case 'io':
      return 'Tradeport could not read or write its database (a disk I/O error). Check the disk that holds the data dir.';
  }
}

/** The trader-facing error for a storage failure; undefined when `err` is something else. */
export function storageErrorOf(err: unknown): TradeportError | undefined {
  const p = storageProblemOf(err);
  if (!p) return undefined;
  const code = p === 'full' ? 'disk_full' : p === 'read_only' ? 'storage_read_only' : 'storage_failed';
  return new TradeportError(code, storageMessage(p));
}
