/**
 * The lot ledger's full rebuild from 100,000 fills (3 venues × 20 symbols, buys and sells, fees),
 * against reading those same fills from SQLite alone, each case in its own process. The rebuild
 * includes its own read (it is what the engine runs at start), so the ratio read ÷ rebuild is
 * ≥ 0.5 exactly when the ledger's work costs no more than the read. CPU time is compared; wall
 * time is reported beside it. The wash-sale pass (run once per change, on first view) is
 * reported apart.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Instrument } from '../src-main/engine/domain/instrument';
import { LotLedger } from '../src-main/engine/portfolio/ledger-service';
import { openDatabase, type Db } from '../src-main/engine/store/db';
import { LedgerRepo } from '../src-main/engine/store/ledger-repo';
import { timePass } from './cpu-clock';

const FILLS = 100_000;
const VENUES = ['alpaca', 'ibkr', 'kraken'];
const SYMBOLS = Array.from({ length: 20 }, (_, i) => `S${String(i).padStart(2, '0')}`);

/** A deterministic PRNG (mulberry32), so every round and case reads the same fills. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seed(db: Db): void {
  const rnd = prng(17);
  const order = db.prepare(
    `INSERT INTO orders (id, client_order_id, venue, instrument_id, symbol, side, type, qty, tif, status, source, route, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'market', ?, 'day', 'filled', 'user', 'live', ?, ?)`,
  );
  const fill = db.prepare(
    `INSERT INTO fills (id, order_id, client_order_id, venue, venue_fill_id, instrument_id, symbol, side, qty, price, fee, fee_currency, liquidity, ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'USD', 'taker', ?)`,
  );
  const t0 = Date.UTC(2025, 0, 2, 15);
  db.transaction(() => {
    for (let i = 0; i < FILLS; i++) {
      const venue = VENUES[i % VENUES.length]!;
      const symbol = SYMBOLS[Math.floor(rnd() * SYMBOLS.length)]!;
      const side = rnd() < 0.52 ? 'buy' : 'sell';
      const qty = String(1 + Math.floor(rnd() * 50));
      const price = (50 + rnd() * 100).toFixed(2);
      const fee = (rnd() * 2).toFixed(2);
      const ts = t0 + i * 60_000;
      const id = `f${i}`;
      order.run(`o${i}`, `o${i}`, venue, `${venue}:${symbol}`, symbol, side, qty, ts, ts);
      fill.run(id, `o${i}`, `o${i}`, venue, id, `${venue}:${symbol}`, symbol, side, qty, price, fee, ts);
    }
  })();
}

/** The venues' instruments, looked up by id as a connector does (a map, built once). */
const instruments = new Map<string, Instrument>();
const instrument = (venue: string, id: string): Instrument => {
  const known = instruments.get(id);
  if (known) return known;
  const symbol = id.slice(venue.length + 1);
  const made: Instrument = {
    id,
    venue,
    venueSymbol: symbol,
    symbol,
    assetClass: 'equity',
    description: symbol,
    base: symbol,
    quote: 'USD',
    tickSize: '0.01',
    lotSize: '1',
    minQty: '1',
    minNotional: '0',
    multiplier: '1',
    fractional: false,
    session: 'us_equity',
  };
  instruments.set(id, made);
  return made;
};

/** A journal with the fills, on the disk a data dir would use, opened again for the measurement. */
async function withJournal<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(__dirname, '.ledger-'));
  try {
    const file = path.join(dir, 'tradeport.db');
    const first = openDatabase(file);
    new LedgerRepo(first);
    seed(first);
    first.close();
    const db = openDatabase(file);
    try {
      return await fn(db);
    } finally {
      db.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const cases: Record<string, () => Promise<Record<string, number>>> = {
  read: () =>
    withJournal(async (db) => {
      const repo = new LedgerRepo(db);
      let n = 0;
      const t = await timePass(() => (n = repo.fills().length));
      if (n !== FILLS) throw new Error(`read ${n} fills, expected ${FILLS}`);
      return { cpu_ms: t.cpuNs / 1e6, wall_ms: t.wallNs / 1e6 };
    }),
  rebuild: () =>
    withJournal(async (db) => {
      const ledger = new LotLedger({ repo: new LedgerRepo(db), instrument });
      const t = await timePass(() => ledger.rebuild());
      let wash = 0;
      const w = await timePass(() => (wash = ledger.view().wash.length));
      return { cpu_ms: t.cpuNs / 1e6, wall_ms: t.wallNs / 1e6, wash_cpu_ms: w.cpuNs / 1e6, closes: ledger.view().state.closes.length, open_lots: ledger.openLots().length, wash_sales: wash };
    }),
};
