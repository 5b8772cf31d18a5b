import { describe, expect, it } from 'vitest';
import { searchRank } from '../../../src-main/engine/commands/market-data';
import type { Instrument } from '../../../src-main/engine/domain/instrument';

const inst = (symbol: string, venueSymbol: string, base: string, description: string): Instrument => ({
  id: `paper:${venueSymbol}`,
  venue: 'paper',
  venueSymbol,
  symbol,
  assetClass: 'crypto_spot',
  description,
  base,
  quote: 'USD',
  tickSize: '0.01',
  lotSize: '0.0001',
  minQty: '0.0001',
  minNotional: '1',
  multiplier: '1',
  fractional: true,
  session: 'always',
});
const btc = inst('BTC/USD', 'BTC-USD', 'BTC', 'Bitcoin');

describe('instrument search: separators are optional', () => {
  it('BTCUSD, btc-usd and BTC/USD all find BTC/USD as the exact match', () => {
    expect(searchRank(btc, 'BTCUSD')).toBe(0);
    expect(searchRank(btc, 'BTC USD')).toBe(0);
    expect(searchRank(btc, 'BTC/USD')).toBe(0);
  });
  it('a compact prefix still ranks as a prefix; unrelated text does not match', () => {
    expect(searchRank(btc, 'BTCU')).toBe(1);
    expect(searchRank(btc, 'ETHUSD')).toBe(-1);
    expect(searchRank(btc, '//')).toBe(-1);
  });
});
