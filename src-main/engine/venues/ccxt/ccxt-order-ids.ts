/** Our client ids ⇄ the exchange's order ids and market symbols, per venue (table ccxt_orders). */
import type Database from 'better-sqlite3';

export class CcxtOrderIds {
  private readonly insert: Database.Statement;
  private readonly setId: Database.Statement;
  private readonly bySid: Database.Statement;
  private readonly byVid: Database.Statement;
  private readonly symbolsSince: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly venue: string,
    private readonly now: () => number,
  ) {
    this.insert = db.prepare('INSERT OR IGNORE INTO ccxt_orders (venue, client_id, symbol, created_at) VALUES (?, ?, ?, ?)');
    this.setId = db.prepare('UPDATE ccxt_orders SET venue_order_id = ? WHERE venue = ? AND client_id = ?');
    this.bySid = db.prepare('SELECT symbol, venue_order_id AS venueOrderId FROM ccxt_orders WHERE venue = ? AND client_id = ?');
    this.byVid = db.prepare('SELECT client_id AS cid FROM ccxt_orders WHERE venue = ? AND venue_order_id = ?');
    this.symbolsSince = db.prepare('SELECT DISTINCT symbol FROM ccxt_orders WHERE venue = ? AND created_at >= ?');
  }

  /** Before the order leaves: which market it goes to. */
  sending(cid: string, symbol: string): void {
    this.insert.run(this.venue, cid, symbol, this.now());
  }

  /** The exchange's id for our order, once an answer or a lookup gave it. */
  acked(cid: string, venueOrderId: string): void {
    this.setId.run(venueOrderId, this.venue, cid);
  }

  of(cid: string): { readonly symbol: string; readonly venueOrderId: string | null } | undefined {
    return this.bySid.get(this.venue, cid) as { symbol: string; venueOrderId: string | null } | undefined;
  }

  cidOf(venueOrderId: string): string | undefined {
    return (this.byVid.get(this.venue, venueOrderId) as { cid: string } | undefined)?.cid;
  }

  /** Markets we sent orders to since `ts` (where fills can be). */
  symbols(sinceTs = 0): string[] {
    return (this.symbolsSince.all(this.venue, sinceTs) as { symbol: string }[]).map((r) => r.symbol);
  }
}
