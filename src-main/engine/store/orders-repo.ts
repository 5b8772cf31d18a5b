/**
 * The order journal: orders, their state transitions and fills. Statements are prepared once;
 * each write that belongs together (order row + transition) runs in one transaction.
 */
import type { Actor, Fill, Order, OrderStatus } from '../domain/order';
import type Database from 'better-sqlite3';
import type { Db } from './db';
import { WorkingOrdersIndex, type WorkingStats } from './working-orders';

interface OrderRow {
  id: string;
  client_order_id: string;
  venue_order_id: string | null;
  venue: string;
  instrument_id: string;
  symbol: string;
  side: Order['side'];
  type: Order['type'];
  qty: string;
  limit_price: string | null;
  stop_price: string | null;
  tif: Order['tif'];
  status: OrderStatus;
  filled_qty: string;
  avg_fill_price: string;
  fees: string;
  reject_reason: string | null;
  source: Order['source'];
  route: string;
  created_at: number;
  updated_at: number;
  replace_request: string | null;
  trail_amount: string | null;
  trail_percent: string | null;
  extended_hours: number;
  oca_group: string | null;
  parent_order_id: string | null;
  leg: string | null;
  trail_stop: string | null;
  /** Migration 008 (absent before it ran: read as not set). */
  expire_at?: number | null;
  post_only?: number;
  reduce_only?: number;
  notional?: string | null;
  /** Migration 010: a multi-leg order's legs as JSON (absent before it ran). */
  legs?: string | null;
}

/** A replace (modify) in flight: what was asked, and the working state to return to if refused. */
export interface ReplaceRequest {
  readonly qty?: string;
  readonly limitPrice?: string;
  readonly stopPrice?: string;
  readonly from: 'accepted' | 'partially_filled';
  readonly ts: number;
}

export interface StoredOrder extends Order {
  readonly route: 'paper' | 'shadow' | 'live';
  /** Set while a replace is in flight (status pending_replace, or unknown outcome being looked up). */
  replaceRequest?: ReplaceRequest;
}

export interface TransitionRecord {
  readonly orderId: string;
  readonly from: OrderStatus | null;
  readonly to: OrderStatus;
  readonly accepted: boolean;
  readonly source: Actor | 'external';
  readonly reason?: string;
  readonly raw?: unknown;
  readonly ts: number;
}

function toOrder(r: OrderRow): StoredOrder {
  const o: StoredOrder = {
    id: r.id,
    clientOrderId: r.client_order_id,
    venue: r.venue,
    instrumentId: r.instrument_id,
    symbol: r.symbol,
    side: r.side,
    type: r.type,
    qty: r.qty,
    tif: r.tif,
    status: r.status,
    filledQty: r.filled_qty,
    avgFillPrice: r.avg_fill_price,
    fees: r.fees,
    source: r.source,
    route: r.route as StoredOrder['route'],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
  if (r.venue_order_id !== null) o.venueOrderId = r.venue_order_id;
  if (r.limit_price !== null) (o as { limitPrice?: string }).limitPrice = r.limit_price;
  if (r.stop_price !== null) (o as { stopPrice?: string }).stopPrice = r.stop_price;
  if (r.reject_reason !== null) o.rejectReason = r.reject_reason;
  if (r.replace_request) o.replaceRequest = JSON.parse(r.replace_request) as ReplaceRequest;
  // Advanced-order terms (migration 005): only present keys are set, so plain orders look as before.
  const x = o as { -readonly [K in keyof Order]?: Order[K] };
  if (r.trail_amount !== null) x.trailAmount = r.trail_amount;
  if (r.trail_percent !== null) x.trailPercent = r.trail_percent;
  if (r.extended_hours === 1) x.extendedHours = true;
  if (r.oca_group !== null) x.ocaGroup = r.oca_group;
  if (r.parent_order_id !== null) x.parentOrderId = r.parent_order_id;
  if (r.leg !== null) x.leg = r.leg as NonNullable<Order['leg']>;
  if (r.trail_stop !== null) o.trailStop = r.trail_stop;
  if (r.expire_at !== null && r.expire_at !== undefined) x.expireAt = r.expire_at;
  if (r.post_only === 1) x.postOnly = true;
  if (r.reduce_only === 1) x.reduceOnly = true;
  if (r.notional !== null && r.notional !== undefined) x.notional = r.notional;
  if (r.legs) x.legs = JSON.parse(r.legs) as NonNullable<Order['legs']>;
  return o;
}

interface FillRow {
  id: string;
  order_id: string;
  client_order_id: string;
  venue: string;
  venue_fill_id: string;
  instrument_id: string;
  symbol: string;
  side: Fill['side'];
  qty: string;
  price: string;
  fee: string;
  fee_currency: string;
  liquidity: Fill['liquidity'];
  ts: number;
}

function toFill(r: FillRow): Fill {
  return {
    id: r.id,
    orderId: r.order_id,
    clientOrderId: r.client_order_id,
    venue: r.venue,
    venueFillId: r.venue_fill_id,
    instrumentId: r.instrument_id,
    symbol: r.symbol,
    side: r.side,
    qty: r.qty,
    price: r.price,
    fee: r.fee,
    feeCurrency: r.fee_currency,
    liquidity: r.liquidity,
    ts: r.ts,
  };
}

export class OrdersRepo {
  private readonly insertOrderStmt;
  private readonly updateOrderStmt;
  private readonly insertTransitionStmt;
  /** The order's terms (a replace changes them) and its in-flight replace request. */
  private readonly updateTermsStmt;
  private readonly insertFillStmt;
  private readonly byIdStmt;
  private readonly byClientIdStmt;
  private readonly byVenueOrderIdStmt;

  constructor(private readonly db: Db) {
    this.insertOrderStmt = db.prepare(
      `INSERT INTO orders (id, client_order_id, venue_order_id, venue, instrument_id, symbol, side, type, qty, limit_price, stop_price, tif, status, filled_qty, avg_fill_price, fees, reject_reason, source, route, created_at, updated_at)
       VALUES (@id, @clientOrderId, @venueOrderId, @venue, @instrumentId, @symbol, @side, @type, @qty, @limitPrice, @stopPrice, @tif, @status, @filledQty, @avgFillPrice, @fees, @rejectReason, @source, @route, @createdAt, @updatedAt)`,
    );
    this.updateOrderStmt = db.prepare(
      `UPDATE orders SET venue_order_id=@venueOrderId, status=@status, filled_qty=@filledQty, avg_fill_price=@avgFillPrice, fees=@fees, reject_reason=@rejectReason, updated_at=@updatedAt WHERE id=@id`,
    );
    this.updateTermsStmt = db.prepare(`UPDATE orders SET qty=@qty, limit_price=@limitPrice, stop_price=@stopPrice, trail_stop=@trailStop, replace_request=@replaceRequest WHERE id=@id`);
    this.insertTransitionStmt = db.prepare(`INSERT INTO order_transitions (order_id, from_status, to_status, accepted, source, reason, raw, ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    this.insertFillStmt = db.prepare(
      `INSERT OR IGNORE INTO fills (id, order_id, client_order_id, venue, venue_fill_id, instrument_id, symbol, side, qty, price, fee, fee_currency, liquidity, ts)
       VALUES (@id, @orderId, @clientOrderId, @venue, @venueFillId, @instrumentId, @symbol, @side, @qty, @price, @fee, @feeCurrency, @liquidity, @ts)`,
    );
    this.byIdStmt = db.prepare<[string], OrderRow>('SELECT * FROM orders WHERE id = ?');
    this.byClientIdStmt = db.prepare<[string], OrderRow>('SELECT * FROM orders WHERE client_order_id = ?');
    this.byVenueOrderIdStmt = db.prepare<[string, string], OrderRow>('SELECT * FROM orders WHERE venue = ? AND venue_order_id = ?');
  }

  private params(o: StoredOrder) {
    return {
      ...o,
      venueOrderId: o.venueOrderId ?? null,
      limitPrice: o.limitPrice ?? null,
      stopPrice: o.stopPrice ?? null,
      rejectReason: o.rejectReason ?? null,
    };
  }

  private workingIndex: WorkingOrdersIndex | undefined;

  /** Working orders as counts and open quantities (loaded once, then kept up to date by every write here). */
  private get working(): WorkingOrdersIndex {
    if (!this.workingIndex) {
      const idx = new WorkingOrdersIndex();
      const rows = this.db.prepare(`SELECT id, venue, instrument_id, side, qty, filled_qty, status FROM orders WHERE status NOT IN ${FINAL_STATUSES}`).all() as Array<{
        id: string;
        venue: string;
        instrument_id: string;
        side: StoredOrder['side'];
        qty: string;
        filled_qty: string;
        status: StoredOrder['status'];
      }>;
      for (const r of rows) idx.apply({ id: r.id, venue: r.venue, instrumentId: r.instrument_id, side: r.side, qty: r.qty, filledQty: r.filled_qty, status: r.status });
      this.workingIndex = idx;
    }
    return this.workingIndex;
  }

  /** Drops the working-order index (a rolled-back transaction wrote what it holds); the next read loads it again. */
  forgetWorking(): void {
    this.workingIndex = undefined;
  }

  /** How many orders are working, on the venue and on the instrument, and their open quantity by side; `excludeId` leaves one out (a modify's own order). */
  workingStats(venue: string, instrumentId: string, excludeId?: string): WorkingStats {
    return this.working.stats(venue, instrumentId, excludeId);
  }

  workingCount(): number {
    return this.working.total;
  }

  /** Journals a new order with its first transition, atomically. */
  insert(order: StoredOrder, t: TransitionRecord): void {
    this.db.transaction(() => {
      this.insertOrderStmt.run(this.params(order));
      this.writeExtras(order);
      this.recordTransition(t);
    })();
    this.workingIndex?.apply(order);
  }

  /**
   * Journals a bracket (entry + children) with each order's first transition in ONE transaction:
   * either every leg is on disk before anything is sent, or none is.
   */
  insertGroup(entries: ReadonlyArray<{ order: StoredOrder; t: TransitionRecord }>): void {
    this.db.transaction(() => {
      for (const e of entries) {
        this.insertOrderStmt.run(this.params(e.order));
        this.writeExtras(e.order);
        this.recordTransition(e.t);
      }
    })();
    for (const e of entries) this.workingIndex?.apply(e.order);
  }

  /** A bracket entry's child orders, in the order they were journaled. */
  children(parentOrderId: string): StoredOrder[] {
    return (this.db.prepare('SELECT * FROM orders WHERE parent_order_id = ? ORDER BY rowid').all(parentOrderId) as OrderRow[]).map(toOrder);
  }

  /** The orders of one OCA group on a venue, in the order they were journaled. */
  ocaMembers(venue: string, ocaGroup: string): StoredOrder[] {
    return (this.db.prepare('SELECT * FROM orders WHERE venue = ? AND oca_group = ? ORDER BY rowid').all(venue, ocaGroup) as OrderRow[]).map(toOrder);
  }

  private extrasStmt: Database.Statement<unknown[]> | undefined;

  /** Advanced terms are written only when present (most orders have none), inside the caller's transaction. */
  private writeExtras(o: StoredOrder): void {
    if (
      o.trailAmount === undefined &&
      o.trailPercent === undefined &&
      o.trailStop === undefined &&
      !o.extendedHours &&
      o.ocaGroup === undefined &&
      o.parentOrderId === undefined &&
      o.leg === undefined &&
      o.expireAt === undefined &&
      !o.postOnly &&
      !o.reduceOnly &&
      o.notional === undefined &&
      o.legs === undefined
    )
      return;
    this.extrasStmt ??= this.db.prepare(
      'UPDATE orders SET trail_amount=?, trail_percent=?, trail_stop=?, extended_hours=?, oca_group=?, parent_order_id=?, leg=?, expire_at=?, post_only=?, reduce_only=?, notional=?, legs=? WHERE id=?',
    );
    this.extrasStmt.run(
      o.trailAmount ?? null,
      o.trailPercent ?? null,
      o.trailStop ?? null,
      o.extendedHours ? 1 : 0,
      o.ocaGroup ?? null,
      o.parentOrderId ?? null,
      o.leg ?? null,
      o.expireAt ?? null,
      o.postOnly ? 1 : 0,
      o.reduceOnly ? 1 : 0,
      o.notional ?? null,
      o.legs ? JSON.stringify(o.legs) : null,
      o.id,
    );
  }

  /** Persists the order's new state and the transition that led to it, atomically. */
  update(order: StoredOrder, t?: TransitionRecord): void {
    this.db.transaction(() => {
      this.updateOrderStmt.run(this.params(order));
      this.updateTermsStmt.run({
        id: order.id,
        qty: order.qty,
        limitPrice: order.limitPrice ?? null,
        stopPrice: order.stopPrice ?? null,
        trailStop: order.trailStop ?? null,
        replaceRequest: order.replaceRequest ? JSON.stringify(order.replaceRequest) : null,
      });
      if (t) this.recordTransition(t);
    })();
    this.workingIndex?.apply(order);
  }

  recordTransition(t: TransitionRecord): void {
    this.insertTransitionStmt.run(t.orderId, t.from, t.to, t.accepted ? 1 : 0, t.source, t.reason ?? null, t.raw === undefined ? null : safeJson(t.raw), t.ts);
  }

  /** Inserts a fill unless one with the same venue fill id exists. Returns false for a duplicate. */
  insertFill(fill: Fill): boolean {
    return this.insertFillStmt.run(fill).changes === 1;
  }

  byId(id: string): StoredOrder | undefined {
    const r = this.byIdStmt.get(id);
    return r ? toOrder(r) : undefined;
  }
  byClientId(clientOrderId: string): StoredOrder | undefined {
    const r = this.byClientIdStmt.get(clientOrderId);
    return r ? toOrder(r) : undefined;
  }
  byVenueOrderId(venue: string, venueOrderId: string): StoredOrder | undefined {
    const r = this.byVenueOrderIdStmt.get(venue, venueOrderId);
    return r ? toOrder(r) : undefined;
  }

  list(opts: { venue?: string; workingOnly?: boolean; limit?: number; offset?: number } = {}): StoredOrder[] {
    const { sql: where, args } = listFilter(opts);
    const sql = `SELECT * FROM orders ${where} ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?`;
    return (this.db.prepare(sql).all(...args, opts.limit ?? 500, opts.offset ?? 0) as OrderRow[]).map(toOrder);
  }

  /** How many orders match (for "showing 500 of 3,651"). */
  count(opts: { venue?: string; workingOnly?: boolean } = {}): number {
    const { sql: where, args } = listFilter(opts);
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM orders ${where}`).get(...args) as { n: number }).n;
  }

  transitions(orderId: string): TransitionRecord[] {
    const rows = this.db.prepare('SELECT * FROM order_transitions WHERE order_id = ? ORDER BY seq').all(orderId) as Array<{
      order_id: string;
      from_status: OrderStatus | null;
      to_status: OrderStatus;
      accepted: number;
      source: TransitionRecord['source'];
      reason: string | null;
      raw: string | null;
      ts: number;
    }>;
    return rows.map((r) => ({
      orderId: r.order_id,
      from: r.from_status,
      to: r.to_status,
      accepted: r.accepted === 1,
      source: r.source,
      ...(r.reason !== null ? { reason: r.reason } : {}),
      ...(r.raw !== null ? { raw: JSON.parse(r.raw) as unknown } : {}),
      ts: r.ts,
    }));
  }

  fills(opts: { venue?: string; orderId?: string; limit?: number } = {}): Fill[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (opts.venue) {
      where.push('venue = ?');
      args.push(opts.venue);
    }
    if (opts.orderId) {
      where.push('order_id = ?');
      args.push(opts.orderId);
    }
    args.push(opts.limit ?? 500);
    const sql = `SELECT * FROM fills ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY ts DESC, rowid DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args) as FillRow[]).map(toFill);
  }

  /** Fills at or after `sinceTs` on every venue, oldest first, with the route of their order (for day P&L). */
  fillsWithRouteSince(sinceTs: number): Array<Fill & { route: StoredOrder['route'] }> {
    const rows = this.db.prepare('SELECT f.*, o.route AS route FROM fills f JOIN orders o ON o.id = f.order_id WHERE f.ts >= ? ORDER BY f.ts, f.rowid').all(sinceTs) as Array<
      FillRow & { route: StoredOrder['route'] }
    >;
    return rows.map((r) => ({ ...toFill(r), route: r.route }));
  }

  /** Every fill of SHADOW-routed orders, oldest first: the only record of shadow exposure. */
  shadowFills(): Fill[] {
    const rows = this.db.prepare(`SELECT f.* FROM fills f JOIN orders o ON o.id = f.order_id WHERE o.route = 'shadow' ORDER BY f.ts, f.rowid`).all() as FillRow[];
    return rows.map(toFill);
  }

  lastFillTs(venue: string): number | undefined {
    const r = this.db.prepare('SELECT MAX(ts) AS ts FROM fills WHERE venue = ?').get(venue) as { ts: number | null };
    return r.ts ?? undefined;
  }
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return JSON.stringify(String(v));
  }
}

const FINAL_STATUSES = `('filled','cancelled','rejected','expired')`;

function listFilter(opts: { venue?: string; workingOnly?: boolean }): { sql: string; args: unknown[] } {
  const where: string[] = [];
  const args: unknown[] = [];
  if (opts.venue) {
    where.push('venue = ?');
    args.push(opts.venue);
  }
  if (opts.workingOnly) where.push(`status NOT IN ${FINAL_STATUSES}`);
  return { sql: where.length ? 'WHERE ' + where.join(' AND ') : '', args };
}
