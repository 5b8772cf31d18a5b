/** MatchingEngine.replace: exchange queue rules, filled quantity kept, refusals, and immediate fills. */
import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../../src-main/engine/domain/instrument';
import { Decimal } from '../../../src-main/engine/domain/money';
import { toLots, toTicks } from '../../../src-main/engine/domain/scaled';
import { PAPER_INSTRUMENTS } from '../../../src-main/engine/venues/paper/paper-instruments';
import { type FillEvent, MatchingEngine, type MatchEvent, type ReplacedEvent, type ScaledBook } from '../../../src-main/engine/sim/matching-engine';

const NOW = Date.UTC(2026, 0, 6, 15, 0);
const AAPL = 'paper:AAPL';
const inst = (id: string): Instrument => PAPER_INSTRUMENTS.find((i) => i.id === id)!;
let version = 0;
function book(bids: Array<[string, string]>, asks: Array<[string, string]>): ScaledBook {
  const i = inst(AAPL);
  const scale = { tick: new Decimal(i.tickSize), lot: new Decimal(i.lotSize) };
  const conv = (l: [string, string]) => [toTicks(new Decimal(l[0]), scale), toLots(new Decimal(l[1]), scale)] as const;
  return { bids: bids.map(conv), asks: asks.map(conv), version: ++version };
}
const quiet = () => book([['100.00', '100']], [['100.05', '100']]);
const fills = (ev: MatchEvent[]) => ev.filter((e): e is FillEvent => e.type === 'fill');
const engine = () => new MatchingEngine({ instruments: PAPER_INSTRUMENTS });
const buy = (id: string, qty: string, limitPrice: string) => ({ id, instrumentId: AAPL, side: 'buy' as const, type: 'limit' as const, tif: 'gtc' as const, qty, limitPrice });

describe('MatchingEngine.replace', () => {
  it('a price change loses time priority; a smaller quantity keeps it', () => {
    const me = engine();
    me.submit(buy('a', '10', '100.01'), quiet(), NOW);
    me.submit(buy('b', '10', '100.01'), quiet(), NOW + 1);
    me.submit(buy('c', '10', '100.01'), quiet(), NOW + 2);
    // a: same price, fewer shares → keeps first place. b: re-priced and back → loses to c.
    const ra = me.replace('a', { qty: '6' }, quiet(), NOW + 3) as MatchEvent[];
    expect((ra[0] as ReplacedEvent).priorityLost).toBe(false);
    me.replace('b', { limitPrice: '100.02' }, quiet(), NOW + 4);
    me.replace('b', { limitPrice: '100.01' }, quiet(), NOW + 5);
    expect(me.openOrders(AAPL).map((o) => o.id)).toEqual(['a', 'c', 'b']);
    // 14 shares offered at 100.01: a (6) then c (8 of 10); b gets nothing.
    const ev = me.onBook(AAPL, book([['100.00', '100']], [['100.01', '14']]), NOW + 6);
    expect(fills(ev).map((f) => [f.orderId, f.qty])).toEqual([
      ['a', '6'],
      ['c', '8'],
    ]);
  });

  it('keeps the filled quantity; refuses a quantity at or below it and leaves the order as it was', () => {
    const me = engine();
    me.submit(buy('a', '10', '100.01'), quiet(), NOW);
    me.onBook(AAPL, book([['100.00', '100']], [['100.01', '4']]), NOW + 1);
    expect(me.get('a')).toMatchObject({ filledQty: '4', qty: '10' });
    expect(me.replace('a', { qty: '4' }, quiet(), NOW + 2)).toMatch(/not above the 4 already filled/);
    expect(me.replace('a', { qty: '3' }, quiet(), NOW + 2)).toMatch(/not above the 4 already filled/);
    expect(me.replace('a', { limitPrice: '100.015' }, quiet(), NOW + 2)).toMatch(/tick/);
    expect(me.replace('zzz', { qty: '3' }, quiet(), NOW + 2)).toMatch(/not working/);
    expect(me.get('a')).toMatchObject({ filledQty: '4', qty: '10', limitPrice: '100.01' });
    const ok = me.replace('a', { qty: '5' }, quiet(), NOW + 3) as MatchEvent[];
    expect(ok.map((e) => e.type)).toEqual(['replaced']);
    expect(me.get('a')).toMatchObject({ filledQty: '4', qty: '5' });
    const ev = me.onBook(AAPL, book([['100.00', '100']], [['100.01', '50']]), NOW + 4);
    expect(fills(ev).map((f) => [f.qty, f.filledQty, f.done])).toEqual([['1', '5', true]]);
    expect(me.get('a')).toBeUndefined();
  });

  it('a new price that crosses the book takes liquidity at once, as a new order would', () => {
    const me = engine();
    me.submit(buy('a', '10', '99.90'), quiet(), NOW);
    const ev = me.replace('a', { limitPrice: '100.05' }, quiet(), NOW + 1) as MatchEvent[];
    expect(ev.map((e) => e.type)).toEqual(['replaced', 'fill']);
    expect(fills(ev).map((f) => [f.qty, f.price, f.liquidity, f.done])).toEqual([['10', '100.05', 'taker', true]]);
  });
});
