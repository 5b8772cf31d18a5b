/**
 * Orders/s journaled with synchronous=FULL (WAL, one order per transaction, through the store's
 * own openDatabase and migrations), against the raw write+fsync rate of the same disk measured in
 * the same round. Journal-before-send means this is the ceiling on order submits per second.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../src-main/engine/store/db';

const SECONDS = 1;

function fsyncRate(dir: string): number {
  const file = path.join(dir, 'fsync.bin');
  const fd = fs.openSync(file, 'w');
  const rec = Buffer.alloc(256, 7);
  let n = 0;
  const end = performance.now() + SECONDS * 1000;
  try {
    while (performance.now() < end) {
      fs.writeSync(fd, rec);
      fs.fsyncSync(fd);
      n++;
    }
  } finally {
    fs.closeSync(fd);
  }
  return n / SECONDS;
}

function journalRate(dir: string, round: number): number {
  const db = openDatabase(path.join(dir, `journal-${round}.db`));
  if (db.pragma('synchronous', { simple: true }) !== 2) throw new Error('expected synchronous=FULL');
  if (db.pragma('journal_mode', { simple: true }) !== 'wal') throw new Error('expected WAL');
  const insert =
    db.prepare(`INSERT INTO orders (id, client_order_id, venue_order_id, venue, instrument_id, symbol, side, type, qty, limit_price, stop_price, tif, status, filled_qty, avg_fill_price, fees, reject_reason, source, route, created_at, updated_at)
    VALUES (@id, @cid, NULL, 'binance', 'binance:BTCUSDT', 'BTC/USDT', 'buy', 'limit', @qty, @price, NULL, 'gtc', 'pending_submit', '0', '0', '0', NULL, 'ui', 'live', @ts, @ts)`);
  const tx = db.transaction((i: number) => {
    insert.run({ id: `o-${i}`, cid: `tp-bench-${i.toString(36)}`, qty: '0.00125', price: `${30000 + (i % 100)}.25`, ts: Date.now() });
  });
  let n = 0;
  const end = performance.now() + SECONDS * 1000;
  while (performance.now() < end) tx(n++);
  db.close();
  return n / SECONDS;
}

/** A temp dir beside the repo, i.e. on the disk a data dir would use; /tmp can be tmpfs on some systems. */
function inTempDir<T>(fn: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(__dirname, '.journal-'));
  try {
    return fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Each case runs in its own process, the two interleaved round by round (bench/run.ts): a shared
// virtual disk's fsync rate drifts over seconds, so each journal figure is compared with the
// fsync rate measured right beside it.
export const cases: Record<string, () => Promise<{ per_s: number }>> = {
  journal: async () => inTempDir((dir) => ({ per_s: Math.round(journalRate(dir, 0)) })),
  fsync: async () => inTempDir((dir) => ({ per_s: Math.round(fsyncRate(dir)) })),
};
