/**
 * The emulator's order book and fill model: Alpaca's order object and rules (validation, unique
 * client ids, extended hours, fractional/notional, brackets/OCO/OTO, wash trades, buying power),
 * matching against moving quotes with partial fills, equity sessions and 24/7 crypto.
 * Every change is announced through `emit(event, order, fill?)` (the trade_updates stream).
 */
import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { ASSETS, type AlpacaAsset } from './assets';
import { nyInstant, nyParts, type NyseCalendar } from './nyse-calendar';
import type { Quotes } from './quotes';

export type OrderStatus =
  'new' | 'accepted' | 'pending_new' | 'partially_filled' | 'filled' | 'done_for_day' | 'canceled' | 'expired' | 'replaced' | 'pending_cancel' | 'pending_replace' | 'rejected' | 'held';
const OPEN: readonly OrderStatus[] = ['new', 'accepted', 'pending_new', 'partially_filled', 'pending_cancel', 'pending_replace', 'held'];
const TYPES = ['market', 'limit', 'stop', 'stop_limit', 'trailing_stop'];
const TIFS = ['day', 'gtc', 'opg', 'cls', 'ioc', 'fok'];

export interface AlpacaOrder {
  id: string;
  client_order_id: string;
  created_at: string;
  updated_at: string;
  submitted_at: string;
  filled_at: string | null;
  expired_at: string | null;
  canceled_at: string | null;
  failed_at: string | null;
  replaced_at: string | null;
  replaced_by: string | null;
  replaces: string | null;
  asset_id: string;
  symbol: string;
  asset_class: 'us_equity' | 'crypto';
  notional: string | null;
  qty: string | null;
  filled_qty: string;
  filled_avg_price: string | null;
  order_class: 'simple' | 'bracket' | 'oco' | 'oto' | '';
  order_type: string;
  type: string;
  side: 'buy' | 'sell';
  position_intent: string;
  time_in_force: string;
  limit_price: string | null;
  stop_price: string | null;
  status: OrderStatus;
  extended_hours: boolean;
  legs: AlpacaOrder[] | null;
  trail_percent: string | null;
  trail_price: string | null;
  hwm: string | null;
  expires_at: string | null;
  source: string | null;
  subtag: string | null;
}

export interface FillActivity {
  id: string;
  activity_type: 'FILL';
  transaction_time: string;
  type: 'fill' | 'partial_fill';
  price: string;
  qty: string;
  side: 'buy' | 'sell';
  symbol: string;
  leaves_qty: string;
  order_id: string;
  cum_qty: string;
  order_status: OrderStatus;
}

export type TradeEvent = 'new' | 'accepted' | 'pending_new' | 'partial_fill' | 'fill' | 'canceled' | 'expired' | 'done_for_day' | 'replaced' | 'rejected' | 'pending_cancel' | 'pending_replace';

export class AlpacaError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

type Body = Record<string, unknown>;
const dec = (v: unknown, field: string): Decimal => {
  const s = typeof v === 'number' ? String(v) : v;
  if (typeof s !== 'string' || !/^\d+(\.\d+)?$/.test(s)) throw new AlpacaError(422, 40010001, `invalid ${field}`);
  return new Decimal(s);
};

export class OrderBook {
  readonly orders = new Map<string, AlpacaOrder>();
  readonly fills: FillActivity[] = [];
  cash = new Decimal(100_000);
  /** 1 = cash account, 2 = Reg-T margin, 4 = intraday margin. */
  multiplier = 2;
  /** A buying power the control API set (intraday-margin level); undefined = derived. */
  buyingPowerOverride: Decimal | undefined;
  rejectNext: { status: number; code: number; message: string } | undefined;
  private cost = new Map<string, Decimal>();

  constructor(
    private readonly now: () => number,
    private readonly calendar: NyseCalendar,
    private readonly quotes: Quotes,
    private readonly emit: (event: TradeEvent, o: AlpacaOrder, fill?: { price: string; qty: string }) => void,
  ) {}

  asset(symbol: string): AlpacaAsset | undefined {
    const s = symbol.toUpperCase();
    return ASSETS.find((a) => a.symbol === s || a.symbol.replace('/', '') === s);
  }

  byClientId(cid: string): AlpacaOrder | undefined {
    for (const o of this.orders.values()) if (o.client_order_id === cid) return o;
    for (const o of this.orders.values()) for (const l of o.legs ?? []) if (l.client_order_id === cid) return l;
    return undefined;
  }

  find(id: string): AlpacaOrder | undefined {
    const o = this.orders.get(id);
    if (o) return o;
    for (const p of this.orders.values()) for (const l of p.legs ?? []) if (l.id === id) return l;
    return undefined;
  }

  isOpen(o: AlpacaOrder): boolean {
    return OPEN.includes(o.status);
  }

  /** Every order, legs included (for matching and listing with nested=false). */
  all(): AlpacaOrder[] {
    return [...this.orders.values()].flatMap((o) => [o, ...(o.legs ?? [])]);
  }

  create(b: Body, replaces?: AlpacaOrder): AlpacaOrder {
    const asset = typeof b['symbol'] === 'string' ? this.asset(b['symbol']) : undefined;
    if (!asset) throw new AlpacaError(422, 40010001, `asset "${String(b['symbol'])}" not found`);
    const side = b['side'];
    const type = String(b['type'] ?? '');
    const tif = String(b['time_in_force'] ?? '');
    if (side !== 'buy' && side !== 'sell') throw new AlpacaError(422, 40010001, 'side must be buy or sell');
    if (!TYPES.includes(type)) throw new AlpacaError(422, 40010001, `invalid order type: ${type}`);
    if (!TIFS.includes(tif)) throw new AlpacaError(422, 40010001, `invalid time_in_force: ${tif}`);
    const cid = typeof b['client_order_id'] === 'string' && b['client_order_id'] !== '' ? b['client_order_id'] : randomUUID();
    if (cid.length > 128) throw new AlpacaError(422, 40010001, 'client_order_id must be no more than 128 characters');
    const dup = this.byClientId(cid);
    if (dup) throw this.isOpen(dup) ? new AlpacaError(422, 42210000, 'client_order_id must be unique') : new AlpacaError(400, 40010001, 'client_order_id must be unique');
    const qty = b['qty'] !== undefined && b['qty'] !== null ? dec(b['qty'], 'qty') : undefined;
    const notional = b['notional'] !== undefined && b['notional'] !== null ? dec(b['notional'], 'notional') : undefined;
    if ((qty === undefined) === (notional === undefined)) throw new AlpacaError(422, 40010001, 'qty or notional is required (not both)');
    if (qty?.lte(0) || notional?.lte(0)) throw new AlpacaError(422, 40010001, 'qty must be > 0');
    const fractional = notional !== undefined || !qty!.isInteger();
    if (fractional && !asset.fractionable) throw new AlpacaError(422, 40010001, `requested asset is not fractionable`);
    if (fractional && asset.class === 'us_equity' && !(type === 'market' || (type === 'limit' && tif === 'day')))
      throw new AlpacaError(422, 40010001, 'fractional orders must be market or day limit orders');
    if (notional !== undefined && type !== 'market' && !(type === 'limit' && tif === 'day')) throw new AlpacaError(422, 40010001, 'notional orders must be market or day limit orders');
    if (asset.class === 'crypto' && !['gtc', 'ioc'].includes(tif)) throw new AlpacaError(422, 40010001, 'invalid crypto time_in_force');
    if (asset.class === 'crypto' && !['market', 'limit', 'stop_limit'].includes(type)) throw new AlpacaError(422, 40010001, `invalid crypto order type: ${type}`);
    const ext = b['extended_hours'] === true;
    if (ext && (type !== 'limit' || tif !== 'day')) throw new AlpacaError(422, 42210000, 'extended hours order must be DAY limit orders');
    const limit = type === 'limit' || type === 'stop_limit' ? dec(b['limit_price'], 'limit_price') : undefined;
    const stop = type === 'stop' || type === 'stop_limit' ? dec(b['stop_price'], 'stop_price') : undefined;
    const trailPrice = type === 'trailing_stop' && b['trail_price'] !== undefined ? dec(b['trail_price'], 'trail_price') : undefined;
    const trailPct = type === 'trailing_stop' && b['trail_percent'] !== undefined ? dec(b['trail_percent'], 'trail_percent') : undefined;
    if (type === 'trailing_stop' && (trailPrice === undefined) === (trailPct === undefined)) throw new AlpacaError(422, 40010001, 'trailing stop orders need trail_price or trail_percent');
    const orderClass = String(b['order_class'] ?? 'simple');
    if (!['simple', 'bracket', 'oco', 'oto', ''].includes(orderClass)) throw new AlpacaError(422, 40010001, `invalid order_class: ${orderClass}`);
    const reject = this.rejectNext;
    this.rejectNext = undefined;
    if (reject) throw new AlpacaError(reject.status, reject.code, reject.message);
    const q = this.quotes.get(asset.symbol);
    const px = limit ?? (side === 'buy' ? new Decimal(q.ask) : new Decimal(q.bid));
    const cost = notional ?? qty!.mul(px);
    if (side === 'buy' && !replaces && cost.gt(this.buyingPower().minus(this.working('buy')))) throw new AlpacaError(403, 40310000, 'insufficient buying power');
    this.checkWash(asset.symbol, side, type, limit, replaces);
    const ts = new Date(this.now()).toISOString();
    const o: AlpacaOrder = {
      id: randomUUID(),
      client_order_id: cid,
      created_at: ts,
      updated_at: ts,
      submitted_at: ts,
      filled_at: null,
      expired_at: null,
      canceled_at: null,
      failed_at: null,
      replaced_at: null,
      replaced_by: null,
      replaces: replaces?.id ?? null,
      asset_id: asset.id,
      symbol: asset.symbol,
      asset_class: asset.class,
      notional: notional?.toString() ?? null,
      qty: qty?.toString() ?? null,
      filled_qty: '0',
      filled_avg_price: null,
      order_class: orderClass as AlpacaOrder['order_class'],
      order_type: type,
      type,
      side,
      position_intent: side === 'buy' ? 'buy_to_open' : 'sell_to_close',
      time_in_force: tif,
      limit_price: limit?.toString() ?? null,
      stop_price: stop?.toString() ?? null,
      status: 'new',
      extended_hours: ext,
      legs: null,
      trail_percent: trailPct?.toString() ?? null,
      trail_price: trailPrice?.toString() ?? null,
      hwm: null,
      expires_at: null,
      source: null,
      subtag: null,
    };
    if (orderClass === 'bracket' || orderClass === 'oco' || orderClass === 'oto') o.legs = this.legs(o, b);
    // A market order outside regular hours is accepted and routed at the next open.
    if (asset.class === 'us_equity' && type === 'market' && this.calendar.session(this.now()) !== 'regular') o.status = 'accepted';
    this.orders.set(o.id, o);
    this.emit(o.status === 'accepted' ? 'accepted' : 'new', o);
    this.match(o);
    return o;
  }

  private legs(parent: AlpacaOrder, b: Body): AlpacaOrder[] {
    const tp = b['take_profit'] as Body | undefined;
    const sl = b['stop_loss'] as Body | undefined;
    if (parent.order_class === 'bracket' && (!tp || !sl)) throw new AlpacaError(422, 40010001, 'bracket orders must have take_profit and stop_loss');
    if (parent.order_class === 'oco' && (!tp || !sl)) throw new AlpacaError(422, 40010001, 'oco orders must have take_profit and stop_loss');
    if (parent.order_class === 'oto' && !tp === !sl) throw new AlpacaError(422, 40010001, 'oto orders must have either take_profit or stop_loss');
    const exit = parent.side === 'buy' ? 'sell' : 'buy';
    const mk = (kind: 'tp' | 'sl', x: Body): AlpacaOrder => {
      const stop = kind === 'sl' ? dec(x['stop_price'], 'stop_loss.stop_price').toString() : null;
      const limit = kind === 'tp' ? dec(x['limit_price'], 'take_profit.limit_price').toString() : x['limit_price'] !== undefined ? dec(x['limit_price'], 'stop_loss.limit_price').toString() : null;
      const type = kind === 'tp' ? 'limit' : limit ? 'stop_limit' : 'stop';
      return {
        ...parent,
        id: randomUUID(),
        client_order_id: randomUUID(),
        side: exit,
        type,
        order_type: type,
        limit_price: limit,
        stop_price: stop,
        status: parent.order_class === 'oco' ? 'new' : 'held',
        legs: null,
        position_intent: 'sell_to_close',
        order_class: parent.order_class,
      };
    };
    // OCO: the parent is the take-profit limit itself; its one leg is the stop-loss.
    if (parent.order_class === 'oco') return [mk('sl', sl!)];
    return [...(tp ? [mk('tp', tp)] : []), ...(sl ? [mk('sl', sl)] : [])];
  }

  /** An order that could execute against the account's own opposite working order. */
  private checkWash(symbol: string, side: string, type: string, limit: Decimal | undefined, replaces?: AlpacaOrder): void {
    // Only an order that can execute at once (market or limit) can meet our own resting one.
    if (type !== 'market' && type !== 'limit') return;
    for (const o of this.all()) {
      if (!this.isOpen(o) || o.status === 'held' || o.symbol !== symbol || o.side === side || o.id === replaces?.id || (o.replaces === replaces?.id && replaces)) continue;
      if (o.type !== 'limit' && o.type !== 'market') continue;
      const crosses = type === 'market' || o.type === 'market' || (side === 'buy' ? limit!.gte(o.limit_price!) : limit!.lte(o.limit_price!));
      if (crosses) throw new AlpacaError(403, 40310000, `potential wash trade detected. use complex orders (opposing order ${o.id})`);
    }
  }

  /** The level the account reports; Alpaca's order check takes working buys off it. */
  buyingPower(): Decimal {
    if (this.buyingPowerOverride) return this.buyingPowerOverride;
    return Decimal.max(
      0,
      this.equity()
        .mul(this.multiplier)
        .minus(this.longValue().mul(this.multiplier - 1)),
    );
  }

  private working(side: 'buy' | 'sell'): Decimal {
    return this.all()
      .filter((o) => this.isOpen(o) && o.status !== 'held' && o.side === side)
      .reduce((s, o) => s.plus(o.notional ? new Decimal(o.notional) : new Decimal(o.qty!).minus(o.filled_qty).mul(o.limit_price ?? this.quotes.get(o.symbol).ask)), new Decimal(0));
  }

  positions(): Map<string, { qty: Decimal; cost: Decimal }> {
    const m = new Map<string, { qty: Decimal; cost: Decimal }>();
    for (const f of this.fills) {
      const p = m.get(f.symbol) ?? { qty: new Decimal(0), cost: new Decimal(0) };
      const q = f.side === 'buy' ? new Decimal(f.qty) : new Decimal(f.qty).neg();
      const avg = p.qty.isZero() ? new Decimal(0) : p.cost.div(p.qty);
      const next = p.qty.plus(q);
      // Reducing keeps the average; adding or flipping re-averages.
      p.cost = next.isZero() ? new Decimal(0) : p.qty.isZero() || p.qty.isPos() === q.isPos() ? p.cost.plus(q.mul(f.price)) : next.isPos() === p.qty.isPos() ? avg.mul(next) : next.mul(f.price);
      p.qty = next;
      m.set(f.symbol, p);
    }
    for (const [k, v] of m) if (v.qty.isZero()) m.delete(k);
    return m;
  }

  longValue(): Decimal {
    let v = new Decimal(0);
    for (const [s, p] of this.positions()) v = v.plus(p.qty.mul(this.quotes.mid(s)));
    return v;
  }

  equity(): Decimal {
    return this.cash.plus(this.longValue());
  }

  cancel(o: AlpacaOrder): void {
    if (!this.isOpen(o)) throw new AlpacaError(422, 42210000, `order is already in "${o.status}" state`);
    this.finish(o, 'canceled');
  }

  replace(o: AlpacaOrder, b: Body): AlpacaOrder {
    if (!this.isOpen(o) || o.status === 'held') throw new AlpacaError(422, 42210000, `order is already in "${o.status}" state`);
    const next = this.create(
      {
        symbol: o.symbol,
        side: o.side,
        type: o.type,
        time_in_force: b['time_in_force'] ?? o.time_in_force,
        qty: b['qty'] ?? o.qty,
        limit_price: b['limit_price'] ?? o.limit_price ?? undefined,
        stop_price: b['stop_price'] ?? o.stop_price ?? undefined,
        ...(o.type === 'trailing_stop' ? { trail_price: b['trail'] ?? o.trail_price ?? undefined, trail_percent: o.trail_price ? undefined : (b['trail'] ?? o.trail_percent) } : {}),
        extended_hours: o.extended_hours,
        client_order_id: b['client_order_id'] ?? `${o.client_order_id.slice(0, 100)}.r${Date.now().toString(36)}`,
      },
      o,
    );
    o.replaced_by = next.id;
    o.replaced_at = next.created_at;
    o.status = 'replaced';
    o.updated_at = next.created_at;
    this.emit('replaced', o);
    return next;
  }

  /** Fills `qty` of a working order at `price` now (the control API's `fill`, and the matcher). */
  fill(o: AlpacaOrder, qty: Decimal, price: Decimal): void {
    const total = o.qty ? new Decimal(o.qty) : new Decimal(o.notional!).div(price).toDecimalPlaces(9, Decimal.ROUND_DOWN);
    if (!o.qty) o.qty = total.toString();
    const done = new Decimal(o.filled_qty);
    if (qty.lte(0) || done.plus(qty).gt(total)) throw new Error(`fill of ${qty.toString()} exceeds what is left of ${o.client_order_id}`);
    const prev = this.cost.get(o.id) ?? new Decimal(0);
    this.cost.set(o.id, prev.plus(qty.mul(price)));
    o.filled_qty = done.plus(qty).toString();
    o.filled_avg_price = this.cost.get(o.id)!.div(o.filled_qty).toDecimalPlaces(4).toString();
    const full = new Decimal(o.filled_qty).eq(total);
    o.status = full ? 'filled' : 'partially_filled';
    const ts = new Date(this.now()).toISOString();
    o.updated_at = ts;
    if (full) o.filled_at = ts;
    this.cash = o.side === 'buy' ? this.cash.minus(qty.mul(price)) : this.cash.plus(qty.mul(price));
    this.fills.push({
      id: `${ts.replace(/\D/g, '').slice(0, 17)}::${randomUUID()}`,
      activity_type: 'FILL',
      transaction_time: ts,
      type: full ? 'fill' : 'partial_fill',
      price: price.toString(),
      qty: qty.toString(),
      side: o.side,
      symbol: o.symbol,
      leaves_qty: total.minus(o.filled_qty).toString(),
      order_id: o.id,
      cum_qty: o.filled_qty,
      order_status: o.status,
    });
    this.emit(full ? 'fill' : 'partial_fill', o, { price: price.toString(), qty: qty.toString() });
    if (full) this.onFilled(o);
  }

  /** A bracket's exits go live when the entry fills; one exit filling cancels the other. */
  private onFilled(o: AlpacaOrder): void {
    for (const l of o.legs ?? [])
      if (l.status === 'held') {
        l.status = 'new';
        this.emit('new', l);
      }
    const parent = [...this.orders.values()].find((p) => p.legs?.includes(o) || (p.order_class === 'oco' && p.legs?.some((l) => l.id === o.id)));
    const siblings = parent
      ? [parent, ...(parent.legs ?? [])].filter((x) => x.id !== o.id && x.order_class !== 'oto' && (parent.order_class === 'oco' || x !== parent))
      : o.order_class === 'oco'
        ? (o.legs ?? [])
        : [];
    for (const s of siblings) if (this.isOpen(s)) this.finish(s, 'canceled');
  }

  finish(o: AlpacaOrder, status: 'canceled' | 'expired' | 'rejected' | 'done_for_day'): void {
    o.status = status;
    const ts = new Date(this.now()).toISOString();
    o.updated_at = ts;
    if (status === 'canceled') o.canceled_at = ts;
    if (status === 'expired') o.expired_at = ts;
    this.emit(status, o);
    // A bracket's exits cannot outlive an entry that never filled.
    for (const l of o.legs ?? []) if (this.isOpen(l) && (status === 'canceled' || status === 'expired')) this.finish(l, 'canceled');
  }

  /** Matches every working order against the current quotes (called on each price move). */
  matchAll(): void {
    for (const o of this.all()) if (this.isOpen(o) && o.status !== 'held') this.match(o);
  }

  private tradableNow(o: AlpacaOrder): boolean {
    if (o.asset_class === 'crypto') return true;
    const s = this.calendar.session(this.now());
    if (s === 'regular') return o.time_in_force !== 'opg' || nyParts(this.now()).minutes < 9 * 60 + 35;
    return (s === 'pre' || s === 'post') && o.extended_hours;
  }

  private match(o: AlpacaOrder): void {
    if (!this.isOpen(o) || o.status === 'held' || !this.tradableNow(o)) return;
    if (o.status === 'accepted') o.status = 'new';
    const q = this.quotes.get(o.symbol);
    const px = new Decimal(o.side === 'buy' ? q.ask : q.bid);
    const last = new Decimal(q.last);
    if (o.type === 'trailing_stop') this.trail(o, last);
    const stopHit = o.stop_price === null || (o.side === 'buy' ? last.gte(o.stop_price) : last.lte(o.stop_price));
    if ((o.type === 'stop' || o.type === 'stop_limit' || o.type === 'trailing_stop') && !stopHit) return this.expireIfImmediate(o);
    if (o.limit_price !== null && (o.side === 'buy' ? px.gt(o.limit_price) : px.lt(o.limit_price))) return this.expireIfImmediate(o);
    const total = o.qty ? new Decimal(o.qty) : new Decimal(o.notional!).div(px).toDecimalPlaces(9, Decimal.ROUND_DOWN);
    const left = total.minus(o.filled_qty);
    const size = new Decimal(q.size);
    if (o.time_in_force === 'fok' && left.gt(size)) return this.finish(o, 'canceled');
    this.fill(o, Decimal.min(left, size), px);
    this.expireIfImmediate(o);
  }

  private trail(o: AlpacaOrder, last: Decimal): void {
    const hwm = o.hwm === null ? last : o.side === 'sell' ? Decimal.max(o.hwm, last) : Decimal.min(o.hwm, last);
    o.hwm = hwm.toString();
    const dist = o.trail_price ? new Decimal(o.trail_price) : hwm.mul(o.trail_percent!).div(100);
    o.stop_price = (o.side === 'sell' ? hwm.minus(dist) : hwm.plus(dist)).toDecimalPlaces(2).toString();
  }

  private expireIfImmediate(o: AlpacaOrder): void {
    if (this.isOpen(o) && (o.time_in_force === 'ioc' || o.time_in_force === 'fok')) this.finish(o, 'canceled');
  }

  /** DAY orders end at the close of their trading day (extended-hours ones at the session close). */
  expireDay(): void {
    const now = this.now();
    const date = nyParts(now).date;
    const day = this.calendar.day(date);
    if (!day) return;
    const close = nyInstant(date, day.close);
    const extClose = nyInstant(date, `${day.session_close.slice(0, 2)}:${day.session_close.slice(2)}`);
    for (const o of this.all()) {
      if (!this.isOpen(o) || o.asset_class === 'crypto' || o.time_in_force !== 'day') continue;
      const end = o.extended_hours ? extClose : close;
      if (now >= end && Date.parse(o.created_at) < end) this.finish(o, 'expired');
    }
  }
}

export { ASSETS };
