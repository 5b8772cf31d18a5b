/**
 * Counts the transactions committed to a WAL-mode SQLite file, by reading its write-ahead log: a
 * commit appends frames, the last of which carries the database size (a non-zero field at bytes
 * 4–7 of its frame header); frames whose salts differ from the log header's are stale leftovers.
 * Each commit is one fsync under synchronous=FULL. Turn automatic checkpoints off on the writing
 * connection first (`wal_autocheckpoint = 0`), or a checkpoint may restart the log between reads.
 */
import fs from 'node:fs';

export function walCommits(dbFile: string): number {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(`${dbFile}-wal`);
  } catch {
    return 0;
  }
  if (buf.length < 32) return 0;
  const pageSize = buf.readUInt32BE(8);
  const salt1 = buf.readUInt32BE(16);
  const salt2 = buf.readUInt32BE(20);
  let commits = 0;
  for (let at = 32; at + 24 + pageSize <= buf.length; at += 24 + pageSize) {
    if (buf.readUInt32BE(at + 8) !== salt1 || buf.readUInt32BE(at + 12) !== salt2) break;
    if (buf.readUInt32BE(at + 4) !== 0) commits++;
  }
  return commits;
}
