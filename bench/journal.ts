/**
 * Orders/s journaled with synchronous=FULL (WAL, one order per transaction, through the store's
 * own openDatabase and migrations), against the raw write+fsync rate of the same disk measured in
 * the same run. Journal-before-send means this is the ceiling on order submits per second.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../src-main/engine/store/db';

const SECONDS = 1;
const ROUNDS = 5;

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
  const insert = db.prepare(`INSERT INTO orders (id, client_order_id, venue_order_id, venue, instrument_id, symbol, side, type, qty, limit_price, stop_price, tif, status, filled_qty, avg_fill_price, fees, reject_reason, source, route, created_at, updated_at)
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

export async function run(log: (s: string) => void = console.error): Promise<Record<string, unknown>> {
  // Beside the repo, i.e. on the disk a data dir would use; /tmp can be tmpfs on some systems.
  const dir = fs.mkdtempSync(path.join(__dirname, '.journal-'));
  try {
    // Interleaved one-second rounds: a shared virtual disk's fsync rate drifts over seconds, so
    // each journal figure is compared with fsync measured right beside it.
    const f: number[] = [];
    const j: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      f.push(fsyncRate(dir));
      j.push(journalRate(dir, i));
    }
    f.push(fsyncRate(dir));
    const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const ours = med(j);
    const fsync = med(f);
    log(`journal: orders/s per round ${j.map((x) => x.toFixed(0)).join(', ')}; raw fsync/s ${f.map((x) => x.toFixed(0)).join(', ')} (medians compared)`);
    return { bench: 'journal', ours_per_s: Math.round(ours), fsync_per_s: Math.round(fsync), ratio_vs_fsync: Math.round((ours / fsync) * 100) / 100 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
