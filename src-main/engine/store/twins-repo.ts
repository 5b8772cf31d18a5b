/**
 * CANARY's SHADOW twins (oms/shadow-twins.ts), in their own tables (owned migrations, owner
 * "order-twins"): one row per live order a twin measures, and the twin's fills. Kept apart from
 * the journal's `orders` and `fills` on purpose: nothing that reads the journal (positions, P&L,
 * risk, buying power, the blotter, notifications, the kill switch) can ever see a twin.
 */
import type Database from 'better-sqlite3';
import type { OrderStatus } from '../domain/order';
import { applyOwnedMigrations, type OwnedMigration } from './owned-migrations';

const MIGRATIONS: readonly OwnedMigration[] = [
  {
    name: '001_order_twins',
    sql: `
CREATE TABLE order_twins (
  order_id        TEXT PRIMARY KEY,          -- the live order (orders.id) this twin measures
  venue           TEXT NOT NULL,
  twin_client_id  TEXT NOT NULL,
  status          TEXT NOT NULL,             -- the twin's simulated status
  qty             TEXT NOT NULL,
  limit_price     TEXT,
  stop_price      TEXT,
  reason          TEXT,                      -- why it ended, or why following the live order failed
  created_at      INTEGER NOT NULL,          -- the live order's arrival (its journaling)
  updated_at      INTEGER NOT NULL,
  UNIQUE (venue, twin_client_id)
);
CREATE TABLE order_twin_fills (
  order_id  TEXT NOT NULL,                   -- the live order
  fill_id   TEXT NOT NULL,                   -- the simulator's fill id: a replayed fill counts once
  qty       TEXT NOT NULL,
  price     TEXT NOT NULL,
  ts        INTEGER NOT NULL,
  PRIMARY KEY (order_id, fill_id)
);`,
  },
];

export interface TwinRecord {
  /** The live order's local id. */
  readonly orderId: string;
  readonly venue: string;
  readonly twinClientId: string;
  readonly status: OrderStatus;
  readonly qty: string;
  readonly limitPrice?: string;
  readonly stopPrice?: string;
  readonly reason?: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface TwinFill {
  readonly qty: string;
  readonly price: string;
  readonly ts: number;
}

/** A twin and its fills, as execution quality reads it. */
export interface TwinOutcome {
  readonly status: OrderStatus;
  readonly qty: string;
  readonly reason?: string;
  readonly fills: readonly TwinFill[];
}

interface Row {
  order_id: string;
  venue: string;
  twin_client_id: string;
  status: OrderStatus;
  qty: string;
  limit_price: string | null;
  stop_price: string | null;
  reason: string | null;
  created_at: number;
  updated_at: number;
}

const fromRow = (r: Row): TwinRecord => ({
  orderId: r.order_id,
  venue: r.venue,
  twinClientId: r.twin_client_id,
  status: r.status,
  qty: r.qty,
  ...(r.limit_price !== null ? { limitPrice: r.limit_price } : {}),
  ...(r.stop_price !== null ? { stopPrice: r.stop_price } : {}),
  ...(r.reason !== null ? { reason: r.reason } : {}),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export class TwinsRepo {
  constructor(private readonly db: Database.Database) {
    applyOwnedMigrations(db, 'order-twins', MIGRATIONS);
  }

  insert(t: TwinRecord): void {
    this.db
      .prepare(
        `INSERT INTO order_twins (order_id, venue, twin_client_id, status, qty, limit_price, stop_price, reason, created_at, updated_at)
         VALUES (@orderId, @venue, @twinClientId, @status, @qty, @limitPrice, @stopPrice, @reason, @createdAt, @updatedAt)`,
      )
      .run({ ...t, limitPrice: t.limitPrice ?? null, stopPrice: t.stopPrice ?? null, reason: t.reason ?? null });
  }

  byOrderId(orderId: string): TwinRecord | undefined {
    const r = this.db.prepare('SELECT * FROM order_twins WHERE order_id = ?').get(orderId) as Row | undefined;
    return r ? fromRow(r) : undefined;
  }

  byTwinClientId(venue: string, twinClientId: string): TwinRecord | undefined {
    const r = this.db.prepare('SELECT * FROM order_twins WHERE venue = ? AND twin_client_id = ?').get(venue, twinClientId) as Row | undefined;
    return r ? fromRow(r) : undefined;
  }

  /** Status, terms and reason; the fields not given keep their value. */
  update(orderId: string, ts: number, patch: { status?: OrderStatus; qty?: string; limitPrice?: string | null; stopPrice?: string | null; reason?: string }): void {
    const cur = this.byOrderId(orderId);
    if (!cur) return;
    this.db
      .prepare('UPDATE order_twins SET status = ?, qty = ?, limit_price = ?, stop_price = ?, reason = ?, updated_at = ? WHERE order_id = ?')
      .run(
        patch.status ?? cur.status,
        patch.qty ?? cur.qty,
        patch.limitPrice !== undefined ? patch.limitPrice : (cur.limitPrice ?? null),
        patch.stopPrice !== undefined ? patch.stopPrice : (cur.stopPrice ?? null),
        patch.reason ?? cur.reason ?? null,
        ts,
        orderId,
      );
  }

  /** Records a twin fill once; false when that fill id was recorded already. */
  addFill(orderId: string, fillId: string, f: TwinFill): boolean {
    return this.db.prepare('INSERT OR IGNORE INTO order_twin_fills (order_id, fill_id, qty, price, ts) VALUES (?, ?, ?, ?, ?)').run(orderId, fillId, f.qty, f.price, f.ts).changes === 1;
  }

  fills(orderId: string): TwinFill[] {
    return this.db.prepare('SELECT qty, price, ts FROM order_twin_fills WHERE order_id = ? ORDER BY ts, rowid').all(orderId) as TwinFill[];
  }

  /** The twins of these live orders, with their fills (orders without one are absent). */
  outcomes(orderIds: readonly string[]): Map<string, TwinOutcome> {
    const out = new Map<string, TwinOutcome>();
    // SQLite caps bound parameters per statement; read in chunks.
    for (let i = 0; i < orderIds.length; i += 500) {
      const chunk = orderIds.slice(i, i + 500);
      const marks = chunk.map(() => '?').join(',');
      const rows = this.db.prepare(`SELECT * FROM order_twins WHERE order_id IN (${marks})`).all(...chunk) as Row[];
      const fills = this.db.prepare(`SELECT order_id, qty, price, ts FROM order_twin_fills WHERE order_id IN (${marks}) ORDER BY ts, rowid`).all(...chunk) as Array<TwinFill & { order_id: string }>;
      const byOrder = new Map<string, TwinFill[]>();
      for (const f of fills) byOrder.set(f.order_id, [...(byOrder.get(f.order_id) ?? []), { qty: f.qty, price: f.price, ts: f.ts }]);
      for (const r of rows) out.set(r.order_id, { status: r.status, qty: r.qty, ...(r.reason !== null ? { reason: r.reason } : {}), fills: byOrder.get(r.order_id) ?? [] });
    }
    return out;
  }
}
