/**
 * The Paper matching engine's advanced orders: trailing stops, OCA groups (type 1) and brackets
 * (held children, released by entry fills, exits sharing the protected quantity). Rules in
 * src-main/engine/sim/matching-engine.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../../src-main/engine/domain/instrument';
import { Decimal } from '../../../src-main/engine/domain/money';
import { toLots, toTicks } from '../../../src-main/engine/domain/scaled';
import { PAPER_INSTRUMENTS } from '../../../src-main/engine/venues/paper/paper-instruments';
import { type BracketEvent, type FillEvent, MatchingEngine, type MatchEvent, type SimOrderInput, type ScaledBook, type TrailEvent, trailStopFor } from '../../../src-main/engine/sim/matching-engine';

// Tue 2026-01-06 15:00Z = 10:00 ET, a regular session.
const NOW = Date.UTC(2026, 0, 6, 15, 0);
const inst = (id: string): Instrument => PAPER_INSTRUMENTS.find((i) => i.id === id)!;
const AAPL = 'paper:AAPL';

let version = 0;
function book(bids: Array<[string, string]>, asks: Array<[string, string]>): ScaledBook {
  const i = inst(AAPL);
  const scale = { tick: new Decimal(i.tickSize), lot: new Decimal(i.lotSize) };
  const conv = (l: [string, string]) => [toTicks(new Decimal(l[0]), scale), toLots(new Decimal(l[1]), scale)] as const;
  return { bids: bids.map(conv), asks: asks.map(conv), version: ++version };
}
/** A one-level book around a bid: ask one cent above. */
const at = (bid: string, size = '1000') => book([[bid, size]], [[new Decimal(bid).plus('0.01').toFixed(2), size]]);

let n = 0;
const order = (o: Partial<SimOrderInput> & Pick<SimOrderInput, 'side' | 'type' | 'qty'>): SimOrderInput => ({ id: `a${++n}`, instrumentId: AAPL, tif: 'gtc', ...o });
const engine = () => new MatchingEngine({ instruments: PAPER_INSTRUMENTS });
const fills = (ev: MatchEvent[]) => ev.filter((e): e is FillEvent => e.type === 'fill');
const trails = (ev: MatchEvent[]) => ev.filter((e): e is TrailEvent => e.type === 'trail');
const types = (ev: MatchEvent[]) => ev.map((e) => `${e.type}:${e.orderId}`);
const cancelled = (ev: MatchEvent[]) => ev.flatMap((e) => (e.type === 'cancelled' ? [[e.orderId, e.reason] as const] : []));

describe('trailing stop', () => {
  it('a sell trail follows the highest bid, never moves back, then triggers and sells at market', () => {
    const e = engine();
    const ts = order({ side: 'sell', type: 'trailing_stop', qty: '10', trailAmount: '1.00' });
    let ev = e.submit(ts, at('100.00'), NOW);
    expect(types(ev)).toEqual([`accepted:${ts.id}`, `trail:${ts.id}`]);
    expect(trails(ev)[0]).toMatchObject({ extreme: '100', stopPrice: '99' });

    ev = e.onBook(AAPL, at('101.50'), NOW + 1);
    expect(trails(ev).map((t) => [t.extreme, t.stopPrice])).toEqual([['101.5', '100.5']]);
    // Lower bid: the stop stays (it only ratchets towards the market), nothing triggers above it.
    ev = e.onBook(AAPL, at('100.80'), NOW + 2);
    expect(ev).toEqual([]);
    expect(e.get(ts.id)).toMatchObject({ trailExtreme: '101.5', trailStop: '100.5', triggered: false });

    ev = e.onBook(AAPL, at('100.50'), NOW + 3);
    expect(types(ev)).toEqual([`triggered:${ts.id}`, `fill:${ts.id}`]);
    expect(fills(ev)[0]).toMatchObject({ qty: '10', price: '100.5', liquidity: 'taker', done: true });
    expect(e.get(ts.id)).toBeUndefined();
  });

  it('a buy trail follows the lowest ask and triggers when the ask rises to its stop', () => {
    const e = engine();
    const ts = order({ side: 'buy', type: 'trailing_stop', qty: '5', trailAmount: '0.50' });
    e.submit(ts, at('100.00'), NOW); // ask 100.01 → stop 100.51
    expect(e.get(ts.id)?.trailStop).toBe('100.51');
    e.onBook(AAPL, at('99.00'), NOW + 1); // ask 99.01 → stop 99.51
    expect(e.get(ts.id)?.trailStop).toBe('99.51');
    const ev = e.onBook(AAPL, at('99.50'), NOW + 2); // ask 99.51 touches
    expect(fills(ev).map((f) => [f.qty, f.price])).toEqual([['5', '99.51']]);
  });

  it('percent: the distance is extreme × percent, floored to a whole tick (the stop never farther than asked), at least one tick', () => {
    // 2.5 % of 101.99 = 2.54975 → 2.54: sell stop 99.45 (a stop at 99.44 would lose more than 2.5 %).
    expect(trailStopFor('sell', 10199, undefined, 250)).toBe(9945);
    // Buy: 2.5 % of 101.99 above → 104.53, not 104.54.
    expect(trailStopFor('buy', 10199, undefined, 250)).toBe(10453);
    // 0.01 % of 1.00 = 0.0001 → less than a tick: one tick.
    expect(trailStopFor('sell', 100, undefined, 1)).toBe(99);
    // Products beyond 2^53 stay exact (BigInt path).
    expect(trailStopFor('sell', 2 ** 50, undefined, 9999)).toBe(2 ** 50 - Number((BigInt(2 ** 50) * 9999n) / 10000n));

    const e = engine();
    const ts = order({ side: 'sell', type: 'trailing_stop', qty: '1', trailPercent: '2.5' });
    const ev = e.submit(ts, at('101.99'), NOW);
    expect(trails(ev)[0]).toMatchObject({ extreme: '101.99', stopPrice: '99.45' });
  });

  it('rejects a malformed trail; a trailing stop cannot be modified', () => {
    const e = engine();
    expect(e.submit(order({ side: 'sell', type: 'trailing_stop', qty: '1' }), at('100'), NOW)[0]).toMatchObject({ type: 'rejected', reason: expect.stringMatching(/exactly one/) });
    expect(e.submit(order({ side: 'sell', type: 'trailing_stop', qty: '1', trailAmount: '0.005' }), at('100'), NOW)[0]).toMatchObject({ type: 'rejected', reason: expect.stringMatching(/tick size/) });
    expect(e.submit(order({ side: 'sell', type: 'trailing_stop', qty: '1', trailPercent: '1.234' }), at('100'), NOW)[0]).toMatchObject({
      type: 'rejected',
      reason: expect.stringMatching(/2 decimals/),
    });
    const ts = order({ side: 'sell', type: 'trailing_stop', qty: '1', trailPercent: '1' });
    e.submit(ts, at('100'), NOW);
    expect(e.replace(ts.id, { qty: '2' }, at('100'), NOW)).toMatch(/cannot be modified/);
  });

  it('restore resumes from the persisted extreme: the stop is where it was, and keeps trailing', () => {
    const a = engine();
    const ts = order({ side: 'sell', type: 'trailing_stop', qty: '10', trailAmount: '1.00' });
    a.submit(ts, at('100.00'), NOW);
    a.onBook(AAPL, at('103.00'), NOW + 1);
    const saved = a.openOrders();
    expect(saved[0]).toMatchObject({ trailAmount: '1.00', trailExtreme: '103', trailStop: '102' });

    const b = engine();
    expect(b.restore(saved)).toEqual({ restored: 1, problems: [] });
    expect(b.get(ts.id)).toMatchObject({ trailExtreme: '103', trailStop: '102' });
    // A lower bid after the restart does not reset the extreme; it triggers at the old stop.
    const ev = b.onBook(AAPL, at('102.00'), NOW + 2);
    expect(fills(ev).map((f) => [f.qty, f.price])).toEqual([['10', '102']]);
  });
});

describe('OCA groups (type 1: the first fill cancels the others)', () => {
  it('a fill of one member cancels the others with "OCA: <member> filled"', () => {
    const e = engine();
    const tp = order({ side: 'sell', type: 'limit', qty: '10', limitPrice: '105.00', ocaGroup: 'exit' });
    const sl = order({ side: 'sell', type: 'stop', qty: '10', stopPrice: '95.00', ocaGroup: 'exit' });
    const other = order({ side: 'sell', type: 'limit', qty: '10', limitPrice: '106.00', ocaGroup: 'different' });
    e.submit(tp, at('100'), NOW);
    e.submit(sl, at('100'), NOW);
    e.submit(other, at('100'), NOW);
    const ev = e.onBook(AAPL, at('105.00', '1000'), NOW + 1);
    expect(cancelled(ev)).toEqual([[sl.id, `OCA: ${tp.id} filled`]]);
    expect(ev.find((x) => x.type === 'cancelled')).toMatchObject({ ocaOf: tp.id });
    expect(e.get(sl.id)).toBeUndefined();
    expect(e.get(other.id)).toBeDefined();
  });

  it('a PARTIAL fill cancels the others too; the member that filled works on for its remainder', () => {
    const e = engine();
    const a = order({ side: 'buy', type: 'limit', qty: '10', limitPrice: '99.00', ocaGroup: 'g' });
    const b = order({ side: 'buy', type: 'limit', qty: '10', limitPrice: '98.00', ocaGroup: 'g' });
    e.submit(a, at('100'), NOW);
    e.submit(b, at('100'), NOW);
    const ev = e.onBook(AAPL, book([['98.50', '100']], [['99.00', '4']]), NOW + 1);
    expect(fills(ev).map((f) => [f.orderId, f.qty])).toEqual([[a.id, '4']]);
    expect(cancelled(ev)).toEqual([[b.id, `OCA: ${a.id} filled`]]);
    expect(e.get(a.id)).toMatchObject({ filledQty: '4' });
  });

  it('two members crossing the same book: only the first in priority fills', () => {
    const e = engine();
    const a = order({ side: 'buy', type: 'limit', qty: '10', limitPrice: '99.50', ocaGroup: 'g' });
    const b = order({ side: 'buy', type: 'limit', qty: '10', limitPrice: '99.00', ocaGroup: 'g' });
    e.submit(a, at('100'), NOW);
    e.submit(b, at('100'), NOW);
    const ev = e.onBook(AAPL, book([['98.00', '100']], [['98.90', '100']]), NOW + 1);
    expect(fills(ev).map((f) => f.orderId)).toEqual([a.id]);
    expect(cancelled(ev)).toEqual([[b.id, `OCA: ${a.id} filled`]]);
  });

  it('survives a restart: restored members still cancel each other', () => {
    const a = engine();
    const x = order({ side: 'sell', type: 'limit', qty: '1', limitPrice: '110.00', ocaGroup: 'g' });
    const y = order({ side: 'sell', type: 'stop', qty: '1', stopPrice: '90.00', ocaGroup: 'g' });
    a.submit(x, at('100'), NOW);
    a.submit(y, at('100'), NOW);
    const b = engine();
    b.restore(a.openOrders());
    const ev = b.onBook(AAPL, at('89.00'), NOW + 1);
    expect(fills(ev).map((f) => f.orderId)).toEqual([y.id]);
    expect(cancelled(ev)).toEqual([[x.id, `OCA: ${y.id} filled`]]);
  });
});

describe('brackets', () => {
  const legs = (qty = '10', entry: Partial<SimOrderInput> = {}) => {
    const p = order({ side: 'buy', type: 'limit', qty, limitPrice: '99.00', ...entry });
    const tp = order({ side: 'sell', type: 'limit', qty, limitPrice: '105.00', parentId: p.id });
    const sl = order({ side: 'sell', type: 'stop', qty, stopPrice: '95.00', parentId: p.id });
    return { p, tp, sl };
  };
  const bracketEvents = (ev: MatchEvent[]) => ev.filter((e): e is BracketEvent => e.type === 'bracket').map((b) => [b.orderId, b.releasedQty, b.exitedQty]);

  it('children are held until the entry fills: a market through the exits does nothing to them', () => {
    const e = engine();
    const { p, tp, sl } = legs();
    const ev = e.submitBracket(p, [tp, sl], at('100'), NOW);
    expect(types(ev)).toEqual([`accepted:${p.id}`, `accepted:${tp.id}`, `accepted:${sl.id}`]);
    expect(e.openOrders().find((o) => o.id === tp.id)).toMatchObject({ parentId: p.id, releasedQty: '0', exitedQty: '0' });
    // Bid 106 would fill the take-profit, bid 94 trigger the stop-loss: held, neither works.
    expect(fills(e.onBook(AAPL, book([['106.00', '100']], [['106.01', '100']]), NOW + 1))).toEqual([]);
    expect(e.onBook(AAPL, book([['94.00', '100']], [['106.01', '100']]), NOW + 2)).toEqual([]);
  });

  it('entry fill activates the exits (from the next book); the take-profit fill cancels the stop-loss', () => {
    const e = engine();
    const { p, tp, sl } = legs();
    e.submitBracket(p, [tp, sl], at('100'), NOW);
    // The entry fills on this book; bid 106 would also fill the take-profit, but exits work from the NEXT book.
    let ev = e.onBook(AAPL, book([['106.00', '100']], [['99.00', '100']]), NOW + 1);
    expect(fills(ev).map((f) => [f.orderId, f.qty])).toEqual([[p.id, '10']]);
    expect(bracketEvents(ev)).toEqual([
      [tp.id, '10', '0'],
      [sl.id, '10', '0'],
    ]);
    ev = e.onBook(AAPL, book([['106.00', '100']], [['106.01', '100']]), NOW + 2);
    expect(fills(ev).map((f) => [f.orderId, f.qty, f.price])).toEqual([[tp.id, '10', '105']]);
    expect(cancelled(ev)).toEqual([[sl.id, `OCA: ${tp.id} filled`]]);
    expect(e.openOrders()).toEqual([]);
  });

  it('a marketable entry fills at submit; the stop-loss then protects and its fill cancels the take-profit', () => {
    const e = engine();
    const { p, tp, sl } = legs('10', { limitPrice: '100.01' });
    const ev = e.submitBracket(p, [tp, sl], at('100'), NOW);
    expect(fills(ev).map((f) => f.orderId)).toEqual([p.id]);
    const out = e.onBook(AAPL, at('94.50'), NOW + 1);
    expect(types(out).slice(0, 2)).toEqual([`triggered:${sl.id}`, `fill:${sl.id}`]);
    expect(cancelled(out)).toEqual([[tp.id, `OCA: ${sl.id} filled`]]);
  });

  it('a partial entry fill activates the exits for the filled quantity only; they grow as the entry fills', () => {
    const e = engine();
    const { p, tp, sl } = legs();
    e.submitBracket(p, [tp, sl], at('100'), NOW);
    e.onBook(AAPL, book([['98.00', '100']], [['99.00', '4']]), NOW + 1); // entry 4 of 10
    // Take-profit can sell only the 4 bought, though the book shows 100 at 105.
    let ev = e.onBook(AAPL, book([['105.00', '100']], [['105.01', '100']]), NOW + 2);
    expect(fills(ev).map((f) => [f.orderId, f.qty])).toEqual([[tp.id, '4']]);
    // The sibling stays (the entry still works), sharing what is left: nothing now.
    expect(cancelled(ev)).toEqual([]);
    expect(bracketEvents(ev)).toEqual([
      [tp.id, '4', '4'],
      [sl.id, '4', '4'],
    ]);
    ev = e.onBook(AAPL, book([['94.00', '100']], [['99.00', '100']]), NOW + 3); // entry fills the other 6
    expect(fills(ev).map((f) => [f.orderId, f.qty])).toEqual([[p.id, '6']]);
    // Stop-loss, now working for 6, triggers on the next book and its exit completes the bracket.
    ev = e.onBook(AAPL, book([['94.00', '100']], [['94.01', '100']]), NOW + 4);
    expect(fills(ev).map((f) => [f.orderId, f.qty])).toEqual([[sl.id, '6']]);
    expect(
      cancelled(ev)
        .map(([id]) => id)
        .sort(),
    ).toEqual([sl.id, tp.id].sort());
    expect(cancelled(ev).find(([id]) => id === tp.id)?.[1]).toBe(`OCA: ${sl.id} filled`);
    expect(cancelled(ev).find(([id]) => id === sl.id)?.[1]).toMatch(/bracket exit complete: all 10/);
    expect(e.openOrders()).toEqual([]);
  });

  it('cancelling the entry cancels its children', () => {
    const e = engine();
    const { p, tp, sl } = legs();
    e.submitBracket(p, [tp, sl], at('100'), NOW);
    const ev = e.cancel(p.id, NOW + 1);
    expect(cancelled(ev)).toEqual([
      [p.id, 'cancelled by request'],
      [tp.id, `bracket entry ${p.id} was cancelled`],
      [sl.id, `bracket entry ${p.id} was cancelled`],
    ]);
    expect(e.openOrders()).toEqual([]);
  });

  it('a rejected entry rejects every leg; malformed children reject the group', () => {
    const e = engine();
    const { p, tp, sl } = legs('10', { type: 'market', limitPrice: undefined, tif: 'day' });
    const ev = e.submitBracket(p, [tp, sl], book([], []), NOW);
    expect(ev.map((x) => x.type)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(e.openOrders()).toEqual([]);
    const bad = legs();
    expect(e.submitBracket(bad.p, [{ ...bad.tp, qty: '5' }], at('100'), NOW).map((x) => x.type)).toEqual(['rejected', 'rejected']);
  });

  it('restore: held children stay held; released children keep their quantities; an exit still cancels its sibling', () => {
    // Held.
    const a = engine();
    const h = legs();
    a.submitBracket(h.p, [h.tp, h.sl], at('100'), NOW);
    const b = engine();
    expect(b.restore(a.openOrders()).restored).toBe(3);
    expect(fills(b.onBook(AAPL, book([['106.00', '100']], [['106.01', '100']]), NOW + 1))).toEqual([]);

    // Partly released (entry 4 of 10, still working) and partly exited (take-profit 1).
    const c = engine();
    const r = legs();
    c.submitBracket(r.p, [r.tp, r.sl], at('100'), NOW);
    c.onBook(AAPL, book([['98.00', '100']], [['99.00', '4']]), NOW + 1);
    c.onBook(AAPL, book([['105.00', '1']], [['105.01', '100']]), NOW + 2);
    const saved = c.openOrders();
    expect(saved.find((o) => o.id === r.sl.id)).toMatchObject({ releasedQty: '4', exitedQty: '1' });
    const d = engine();
    expect(d.restore(saved).restored).toBe(3);
    // After the restart the take-profit may sell only the 3 still protected.
    const ev = d.onBook(AAPL, book([['105.00', '100']], [['105.01', '100']]), NOW + 3);
    expect(fills(ev).map((f) => [f.orderId, f.qty])).toEqual([[r.tp.id, '3']]);
    // The entry (restored too) still releases to its exits.
    const ev2 = d.onBook(AAPL, book([['90.00', '100']], [['99.00', '100']]), NOW + 4);
    expect(fills(ev2).map((f) => [f.orderId, f.qty])).toEqual([[r.p.id, '6']]);
    const ev3 = d.onBook(AAPL, book([['94.00', '100']], [['94.01', '100']]), NOW + 5);
    expect(fills(ev3).map((f) => [f.orderId, f.qty])).toEqual([[r.sl.id, '6']]);
    expect(d.openOrders()).toEqual([]);
  });

  it('restore: with the entry already filled, the exits protect its full quantity', () => {
    const a = engine();
    const r = legs();
    a.submitBracket(r.p, [r.tp, r.sl], at('100'), NOW);
    a.onBook(AAPL, book([['98.00', '100']], [['99.00', '100']]), NOW + 1);
    const saved = a.openOrders();
    expect(saved.map((o) => o.id)).toEqual([r.tp.id, r.sl.id]);
    const b = engine();
    b.restore(saved);
    const ev = b.onBook(AAPL, book([['94.00', '100']], [['94.01', '100']]), NOW + 2);
    expect(fills(ev).map((f) => [f.orderId, f.qty])).toEqual([[r.sl.id, '10']]);
    expect(cancelled(ev)).toEqual([[r.tp.id, `OCA: ${r.sl.id} filled`]]);
  });
});
