import { describe, expect, it } from 'vitest';
import { commonAsset, KrakenInstruments, krakenAsset, wirePairs } from '../../../src-main/engine/venues/kraken/kraken-instruments';
import { parseSymbol, formatSymbol } from '../../../src-main/engine/domain/instrument';

const PAIRS = wirePairs({
  XXBTZUSD: {
    altname: 'XBTUSD',
    wsname: 'XBT/USD',
    base: 'XXBT',
    quote: 'ZUSD',
    pair_decimals: 1,
    lot_decimals: 8,
    cost_decimals: 5,
    ordermin: '0.0001',
    costmin: '0.5',
    tick_size: '0.1',
    status: 'online',
  },
  XETHZEUR: { altname: 'ETHEUR', wsname: 'ETH/EUR', base: 'XETH', quote: 'ZEUR', pair_decimals: 2, lot_decimals: 8, ordermin: '0.002', costmin: '0.5', tick_size: '0.01', status: 'online' },
  XDGUSD: { altname: 'XDGUSD', wsname: 'XDG/USD', base: 'XXDG', quote: 'ZUSD', pair_decimals: 7, lot_decimals: 8, ordermin: '13', status: 'online' },
  SOLUSD: { altname: 'SOLUSD', wsname: 'SOL/USD', base: 'SOL', quote: 'ZUSD', pair_decimals: 2, lot_decimals: 8, status: 'cancel_only' },
});

describe('Kraken instruments', () => {
  const insts = new KrakenInstruments();
  insts.load('kr', PAIRS);

  it('AssetPairs → tick, lot, minimum quantity and minimum cost', () => {
    expect(insts.find('BTC/USD')).toMatchObject({
      id: 'kr:XXBTZUSD',
      venueSymbol: 'XXBTZUSD',
      base: 'BTC',
      quote: 'USD',
      tickSize: '0.1',
      lotSize: '0.00000001',
      minQty: '0.0001',
      minNotional: '0.5',
      assetClass: 'crypto_spot',
    });
    expect(insts.find('ETH/EUR')).toMatchObject({ tickSize: '0.01', minQty: '0.002' });
    // Without tick_size, the pair's decimals give it.
    expect(insts.find('DOGE/USD')).toMatchObject({ tickSize: '0.0000001', venueSymbol: 'XDGUSD' });
  });

  it('every Kraken spelling finds the pair, and BTC/USD round-trips through the display scheme', () => {
    for (const n of ['XXBTZUSD', 'XBTUSD', 'XBT/USD', 'BTC/USD', 'btc/usd', 'kr:XXBTZUSD']) expect(insts.find(n)?.id).toBe('kr:XXBTZUSD');
    const sym = insts.find('XXBTZUSD')!.symbol;
    expect(formatSymbol(parseSymbol(sym)!)).toBe('BTC/USD');
    expect(insts.find(sym)?.venueSymbol).toBe('XXBTZUSD');
  });

  it('a pair that is not online is not offered', () => {
    expect(insts.find('SOL/USD')).toBeUndefined();
  });

  it('asset names both ways', () => {
    expect(commonAsset('XXBT')).toBe('BTC');
    expect(commonAsset('ZUSD')).toBe('USD');
    expect(commonAsset('XBT')).toBe('BTC');
    expect(commonAsset('XXDG')).toBe('DOGE');
    expect(commonAsset('USDT')).toBe('USDT');
    expect(krakenAsset('BTC')).toBe('XBT');
    expect(krakenAsset('eth')).toBe('ETH');
  });
});
