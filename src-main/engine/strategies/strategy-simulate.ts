/**
 * `strategy simulate`: the same planner the runner drives, fed over simulated time from a price
 * path, with nothing sent or journaled. Its clock is a loop (every `tickMs`, and at each wake the
 * planner asks for), its market sessions are the instrument's, its fills are the price crossing a
 * resting limit (market orders fill at the price). Pure: the price path is an input; `priceWalk`
 * gives the deterministic one the engine command uses.
 */
import type { Instrument } from '../domain/instrument';
import { Decimal, toStr } from '../domain/money';
import { plannerFor } from './kinds';
import type { PlanResult, StrategyEvent, Touch } from './planner';
import { mayTrade, splitParams, toTicket } from './strategy-market';
import type { SimulatedFill, SimulatedOrder, SimulationResult } from '../api/strategy-simulation';
import type { PlaceTicket } from './strategy-types';

export interface SimulationInput {
  readonly kind: string;
  readonly params: Record<string, unknown>;
  readonly instrument: Pick<Instrument, 'session' | 'tickSize' | 'lotSize'> & Partial<Instrument>;
  readonly from: number;
  readonly hours: number;
  /** The price at a time (UTC ms) of the simulated window. */
  readonly priceAt: (ts: number) => Decimal;
  /** The price path's step and the quote cadence (default 60 s). */
  readonly tickMs?: number;
  readonly makerFee?: string;
  readonly takerFee?: string;
  /** A bound on the plan's steps (default 5,000): a runaway plan ends the simulation. */
  readonly maxSteps?: number;
}

/** A deterministic random walk from `start`: ±`volatility` per tick, seeded by `seed` (any string). */
export function priceWalk(start: Decimal, seed: string, from: number, tickMs: number, volatility = '0.002'): (ts: number) => Decimal {
  let h = 2166136261;
  for (const c of seed) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  const prices: Decimal[] = [start];
  const vol = new Decimal(volatility);
  return (ts) => {
    const i = Math.max(0, Math.floor((ts - from) / tickMs));
    while (prices.length <= i) {
      // mulberry32
      h = (h + 0x6d2b79f5) >>> 0;
      let t = h;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      prices.push(prices[prices.length - 1]!.mul(new Decimal(1).plus(vol.mul(r * 2 - 1))).toSignificantDigits(12));
    }
    return prices[i]!;
  };
}

interface Working {
  readonly step: number;
  readonly tag: string;
  readonly ticket: PlaceTicket;
}

export function simulateStrategy(x: SimulationInput): SimulationResult {
  const planner = plannerFor(x.kind);
  const { common, own } = splitParams(x.kind, x.params);
  const params = planner.parse(own);
  const tickMs = x.tickMs ?? 60_000;
  const maxSteps = x.maxSteps ?? 5000;
  const fees = { maker: new Decimal(x.makerFee ?? '0.001'), taker: new Decimal(x.takerFee ?? '0.002') };
  const to = x.from + Math.round(x.hours * 3_600_000);
  const inst = x.instrument as Instrument;
  const tick = new Decimal(inst.tickSize ?? 0);
  const touchAt = (ts: number): Touch => {
    const p = tick.gt(0) ? x.priceAt(ts).toNearest(tick) : x.priceAt(ts);
    return { bid: toStr(p), ask: toStr(p), last: toStr(p) };
  };
  const orders: SimulatedOrder[] = [];
  const fills: SimulatedFill[] = [];
  let working: Working[] = [];
  let state = planner.init(params, x.from);
  let wakeAt: number | undefined;
  let done: string | null = null;
  let step = 0;
  const tot = { bought: new Decimal(0), sold: new Decimal(0), spent: new Decimal(0), received: new Decimal(0), fees: new Decimal(0) };

  const apply = (r: PlanResult<unknown>, now: number, touch: Touch | undefined): void => {
    state = r.state;
    wakeAt = r.wakeAt;
    if (r.cancels?.length) working = working.filter((w) => !r.cancels!.includes(w.tag));
    for (const o of r.orders) {
      if (step >= maxSteps) {
        done ??= `stopped after ${maxSteps} steps`;
        break;
      }
      step += 1;
      const ticket = toTicket(o, inst, inst.venue ?? 'sim', inst.symbol ?? 'sim', `SIM-${step}`, common);
      const price = ticket.limitPrice ?? ticket.stopPrice ?? touch?.ask ?? touch?.last ?? '0';
      orders.push({ ts: now, step, tag: o.tag, side: ticket.side, type: ticket.type, qty: ticket.qty, ...(ticket.notional ? { notional: ticket.notional } : {}), price });
      working.push({ step, tag: o.tag, ticket });
    }
    if (r.done !== undefined) done ??= r.done;
  };

  const fillWorking = (now: number, touch: Touch): void => {
    const px = new Decimal(touch.last!);
    for (const w of [...working]) {
      const t = w.ticket;
      let price: Decimal | undefined;
      let rate = fees.maker;
      if (t.type === 'market') {
        price = px;
        rate = fees.taker;
      } else if (t.type === 'limit' && (t.side === 'buy' ? px.lte(t.limitPrice!) : px.gte(t.limitPrice!))) price = new Decimal(t.limitPrice!);
      else if (t.type === 'stop' && (t.side === 'sell' ? px.lte(t.stopPrice!) : px.gte(t.stopPrice!))) {
        price = px;
        rate = fees.taker;
      }
      if (!price) continue;
      const qty = t.notional ? new Decimal(t.notional).div(price).toSignificantDigits(12, Decimal.ROUND_DOWN) : new Decimal(t.qty);
      if (qty.lte(0)) continue;
      const fee = qty.mul(price).mul(rate);
      working = working.filter((o) => o !== w);
      fills.push({ ts: now, step: w.step, tag: w.tag, side: t.side, qty: toStr(qty), price: toStr(price), fee: toStr(fee) });
      tot.fees = tot.fees.plus(fee);
      if (t.side === 'buy') {
        tot.bought = tot.bought.plus(qty);
        tot.spent = tot.spent.plus(qty.mul(price));
      } else {
        tot.sold = tot.sold.plus(qty);
        tot.received = tot.received.plus(qty.mul(price));
      }
      for (const ev of [
        { type: 'fill', now, tag: w.tag, side: t.side, qty: toStr(qty), price: toStr(price), fee: toStr(fee) },
        { type: 'ended', now, tag: w.tag, filledQty: toStr(qty), status: 'filled' },
      ] as StrategyEvent[]) {
        // A finished plan hears no more; the orders it placed last still fill (as the runner still sends them).
        if (done === null) apply(planner.next(params, state, ev), now, touch);
      }
    }
  };

  let open = mayTrade(inst, common, x.from);
  let touch = touchAt(x.from);
  apply(planner.next(params, state, { type: 'start', now: x.from, touch, open }), x.from, touch);
  let lastQuote = x.from;
  let cursor = x.from;
  while (done === null || working.length > 0) {
    const nextTick = lastQuote + tickMs;
    const now = wakeAt !== undefined && wakeAt > cursor && wakeAt < nextTick ? wakeAt : nextTick;
    cursor = now;
    if (now > to) break;
    if (now === nextTick) lastQuote = now;
    touch = touchAt(now);
    const wasOpen = open;
    open = mayTrade(inst, common, now);
    // A closed market trades nothing: resting orders wait, as at the venue's own session close.
    if (open) fillWorking(now, touch);
    if (done !== null) continue;
    const due = wakeAt !== undefined && wakeAt <= now;
    if (due || open !== wasOpen) apply(planner.next(params, state, { type: 'timer', now, touch, open }), now, touch);
    else if (open && planner.wantsQuotes) apply(planner.next(params, state, { type: 'quote', now, touch }), now, touch);
  }
  return {
    from: x.from,
    to,
    startPrice: touchAt(x.from).last!,
    endPrice: touch.last!,
    orders,
    fills,
    bought: toStr(tot.bought),
    sold: toStr(tot.sold),
    spent: toStr(tot.spent),
    received: toStr(tot.received),
    fees: toStr(tot.fees),
    steps: step,
    done,
  };
}
