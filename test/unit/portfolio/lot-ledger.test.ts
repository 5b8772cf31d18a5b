import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyFill, emptyLedger, rebuild, snapshot, sumRealized, type LedgerFill, type ReliefMethod } from '../../../src-main/engine/portfolio/lot-ledger';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5, 15);
let n = 0;
const fill = (side: 'buy' | 'sell', qty: string, price: string, fee: string, day: number, venue = 'paper', extra: Partial<LedgerFill> = {}): LedgerFill => ({
  id: `f${String(++n).padStart(4, '0')}`,
  venue,
  symbol: 'AAPL',
  side,
  qty,
  price,
  fee,
  ts: T0 + day * DAY,
  ...extra,
});

// Three buys: 10 @ 100 fee 1 (basis 1001), 10 @ 120 fee 1 (1201), 10 @ 110 fee 1 (1101); then sell 15 @ 130 fee 1.5.
const threeBuysThenSell = (): LedgerFill[] => [fill('buy', '10', '100', '1', 0), fill('buy', '10', '120', '1', 1), fill('buy', '10', '110', '1', 2), fill('sell', '15', '130', '1.5', 3)];

const realized = (method: ReliefMethod, fills: LedgerFill[]): string => sumRealized(rebuild(fills, [['paper', method]]).closes).toString();

describe('lot ledger relief methods (hand-worked, with fees)', () => {
  it('FIFO closes the oldest lots first and splits the second', () => {
    // proceeds 15*130 - 1.5 = 1948.5; cost 1001 + 1201/2 = 1601.5; gain 347
    expect(realized('fifo', threeBuysThenSell())).toBe('347');
    const s = snapshot(rebuild(threeBuysThenSell()));
    expect(s.lots.map((l) => [l.qty, l.basis])).toEqual([
      ['5', '600.5'],
      ['10', '1101'],
    ]);
  });
  it('LIFO closes the newest first', () => {
    // cost 1101 + 1201/2 = 1701.5; gain 1948.5 - 1701.5 = 247
    expect(realized('lifo', threeBuysThenSell())).toBe('247');
  });
  it('highest-cost closes the dearest first', () => {
    // cost 1201 + 1101/2 = 1751.5; gain 197
    expect(realized('hifo', threeBuysThenSell())).toBe('197');
  });
  it('specific-lot closes the lots the trader named', () => {
    const fills = threeBuysThenSell();
    const sell = fills[3]!;
    fills[3] = { ...sell, lotIds: [fills[2]!.id, fills[0]!.id] };
    // cost 1101 + 1001/2 = 1601.5; gain 347
    expect(realized('specific', fills)).toBe('347');
    expect(snapshot(rebuild(fills, [['paper', 'specific']])).lots.map((l) => [l.id, l.qty])).toEqual([
      [fills[0]!.id, '5'],
      [fills[1]!.id, '10'],
    ]);
  });
});

describe('specific-lot choices', () => {
  it('a lot named twice is relieved once (no zero-quantity close)', () => {
    const fills = threeBuysThenSell();
    fills[3] = { ...fills[3]!, lotIds: [fills[1]!.id, fills[1]!.id] };
    const s = snapshot(rebuild(fills, [['paper', 'specific']]));
    // 10 from the named lot (basis 1201), then 5 from the oldest (1001/2): cost 1701.5; gain 247
    expect(s.closes.map((c) => [c.lotId, c.qty])).toEqual([
      [fills[1]!.id, '10'],
      [fills[0]!.id, '5'],
    ]);
    expect(realized('specific', fills)).toBe('247');
  });
});

describe('lot ledger positions', () => {
  it('a short opens on a sell and is closed by a buy, fees on both sides', () => {
    // short 10 @ 50 fee 1: basis (proceeds) 499; cover 10 @ 40 fee 1: cost 401; gain 98
    const s = rebuild([fill('sell', '10', '50', '1', 0), fill('buy', '10', '40', '1', 1)]);
    expect(snapshot(s).closes).toMatchObject([{ direction: 'short', qty: '10', proceeds: '499', cost: '401', realized: '98' }]);
    expect(s.lots.size).toBe(0);
  });
  it('a sell larger than the long flips to a short with the remainder', () => {
    const s = snapshot(rebuild([fill('buy', '5', '10', '0', 0), fill('sell', '8', '12', '0.8', 1)]));
    expect(s.closes).toMatchObject([{ qty: '5', cost: '50', proceeds: '59.5', realized: '9.5' }]);
    expect(s.lots).toMatchObject([{ direction: 'short', qty: '3', basis: '35.7' }]);
  });
  it('partial fills across days open separate lots, closed in order', () => {
    const s = snapshot(rebuild([fill('buy', '3', '10', '0', 0), fill('buy', '7', '11', '0', 1), fill('sell', '4', '12', '0', 2), fill('sell', '6', '12', '0', 3)]));
    expect(s.closes.map((c) => [c.qty, c.realized])).toEqual([
      ['3', '6'],
      ['1', '1'],
      ['6', '6'],
    ]);
    expect(s.lots).toEqual([]);
  });
  it('keeps each venue a separate account for the same asset', () => {
    const s = rebuild([fill('buy', '1', '100', '0', 0, 'alpaca'), fill('buy', '1', '200', '0', 1, 'ibkr'), fill('sell', '1', '150', '0', 2, 'alpaca')]);
    expect(snapshot(s).closes).toMatchObject([{ account: 'alpaca', realized: '50' }]);
    expect(snapshot(s).lots).toMatchObject([{ account: 'ibkr', qty: '1', basis: '200' }]);
  });
  it('an opening lot entered by the trader explains a sale', () => {
    const s = rebuild([fill('sell', '2', '30', '0', 10)], [], [{ id: 'open1', account: 'paper', asset: 'AAPL', direction: 'long', qty: '2', cost: '40', openedAt: T0 - 400 * DAY }]);
    expect(snapshot(s).closes).toMatchObject([{ lotId: 'open1', realized: '20' }]);
  });
});

describe('rebuild equals incremental', () => {
  const arbFill = fc.record({
    venue: fc.constantFrom('a', 'b'),
    symbol: fc.constantFrom('X', 'Y'),
    side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
    qty: fc.integer({ min: 1, max: 5000 }).map((q) => (q / 100).toString()),
    price: fc.integer({ min: 1, max: 100000 }).map((p) => (p / 100).toString()),
    fee: fc.integer({ min: 0, max: 500 }).map((p) => (p / 100).toString()),
  });
  it('over 1,000 random fill sequences and every relief method', () => {
    fc.assert(
      fc.property(fc.array(arbFill, { maxLength: 40 }), fc.constantFrom<ReliefMethod>('fifo', 'lifo', 'hifo'), (raw, method) => {
        const fills: LedgerFill[] = raw.map((r, i) => ({ ...r, id: `f${String(i).padStart(3, '0')}`, ts: T0 + i * 1000 }));
        const inc = emptyLedger([
          ['a', method],
          ['b', method],
        ]);
        for (const f of fills) applyFill(inc, f);
        const full = rebuild([...fills].reverse(), [
          ['a', method],
          ['b', method],
        ]);
        expect(snapshot(full)).toEqual(snapshot(inc));
      }),
      { numRuns: 1000 },
    );
  });
});
