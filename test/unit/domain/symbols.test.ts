import { describe, expect, it } from 'vitest';
import { formatSymbol, parseSymbol } from '../../../src-main/engine/domain/instrument';

describe('display symbols', () => {
  it.each([
    ['BTC/USD', { kind: 'pair', base: 'BTC', quote: 'USD' }],
    ['BTC/USDT:PERP', { kind: 'perp', base: 'BTC', quote: 'USDT' }],
    ['ES:FUT:20260320', { kind: 'future', root: 'ES', expiry: '20260320' }],
    ['AAPL', { kind: 'equity', root: 'AAPL' }],
    ['BRK.B', { kind: 'equity', root: 'BRK.B' }],
    ['AAPL:OPT:C:150:20260320', { kind: 'option', underlying: 'AAPL', right: 'C', strike: '150', expiry: '20260320' }],
    ['EUR/USD', { kind: 'pair', base: 'EUR', quote: 'USD' }],
  ])('%s parses and round-trips', (s, parsed) => {
    expect(parseSymbol(s)).toEqual(parsed);
    expect(formatSymbol(parseSymbol(s)!)).toBe(s);
  });
  it('normalizes case and rejects malformed symbols', () => {
    expect(formatSymbol(parseSymbol('btc/usd')!)).toBe('BTC/USD');
    for (const bad of ['', 'BTC/', '/USD', 'ES:FUT:20260230', 'AAPL:OPT:X:150:20260320', 'A B', 'ES:FUT:2026']) expect(parseSymbol(bad)).toBeUndefined();
  });
});
