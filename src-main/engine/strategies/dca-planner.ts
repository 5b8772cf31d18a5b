/**
 * DCA: buy a fixed quantity every interval, optionally only at or below a price, optionally up to
 * a maximum total quantity. Limit-at-touch (the ask) by default, or market.
 */
import { Decimal, toStr } from '../domain/money';
import type { Planner, PlanResult } from './planner';
import { bad, choice, duration, knownOnly, positiveDecimal } from './strategy-params';

export interface DcaParams {
  readonly qty: Decimal;
  readonly everyMs: number;
  readonly below?: Decimal;
  readonly maxTotal?: Decimal;
  readonly orderType: 'limit' | 'market';
}

export interface DcaState {
  readonly nextAt: number;
  /** Quantity ordered so far (planned, filled or not): the total cap counts what was asked for. */
  readonly ordered: string;
  readonly filled: string;
  readonly cost: string;
  readonly fees: string;
  readonly skipped: number;
}

const KIND = 'dca';

export const dcaPlanner: Planner<DcaParams, DcaState> = {
  kind: KIND,
  wantsQuotes: false,
  parse(raw) {
    knownOnly(KIND, raw, ['qty', 'every', 'below', 'maxTotal', 'orderType']);
    const qty = positiveDecimal(KIND, raw, 'qty', true);
    const maxTotal = positiveDecimal(KIND, raw, 'maxTotal', false);
    if (maxTotal && maxTotal.lt(qty)) throw bad(KIND, `maxTotal (${maxTotal.toFixed()}) is less than one buy of qty ${qty.toFixed()}; raise maxTotal or lower qty.`, 'maxTotal');
    const below = positiveDecimal(KIND, raw, 'below', false);
    return {
      qty,
      everyMs: duration(KIND, raw, 'every', 1000),
      orderType: choice(KIND, raw, 'orderType', ['limit', 'market'] as const, 'limit'),
      ...(below ? { below } : {}),
      ...(maxTotal ? { maxTotal } : {}),
    };
  },
  init: (_p, now) => ({ nextAt: now, ordered: '0', filled: '0', cost: '0', fees: '0', skipped: 0 }),
  maxOrders: (p) => (p.maxTotal ? p.maxTotal.div(p.qty).floor().toNumber() : undefined),
  next(p, s, e): PlanResult<DcaState> {
    if (e.type === 'fill') {
      const state = { ...s, filled: toStr(new Decimal(s.filled).plus(e.qty)), cost: toStr(new Decimal(s.cost).plus(new Decimal(e.qty).mul(e.price))), fees: toStr(new Decimal(s.fees).plus(e.fee)) };
      return { state, orders: [], wakeAt: s.nextAt };
    }
    if (e.type === 'refused' || e.type === 'quote' || e.now < s.nextAt) return { state: s, orders: [], wakeAt: s.nextAt };
    // Due: one buy per interval; a missed interval (closed market, restart) is not made up.
    const nextAt = s.nextAt + p.everyMs * (Math.floor((e.now - s.nextAt) / p.everyMs) + 1);
    const ordered = new Decimal(s.ordered);
    if (p.maxTotal && ordered.plus(p.qty).gt(p.maxTotal)) return { state: s, orders: [], done: `bought its maximum total of ${p.maxTotal.toFixed()}` };
    const ask = e.touch?.ask;
    if (!ask || (p.below && new Decimal(ask).gt(p.below))) return { state: { ...s, nextAt, skipped: s.skipped + 1 }, orders: [], wakeAt: nextAt };
    const order =
      p.orderType === 'market' ? ({ side: 'buy', type: 'market', qty: toStr(p.qty), tif: 'day' } as const) : ({ side: 'buy', type: 'limit', qty: toStr(p.qty), limitPrice: ask, tif: 'gtc' } as const);
    const state = { ...s, nextAt, ordered: toStr(ordered.plus(p.qty)) };
    const full = p.maxTotal && ordered.plus(p.qty).plus(p.qty).gt(p.maxTotal);
    return {
      state,
      orders: [{ ...order, tag: `buy ${Math.round(ordered.div(p.qty).toNumber()) + 1}` }],
      ...(full ? { done: `bought its maximum total of ${p.maxTotal!.toFixed()}` } : { wakeAt: nextAt }),
    };
  },
};
