/**
 * The DOM ladder as pure functions: a vertical run of prices at the instrument's tick, centred on
 * the market, each row with the book's bid and ask size there, the trader's own working orders
 * resting there (limits in the buy/sell columns, stops in the stop columns), and the last trade.
 * Prices are exact decimals snapped to the tick; a level between ticks counts at its nearest tick.
 */
import type { BookLevel, Order } from '../../../../src-main/engine/domain/order';
import { isWorking } from '../../../../src-main/engine/domain/order';
import { Decimal } from '../../../../src-main/engine/domain/money';
import { remainingQty } from '../../../../src-main/engine/domain/order-remaining';

export interface LadderOrder {
  readonly id: string;
  readonly venue: string;
  readonly side: 'buy' | 'sell';
  readonly type: Order['type'];
  /** What is still to fill. */
  readonly qty: string;
  readonly status: Order['status'];
}

export interface LadderRow {
  readonly price: string;
  readonly bid?: string;
  readonly ask?: string;
  /** Own limit orders resting at this price. */
  readonly buys: readonly LadderOrder[];
  readonly sells: readonly LadderOrder[];
  /** Own stop orders triggering at this price. */
  readonly buyStops: readonly LadderOrder[];
  readonly sellStops: readonly LadderOrder[];
  readonly last: boolean;
  readonly bestBid: boolean;
  readonly bestAsk: boolean;
  /** Volume traded at this price since the ladder opened (volumeAtPrice). */
  readonly volume?: string;
}

export interface LadderInput {
  readonly tick: string;
  readonly center: string;
  /** Rows shown; the centre row is in the middle. */
  readonly rows: number;
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
  readonly last?: string;
  /** Traded volume by price (snapped to the tick), from `addVolumeAtPrice`. */
  readonly volumeAt?: Readonly<Record<string, string>>;
  /** Orders of this instrument (any status: only working ones are drawn). */
  readonly orders: readonly Order[];
}

/** The nearest price on the tick grid, as a canonical decimal string. */
export function snap(price: Decimal.Value, tick: string): string {
  const t = new Decimal(tick);
  return new Decimal(price).div(t).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).mul(t).toFixed();
}

/** Where the ladder centres: the mid of the best bid and ask (snapped to the tick), else one side, else the last trade. */
export function centerOf(bids: readonly BookLevel[], asks: readonly BookLevel[], tick: string, last?: string): string | undefined {
  const b = bids[0]?.price;
  const a = asks[0]?.price;
  if (b !== undefined && a !== undefined) return snap(new Decimal(b).plus(a).div(2), tick);
  const one = b ?? a ?? last;
  return one === undefined ? undefined : snap(one, tick);
}

/** The price a limit, stop or trailing order is drawn at. */
export function orderPrice(o: Order): { price: string; stop: boolean } | undefined {
  if (o.type === 'limit' && o.limitPrice !== undefined) return { price: o.limitPrice, stop: false };
  if (o.type === 'stop' || o.type === 'stop_limit') return o.stopPrice !== undefined ? { price: o.stopPrice, stop: true } : undefined;
  if (o.type === 'trailing_stop') {
    const p = o.trailStop ?? o.stopPrice;
    return p !== undefined ? { price: p, stop: true } : undefined;
  }
  return undefined;
}

function sumAt(levels: readonly BookLevel[], tick: string): Map<string, Decimal> {
  const m = new Map<string, Decimal>();
  for (const l of levels) {
    const p = snap(l.price, tick);
    m.set(p, (m.get(p) ?? new Decimal(0)).plus(l.qty));
  }
  return m;
}

export function ladderRows(i: LadderInput): LadderRow[] {
  const tick = new Decimal(i.tick);
  const half = Math.floor(i.rows / 2);
  const bids = sumAt(i.bids, i.tick);
  const asks = sumAt(i.asks, i.tick);
  const bestBid = i.bids[0] ? snap(i.bids[0].price, i.tick) : undefined;
  const bestAsk = i.asks[0] ? snap(i.asks[0].price, i.tick) : undefined;
  const last = i.last !== undefined ? snap(i.last, i.tick) : undefined;
  const byPrice = new Map<string, { buys: LadderOrder[]; sells: LadderOrder[]; buyStops: LadderOrder[]; sellStops: LadderOrder[] }>();
  for (const o of i.orders) {
    if (!isWorking(o.status)) continue;
    const at = orderPrice(o);
    if (!at) continue;
    const p = snap(at.price, i.tick);
    const slot = byPrice.get(p) ?? { buys: [], sells: [], buyStops: [], sellStops: [] };
    const lo: LadderOrder = { id: o.id, venue: o.venue, side: o.side, type: o.type, qty: remainingQty(o).toFixed(), status: o.status };
    (at.stop ? (o.side === 'buy' ? slot.buyStops : slot.sellStops) : o.side === 'buy' ? slot.buys : slot.sells).push(lo);
    byPrice.set(p, slot);
  }
  const top = new Decimal(snap(i.center, i.tick)).plus(tick.mul(half));
  const out: LadderRow[] = [];
  for (let k = 0; k < i.rows; k++) {
    const price = top.minus(tick.mul(k)).toFixed();
    const slot = byPrice.get(price);
    out.push({
      price,
      ...(bids.has(price) ? { bid: bids.get(price)!.toFixed() } : {}),
      ...(asks.has(price) ? { ask: asks.get(price)!.toFixed() } : {}),
      buys: slot?.buys ?? [],
      sells: slot?.sells ?? [],
      buyStops: slot?.buyStops ?? [],
      sellStops: slot?.sellStops ?? [],
      last: price === last,
      bestBid: price === bestBid,
      bestAsk: price === bestAsk,
      ...(i.volumeAt?.[price] !== undefined ? { volume: i.volumeAt[price] } : {}),
    });
  }
  return out;
}

/** True when the best bid or ask has moved within `margin` rows of the ladder's edge (or past it): time to re-centre. */
export function needsRecenter(center: string, rows: number, tick: string, bestBid?: string, bestAsk?: string, margin = 2): boolean {
  const t = new Decimal(tick);
  const half = Math.floor(rows / 2);
  const hi = new Decimal(center).plus(t.mul(half - margin));
  const lo = new Decimal(center).minus(t.mul(half - margin));
  return [bestBid, bestAsk].some((p) => p !== undefined && (new Decimal(p).gt(hi) || new Decimal(p).lt(lo)));
}

/** Scrolls the ladder by whole ticks (the mouse wheel). */
export function shiftCenter(center: string, tick: string, ticks: number): string {
  return new Decimal(center).plus(new Decimal(tick).mul(ticks)).toFixed();
}

export type LadderColumn = 'buyStop' | 'bid' | 'ask' | 'sellStop';

/** What clicking a cell stages on the ticket: bid side buys, ask side sells; the outer columns are stops. */
export function clickIntent(column: LadderColumn, price: string): { side: 'buy' | 'sell'; type: 'limit' | 'stop'; limitPrice?: string; stopPrice?: string } {
  switch (column) {
    case 'bid':
      return { side: 'buy', type: 'limit', limitPrice: price };
    case 'ask':
      return { side: 'sell', type: 'limit', limitPrice: price };
    case 'buyStop':
      return { side: 'buy', type: 'stop', stopPrice: price };
    case 'sellStop':
      return { side: 'sell', type: 'stop', stopPrice: price };
  }
}

/** Dropping an own order on another price: the `order.replace` change, or null when nothing would change. */
export function dragChange(
  o: Pick<Order, 'id' | 'venue' | 'type' | 'limitPrice' | 'stopPrice' | 'trailStop'>,
  price: string,
): { id: string; venue: string; limitPrice?: string; stopPrice?: string } | null {
  if (o.type === 'limit') return o.limitPrice !== undefined && new Decimal(o.limitPrice).eq(price) ? null : { id: o.id, venue: o.venue, limitPrice: price };
  if (o.type === 'stop' || o.type === 'stop_limit') {
    if (o.stopPrice !== undefined && new Decimal(o.stopPrice).eq(price)) return null;
    // A stop-limit keeps its offset between stop and limit.
    if (o.type === 'stop_limit' && o.limitPrice !== undefined && o.stopPrice !== undefined) {
      return { id: o.id, venue: o.venue, stopPrice: price, limitPrice: new Decimal(o.limitPrice).minus(o.stopPrice).plus(price).toFixed() };
    }
    return { id: o.id, venue: o.venue, stopPrice: price };
  }
  // Market and trailing orders are not moved by price.
  return null;
}

/** Scale for the size bars: the largest size on screen. */
export function maxSize(rows: readonly LadderRow[]): Decimal {
  let m = new Decimal(0);
  for (const r of rows) {
    if (r.bid && new Decimal(r.bid).gt(m)) m = new Decimal(r.bid);
    if (r.ask && new Decimal(r.ask).gt(m)) m = new Decimal(r.ask);
  }
  return m;
}

export interface VolumeMark {
  readonly volume?: string;
  readonly last?: string;
}

/**
 * Volume at price from the quote stream: when the venue's day volume rises between two quotes,
 * the rise traded at the quote's last price (snapped to the tick). Venues without a volume or a
 * last price add nothing; a volume that falls (a new trading day) starts a new count from it.
 * Returns the new map, or undefined when nothing changed.
 */
export function addVolumeAtPrice(vap: Readonly<Record<string, string>>, prev: VolumeMark | undefined, q: VolumeMark, tick: string): Record<string, string> | undefined {
  if (!prev?.volume || !q.volume || !q.last) return undefined;
  const rise = new Decimal(q.volume).minus(prev.volume);
  if (rise.lte(0)) return undefined;
  const at = snap(q.last, tick);
  return { ...vap, [at]: new Decimal(vap[at] ?? 0).plus(rise).toFixed() };
}
