/**
 * Our client ids ⇄ the exchange's order ids and market symbols, per venue: `ccxt_orders` (one row
 * per order of ours: its market and current exchange id) and `ccxt_order_ids` (every exchange id
 * it has had, so an id a replace left behind still names our order).
 */
import type Database from 'better-sqlite3';

export class CcxtOrderIds {
  private readonly insert: Database.Statement;
  private readonly setId: Database.Statement;
  private readonly addId: Database.Statement;
  private readonly retire: Database.Statement;
  private readonly bySid: Database.Statement;
  private readonly byVid: Database.Statement;
  private readonly symbolsSince: Database.Statement;
  private readonly moveTo: (cid: string, venueOrderId: string) => void;

  constructor(
    db: Database.Database,
    private readonly venue: string,
    private readonly now: () => number,
  ) {
    this.insert = db.prepare('INSERT OR IGNORE INTO ccxt_orders (venue, client_id, symbol, created_at) VALUES (?, ?, ?, ?)');
    this.setId = db.prepare('UPDATE ccxt_orders SET venue_order_id = ? WHERE venue = ? AND client_id = ?');
    this.addId = db.prepare('INSERT OR IGNORE INTO ccxt_order_ids (venue, venue_order_id, client_id) VALUES (?, ?, ?)');
    this.retire = db.prepare('UPDATE ccxt_order_ids SET replaced_at = ? WHERE venue = ? AND client_id = ? AND venue_order_id <> ? AND replaced_at IS NULL');
    this.bySid = db.prepare('SELECT symbol, venue_order_id AS venueOrderId FROM ccxt_orders WHERE venue = ? AND client_id = ?');
    this.byVid = db.prepare('SELECT client_id AS cid, replaced_at AS replacedAt FROM ccxt_order_ids WHERE venue = ? AND venue_order_id = ?');
    this.symbolsSince = db.prepare('SELECT DISTINCT symbol FROM ccxt_orders WHERE venue = ? AND created_at >= ?');
    this.moveTo = db.transaction((cid: string, venueOrderId: string) => {
      this.acked(cid, venueOrderId);
      this.retire.run(this.now(), this.venue, cid, venueOrderId);
    });
  }

  /** Before the order leaves: which market it goes to. */
  sending(cid: string, symbol: string): void {
    this.insert.run(this.venue, cid, symbol, this.now());
  }

  /** The exchange's id for our order, once an answer or a lookup gave it. */
  acked(cid: string, venueOrderId: string): void {
    this.setId.run(venueOrderId, this.venue, cid);
    this.addId.run(this.venue, venueOrderId, cid);
  }

  /** A replace gave our order a new exchange id: it is the current one, the earlier ids still name the order. */
  replaced(cid: string, venueOrderId: string): void {
    this.moveTo(cid, venueOrderId);
  }

  of(cid: string): { readonly symbol: string; readonly venueOrderId: string | null } | undefined {
    return this.bySid.get(this.venue, cid) as { symbol: string; venueOrderId: string | null } | undefined;
  }

  /** An exchange id our order has had: our client id, and whether a replace left it behind (its order is over; ours goes on under the new id). */
  byId(venueOrderId: string): { readonly cid: string; readonly superseded: boolean } | undefined {
    const r = this.byVid.get(this.venue, venueOrderId) as { cid: string; replacedAt: number | null } | undefined;
    return r && { cid: r.cid, superseded: r.replacedAt !== null };
  }

  /** Our client id for any exchange id our order has had. */
  cidOf(venueOrderId: string): string | undefined {
    return this.byId(venueOrderId)?.cid;
  }

  /** True for an exchange id a replace left behind. */
  superseded(venueOrderId: string): boolean {
    return this.byId(venueOrderId)?.superseded === true;
  }

  /** Markets we sent orders to since `ts` (where fills can be). */
  symbols(sinceTs = 0): string[] {
    return (this.symbolsSince.all(this.venue, sinceTs) as { symbol: string }[]).map((r) => r.symbol);
  }
}
