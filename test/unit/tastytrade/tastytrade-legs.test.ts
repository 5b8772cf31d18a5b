/**
 * A vertical as ONE tastytrade order, both ways (pure): our two-leg order → the POST body (OCC
 * symbols, contracts, actions from the position held, net price and price effect), and a two-leg
 * tastytrade order → fills per leg instrument and a report in whole spreads at the net price.
 */
import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../../src-main/engine/domain/instrument';
import type { Order } from '../../../src-main/engine/domain/order';
import { orderFills, orderReportOf, spreadOrderBody } from '../../../src-main/engine/venues/tastytrade/tastytrade-legs';
import { orderSchema, parseWith } from '../../../src-main/engine/venues/tastytrade/tastytrade-parsers';

const option = (strike: string, right: 'C' | 'P'): Instrument => ({
  id: `tt:AAPL  260320${right}00${strike}000`,
  venue: 'tt',
  venueSymbol: `AAPL  260320${right}00${strike}000`,
  symbol: `AAPL:OPT:${right}:${strike}:20260320`,
  assetClass: 'option',
  description: '',
  base: 'AAPL',
  quote: 'USD',
  tickSize: '0.01',
  lotSize: '1',
  minQty: '1',
  minNotional: '0',
  multiplier: '100',
  fractional: false,
  session: 'us_equity',
  expiry: '20260320',
  strike,
  right,
});
const C150 = option('150', 'C');
const C155 = option('155', 'C');
const insts = new Map([C150, C155].map((i) => [i.id, i]));

const vertical = (side: Order['side'], price: string, longFirst = true): Order => ({
  id: 'O1',
  clientOrderId: 'TPV1',
  venue: 'tt',
  instrumentId: C150.id,
  symbol: C150.symbol,
  side,
  type: 'limit',
  qty: '2',
  limitPrice: price,
  tif: 'day',
  legs: [
    { instrumentId: C150.id, symbol: C150.symbol, side: longFirst ? 'buy' : 'sell', ratio: 1 },
    { instrumentId: C155.id, symbol: C155.symbol, side: longFirst ? 'sell' : 'buy', ratio: 1 },
  ],
  status: 'pending_submit',
  filledQty: '0',
  avgFillPrice: '0',
  fees: '0',
  source: 'user',
  createdAt: 0,
  updatedAt: 0,
});

describe('tastytrade vertical: our order → one tastytrade order', () => {
  it('a debit call spread: two Equity Option legs, opening actions, the net price as a Debit', () => {
    const body = spreadOrderBody(vertical('buy', '2.10'), (id) => insts.get(id)!, new Map());
    expect(body).toEqual({
      'time-in-force': 'Day',
      'order-type': 'Limit',
      'external-identifier': 'TPV1',
      price: '2.10',
      'price-effect': 'Debit',
      legs: [
        { 'instrument-type': 'Equity Option', symbol: 'AAPL  260320C00150000', quantity: '2', action: 'Buy to Open' },
        { 'instrument-type': 'Equity Option', symbol: 'AAPL  260320C00155000', quantity: '2', action: 'Sell to Open' },
      ],
    });
  });

  it('a credit spread that closes what is held: Credit, and each leg closes its own position', () => {
    const held = new Map([
      [C150.id, '2'],
      [C155.id, '-2'],
    ]);
    const body = spreadOrderBody({ ...vertical('sell', '1.95', false), tif: 'gtc' }, (id) => insts.get(id)!, held);
    expect(body).toMatchObject({ 'time-in-force': 'GTC', price: '1.95', 'price-effect': 'Credit' });
    expect((body['legs'] as Array<{ action: string }>).map((l) => l.action)).toEqual(['Sell to Close', 'Buy to Close']);
  });

  it('refuses a spread that is not a net-priced limit', () => {
    expect(() => spreadOrderBody({ ...vertical('buy', '2'), type: 'market' }, (id) => insts.get(id)!, new Map())).toThrow(/limit order at a net price/);
  });
});

const ttOrder = (fills: { c150?: [string, string][]; c155?: [string, string][] }, status = 'Live') =>
  parseWith(orderSchema, 'order', {
    id: 1001,
    'time-in-force': 'Day',
    'order-type': 'Limit',
    price: '2.10',
    'price-effect': 'Debit',
    status,
    'external-identifier': 'TPV1',
    'received-at': '2026-03-02T15:00:00Z',
    legs: [
      { 'instrument-type': 'Equity Option', symbol: C150.venueSymbol, quantity: '2', action: 'Buy to Open', fills: (fills.c150 ?? []).map(([q, p], k) => fill(`A${k}`, q, p)) },
      { 'instrument-type': 'Equity Option', symbol: C155.venueSymbol, quantity: '2', action: 'Sell to Open', fills: (fills.c155 ?? []).map(([q, p], k) => fill(`B${k}`, q, p)) },
    ],
  });
const fill = (id: string, quantity: string, price: string) => ({ 'fill-id': id, quantity, 'fill-price': price, 'filled-at': '2026-03-02T15:00:01Z' });
const ids = [C150.id, C155.id];

describe('tastytrade vertical: one tastytrade order → our order, fills per leg', () => {
  it('fills are reported under each leg instrument with its side; the report counts whole spreads at the net price', () => {
    const o = ttOrder(
      {
        c150: [['2', '5.05']],
        c155: [['2', '2.95']],
      },
      'Filled',
    );
    expect(orderFills(o, ids).map((f) => [f.instrumentId, f.side, f.qty, f.price, f.venueFillId])).toEqual([
      [C150.id, 'buy', '2', '5.05', 'A0'],
      [C155.id, 'sell', '2', '2.95', 'B0'],
    ]);
    expect(orderReportOf(o, ids, 0)).toMatchObject({ clientOrderId: 'TPV1', venueOrderId: '1001', status: 'filled', side: 'buy', qty: '2', filledQty: '2', avgFillPrice: '2.1', limitPrice: '2.1' });
  });

  it('one leg filled and the other not yet: no whole spread; a credit order reads as a sell', () => {
    const half = orderReportOf(ttOrder({ c150: [['2', '5.05']] }), ids, 0);
    expect(half).toMatchObject({ status: 'partially_filled', filledQty: '0', avgFillPrice: '0', qty: '2' });
    const credit = parseWith(orderSchema, 'order', { ...ttOrder({}), 'price-effect': 'Credit' });
    expect(orderReportOf(credit, ids, 0).side).toBe('sell');
  });
});
