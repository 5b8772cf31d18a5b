import { describe, expect, it } from 'vitest';
import { checkTicket } from '../../../src-main/engine/domain/order-validation';
import type { Instrument } from '../../../src-main/engine/domain/instrument';

const AAPL: Instrument = {
  id: 'paper:AAPL',
  venue: 'paper',
  venueSymbol: 'AAPL',
  symbol: 'AAPL',
  assetClass: 'equity',
  description: 'Apple',
  base: 'AAPL',
  quote: 'USD',
  tickSize: '0.01',
  lotSize: '1',
  minQty: '1',
  minNotional: '1',
  multiplier: '1',
  fractional: false,
  session: 'us_equity',
};
const BTC: Instrument = {
  ...AAPL,
  id: 'paper:BTC-USD',
  venueSymbol: 'BTC-USD',
  symbol: 'BTC/USD',
  assetClass: 'crypto_spot',
  base: 'BTC',
  lotSize: '0.00001',
  minQty: '0.00001',
  fractional: true,
  session: 'always',
};
const base = { side: 'buy' as const, type: 'limit' as const, tif: 'day' as const };

function code(f: Parameters<typeof checkTicket>[0], inst = AAPL) {
  const r = checkTicket(f, inst);
  return r.ok ? 'ok' : r.problem.code;
}

describe('order ticket validation', () => {
  it('gives each bad input its own code', () => {
    expect(code({ ...base, qty: '0', limitPrice: '1' })).toBe('invalid_quantity');
    expect(code({ ...base, qty: '-5', limitPrice: '1' })).toBe('invalid_quantity');
    expect(code({ ...base, qty: 'NaN', limitPrice: '1' })).toBe('invalid_quantity');
    expect(code({ ...base, qty: NaN, limitPrice: '1' })).toBe('invalid_quantity');
    expect(code({ ...base, qty: '1.5', limitPrice: '1' })).toBe('quantity_too_precise');
    expect(code({ ...base, qty: '0.000015', limitPrice: '1' }, BTC)).toBe('quantity_too_precise');
    expect(code({ ...base, qty: '10', limitPrice: undefined })).toBe('missing_limit_price');
    expect(code({ ...base, qty: '10', limitPrice: '' })).toBe('missing_limit_price');
    expect(code({ ...base, qty: '10', limitPrice: '100.005' })).toBe('price_too_precise');
    expect(code({ ...base, qty: '10', limitPrice: 'abc' })).toBe('invalid_price');
    expect(code({ ...base, qty: '10', limitPrice: '0' })).toBe('invalid_price');
    expect(code({ ...base, type: 'stop', qty: '10' })).toBe('missing_stop_price');
    expect(code({ ...base, type: 'market', qty: '10', limitPrice: '5' })).toBe('unexpected_price');
    expect(code({ ...base, type: 'market', tif: 'gtc', qty: '10' })).toBe('unsupported_order');
  });
  it('names the tick and the nearest valid prices', () => {
    const es = { ...AAPL, symbol: 'ES:FUT:20261218', tickSize: '0.25' };
    const r = checkTicket({ ...base, qty: '1', limitPrice: '6000.1' }, es);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem.code).toBe('price_off_tick');
      expect(r.problem.message).toContain('6000.00 or 6000.25');
    }
  });
  it('normalizes a good ticket to canonical decimal strings', () => {
    const r = checkTicket({ side: 'sell', type: 'stop_limit', qty: '0.00100', limitPrice: '64000.50', stopPrice: 64010, tif: 'gtc' }, BTC);
    expect(r).toEqual({ ok: true, ticket: { side: 'sell', type: 'stop_limit', qty: '0.001', limitPrice: '64000.5', stopPrice: '64010', tif: 'gtc' } });
  });
});
