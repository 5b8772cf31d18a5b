import { describe, expect, it } from 'vitest';
import { arrivalMid, arrivalRaw, executionQuality, percentiles, type QualityOrder } from '../../../src-main/engine/portfolio/execution-quality';

const T0 = Date.UTC(2026, 11, 4, 14, 30);
const arrival = (bid: string, ask: string) => arrivalRaw({ instrumentId: 'x', bid, ask, ts: T0 });

/** A scripted day: what was sent, what the venue said when, and what filled at what price. */
function order(id: string, venue: string, p: Partial<QualityOrder> & { ackAfter?: number; mid?: [string, string] }): QualityOrder {
  const created = T0 + Number(id.replace(/\D/g, '')) * 1000;
  return {
    id,
    venue,
    source: p.source ?? 'user',
    side: p.side ?? 'buy',
    qty: p.qty ?? '10',
    ...(p.notional ? { notional: p.notional } : {}),
    createdAt: created,
    transitions: [
      { to: 'pending_submit', ts: created, ...(p.mid ? { raw: arrival(...p.mid) } : {}) },
      ...(p.ackAfter !== undefined ? [{ to: 'accepted' as const, ts: created + p.ackAfter }] : []),
      ...(p.transitions ?? []),
    ],
    fills: (p.fills ?? []).map((f) => ({ ...f, ts: created + f.ts })),
  };
}

const history: QualityOrder[] = [
  // ib: a buy filled in two parts at 100.02 and 100.04 against a 99.99/100.01 (mid 100) arrival.
  order('o1', 'ib', {
    mid: ['99.99', '100.01'],
    ackAfter: 40,
    fills: [
      { qty: '6', price: '100.02', ts: 120 },
      { qty: '4', price: '100.04', ts: 300 },
    ],
  }),
  // ib: a sell filled better than the mid (price improvement: negative slippage).
  order('o2', 'ib', { side: 'sell', qty: '5', mid: ['49.98', '50.02'], ackAfter: 60, fills: [{ qty: '5', price: '50.01', ts: 90 }] }),
  // ib: rejected by the venue.
  order('o3', 'ib', { transitions: [{ to: 'rejected', ts: T0 + 3050 }] }),
  // ib: half filled, then cancelled; no quote at submit (no slippage from it).
  order('o4', 'ib', { ackAfter: 20, fills: [{ qty: '5', price: '101', ts: 500 }], transitions: [{ to: 'cancelled', ts: T0 + 4900 }] }),
  // paper: a notional order for $1000 filled in full; from a strategy.
  order('o5', 'paper', { source: 'strategy', qty: '0', notional: '1000', mid: ['249.9', '250.1'], ackAfter: 1, fills: [{ qty: '4', price: '250', ts: 2 }] }),
];

describe('execution quality on a scripted fill history', () => {
  const r = executionQuality(history);
  const ib = r.rows.find((x) => x.key === 'ib')!;
  const paper = r.rows.find((x) => x.key === 'paper')!;

  it('counts orders, fills, partials and rejects per venue', () => {
    expect(r.rows.map((x) => x.key)).toEqual(['ib', 'paper']);
    expect(ib).toMatchObject({ orders: 4, filled: 2, partial: 1, rejected: 1 });
    expect(paper).toMatchObject({ orders: 1, filled: 1, partial: 0, rejected: 0 });
  });

  it('fill rate is quantity filled over quantity asked of orders that reached the venue; reject rate over all', () => {
    // ib: (10 + 5 + 5) / (10 + 5 + 10) = 80 %; o3 was rejected and is out of the fill rate.
    expect(ib.fillRatePct).toBe('80.00');
    expect(ib.rejectRatePct).toBe('25.00');
    // paper: $1000 of $1000.
    expect(paper.fillRatePct).toBe('100.00');
  });

  it('slippage against the arrival mid, in bp, weighted by fill quantity, signed as a cost', () => {
    // o1: (6 × 2 bp + 4 × 4 bp) / 10 = 2.8 bp; o2 sold 50.01 vs mid 50: −2 bp; weighted over 15 units:
    // (6×2 + 4×4 + 5×(−2)) / 15 = 18 / 15 = 1.2 bp.
    expect(ib.slippageBps).toBe('1.20');
    expect(ib.slippageOrders).toBe(2);
    expect(paper.slippageBps).toBe('0.00');
  });

  it('submit→ack and submit→first-fill latency percentiles', () => {
    expect(ib.ackMs).toEqual({ n: 3, p50: 40, p90: 60, p99: 60 });
    expect(ib.fillMs).toEqual({ n: 3, p50: 120, p90: 500, p99: 500 });
    expect(paper.fillMs).toEqual({ n: 1, p50: 2, p90: 2, p99: 2 });
  });

  it('a total row over every venue, and the same figures grouped by origin', () => {
    expect(r.total).toMatchObject({ key: 'all', orders: 5, filled: 3, rejected: 1, rejectRatePct: '20.00' });
    const byOrigin = executionQuality(history, 'origin');
    expect(byOrigin.rows.map((x) => [x.key, x.orders])).toEqual([
      ['strategy', 1],
      ['user', 4],
    ]);
  });

  it('nothing to say gives nulls, not zeros', () => {
    const empty = executionQuality([]);
    expect(empty.rows).toEqual([]);
    expect(empty.total).toMatchObject({ orders: 0, fillRatePct: null, rejectRatePct: null, slippageBps: null, ackMs: { n: 0, p50: null } });
  });
});

describe('arrival and percentiles', () => {
  it('stores a two-sided quote only, and reads back a positive mid', () => {
    expect(arrivalRaw({ instrumentId: 'x', bid: '1', ts: 5 })).toBeUndefined();
    expect(arrivalMid(arrivalRaw({ instrumentId: 'x', bid: '1.1', ask: '1.3', ts: 5 }))!.toFixed()).toBe('1.2');
    expect(arrivalMid({ arrival: { bid: 'x', ask: '1' } })).toBeUndefined();
    expect(arrivalMid({ arrival: { bid: '0', ask: '0' } })).toBeUndefined();
    expect(arrivalMid(null)).toBeUndefined();
  });
  it('nearest-rank percentiles', () => {
    const v = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentiles(v)).toEqual({ n: 100, p50: 50, p90: 90, p99: 99 });
    expect(percentiles([7])).toEqual({ n: 1, p50: 7, p90: 7, p99: 7 });
  });
});
