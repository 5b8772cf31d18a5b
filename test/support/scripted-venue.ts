/**
 * A scriptable fake venue for OMS tests: it keeps its own "remote" order book (what the venue
 * knows) apart from the engine's journal, and injects the faults that cost real traders money:
 * the response lost after the venue accepted, a submit that never arrived, a rejection, a
 * disconnect during which fills happen.
 */
import type { VenueConnector, VenueContext, VenueFactory, VenueFillReport, VenueListener, VenueOrderReport, VenuePreview, SubmitAck } from '../../src-main/engine/venues/venue-port';
import { OutcomeUnknownError, VenueRejectedError } from '../../src-main/engine/venues/venue-port';
import type { Instrument } from '../../src-main/engine/domain/instrument';
import type { Balance, Order, Position, Quote } from '../../src-main/engine/domain/order';
import { Decimal, toStr } from '../../src-main/engine/domain/money';

export type SubmitBehaviour = 'accept' | 'reject' | 'lost_after_accept' | 'lost_before_accept';

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

export class ScriptedVenue implements VenueConnector {
  readonly kind = 'scripted';
  /** Behaviour of the next submits, consumed in order; `accept` when empty. */
  readonly submitScript: SubmitBehaviour[] = [];
  readonly remote = new Map<string, RemoteOrder>();
  readonly remoteFills: VenueFillReport[] = [];
  submitCalls = 0;
  connected = true;
  private listener?: VenueListener;
  private seq = 0;
  private fillSeq = 0;

  constructor(readonly name: string, private readonly now: () => number) {}

  async start(l: VenueListener) {
    this.listener = l;
    l.state('connected', 'scripted');
  }
  async stop() {
    this.listener = undefined;
  }
  state() {
    return { state: this.connected ? ('connected' as const) : ('disconnected' as const), detail: 'scripted' };
  }
  instruments() {
    return [SCRIPTED_INSTRUMENT];
  }
  instrument(idOrSymbol: string) {
    const s = idOrSymbol.toUpperCase();
    return s === SCRIPTED_INSTRUMENT.id.toUpperCase() || s === SCRIPTED_INSTRUMENT.symbol || s === 'XYZ' ? SCRIPTED_INSTRUMENT : undefined;
  }
  quote(instrumentId: string): Quote | undefined {
    return { instrumentId, bid: '99.99', ask: '100.01', bidSize: '10', askSize: '10', ts: this.now() };
  }
  book() {
    return undefined;
  }
  async preview(_i: Instrument, t: { qty: string; limitPrice?: string }): Promise<VenuePreview> {
    const px = t.limitPrice ?? '100.01';
    const notional = new Decimal(t.qty).mul(px);
    return { estPrice: px, estNotional: toStr(notional), estFee: '0', estTotal: toStr(notional), currency: 'USD', buyingPowerBefore: null, buyingPowerAfter: null, warnings: [], violations: [] };
  }

  async submit(order: Order): Promise<SubmitAck> {
    this.submitCalls++;
    if (!this.connected) throw new OutcomeUnknownError('socket closed');
    const b = this.submitScript.shift() ?? 'accept';
    if (b === 'reject') throw new VenueRejectedError('insufficient margin (scripted)', 'E1');
    if (b === 'lost_before_accept') throw new OutcomeUnknownError('timeout before the venue saw it');
    if (this.remote.has(order.clientOrderId)) throw new VenueRejectedError('duplicate client order id', 'DUP');
    const r: RemoteOrder = { venueOrderId: `V${++this.seq}`, order, status: 'accepted', filled: new Decimal(0), notional: new Decimal(0) };
    this.remote.set(order.clientOrderId, r);
    if (b === 'lost_after_accept') throw new OutcomeUnknownError('timeout after the venue accepted');
    return { venueOrderId: r.venueOrderId, status: 'accepted' };
  }

  async cancel(order: Order) {
    if (!this.connected) throw new Error('disconnected');
    const r = this.remote.get(order.clientOrderId);
    if (!r) throw new VenueRejectedError('unknown order', 'NF');
    if (r.status === 'filled' || r.status === 'cancelled') throw new VenueRejectedError('order is closed', 'CLOSED');
    r.status = 'cancelled';
    this.emitReport(r);
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
    if (this.connected) {
      this.listener?.fill(f);
      this.emitReport(r);
    }
  }

  /** An order placed elsewhere (another app, the venue's website). */
  placeExternal(clientOrderId: string, qty: string, price: string) {
    const order = { clientOrderId, instrumentId: SCRIPTED_INSTRUMENT.id, side: 'buy', type: 'limit', qty, limitPrice: price, tif: 'gtc' } as Order;
    this.remote.set(clientOrderId, { venueOrderId: `V${++this.seq}`, order, status: 'accepted', filled: new Decimal(0), notional: new Decimal(0) });
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
    return [...this.remote.values()].filter((r) => r.status === 'accepted' || r.status === 'partially_filled').map((r) => this.report(r));
  }
  async fillsSince(ts: number) {
    return this.remoteFills.filter((f) => f.ts >= ts);
  }
  async positions(): Promise<Position[]> {
    return [];
  }
  async balances(): Promise<Balance[]> {
    return [];
  }
}

/** A factory that hands out one shared instance per venue name, so a test can script it. */
export function scriptedFactory(now: () => number): VenueFactory & { instances: Map<string, ScriptedVenue> } {
  const instances = new Map<string, ScriptedVenue>();
  return {
    instances,
    info: { kind: 'scripted', label: 'Scripted test venue', settings: [], secrets: [{ field: 'apiKey', label: 'API key' }] },
    create(ctx: VenueContext) {
      let v = instances.get(ctx.name);
      if (!v) {
        v = new ScriptedVenue(ctx.name, now);
        instances.set(ctx.name, v);
      }
      return v;
    },
  };
}
