/**
 * Fills: the `user` channel says an order's cumulative quantity grew, but names no execution, so
 * the fills themselves (ids, prices, fees) are read from `/orders/historical/fills` for that
 * order and each new `entry_id` is reported once. Reports for one order are kept in order (one
 * read at a time per order), the fills before the order report that counts them.
 */
import { Decimal } from '../../domain/money';
import type { VenueFillReport, VenueListener } from '../venue-port';
import type { CoinbaseInstruments } from './coinbase-instruments';
import { fillReport, userOrderReport, type WireFill, type WireUserOrder } from './coinbase-mapping';
import type { CoinbaseOrders } from './coinbase-orders';
import type { CoinbaseRest } from './coinbase-rest';
import { exitFromUser, exitReports, legCid, legOfFill, splitFills, type BracketLink, type CoinbaseBrackets, type ExitState } from './coinbase-brackets';
import type { VenueOrderReport } from '../venue-port';

export class CoinbaseFills {
  private readonly seen = new Set<string>();
  /** Cumulative quantity whose fills were read, per order. */
  private readonly read = new Map<string, Decimal>();
  private readonly chains = new Map<string, Promise<void>>();
  /** A bracket exit order's side and take-profit limit (fixed for its life), per order id. */
  private readonly exits = new Map<string, { side: 'BUY' | 'SELL'; tpLimit: string }>();

  constructor(
    private readonly rest: Pick<CoinbaseRest, 'fills' | 'order'>,
    private readonly insts: CoinbaseInstruments,
    private readonly orders: CoinbaseOrders,
    private readonly brackets: CoinbaseBrackets,
    private readonly listener: () => VenueListener | undefined,
  ) {}

  /** A user-channel order: its new fills (read from REST), then its report. */
  update(o: WireUserOrder, ts: number): void {
    this.orders.remember(o.client_order_id, o.order_id);
    const prev = this.chains.get(o.order_id) ?? Promise.resolve();
    const next = prev.then(() => this.apply(o, ts)).catch((e: unknown) => this.listener()?.state('degraded', `Coinbase fills for ${o.client_order_id} could not be read: ${(e as Error).message}`));
    this.chains.set(o.order_id, next);
    void next.then(() => {
      if (this.chains.get(o.order_id) === next) this.chains.delete(o.order_id);
    });
  }

  private async apply(o: WireUserOrder, ts: number): Promise<void> {
    const instrumentId = this.insts.find(o.product_id)?.id;
    // A bracket's exit order reports as our two children, each fill under the leg its price says.
    const link = await this.brackets.exitOf(o.order_id);
    if (link) {
      for (const r of await this.exitReports(link, exitFromUser(o, ts), instrumentId, true)) this.listener()?.orderReport(r);
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
   * (read from REST and split by price); `emit` also reports the fills not reported before.
   */
  async exitReports(link: BracketLink, e: ExitState, instrumentId: string | undefined, emit = false): Promise<VenueOrderReport[]> {
    if (!new Decimal(e.filled).gt(0)) return exitReports(link, e, instrumentId);
    const fs = await this.rest.fills(new URLSearchParams({ order_ids: e.orderId, limit: '250' }));
    const x = await this.exitTerms(e.orderId);
    const inst = fs[0] ? this.insts.find(fs[0].product_id) : undefined;
    if (emit && inst) for (const f of this.fresh(fs)) this.listener()?.fill(fillReport(f, inst.id, legCid(link, legOfFill(x.side, x.tpLimit, f.price)), inst.quote));
    return exitReports(link, e, instrumentId, splitFills(x.side, x.tpLimit, fs));
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
