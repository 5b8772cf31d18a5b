/**
 * Multi-leg orders (option verticals): the API schema's checks on the legs, the pure vertical
 * rules (debit or credit, width, worst-case loss), the spread's market from its legs' quotes, and
 * a spread's progress from its legs' fills.
 */
import { describe, expect, it } from 'vitest';
import { commandSchemas } from '../../../src-main/engine/api/commands';
import { Decimal } from '../../../src-main/engine/domain/money';
import { legFillSummary, legsQuote, optionTermsOfSymbol, sameLegs, verticalMaxLoss, verticalSide, verticalWidth, type OrderLeg } from '../../../src-main/engine/domain/order-legs';
import { capabilityRefusal, PAPER_CAPABILITIES } from '../../../src-main/engine/domain/order-capabilities';

const C150 = 'AAPL:OPT:C:150:20260320';
const C155 = 'AAPL:OPT:C:155:20260320';
const base = { venue: 'tt', symbol: C150, side: 'buy', type: 'limit', qty: '1', limitPrice: '2.10' } as const;
const place = (legs: unknown) => commandSchemas['order.place'].safeParse({ ...base, legs });
const message = (legs: unknown): string => {
  const r = place(legs);
  if (r.success) throw new Error('expected a refusal');
  return r.error.issues.map((i) => i.message).join(' | ');
};

describe('order.place / order.preview: the legs of a vertical', () => {
  it('accepts a call vertical (ratio defaults to 1) in both commands', () => {
    const legs = [
      { symbol: C150, side: 'buy' },
      { symbol: C155, side: 'sell' },
    ];
    const r = place(legs);
    expect(r.success && r.data.legs).toEqual([
      { symbol: C150, side: 'buy', ratio: 1 },
      { symbol: C155, side: 'sell', ratio: 1 },
    ]);
    expect(commandSchemas['order.preview'].safeParse({ ...base, legs }).success).toBe(true);
    // Legs named by instrument id pass the boundary; the engine checks them once resolved.
    expect(
      place([
        { symbol: 'tt:AAPL  260320C00150000', side: 'buy' },
        { symbol: 'tt:AAPL  260320C00155000', side: 'sell' },
      ]).success,
    ).toBe(true);
  });

  it('refuses what is not a vertical, in words that say what to change', () => {
    expect(message([{ symbol: C150, side: 'buy' }])).toMatch(/exactly two legs/);
    expect(
      message([
        { symbol: C150, side: 'buy' },
        { symbol: C155, side: 'sell' },
        { symbol: 'AAPL:OPT:C:160:20260320', side: 'buy' },
      ]),
    ).toMatch(/exactly two legs/);
    expect(
      message([
        { symbol: C150, side: 'buy' },
        { symbol: C155, side: 'buy' },
      ]),
    ).toMatch(/both legs are buys/);
    expect(
      message([
        { symbol: C150, side: 'buy', ratio: 1 },
        { symbol: C155, side: 'sell', ratio: 2 },
      ]),
    ).toMatch(/equal ratio \(got 1 and 2\)/);
    expect(
      message([
        { symbol: C150, side: 'buy' },
        { symbol: 'MSFT:OPT:C:155:20260320', side: 'sell' },
      ]),
    ).toMatch(/same underlying \(got AAPL and MSFT\)/);
    expect(
      message([
        { symbol: C150, side: 'buy' },
        { symbol: 'AAPL:OPT:C:155:20260417', side: 'sell' },
      ]),
    ).toMatch(/expire on the same day.*calendar/);
    expect(
      message([
        { symbol: C150, side: 'buy' },
        { symbol: 'AAPL:OPT:P:155:20260320', side: 'sell' },
      ]),
    ).toMatch(/legs are both calls or both puts \(got a call and a put\)/);
    expect(
      message([
        { symbol: C150, side: 'buy' },
        { symbol: C150, side: 'sell' },
      ]),
    ).toMatch(/different strikes \(both are 150\)/);
    expect(
      message([
        { symbol: 'AAPL', side: 'buy' },
        { symbol: C155, side: 'sell' },
      ]),
    ).toMatch(/AAPL is not an option/);
    expect(
      message([
        { symbol: C150, side: 'buy', ratio: 0 },
        { symbol: C155, side: 'sell', ratio: 0 },
      ]),
    ).toBeTruthy();
    expect(
      place([
        { symbol: C150, side: 'buy', extra: 1 },
        { symbol: C155, side: 'sell' },
      ]).success,
    ).toBe(false);
  });
});

describe('vertical rules', () => {
  const opt = (s: string) => optionTermsOfSymbol(s)!;
  it('debit or credit follows which leg is worth more: the lower-strike call, the higher-strike put', () => {
    expect(
      verticalSide([
        { side: 'buy', option: opt(C150) },
        { side: 'sell', option: opt(C155) },
      ]),
    ).toBe('buy');
    expect(
      verticalSide([
        { side: 'sell', option: opt(C150) },
        { side: 'buy', option: opt(C155) },
      ]),
    ).toBe('sell');
    expect(
      verticalSide([
        { side: 'buy', option: opt('AAPL:OPT:P:155:20260320') },
        { side: 'sell', option: opt('AAPL:OPT:P:150:20260320') },
      ]),
    ).toBe('buy');
    expect(
      verticalSide([
        { side: 'buy', option: opt('AAPL:OPT:P:145:20260320') },
        { side: 'sell', option: opt('AAPL:OPT:P:150:20260320') },
      ]),
    ).toBe('sell');
  });

  it('worst-case loss: the debit paid, or the width less the credit', () => {
    const width = verticalWidth([{ option: opt(C150) }, { option: opt('AAPL:OPT:C:152.5:20260320') }]);
    expect(width.toString()).toBe('2.5');
    expect(verticalMaxLoss('buy', new Decimal('1.10'), width).toString()).toBe('1.1');
    expect(verticalMaxLoss('sell', new Decimal('0.60'), width).toString()).toBe('1.9');
  });
});

const legs: OrderLeg[] = [
  { instrumentId: 'tt:C150', symbol: C150, side: 'buy', ratio: 1 },
  { instrumentId: 'tt:C155', symbol: C155, side: 'sell', ratio: 1 },
];

describe('a spread from its legs', () => {
  it('its market: bought at long ask − short bid, sold at long bid − short ask', () => {
    const quotes: Record<string, { bid: string; ask: string }> = { 'tt:C150': { bid: '4.00', ask: '4.20' }, 'tt:C155': { bid: '1.90', ask: '2.00' } };
    expect(legsQuote('buy', legs, (id) => quotes[id])).toEqual({ bid: '2', ask: '2.3' });
    // The mirror, a credit spread (selling the 150, buying the 155): the sold leg counts plus, so it is sold at the same market's bid, 2.
    const credit = legs.map((l) => ({ ...l, side: l.side === 'buy' ? ('sell' as const) : ('buy' as const) }));
    expect(legsQuote('sell', credit, (id) => quotes[id])).toEqual({ bid: '2', ask: '2.3' });
    // A put credit spread priced the same way: sell the 155 put (3.00/3.20), buy the 150 put (1.00/1.10).
    const puts: Record<string, { bid: string; ask: string }> = { 'tt:P155': { bid: '3.00', ask: '3.20' }, 'tt:P150': { bid: '1.00', ask: '1.10' } };
    const putLegs: OrderLeg[] = [
      { instrumentId: 'tt:P155', symbol: 'AAPL:OPT:P:155:20260320', side: 'sell', ratio: 1 },
      { instrumentId: 'tt:P150', symbol: 'AAPL:OPT:P:150:20260320', side: 'buy', ratio: 1 },
    ];
    expect(legsQuote('sell', putLegs, (id) => puts[id])).toEqual({ bid: '1.9', ask: '2.2' });
    expect(legsQuote('buy', legs, (id) => (id === 'tt:C150' ? quotes[id] : undefined))).toEqual({});
  });

  it('filled spreads are the least leg filled in ratio; the price is the net of the legs', () => {
    expect(legFillSummary('buy', legs, [{ instrumentId: 'tt:C150', qty: '2', price: '4.20' }])).toEqual({ filledQty: '0', avgFillPrice: '0' });
    const both = [
      { instrumentId: 'tt:C150', qty: '2', price: '4.20' },
      { instrumentId: 'tt:C155', qty: '1', price: '1.90' },
      { instrumentId: 'tt:C155', qty: '1', price: '2.10' },
    ];
    expect(legFillSummary('buy', legs, both)).toEqual({ filledQty: '2', avgFillPrice: '2.2' });
  });

  it('idempotency compares the legs; a venue without multiLeg refuses with the alternative', () => {
    expect(sameLegs(legs, [...legs])).toBe(true);
    expect(sameLegs(legs, [legs[0]!, { ...legs[1]!, instrumentId: 'tt:C160' }])).toBe(false);
    expect(sameLegs(undefined, undefined)).toBe(true);
    expect(sameLegs(legs, undefined)).toBe(false);
    const r = capabilityRefusal(PAPER_CAPABILITIES, { side: 'buy', type: 'limit', qty: '1', limitPrice: '2', tif: 'day', legs }, 'Paper');
    expect(r).toEqual({ feature: 'multiLeg', message: 'Paper does not support multi-leg orders (spreads) — place each leg as its own order.' });
    expect(capabilityRefusal({ ...PAPER_CAPABILITIES, multiLeg: true }, { side: 'buy', type: 'limit', qty: '1', limitPrice: '2', tif: 'day', legs }, 'x')).toBeUndefined();
  });
});
