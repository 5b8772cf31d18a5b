/**
 * Our orders and fills as the exchange reports them, through ccxt's unified calls: one polling
 * round (fills, then order changes, for every market with a working order), the scan that finds
 * one of our orders by client id among open and recent orders (after a lost answer or a restart),
 * and the mapping of ccxt orders and trades to reports — each report sent only when it says
 * something new, each execution once.
 */
import type * as Ccxt from 'ccxt';
import type { VenueFillReport, VenueListener, VenueOrderReport } from '../venue-port';
import type { CcxtInstruments } from './ccxt-instruments';
import { fillReport, orderReport, type CcxtOrderLike, type CcxtTradeLike } from './ccxt-mapping';
import type { CcxtOrderIds } from './ccxt-order-ids';
import { venueClientId } from './ccxt-client-ids';
import { CcxtTracker } from './ccxt-tracker';

const WORKING = ['accepted', 'partially_filled', 'submitted'];

// Where a finished order can be found, widest list first (some exchanges' "closed" leaves out cancelled orders).
const CLOSED_SCANS = ['fetchCanceledAndClosedOrders', 'fetchOrders', 'fetchClosedOrders', 'fetchCanceledOrders'] as const;

export interface CcxtSyncDeps {
  readonly exchange: string;
  readonly ids: CcxtOrderIds;
  readonly insts: CcxtInstruments;
  readonly now: () => number;
  readonly listener: () => VenueListener | undefined;
  /** A read-only venue call through the HTTP kit (limiter, timeout). */
  readonly query: <T>(f: () => Promise<T>) => Promise<T>;
}

export class CcxtSync {
  readonly track = new CcxtTracker();

  constructor(private readonly d: CcxtSyncDeps) {}

  static isWorking(r: VenueOrderReport): boolean {
    return WORKING.includes(r.status);
  }

  /** Fills, then order changes, for every market with a working order (or a clock ping when none). */
  async round(ex: Ccxt.Exchange): Promise<void> {
    const symbols = this.track.symbols();
    if (symbols.length === 0) {
      if (ex.has['fetchTime']) await this.d.query(() => ex.fetchTime());
      return;
    }
    for (const symbol of symbols) {
      this.emitFills(await this.tradesOn(ex, symbol, this.track.lastFillTs > 0 ? this.track.lastFillTs - 60_000 : undefined));
      const open = (await this.d.query(() => ex.fetchOpenOrders(symbol))) as CcxtOrderLike[];
      for (const cid of this.track.workingOn(symbol)) {
        const o = open.find((x) => this.isOurs(x, cid)) ?? (await this.scanClosed(ex, symbol, cid));
        if (o) this.emit(this.report(o, cid));
      }
    }
  }

  /** Our order on `symbol`, open or recently finished, by client id (or our recorded order id). */
  async find(ex: Ccxt.Exchange, symbol: string, cid: string): Promise<CcxtOrderLike | undefined> {
    const open = (await this.d.query(() => ex.fetchOpenOrders(symbol))) as CcxtOrderLike[];
    return open.find((x) => this.isOurs(x, cid)) ?? (await this.scanClosed(ex, symbol, cid));
  }

  /**
   * Every working order: on each market we sent to, and the whole account where the exchange
   * lists it without a symbol (orders placed elsewhere); ours are polled from then on.
   */
  async openOrders(ex: Ccxt.Exchange): Promise<VenueOrderReport[]> {
    const seen = new Map<string, CcxtOrderLike>();
    const symbols: (string | undefined)[] = [...new Set([...this.d.ids.symbols(), ...this.track.symbols()])];
    if (!(ex.features as Record<string, Record<string, Record<string, unknown>> | undefined>)?.['spot']?.['fetchOpenOrders']?.['symbolRequired']) symbols.unshift(undefined);
    for (const s of symbols) for (const o of (await this.d.query(() => ex.fetchOpenOrders(s))) as CcxtOrderLike[]) seen.set(o.id, o);
    const out = [...seen.values()].map((o) => this.report(o));
    for (const r of out) {
      const rec = this.d.ids.of(r.clientOrderId);
      if (rec) this.track.watch(r.clientOrderId, rec.symbol);
    }
    return out;
  }

  /**
   * `send` (a replace; it answers with the order's exchange id after it) runs with our order's
   * "cancelled" reports held back: an exchange that replaces by cancel + new order (Binance
   * cancelReplace) cancels the old order before it answers, and that cancel is the replace at
   * work, not the order's end. A new id is recorded (the old one marked superseded) before the
   * hold ends, so an update of the old order that comes after the answer — streamed, or from a
   * poll begun during the replace — is read as the old order's, never as ours ending. The answer
   * (or, if it is lost, the engine's lookup) says how the order stands; a report held back is sent
   * by the next poll.
   */
  async replacing(cid: string, oldId: string, send: () => Promise<string>): Promise<string> {
    this.inReplace.add(cid);
    try {
      const venueOrderId = await send();
      if (venueOrderId !== oldId) this.d.ids.replaced(cid, venueOrderId);
      return venueOrderId;
    } finally {
      this.inReplace.delete(cid);
    }
  }

  private readonly inReplace = new Set<string>();

  /** A report for one of our orders, sent when it says something new; a finished order is no longer polled. */
  emit(r: VenueOrderReport): void {
    if (r.status === 'cancelled' && this.inReplace.has(r.clientOrderId)) return;
    if (this.track.changed(r)) this.d.listener()?.orderReport(r);
    if (!CcxtSync.isWorking(r)) this.track.forget(r.clientOrderId);
  }

  /** Streamed orders: those we placed (an id a replace left behind says nothing about our order: its fills still count). */
  emitOrders(xs: readonly CcxtOrderLike[]): void {
    for (const o of xs) {
      const known = this.d.ids.byId(o.id);
      if (known?.superseded) continue;
      const cid = known?.cid ?? (o.clientOrderId || o.id);
      const row = this.d.ids.of(cid);
      if (row) this.emit(this.report(o, cid, row));
    }
  }

  emitFills(fs: readonly VenueFillReport[]): void {
    for (const f of fs) if (this.track.newFill(f.venueFillId, f.ts)) this.d.listener()?.fill(f);
  }

  /** Ours by the order id we recorded, else the exchange's client id (an order placed elsewhere), else its id. */
  cidOf(o: CcxtOrderLike): string {
    return this.d.ids.cidOf(o.id) ?? (o.clientOrderId || o.id);
  }

  /** Our order as it now stands: by an exchange id we recorded (not one a replace left behind), else by the client id we sent. */
  private isOurs(o: CcxtOrderLike, cid: string): boolean {
    const known = this.d.ids.byId(o.id);
    if (known !== undefined) return known.cid === cid && !known.superseded;
    return o.clientOrderId !== undefined && o.clientOrderId === venueClientId(this.d.exchange, cid);
  }

  report(o: CcxtOrderLike, cid = this.cidOf(o), row = this.d.ids.of(cid)): VenueOrderReport {
    if (row?.venueOrderId === null) this.d.ids.acked(cid, o.id);
    return orderReport(o, this.d.insts.find(o.symbol)?.id, cid, this.d.now());
  }

  async tradesOn(ex: Ccxt.Exchange, symbol: string, since?: number): Promise<VenueFillReport[]> {
    return this.fillsOf((await this.d.query(() => ex.fetchMyTrades(symbol, since))) as CcxtTradeLike[]);
  }

  /** Our fills among ccxt trades (those of orders we sent). */
  fillsOf(trades: readonly CcxtTradeLike[]): VenueFillReport[] {
    return trades.flatMap((t) => {
      const instrumentId = t.symbol !== undefined ? this.d.insts.find(t.symbol)?.id : undefined;
      const cid = t.order !== undefined ? this.d.ids.cidOf(t.order) : undefined;
      const f = cid && instrumentId ? fillReport(t, instrumentId, cid) : undefined;
      return f ? [f] : [];
    });
  }

  private async scanClosed(ex: Ccxt.Exchange, symbol: string, cid: string): Promise<CcxtOrderLike | undefined> {
    for (const m of CLOSED_SCANS.filter((x) => ex.has[x])) {
      const o = ((await this.d.query(() => (ex[m] as (s: string) => Promise<unknown[]>).call(ex, symbol))) as CcxtOrderLike[]).find((x) => this.isOurs(x, cid));
      if (o) return o;
    }
    return undefined;
  }
}
