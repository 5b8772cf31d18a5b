/** Coinbase mapping, both ways: our order → order_configuration → the terms read back; wire orders, user-channel orders and fills → reports. */
import { describe, expect, it } from 'vitest';
import type { Order } from '../../../src-main/engine/domain/order';
import {
  configTerms,
  createRefusal,
  fillReport,
  orderBody,
  orderConfiguration,
  orderReport,
  portStatus,
  refPrice,
  userOrderReport,
  WireOrder,
} from '../../../src-main/engine/venues/coinbase/coinbase-mapping';
import { productToInstrument } from '../../../src-main/engine/venues/coinbase/coinbase-instruments';
import { VenueRejectedError } from '../../../src-main/engine/venues/venue-port';

const inst = productToInstrument('cb', { product_id: 'BTC-USD', base_increment: '0.00000001', price_increment: '0.01', base_min_size: '0.00000001', quote_min_size: '1', product_type: 'SPOT' })!;

function order(o: Partial<Order>): Order {
  return {
    id: 'o1',
    clientOrderId: 'T1',
    venue: 'cb',
    instrumentId: inst.id,
    symbol: 'BTC/USD',
    side: 'buy',
    type: 'limit',
    qty: '0.5',
    limitPrice: '60000',
    tif: 'gtc',
    status: 'pending_submit',
    filledQty: '0',
    avgFillPrice: '0',
    fees: '0',
    source: 'user',
    createdAt: 0,
    updatedAt: 0,
    ...o,
  };
}

describe('our order → order_configuration → terms (round trip)', () => {
  const cases: Array<[string, Partial<Order>, string, Partial<NonNullable<ReturnType<typeof configTerms>>>]> = [
    ['market by base size', { type: 'market', tif: 'ioc', limitPrice: undefined }, 'market_market_ioc', { type: 'market', tif: 'ioc', qty: '0.5' }],
    ['market by quote size', { type: 'market', tif: 'ioc', limitPrice: undefined, qty: '0', notional: '250' }, 'market_market_ioc', { type: 'market', quoteSize: '250' }],
    ['limit GTC post-only', { postOnly: true }, 'limit_limit_gtc', { type: 'limit', tif: 'gtc', qty: '0.5', limitPrice: '60000', postOnly: true }],
    ['limit GTD', { tif: 'gtd', expireAt: Date.UTC(2026, 11, 31) }, 'limit_limit_gtd', { type: 'limit', tif: 'gtd', expireAt: Date.UTC(2026, 11, 31) }],
    ['limit FOK', { tif: 'fok' }, 'limit_limit_fok', { type: 'limit', tif: 'fok' }],
    ['limit IOC → sor_limit_ioc', { tif: 'ioc' }, 'sor_limit_ioc', { type: 'limit', tif: 'ioc' }],
    ['stop-limit GTC', { type: 'stop_limit', stopPrice: '61000', limitPrice: '61100' }, 'stop_limit_stop_limit_gtc', { type: 'stop_limit', tif: 'gtc', stopPrice: '61000', limitPrice: '61100' }],
  ];
  for (const [name, o, kind, terms] of cases)
    it(name, () => {
      const oc = orderConfiguration(order(o));
      expect(Object.keys(oc)).toEqual([kind]);
      expect(configTerms(oc)).toMatchObject(terms);
    });

  it('stop direction comes from the side: a buy stop triggers upward, a sell stop downward', () => {
    expect(orderConfiguration(order({ type: 'stop_limit', stopPrice: '1', side: 'buy' }))['stop_limit_stop_limit_gtc']!['stop_direction']).toBe('STOP_DIRECTION_STOP_UP');
    expect(orderConfiguration(order({ type: 'stop_limit', stopPrice: '1', side: 'sell' }))['stop_limit_stop_limit_gtc']!['stop_direction']).toBe('STOP_DIRECTION_STOP_DOWN');
    // With the market's price the stop's side of it decides: a sell stop above the market rises to it, a buy stop below falls to it.
    const dir = (side: 'buy' | 'sell', stopPrice: string, ref: string) =>
      orderConfiguration(order({ type: 'stop_limit', stopPrice, limitPrice: stopPrice, side }), ref)['stop_limit_stop_limit_gtc']!['stop_direction'];
    expect(dir('sell', '65000', '60000')).toBe('STOP_DIRECTION_STOP_UP');
    expect(dir('sell', '55000', '60000')).toBe('STOP_DIRECTION_STOP_DOWN');
    expect(dir('buy', '55000', '60000')).toBe('STOP_DIRECTION_STOP_DOWN');
    expect(dir('buy', '65000', '60000')).toBe('STOP_DIRECTION_STOP_UP');
    expect(dir('sell', '60000', '60000')).toBe('STOP_DIRECTION_STOP_DOWN');
    expect(refPrice({ bid: '59999', ask: '60001' })).toBe('60000');
    expect(refPrice({ bid: '59999', ask: '60001', last: '60000.5' })).toBe('60000.5');
    expect(refPrice(undefined)).toBeUndefined();
  });

  it('the body carries our client id as client_order_id and BTC-USD as the product', () => {
    expect(orderBody(inst, order({}))).toMatchObject({ client_order_id: 'T1', product_id: 'BTC-USD', side: 'BUY' });
  });

  it('what Coinbase cannot carry is refused with the rule', () => {
    expect(() => orderConfiguration(order({ type: 'stop', stopPrice: '1' }))).toThrow(VenueRejectedError);
    expect(() => orderConfiguration(order({ tif: 'day' }))).toThrow(/GTC, GTD, IOC or FOK/);
    expect(() => orderConfiguration(order({ tif: 'fok', postOnly: true }))).toThrow(/post-only/);
    expect(() => orderConfiguration(order({ tif: 'gtd' }))).toThrow(/expiry/);
  });
});

describe('Coinbase → reports', () => {
  it('statuses, with OPEN and some filled read as partially_filled', () => {
    expect(portStatus('OPEN', '0')).toBe('accepted');
    expect(portStatus('OPEN', '0.1')).toBe('partially_filled');
    expect(portStatus('FILLED', '1')).toBe('filled');
    expect(portStatus('CANCELLED', '0.1')).toBe('cancelled');
    expect(portStatus('FAILED', '0')).toBe('rejected');
    expect(portStatus('CANCEL_QUEUED', '0')).toBe('pending_cancel');
  });

  it('a historical order gives type, tif, qty and price from its configuration', () => {
    const w = WireOrder.parse({
      order_id: 'x1',
      client_order_id: 'T1',
      product_id: 'BTC-USD',
      side: 'SELL',
      status: 'OPEN',
      filled_size: '0.1',
      average_filled_price: '60000',
      created_time: '2026-12-04T10:00:00Z',
      order_configuration: orderConfiguration(order({ side: 'sell' })),
    });
    expect(orderReport(w, inst.id)).toMatchObject({
      clientOrderId: 'T1',
      venueOrderId: 'x1',
      status: 'partially_filled',
      side: 'sell',
      type: 'limit',
      tif: 'gtc',
      qty: '0.5',
      limitPrice: '60000',
      filledQty: '0.1',
    });
  });

  it('a user-channel order: qty = leaves + cumulative', () => {
    const r = userOrderReport(
      { order_id: 'x1', client_order_id: 'T1', status: 'OPEN', product_id: 'BTC-USD', order_side: 'BUY', order_type: 'Stop Limit', cumulative_quantity: '0.2', leaves_quantity: '0.3', avg_price: '1' },
      inst.id,
      5,
    );
    expect(r).toMatchObject({ status: 'partially_filled', qty: '0.5', filledQty: '0.2', type: 'stop_limit', side: 'buy', ts: 5 });
  });

  it('a fill keeps its entry id, commission and liquidity; a size in quote becomes a base quantity', () => {
    const f = {
      entry_id: 'e1',
      trade_id: 't1',
      order_id: 'x1',
      product_id: 'BTC-USD',
      price: '50000',
      size: '100',
      commission: '0.6',
      side: 'BUY' as const,
      trade_time: '2026-12-04T10:00:00Z',
      liquidity_indicator: 'MAKER',
      size_in_quote: true,
    };
    expect(fillReport(f, inst.id, 'T1', 'USD')).toMatchObject({ venueFillId: 'e1', qty: '0.002', fee: '0.6', feeCurrency: 'USD', liquidity: 'maker', side: 'buy' });
  });

  it("a refusal keeps Coinbase's words and reason code", () => {
    expect(createRefusal({ success: false, error_response: { error: 'INSUFFICIENT_FUND', message: 'Insufficient balance in source account', new_order_failure_reason: 'INSUFFICIENT_FUND' } })).toBe(
      'Coinbase refused the order: Insufficient balance in source account (INSUFFICIENT_FUND)',
    );
  });
});
