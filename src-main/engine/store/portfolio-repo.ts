/** The latest positions and balances each venue reported (the local view the reconciler checks). */
import type { Balance, Position } from '../domain/order';
import type { Db } from './db';

export class PortfolioRepo {
  private readonly upsertPositionStmt;
  private readonly deletePositionStmt;
  private readonly upsertBalanceStmt;
  constructor(private readonly db: Db) {
    this.upsertPositionStmt = db.prepare(
      `INSERT INTO positions (venue, instrument_id, symbol, qty, avg_price, realized_pnl, liquidation_price, leverage, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(venue, instrument_id) DO UPDATE SET symbol=excluded.symbol, qty=excluded.qty, avg_price=excluded.avg_price, realized_pnl=excluded.realized_pnl,
         liquidation_price=excluded.liquidation_price, leverage=excluded.leverage, updated_at=excluded.updated_at`,
    );
    this.deletePositionStmt = db.prepare('DELETE FROM positions WHERE venue = ? AND instrument_id = ?');
    this.upsertBalanceStmt = db.prepare(
      `INSERT INTO balances (venue, asset, total, available, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(venue, asset) DO UPDATE SET total=excluded.total, available=excluded.available, updated_at=excluded.updated_at`,
    );
  }
  upsertPosition(p: Position, ts: number): void {
    this.upsertPositionStmt.run(p.venue, p.instrumentId, p.symbol, p.qty, p.avgPrice, p.realizedPnl, p.liquidationPrice ?? null, p.leverage ?? null, ts);
  }
  deletePosition(venue: string, instrumentId: string): void {
    this.deletePositionStmt.run(venue, instrumentId);
  }
  upsertBalance(b: Balance, ts: number): void {
    this.upsertBalanceStmt.run(b.venue, b.asset, b.total, b.available, ts);
  }
  positions(venue?: string): Position[] {
    const rows = (venue ? this.db.prepare('SELECT * FROM positions WHERE venue = ? ORDER BY symbol').all(venue) : this.db.prepare('SELECT * FROM positions ORDER BY venue, symbol').all()) as Array<{
      venue: string;
      instrument_id: string;
      symbol: string;
      qty: string;
      avg_price: string;
      realized_pnl: string;
      liquidation_price: string | null;
      leverage: string | null;
    }>;
    return rows.map((r) => ({
      venue: r.venue,
      instrumentId: r.instrument_id,
      symbol: r.symbol,
      qty: r.qty,
      avgPrice: r.avg_price,
      realizedPnl: r.realized_pnl,
      ...(r.liquidation_price !== null ? { liquidationPrice: r.liquidation_price } : {}),
      ...(r.leverage !== null ? { leverage: r.leverage } : {}),
    }));
  }
  balances(venue?: string): Balance[] {
    const rows = (venue ? this.db.prepare('SELECT * FROM balances WHERE venue = ? ORDER BY asset').all(venue) : this.db.prepare('SELECT * FROM balances ORDER BY venue, asset').all()) as Array<{
      venue: string;
      asset: string;
      total: string;
      available: string;
    }>;
    return rows.map((r) => ({ venue: r.venue, asset: r.asset, total: r.total, available: r.available }));
  }
  clearVenue(venue: string): void {
    this.db.prepare('DELETE FROM positions WHERE venue = ?').run(venue);
    this.db.prepare('DELETE FROM balances WHERE venue = ?').run(venue);
  }
}
