/**
 * IB order ids and what we sent under them.
 *
 * TWS tells each new session the next id it will accept (nextValidId), but after a restart that
 * number can roll back below ids we already used; reusing one modifies or collides with an old
 * order (error 103). So the counter is max(nextValidId, highest id we ever used + 1), and the
 * highest used id is committed to SQLite before the id leaves the process: a crash between the
 * commit and the send only burns an id, never reuses one.
 *
 * The map from order id to our client order id (also carried in `orderRef`) and to the client id
 * that placed it tells which TWS orders are ours, and which session may cancel them.
 */
import type Database from 'better-sqlite3';
import { ensureIbkrSchema } from './ibkr-migrations';

export interface SentOrderRow {
  readonly orderId: number;
  readonly clientId: number;
  readonly clientOrderId: string;
  readonly instrumentId: string;
  readonly permId: number | null;
  readonly createdAt: number;
}

interface RawRow {
  order_id: number;
  client_id: number;
  client_order_id: string;
  instrument_id: string;
  perm_id: number | null;
  created_at: number;
}

const toRow = (r: RawRow): SentOrderRow => ({
  orderId: r.order_id,
  clientId: r.client_id,
  clientOrderId: r.client_order_id,
  instrumentId: r.instrument_id,
  permId: r.perm_id,
  createdAt: r.created_at,
});

export class IbkrOrderIds {
  private next = 1;
  private readonly q;

  constructor(
    private readonly db: Database.Database,
    private readonly venue: string,
  ) {
    ensureIbkrSchema(db);
    this.q = {
      highest: db.prepare<[string], { highest_used: number }>('SELECT highest_used FROM ibkr_order_ids WHERE venue = ?'),
      saveHighest: db.prepare<[string, number]>(
        'INSERT INTO ibkr_order_ids (venue, highest_used) VALUES (?, ?) ON CONFLICT(venue) DO UPDATE SET highest_used = MAX(highest_used, excluded.highest_used)',
      ),
      insertSent: db.prepare<[string, number, number, string, string, number]>(
        'INSERT INTO ibkr_orders (venue, order_id, client_id, client_order_id, instrument_id, perm_id, created_at) VALUES (?, ?, ?, ?, ?, NULL, ?)',
      ),
      setPerm: db.prepare<[number, string, number]>('UPDATE ibkr_orders SET perm_id = ? WHERE venue = ? AND order_id = ? AND perm_id IS NULL'),
      byOrderId: db.prepare<[string, number], RawRow>('SELECT * FROM ibkr_orders WHERE venue = ? AND order_id = ?'),
      byClientOrderId: db.prepare<[string, string], RawRow>('SELECT * FROM ibkr_orders WHERE venue = ? AND client_order_id = ?'),
      byPermId: db.prepare<[string, number], RawRow>('SELECT * FROM ibkr_orders WHERE venue = ? AND perm_id = ?'),
    };
    this.next = this.highestUsed() + 1;
  }

  /** Highest id this venue ever used (0 when none). */
  highestUsed(): number {
    return this.q.highest.get(this.venue)?.highest_used ?? 0;
  }

  /** Called with each session's nextValidId: never moves the counter backwards. */
  seed(nextValidId: number): number {
    this.next = Math.max(this.next, nextValidId, this.highestUsed() + 1);
    return this.next;
  }

  /** The id the next order will get (for status and tests). */
  peek(): number {
    return this.next;
  }

  /** Takes an id for a whatIf preview: burned, never reused, but not an order of ours. */
  take(): number {
    const id = this.next;
    this.q.saveHighest.run(this.venue, id);
    this.next = id + 1;
    return id;
  }

  /** Takes an id for a real order and records it with our client order id, in one transaction. */
  takeForOrder(clientOrderId: string, clientId: number, instrumentId: string, now: number): number {
    const id = this.next;
    this.db.transaction(() => {
      this.q.saveHighest.run(this.venue, id);
      this.q.insertSent.run(this.venue, id, clientId, clientOrderId, instrumentId, now);
    })();
    this.next = id + 1;
    return id;
  }

  setPermId(orderId: number, permId: number): void {
    if (permId > 0) this.q.setPerm.run(permId, this.venue, orderId);
  }

  byOrderId(orderId: number): SentOrderRow | undefined {
    const r = this.q.byOrderId.get(this.venue, orderId);
    return r ? toRow(r) : undefined;
  }

  byClientOrderId(clientOrderId: string): SentOrderRow | undefined {
    const r = this.q.byClientOrderId.get(this.venue, clientOrderId);
    return r ? toRow(r) : undefined;
  }

  byPermId(permId: number): SentOrderRow | undefined {
    const r = this.q.byPermId.get(this.venue, permId);
    return r ? toRow(r) : undefined;
  }
}
