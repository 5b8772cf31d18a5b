/**
 * A protective stop for the kinds that buy and hold (DCA, a buying TWAP): with `stop=<percent>`,
 * each entry, once its order has ended with a fill, gets a sell stop at the venue for exactly what
 * it filled, at its average fill price less `stop` %. One stop per entry, never a replace, so the
 * stops never cover more than is held. The stop's own fills are the wrapper's, not the kind's; a
 * venue that refuses stop orders is told to the trader by the runner as for any refused step.
 * The plan is only done once each entry it placed has ended and got its stop.
 *
 * Pure, like every planner: it wraps one (whose state is an object).
 */
import { Decimal, toStr } from '../domain/money';
import type { PlannedOrder, Planner, PlanResult } from './planner';
import { bad } from './strategy-params';

export interface Protected<P> {
  readonly inner: P;
  readonly stopPct?: Decimal;
}

interface Lot {
  readonly qty: string;
  readonly cost: string;
}

interface Guard {
  /** Entries placed and not yet ended, with what they filled so far. */
  readonly open: Readonly<Record<string, Lot>>;
  readonly stops: number;
  /** The kind said it is done while entries were still open: said again once they end. */
  readonly done: string | null;
}

/** The kind's own state (shown as the strategy's progress) with the guard beside it; a state saved before stops existed has none. */
export type ProtectedState<S> = S & { readonly protective?: Guard };

const NO_GUARD: Guard = { open: {}, stops: 0, done: null };

function split<S>(s: ProtectedState<S>): { inner: S; guard: Guard } {
  const { protective, ...inner } = s as S & { protective?: Guard };
  return { inner: inner as S, guard: protective ?? NO_GUARD };
}

const STOP = 'stop ';

export function withProtectiveStop<P, S>(planner: Planner<P, S>): Planner<Protected<P>, ProtectedState<S>> {
  const kind = planner.kind;
  const finish = (p: Protected<P>, r: PlanResult<S>, open: Record<string, Lot>, stops: number, done: string | null, extra: PlannedOrder[] = []): PlanResult<ProtectedState<S>> => {
    const entries = p.stopPct ? r.orders.filter((o) => o.side === 'buy') : [];
    for (const o of entries) open[o.tag] = { qty: '0', cost: '0' };
    const said = r.done ?? done;
    const finished = said !== null && Object.keys(open).length === 0;
    return {
      state: { ...(r.state as object), protective: { open, stops, done: finished ? null : said } } as ProtectedState<S>,
      orders: [...r.orders, ...extra],
      ...(r.wakeAt !== undefined ? { wakeAt: r.wakeAt } : {}),
      ...(r.cancels ? { cancels: r.cancels } : {}),
      ...(finished && said !== null ? { done: said } : {}),
    };
  };
  return {
    kind,
    wantsQuotes: planner.wantsQuotes,
    parse(raw) {
      const { stop, ...rest } = raw;
      const inner = planner.parse(rest);
      if (stop === undefined || stop === '') return { inner };
      const pct = /^\s*\d+(\.\d+)?\s*$/.test(String(stop)) ? new Decimal(String(stop).trim()) : undefined;
      if (!pct || pct.lte(0) || pct.gte(100)) throw bad(kind, `stop is a percent below the entry price, above 0 and below 100 (got ${String(stop)}).`, 'stop');
      if ((inner as { side?: string }).side === 'sell') throw bad(kind, 'stop protects what the plan buys; a selling plan holds nothing to protect.', 'stop');
      return { inner, stopPct: pct };
    },
    init: (p, now) => ({ ...(planner.init(p.inner, now) as object), protective: NO_GUARD }) as ProtectedState<S>,
    maxOrders(p) {
      const m = planner.maxOrders(p.inner);
      return m !== undefined && p.stopPct ? m * 2 : m;
    },
    next(p, st, e) {
      const { inner, guard: s } = split(st);
      const open = { ...s.open };
      // The stops' own events are not the kind's.
      if ((e.type === 'fill' || e.type === 'ended' || e.type === 'refused') && e.tag.startsWith(STOP)) return { state: st, orders: [] };
      if (e.type === 'fill' && open[e.tag]) {
        const lot = open[e.tag]!;
        open[e.tag] = { qty: toStr(new Decimal(lot.qty).plus(e.qty)), cost: toStr(new Decimal(lot.cost).plus(new Decimal(e.qty).mul(e.price))) };
      }
      const r = planner.next(p.inner, inner, e);
      let stops = s.stops;
      const extra: PlannedOrder[] = [];
      if ((e.type === 'ended' || e.type === 'refused') && open[e.tag]) {
        const lot = open[e.tag]!;
        delete open[e.tag];
        const qty = new Decimal(lot.qty);
        if (qty.gt(0) && p.stopPct) {
          stops += 1;
          const avg = new Decimal(lot.cost).div(qty);
          extra.push({ side: 'sell', type: 'stop', qty: lot.qty, stopPrice: toStr(avg.mul(new Decimal(100).minus(p.stopPct)).div(100)), tif: 'gtc', tag: `${STOP}${e.tag}` });
        }
      }
      return finish(p, r, open, stops, s.done, extra);
    },
  };
}
