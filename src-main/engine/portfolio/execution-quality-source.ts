/**
 * Reads what `executionQuality` needs from the journal in three queries: the orders created since
 * a time (optionally one venue's), their transitions in order, and their fills.
 */
import type { Actor, OrderStatus, Side } from '../domain/order';
import type { Db } from '../store/db';
import type { TwinsRepo } from '../store/twins-repo';
import type { QualityOrder } from './execution-quality';

export interface QualityQuery {
  readonly sinceTs: number;
  readonly venue?: string;
  /** Most recent orders kept when more match (the report says how many it read). */
  readonly limit: number;
}

interface OrderRow {
  id: string;
  client_order_id: string;
  symbol: string;
  status: OrderStatus;
  venue: string;
  source: Actor | 'external';
  side: Side;
  qty: string;
  notional: string | null;
  created_at: number;
}

/** With `twins`, each order that has a CANARY SHADOW twin carries its outcome. */
export function loadQualityOrders(db: Db, q: QualityQuery, twins?: Pick<TwinsRepo, 'outcomes'>): QualityOrder[] {
  // External orders (placed elsewhere, found at the venue) have no submit time of ours to measure from.
  const where = ['created_at >= ?', "source <> 'external'", ...(q.venue ? ['venue = ?'] : [])];
  const args: unknown[] = [q.sinceTs, ...(q.venue ? [q.venue] : []), q.limit];
  const orders = db
    .prepare(`SELECT id, client_order_id, symbol, status, venue, source, side, qty, notional, created_at FROM orders WHERE ${where.join(' AND ')} ORDER BY created_at DESC LIMIT ?`)
    .all(...args) as OrderRow[];
  if (orders.length === 0) return [];
  const ids = orders.map((o) => o.id);
  const transitions = new Map<string, Array<{ to: OrderStatus; ts: number; raw?: unknown }>>();
  const fills = new Map<string, Array<{ qty: string; price: string; ts: number }>>();
  // SQLite caps bound parameters per statement; read in chunks.
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const marks = chunk.map(() => '?').join(',');
    const ts = db.prepare(`SELECT order_id, to_status, raw, ts FROM order_transitions WHERE order_id IN (${marks}) ORDER BY seq`).all(...chunk) as Array<{
      order_id: string;
      to_status: OrderStatus;
      raw: string | null;
      ts: number;
    }>;
    for (const t of ts) {
      let raw: unknown;
      try {
        raw = t.raw === null ? undefined : (JSON.parse(t.raw) as unknown);
      } catch {
        raw = undefined;
      }
      const list = transitions.get(t.order_id) ?? [];
      list.push({ to: t.to_status, ts: t.ts, ...(raw !== undefined ? { raw } : {}) });
      transitions.set(t.order_id, list);
    }
    const fs = db.prepare(`SELECT order_id, qty, price, ts FROM fills WHERE order_id IN (${marks}) ORDER BY ts, rowid`).all(...chunk) as Array<{
      order_id: string;
      qty: string;
      price: string;
      ts: number;
    }>;
    for (const f of fs) {
      const list = fills.get(f.order_id) ?? [];
      list.push({ qty: f.qty, price: f.price, ts: f.ts });
      fills.set(f.order_id, list);
    }
  }
  const twinOf = twins?.outcomes(ids) ?? new Map();
  return orders.reverse().map((o) => ({
    id: o.id,
    clientOrderId: o.client_order_id,
    symbol: o.symbol,
    status: o.status,
    ...(twinOf.has(o.id) ? { twin: twinOf.get(o.id)! } : {}),
    venue: o.venue,
    source: o.source,
    side: o.side,
    qty: o.qty,
    ...(o.notional !== null ? { notional: o.notional } : {}),
    createdAt: o.created_at,
    transitions: transitions.get(o.id) ?? [],
    fills: fills.get(o.id) ?? [],
  }));
}
