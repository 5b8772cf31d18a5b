/**
 * Fills: the `user` channel says an order's cumulative quantity grew, but names no execution, so
 * the fills themselves (ids, prices, fees) are read from `/orders/historical/fills` for that
 * order and each new `entry_id` is reported once. Reports for one order are kept in order (one
 * read at a time per order), the fills before the order report that counts them.
 *
 * An update whose reads fail (429, 5xx, timeout) is not dropped: it is tried again in its place in
 * the order's queue, with backoff, a bounded number of times; past the bound the venue asks for a
 * reconcile (`giveUp`), which reads the same state through REST. Repeats cost nothing twice: fills
 * are reported by their `entry_id` once, order reports are states.
 *
 * A bracket exit's fills are read once per growth of its filled size (cached per exit order), and
 * once both our children are final and every fill is reported its link is retired
 * (coinbase-brackets.ts): later words on that exit order are ignored.
 */
import { Decimal } from '../../domain/money';
import { systemClock, type TimerHandle, type Timers } from '../../ports/clock';
import type { VenueFillReport, VenueListener } from '../venue-port';
import type { CoinbaseInstruments } from './coinbase-instruments';
import { fillReport, userOrderReport, type WireFill, type WireUserOrder } from './coinbase-mapping';
import type { CoinbaseOrders } from './coinbase-orders';
import type { CoinbaseRest } from './coinbase-rest';
import { exitFromUser, exitReports, legCid, legOfFill, splitFills, type BracketLink, type CoinbaseBrackets, type ExitState } from './coinbase-brackets';
import type { VenueOrderReport } from '../venue-port';
import { SeenIds } from '../seen-ids';

/** Backoff between the tries of an update whose reads failed; past the last, a reconcile. */
const RETRY_MS: readonly number[] = [250, 500, 1_000, 2_000, 4_000];

const FINAL = new Set<string>(['filled', 'cancelled', 'expired', 'rejected']);

export class CoinbaseFills {
  private readonly seen = new SeenIds();
  /** Cumulative quantity whose fills were read, per order. */
  private readonly read = new Map<string, Decimal>();
  private readonly chains = new Map<string, Promise<void>>();
  /** A bracket exit order's side and take-profit limit (fixed for its life), per order id. */
  private readonly exits = new Map<string, { side: 'BUY' | 'SELL'; tpLimit: string }>();
  /** A bracket exit order's fills as last read, per order id: read again only when its filled size grows past them. */
  private readonly exitFills = new Map<string, WireFill[]>();
  private readonly waits = new Map<TimerHandle, () => void>();
  private stopped = false;

  constructor(
    private readonly rest: Pick<CoinbaseRest, 'fills' | 'order'>,
    private readonly insts: CoinbaseInstruments,
    private readonly orders: CoinbaseOrders,
    private readonly brackets: CoinbaseBrackets,
    private readonly listener: () => VenueListener | undefined,
    /** Past the retry bound: the update is left to a reconcile, which the connector asks for. */
    private readonly giveUp: (why: string) => void = () => undefined,
    private readonly timers: Timers = systemClock,
    private readonly retryMs: readonly number[] = RETRY_MS,
  ) {}

  /** Ends the waits of updates being retried (the connector stops); a later start reconciles them. */
  stop(): void {
    this.stopped = true;
    for (const [h, wake] of this.waits) {
      this.timers.clearTimeout(h);
      wake();
    }
    this.waits.clear();
  }

  start(): void {
    this.stopped = false;
  }

  /** A user-channel order: its new fills (read from REST), then its report. */
  update(o: WireUserOrder, ts: number): void {
    this.orders.remember(o.client_order_id, o.order_id);
    const prev = this.chains.get(o.order_id) ?? Promise.resolve();
    const next = prev.then(() => this.applyRetrying(o, ts));
    this.chains.set(o.order_id, next);
    void next.then(() => {
      if (this.chains.get(o.order_id) === next) this.chains.delete(o.order_id);
    });
  }

  /** `apply`, tried again after a failed read (backoff `retryMs`), then left to a reconcile. */
  private async applyRetrying(o: WireUserOrder, ts: number): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.apply(o, ts);
      } catch (e) {
        const wait = this.retryMs[attempt];
        if (this.stopped) return;
        if (wait === undefined) {
          const why = `Coinbase fills for ${o.client_order_id} could not be read after ${attempt + 1} tries (${(e as Error).message}); reconciling`;
          this.listener()?.state('degraded', why);
          this.giveUp(why);
          return;
        }
        await this.sleep(wait);
        if (this.stopped) return;
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const h = this.timers.setTimeout(() => {
        this.waits.delete(h);
        resolve();
      }, ms);
      this.waits.set(h, resolve);
    });
  }

  private async apply(o: WireUserOrder, ts: number): Promise<void> {
    if (this.brackets.isRetired(o.order_id)) return;
    const instrumentId = this.insts.find(o.product_id)?.id;
    // A bracket's exit order reports as our two children, each fill under the leg its price says.
    const link = await this.brackets.exitOf(o.order_id);
    if (link) {
      const reports = await this.exitReports(link, exitFromUser(o, ts), instrumentId);
      for (const r of reports) this.listener()?.orderReport(r);
      this.retireIfSettled(link, o.order_id, o.cumulative_quantity || '0', reports);
      return;
    }
    const cum = new Decimal(o.cumulative_quantity || '0');
    if (instrumentId && cum.gt(this.read.get(o.order_id) ?? 0)) {
      const fs = await this.rest.fills(new URLSearchParams({ order_ids: o.order_id, limit: '250' }));
      this.read.set(o.order_id, cum);
      for (const f of this.fresh(fs)) this.listener()?.fill(fillReport(f, instrumentId, o.client_order_id, this.insts.find(o.product_id)!.quote));
    }
    this.listener()?.orderReport(userOrderReport(o, instrumentId, ts));
  }

  /**
   * Our two children's reports for one state of a bracket's exit order, each with its own fills
   * (read from REST and split by price); the fills not reported before are reported first.
   */
  private async exitReports(link: BracketLink, e: ExitState, instrumentId: string | undefined): Promise<VenueOrderReport[]> {
    if (!new Decimal(e.filled).gt(0)) return exitReports(link, e, instrumentId);
    const fs = await this.exitFillsOf(e.orderId, e.filled);
    const x = await this.exitTerms(e.orderId);
    const inst = fs[0] ? this.insts.find(fs[0].product_id) : undefined;
    if (inst) for (const f of this.fresh(fs)) this.listener()?.fill(fillReport(f, inst.id, legCid(link, legOfFill(x.side, x.tpLimit, f.price)), inst.quote));
    return exitReports(link, e, instrumentId, splitFills(x.side, x.tpLimit, fs));
  }

  /**
   * A bracket exit order read through REST (a lookup or the open orders: reconcile after a
   * reconnect or at start): our children's reports. Once the exit has finished (filled or
   * cancelled while the socket was down) both reports also go to the listener, so each child is
   * settled even if only one is asked for, and the link retires as it does on the user channel.
   */
  async restExitReports(link: BracketLink, e: ExitState, instrumentId: string | undefined): Promise<VenueOrderReport[]> {
    const reports = await this.exitReports(link, e, instrumentId);
    if (this.settled(e.orderId, e.filled, reports)) for (const r of reports) this.listener()?.orderReport(r);
    this.retireIfSettled(link, e.orderId, e.filled, reports);
    return reports;
  }

  private settled(orderId: string, filled: string, reports: readonly VenueOrderReport[]): boolean {
    return reports.every((r) => FINAL.has(r.status)) && this.allFillsRead(orderId, filled);
  }

  private retireIfSettled(link: BracketLink, orderId: string, filled: string, reports: readonly VenueOrderReport[]): void {
    if (this.settled(orderId, filled, reports)) this.retire(link, orderId, reports);
  }

  /** The exit order's fills: the cached read while it covers `filled`, else a fresh one. */
  private async exitFillsOf(orderId: string, filled: string): Promise<WireFill[]> {
    if (this.allFillsRead(orderId, filled)) return this.exitFills.get(orderId)!;
    const fs = await this.rest.fills(new URLSearchParams({ order_ids: orderId, limit: '250' }));
    this.exitFills.set(orderId, fs);
    return fs;
  }

  private allFillsRead(orderId: string, filled: string): boolean {
    const fs = this.exitFills.get(orderId);
    if (!fs) return new Decimal(filled).isZero();
    return fs.reduce((n, f) => n.plus(f.size), new Decimal(0)).gte(filled);
  }

  /** Both children final and every fill reported: the link is no longer needed, here or after a restart. */
  private retire(link: BracketLink, exitOrderId: string, finals: readonly VenueOrderReport[]): void {
    this.brackets.retire(link, finals);
    this.exitFills.delete(exitOrderId);
    this.exits.delete(exitOrderId);
  }

  private async exitTerms(orderId: string): Promise<{ side: 'BUY' | 'SELL'; tpLimit: string }> {
    const known = this.exits.get(orderId);
    if (known) return known;
    const o = await this.rest.order(orderId);
    const c = o.order_configuration['trigger_bracket_gtc'] ?? o.order_configuration['trigger_bracket_gtd'] ?? {};
    const tpLimit = c['limit_price'];
    if (typeof tpLimit !== 'string') throw new Error(`Coinbase order ${orderId} is a bracket exit without a take-profit limit_price`);
    const x = { side: o.side, tpLimit };
    this.exits.set(orderId, x);
    return x;
  }

  /** Fills not reported before, oldest first. */
  private fresh(fs: readonly WireFill[]): WireFill[] {
    const out = fs.filter((f) => !this.seen.has(f.entry_id)).sort((a, b) => Date.parse(a.trade_time) - Date.parse(b.trade_time));
    for (const f of out) this.seen.add(f.entry_id);
    return out;
  }

  /** Every fill at or after `sinceTs` (the engine drops the ones it has). */
  async since(sinceTs: number): Promise<VenueFillReport[]> {
    const fs = await this.rest.fills(new URLSearchParams({ start_sequence_timestamp: new Date(Math.max(0, sinceTs)).toISOString(), limit: '250' }));
    const out: VenueFillReport[] = [];
    for (const f of fs) {
      const inst = this.insts.find(f.product_id);
      if (!inst) continue;
      const cid = await this.cidOfFill(f);
      this.seen.add(f.entry_id);
      out.push(fillReport(f, inst.id, cid, inst.quote));
    }
    return out;
  }

  /** Our client id for a fill of a Coinbase order: a bracket exit's by the leg its price says. */
  private async cidOfFill(f: WireFill): Promise<string> {
    const orderId = f.order_id;
    const link = await this.brackets.exitOf(orderId);
    if (link) {
      const x = await this.exitTerms(orderId);
      return legCid(link, legOfFill(x.side, x.tpLimit, f.price));
    }
    const known = this.orders.cidOf(orderId);
    if (known) return known;
    const cid = (await this.rest.order(orderId)).client_order_id;
    this.orders.remember(cid, orderId);
    return cid;
  }
}
