/**
 * TWAP: `qty` over `duration` of MARKET time in `slices` equal slices. Only time in which the
 * strategy may trade counts (the runner says so on every event and wakes it at each session
 * change), so a TWAP over a night, a weekend or a holiday pauses and resumes where it was. Each
 * slice is an immediate-or-cancel limit at the touch (the ask to buy, the bid to sell), never
 * further than `maxDeviation` % from the touch when the TWAP started; a slice that does not fill
 * is not made up. When the duration has run, the leftover (qty − filled) is reported.
 */
import { Decimal, toStr } from '../domain/money';
import type { PlannedOrder, Planner, PlanResult, StrategyEvent } from './planner';
import { choice, duration, integer, knownOnly, positiveDecimal } from './strategy-params';

export interface TwapParams {
  readonly side: 'buy' | 'sell';
  readonly qty: Decimal;
  readonly durationMs: number;
  readonly slices: number;
  /** Percent from the arrival price a slice may be priced at, at most. */
  readonly maxDeviation: Decimal;
}

export interface TwapState {
  /** Market time run so far (ms). */
  readonly elapsed: number;
  /** When the market time was last counted up to, or null while the market is closed. */
  readonly countedTo: number | null;
  readonly sent: number;
  /** The touch when the first slice was due: the reference for maxDeviation. */
  readonly arrival: string | null;
  readonly filled: string;
  readonly cost: string;
  readonly fees: string;
  readonly skipped: number;
}

const KIND = 'twap';

function advance(s: TwapState, e: StrategyEvent): TwapState {
  const open = !('open' in e) || e.open !== false;
  const elapsed = s.countedTo === null ? s.elapsed : s.elapsed + Math.max(0, e.now - s.countedTo);
  return { ...s, elapsed, countedTo: open ? e.now : null };
}

export const twapPlanner: Planner<TwapParams, TwapState> = {
  kind: KIND,
  wantsQuotes: false,
  parse(raw) {
    knownOnly(KIND, raw, ['side', 'qty', 'duration', 'slices', 'maxDeviation']);
    const maxDeviation = positiveDecimal(KIND, raw, 'maxDeviation', false) ?? new Decimal(1);
    return {
      side: choice(KIND, raw, 'side', ['buy', 'sell'] as const, 'buy'),
      qty: positiveDecimal(KIND, raw, 'qty', true),
      durationMs: duration(KIND, raw, 'duration', 60_000),
      slices: integer(KIND, raw, 'slices', 1, 1000),
      maxDeviation,
    };
  },
  init: () => ({ elapsed: 0, countedTo: null, sent: 0, arrival: null, filled: '0', cost: '0', fees: '0', skipped: 0 }),
  maxOrders: (p) => p.slices,
  next(p, s0, e): PlanResult<TwapState> {
    const sliceMs = p.durationMs / p.slices;
    if (e.type === 'fill') {
      const s = { ...s0, filled: toStr(new Decimal(s0.filled).plus(e.qty)), cost: toStr(new Decimal(s0.cost).plus(new Decimal(e.qty).mul(e.price))), fees: toStr(new Decimal(s0.fees).plus(e.fee)) };
      return { state: s, orders: [], ...wake(p, s, sliceMs) };
    }
    if (e.type === 'refused' || e.type === 'ended' || e.type === 'quote') return { state: s0, orders: [], ...wake(p, s0, sliceMs) };
    const s = advance(s0, e);
    const leftover = (st: TwapState) => `ran its ${p.durationMs / 60_000} market minutes; filled ${st.filled} of ${p.qty.toFixed()}, leftover ${toStr(p.qty.minus(st.filled))}`;
    if (s.sent >= p.slices && s.elapsed >= p.durationMs) return { state: s, orders: [], done: leftover(s) };
    // Closed, or not yet due: wait (a closed market wakes it at the next session change, not here).
    if (s.countedTo === null || s.sent >= p.slices || s.elapsed < s.sent * sliceMs) return { state: s, orders: [], ...wake(p, s, sliceMs) };
    const touch = p.side === 'buy' ? e.touch?.ask : e.touch?.bid;
    const arrival = s.arrival ?? touch ?? null;
    // A due slice that cannot be priced (no touch) or was missed is skipped: slices are never stacked.
    const due = Math.min(p.slices, Math.floor(s.elapsed / sliceMs) + 1);
    const skippedNow = due - s.sent - 1;
    const sliceNo = due;
    if (!touch || !arrival) {
      const st = { ...s, sent: due, skipped: s.skipped + skippedNow + 1, arrival };
      return { state: st, orders: [], ...wake(p, st, sliceMs) };
    }
    const dev = new Decimal(arrival).mul(p.maxDeviation).div(100);
    const cap = p.side === 'buy' ? new Decimal(arrival).plus(dev) : new Decimal(arrival).minus(dev);
    const price = p.side === 'buy' ? Decimal.min(touch, cap) : Decimal.max(touch, cap);
    const base = p.qty.div(p.slices).toSignificantDigits(12, Decimal.ROUND_DOWN);
    // The last slice carries what rounding left, so the slices add up to qty exactly.
    const qty = sliceNo === p.slices ? p.qty.minus(base.mul(p.slices - 1)) : base;
    const order: PlannedOrder = { side: p.side, type: 'limit', qty: toStr(qty), limitPrice: toStr(price), tif: 'ioc', tag: `slice ${sliceNo}` };
    const st = { ...s, sent: due, skipped: s.skipped + skippedNow, arrival };
    return { state: st, orders: [order], ...wake(p, st, sliceMs) };
  },
};

/** The next slice's due time, from now in market time (valid while the market stays open). */
function wake(p: TwapParams, s: TwapState, sliceMs: number): { wakeAt?: number } {
  if (s.countedTo === null) return {};
  const target = s.sent >= p.slices ? p.durationMs : s.sent * sliceMs;
  return { wakeAt: s.countedTo + Math.max(0, Math.ceil(target - s.elapsed)) };
}
