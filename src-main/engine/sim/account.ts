/**
 * The simulated account (the Paper venue's): cash, positions, what open orders hold back, and
 * whether a new order can be carried. Documented for traders in the README:
 * - one cash balance in the quote currency of every instrument (`cash`), starting where the venue
 *   says;
 * - crypto is spot: a buy pays cash and adds the coin, a sell needs the coin (no crypto shorts);
 * - equities and ETFs may be shorted; a short holds 150 % of its value out of buying power
 *   (its proceeds are in cash, so the net cost is 50 %), as under Reg T;
 * - futures exchange no notional: each open contract holds initial margin (8 % of its value),
 *   and realized P&L settles to cash;
 * - resting buy orders reserve their cost (limit or stop price × qty + taker fee; a trailing
 *   stop at its current stop);
 * - a bracket's held children reserve nothing; once the entry fills, its two exits protect the
 *   same quantity (released − exited), so they reserve it ONCE between them (the larger of the
 *   two), and a crypto exit sells coins the entry bought, so those coins are no longer free;
 * - the members of an OCA group hold ONCE between them, per asset the largest of their holds:
 *   the first fill of any member cancels the others, so only one can ever fill (a grid's sell and
 *   its protective stop sell the same coins, and both can rest). A new member needs only what it
 *   holds beyond what its group already holds.
 * Everything lives in the store it is given (reservations are running totals rebuilt from it).
 */
import type { PreviewIssue } from '../api/commands';
import type { Instrument } from '../domain/instrument';
import { Decimal, toStr, ZERO } from '../domain/money';
import type { Balance, Order, Position, Quote } from '../domain/order';
import type { NormalizedTicket } from '../domain/order-validation';
import { fromTicks, toLots } from '../domain/scaled';
import { computeFee, type FeeRates, type ScaledBook } from './matching-engine';
import { SimReservations, type Hold } from './reservations';
import type { SimOrderRow, SimPositionRow, SimStore } from './sim-store';

const FUTURES_MARGIN = new Decimal('0.08');
const SHORT_REQUIREMENT = new Decimal('1.5');

/** The market the account marks against and estimates fills on. */
export interface SimMarket {
  mid(instrumentId: string): Decimal | undefined;
  quote(instrumentId: string): Quote | undefined;
  book(instrumentId: string): ScaledBook | undefined;
}

export interface SimAccountOptions {
  /** The venue's name, carried by the positions and balances it reports. */
  readonly venue: string;
  /** Names the venue in a trader's message ("Paper crypto is spot"). */
  readonly label: string;
  /** The one cash asset, e.g. USD. */
  readonly cash: string;
  readonly store: SimStore;
  readonly market: SimMarket;
  instrument(id: string): Instrument | undefined;
  instruments(): readonly Instrument[];
  fees(): FeeRates;
}

/** Where an order would fill; `restsAt` when part of a marketable limit would rest there (the book is too thin). */
interface Estimate {
  readonly price: Decimal | undefined;
  readonly marketable: boolean;
  readonly warnings: PreviewIssue[];
  readonly restsAt?: Decimal;
}

/** What an order would cost and whether the account can carry it (see affordability). */
export interface Affordability {
  readonly est: Estimate;
  readonly bp: Decimal;
  readonly bpAfter: Decimal | undefined;
  readonly notional: Decimal | undefined;
  readonly fee: Decimal | undefined;
  readonly total: Decimal | undefined;
  readonly violation: PreviewIssue | undefined;
}

export class SimAccount {
  /** What open orders hold back, as running totals (reservations.ts). */
  private readonly held = new SimReservations(
    (o) => this.holdOf(o),
    (o) => this.reservation(o),
  );

  constructor(private readonly opts: SimAccountOptions) {
    opts.store.onOrderSaved = (row) => this.held.save(row);
    opts.store.onRollback = () => this.held.reset(opts.store.openOrders());
  }

  /** Opens the account with its starting cash the first time; rebuilds the reservations from the open orders. */
  open(startingCash: Decimal): void {
    if (this.opts.store.balances().size === 0) this.opts.store.saveBalance(this.opts.cash, toStr(startingCash));
    this.held.reset(this.opts.store.openOrders());
  }

  positions(): Position[] {
    return [...this.opts.store.positions().values()].map((p) => this.position(p));
  }

  /** The position to report for an instrument a fill touched (zero when it closed). */
  positionOf(instrumentId: string): Position {
    const p = this.opts.store.positions().get(instrumentId);
    const inst = this.opts.instrument(instrumentId)!;
    return p ? this.position(p) : { venue: this.opts.venue, instrumentId, symbol: inst.symbol, qty: '0', avgPrice: '0', realizedPnl: '0' };
  }

  /** Moves cash and the position for one fill (inside apply's transaction). */
  settleFill(instrumentId: string, side: Order['side'], qty: Decimal, price: Decimal, fee: Decimal): void {
    const inst = this.opts.instrument(instrumentId)!;
    const mult = new Decimal(inst.multiplier);
    const positions = this.opts.store.positions();
    const pos: SimPositionRow = positions.get(instrumentId) ?? { instrumentId, qty: '0', avgPrice: '0', realizedPnl: '0' };
    const cur = new Decimal(pos.qty);
    const signed = side === 'buy' ? qty : qty.neg();
    const next = cur.plus(signed);
    let realized = ZERO;
    let avg = new Decimal(pos.avgPrice);
    if (cur.isZero() || cur.isNeg() === signed.isNeg()) {
      avg = cur.abs().mul(avg).plus(qty.mul(price)).div(next.abs());
    } else {
      const closing = Decimal.min(qty, cur.abs());
      realized = price
        .minus(avg)
        .mul(closing)
        .mul(cur.isNeg() ? -1 : 1)
        .mul(mult);
      if (next.isZero()) avg = ZERO;
      else if (next.isNeg() !== cur.isNeg()) avg = price; // flipped: the remainder opened at this price
    }
    const cash = new Decimal(this.opts.store.balances().get(this.opts.cash) ?? '0');
    const cashDelta = inst.assetClass === 'future' ? realized.minus(fee) : signed.neg().mul(price).mul(mult).minus(fee);
    this.opts.store.saveBalance(this.opts.cash, toStr(cash.plus(cashDelta)));
    if (next.isZero()) this.opts.store.deletePosition(instrumentId);
    else this.opts.store.savePosition({ instrumentId, qty: toStr(next), avgPrice: toStr(avg.toDecimalPlaces(12)), realizedPnl: toStr(new Decimal(pos.realizedPnl).plus(realized)) });
    if (inst.assetClass === 'crypto_spot') this.opts.store.saveBalance(inst.base, toStr(next));
  }

  private position(p: SimPositionRow): Position {
    const inst = this.opts.instrument(p.instrumentId);
    return { venue: this.opts.venue, instrumentId: p.instrumentId, symbol: inst?.symbol ?? p.instrumentId, qty: p.qty, avgPrice: p.avgPrice, realizedPnl: p.realizedPnl };
  }

  balances(): Balance[] {
    const out: Balance[] = [];
    const bp = this.buyingPower();
    for (const [asset, total] of this.opts.store.balances()) {
      // Exact: rounding here showed fractions of a cent as "reserved" after every fill.
      if (asset === this.opts.cash) out.push({ venue: this.opts.venue, asset, total, available: toStr(bp) });
      else out.push({ venue: this.opts.venue, asset, total, available: toStr(this.freeCoin(asset)) });
    }
    return out;
  }

  private mark(inst: Instrument): Decimal | undefined {
    return this.opts.market.mid(inst.id);
  }

  /** Cash minus what open orders reserve and what positions hold (futures margin, short requirement). */
  buyingPower(excludeOrder?: string): Decimal {
    let bp = new Decimal(this.opts.store.balances().get(this.opts.cash) ?? '0');
    for (const p of this.opts.store.positions().values()) {
      const inst = this.opts.instrument(p.instrumentId);
      if (!inst) continue;
      const value = new Decimal(p.qty)
        .abs()
        .mul(this.mark(inst) ?? p.avgPrice)
        .mul(inst.multiplier);
      if (inst.assetClass === 'future') bp = bp.minus(value.mul(FUTURES_MARGIN));
      else if (new Decimal(p.qty).isNeg()) bp = bp.minus(value.mul(SHORT_REQUIREMENT));
    }
    // Open orders' holds are running totals; a bracket's two exits count once (the larger).
    return bp.minus(this.held.cash(excludeOrder));
  }

  /** One open order's hold, computed when its row changes (SimReservations keeps the totals). */
  private holdOf(o: SimOrderRow): Hold {
    const inst = this.opts.instrument(o.instrumentId);
    const floating = (o.limitPrice ?? o.stopPrice ?? o.trailStop) === null;
    const cash = floating || !inst ? ZERO : this.reservation(o);
    const coin = inst?.assetClass === 'crypto_spot' && o.side === 'sell' ? { asset: inst.base, qty: this.workingQty(o) } : undefined;
    return coin ? { cash, coin, floating } : { cash, floating };
  }

  /** What an open order may still fill: its remainder, or for a bracket exit what the entry released and no exit has used (0 while held). */
  private workingQty(o: SimOrderRow): Decimal {
    const remaining = new Decimal(o.qty).minus(o.filledQty);
    if (!o.parentId) return remaining;
    const shared = new Decimal(o.releasedQty ?? '0').minus(o.exitedQty ?? '0');
    return Decimal.max(ZERO, Decimal.min(remaining, shared));
  }

  private reservation(o: SimOrderRow): Decimal {
    const inst = this.opts.instrument(o.instrumentId);
    if (!inst) return ZERO;
    const px = new Decimal(o.limitPrice ?? o.stopPrice ?? o.trailStop ?? this.mark(inst) ?? 0);
    return this.holdFor(inst, o.side, this.workingQty(o), px);
  }

  /** What a working order holds out of buying power: the one formula for the hold and the preview of it. */
  private holdFor(inst: Instrument, side: Order['side'], qty: Decimal, px: Decimal): Decimal {
    const value = qty.mul(px).mul(inst.multiplier);
    if (inst.assetClass === 'future') return value.mul(FUTURES_MARGIN);
    return side === 'buy' ? value.mul(this.opts.fees().taker.plus(1)) : ZERO;
  }

  /** The price a ticket would rest at (what its hold is computed on), or undefined when it executes on arrival. */
  private restingPrice(inst: Instrument, t: NormalizedTicket, marketable: boolean): Decimal | undefined {
    if (t.type === 'market' || (t.type === 'limit' && marketable)) return undefined;
    if (t.type === 'limit') return new Decimal(t.limitPrice!);
    const q = this.opts.market.quote(inst.id);
    const touch = t.side === 'buy' ? q?.ask : q?.bid;
    if (t.type === 'trailing_stop') return undefined;
    const stop = new Decimal(t.stopPrice!);
    // A stop already through the market triggers on arrival.
    if (touch && (t.side === 'buy' ? new Decimal(touch).gte(stop) : new Decimal(touch).lte(stop))) return undefined;
    return t.type === 'stop_limit' ? new Decimal(t.limitPrice!) : stop;
  }

  /** Coins not promised to open sell orders. */
  freeCoin(asset: string, excludeOrder?: string): Decimal {
    const inst = this.opts.instruments().find((i) => i.assetClass === 'crypto_spot' && i.base === asset);
    const free = new Decimal(this.opts.store.balances().get(asset) ?? '0');
    if (!inst) return free;
    // A bracket's take-profit and stop-loss sell the same coins: counted once (SimReservations).
    return free.minus(this.held.coin(asset, excludeOrder));
  }

  /** Walks the displayed book for a marketable quantity; undefined when the side is empty. */
  private walk(book: ScaledBook | undefined, inst: Instrument, side: Order['side'], qty: Decimal): { price: Decimal; short: boolean } | undefined {
    const levels = side === 'buy' ? book?.asks : book?.bids;
    if (!levels || levels.length === 0) return undefined;
    const scale = { tick: new Decimal(inst.tickSize), lot: new Decimal(inst.lotSize) };
    let need = toLots(qty, scale);
    let notionalTicksLots = 0;
    let taken = 0;
    for (const [ticks, lots] of levels) {
      const n = Math.min(need, lots);
      notionalTicksLots += n * ticks;
      taken += n;
      need -= n;
      if (need === 0) break;
    }
    if (taken === 0) return undefined;
    // VWAP in exact decimals: Σ(ticks·lots) is an exact integer below 2^53 for Paper's books.
    const vwap = fromTicks(1, scale)
      .mul(notionalTicksLots)
      .div(taken)
      .toDecimalPlaces(scale.tick.decimalPlaces() + 4);
    return { price: vwap, short: need > 0 };
  }

  private estimate(inst: Instrument, t: NormalizedTicket): Estimate {
    const warnings: PreviewIssue[] = [];
    const q = this.opts.market.quote(inst.id);
    const ask = q?.ask ? new Decimal(q.ask) : undefined;
    const bid = q?.bid ? new Decimal(q.bid) : undefined;
    const qty = new Decimal(t.qty);
    if (t.type === 'market') {
      const w = this.walk(this.opts.market.book(inst.id), inst, t.side, qty);
      if (w?.short) warnings.push({ code: 'thin_book', message: `Displayed depth covers less than ${t.qty} ${inst.symbol}; the rest of a market order would be cancelled.` });
      return { price: w?.price, marketable: true, warnings };
    }
    if (t.type === 'limit') {
      const lim = new Decimal(t.limitPrice!);
      const marketable = t.side === 'buy' ? ask !== undefined && lim.gte(ask) : bid !== undefined && lim.lte(bid);
      if (marketable) {
        const w = this.walk(this.opts.market.book(inst.id), inst, t.side, qty);
        const px = w ? (t.side === 'buy' ? Decimal.min(w.price, lim) : Decimal.max(w.price, lim)) : lim;
        // What the displayed book cannot fill rests at the limit: it must be affordable there too.
        return { price: px, marketable, warnings, ...(!w || w.short ? { restsAt: lim } : {}) };
      }
      return { price: lim, marketable, warnings };
    }
    if (t.type === 'trailing_stop') {
      // Where the stop would start now: the touch it tracks, minus (sell) or plus (buy) the trail.
      const ref = t.side === 'sell' ? bid : ask;
      if (!ref) return { price: undefined, marketable: true, warnings };
      const dist = t.trailAmount !== undefined ? new Decimal(t.trailAmount) : ref.mul(t.trailPercent ?? '0').div(100);
      return { price: t.side === 'sell' ? ref.minus(dist) : ref.plus(dist), marketable: true, warnings };
    }
    return { price: new Decimal(t.type === 'stop_limit' ? t.limitPrice! : t.stopPrice!), marketable: t.type === 'stop', warnings };
  }

  /** What this order would cost and whether the account can carry it. */
  affordability(inst: Instrument, t: NormalizedTicket, excludeOrder?: string): Affordability {
    const est = this.estimate(inst, t);
    const qty = new Decimal(t.qty);
    const mult = new Decimal(inst.multiplier);
    const bp = this.buyingPower(excludeOrder);
    if (!est.price) return { est, bp, bpAfter: undefined, notional: undefined, fee: undefined, total: undefined, violation: undefined };
    const notional = qty.mul(est.price).mul(mult);
    const rate = est.marketable ? this.opts.fees().taker : this.opts.fees().maker;
    const fee = computeFee(qty, est.price, mult, rate, inst.quote);
    const pos = new Decimal(this.opts.store.positions().get(inst.id)?.qty ?? '0');
    const signed = t.side === 'buy' ? qty : qty.neg();
    const opening = pos.isZero() || pos.isNeg() === signed.isNeg() ? qty : Decimal.max(qty.minus(pos.abs()), 0);
    const closing = qty.minus(opening);
    let cost: Decimal;
    let total: Decimal;
    if (inst.assetClass === 'future') {
      const perUnit = est.price.mul(mult).mul(FUTURES_MARGIN);
      cost = opening.mul(perUnit).minus(closing.mul(perUnit)).plus(fee);
      total = fee;
    } else if (t.side === 'buy') {
      // Buying back a short releases its 150 % requirement and pays the price.
      cost = notional.plus(fee).minus(closing.mul(est.price).mul(mult).mul(SHORT_REQUIREMENT));
      total = notional.plus(fee);
    } else {
      cost = opening.mul(est.price).mul(mult).mul(SHORT_REQUIREMENT.minus(1)).minus(closing.mul(est.price).mul(mult)).plus(fee);
      total = notional.minus(fee);
    }
    let violation: PreviewIssue | undefined;
    // An OCA member can only fill by cancelling the rest of its group: what the group holds is its to use.
    const group = t.ocaGroup !== undefined ? this.held.ocaHold(t.ocaGroup, excludeOrder) : undefined;
    if (inst.assetClass === 'crypto_spot' && t.side === 'sell') {
      const free = this.freeCoin(inst.base, excludeOrder).plus(group?.coin.get(inst.base) ?? ZERO);
      if (qty.gt(free))
        violation = { code: 'insufficient_position', message: `You have ${toStr(free)} ${inst.base} free to sell; this order sells ${t.qty}. ${this.opts.label} crypto is spot: no shorting.` };
    }
    // An order that rests holds what its reservation says (not what a fill would cost): the preview
    // shows that hold, so "buying power after" is what the account shows once it is placed.
    const restPx = this.restingPrice(inst, t, est.marketable);
    // Its group's cash hold covers that much of what the member needs (never more than it needs).
    const credit = group?.cash ?? ZERO;
    const beyond = (x: Decimal): Decimal => (x.gt(0) ? Decimal.max(ZERO, x.minus(credit)) : x);
    const hold = beyond(restPx ? this.holdFor(inst, t.side, qty, restPx) : cost);
    const rests = est.restsAt ? beyond(this.holdFor(inst, t.side, qty, est.restsAt)) : ZERO;
    const need = Decimal.max(beyond(cost), hold, rests);
    if (!violation && need.gt(0) && need.gt(bp)) {
      violation = {
        code: 'insufficient_funds',
        message: `This order needs ${toStr(need.toDecimalPlaces(2, Decimal.ROUND_UP))} ${this.opts.cash} of buying power; you have ${toStr(bp.toDecimalPlaces(2, Decimal.ROUND_DOWN))} ${this.opts.cash}. Reduce the quantity.`,
      };
    }
    return { est, bp, bpAfter: bp.minus(hold), notional, fee, total, violation };
  }
}
