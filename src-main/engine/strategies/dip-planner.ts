/**
 * Buy-the-dip: watch the price (mid, else last); when it is `drop` % below its highest over the
 * last `window`, buy `qty` with an immediate-or-cancel limit at the ask. Once that entry has ended
 * with a fill, it rests a take-profit sell at entry × (1 + takeProfit %) and a protective stop at
 * entry × (1 − stop %) at the venue; whichever exits first cancels the other. A venue that refuses
 * the stop order gets a watched stop instead: the planner sells at market when the price reaches
 * it. After an exit it watches again (`repeat=true`) or is done.
 */
import { Decimal, toStr } from '../domain/money';
import type { PlannedOrder, Planner, PlanResult, Touch } from './planner';
import { duration, flag, knownOnly, positiveDecimal, bad } from './strategy-params';

export interface DipParams {
  readonly qty: Decimal;
  readonly dropPct: Decimal;
  readonly windowMs: number;
  readonly takeProfitPct: Decimal;
  readonly stopPct: Decimal;
  readonly repeat: boolean;
}

type Phase = 'watching' | 'entering' | 'holding' | 'exiting';

export interface DipState {
  readonly phase: Phase;
  /** Price samples that can still be the window's high: time ascending, price strictly descending. */
  readonly highs: ReadonlyArray<readonly [number, string]>;
  readonly entries: number;
  /** The held quantity and its average entry price. */
  readonly position: string;
  readonly entryPrice: string | null;
  /** The stop is watched here because the venue refused a stop order. */
  readonly watchedStop: string | null;
  readonly realized: string;
  readonly fees: string;
}

const KIND = 'dip';

const price = (t: Touch): Decimal | undefined => (t.bid && t.ask ? new Decimal(t.bid).plus(t.ask).div(2) : t.last ? new Decimal(t.last) : undefined);

function percent(raw: Record<string, unknown>, name: string, max: number): Decimal {
  const d = positiveDecimal(KIND, raw, name, true);
  if (d.gte(max)) throw bad(KIND, `${name} is a percent below ${max} (got ${d.toFixed()}).`, name);
  return d;
}

export const dipPlanner: Planner<DipParams, DipState> = {
  kind: KIND,
  wantsQuotes: true,
  parse(raw) {
    knownOnly(KIND, raw, ['qty', 'drop', 'window', 'takeProfit', 'stop', 'repeat']);
    return {
      qty: positiveDecimal(KIND, raw, 'qty', true),
      dropPct: percent(raw, 'drop', 100),
      windowMs: duration(KIND, raw, 'window', 1000),
      takeProfitPct: percent(raw, 'takeProfit', 1000),
      stopPct: percent(raw, 'stop', 100),
      repeat: flag(KIND, raw, 'repeat', false),
    };
  },
  init: () => ({ phase: 'watching', highs: [], entries: 0, position: '0', entryPrice: null, watchedStop: null, realized: '0', fees: '0' }),
  /** One entry, a take-profit, a stop and perhaps a market exit per round; bounded per fill when repeating. */
  maxOrders: (p) => (p.repeat ? undefined : 4),
  next(p, s, e): PlanResult<DipState> {
    if (e.type === 'fill') {
      const fees = toStr(new Decimal(s.fees).plus(e.fee));
      if (e.side === 'buy') {
        const pos = new Decimal(s.position);
        const after = pos.plus(e.qty);
        const avg = pos
          .mul(s.entryPrice ?? 0)
          .plus(new Decimal(e.qty).mul(e.price))
          .div(after);
        return { state: { ...s, fees, position: toStr(after), entryPrice: toStr(avg) }, orders: [] };
      }
      const pnl = new Decimal(e.price).minus(s.entryPrice ?? e.price).mul(e.qty);
      return { state: { ...s, fees, position: toStr(Decimal.max(0, new Decimal(s.position).minus(e.qty))), realized: toStr(new Decimal(s.realized).plus(pnl)) }, orders: [] };
    }
    if (e.type === 'ended') return ended(p, s, e.tag);
    if (e.type === 'refused') {
      if (e.tag.startsWith('entry'))
        return p.repeat ? { state: { ...s, phase: 'watching' }, orders: [] } : { state: { ...s, phase: 'watching' }, orders: [], done: `its entry was refused: ${e.reason}` };
      // No stop order at this venue: watch the stop price instead.
      if (e.tag.startsWith('stop')) return { state: { ...s, watchedStop: stopPrice(p, s) }, orders: [] };
      return { state: s, orders: [] };
    }
    if (!e.touch) return { state: s, orders: [] };
    const px = price(e.touch);
    if (!px) return { state: s, orders: [] };
    // Rolling high: drop samples older than the window (a time check), then those this price
    // outranks. The samples descend in price, so those are a tail: popped from the back, a quote
    // parses one or two samples instead of all of them. Same samples as filtering each, exactly.
    const highs = s.highs.filter(([t]) => t > e.now - p.windowMs);
    while (highs.length > 0 && !new Decimal(highs[highs.length - 1]![1]).gt(px)) highs.pop();
    highs.push([e.now, toStr(px)]);
    const high = highs.length === 1 ? px : new Decimal(highs[0]![1]);
    const st = { ...s, highs };
    if (s.phase === 'holding' && s.watchedStop && px.lte(s.watchedStop)) {
      const n = s.entries;
      return { state: { ...st, phase: 'exiting', watchedStop: null }, orders: [{ side: 'sell', type: 'market', qty: s.position, tif: 'day', tag: `exit ${n}` }], cancels: [`tp ${n}`] };
    }
    if (s.phase !== 'watching' || ('open' in e && e.open === false) || !e.touch.ask) return { state: st, orders: [] };
    if (px.gt(high.mul(keepOf(p)))) return { state: st, orders: [] };
    const n = s.entries + 1;
    return { state: { ...st, phase: 'entering', entries: n }, orders: [{ side: 'buy', type: 'limit', qty: toStr(p.qty), limitPrice: e.touch.ask, tif: 'ioc', tag: `entry ${n}` }] };
  },
};

/** (100 − drop) / 100 per parsed params: the trigger is price ≤ high × it (exact: drop has finitely many digits). */
const keeps = new WeakMap<DipParams, Decimal>();
function keepOf(p: DipParams): Decimal {
  let k = keeps.get(p);
  if (!k) keeps.set(p, (k = new Decimal(100).minus(p.dropPct).div(100)));
  return k;
}

function stopPrice(p: DipParams, s: DipState): string {
  return toStr(new Decimal(s.entryPrice ?? 0).mul(new Decimal(100).minus(p.stopPct)).div(100));
}

function ended(p: DipParams, s: DipState, tag: string): PlanResult<DipState> {
  const n = s.entries;
  const held = new Decimal(s.position);
  if (tag === `entry ${n}`) {
    if (held.isZero()) return { state: { ...s, phase: 'watching' }, orders: [] };
    const entry = new Decimal(s.entryPrice!);
    const orders: PlannedOrder[] = [
      { side: 'sell', type: 'limit', qty: s.position, limitPrice: toStr(entry.mul(new Decimal(100).plus(p.takeProfitPct)).div(100)), tif: 'gtc', tag: `tp ${n}` },
      { side: 'sell', type: 'stop', qty: s.position, stopPrice: stopPrice(p, s), tif: 'gtc', tag: `stop ${n}` },
    ];
    return { state: { ...s, phase: 'holding' }, orders };
  }
  // An exit ended: when the position is gone the other exit goes and the round is over.
  const exits = [`tp ${n}`, `stop ${n}`, `exit ${n}`];
  if (!exits.includes(tag) || held.gt(0)) return { state: s, orders: [] };
  const after: DipState = { ...s, phase: 'watching', entryPrice: null, watchedStop: null, highs: [] };
  const cancels = exits.filter((t) => t !== tag);
  return p.repeat ? { state: after, orders: [], cancels } : { state: after, orders: [], cancels, done: `exited after ${n} ${n === 1 ? 'entry' : 'entries'}; realized ${s.realized}` };
}
