/**
 * The Paper venue's own persistence: what the simulated exchange knows (its orders, fills,
 * cash and positions), kept apart from the engine's journal so that reconciling against Paper is
 * as real as reconciling against any other venue. It is the SQLite adapter the simulator
 * (sim/sim-store.ts) is given; the SHADOW route uses it too, under the venue key `shadow:<venue>`.
 */
import type { Db } from '../../store/db';
import { ensurePaperSchema } from './paper-migrations';
import type { OrderStatus, Side, OrderType, TimeInForce } from '../../domain/order';
import type { SimFillRow, SimOrderRow, SimPositionRow, SimStore } from '../../sim/sim-store';

type Raw = Record<string, unknown>;

const orderFromRow = (r: Raw): SimOrderRow => ({
  venueOrderId: r.venue_order_id as string,
  clientOrderId: r.client_order_id as string,
  instrumentId: r.instrument_id as string,
  side: r.side as Side,
  type: r.type as OrderType,
  qty: r.qty as string,
  limitPrice: (r.limit_price as string | null) ?? null,
  stopPrice: (r.stop_price as string | null) ?? null,
  tif: r.tif as TimeInForce,
  status: r.status as OrderStatus,
  filledQty: r.filled_qty as string,
  avgFillPrice: r.avg_fill_price as string,
  triggered: r.triggered === 1,
  expiresAt: (r.expires_at as number | null) ?? null,
  reason: (r.reason as string | null) ?? null,
  createdAt: r.created_at as number,
  updatedAt: r.updated_at as number,
  trailAmount: (r.trail_amount as string | null) ?? null,
  trailPercent: (r.trail_percent as string | null) ?? null,
  trailExtreme: (r.trail_extreme as string | null) ?? null,
  trailStop: (r.trail_stop as string | null) ?? null,
  ocaGroup: (r.oca_group as string | null) ?? null,
  parentId: (r.parent_id as string | null) ?? null,
  releasedQty: (r.released_qty as string | null) ?? null,
  exitedQty: (r.exited_qty as string | null) ?? null,
});

const fillFromRow = (r: Raw): SimFillRow => ({
  fillId: r.fill_id as string,
  venueOrderId: r.venue_order_id as string,
  clientOrderId: r.client_order_id as string,
  instrumentId: r.instrument_id as string,
  side: r.side as Side,
  qty: r.qty as string,
  price: r.price as string,
  fee: r.fee as string,
  feeCurrency: r.fee_currency as string,
  liquidity: r.liquidity as 'maker' | 'taker',
  ts: r.ts as number,
});

export class PaperStore implements SimStore {
  private readonly upsertOrderStmt;
  private readonly insertFillStmt;
  private readonly upsertBalanceStmt;
  private readonly upsertPositionStmt;
  private readonly deletePositionStmt;
  private readonly setStateStmt;

  constructor(
    private readonly db: Db,
    private readonly venue: string,
  ) {
    ensurePaperSchema(db);
    this.upsertOrderStmt = db.prepare(
      `INSERT INTO paper_orders (venue, venue_order_id, client_order_id, instrument_id, side, type, qty, limit_price, stop_price, tif, status, filled_qty, avg_fill_price, triggered, expires_at, reason, created_at, updated_at,
         trail_amount, trail_percent, trail_extreme, trail_stop, oca_group, parent_id, released_qty, exited_qty)
       VALUES (@venue, @venueOrderId, @clientOrderId, @instrumentId, @side, @type, @qty, @limitPrice, @stopPrice, @tif, @status, @filledQty, @avgFillPrice, @triggered, @expiresAt, @reason, @createdAt, @updatedAt,
         @trailAmount, @trailPercent, @trailExtreme, @trailStop, @ocaGroup, @parentId, @releasedQty, @exitedQty)
       ON CONFLICT(venue, venue_order_id) DO UPDATE SET status=excluded.status, filled_qty=excluded.filled_qty, avg_fill_price=excluded.avg_fill_price,
         triggered=excluded.triggered, expires_at=excluded.expires_at, reason=excluded.reason, updated_at=excluded.updated_at,
         qty=excluded.qty, limit_price=excluded.limit_price, stop_price=excluded.stop_price, created_at=excluded.created_at,
         trail_extreme=excluded.trail_extreme, trail_stop=excluded.trail_stop, released_qty=excluded.released_qty, exited_qty=excluded.exited_qty`,
    );
    this.insertFillStmt = db.prepare(
      `INSERT OR IGNORE INTO paper_fills (venue, fill_id, venue_order_id, client_order_id, instrument_id, side, qty, price, fee, fee_currency, liquidity, ts)
       VALUES (@venue, @fillId, @venueOrderId, @clientOrderId, @instrumentId, @side, @qty, @price, @fee, @feeCurrency, @liquidity, @ts)`,
    );
    this.upsertBalanceStmt = db.prepare('INSERT INTO paper_balances (venue, asset, total) VALUES (?, ?, ?) ON CONFLICT(venue, asset) DO UPDATE SET total = excluded.total');
    this.upsertPositionStmt = db.prepare(
      `INSERT INTO paper_positions (venue, instrument_id, qty, avg_price, realized_pnl) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(venue, instrument_id) DO UPDATE SET qty = excluded.qty, avg_price = excluded.avg_price, realized_pnl = excluded.realized_pnl`,
    );
    this.deletePositionStmt = db.prepare('DELETE FROM paper_positions WHERE venue = ? AND instrument_id = ?');
    this.setStateStmt = db.prepare('INSERT INTO paper_state (venue, key, value) VALUES (?, ?, ?) ON CONFLICT(venue, key) DO UPDATE SET value = excluded.value');
  }

  /** Told of every order row written (the connector's running reservation totals follow it). */
  onOrderSaved: (o: SimOrderRow) => void = () => undefined;
  /** A transaction rolled back: whatever followed its writes must be rebuilt from the tables. */
  onRollback: () => void = () => undefined;

  transaction<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn)();
    } catch (err) {
      this.onRollback();
      throw err;
    }
  }

  saveOrder(o: SimOrderRow): void {
    this.upsertOrderStmt.run({ ...o, venue: this.venue, triggered: o.triggered ? 1 : 0 });
    this.onOrderSaved(o);
  }
  orderByVenueId(id: string): SimOrderRow | undefined {
    const r = this.db.prepare('SELECT * FROM paper_orders WHERE venue = ? AND venue_order_id = ?').get(this.venue, id) as Raw | undefined;
    return r ? orderFromRow(r) : undefined;
  }
  orderByClientId(id: string): SimOrderRow | undefined {
    const r = this.db.prepare('SELECT * FROM paper_orders WHERE venue = ? AND client_order_id = ?').get(this.venue, id) as Raw | undefined;
    return r ? orderFromRow(r) : undefined;
  }
  openOrders(): SimOrderRow[] {
    return (this.db.prepare(`SELECT * FROM paper_orders WHERE venue = ? AND status IN ('accepted','partially_filled') ORDER BY created_at`).all(this.venue) as Raw[]).map(orderFromRow);
  }

  insertFill(f: SimFillRow): boolean {
    return this.insertFillStmt.run({ ...f, venue: this.venue }).changes === 1;
  }
  fillsSince(ts: number): SimFillRow[] {
    return (this.db.prepare('SELECT * FROM paper_fills WHERE venue = ? AND ts >= ? ORDER BY ts, rowid').all(this.venue, ts) as Raw[]).map(fillFromRow);
  }

  balances(): Map<string, string> {
    const rows = this.db.prepare('SELECT asset, total FROM paper_balances WHERE venue = ?').all(this.venue) as Array<{ asset: string; total: string }>;
    return new Map(rows.map((r) => [r.asset, r.total]));
  }
  saveBalance(asset: string, total: string): void {
    this.upsertBalanceStmt.run(this.venue, asset, total);
  }

  positions(): Map<string, SimPositionRow> {
    const rows = this.db.prepare('SELECT instrument_id, qty, avg_price, realized_pnl FROM paper_positions WHERE venue = ?').all(this.venue) as Array<Record<string, string>>;
    return new Map(rows.map((r) => [r.instrument_id!, { instrumentId: r.instrument_id!, qty: r.qty!, avgPrice: r.avg_price!, realizedPnl: r.realized_pnl! }]));
  }
  savePosition(p: SimPositionRow): void {
    this.upsertPositionStmt.run(this.venue, p.instrumentId, p.qty, p.avgPrice, p.realizedPnl);
  }
  deletePosition(instrumentId: string): void {
    this.deletePositionStmt.run(this.venue, instrumentId);
  }

  getState<T>(key: string): T | undefined {
    const r = this.db.prepare('SELECT value FROM paper_state WHERE venue = ? AND key = ?').get(this.venue, key) as { value: string } | undefined;
    return r ? (JSON.parse(r.value) as T) : undefined;
  }
  setState(key: string, value: unknown): void {
    this.setStateStmt.run(this.venue, key, JSON.stringify(value));
  }
}
