/**
 * Execution quality from the journal: per venue (or per origin — the trader, the CLI, a strategy)
 * the fill rate, the reject rate, slippage against the arrival mid in basis points, and the
 * submit→ack and submit→first-fill latency percentiles. Pure: orders with their transitions and
 * fills in, figures out (tested on a scripted history).
 *
 * - Arrival mid: the venue's bid/ask mid when the order was journaled (recorded by the OMS on the
 *   order's first transition, `arrivalRaw`). Orders placed without a two-sided quote have none and
 *   are left out of slippage (counted in `slippageOrders` only when they have one).
 * - Slippage sign: positive = paid more than the mid to buy / received less to sell (a cost);
 *   negative = price improvement. Fill-quantity-weighted over every fill of every order.
 * - Fill rate: filled quantity ÷ ordered quantity, over orders that reached the venue (not
 *   rejected). Notional orders count by amount filled ÷ amount asked.
 * - Latency: from the order's journaling (submit) to its first venue acknowledgement (any state
 *   after `submitted`), and to its first fill. Nearest-rank percentiles, whole milliseconds.
 */
import { Decimal } from '../domain/money';
import type { Actor, OrderStatus, Quote, Side } from '../domain/order';
import type { Percentiles, QualityRow } from '../api/quality-view';
import type { TwinOutcome } from '../store/twins-repo';

export interface Arrival {
  readonly bid: string;
  readonly ask: string;
  readonly ts: number;
}

/** What the OMS stores on an order's first transition: the quote it was placed against. */
export function arrivalRaw(q: Quote | undefined): { arrival: Arrival } | undefined {
  if (!q?.bid || !q.ask) return undefined;
  return { arrival: { bid: q.bid, ask: q.ask, ts: q.ts } };
}

/** The arrival mid from a stored first transition's raw payload; undefined when absent or malformed. */
export function arrivalMid(raw: unknown): Decimal | undefined {
  const a = (raw as { arrival?: { bid?: unknown; ask?: unknown } } | null | undefined)?.arrival;
  if (!a || typeof a.bid !== 'string' || typeof a.ask !== 'string') return undefined;
  try {
    const mid = new Decimal(a.bid).plus(a.ask).div(2);
    return mid.gt(0) ? mid : undefined;
  } catch {
    return undefined;
  }
}

export interface QualityOrder {
  readonly id: string;
  readonly venue: string;
  readonly source: Actor | 'external';
  readonly side: Side;
  readonly qty: string;
  readonly notional?: string;
  readonly createdAt: number;
  readonly transitions: ReadonlyArray<{ readonly to: OrderStatus; readonly ts: number; readonly raw?: unknown }>;
  readonly fills: ReadonlyArray<{ readonly qty: string; readonly price: string; readonly ts: number }>;
  readonly clientOrderId?: string;
  readonly symbol?: string;
  /** The order's status now (else its last transition's). */
  readonly status?: OrderStatus;
  /** CANARY: the order's SHADOW twin, when it has one (portfolio/twin-quality.ts). */
  readonly twin?: TwinOutcome;
}

const ACKED: ReadonlySet<OrderStatus> = new Set(['accepted', 'partially_filled', 'filled', 'cancelled', 'expired', 'pending_cancel', 'pending_replace']);

/** Nearest-rank percentile of sorted values. */
function rank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function percentiles(values: readonly number[]): Percentiles {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, p50: rank(s, 50), p90: rank(s, 90), p99: rank(s, 99) };
}

const pct = (num: Decimal, den: Decimal): string | null => (den.isZero() ? null : num.div(den).mul(100).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2));

interface Acc {
  orders: number;
  filled: number;
  partial: number;
  rejected: number;
  asked: Decimal;
  got: Decimal;
  slipWeighted: Decimal;
  slipQty: Decimal;
  slipOrders: number;
  ack: number[];
  fill: number[];
}

function add(a: Acc, o: QualityOrder): void {
  a.orders++;
  const rejected = o.transitions.some((t) => t.to === 'rejected') && o.fills.length === 0;
  if (rejected) {
    a.rejected++;
  } else {
    const filledQty = o.fills.reduce((s, f) => s.plus(f.qty), new Decimal(0));
    const filledAmount = o.fills.reduce((s, f) => s.plus(new Decimal(f.qty).mul(f.price)), new Decimal(0));
    const notional = o.notional !== undefined && new Decimal(o.qty).isZero();
    const asked = notional ? new Decimal(o.notional!) : new Decimal(o.qty);
    const got = notional ? Decimal.min(filledAmount, asked) : Decimal.min(filledQty, asked);
    a.asked = a.asked.plus(asked);
    a.got = a.got.plus(got);
    if (asked.gt(0) && got.gte(asked)) a.filled++;
    else if (got.gt(0)) a.partial++;
  }
  const ack = o.transitions.find((t) => ACKED.has(t.to));
  if (ack) a.ack.push(Math.max(0, ack.ts - o.createdAt));
  if (o.fills.length > 0) a.fill.push(Math.max(0, Math.min(...o.fills.map((f) => f.ts)) - o.createdAt));
  const mid = arrivalMid(o.transitions[0]?.raw);
  if (mid && o.fills.length > 0) {
    a.slipOrders++;
    const sign = o.side === 'buy' ? 1 : -1;
    for (const f of o.fills) {
      const q = new Decimal(f.qty);
      a.slipWeighted = a.slipWeighted.plus(new Decimal(f.price).minus(mid).div(mid).mul(10_000).mul(sign).mul(q));
      a.slipQty = a.slipQty.plus(q);
    }
  }
}

/** The report, one row per venue (or origin), sorted by key, plus a total row keyed `all`. */
export function executionQuality(orders: readonly QualityOrder[], by: 'venue' | 'origin' = 'venue'): { rows: QualityRow[]; total: QualityRow } {
  const fresh = (): Acc => ({
    orders: 0,
    filled: 0,
    partial: 0,
    rejected: 0,
    asked: new Decimal(0),
    got: new Decimal(0),
    slipWeighted: new Decimal(0),
    slipQty: new Decimal(0),
    slipOrders: 0,
    ack: [],
    fill: [],
  });
  const groups = new Map<string, Acc>();
  const total = fresh();
  for (const o of orders) {
    const key = by === 'venue' ? o.venue : o.source;
    let a = groups.get(key);
    if (!a) groups.set(key, (a = fresh()));
    add(a, o);
    add(total, o);
  }
  const row = (key: string, a: Acc): QualityRow => ({
    key,
    orders: a.orders,
    filled: a.filled,
    partial: a.partial,
    rejected: a.rejected,
    fillRatePct: pct(a.got, a.asked),
    rejectRatePct: pct(new Decimal(a.rejected), new Decimal(a.orders)),
    slippageBps: a.slipQty.isZero() ? null : a.slipWeighted.div(a.slipQty).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toFixed(2),
    slippageOrders: a.slipOrders,
    ackMs: percentiles(a.ack),
    fillMs: percentiles(a.fill),
  });
  return {
    rows: [...groups.entries()].sort(([x], [y]) => x.localeCompare(y)).map(([k, a]) => row(k, a)),
    total: row('all', total),
  };
}
