import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Decimal } from '../../../src-main/engine/domain/money';
import { add, cmp, div, mul, num, sub, toDecimal } from '../../../src-main/engine/portfolio/exact';
import { applyFill, emptyLedger, rebuild, snapshot, type LedgerFill, type ReliefMethod } from '../../../src-main/engine/portfolio/lot-ledger';
import * as reference from '../../support/lot-ledger-decimal';

/** A plain decimal string: up to `digits` digits, up to `scale` of them after the point, either sign. */
const decimalString = (digits: number, scale: number) =>
  fc.tuple(fc.bigInt({ min: -(10n ** BigInt(digits)) + 1n, max: 10n ** BigInt(digits) - 1n }), fc.integer({ min: 0, max: scale })).map(([c, s]) => new Decimal(`${c}e-${s}`).toFixed());

describe('exact.ts follows decimal.js digit for digit', () => {
  it('add, sub, mul, div and cmp over random values, safe-integer and BigInt paths, 40-digit rounding and non-terminating quotients included', () => {
    fc.assert(
      // Small values take the safe-integer path, 16-digit ones cross it, 45-digit ones are BigInts throughout.
      fc.property(fc.oneof(decimalString(8, 4), decimalString(16, 6), decimalString(45, 30)), fc.oneof(decimalString(8, 4), decimalString(16, 6), decimalString(45, 30)), (x, y) => {
        const a = num(x);
        const b = num(y);
        const dx = new Decimal(x);
        const dy = new Decimal(y);
        expect(toDecimal(a).toFixed()).toBe(dx.toFixed());
        expect(toDecimal(add(a, b)).toFixed()).toBe(dx.plus(dy).toFixed());
        expect(toDecimal(sub(a, b)).toFixed()).toBe(dx.minus(dy).toFixed());
        expect(toDecimal(mul(a, b)).toFixed()).toBe(dx.mul(dy).toFixed());
        expect(cmp(a, b)).toBe(dx.cmp(dy));
        if (!dy.isZero()) expect(toDecimal(div(a, b)).toFixed()).toBe(dx.div(dy).toFixed());
      }),
      { numRuns: 3000 },
    );
  });

  it('rounds half-even at the 40th digit, ties and carries included', () => {
    const cases: [string, string][] = [
      ['1', '3'],
      ['2', '3'],
      ['-2', '3'],
      ['1', '7'],
      ['1001', '3'],
      ['99999999999999999999999999999999999999995', '10'],
      ['1234567890123456789012345678901234567890.5', '1'],
      ['1234567890123456789012345678901234567891.5', '1'],
      ['-1234567890123456789012345678901234567891.5', '1'],
      ['9999999999999999999999999999999999999999.5', '1'],
    ];
    for (const [x, y] of cases) expect(toDecimal(div(num(x), num(y))).toFixed(), `${x} / ${y}`).toBe(new Decimal(x).div(y).toFixed());
    expect(toDecimal(add(num('9999999999999999999999999999999999999999'), num('0.5'))).toFixed()).toBe('10000000000000000000000000000000000000000');
    expect(toDecimal(num('1e-7')).toFixed()).toBe('0.0000001');
  });
});

describe('the ledger on scaled integers equals the Decimal path', () => {
  const arbFill = fc.record({
    venue: fc.constantFrom('a', 'b'),
    symbol: fc.constantFrom('X', 'Y'),
    side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
    // Mixed scales per fill (whole shares, cents, crypto's 8 places) so shares rarely divide evenly.
    qty: fc.oneof(decimalString(3, 0), decimalString(6, 2), decimalString(9, 8)).map((q) => new Decimal(q).abs().plus('0.00000001').toFixed()),
    price: fc.oneof(decimalString(7, 2), decimalString(12, 8)).map((p) => new Decimal(p).abs().plus(1).toFixed()),
    fee: fc.oneof(fc.constant('0'), decimalString(4, 2), decimalString(8, 8)).map((x) => new Decimal(x).abs().toFixed()),
  });
  it('over 1,000 random fill sequences: lots, closes and realized P&L, every relief method', () => {
    fc.assert(
      fc.property(fc.array(arbFill, { maxLength: 40 }), fc.constantFrom<ReliefMethod>('fifo', 'lifo', 'hifo', 'specific'), fc.nat(), (raw, method, pick) => {
        const fills: LedgerFill[] = raw.map((r, i) => ({ ...r, id: `f${String(i).padStart(3, '0')}`, ts: 1_767_000_000_000 + i * 1000 }));
        // Specific-lot: each closing fill names some earlier fills' lots (unknown or closed ids are skipped by both paths).
        if (method === 'specific') fills.forEach((f, i) => i > 1 && Object.assign(f, { lotIds: [fills[(pick + i) % i]!.id, fills[(pick * 7 + i) % i]!.id] }));
        const methods: [string, ReliefMethod][] = [
          ['a', method],
          ['b', method],
        ];
        const exact = emptyLedger(methods);
        const decimal = reference.emptyLedger(methods);
        for (const f of fills) {
          const made = applyFill(exact, f).map((c) => [c.qty.toFixed(), c.cost.toFixed(), c.proceeds.toFixed(), c.realized.toFixed()]);
          expect(made).toEqual(reference.applyFill(decimal, f).map((c) => [c.qty.toFixed(), c.cost.toFixed(), c.proceeds.toFixed(), c.realized.toFixed()]));
        }
        expect(snapshot(exact)).toEqual(reference.snapshot(decimal));
        expect(snapshot(rebuild([...fills].reverse(), methods))).toEqual(reference.snapshot(decimal));
      }),
      { numRuns: 1000 },
    );
  });
});
