/**
 * Which Binance symbol each client id we sent (ours, or a replacement's `.rN`) was sent on, written BEFORE the order is sent (so
 * a lookup after a lost answer or a restart knows where to ask) and read back on start.
 */
import type Database from 'better-sqlite3';
import { ensureBinanceSchema } from './binance-migrations';

export class BinanceOrderSymbols {
  private readonly bySid = new Map<string, string>();
  private readonly q;

  constructor(
    db: Database.Database,
    private readonly venue: string,
    private readonly now: () => number,
  ) {
    ensureBinanceSchema(db);
    this.q = {
      all: db.prepare<[string], { client_id: string; symbol: string }>('SELECT client_id, symbol FROM binance_orders WHERE venue = ?'),
      put: db.prepare<[string, string, string, number]>('INSERT OR IGNORE INTO binance_orders (venue, client_id, symbol, created_at) VALUES (?, ?, ?, ?)'),
      del: db.prepare<[string, string]>('DELETE FROM binance_orders WHERE venue = ? AND client_id = ?'),
    };
    for (const r of this.q.all.all(venue)) this.bySid.set(r.client_id, r.symbol);
  }

  remember(clientId: string, symbol: string): void {
    if (this.bySid.get(clientId) === symbol) return;
    this.bySid.set(clientId, symbol);
    this.q.put.run(this.venue, clientId, symbol, this.now());
  }

  /** The venue client id now carrying our order: the latest `.rN` replacement we sent, else ours. */
  current(ourCid: string): string {
    let best = ourCid;
    let n = 0;
    for (const id of this.bySid.keys()) {
      const m = id.startsWith(`${ourCid}.r`) ? Number(id.slice(ourCid.length + 2)) : NaN;
      if (Number.isInteger(m) && m > n) {
        n = m;
        best = id;
      }
    }
    return best;
  }

  /** A replacement Binance certainly did not place. */
  forget(clientId: string): void {
    this.bySid.delete(clientId);
    this.q.del.run(this.venue, clientId);
  }

  symbolOf(clientId: string): string | undefined {
    return this.bySid.get(clientId);
  }

  /** Every symbol we have sent an order on. */
  symbols(): Set<string> {
    return new Set(this.bySid.values());
  }
}
