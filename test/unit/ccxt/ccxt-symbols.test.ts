import { describe, expect, it } from 'vitest';
import { SymbolFormatError, toCcxtSymbol, toOurSymbol } from '../../../src-main/engine/venues/ccxt/ccxt-symbols';

const CASES: readonly (readonly [string, string])[] = [
  ['BTC/USDT', 'BTC/USDT'],
  ['BTC/USDT:USDT', 'BTC/USDT:PERP'],
  ['BTC/USDT:USDT-250328', 'BTC/USDT:250328'],
  ['BTC/USDT:USDT-250328-60000-C', 'BTC/USDT:250328-60000-C'],
  ['ETH/USDC:USDC-251226-3500.5-P', 'ETH/USDC:251226-3500.5-P'],
  ['BTC/USD:BTC', 'BTC/USD:BTC-PERP'],
  ['BTC/USD:BTC-250328', 'BTC/USD:BTC-250328'],
  ['1000PEPE/USDT:USDT', '1000PEPE/USDT:PERP'],
];

describe('ccxt symbols ⇄ ours', () => {
  it.each(CASES)('%s ⇄ %s', (ccxtSymbol, ours) => {
    expect(toOurSymbol(ccxtSymbol)).toBe(ours);
    expect(toCcxtSymbol(ours)).toBe(ccxtSymbol);
  });

  it('refuses what is not a symbol, saying what to write', () => {
    expect(() => toCcxtSymbol('BTCUSDT')).toThrow(SymbolFormatError);
    expect(() => toCcxtSymbol('BTC/USDT:SOON')).toThrow(/PERP \(perpetual\), YYMMDD/);
    expect(() => toCcxtSymbol('BTC/USDT:2503')).toThrow(SymbolFormatError);
  });
});
