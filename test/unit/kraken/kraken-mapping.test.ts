import { describe, expect, it } from 'vitest';
import { addOrderFields, fillFromTrade, fromExecution, reportFromOrder, statusOf, type OrderTerms } from '../../../src-main/engine/venues/kraken/kraken-mapping';
import { wireExecution, wireOrders, wireTrades } from '../../../src-main/engine/venues/kraken/kraken-wire';
import { VenueRejectedError } from '../../../src-main/engine/venues/venue-port';

const limit: OrderTerms = { side: 'buy', type: 'limit', qty: '0.5', limitPrice: '45000.1', tif: 'gtc', clientOrderId: 'T0ABCDEFGH12345678' };

/** A QueryOrders entry in Kraken's documented shape. */
function restOrder(fields: Record<string, string>, extra: Record<string, unknown> = {}) {
  return wireOrders({
    'OQCLML-BW3P3-BUCMWZ': {
      refid: null,
      userref: 0,
      cl_ord_id: fields['cl_ord_id'],
      status: 'open',
      opentm: 1_700_000_000.5,
      starttm: 0,
      expiretm: 0,
      descr: { pair: 'XBTUSD', type: fields['type'], ordertype: fields['ordertype'], price: fields['price'] ?? '0', price2: fields['price2'] ?? '0', leverage: 'none', order: '', close: '' },
      vol: fields['volume'],
      vol_exec: '0.00000000',
      cost: '0.00000',
      fee: '0.00000',
      price: '0.00000',
      stopprice: '0.00000',
      limitprice: '0.00000',
      misc: '',
      oflags: fields['oflags'] ?? 'fciq',
      timeinforce: fields['timeinforce'] ?? 'GTC',
      ...extra,
    },
  })['OQCLML-BW3P3-BUCMWZ']!;
}

describe('Kraken mapping: our order → AddOrder → Kraken order → our report (round trip)', () => {
  const cases: OrderTerms[] = [
    limit,
    { side: 'sell', type: 'market', qty: '1.25', tif: 'ioc', clientOrderId: 'c-market' },
    { side: 'sell', type: 'stop', qty: '0.1', stopPrice: '40000', tif: 'gtc', clientOrderId: 'c-stop' },
    { side: 'buy', type: 'stop_limit', qty: '0.1', stopPrice: '50000', limitPrice: '50100', tif: 'gtc', clientOrderId: 'c-stoplimit' },
    { side: 'buy', type: 'limit', qty: '0.1', limitPrice: '100', tif: 'ioc', clientOrderId: 'c-ioc' },
  ];
  for (const o of cases)
    it(`${o.type} ${o.tif}`, () => {
      const f = addOrderFields('XXBTZUSD', o);
      expect(f).toMatchObject({ pair: 'XXBTZUSD', type: o.side, volume: o.qty, cl_ord_id: o.clientOrderId });
      const r = reportFromOrder('OQCLML-BW3P3-BUCMWZ', restOrder(f), o.clientOrderId!, 'kr:XXBTZUSD');
      expect(r).toMatchObject({ clientOrderId: o.clientOrderId, side: o.side, type: o.type, qty: o.qty, status: 'accepted', instrumentId: 'kr:XXBTZUSD' });
      expect(r.limitPrice).toBe(o.limitPrice);
      expect(r.stopPrice).toBe(o.stopPrice);
      if (o.type !== 'market') expect(r.tif).toBe(o.tif);
    });

  it('GTD sends expiretm in seconds; post-only sends oflags=post; validate only checks', () => {
    const f = addOrderFields('XXBTZUSD', { ...limit, tif: 'gtd', expireAt: 1_800_000_000_999, postOnly: true }, true);
    expect(f).toMatchObject({ timeinforce: 'GTD', expiretm: '1800000000', oflags: 'post', validate: 'true' });
  });

  it('refuses what Kraken spot cannot take, saying what it can', () => {
    expect(() => addOrderFields('XXBTZUSD', { ...limit, tif: 'day' })).toThrow(VenueRejectedError);
    expect(() => addOrderFields('XXBTZUSD', { ...limit, tif: 'fok' })).toThrow(/GTC, IOC or GTD/);
    expect(() => addOrderFields('XXBTZUSD', { ...limit, type: 'trailing_stop' })).toThrow(/market, limit, stop or stop_limit/);
  });

  it('statuses: open with executions is partially filled; closed filled; canceled cancelled', () => {
    expect(statusOf('open', '0.1')).toBe('partially_filled');
    expect(statusOf('pending', '0')).toBe('accepted');
    expect(statusOf('closed', '1')).toBe('filled');
    expect(statusOf('canceled', '0.2')).toBe('cancelled');
    expect(statusOf('expired', '0')).toBe('expired');
  });

  it('a TradesHistory entry becomes a fill with its own trade id', () => {
    const trades = wireTrades({
      'THVRQM-33VKH-UCI7BS': {
        ordertxid: 'OQCLML-BW3P3-BUCMWZ',
        postxid: 'x',
        pair: 'XXBTZUSD',
        time: 1_700_000_001.25,
        type: 'buy',
        ordertype: 'limit',
        price: '45000.1',
        cost: '4500.01',
        fee: '11.25',
        vol: '0.10000000',
        margin: '0',
        misc: '',
        maker: true,
      },
    });
    const f = fillFromTrade('THVRQM-33VKH-UCI7BS', trades['THVRQM-33VKH-UCI7BS']!, 'cid', 'kr:XXBTZUSD', 'USD');
    expect(f).toMatchObject({ venueFillId: 'THVRQM-33VKH-UCI7BS', qty: '0.1', price: '45000.1', fee: '11.25', liquidity: 'maker', ts: 1_700_000_001_250, feeCurrency: 'USD' });
  });

  it('an executions trade event gives a report and a fill; a malformed one is refused', () => {
    const e = wireExecution({
      exec_type: 'trade',
      order_id: 'OQCLML-BW3P3-BUCMWZ',
      cl_ord_id: 'cid',
      symbol: 'BTC/USD',
      side: 'sell',
      order_type: 'limit',
      order_qty: 1,
      limit_price: 45000.1,
      cum_qty: 0.25,
      avg_price: 45000.1,
      order_status: 'partially_filled',
      timestamp: '2026-12-04T15:00:00.123Z',
      exec_id: 'TXID-1',
      last_qty: 0.25,
      last_price: 45000.1,
      liquidity_ind: 't',
      fees: [{ asset: 'USD', qty: 29.25 }],
    });
    const { report, fill } = fromExecution(e, 'cid', 'kr:XXBTZUSD', 'USD');
    expect(report).toMatchObject({ status: 'partially_filled', filledQty: '0.25', limitPrice: '45000.1', side: 'sell' });
    expect(fill).toMatchObject({ venueFillId: 'TXID-1', qty: '0.25', fee: '29.25', liquidity: 'taker', ts: Date.parse('2026-12-04T15:00:00.123Z') });
    expect(() => wireExecution({ exec_type: 'trade' })).toThrow(/cannot read/);
  });
});
