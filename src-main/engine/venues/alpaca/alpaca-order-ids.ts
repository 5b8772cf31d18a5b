/**
 * Which of our orders an Alpaca order is. Alpaca gives a replacement a new order id (and our
 * `~rN` client id), and bracket legs client ids of its own, so reports and cancels need a map:
 * Alpaca order id → our client id, → the client id Alpaca knows, and old id → replacement.
 */
import { ourClientId, type WireOrder } from './alpaca-mapping';

export class AlpacaOrderIds {
  private readonly ours = new Map<string, string>();
  private readonly venueCids = new Map<string, string>();
  private readonly replacedBy = new Map<string, string>();

  /** Our client id for an Alpaca order, learning its replacement link. */
  remember(o: WireOrder): string {
    const cid = this.ours.get(o.id) ?? (o.replaces ? this.ours.get(o.replaces) : undefined) ?? ourClientId(o.client_order_id);
    this.ours.set(o.id, cid);
    this.venueCids.set(o.id, o.client_order_id);
    if (o.replaces) this.replacedBy.set(o.replaces, o.id);
    if (o.replaced_by) this.replacedBy.set(o.id, o.replaced_by);
    return cid;
  }

  /** A bracket leg: Alpaca named it, we journaled it under `ourCid`. */
  leg(venueOrderId: string, ourCid: string): void {
    this.ours.set(venueOrderId, ourCid);
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
    for (const [id, cid] of this.ours) if (cid === ourCid && ourClientId(this.venueCids.get(id) ?? '') !== ourCid) return id;
    return undefined;
  }
}
