/** tastytrade mapping and parsers, both ways: symbols, order types, TIFs, actions, price effect, statuses, envelopes. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Instrument } from '../../../src-main/engine/domain/instrument';
import type { Order } from '../../../src-main/engine/domain/order';
import {
  displayToFuture,
  displayToOcc,
  futureToDisplay,
  legAction,
  occToDisplay,
  orderBody,
  statusFromTasty,
  tastyTif,
  tastyType,
  tifFromTasty,
  typeFromTasty,
} from '../../../src-main/engine/venues/tastytrade/tastytrade-mapping';
import { dataOf, dryRunSchema, itemsOf, orderSchema, parseToken, parseWith } from '../../../src-main/engine/venues/tastytrade/tastytrade-parsers';
import { readTastytradeSettings } from '../../../src-main/engine/venues/tastytrade/tastytrade-config';

const AAPL: Instrument = {
  id: 'tt:AAPL',
  venue: 'tt',
  venueSymbol: 'AAPL',
  symbol: 'AAPL',
  assetClass: 'equity',
  description: '',
  base: 'AAPL',
  quote: 'USD',
  tickSize: '0.01',
  lotSize: '1',
  minQty: '1',
  minNotional: '0',
  multiplier: '1',
  fractional: false,
  session: 'us_equity',
};
const order = (o: Partial<Order>): Order =>
  ({
    id: '1',
    clientOrderId: 'tp-1',
    venue: 'tt',
    instrumentId: 'tt:AAPL',
    symbol: 'AAPL',
    side: 'buy',
    type: 'limit',
    qty: '2',
    limitPrice: '150',
    tif: 'day',
    status: 'pending_submit',
    filledQty: '0',
    avgFillPrice: '0',
    fees: '0',
    source: 'user',
    createdAt: 0,
    updatedAt: 0,
    ...o,
  }) as Order;

describe('tastytrade symbols', () => {
  it('OCC ↔ display, round trip', () => {
    expect(occToDisplay('AAPL  260320C00150000')).toBe('AAPL:OPT:C:150:20260320');
    expect(displayToOcc('AAPL:OPT:C:150:20260320')).toBe('AAPL  260320C00150000');
    expect(displayToOcc('SPY:OPT:P:452.5:20261218')).toBe('SPY   261218P00452500');
    fc.assert(
      fc.property(
        fc.constantFrom('A', 'SPY', 'AAPL', 'GOOGL', 'BRK.B'),
        fc.integer({ min: 1, max: 99_999_999 }),
        fc.constantFrom('C', 'P'),
        fc.date({ min: new Date('2026-01-01'), max: new Date('2039-12-31'), noInvalidDate: true }),
        (root, milli, cp, d) => {
          const occ = `${root.padEnd(6, ' ')}${d.toISOString().slice(2, 10).replaceAll('-', '')}${cp}${String(milli).padStart(8, '0')}`;
          expect(displayToOcc(occToDisplay(occ)!)).toBe(occ);
        },
      ),
    );
  });

  it('/ESH6 ↔ ES:FUT:20260320', () => {
    expect(futureToDisplay('ES', '2026-03-20')).toBe('ES:FUT:20260320');
    expect(displayToFuture('ES:FUT:20260320')).toBe('/ESH6');
    expect(displayToFuture('CL:FUT:20261120')).toBe('/CLX6');
    expect(displayToFuture('ES:FUT:20261320')).toBeUndefined();
  });
});

describe('tastytrade orders', () => {
  it('types and TIFs both ways', () => {
    for (const t of ['market', 'limit', 'stop', 'stop_limit'] as const) expect(typeFromTasty(tastyType(t, false))).toBe(t);
    expect(tastyType('market', true)).toBe('Notional Market');
    for (const t of ['day', 'gtc', 'gtd', 'ioc', 'fok'] as const) expect(tifFromTasty(tastyTif(t, false))).toBe(t);
    expect(tastyTif('day', true)).toBe('Ext');
    expect(() => tastyTif('opg', false)).toThrow(/no opg/);
    expect(() => tastyType('trailing_stop', false)).toThrow();
  });

  it('actions from side and the position held; price effect from side', () => {
    expect(legAction('buy', '0', '1')).toBe('Buy to Open');
    expect(legAction('buy', '-5', '2')).toBe('Buy to Close');
    expect(legAction('sell', '5', '5')).toBe('Sell to Close');
    expect(legAction('sell', '1', '5')).toBe('Sell to Open');
    expect(orderBody(AAPL, order({ side: 'sell' }), '0')).toMatchObject({ 'price-effect': 'Credit', legs: [{ action: 'Sell to Open' }] });
  });

  it('bodies: limit, stop limit, GTD, notional', () => {
    expect(orderBody(AAPL, order({}), '0')).toEqual({
      'time-in-force': 'Day',
      'order-type': 'Limit',
      'external-identifier': 'tp-1',
      price: '150',
      'price-effect': 'Debit',
      legs: [{ 'instrument-type': 'Equity', symbol: 'AAPL', quantity: '2', action: 'Buy to Open' }],
    });
    expect(orderBody(AAPL, order({ type: 'stop_limit', stopPrice: '149', tif: 'gtd', expireAt: Date.UTC(2026, 11, 31, 21) }), '0')).toMatchObject({
      'order-type': 'Stop Limit',
      'stop-trigger': '149',
      'gtc-date': '2026-12-31',
    });
    const n = orderBody(AAPL, order({ type: 'market', limitPrice: undefined, qty: '0', notional: '500' }), '0');
    expect(n).toMatchObject({ 'order-type': 'Notional Market', value: '500', 'value-effect': 'Debit' });
    expect((n['legs'] as Record<string, unknown>[])[0]).not.toHaveProperty('quantity');
  });

  it('statuses', () => {
    const o = (status: string, fills: unknown[] = []) =>
      parseWith(orderSchema, 'o', { id: 1, 'time-in-force': 'Day', 'order-type': 'Limit', status, legs: [{ 'instrument-type': 'Equity', symbol: 'AAPL', quantity: 2, action: 'Buy to Open', fills }] });
    expect(statusFromTasty(o('Live'))).toBe('accepted');
    expect(statusFromTasty(o('Live', [{ 'fill-id': 'f', quantity: '1', 'fill-price': '1', 'filled-at': '2026-01-01T00:00:00Z' }]))).toBe('partially_filled');
    expect(statusFromTasty(o('Filled'))).toBe('filled');
    expect(statusFromTasty(o('Removed'))).toBe('cancelled');
    expect(statusFromTasty(o('Cancel Requested'))).toBe('pending_cancel');
    expect(statusFromTasty(o('Rejected'))).toBe('rejected');
  });
});

describe('tastytrade parsers', () => {
  it('envelopes, numbers as canonical strings, and a clear error on a bad payload', () => {
    expect(parseToken({ access_token: 'a', expires_in: 900, token_type: 'Bearer' }).expires_in).toBe(900);
    expect(() => parseToken({ expires_in: 900 })).toThrow(/unreadable OAuth token: access_token/);
    expect(dataOf({ data: { x: 1 }, context: '/' })).toEqual({ x: 1 });
    const items = itemsOf(orderSchema, 'orders', {
      data: {
        items: [{ id: 7, 'time-in-force': 'GTC', 'order-type': 'Market', status: 'Filled', price: 1.5, legs: [{ 'instrument-type': 'Equity', symbol: 'AAPL', quantity: '1.0', action: 'Buy' }] }],
      },
    });
    expect(items[0]).toMatchObject({ id: '7', price: '1.5', legs: [{ quantity: '1', fills: [] }] });
    expect(parseWith(dryRunSchema, 'dry-run', { errors: [{ code: 'x', message: 'no' }] }).warnings).toEqual([]);
  });

  it('settings: account required, env choice, URL overrides', () => {
    expect(readTastytradeSettings({ account: '5wt00001' })).toMatchObject({ account: '5WT00001', env: 'sandbox', restUrl: 'https://api.cert.tastyworks.com' });
    expect(readTastytradeSettings({ account: '5WT00001', env: 'production' }).streamerUrl).toBe('wss://streamer.tastyworks.com');
    expect(() => readTastytradeSettings({})).toThrow(/account/i);
    expect(() => readTastytradeSettings({ account: '5WT00001', restUrl: 'ftp://x' })).toThrow(/must start with http/);
  });
});
