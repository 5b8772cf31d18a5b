import { describe, expect, it } from 'vitest';
import { formatDecimal, formatMoney, formatPrice, formatQty, signOf, stepDecimals } from '../../../src-renderer/src/components/format';

describe('formatDecimal', () => {
  it('groups thousands without converting to a float', () => {
    expect(formatDecimal('1234567.891')).toBe('1,234,567.891');
    // Beyond 2^53 a float would print 9007199254740992.
    expect(formatDecimal('9007199254740993.5')).toBe('9,007,199,254,740,993.5');
    expect(formatDecimal('123456789012345678901234.123456789', { group: false })).toBe('123456789012345678901234.123456789');
  });
  it('pads and rounds to fixed decimals (half-up for display)', () => {
    expect(formatDecimal('1.5', { dp: 2 })).toBe('1.50');
    expect(formatDecimal('0.125', { dp: 2 })).toBe('0.13');
    expect(formatDecimal('-0.004', { dp: 2 })).toBe('0.00');
    expect(formatDecimal('0.1', { dp: 0 })).toBe('0');
  });
  it('trims to maxDp and keeps minDp', () => {
    expect(formatDecimal('1.23000000', { minDp: 2, maxDp: 8 })).toBe('1.23');
    expect(formatDecimal('5', { minDp: 2 })).toBe('5.00');
    expect(formatDecimal('0.000000019', { maxDp: 8 })).toBe('0.00000002');
  });
  it('signs P&L and handles negatives', () => {
    expect(formatMoney('1234.5', { plus: true })).toBe('+1,234.50');
    expect(formatMoney('-1234.5', { plus: true })).toBe('-1,234.50');
    expect(formatMoney('0', { plus: true })).toBe('0.00');
  });
  it('shows a dash for missing values and passes through non-decimals', () => {
    expect(formatDecimal(undefined)).toBe('—');
    expect(formatDecimal('')).toBe('—');
    expect(formatDecimal('NaN')).toBe('NaN');
    expect(formatDecimal('1e5')).toBe('1e5');
  });
});

describe('price and quantity by instrument steps', () => {
  it('pads prices to the tick', () => {
    expect(stepDecimals('0.01')).toBe(2);
    expect(stepDecimals('0.25')).toBe(2);
    expect(stepDecimals('1')).toBe(0);
    expect(formatPrice('229.5', '0.01')).toBe('229.50');
    expect(formatPrice('96412', '0.01')).toBe('96,412.00');
    expect(formatPrice('187.4', '0.001')).toBe('187.400');
  });
  it('shows quantities up to the lot precision', () => {
    expect(formatQty('0.25000', '0.00001')).toBe('0.25');
    expect(formatQty('150', '1')).toBe('150');
    expect(formatQty('1500', undefined)).toBe('1,500');
  });
  it('signOf reads the sign from the string', () => {
    expect(signOf('-0.01')).toBe(-1);
    expect(signOf('0.000')).toBe(0);
    expect(signOf('3')).toBe(1);
    expect(signOf(undefined)).toBe(0);
  });
});
