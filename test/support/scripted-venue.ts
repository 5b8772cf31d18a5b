/**
 * A scriptable fake venue for OMS tests: it keeps its own "remote" order book (what the venue
 * knows) apart from the engine's journal, and injects the faults that cost real traders money:
 * the response lost after the venue accepted, a submit that never arrived, a rejection, a
 * disconnect during which fills happen.
 */
import type {
  ReplaceAck,
  ReplaceChanges,
  VenueConnector,
  VenueContext,
  VenueFactory,
  VenueFillReport,
  VenueListener,
  VenueOrderReport,
  VenuePreview,
  SubmitAck,
} from '../../src-main/engine/venues/venue-port';
import { OutcomeUnknownError, VenueRejectedError } from '../../src-main/engine/venues/venue-port';
import type { Instrument } from '../../src-main/engine/domain/instrument';
import type { OptionChain } from '../../src-main/engine/domain/option-chain';
import type { OrderCapabilities } from '../../src-main/engine/domain/order-capabilities';
import fs from 'node:fs';
import type { Balance, Order, Position, Quote } from '../../src-main/engine/domain/order';
import { Decimal, toStr } from '../../src-main/engine/domain/money';

export type SubmitBehaviour = 'accept' | 'reject' | 'lost_after_accept' | 'lost_before_accept';
/** A replace: applied and acked, refused, applied but the ack lost, or lost before the venue saw it. */
export type ReplaceBehaviour = 'accept' | 'reject' | 'lost_after_accept' | 'lost_before_accept';

export const SCRIPTED_INSTRUMENT: Instrument = {
  id: 'scripted:XYZ',
  venue: 'scripted',
  venueSymbol: 'XYZ',
  symbol: 'XYZ/USD',
  assetClass: 'crypto_spot',
  description: 'Scripted test pair',
  base: 'XYZ',
  quote: 'USD',
  tickSize: '0.01',
  lotSize: '0.001',
  minQty: '0.001',
  minNotional: '0',
  multiplier: '1',
  fractional: true,
  session: 'always',
};

interface RemoteOrder {
  venueOrderId: string;
  order: Order;
  status: VenueOrderReport['status'];
  filled: Decimal;
  notional: Decimal;
}

/** What the "venue" knows, as JSON: a file-backed venue survives the test process being killed. */
interface PersistedRemote {
  seq: number;
  fillSeq: number;
  submitLog: string[];
  orders: Array<{ venueOrderId: string; order: Order; status: VenueOrderReport['status']; filled: string; notional: string }>;
  fills: VenueFillReport[];
}

export interface ScriptedVenueOptions {
  /** Keep the remote book in this JSON file (loaded on construction, written after every change). */
  readonly persistPath?: string;
  /** Called inside submit before the venue records the order and after (before the ack returns): crash tests pause here. */
  readonly submitHook?: (phase: 'before_venue' | 'after_venue', order: Order) => Promise<void>;
  /** What the venue says it accepts; absent = BASIC_CAPABILITIES (no capabilities() method at all). */
  readonly capabilities?: OrderCapabilities;
  /** An option venue: the chains it lists by underlying, and the option instruments they name. */
  readonly options?: { readonly chains: Readonly<Record<string, OptionChain>>; readonly instruments: readonly Instrument[] };
}

export class ScriptedVenue implements VenueConnector {
  readonly kind = 'scripted';
  /** Behaviour of the next submits, consumed in order; `accept` when empty. */
  readonly submitScript: SubmitBehaviour[] = [];
  readonly remote = new Map<string, RemoteOrder>();
  readonly remoteFills: VenueFillReport[] = [];
  /** Client id of every submit that reached the venue (accepted or not): two entries for one id = a resend. */
  readonly submitLog: string[] = [];
  /** Behaviour of the next replaces, consumed in order; `accept` when empty. */
  readonly replaceScript: ReplaceBehaviour[] = [];
  /** Every replace that reached the venue: client id and the change. */
  readonly replaceLog: Array<{ clientOrderId: string; changes: ReplaceChanges }> = [];
  replaceCalls = 0;
  submitCalls = 0;
  connected = true;
  /** False: quotes keep the time setQuote() was called (so they can go stale). */
  quotesAlwaysFresh = true;
  /** True: the venue has no market data at all. */
  noQuote = false;
  /** USD cash the venue reports; positions follow from its fills. */
  cash = new Decimal('1000000');
  /**
   * Buying power the venue's preview reports (before; after = before minus a buy's notional).
   * Null: the preview gives no buying power, like a venue without an account preview.
   */
  buyingPower: Decimal | null = null;
  /** Violations the venue's own preview adds (its own account checks, in its own words). */
  previewViolations: Array<{ code: string; message: string }> = [];
  capabilities?: () => OrderCapabilities;
  private listener?: VenueListener;
  private seq = 0;
  private fillSeq = 0;
  private q: Quote;

  constructor(
    readonly name: string,
    private readonly now: () => number,
    private readonly opts: ScriptedVenueOptions = {},
  ) {
    const caps = opts.capabilities;
    if (caps) this.capabilities = () => caps;
    const options = opts.options;
    if (options) {
      this.optionChain = async (underlying) => {
        const chain = options.chains[underlying.toUpperCase()];
        if (!chain) throw new VenueRejectedError(`no options on ${underlying}`, 'unknown_instrument');
        return chain;
      };
    }
    this.q = { instrumentId: SCRIPTED_INSTRUMENT.id, bid: '99.99', ask: '100.01', bidSize: '10', askSize: '10', ts: now() };
    if (opts.persistPath && fs.existsSync(opts.persistPath)) {
      const p = JSON.parse(fs.readFileSync(opts.persistPath, 'utf8')) as PersistedRemote;
      this.seq = p.seq;
      this.fillSeq = p.fillSeq;
      this.submitLog.push(...p.submitLog);
      for (const o of p.orders)
        this.remote.set(o.order.clientOrderId, { venueOrderId: o.venueOrderId, order: o.order, status: o.status, filled: new Decimal(o.filled), notional: new Decimal(o.notional) });
      this.remoteFills.push(...p.fills);
    }
  }

  /** Writes the remote book (file-backed venues only); atomic rename so a kill never leaves half a file. */
  persist() {
    const file = this.opts.persistPath;
    if (!file) return;
    const p: PersistedRemote = {
      seq: this.seq,
      fillSeq: this.fillSeq,
      submitLog: this.submitLog,
      orders: [...this.remote.values()].map((r) => ({ venueOrderId: r.venueOrderId, order: r.order, status: r.status, filled: toStr(r.filled), notional: toStr(r.notional) })),
      fills: this.remoteFills,
    };
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(p));
    fs.renameSync(`${file}.tmp`, file);
  }

  async start(l: VenueListener) {
    this.listener = l;
    l.state('connected', 'scripted');
  }

  /** The connection drops: nothing reaches the engine until reconnect(). */
  disconnect() {
    this.connected = false;
    this.listener?.state('disconnected', 'scripted: connection lost');
  }
  /** The connection is back; the engine reconciles because it saw disconnected → connected. */
  reconnect() {
    this.connected = true;
    this.listener?.state('connected', 'scripted');
  }

  /** The market moves: a new top of book (and a quote event while connected). */
  setQuote(bid: string, ask: string, size = '10') {
    this.q = { instrumentId: SCRIPTED_INSTRUMENT.id, bid, ask, bidSize: size, askSize: size, ts: this.now() };
    if (this.connected) this.listener?.quote(this.q);
  }
  async stop() {
    this.listener = undefined;
  }
  state() {
    return { state: this.connected ? ('connected' as const) : ('disconnected' as const), detail: 'scripted' };
  }
  optionChain?: (underlying: string) => Promise<OptionChain>;
  instruments() {
    return [SCRIPTED_INSTRUMENT, ...(this.opts.options?.instruments ?? [])];
  }
  instrument(idOrSymbol: string) {
    const s = idOrSymbol.toUpperCase();
    if (s === SCRIPTED_INSTRUMENT.id.toUpperCase() || s === SCRIPTED_INSTRUMENT.symbol || s === 'XYZ') return SCRIPTED_INSTRUMENT;
    return this.opts.options?.instruments.find((i) => i.id.toUpperCase() === s || i.symbol.toUpperCase() === s);
  }
  quote(instrumentId: string): Quote | undefined {
    // Always fresh: a scripted market never goes stale unless a test says so.
    if (this.noQuote || instrumentId !== SCRIPTED_INSTRUMENT.id) return undefined;
    return this.quotesAlwaysFresh ? { ...this.q, ts: this.now() } : this.q;
  }
  book() {
    return undefined;
  }
  async preview(_i: Instrument, t: { side?: string; qty: string; limitPrice?: string }): Promise<VenuePreview> {
    const px = t.limitPrice ?? '100.01';
    const notional = new Decimal(t.qty).mul(px);
    const bp = this.buyingPower;
    const after = bp === null ? null : t.side === 'sell' ? bp : bp.minus(notional);
    return {
      estPrice: px,
      estNotional: toStr(notional),
      estFee: '0',
      estTotal: toStr(notional),
      currency: 'USD',
      buyingPowerBefore: bp === null ? null : toStr(bp),
      buyingPowerAfter: after === null ? null : toStr(after),
      warnings: [],
      violations: [...this.previewViolations],
    };
  }

  async submit(order: Order): Promise<SubmitAck> {
    this.submitCalls++;
    await this.opts.submitHook?.('before_venue', order);
    if (!this.connected) throw new OutcomeUnknownError('socket closed');
    const b = this.submitScript.shift() ?? 'accept';
    if (b === 'lost_before_accept') throw new OutcomeUnknownError('timeout before the venue saw it');
    this.submitLog.push(order.clientOrderId);
    if (b === 'reject') {
      this.persist();
      throw new VenueRejectedError('insufficient margin (scripted)', 'E1');
    }
    if (this.remote.has(order.clientOrderId)) {
      this.persist();
      throw new VenueRejectedError('duplicate client order id', 'DUP');
    }
    const r: RemoteOrder = { venueOrderId: `V${++this.seq}`, order: { ...order }, status: 'accepted', filled: new Decimal(0), notional: new Decimal(0) };
    this.remote.set(order.clientOrderId, r);
    this.persist();
    await this.opts.submitHook?.('after_venue', order);
    if (b === 'lost_after_accept') throw new OutcomeUnknownError('timeout after the venue accepted');
    return { venueOrderId: r.venueOrderId, status: 'accepted' };
  }

  async cancel(order: Order) {
    if (!this.connected) throw new Error('disconnected');
    const r = this.remote.get(order.clientOrderId);
    if (!r) throw new VenueRejectedError('unknown order', 'NF');
    if (r.status === 'filled' || r.status === 'cancelled') throw new VenueRejectedError('order is closed', 'CLOSED');
    r.status = 'cancelled';
    this.persist();
    this.emitReport(r);
  }

  async replace(order: Order, changes: ReplaceChanges): Promise<ReplaceAck> {
    this.replaceCalls++;
    if (!this.connected) throw new OutcomeUnknownError('socket closed');
    const b = this.replaceScript.shift() ?? 'accept';
    if (b === 'lost_before_accept') throw new OutcomeUnknownError('timeout before the venue saw the change');
    const r = this.remote.get(order.clientOrderId);
    if (!r) throw new VenueRejectedError('unknown order', 'NF');
    this.replaceLog.push({ clientOrderId: order.clientOrderId, changes: { ...changes } });
    if (b === 'reject') throw new VenueRejectedError('price outside the allowed band (scripted)', 'E2');
    if (r.status !== 'accepted' && r.status !== 'partially_filled') throw new VenueRejectedError('order is closed', 'CLOSED');
    if (changes.qty !== undefined && new Decimal(changes.qty).lte(r.filled)) throw new VenueRejectedError('quantity below filled', 'QTY');
    r.order = { ...r.order, ...changes };
    this.persist();
    this.emitReport(r);
    if (b === 'lost_after_accept') throw new OutcomeUnknownError('timeout after the venue applied the change');
    return {
      venueOrderId: r.venueOrderId,
      status: r.status,
      qty: r.order.qty,
      ...(r.order.limitPrice ? { limitPrice: r.order.limitPrice } : {}),
      ...(r.order.stopPrice ? { stopPrice: r.order.stopPrice } : {}),
    };
  }

  /** The venue fills `qty` of an order; events reach the engine only while connected. */
  fill(clientOrderId: string, qty: string, price: string) {
    const r = this.remote.get(clientOrderId);
    if (!r) throw new Error(`scripted venue has no order ${clientOrderId}`);
    const q = new Decimal(qty);
    r.filled = r.filled.plus(q);
    r.notional = r.notional.plus(q.mul(price));
    r.status = r.filled.gte(r.order.qty) ? 'filled' : 'partially_filled';
    const f: VenueFillReport = {
      clientOrderId,
      venueOrderId: r.venueOrderId,
      venueFillId: `X${++this.fillSeq}`,
      instrumentId: r.order.instrumentId,
      side: r.order.side,
      qty: toStr(q),
      price,
      fee: '0',
      feeCurrency: 'USD',
      liquidity: 'maker',
      ts: this.now(),
    };
    this.remoteFills.push(f);
    this.persist();
    if (this.connected) {
      this.listener?.fill(f);
      this.emitReport(r);
      for (const p of this.positionList()) this.listener?.position(p);
    }
  }

  /** Net position per instrument from the venue's fills (what a real venue reports). */
  positionList(): Position[] {
    let qty = new Decimal(0);
    let avg = new Decimal(0);
    let realized = new Decimal(0);
    for (const f of this.remoteFills) {
      const signed = f.side === 'buy' ? new Decimal(f.qty) : new Decimal(f.qty).neg();
      const px = new Decimal(f.price);
      if (qty.isZero() || qty.isNeg() === signed.isNeg()) {
        const next = qty.plus(signed);
        avg = qty.abs().mul(avg).plus(signed.abs().mul(px)).div(next.abs());
        qty = next;
      } else {
        const closing = Decimal.min(signed.abs(), qty.abs());
        realized = realized.plus(
          px
            .minus(avg)
            .mul(closing)
            .mul(qty.isNeg() ? -1 : 1),
        );
        const next = qty.plus(signed);
        if (next.isZero()) avg = new Decimal(0);
        else if (next.isNeg() !== qty.isNeg()) avg = px;
        qty = next;
      }
    }
    return [{ venue: this.name, instrumentId: SCRIPTED_INSTRUMENT.id, symbol: SCRIPTED_INSTRUMENT.symbol, qty: toStr(qty), avgPrice: toStr(avg.toDecimalPlaces(8)), realizedPnl: toStr(realized) }];
  }

  /** An order placed elsewhere (another app, the venue's website). */
  placeExternal(clientOrderId: string, qty: string, price: string) {
    const order = { clientOrderId, instrumentId: SCRIPTED_INSTRUMENT.id, side: 'buy', type: 'limit', qty, limitPrice: price, tif: 'gtc' } as Order;
    this.remote.set(clientOrderId, { venueOrderId: `V${++this.seq}`, order, status: 'accepted', filled: new Decimal(0), notional: new Decimal(0) });
    this.persist();
  }

  private report(r: RemoteOrder): VenueOrderReport {
    return {
      clientOrderId: r.order.clientOrderId,
      venueOrderId: r.venueOrderId,
      status: r.status,
      filledQty: toStr(r.filled),
      avgFillPrice: r.filled.isZero() ? '0' : toStr(r.notional.div(r.filled)),
      ts: this.now(),
      instrumentId: r.order.instrumentId,
      side: r.order.side,
      type: r.order.type,
      qty: r.order.qty,
      ...(r.order.limitPrice ? { limitPrice: r.order.limitPrice } : {}),
      ...(r.order.stopPrice ? { stopPrice: r.order.stopPrice } : {}),
      tif: r.order.tif,
    };
  }
  private emitReport(r: RemoteOrder) {
    if (this.connected) this.listener?.orderReport(this.report(r));
  }

  async lookup(clientOrderId: string) {
    if (!this.connected) throw new Error('disconnected');
    const r = this.remote.get(clientOrderId);
    return r ? this.report(r) : undefined;
  }
  async openOrders() {
    if (!this.connected) throw new Error('disconnected');
    return [...this.remote.values()].filter((r) => r.status === 'accepted' || r.status === 'partially_filled').map((r) => this.report(r));
  }
  async fillsSince(ts: number) {
    if (!this.connected) throw new Error('disconnected');
    return this.remoteFills.filter((f) => f.ts >= ts);
  }
  async positions(): Promise<Position[]> {
    return this.positionList().filter((p) => !new Decimal(p.qty).isZero());
  }
  async balances(): Promise<Balance[]> {
    return [{ venue: this.name, asset: 'USD', total: toStr(this.cash), available: toStr(this.cash) }];
  }
}

/** A factory that hands out one shared instance per venue name, so a test can script it. */
export function scriptedFactory(now: () => number, opts: (name: string) => ScriptedVenueOptions = () => ({})): VenueFactory & { instances: Map<string, ScriptedVenue> } {
  const instances = new Map<string, ScriptedVenue>();
  return {
    instances,
    info: { kind: 'scripted', label: 'Scripted test venue', settings: [], secrets: [{ field: 'apiKey', label: 'API key' }] },
    create(ctx: VenueContext) {
      let v = instances.get(ctx.name);
      if (!v) {
        v = new ScriptedVenue(ctx.name, now, opts(ctx.name));
        instances.set(ctx.name, v);
      }
      return v;
    },
  };
}
