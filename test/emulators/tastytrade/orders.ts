/**
 * The tastytrade emulator's orders, fills, positions and balances. Orders are validated as the
 * Open API documents them (order types, time-in-force, legs with actions, price effect, stop
 * trigger, `gtc-date` for GTD, `value` for Notional Market — stocks and crypto only; a
 * cryptocurrency leg only as Market, Limit or Notional Market, GTC or IOC, Buy to Open / Sell to
 * Close, at most 8 decimals; its fee 1 % of the notional, at most 10.00) and answered with its error bodies
 * (`validation_error` 400, `preflight_check_failure` 422). `external-identifier` is stored and
 * returned but never deduplicated: two submits with the same identifier are two orders.
 */
import Decimal from 'decimal.js';
import type { Catalogue, TtInstrument } from './instruments';

export const TIFS = ['Day', 'GTC', 'GTD', 'IOC', 'FOK', 'Ext'] as const;
export const ORDER_TYPES = ['Limit', 'Market', 'Stop', 'Stop Limit', 'Notional Market'] as const;
export const ACTIONS = ['Buy to Open', 'Buy to Close', 'Sell to Open', 'Sell to Close', 'Buy', 'Sell'] as const;
const LIVE = new Set(['Received', 'Routed', 'In Flight', 'Live', 'Contingent', 'Cancel Requested', 'Replace Requested']);

export class TtError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: readonly { code: string; message: string }[] = [],
  ) {
    super(message);
  }

  body(): unknown {
    return { error: { code: this.code, message: this.message, ...(this.errors.length ? { errors: this.errors } : {}) } };
  }
}

export interface TtFill {
  'ext-group-fill-id': string;
  'ext-exec-id': string;
  'fill-id': string;
  quantity: string;
  'fill-price': string;
  'filled-at': string;
  'destination-venue': string;
}

export interface TtLeg {
  'instrument-type': string;
  symbol: string;
  quantity: string;
  'remaining-quantity': string;
  action: string;
  fills: TtFill[];
}

export interface TtOrder {
  id: number;
  'account-number': string;
  'time-in-force': string;
  'gtc-date'?: string;
  'order-type': string;
  size: string;
  'underlying-symbol': string;
  'underlying-instrument-type': string;
  price?: string;
  'price-effect'?: string;
  value?: string;
  'value-effect'?: string;
  'stop-trigger'?: string;
  status: string;
  cancellable: boolean;
  editable: boolean;
  edited: boolean;
  'external-identifier'?: string;
  'received-at': string;
  'updated-at': number;
  'terminal-at'?: string;
  'cancelled-at'?: string;
  'reject-reason'?: string;
  'replaces-order-id'?: number;
  'replacing-order-id'?: number;
  legs: TtLeg[];
}

export interface TtPosition {
  qty: Decimal;
  avg: Decimal;
  inst: TtInstrument;
}

/** A change the server publishes on the account streamer. */
export type TtChange = { type: 'Order'; data: TtOrder } | { type: 'CurrentPosition'; data: Record<string, unknown> } | { type: 'AccountBalance'; data: Record<string, unknown> };

interface Parsed {
  order: Omit<TtOrder, 'id' | 'account-number' | 'status' | 'received-at' | 'updated-at' | 'cancellable' | 'editable' | 'edited'>;
  insts: TtInstrument[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined);
const dec = (v: unknown): Decimal | undefined => {
  const s = str(v);
  if (s === undefined || !/^-?\d+(\.\d+)?$/.test(s.trim())) return undefined;
  return new Decimal(s);
};

const CRYPTO_TYPES = ['Limit', 'Market', 'Notional Market'];
const CRYPTO_TIFS = ['GTC', 'IOC'];
const CRYPTO_ACTIONS = ['Buy to Open', 'Sell to Close'];

/** What tastytrade refuses on a cryptocurrency leg (crypto trades around the clock, long only). */
function cryptoErrors(i: number, type: string | undefined, tif: string | undefined, action: string, qty: Decimal | undefined): { code: string; message: string }[] {
  const errs: { code: string; message: string }[] = [];
  if (type && !CRYPTO_TYPES.includes(type)) errs.push({ code: 'invalid_order_type', message: `Cryptocurrency orders must be ${CRYPTO_TYPES.join(', ')}` });
  if (tif && !CRYPTO_TIFS.includes(tif)) errs.push({ code: 'invalid_time_in_force', message: `Cryptocurrency orders must be ${CRYPTO_TIFS.join(' or ')}` });
  if (!CRYPTO_ACTIONS.includes(action)) errs.push({ code: 'invalid_action', message: `legs[${i}]: a Cryptocurrency leg is ${CRYPTO_ACTIONS.join(' or ')}` });
  if (qty && qty.decimalPlaces() > 8) errs.push({ code: 'invalid_quantity', message: `legs[${i}]: at most 8 decimals for a Cryptocurrency quantity` });
  return errs;
}

export class Accounts {
  readonly orders = new Map<number, TtOrder>();
  readonly positions = new Map<string, TtPosition>();
  cash = new Decimal('100000');
  private nextId = 1000;
  private fillSeq = 0;
  /** The next create is refused with this preflight message (control `reject-next`). */
  rejectNext?: string;

  constructor(
    readonly accountNumber: string,
    private readonly catalogue: Catalogue,
    private readonly now: () => number,
    private readonly changed: (c: TtChange) => void,
  ) {}

  /** Validates a documented order body; throws TtError(400) with the venue's field errors. */
  parse(body: unknown): Parsed {
    const errs: { code: string; message: string }[] = [];
    const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    const tif = str(b['time-in-force']);
    const type = str(b['order-type']);
    if (!tif || !(TIFS as readonly string[]).includes(tif)) errs.push({ code: 'invalid_time_in_force', message: `time-in-force must be one of ${TIFS.join(', ')}` });
    if (!type || !(ORDER_TYPES as readonly string[]).includes(type)) errs.push({ code: 'invalid_order_type', message: `order-type must be one of ${ORDER_TYPES.join(', ')}` });
    const price = dec(b['price']);
    const effect = str(b['price-effect']);
    const stop = dec(b['stop-trigger']);
    const value = dec(b['value']);
    if ((type === 'Limit' || type === 'Stop Limit') && (!price || price.lte(0))) errs.push({ code: 'price_required', message: 'price is required for Limit and Stop Limit orders' });
    if ((type === 'Limit' || type === 'Stop Limit') && effect !== 'Debit' && effect !== 'Credit') errs.push({ code: 'price_effect_required', message: 'price-effect must be Debit or Credit' });
    if ((type === 'Stop' || type === 'Stop Limit') && (!stop || stop.lte(0))) errs.push({ code: 'stop_trigger_required', message: 'stop-trigger is required for Stop and Stop Limit orders' });
    if ((type === 'Market' || type === 'Stop') && b['price'] !== undefined && b['price'] !== null) errs.push({ code: 'price_not_allowed', message: `price is not allowed on ${type} orders` });
    if (type === 'Notional Market' && (!value || value.lte(0))) errs.push({ code: 'value_required', message: 'value is required for Notional Market orders' });
    const gtcDate = str(b['gtc-date']);
    if (tif === 'GTD' && (!gtcDate || !/^\d{4}-\d{2}-\d{2}$/.test(gtcDate))) errs.push({ code: 'gtc_date_required', message: 'gtc-date (YYYY-MM-DD) is required for GTD orders' });
    const rawLegs = Array.isArray(b['legs']) ? (b['legs'] as unknown[]) : [];
    if (rawLegs.length < 1 || rawLegs.length > 4) errs.push({ code: 'invalid_legs', message: 'an order has 1 to 4 legs' });
    const insts: TtInstrument[] = [];
    const legs: TtLeg[] = rawLegs.map((l, i) => {
      const leg = (l && typeof l === 'object' ? l : {}) as Record<string, unknown>;
      const symbol = str(leg['symbol']) ?? '';
      const inst = this.catalogue.get(symbol);
      const action = str(leg['action']) ?? '';
      const qty = dec(leg['quantity']);
      if (!inst) errs.push({ code: 'invalid_symbol', message: `legs[${i}]: unknown symbol ${JSON.stringify(symbol)}` });
      else if (leg['instrument-type'] !== inst.type) errs.push({ code: 'invalid_instrument_type', message: `legs[${i}]: instrument-type must be ${inst.type} for ${symbol}` });
      if (!(ACTIONS as readonly string[]).includes(action)) errs.push({ code: 'invalid_action', message: `legs[${i}]: action must be one of ${ACTIONS.join(', ')}` });
      if (type !== 'Notional Market' && (!qty || qty.lte(0))) errs.push({ code: 'invalid_quantity', message: `legs[${i}]: quantity must be positive` });
      if (inst?.type === 'Cryptocurrency') errs.push(...cryptoErrors(i, type, tif, action, qty));
      if (type === 'Notional Market' && inst && inst.type !== 'Equity' && inst.type !== 'Cryptocurrency')
        errs.push({ code: 'invalid_order_type', message: `legs[${i}]: Notional Market (a dollar amount) is for Equity and Cryptocurrency only` });
      if (inst) insts.push(inst);
      const q = qty?.toString() ?? '0';
      return { 'instrument-type': str(leg['instrument-type']) ?? '', symbol, quantity: q, 'remaining-quantity': q, action, fills: [] };
    });
    errs.push(...spreadErrors(legs, insts));
    if (errs.length) throw new TtError(400, 'validation_error', 'Request validation failed', errs);
    const first = insts[0]!;
    const ext = str(b['external-identifier']);
    return {
      insts,
      order: {
        'time-in-force': tif!,
        ...(gtcDate ? { 'gtc-date': gtcDate } : {}),
        'order-type': type!,
        size: legs[0]!.quantity,
        'underlying-symbol': first.underlying,
        'underlying-instrument-type': first.type === 'Equity Option' ? 'Equity' : first.type,
        ...(price ? { price: price.toString(), 'price-effect': effect! } : {}),
        ...(value ? { value: value.toString(), 'value-effect': str(b['value-effect']) ?? 'Debit' } : {}),
        ...(stop ? { 'stop-trigger': stop.toString() } : {}),
        ...(ext !== undefined ? { 'external-identifier': ext } : {}),
        legs,
      },
    };
  }

  /** The order's buying-power need (debit legs at the limit or the quote). */
  private cost(p: Parsed): Decimal {
    if (p.order.value) return new Decimal(p.order.value);
    return p.order.legs.reduce((sum, leg, i) => {
      const inst = p.insts[i]!;
      const q = this.catalogue.quotes.get(inst.symbol)!;
      const buy = leg.action.startsWith('Buy');
      const px = p.order.legs.length === 1 && p.order.price ? new Decimal(p.order.price) : new Decimal(buy ? q.ask : q.bid);
      const notional = px.mul(leg.quantity).mul(inst.multiplier);
      // A future (either side) ties up its initial margin, here 5 % of the notional.
      if (inst.type === 'Future') return sum.add(notional.mul('0.05'));
      return buy ? sum.add(notional) : sum.sub(notional);
    }, new Decimal(0));
  }

  buyingPower(): Decimal {
    return this.cash;
  }

  /** What `dry-run` answers: the order as it would be, the buying-power effect, fees, warnings and errors (201 even with errors). */
  dryRun(body: unknown): Record<string, unknown> {
    const p = this.parse(body);
    const cost = this.cost(p);
    const errors: { code: string; message: string }[] = [];
    if (cost.gt(this.buyingPower())) errors.push({ code: 'insufficient_buying_power', message: `This order exceeds your buying power of ${this.buyingPower().toFixed(2)}` });
    const warnings = p.order['time-in-force'] === 'Ext' ? [{ code: 'extended_hours', message: 'Extended-hours orders may fill at prices far from the regular session' }] : [];
    return {
      order: this.view({ ...p.order, id: 0, status: 'Received' }),
      warnings,
      errors,
      'buying-power-effect': this.bpEffect(cost),
      'fee-calculation': this.fees(p),
    };
  }

  private bpEffect(cost: Decimal): Record<string, unknown> {
    const abs = cost.abs().toFixed(2);
    const effect = cost.gte(0) ? 'Debit' : 'Credit';
    return {
      'change-in-margin-requirement': abs,
      'change-in-margin-requirement-effect': effect,
      'change-in-buying-power': abs,
      'change-in-buying-power-effect': effect,
      'current-buying-power': this.buyingPower().toFixed(2),
      'current-buying-power-effect': 'Credit',
      'new-buying-power': this.buyingPower().sub(cost).abs().toFixed(2),
      'new-buying-power-effect': this.buyingPower().gte(cost) ? 'Credit' : 'Debit',
      'isolated-order-margin-requirement': abs,
      'isolated-order-margin-requirement-effect': effect,
      'is-spread': false,
      impact: abs,
      effect,
    };
  }

  /** 1 % of a cryptocurrency order's notional (value, or quantity at the price or the quote), at most 10.00. */
  private cryptoCommission(p: Parsed): Decimal {
    return p.order.legs.reduce((s, l, i) => {
      const inst = p.insts[i]!;
      if (inst.type !== 'Cryptocurrency') return s;
      const q = this.catalogue.quotes.get(inst.symbol)!;
      const px = new Decimal(p.order.price ?? (l.action.startsWith('Buy') ? q.ask : q.bid));
      const notional = p.order.value ? new Decimal(p.order.value) : px.mul(l.quantity);
      return s.add(Decimal.min(notional.mul('0.01'), 10).toDecimalPlaces(2));
    }, new Decimal(0));
  }

  private fees(p: Parsed): Record<string, unknown> {
    const contracts = p.order.legs.reduce((s, l, i) => (p.insts[i]!.type === 'Equity' || p.insts[i]!.type === 'Cryptocurrency' ? s : s.add(l.quantity)), new Decimal(0));
    const commission = contracts.mul('1.00').add(this.cryptoCommission(p));
    const regulatory = contracts.mul('0.02');
    return {
      'regulatory-fees': regulatory.toFixed(2),
      'regulatory-fees-effect': 'Debit',
      'clearing-fees': contracts.mul('0.10').toFixed(2),
      'clearing-fees-effect': 'Debit',
      commission: commission.toFixed(2),
      'commission-effect': 'Debit',
      'proprietary-index-option-fees': '0.00',
      'proprietary-index-option-fees-effect': 'None',
      'total-fees': commission.add(regulatory).add(contracts.mul('0.10')).toFixed(2),
      'total-fees-effect': 'Debit',
    };
  }

  create(body: unknown): Record<string, unknown> {
    const p = this.parse(body);
    const cost = this.cost(p);
    if (this.rejectNext) {
      const message = this.rejectNext;
      this.rejectNext = undefined;
      throw new TtError(422, 'preflight_check_failure', 'One or more preflight checks failed', [{ code: 'preflight_check_failure', message }]);
    }
    if (cost.gt(this.buyingPower()))
      throw new TtError(422, 'preflight_check_failure', 'One or more preflight checks failed', [
        { code: 'insufficient_buying_power', message: `This order exceeds your buying power of ${this.buyingPower().toFixed(2)}` },
      ]);
    const order = this.store(p);
    this.match(order);
    return { order: this.view(order), warnings: [], 'buying-power-effect': this.bpEffect(cost), 'fee-calculation': this.fees(p) };
  }

  private store(p: Parsed, replaces?: number): TtOrder {
    const order: TtOrder = {
      ...p.order,
      id: this.nextId++,
      'account-number': this.accountNumber,
      status: 'Live',
      cancellable: true,
      editable: true,
      edited: false,
      'received-at': new Date(this.now()).toISOString(),
      'updated-at': this.now(),
      ...(replaces !== undefined ? { 'replaces-order-id': replaces } : {}),
    };
    this.orders.set(order.id, order);
    this.changed({ type: 'Order', data: this.view(order) });
    return order;
  }

  /** Market and marketable single-leg orders fill at once at the quote; IOC/FOK that cannot fill are cancelled. */
  private match(o: TtOrder): void {
    if (o.legs.length > 1) return this.matchSpread(o);
    const single = o.legs.length === 1 ? o.legs[0]! : undefined;
    const q = single ? this.catalogue.quotes.get(single.symbol) : undefined;
    if (single && q) {
      const buy = single.action.startsWith('Buy');
      const px = new Decimal(buy ? q.ask : q.bid);
      const marketable = o['order-type'] === 'Market' || o['order-type'] === 'Notional Market' || (o['order-type'] === 'Limit' && o.price !== undefined && (buy ? px.lte(o.price) : px.gte(o.price)));
      if (marketable) {
        const places = single['instrument-type'] === 'Cryptocurrency' ? 8 : 4;
        const qty = o['order-type'] === 'Notional Market' ? new Decimal(o.value!).div(px).toDecimalPlaces(places, Decimal.ROUND_DOWN) : new Decimal(single['remaining-quantity']);
        if (o['order-type'] === 'Notional Market') single.quantity = single['remaining-quantity'] = qty.toString();
        this.fill(o, qty.toString(), px.toString());
        return;
      }
    }
    if (o['time-in-force'] === 'IOC' || o['time-in-force'] === 'FOK') this.finish(o, 'Cancelled');
  }

  /**
   * A spread fills whole at once when its net market reaches its price: a Debit pays at most
   * `price` (bought legs at the ask less sold legs at the bid), a Credit receives at least `price`.
   * Every leg fills at its own quote. Otherwise it rests (IOC/FOK are cancelled).
   */
  private matchSpread(o: TtOrder): void {
    const px = o.legs.map((l) => {
      const q = this.catalogue.quotes.get(l.symbol)!;
      return l.action.startsWith('Buy') ? q.ask : q.bid;
    });
    const net = o.legs.reduce((s, l, i) => (l.action.startsWith('Buy') ? s.add(px[i]!) : s.sub(px[i]!)).toDecimalPlaces(8), new Decimal(0));
    const debit = o['price-effect'] === 'Debit';
    const marketable = o['order-type'] === 'Market' || (o.price !== undefined && (debit ? net.lte(o.price) : net.neg().gte(o.price)));
    if (marketable) this.fill(o, o.size, px);
    else if (o['time-in-force'] === 'IOC' || o['time-in-force'] === 'FOK') this.finish(o, 'Cancelled');
  }

  /**
   * Fills `qty` of every leg (in ratio) at `price` — one price for all legs, or one per leg (a
   * spread's legs trade at their own prices); the order is Filled when nothing remains.
   */
  fill(o: TtOrder, qty: string, price: string | readonly string[]): TtOrder {
    const priceOf = (i: number): string => (typeof price === 'string' ? price : price[i]!);
    if (!LIVE.has(o.status)) throw new Error(`order ${o.id} is ${o.status}`);
    const ratio = new Decimal(qty).div(o.legs[0]!['remaining-quantity'] === '0' ? 1 : o.legs[0]!['remaining-quantity']);
    if (ratio.lte(0) || ratio.gt(1)) throw new Error(`fill qty ${qty} must be > 0 and ≤ remaining ${o.legs[0]!['remaining-quantity']}`);
    for (const [i, leg] of o.legs.entries()) {
      const q = new Decimal(leg['remaining-quantity']).mul(ratio);
      const id = ++this.fillSeq;
      const at = new Date(this.now()).toISOString();
      leg.fills.push({
        'ext-group-fill-id': `G${id}`,
        'ext-exec-id': `E${id}`,
        'fill-id': `F${id}`,
        quantity: q.toString(),
        'fill-price': priceOf(i),
        'filled-at': at,
        'destination-venue': 'EMULATOR',
      });
      leg['remaining-quantity'] = new Decimal(leg['remaining-quantity']).sub(q).toString();
      this.book(leg, q, new Decimal(priceOf(i)));
    }
    o['updated-at'] = this.now();
    if (o.legs.every((l) => new Decimal(l['remaining-quantity']).isZero())) this.finish(o, 'Filled');
    else this.changed({ type: 'Order', data: this.view(o) });
    this.changed({ type: 'AccountBalance', data: this.balances() });
    return o;
  }

  private book(leg: TtLeg, q: Decimal, px: Decimal): void {
    const inst = this.catalogue.get(leg.symbol)!;
    const signed = leg.action.startsWith('Buy') ? q : q.neg();
    const pos = this.positions.get(leg.symbol) ?? { qty: new Decimal(0), avg: new Decimal(0), inst };
    const next = pos.qty.add(signed);
    if (pos.qty.isZero() || pos.qty.isNeg() === signed.isNeg()) pos.avg = pos.qty.mul(pos.avg).add(signed.mul(px)).div(next);
    else if (next.isZero() || next.isNeg() !== pos.qty.isNeg()) pos.avg = px;
    pos.qty = next;
    if (inst.type !== 'Future') this.cash = this.cash.sub(signed.mul(px).mul(inst.multiplier));
    this.positions.set(leg.symbol, pos);
    this.changed({ type: 'CurrentPosition', data: this.positionView(pos) });
  }

  private finish(o: TtOrder, status: 'Filled' | 'Cancelled' | 'Rejected' | 'Expired'): void {
    o.status = status;
    o.cancellable = o.editable = false;
    o['updated-at'] = this.now();
    o['terminal-at'] = new Date(this.now()).toISOString();
    if (status === 'Cancelled') o['cancelled-at'] = o['terminal-at'];
    this.changed({ type: 'Order', data: this.view(o) });
  }

  get(id: string): TtOrder {
    const o = this.orders.get(Number(id));
    if (!o) throw new TtError(404, 'record_not_found', `Order ${id} not found`);
    return o;
  }

  cancel(id: string): TtOrder {
    const o = this.get(id);
    if (!LIVE.has(o.status)) throw new TtError(422, 'order_not_cancellable', `Order ${id} is ${o.status} and cannot be cancelled`);
    this.finish(o, 'Cancelled');
    return o;
  }

  /** PUT: the old order is cancelled, a new one (new id, `replaces-order-id`) takes its place. */
  replace(id: string, body: unknown): TtOrder {
    const old = this.get(id);
    if (!LIVE.has(old.status)) throw new TtError(422, 'order_not_editable', `Order ${id} is ${old.status} and cannot be replaced`);
    const b = { ...(body as Record<string, unknown>) };
    if (b['legs'] === undefined) b['legs'] = old.legs.map((l) => ({ 'instrument-type': l['instrument-type'], symbol: l.symbol, quantity: l['remaining-quantity'], action: l.action }));
    if (b['external-identifier'] === undefined && old['external-identifier'] !== undefined) b['external-identifier'] = old['external-identifier'];
    const p = this.parse(b);
    this.finish(old, 'Cancelled');
    const next = this.store(p, old.id);
    old['replacing-order-id'] = next.id;
    this.match(next);
    return next;
  }

  live(): TtOrder[] {
    const today = new Date(this.now()).toISOString().slice(0, 10);
    return [...this.orders.values()].filter((o) => LIVE.has(o.status) || o['received-at'].startsWith(today));
  }

  isLive(o: TtOrder): boolean {
    return LIVE.has(o.status);
  }

  view(o: TtOrder | (Omit<TtOrder, 'account-number' | 'received-at' | 'updated-at' | 'cancellable' | 'editable' | 'edited'> & { id: number; status: string })): TtOrder {
    return JSON.parse(
      JSON.stringify({ 'account-number': this.accountNumber, cancellable: false, editable: false, edited: false, 'received-at': new Date(this.now()).toISOString(), 'updated-at': this.now(), ...o }),
    ) as TtOrder;
  }

  positionView(p: TtPosition): Record<string, unknown> {
    const q = this.catalogue.quotes.get(p.inst.symbol)!;
    return {
      'account-number': this.accountNumber,
      symbol: p.inst.symbol,
      'instrument-type': p.inst.type,
      'underlying-symbol': p.inst.underlying,
      quantity: p.qty.abs().toString(),
      'quantity-direction': p.qty.isZero() ? 'Zero' : p.qty.isNeg() ? 'Short' : 'Long',
      'close-price': new Decimal(q.bid).add(q.ask).div(2).toString(),
      'average-open-price': p.avg.toString(),
      'average-yearly-market-close-price': p.avg.toString(),
      'average-daily-market-close-price': p.avg.toString(),
      multiplier: Number(p.inst.multiplier),
      'cost-effect': p.qty.isNeg() ? 'Credit' : 'Debit',
      'is-suppressed': false,
      'is-frozen': false,
      'restricted-quantity': '0',
      'realized-day-gain': '0',
      'realized-today': '0',
      'created-at': new Date(this.now()).toISOString(),
      'updated-at': new Date(this.now()).toISOString(),
    };
  }

  balances(): Record<string, unknown> {
    const long = [...this.positions.values()].filter((p) => p.inst.type !== 'Future').reduce((s, p) => s.add(p.qty.mul(p.avg).mul(p.inst.multiplier)), new Decimal(0));
    const cash = this.cash.toFixed(2);
    return {
      'account-number': this.accountNumber,
      'cash-balance': cash,
      'long-equity-value': long.toFixed(2),
      'net-liquidating-value': this.cash.add(long).toFixed(2),
      'equity-buying-power': cash,
      'derivative-buying-power': cash,
      'day-trading-buying-power': this.cash.mul(4).toFixed(2),
      'available-trading-funds': cash,
      'maintenance-requirement': '0.00',
      'pending-cash': '0.00',
      'pending-cash-effect': 'None',
      currency: 'USD',
      'updated-at': new Date(this.now()).toISOString(),
    };
  }
}

/** As the venue documents: only option orders have more than one leg (up to 4), each on its own symbol (this emulator lists no futures options). */
function spreadErrors(legs: readonly TtLeg[], insts: readonly TtInstrument[]): { code: string; message: string }[] {
  if (legs.length < 2) return [];
  const errs: { code: string; message: string }[] = [];
  if (insts.some((i) => i.type !== 'Equity Option')) errs.push({ code: 'invalid_legs', message: 'Equity, Future and Cryptocurrency orders are limited to 1 leg' });
  if (new Set(legs.map((l) => l.symbol)).size !== legs.length) errs.push({ code: 'duplicate_leg_symbol', message: 'each leg must use a distinct symbol' });
  return errs;
}
