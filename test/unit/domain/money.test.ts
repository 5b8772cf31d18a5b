import { describe, expect, it } from 'vitest';
import { Decimal, isMultipleOf, parseDecimal, roundToStep, toStr } from '../../../src-main/engine/domain/money';
import { fromLots, fromTicks, toLots, toTicks } from '../../../src-main/engine/domain/scaled';

describe('money', () => {
  it('is exact where floats are not', () => {
    expect(toStr(new Decimal('0.1').plus('0.2'))).toBe('0.3');
    expect(toStr(new Decimal('100.07').mul(3))).toBe('300.21');
  });
  it('parses only plain finite decimals from untrusted input', () => {
    for (const bad of ['', ' ', 'abc', '1e5', '0x10', 'NaN', 'Infinity', '1,000', '--1', '1.2.3', NaN, Infinity, null, undefined, {}, [], true]) {
      expect(parseDecimal(bad)).toBeUndefined();
    }
    expect(parseDecimal('  12.50 ')!.toFixed()).toBe('12.5');
    expect(parseDecimal('.5')!.toFixed()).toBe('0.5');
    expect(parseDecimal(-3)!.toFixed()).toBe('-3');
    // A JSON number goes through its shortest string, not its binary expansion.
    expect(parseDecimal(0.1)!.toFixed()).toBe('0.1');
    expect(parseDecimal('9'.repeat(65))).toBeUndefined();
  });
  it('checks and rounds to ticks and lots', () => {
    expect(isMultipleOf(new Decimal('100.25'), new Decimal('0.25'))).toBe(true);
    expect(isMultipleOf(new Decimal('100.3'), new Decimal('0.25'))).toBe(false);
    expect(toStr(roundToStep(new Decimal('100.3'), new Decimal('0.25'), 'down'))).toBe('100.25');
    expect(toStr(roundToStep(new Decimal('100.3'), new Decimal('0.25'), 'up'))).toBe('100.5');
  });
  it('converts to scaled integers exactly and refuses off-grid values', () => {
    const scale = { tick: new Decimal('0.01'), lot: new Decimal('0.00001') };
    expect(toTicks(new Decimal('64123.45'), scale)).toBe(6412345);
    expect(toLots(new Decimal('0.00123'), scale)).toBe(123);
    expect(toStr(fromTicks(6412345, scale))).toBe('64123.45');
    expect(toStr(fromLots(123, scale))).toBe('0.00123');
    expect(() => toTicks(new Decimal('1.001'), scale)).toThrow(/not a multiple/);
  });
});
