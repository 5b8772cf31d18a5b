/** tastytrade crypto mapping: pair symbols, the instrument from the venue's description, leg actions. */
import { describe, expect, it } from 'vitest';
import { TastytradeInstruments, cryptoInstrument } from '../../../src-main/engine/venues/tastytrade/tastytrade-instruments';
import { actionFor, orderBody } from '../../../src-main/engine/venues/tastytrade/tastytrade-mapping';
import { cryptoSchema, parseWith } from '../../../src-main/engine/venues/tastytrade/tastytrade-parsers';
import type { Order } from '../../../src-main/engine/domain/order';

const BTC_BODY = {
  id: 1,
  symbol: 'BTC/USD',
  'instrument-type': 'Cryptocurrency',
  'short-description': 'Bitcoin',
  description: 'Bitcoin',
  'is-closing-only': false,
  active: true,
  'tick-size': '0.01',
  'streamer-symbol': 'BTC/USD:CXTALP',
  'destination-venue-symbols': [{ id: 1, symbol: 'BTCUSD', 'destination-venue': 'X', 'max-quantity-precision': 6, 'max-price-precision': 2, routable: true }],
};

describe('tastytrade crypto mapping', () => {
  it('a pair symbol is a crypto lookup; other forms keep their kinds', () => {
    expect(TastytradeInstruments.kindOf('btc/usd')).toEqual({ kind: 'crypto', venueSymbol: 'BTC/USD' });
    expect(TastytradeInstruments.kindOf('AAPL').kind).toBe('equity');
    expect(TastytradeInstruments.kindOf('/ESH6').kind).toBe('future');
    expect(TastytradeInstruments.kindOf('AAPL:OPT:C:150:20260320').kind).toBe('option');
  });

  it('the instrument takes its lot from the routing precision (8 decimals when not given)', () => {
    const btc = cryptoInstrument('tt', parseWith(cryptoSchema, 'crypto', BTC_BODY));
    expect(btc).toMatchObject({ id: 'tt:BTC/USD', symbol: 'BTC/USD', base: 'BTC', quote: 'USD', lotSize: '0.000001', minQty: '0.000001', fractional: true, session: 'always' });
    const bare = cryptoInstrument('tt', parseWith(cryptoSchema, 'crypto', { ...BTC_BODY, 'destination-venue-symbols': [] }));
    expect(bare.lotSize).toBe('0.00000001');
    expect(() => parseWith(cryptoSchema, 'crypto', { ...BTC_BODY, symbol: 'BTCUSD' })).toThrow();
  });

  it('a crypto leg is Buy to Open or Sell to Close whatever is held; an equity follows the position', () => {
    const btc = cryptoInstrument('tt', parseWith(cryptoSchema, 'crypto', BTC_BODY));
    expect(actionFor(btc, 'buy', '0', '1')).toBe('Buy to Open');
    expect(actionFor(btc, 'sell', '0', '1')).toBe('Sell to Close');
    expect(actionFor({ ...btc, assetClass: 'equity' }, 'sell', '0', '1')).toBe('Sell to Open');
    const order = { clientOrderId: 'tp-1', side: 'sell', type: 'limit', qty: '0.5', limitPrice: '60000', tif: 'gtc' } as Order;
    expect(orderBody(btc, order, '0')['legs']).toEqual([{ 'instrument-type': 'Cryptocurrency', symbol: 'BTC/USD', quantity: '0.5', action: 'Sell to Close' }]);
  });
});
