/**
 * A bracket at Coinbase is the entry plus ONE attached order (`trigger_bracket_gtc`): a limit at
 * the take-profit price that, once the last trade crosses `stop_trigger_price`, becomes a
 * stop-limit (`trigger_status` STOP_PENDING → STOP_TRIGGERED). It has an order id and a client id
 * of Coinbase's own; the entry names it in `attached_order_id`, it names the entry in
 * `originating_order_id`. It waits PENDING until the entry fills.
 *
 * We journal two children (take-profit, stop-loss), so this keeps which Coinbase order stands for
 * them (SQLite, written before the entry is sent and as ids become known, read back after a
 * restart) and turns each state of the exit order into two child reports: the leg that is working
 * gets its state — the take-profit until the stop triggers, the stop-loss after — and the other
 * leg ends cancelled when the exit fills or triggers (Coinbase's OCO). Fills go to a leg by their
 * price (`legOfFill`): a take-profit partly filled before the stop triggered keeps its own fills.
 */
import type Database from 'better-sqlite3';
import type { BracketLeg } from '../../domain/order';
import { Decimal } from '../../domain/money';
import type { VenueOrderReport } from '../venue-port';
import { ensureCoinbaseSchema } from './coinbase-migrations';
import { portStatus, side, type WireOrder, type WireUserOrder } from './coinbase-mapping';
import type { CoinbaseRest } from './coinbase-rest';

export interface BracketLink {
  readonly entryCid: string;
  readonly tpCid: string;
  readonly slCid: string;
  readonly entryOrderId?: string;
  readonly exitOrderId?: string;
}

interface Row {
  entry_cid: string;
  tp_cid: string;
  sl_cid: string;
  entry_order_id: string | null;
  exit_order_id: string | null;
}

const fromRow = (r: Row): BracketLink => ({
  entryCid: r.entry_cid,
  tpCid: r.tp_cid,
  slCid: r.sl_cid,
  ...(r.entry_order_id ? { entryOrderId: r.entry_order_id } : {}),
  ...(r.exit_order_id ? { exitOrderId: r.exit_order_id } : {}),
});

export class CoinbaseBrackets {
  private readonly links = new Map<string, BracketLink>();
  private readonly retired = new Set<string>();
  /** A retired bracket's children's last reports, by our client id: a lookup later this session still has its answer. */
  private readonly finals = new Map<string, VenueOrderReport>();
  private readonly q;

  constructor(
    db: Database.Database,
    private readonly venue: string,
    private readonly now: () => number,
    private readonly rest: Pick<CoinbaseRest, 'order'>,
    private readonly findEntry: (cid: string) => Promise<WireOrder | undefined>,
  ) {
    ensureCoinbaseSchema(db);
    this.q = {
      all: db.prepare<[string], Row>('SELECT entry_cid, tp_cid, sl_cid, entry_order_id, exit_order_id FROM coinbase_brackets WHERE venue = ?'),
      upsert: db.prepare<[string, string, string, string, string | null, string | null, number]>(
        `INSERT INTO coinbase_brackets (venue, entry_cid, tp_cid, sl_cid, entry_order_id, exit_order_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(venue, entry_cid) DO UPDATE SET entry_order_id = excluded.entry_order_id, exit_order_id = excluded.exit_order_id, updated_at = excluded.updated_at`,
      ),
      remove: db.prepare<[string, string]>('DELETE FROM coinbase_brackets WHERE venue = ? AND entry_cid = ?'),
    };
    for (const r of this.q.all.all(venue)) this.links.set(r.entry_cid, fromRow(r));
  }

  private save(l: BracketLink): void {
    this.links.set(l.entryCid, l);
    this.q.upsert.run(this.venue, l.entryCid, l.tpCid, l.slCid, l.entryOrderId ?? null, l.exitOrderId ?? null, this.now());
  }

  /** Before the entry is sent: which of our children its attached order will stand for. */
  journal(entryCid: string, tpCid: string, slCid: string): void {
    if (!this.links.has(entryCid)) this.save({ entryCid, tpCid, slCid });
  }

  /** Coinbase refused the entry: no exit order will ever stand for these children. */
  forget(entryCid: string): void {
    if (this.links.delete(entryCid)) this.q.remove.run(this.venue, entryCid);
  }

  /**
   * Both children final and reported, every fill too: the link is deleted (the engine holds the
   * outcome; a fill read again after a restart is known to it by its id). Its exit order id is
   * kept for this session, so a late word on that order is ignored rather than read as a new one,
   * and so are the children's final reports, the answer to a lookup of either.
   */
  retire(link: BracketLink, finals: readonly VenueOrderReport[] = []): void {
    if (link.exitOrderId) this.retired.add(link.exitOrderId);
    for (const r of finals) this.finals.set(r.clientOrderId, r);
    this.forget(link.entryCid);
  }

  /** The final report of a child of a bracket retired this session. */
  retiredReport(cid: string): VenueOrderReport | undefined {
    return this.finals.get(cid);
  }

  isRetired(orderId: string): boolean {
    return this.retired.has(orderId);
  }

  /** Coinbase's ids, as they become known. */
  identify(entryCid: string, entryOrderId: string, exitOrderId: string | undefined): BracketLink | undefined {
    const l = this.links.get(entryCid);
    if (!l) return undefined;
    if (l.entryOrderId === entryOrderId && (exitOrderId === undefined || l.exitOrderId === exitOrderId)) return l;
    const next = { ...l, entryOrderId, ...(exitOrderId ? { exitOrderId } : {}) };
    this.save(next);
    return next;
  }

  byEntry(entryCid: string): BracketLink | undefined {
    return this.links.get(entryCid);
  }

  byExit(exitOrderId: string): BracketLink | undefined {
    for (const l of this.links.values()) if (l.exitOrderId === exitOrderId) return l;
    return undefined;
  }

  byEntryOrder(entryOrderId: string): BracketLink | undefined {
    for (const l of this.links.values()) if (l.entryOrderId === entryOrderId) return l;
    return undefined;
  }

  /** The link and leg of one of our children. */
  byChild(cid: string): { link: BracketLink; leg: BracketLeg } | undefined {
    for (const link of this.links.values()) {
      if (link.tpCid === cid) return { link, leg: 'take_profit' };
      if (link.slCid === cid) return { link, leg: 'stop_loss' };
    }
    return undefined;
  }

  /** Whether some bracket's exit order is not identified yet (an update of an unknown order may be it). */
  anyUnidentified(): boolean {
    for (const l of this.links.values()) if (!l.exitOrderId) return true;
    return false;
  }

  /** The bracket a Coinbase order is the exit of; an exit not identified yet is known by its `originating_order_id`. */
  async exitOf(orderId: string): Promise<BracketLink | undefined> {
    const known = this.byExit(orderId);
    if (known || !this.anyUnidentified()) return known;
    const o = await this.rest.order(orderId);
    const origin = o.originating_order_id;
    if (!origin) return undefined;
    const link = this.byEntryOrder(origin) ?? this.byEntry((await this.rest.order(origin)).client_order_id);
    return link && !link.exitOrderId ? this.identify(link.entryCid, origin, orderId) : undefined;
  }

  /** The exit order id of a bracket; not identified yet, it is the entry's `attached_order_id` (undefined while Coinbase names none). */
  async exitIdOf(link: BracketLink): Promise<string | undefined> {
    if (link.exitOrderId) return link.exitOrderId;
    const entry = link.entryOrderId ? await this.rest.order(link.entryOrderId) : await this.findEntry(link.entryCid);
    if (!entry?.attached_order_id) return undefined;
    return this.identify(link.entryCid, entry.order_id, entry.attached_order_id)?.exitOrderId;
  }
}

/** The leg an exit order's state belongs to: the stop-loss once its stop triggered, else the take-profit (fills go by price: `legOfFill`). */
export function activeLeg(triggerStatus: string | null | undefined): BracketLeg {
  return triggerStatus === 'STOP_TRIGGERED' ? 'stop_loss' : 'take_profit';
}

export function legCid(link: BracketLink, leg: BracketLeg): string {
  return leg === 'take_profit' ? link.tpCid : link.slCid;
}

/** The exit order's state, from the REST order or the user channel. */
export interface ExitState {
  readonly orderId: string;
  readonly status: string;
  readonly filled: string;
  readonly avgPrice: string;
  readonly triggerStatus: string | undefined;
  readonly side: 'BUY' | 'SELL';
  readonly qty?: string | undefined;
  readonly limitPrice?: string | undefined;
  readonly stopPrice?: string | undefined;
  readonly ts: number;
  readonly raw: unknown;
}

const s = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function exitFromOrder(o: WireOrder): ExitState {
  const c = o.order_configuration['trigger_bracket_gtc'] ?? o.order_configuration['trigger_bracket_gtd'] ?? {};
  return {
    orderId: o.order_id,
    status: o.status,
    filled: o.filled_size || '0',
    avgPrice: o.average_filled_price || '0',
    triggerStatus: o.trigger_status ?? undefined,
    side: o.side,
    qty: s(c['base_size']),
    limitPrice: s(c['limit_price']),
    stopPrice: s(c['stop_trigger_price']),
    ts: Date.parse(o.last_fill_time ?? '') || Date.parse(o.created_time ?? '') || 0,
    raw: o,
  };
}

export function exitFromUser(o: WireUserOrder, ts: number): ExitState {
  const filled = o.cumulative_quantity || '0';
  return {
    orderId: o.order_id,
    status: o.status,
    filled,
    avgPrice: o.avg_price || '0',
    triggerStatus: o.trigger_status,
    side: o.order_side,
    // The size shows as leaves + filled only while the order works (a finished order leaves 0).
    ...(o.leaves_quantity !== undefined && (o.status === 'OPEN' || o.status === 'PENDING') ? { qty: new Decimal(o.leaves_quantity || '0').plus(filled).toString() } : {}),
    limitPrice: o.limit_price,
    stopPrice: o.stop_price,
    ts,
    raw: o,
  };
}

const TERMINAL = new Set(['filled', 'cancelled', 'expired', 'rejected']);

/**
 * The leg one fill of the exit order belongs to, by its price: the take-profit fills at its limit
 * or better (a SELL exit at or above it, a BUY exit at or below it), the stop-limit beyond it. The
 * trigger status cannot tell: a take-profit partly filled before the stop triggered stays its own.
 */
export function legOfFill(exitSide: 'BUY' | 'SELL', tpLimit: string, price: string): BracketLeg {
  const p = new Decimal(price);
  return (exitSide === 'SELL' ? p.gte(tpLimit) : p.lte(tpLimit)) ? 'take_profit' : 'stop_loss';
}

export interface LegFill {
  readonly qty: string;
  readonly avgPrice: string;
}
export type LegFills = Readonly<Record<BracketLeg, LegFill>>;

/** Each leg's filled size and average price from the exit order's fills. */
export function splitFills(exitSide: 'BUY' | 'SELL', tpLimit: string, fills: readonly { price: string; size: string }[]): LegFills {
  const sum = (leg: BracketLeg): LegFill => {
    let qty = new Decimal(0);
    let value = new Decimal(0);
    for (const f of fills) {
      if (legOfFill(exitSide, tpLimit, f.price) !== leg) continue;
      qty = qty.plus(f.size);
      value = value.plus(new Decimal(f.size).mul(f.price));
    }
    return { qty: qty.toString(), avgPrice: qty.gt(0) ? value.div(qty).toString() : '0' };
  };
  return { take_profit: sum('take_profit'), stop_loss: sum('stop_loss') };
}

/**
 * Our two children's reports for one state of the exit order: take-profit first. Each child's
 * filled size is its own (`legs`, from the fills by price); without them the working leg gets
 * the exit's cumulative size.
 */
export function exitReports(link: BracketLink, e: ExitState, instrumentId: string | undefined, legs?: LegFills): [VenueOrderReport, VenueOrderReport] {
  const leg = activeLeg(e.triggerStatus);
  const own = (l: BracketLeg): LegFill => (legs ? legs[l] : l === leg ? { qty: e.filled, avgPrice: e.avgPrice } : { qty: '0', avgPrice: '0' });
  const status = portStatus(e.status, e.filled);
  const common = { venueOrderId: e.orderId, ts: e.ts, side: side(e.side), raw: e.raw, ...(instrumentId ? { instrumentId } : {}), ...(e.qty ? { qty: e.qty } : {}) };
  const active: VenueOrderReport = { ...common, clientOrderId: legCid(link, leg), status: portStatus(e.status, own(leg).qty), filledQty: own(leg).qty, avgFillPrice: own(leg).avgPrice };
  const otherLeg: BracketLeg = leg === 'take_profit' ? 'stop_loss' : 'take_profit';
  let otherStatus = status === 'partially_filled' ? 'accepted' : status;
  let reason: string | undefined;
  if (leg === 'stop_loss' && !TERMINAL.has(status)) {
    otherStatus = 'cancelled';
    reason = 'the stop-loss triggered: Coinbase turned the bracket exit into a stop-limit order';
  } else if (status === 'filled') {
    otherStatus = 'cancelled';
    reason = `one-cancels-other: the ${leg === 'take_profit' ? 'take-profit' : 'stop-loss'} filled at Coinbase`;
  }
  const other: VenueOrderReport = {
    ...common,
    clientOrderId: legCid(link, otherLeg),
    status: otherStatus as VenueOrderReport['status'],
    filledQty: own(otherLeg).qty,
    avgFillPrice: own(otherLeg).avgPrice,
    ...(reason ? { reason } : {}),
  };
  const withPrices = (r: VenueOrderReport, l: BracketLeg): VenueOrderReport =>
    l === 'take_profit' ? { ...r, ...(e.limitPrice ? { limitPrice: e.limitPrice } : {}) } : { ...r, ...(e.stopPrice ? { stopPrice: e.stopPrice } : {}) };
  const tp = leg === 'take_profit' ? withPrices(active, 'take_profit') : withPrices(other, 'take_profit');
  const sl = leg === 'stop_loss' ? withPrices(active, 'stop_loss') : withPrices(other, 'stop_loss');
  return [tp, sl];
}
