/** The quote→account rate: own pair, inverse, another venue's pair, then a dollar stablecoin's peg. */
import { describe, expect, it } from 'vitest';
import { fxRate, type FxVenue } from '../../../src-main/engine/risk/fx';
import type { Quote } from '../../../src-main/engine/domain/order';

function venue(quotes: Record<string, Partial<Quote>>): FxVenue {
  return {
    instrument: (s) => (quotes[s] ? { id: s } : undefined),
    quote: (id) => (quotes[id] ? ({ instrumentId: id, ts: 0, ...quotes[id] } as Quote) : undefined),
  };
}

describe('fxRate', () => {
  it("uses the order's venue first: its pair's mid, else the inverse pair", () => {
    const own = venue({ 'EUR/USD': { bid: '1.08', ask: '1.10' } });
    expect(fxRate('EUR', 'USD', [['kr', own]])).toMatchObject({ source: 'kr:EUR/USD' });
    expect(fxRate('EUR', 'USD', [['kr', own]])!.rate.toFixed()).toBe('1.09');
    const inv = venue({ 'USD/JPY': { bid: '149.9', ask: '150.1' } });
    expect(fxRate('JPY', 'USD', [['ib', inv]])!.rate.toFixed(8)).toBe('0.00666667');
  });
  it("falls back to another venue's quote, before any peg", () => {
    const binance = venue({ 'BTC/USDT': { bid: '90000', ask: '90001' } });
    const kraken = venue({ 'USDT/USD': { bid: '0.9990', ask: '0.9994' } });
    expect(
      fxRate('USDT', 'USD', [
        ['bn', binance],
        ['kr', kraken],
      ]),
    ).toMatchObject({ source: 'kr:USDT/USD' });
    expect(
      fxRate('USDT', 'USD', [
        ['bn', binance],
        ['kr', kraken],
      ])!.rate.toFixed(),
    ).toBe('0.9992');
  });
  it('values a dollar stablecoin at 1 only when no venue quotes it; other currencies stay unknown', () => {
    const binance = venue({ 'BTC/USDT': { bid: '90000', ask: '90001' } });
    expect(fxRate('USDT', 'USD', [['bn', binance]])).toMatchObject({ source: 'peg' });
    expect(fxRate('USD', 'USDC', [])!.rate.toFixed()).toBe('1');
    expect(fxRate('EUR', 'USD', [['bn', binance]])).toBeUndefined();
    expect(fxRate('BTC', 'USD', [['bn', binance]])).toBeUndefined();
    // A pair without a usable price does not count.
    expect(fxRate('EUR', 'USD', [['x', venue({ 'EUR/USD': { bid: '0', ask: '0' } })]])).toBeUndefined();
  });
});
