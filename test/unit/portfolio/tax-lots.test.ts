import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../src-main/engine/domain/money';
import { emptyLedger, purchaseOf, rebuild, snapshot, type LedgerFill } from '../../../src-main/engine/portfolio/lot-ledger';
import { form8949Csv, form8949Rows, isLongTerm, washSales, withWashBasis, type Purchase } from '../../../src-main/engine/portfolio/tax-lots';

const at = (iso: string): number => Date.parse(iso);
const f = (id: string, side: 'buy' | 'sell', qty: string, price: string, fee: string, iso: string, symbol = 'AAPL'): LedgerFill => ({ id, venue: 'paper', symbol, side, qty, price, fee, ts: at(iso) });
const purchases = (fills: LedgerFill[]): Purchase[] => fills.filter((x) => x.side === 'buy').map((x) => ({ lotId: x.id, asset: x.symbol, qty: new Decimal(x.qty), ts: x.ts }));

describe('holding period', () => {
  it('is long term only after a year and a day', () => {
    expect(isLongTerm(at('2025-03-10T15:00:00Z'), at('2026-03-10T15:00:00Z'))).toBe(false);
    expect(isLongTerm(at('2025-03-10T15:00:00Z'), at('2026-03-11T15:00:00Z'))).toBe(true);
  });
});

describe('wash sales', () => {
  // Buy 10 @ 50 (fee 0); sell 10 @ 40 → loss 100; buy back 6 @ 42 twelve days later.
  const fills = [f('b1', 'buy', '10', '50', '0', '2026-02-02T15:00:00Z'), f('s1', 'sell', '10', '40', '0', '2026-03-02T15:00:00Z'), f('b2', 'buy', '6', '42', '0', '2026-03-14T15:00:00Z')];
  const s = rebuild(fills);
  const wash = washSales(s.closes, purchases(fills), (a) => a === 'AAPL');
  it('disallows the loss pro rata to the replacement shares and adds it to the replacement basis', () => {
    expect(wash.map((w) => [w.replacementLotId, w.replacementQty.toString(), w.disallowed.toString()])).toEqual([['b2', '6', '60']]);
    const lots = withWashBasis([...s.lots.values()].flat(), wash);
    expect(lots.map((l) => [l.id, l.basis.toString()])).toEqual([['b2', '312']]);
    // Still a ledger lot: its amounts read through the same getters (an object spread would have
    // dropped them and frozen stale copies of its scaled internals beside).
    const ledgerLot = [...s.lots.values()].flat()[0]!;
    expect(Object.getPrototypeOf(lots[0])).toBe(Object.getPrototypeOf(ledgerLot));
    expect(Object.keys(lots[0]!).sort()).toEqual(Object.keys(ledgerLot).sort());
    expect([lots[0]!.qty.toString(), purchaseOf(lots[0]!).qty.toString(), snapshot({ ...emptyLedger(), lots: new Map([['k', lots]]) }).lots[0]!.basis]).toEqual(['6', '6', '312']);
    expect(wash[0]!.carriedAcquiredTs).toBe(at('2026-02-02T15:00:00Z'));
  });
  it('ignores assets that are not equities and repurchases outside 30 days', () => {
    expect(washSales(s.closes, purchases(fills), () => false)).toEqual([]);
    const late = [fills[0]!, fills[1]!, f('b3', 'buy', '6', '42', '0', '2026-04-02T15:00:00Z')];
    expect(washSales(rebuild(late).closes, purchases(late), () => true)).toEqual([]);
  });
  it('carries the disallowed loss and the acquisition date into the replacement lot when it is sold', () => {
    const later = [...fills, f('s2', 'sell', '3', '45', '0', '2026-06-01T15:00:00Z')];
    const st = rebuild(later);
    const w = washSales(st.closes, purchases(later), () => true);
    // Half the replacement lot is sold: half its carried 60; the rest stays on the 3 shares still open.
    expect(
      form8949Csv(form8949Rows(st.closes, w, 2026))
        .trim()
        .split('\n')
        .slice(1),
    ).toEqual(['10 AAPL,2026-02-02,2026-03-02,400.00,500.00,W,60.00,-40.00,short', '3 AAPL,2026-02-02,2026-06-01,135.00,156.00,,,-21.00,short']);
    expect(withWashBasis([...st.lots.values()].flat(), w).map((l) => [l.id, l.qty.toString(), l.basis.toString()])).toEqual([['b2', '3', '156']]);
  });
  it('does not count shares sold in the same sale as replacements', () => {
    const both = [f('b1', 'buy', '5', '50', '0', '2026-02-02T15:00:00Z'), f('b2', 'buy', '5', '48', '0', '2026-02-10T15:00:00Z'), f('s1', 'sell', '10', '40', '0', '2026-02-20T15:00:00Z')];
    expect(washSales(rebuild(both).closes, purchases(both), () => true)).toEqual([]);
  });
  it('exports Form 8949 rows matching the golden file', () => {
    const more = [
      ...fills,
      f('b9', 'buy', '3', '100', '1', '2025-01-02T15:00:00Z', 'MSFT'),
      f('s9', 'sell', '3', '130', '1', '2026-01-05T15:00:00Z', 'MSFT'),
      f('b8', 'buy', '2', '50', '0', '2026-04-01T15:00:00Z', 'ETH, classic'),
      f('s8', 'sell', '2', '45', '0.5', '2026-05-01T15:00:00Z', 'ETH, classic'),
    ];
    const st = rebuild(more);
    const csv = form8949Csv(
      form8949Rows(
        st.closes,
        washSales(st.closes, purchases(more), (a) => a !== 'ETH, classic'),
        2026,
      ),
    );
    expect(csv).toBe(readFileSync(join(__dirname, 'golden', 'form8949.csv'), 'utf8'));
  });
});
