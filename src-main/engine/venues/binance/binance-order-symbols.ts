/**
 * Which Binance symbol each of our client ids was sent on, written BEFORE the order is sent (so
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
    };
    for (const r of this.q.all.all(venue)) this.bySid.set(r.client_id, r.symbol);
  }

  remember(clientId: string, symbol: string): void {
    if (this.bySid.get(clientId) === symbol) return;
    this.bySid.set(clientId, symbol);
    this.q.put.run(this.venue, clientId, symbol, this.now());
  }

  symbolOf(clientId: string): string | undefined {
    return this.bySid.get(clientId);
  }

  /** Every symbol we have sent an order on. */
  symbols(): Set<string> {
    return new Set(this.bySid.values());
  }
}
