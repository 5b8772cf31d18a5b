/**
 * The emulator's account: orders in Kraken's REST shape (txid `OXXXXX-XXXXX-XXXXXX`, `descr`,
 * `vol`, `vol_exec`, `status` pending|open|closed|canceled|expired, `cl_ord_id`), trades, balances,
 * the CancelAllOrdersAfter dead-man timer, and `executions` events for the private stream.
 */
import { randomBytes } from 'node:crypto';
import Decimal from 'decimal.js';
import type { KitResponse } from '../kit';
import type { KrakenBook } from './book';

export type Fields = Readonly<Record<string, string>>;
type Status = 'pending' | 'open' | 'closed' | 'canceled' | 'expired';
const ORDER_TYPES = new Set(['market', 'limit', 'stop-loss', 'take-profit', 'stop-loss-limit', 'take-profit-limit']);
const PAIRS = new Set(['XXBTZUSD', 'XBTUSD', 'XBT/USD', 'BTC/USD']);
const FEE_RATE = { taker: new Decimal('0.004'), maker: new Decimal('0.0025') };

export interface KrakenOrder {
  txid: string;
  cl_ord_id?: string;
  userref: number;
  status: Status;
  type: 'buy' | 'sell';
  ordertype: string;
  price: string;
  price2: string;
  vol: string;
  vol_exec: string;
  cost: string;
  fee: string;
  avg: string;
  oflags: string;
  timeinforce: string;
  opentm: number;
  closetm?: number;
  expiretm: number;
  reason?: string;
}

export interface KrakenTrade {
  id: string;
  ordertxid: string;
  type: 'buy' | 'sell';
  price: string;
  vol: string;
  cost: string;
  fee: string;
  time: number;
  maker: boolean;
}

const ok = (result: unknown): KitResponse => ({ status: 200, body: { error: [], result } });
const err = (e: string): KitResponse => ({ status: 200, body: { error: [e] } });
const id = (n: number) => randomBytes(n).toString('hex').toUpperCase().slice(0, n);

export class KrakenOrders {
  readonly trades: KrakenTrade[] = [];
  private readonly orders = new Map<string, KrakenOrder>();
  private readonly bal: Record<string, Decimal> = { ZUSD: new Decimal(1_000_000), XXBT: new Decimal(100) };
  private deadManTimer: NodeJS.Timeout | undefined;
  private deadManAt = 0;
  private deadManFired = 0;

  constructor(
    private readonly book: KrakenBook,
    private readonly now: () => number,
  ) {}

  all(): KrakenOrder[] {
    return [...this.orders.values()];
  }

  balances(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.bal).map(([a, v]) => [a, v.toFixed(4)]));
  }

  held(asset: string): string {
    let h = new Decimal(0);
    for (const o of this.orders.values()) {
      if (o.status !== 'open') continue;
      const left = new Decimal(o.vol).minus(o.vol_exec);
      if (asset === 'XXBT' && o.type === 'sell') h = h.plus(left);
      if (asset === 'ZUSD' && o.type === 'buy') h = h.plus(left.mul(o.price === '0' ? this.book.bestAsk() : o.price));
    }
    return h.toFixed(4);
  }

  view(pred: (o: KrakenOrder) => boolean): Record<string, unknown> {
    return Object.fromEntries(
      this.all()
        .filter(pred)
        .map((o) => [o.txid, shape(o)]),
    );
  }

  tradesView(): Record<string, unknown> {
    return Object.fromEntries(this.trades.map((t) => [t.id, { ...t, pair: 'XXBTZUSD', ordertype: this.orders.get(t.ordertxid)?.ordertype ?? 'limit', margin: '0.00000', misc: '', maker: t.maker }]));
  }

  query(f: Fields): KitResponse {
    const ids = (f['txid'] ?? '').split(',').filter(Boolean);
    const byCid = f['cl_ord_id'];
    const found = byCid !== undefined ? this.all().filter((o) => o.cl_ord_id === byCid) : ids.map((t) => this.orders.get(t)).filter((o): o is KrakenOrder => !!o);
    if (byCid === undefined && found.length !== ids.length) return err('EOrder:Invalid order');
    return ok(Object.fromEntries(found.map((o) => [o.txid, shape(o)])));
  }

  add(f: Fields): KitResponse {
    const type = f['type'];
    const ot = f['ordertype'] ?? '';
    if (!PAIRS.has(f['pair'] ?? '')) return err('EQuery:Unknown asset pair');
    if (type !== 'buy' && type !== 'sell') return err('EGeneral:Invalid arguments:type');
    if (!ORDER_TYPES.has(ot)) return err('EGeneral:Invalid arguments:ordertype');
    const given = dec(f['volume']);
    if (!given || given.lte(0)) return err('EGeneral:Invalid arguments:volume');
    if (given.decimalPlaces() > 8) return err('EGeneral:Invalid arguments:volume');
    // oflags=viqc: `volume` is in the quote currency (market orders only); the order's base volume
    // is what it buys at the touch, rounded down to the pair's 8 lot decimals.
    const viqc = (f['oflags'] ?? '').split(',').includes('viqc');
    if (viqc && ot !== 'market') return err('EGeneral:Invalid arguments:viqc');
    const vol = viqc ? given.div(type === 'buy' ? this.book.bestAsk() : this.book.bestBid()).toDecimalPlaces(8, Decimal.ROUND_DOWN) : given;
    if (vol.lt('0.0001')) return err('EOrder:Order minimum not met');
    const price = ot === 'market' ? new Decimal(0) : dec(f['price']);
    if (!price || (ot !== 'market' && price.lte(0))) return err('EGeneral:Invalid arguments:price');
    if (price.mod('0.1').gt(0)) return err('EOrder:Invalid price:XXBTZUSD price can only be specified up to 1 decimals.');
    const price2 = ot.endsWith('-limit') ? dec(f['price2']) : new Decimal(0);
    if (!price2) return err('EGeneral:Invalid arguments:price2');
    const tif = f['timeinforce'] ?? 'GTC';
    if (!['GTC', 'IOC', 'GTD'].includes(tif)) return err('EGeneral:Invalid arguments:timeinforce');
    const expiretm = tif === 'GTD' ? Number(f['expiretm']) : 0;
    if (tif === 'GTD' && !(expiretm > this.now() / 1000)) return err('EGeneral:Invalid arguments:expiretm');
    const cid = f['cl_ord_id'];
    if (cid !== undefined && !/^([0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}|[\x20-\x7e]{1,18})$/.test(cid)) return err('EGeneral:Invalid arguments:cl_ord_id');
    if (cid !== undefined && this.all().some((o) => o.cl_ord_id === cid && (o.status === 'open' || o.status === 'pending'))) return err('EOrder:Duplicate order');
    const oflags = f['oflags'] ?? '';
    const post = oflags.split(',').includes('post');
    if (post && ot !== 'limit') return err('EGeneral:Invalid arguments:oflags');
    const descr = { order: `${type} ${vol.toFixed(8)} XBTUSD @ ${ot === 'market' ? 'market' : `${ot} ${price.toFixed(1)}`}` };
    if (f['validate'] === 'true' || f['validate'] === '1') return ok({ descr });
    const o: KrakenOrder = {
      txid: `O${id(5)}-${id(5)}-${id(6)}`,
      ...(cid !== undefined ? { cl_ord_id: cid } : {}),
      userref: Number(f['userref'] ?? 0),
      status: 'open',
      type,
      ordertype: ot,
      price: price.toString(),
      price2: price2.toString(),
      vol: vol.toFixed(8),
      vol_exec: '0.00000000',
      cost: '0',
      fee: '0',
      avg: '0',
      oflags,
      timeinforce: tif,
      opentm: this.now() / 1000,
      expiretm,
    };
    this.orders.set(o.txid, o);
    this.event(o, 'new');
    this.match(o, post);
    return ok({ descr, txid: [o.txid] });
  }

  amend(f: Fields): KitResponse {
    const o = this.find(f);
    if (!o) return err('EOrder:Unknown order');
    if (o.status !== 'open') return err('EOrder:Invalid order');
    const qty = f['order_qty'] !== undefined ? dec(f['order_qty']) : new Decimal(o.vol);
    const px = f['limit_price'] !== undefined ? dec(f['limit_price']) : new Decimal(o.price);
    if (!qty || !px || qty.lt(o.vol_exec) || qty.lte(0)) return err('EGeneral:Invalid arguments:order_qty');
    if (px.mod('0.1').gt(0)) return err('EOrder:Invalid price:XXBTZUSD price can only be specified up to 1 decimals.');
    o.vol = qty.toFixed(8);
    o.price = px.toString();
    this.event(o, 'amended');
    this.match(o, o.oflags.includes('post'));
    return ok({ amend_id: `TA${id(4)}-${id(5)}-${id(6)}` });
  }

  cancel(f: Fields): KitResponse {
    const o = this.find(f);
    if (!o) return err('EOrder:Unknown order');
    if (o.status !== 'open' && o.status !== 'pending') return ok({ count: 0 });
    this.close(o, 'canceled', 'User requested');
    return ok({ count: 1 });
  }

  cancelAll(): number {
    let n = 0;
    for (const o of this.orders.values()) {
      if (o.status !== 'open' && o.status !== 'pending') continue;
      this.close(o, 'canceled', 'User requested');
      n++;
    }
    return n;
  }

  /** CancelAllOrdersAfter: `timeout` seconds from now cancel everything; 0 disarms. Runs on wall time. */
  armDeadMan(timeout: number): { currentTime: string; triggerTime: string } {
    clearTimeout(this.deadManTimer);
    this.deadManTimer = undefined;
    this.deadManAt = 0;
    if (timeout > 0) {
      this.deadManAt = this.now() + timeout * 1000;
      this.deadManTimer = setTimeout(() => {
        this.deadManFired += this.cancelAll();
        this.deadManAt = 0;
        this.deadManTimer = undefined;
      }, timeout * 1000);
      this.deadManTimer.unref?.();
    }
    const iso = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return { currentTime: iso(this.now()), triggerTime: this.deadManAt ? iso(this.deadManAt) : '0' };
  }

  deadMan(): { armed: boolean; triggerAt: number; cancelledByTimer: number } {
    return { armed: this.deadManAt > 0, triggerAt: this.deadManAt, cancelledByTimer: this.deadManFired };
  }

  stopTimers(): void {
    clearTimeout(this.deadManTimer);
  }

  /** Control: fills `volume` of a working order at `price` (default: its limit, or the touch). */
  fill(ref: string, volume: string, price?: string): KrakenOrder {
    const o = this.orders.get(ref) ?? this.all().find((x) => x.cl_ord_id === ref);
    if (!o || o.status !== 'open') throw new Error(`no working order ${ref}`);
    this.trade(o, new Decimal(volume), new Decimal(price ?? (o.price === '0' ? this.touch(o) : o.price)), true);
    return o;
  }

  private touch(o: KrakenOrder): Decimal {
    return o.type === 'buy' ? this.book.bestAsk() : this.book.bestBid();
  }

  private match(o: KrakenOrder, post: boolean): void {
    const touch = this.touch(o);
    const crosses = o.ordertype === 'market' || (o.ordertype === 'limit' && (o.type === 'buy' ? touch.lte(o.price) : touch.gte(o.price)));
    if (crosses && post) return this.close(o, 'canceled', 'Post only order');
    if (crosses) return this.trade(o, new Decimal(o.vol).minus(o.vol_exec), o.ordertype === 'market' ? touch : new Decimal(o.price), false);
    if (o.timeinforce === 'IOC') this.close(o, 'canceled', 'Immediate or cancel');
  }

  private trade(o: KrakenOrder, q: Decimal, px: Decimal, maker: boolean): void {
    const left = new Decimal(o.vol).minus(o.vol_exec);
    if (q.lte(0) || q.gt(left)) throw new Error(`fill of ${q.toString()} exceeds what is left of ${o.txid}`);
    const cost = q.mul(px);
    const fee = cost.mul(maker ? FEE_RATE.maker : FEE_RATE.taker).toDecimalPlaces(4);
    const t: KrakenTrade = {
      id: `T${id(5)}-${id(5)}-${id(6)}`,
      ordertxid: o.txid,
      type: o.type,
      price: px.toString(),
      vol: q.toFixed(8),
      cost: cost.toString(),
      fee: fee.toString(),
      time: this.now() / 1000,
      maker,
    };
    this.trades.push(t);
    // On the public tape the taker's side is the trade's side.
    this.book.trade(maker === (o.type === 'buy') ? 'sell' : 'buy', px, q, o.ordertype === 'market' ? 'market' : 'limit', this.now());
    o.vol_exec = new Decimal(o.vol_exec).plus(q).toFixed(8);
    o.cost = new Decimal(o.cost).plus(cost).toString();
    o.fee = new Decimal(o.fee).plus(fee).toString();
    o.avg = new Decimal(o.cost).div(o.vol_exec).toString();
    const sign = o.type === 'buy' ? 1 : -1;
    this.bal['XXBT'] = this.bal['XXBT']!.plus(q.mul(sign));
    this.bal['ZUSD'] = this.bal['ZUSD']!.minus(cost.mul(sign)).minus(fee);
    const done = new Decimal(o.vol_exec).eq(o.vol);
    if (done) {
      o.status = 'closed';
      o.closetm = this.now() / 1000;
    }
    this.event(o, 'trade', { exec_id: t.id, last_qty: q.toNumber(), last_price: px.toNumber(), liquidity_ind: maker ? 'm' : 't', fees: [{ asset: 'USD', qty: fee.toNumber() }] });
    if (!done && o.timeinforce === 'IOC') this.close(o, 'canceled', 'Immediate or cancel');
  }

  private close(o: KrakenOrder, status: Status, reason: string): void {
    o.status = status;
    o.reason = reason;
    o.closetm = this.now() / 1000;
    this.event(o, status === 'canceled' ? 'canceled' : 'expired', { reason });
  }

  private find(f: Fields): KrakenOrder | undefined {
    const ref = f['txid'] ?? f['order_id'];
    if (ref !== undefined) return this.orders.get(ref) ?? this.all().find((o) => o.cl_ord_id === ref);
    const cid = f['cl_ord_id'];
    return cid === undefined ? undefined : (this.all().find((o) => o.cl_ord_id === cid && (o.status === 'open' || o.status === 'pending')) ?? this.all().find((o) => o.cl_ord_id === cid));
  }

  private event(o: KrakenOrder, exec_type: string, extra: Record<string, unknown> = {}): void {
    const status = o.status === 'closed' ? 'filled' : o.status === 'open' ? (new Decimal(o.vol_exec).gt(0) ? 'partially_filled' : 'new') : o.status;
    this.book.execution({
      exec_type,
      order_id: o.txid,
      ...(o.cl_ord_id !== undefined ? { cl_ord_id: o.cl_ord_id } : {}),
      order_userref: o.userref,
      symbol: 'BTC/USD',
      side: o.type,
      order_type: o.ordertype,
      order_qty: Number(o.vol),
      ...(o.price !== '0' ? { limit_price: Number(o.price) } : {}),
      cum_qty: Number(o.vol_exec),
      cum_cost: Number(o.cost),
      avg_price: Number(o.avg),
      time_in_force: o.timeinforce,
      order_status: status,
      timestamp: new Date(this.now()).toISOString(),
      ...extra,
    });
  }
}

function dec(s: string | undefined): Decimal | undefined {
  if (s === undefined || !/^-?\d+(\.\d+)?$/.test(s)) return undefined;
  return new Decimal(s);
}

function shape(o: KrakenOrder): Record<string, unknown> {
  return {
    refid: null,
    userref: o.userref,
    ...(o.cl_ord_id !== undefined ? { cl_ord_id: o.cl_ord_id } : {}),
    status: o.status,
    reason: o.reason ?? null,
    opentm: o.opentm,
    ...(o.closetm !== undefined ? { closetm: o.closetm } : {}),
    starttm: 0,
    expiretm: o.expiretm,
    descr: { pair: 'XBTUSD', type: o.type, ordertype: o.ordertype, price: o.price, price2: o.price2, leverage: 'none', order: `${o.type} ${o.vol} XBTUSD @ ${o.ordertype} ${o.price}`, close: '' },
    vol: o.vol,
    vol_exec: o.vol_exec,
    cost: o.cost,
    fee: o.fee,
    price: o.avg,
    stopprice: o.ordertype.startsWith('stop') || o.ordertype.startsWith('take') ? o.price : '0.00000',
    limitprice: o.ordertype.endsWith('-limit') ? o.price2 : '0.00000',
    misc: '',
    oflags: o.oflags,
    timeinforce: o.timeinforce,
  };
}
