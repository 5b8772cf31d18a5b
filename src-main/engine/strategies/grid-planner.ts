/**
 * Grid: N price levels between low and high (arithmetic: equal steps; geometric: equal ratios).
 * It starts with a resting buy at every level below the market; when a buy at level i has filled
 * completely it rests a sell at level i+1, and when that sell fills, a buy at level i again. Each
 * completed buy→sell pair earns qty × (level i+1 − level i), the profit per grid. Spot only: it
 * never sells what it did not buy. When the price leaves [low, high] it stops and cancels its
 * resting orders (stopAtBounds, default true); without it the grid waits for the price to return.
 *
 * Protective stops (`stop=<percent>`): each filled buy is a lot the grid holds until its sell one
 * level up fills. With `stop`, every such lot also gets a sell stop at the venue for its quantity,
 * at `stop` % below the grid's LOWEST level (one price for all lots: a grid expects to buy the
 * whole way down to its low, so only a fall through the bottom is a loss to cut). The lot's sell and
 * its stop share an OCA group, so the venue cancels the other when one fills; the planner also
 * cancels the stop when the sell fills, and the sell when the stop fills (that lot is not bought
 * again). Each is a numbered step with its own deterministic client id, journaled before it is
 * sent, so a restart never places a stop twice. When the grid stops at its bounds it cancels its
 * resting buys and sells but keeps the stops: they protect what it still holds (`strategy stop
 * --cancel-orders` cancels them with the rest). Paper holds an OCA group's coins once, so on Paper
 * crypto the sell and its stop both rest. A venue that refuses the stop (spot venues that hold the
 * coin for the resting sell, without OCA holds) leaves that lot unprotected and the trader is
 * told, as for any refused step.
 */
import { Decimal, toStr } from '../domain/money';
import type { Planner, PlannedOrder, PlanResult, StrategyEvent, Touch } from './planner';
import { bad, choice, flag, integer, knownOnly, positiveDecimal } from './strategy-params';

export interface GridParams {
  readonly low: Decimal;
  readonly high: Decimal;
  readonly levels: number;
  readonly spacing: 'arithmetic' | 'geometric';
  readonly qty: Decimal;
  readonly stopAtBounds: boolean;
  /** Protective stop: percent below the lowest level (absent = none). */
  readonly stopPct?: Decimal;
}

export interface GridState {
  readonly started: boolean;
  /** Per order tag (B3 = the buy at level 3, S4 = the sell at level 4): how much of it has filled. */
  readonly resting: Readonly<Record<string, { readonly filled: string }>>;
  readonly cycles: number;
  readonly realized: string;
  readonly fees: string;
  readonly position: string;
  /** Lots placed with a protective stop so far (names their OCA groups); absent in a state saved before stops. */
  readonly lots?: number;
}

const KIND = 'grid';

/** Levels per parsed params object: a grid reads every quote, and its levels never change. */
const levelsOf = new WeakMap<object, Decimal[]>();

export function gridLevels(p: Pick<GridParams, 'low' | 'high' | 'levels' | 'spacing'>): Decimal[] {
  const known = levelsOf.get(p);
  if (known) return known;
  const out: Decimal[] = [];
  const n = p.levels - 1;
  for (let i = 0; i <= n; i++) {
    out.push(p.spacing === 'arithmetic' ? p.low.plus(p.high.minus(p.low).mul(i).div(n)) : p.low.mul(p.high.div(p.low).pow(new Decimal(i).div(n))));
  }
  const levels = out.map((d) => d.toSignificantDigits(10));
  levelsOf.set(p, levels);
  return levels;
}

/** Profit of one completed buy→sell at each adjacent pair of levels, before fees. */
export function profitPerGrid(p: GridParams): string[] {
  const lv = gridLevels(p);
  return lv.slice(1).map((hi, i) => toStr(hi.minus(lv[i]!).mul(p.qty)));
}

function mid(t: Touch | undefined): Decimal | undefined {
  if (t?.bid && t.ask) return new Decimal(t.bid).plus(t.ask).div(2);
  return t?.last ? new Decimal(t.last) : undefined;
}

const order = (p: GridParams, side: 'buy' | 'sell', i: number, lv: Decimal[], ocaGroup?: string): PlannedOrder => ({
  side,
  type: 'limit',
  qty: toStr(p.qty),
  limitPrice: toStr(lv[i]!),
  tif: 'gtc',
  tag: `${side === 'buy' ? 'B' : 'S'}${i}`,
  ...(ocaGroup ? { ocaGroup } : {}),
});

const STOP = 'stop ';

/** The protective stops' one trigger price: `stop` % below the lowest level. */
function gridStopPrice(p: Pick<GridParams, 'low'> & { readonly stopPct: Decimal }): Decimal {
  return p.low.mul(new Decimal(100).minus(p.stopPct)).div(100);
}

/** A protective stop's fill, end or refusal: the lot (sell tag) it guards is closed by it, or left unguarded. */
function onStop(p: GridParams, s: GridState, e: Extract<StrategyEvent, { tag: string }>, lv: Decimal[]): PlanResult<GridState> {
  const sell = e.tag.slice(STOP.length);
  const resting = { ...s.resting };
  if (e.type !== 'fill') {
    delete resting[e.tag];
    return { state: { ...s, resting }, orders: [] };
  }
  const at = resting[e.tag] ?? { filled: '0' };
  const filled = new Decimal(at.filled).plus(e.qty);
  const i = Number(sell.slice(1));
  const position = toStr(new Decimal(s.position).minus(e.qty));
  const fees = toStr(new Decimal(s.fees).plus(e.fee));
  const realized = toStr(new Decimal(s.realized).plus(new Decimal(e.price).minus(lv[i - 1]!).mul(e.qty)));
  if (filled.lt(p.qty)) return { state: { ...s, position, fees, realized, resting: { ...resting, [e.tag]: { filled: toStr(filled) } } }, orders: [] };
  // Stopped out: the lot is gone, its sell goes, and the level is not bought again.
  delete resting[e.tag];
  delete resting[sell];
  return { state: { ...s, position, fees, realized, resting }, orders: [], cancels: [sell] };
}

export const gridPlanner: Planner<GridParams, GridState> = {
  kind: KIND,
  wantsQuotes: true,
  parse(raw) {
    knownOnly(KIND, raw, ['low', 'high', 'levels', 'spacing', 'qty', 'stopAtBounds', 'stop']);
    const low = positiveDecimal(KIND, raw, 'low', true);
    const high = positiveDecimal(KIND, raw, 'high', true);
    if (high.lte(low)) throw bad(KIND, `high (${high.toFixed()}) must be above low (${low.toFixed()}).`, 'high');
    return {
      low,
      high,
      levels: integer(KIND, raw, 'levels', 2, 200),
      spacing: choice(KIND, raw, 'spacing', ['arithmetic', 'geometric'] as const, 'arithmetic'),
      qty: positiveDecimal(KIND, raw, 'qty', true),
      stopAtBounds: flag(KIND, raw, 'stopAtBounds', true),
      ...stopParam(raw),
    };
  },
  init: () => ({ started: false, resting: {}, cycles: 0, realized: '0', fees: '0', position: '0' }),
  maxOrders: () => undefined,
  next(p, s, e): PlanResult<GridState> {
    const lv = gridLevels(p);
    if (e.type === 'start' || e.type === 'quote' || e.type === 'timer') {
      const m = mid(e.touch);
      if (!m) return { state: s, orders: [] };
      // Stopping takes its resting orders with it: a stopped grid trades no more.
      if (p.stopAtBounds && (m.lt(p.low) || m.gt(p.high)))
        return { state: s, orders: [], cancels: Object.keys(s.resting).filter((t) => !t.startsWith(STOP)), done: `the price ${m.toFixed()} left the grid [${p.low.toFixed()}, ${p.high.toFixed()}]` };
      if (s.started || ('open' in e && e.open === false)) return { state: s, orders: [] };
      const resting: Record<string, GridState['resting'][string]> = {};
      const orders: PlannedOrder[] = [];
      // Buys at every level below the market except the top one (its sell would have nowhere to go).
      lv.forEach((price, i) => {
        if (i < lv.length - 1 && price.lt(m)) {
          resting[`B${i}`] = { filled: '0' };
          orders.push(order(p, 'buy', i, lv));
        }
      });
      return { state: { ...s, started: true, resting }, orders };
    }
    if (e.tag.startsWith(STOP)) return onStop(p, s, e, lv);
    const i = Number(e.tag.slice(1));
    const at = s.resting[e.tag];
    // Refused, or ended without filling completely (cancelled by hand, expired): that level no longer rests.
    if (e.type === 'refused' || (e.type === 'ended' && e.status !== 'filled')) {
      const resting = { ...s.resting };
      delete resting[e.tag];
      return { state: { ...s, resting }, orders: [] };
    }
    if (!at || e.type === 'ended') return { state: s, orders: [] };
    const filled = new Decimal(at.filled).plus(e.qty);
    const position = toStr(new Decimal(s.position)[e.side === 'buy' ? 'plus' : 'minus'](e.qty));
    const fees = toStr(new Decimal(s.fees).plus(e.fee));
    if (filled.lt(p.qty)) return { state: { ...s, position, fees, resting: { ...s.resting, [e.tag]: { filled: toStr(filled) } } }, orders: [] };
    const resting = { ...s.resting };
    delete resting[e.tag];
    if (e.side === 'buy') {
      resting[`S${i + 1}`] = { filled: '0' };
      if (!p.stopPct) return { state: { ...s, position, fees, resting }, orders: [order(p, 'sell', i + 1, lv)] };
      // The lot's sell and its protective stop, one OCA group: whichever fills, the venue cancels the other.
      const lots = (s.lots ?? 0) + 1;
      const group = `L${lots}`;
      resting[`${STOP}S${i + 1}`] = { filled: '0' };
      const stop: PlannedOrder = {
        side: 'sell',
        type: 'stop',
        qty: toStr(p.qty),
        stopPrice: toStr(gridStopPrice({ low: p.low, stopPct: p.stopPct })),
        tif: 'gtc',
        tag: `${STOP}S${i + 1}`,
        ocaGroup: group,
      };
      return { state: { ...s, position, fees, resting, lots }, orders: [order(p, 'sell', i + 1, lv, group), stop] };
    }
    // A sell at level i closes the buy at i-1: one grid's profit, and the buy rests again; that lot's stop goes.
    const guarded = resting[`${STOP}S${i}`] !== undefined;
    delete resting[`${STOP}S${i}`];
    resting[`B${i - 1}`] = { filled: '0' };
    const realized = toStr(new Decimal(s.realized).plus(lv[i]!.minus(lv[i - 1]!).mul(p.qty)));
    return { state: { ...s, position, fees, resting, cycles: s.cycles + 1, realized }, orders: [order(p, 'buy', i - 1, lv)], ...(guarded ? { cancels: [`${STOP}S${i}`] } : {}) };
  },
};

function stopParam(raw: Record<string, unknown>): { stopPct?: Decimal } {
  const pct = positiveDecimal(KIND, raw, 'stop', false);
  if (pct === undefined) return {};
  if (pct.gte(100)) throw bad(KIND, `stop is a percent below the lowest level, above 0 and below 100 (got ${pct.toFixed()}).`, 'stop');
  return { stopPct: pct };
}
