/**
 * Which of our orders an Alpaca order is. Alpaca gives a replacement a new order id (and our
 * `~rN` client id), and bracket legs client ids of its own, so reports and cancels need a map:
 * Alpaca order id → our client id, → the client id Alpaca knows, and old id → replacement.
 *
 * The map is written to SQLite as Alpaca answers (a replace or bracket ack, a stream update) and
 * read back on start: after a restart a bracket exit is still found by our client id, and a
 * cancel by the first venue id still reaches the order that replaced it.
 */
import type Database from 'better-sqlite3';
import { ourClientId, type WireOrder } from './alpaca-mapping';
import { ensureAlpacaSchema } from './alpaca-migrations';

interface Row {
  order_id: string;
  our_cid: string;
  venue_cid: string | null;
  replaced_by: string | null;
  bracket_leg: number;
}

export class AlpacaOrderIds {
  private readonly ours = new Map<string, string>();
  private readonly venueCids = new Map<string, string>();
  private readonly replacedBy = new Map<string, string>();
  private readonly legs = new Set<string>();
  /** What each row last held in SQLite, so an unchanged report writes nothing. */
  private readonly saved = new Map<string, string>();
  private readonly q;

  constructor(
    db: Database.Database,
    private readonly venue: string,
    private readonly now: () => number,
  ) {
    ensureAlpacaSchema(db);
    this.q = {
      all: db.prepare<[string], Row>('SELECT order_id, our_cid, venue_cid, replaced_by, bracket_leg FROM alpaca_orders WHERE venue = ?'),
      upsert: db.prepare<[string, string, string, string | null, string | null, number, number]>(
        `INSERT INTO alpaca_orders (venue, order_id, our_cid, venue_cid, replaced_by, bracket_leg, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(venue, order_id) DO UPDATE SET our_cid = excluded.our_cid, venue_cid = excluded.venue_cid,
           replaced_by = excluded.replaced_by, bracket_leg = excluded.bracket_leg, updated_at = excluded.updated_at`,
      ),
    };
    for (const r of this.q.all.all(venue)) {
      this.ours.set(r.order_id, r.our_cid);
      if (r.venue_cid !== null) this.venueCids.set(r.order_id, r.venue_cid);
      if (r.replaced_by !== null) this.replacedBy.set(r.order_id, r.replaced_by);
      if (r.bracket_leg === 1) this.legs.add(r.order_id);
      this.saved.set(r.order_id, this.rowKey(r.order_id));
    }
  }

  /** Our client id for an Alpaca order, learning (and storing) its replacement link. */
  remember(o: WireOrder): string {
    const cid = this.ours.get(o.id) ?? (o.replaces ? this.ours.get(o.replaces) : undefined) ?? ourClientId(o.client_order_id);
    this.ours.set(o.id, cid);
    this.venueCids.set(o.id, o.client_order_id);
    if (o.replaces) {
      if (!this.ours.has(o.replaces)) this.ours.set(o.replaces, cid);
      this.replacedBy.set(o.replaces, o.id);
      if (this.legs.has(o.replaces)) this.legs.add(o.id);
      this.save(o.replaces);
    }
    if (o.replaced_by) this.replacedBy.set(o.id, o.replaced_by);
    this.save(o.id);
    return cid;
  }

  /** A bracket leg: Alpaca named it, we journaled it under `ourCid`. */
  leg(venueOrderId: string, ourCid: string): void {
    this.ours.set(venueOrderId, ourCid);
    this.legs.add(venueOrderId);
    this.save(venueOrderId);
  }

  ourCid(venueOrderId: string): string | undefined {
    return this.ours.get(venueOrderId);
  }

  venueCid(venueOrderId: string): string | undefined {
    return this.venueCids.get(venueOrderId);
  }

  /** The order now carrying `venueOrderId` after any replacements we know of. */
  current(venueOrderId: string): string {
    let id = venueOrderId;
    for (let i = 0; i < 50 && this.replacedBy.has(id); i++) id = this.replacedBy.get(id)!;
    return id;
  }

  /** A bracket leg journaled under `ourCid` (Alpaca cannot find it by our id). */
  legFor(ourCid: string): string | undefined {
    for (const id of this.legs) if (this.ours.get(id) === ourCid) return id;
    return undefined;
  }

  private rowKey(id: string): string {
    return JSON.stringify([this.ours.get(id), this.venueCids.get(id) ?? null, this.replacedBy.get(id) ?? null, this.legs.has(id)]);
  }

  private save(id: string): void {
    const key = this.rowKey(id);
    const cid = this.ours.get(id);
    if (cid === undefined || this.saved.get(id) === key) return;
    this.q.upsert.run(this.venue, id, cid, this.venueCids.get(id) ?? null, this.replacedBy.get(id) ?? null, this.legs.has(id) ? 1 : 0, this.now());
    this.saved.set(id, key);
  }
}
