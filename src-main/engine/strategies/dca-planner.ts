/**
 * DCA: buy a fixed amount every interval — a quantity (`qty`) or a quote-currency amount
 * (`notional`) — optionally only at or below a price, optionally up to a maximum total in the same
 * unit. Limit-at-touch (the ask) by default, or market. A notional limit buy is priced at the ask
 * and sized notional ÷ ask (the runner rounds it down to the lot); a notional market buy is sent as
 * a notional order, which only venues that take one accept.
 */
import { Decimal, toStr } from '../domain/money';
import type { Planner, PlanResult } from './planner';
import { bad, choice, duration, knownOnly, positiveDecimal } from './strategy-params';

export interface DcaParams {
  /** The amount per buy, in `unit`. */
  readonly amount: Decimal;
  readonly unit: 'qty' | 'notional';
  readonly everyMs: number;
  readonly below?: Decimal;
  /** The most ever ordered, in `unit`. */
  readonly maxTotal?: Decimal;
  readonly orderType: 'limit' | 'market';
}

export interface DcaState {
  readonly nextAt: number;
  /** Amount ordered so far (in the params' unit, filled or not): the total cap counts what was asked for. */
  readonly ordered: string;
  readonly buys: number;
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
    knownOnly(KIND, raw, ['qty', 'notional', 'every', 'below', 'maxTotal', 'orderType']);
    const qty = positiveDecimal(KIND, raw, 'qty', false);
    const notional = positiveDecimal(KIND, raw, 'notional', false);
    if (qty && notional) throw bad(KIND, 'give qty (a quantity per buy) or notional (an amount of money per buy), not both.', 'notional');
    if (!qty && !notional) throw bad(KIND, 'qty (a quantity per buy, e.g. qty=0.01) or notional (money per buy, e.g. notional=100) is required.', 'qty');
    const amount = (qty ?? notional)!;
    const unit = qty ? 'qty' : 'notional';
    const maxTotal = positiveDecimal(KIND, raw, 'maxTotal', false);
    if (maxTotal && maxTotal.lt(amount)) throw bad(KIND, `maxTotal (${maxTotal.toFixed()}) is less than one buy of ${unit} ${amount.toFixed()}; raise maxTotal or lower ${unit}.`, 'maxTotal');
    const below = positiveDecimal(KIND, raw, 'below', false);
    return {
      amount,
      unit,
      everyMs: duration(KIND, raw, 'every', 1000),
      orderType: choice(KIND, raw, 'orderType', ['limit', 'market'] as const, 'limit'),
      ...(below ? { below } : {}),
      ...(maxTotal ? { maxTotal } : {}),
    };
  },
  init: (_p, now) => ({ nextAt: now, ordered: '0', buys: 0, filled: '0', cost: '0', fees: '0', skipped: 0 }),
  maxOrders: (p) => (p.maxTotal ? p.maxTotal.div(p.amount).floor().toNumber() : undefined),
  next(p, s, e): PlanResult<DcaState> {
    if (e.type === 'fill') {
      const state = { ...s, filled: toStr(new Decimal(s.filled).plus(e.qty)), cost: toStr(new Decimal(s.cost).plus(new Decimal(e.qty).mul(e.price))), fees: toStr(new Decimal(s.fees).plus(e.fee)) };
      return { state, orders: [], wakeAt: s.nextAt };
    }
    // A closed market holds the buy that is due until it opens (the runner wakes it then).
    if (e.type === 'refused' || e.type === 'ended' || e.type === 'quote' || e.open === false || e.now < s.nextAt) return { state: s, orders: [], wakeAt: s.nextAt };
    // Due: one buy per interval; a missed interval (closed market, restart) is not made up.
    const nextAt = s.nextAt + p.everyMs * (Math.floor((e.now - s.nextAt) / p.everyMs) + 1);
    const ordered = new Decimal(s.ordered);
    const total = ordered.plus(p.amount);
    if (p.maxTotal && total.gt(p.maxTotal)) return { state: s, orders: [], done: `bought its maximum total of ${p.maxTotal.toFixed()}` };
    const ask = e.touch?.ask;
    if (!ask || (p.below && new Decimal(ask).gt(p.below))) return { state: { ...s, nextAt, skipped: s.skipped + 1 }, orders: [], wakeAt: nextAt };
    const tag = `buy ${s.buys + 1}`;
    const order =
      p.orderType === 'market'
        ? p.unit === 'qty'
          ? ({ side: 'buy', type: 'market', qty: toStr(p.amount), tif: 'day', tag } as const)
          : ({ side: 'buy', type: 'market', qty: '0', notional: toStr(p.amount), tif: 'day', tag } as const)
        : ({ side: 'buy', type: 'limit', qty: toStr(p.unit === 'qty' ? p.amount : p.amount.div(ask).toSignificantDigits(12, Decimal.ROUND_DOWN)), limitPrice: ask, tif: 'gtc', tag } as const);
    const state = { ...s, nextAt, ordered: toStr(total), buys: s.buys + 1 };
    const full = p.maxTotal && total.plus(p.amount).gt(p.maxTotal);
    return { state, orders: [order], ...(full ? { done: `bought its maximum total of ${p.maxTotal!.toFixed()}` } : { wakeAt: nextAt }) };
  },
};
