import { describe, expect, it } from 'vitest';
import type { Order } from '../../../src-main/engine/domain/order';
import { createOrderArgs, decOf, exactNumber, fillReport, orderReport, statusOf } from '../../../src-main/engine/venues/ccxt/ccxt-mapping';
import { VenueRejectedError } from '../../../src-main/engine/venues/venue-port';

const base: Order = {
  id: 'o1',
  clientOrderId: 'tp-1',
  venue: 'byb',
  instrumentId: 'byb:BTC/USDT',
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'limit',
  qty: '0.015',
  limitPrice: '90000.10',
  tif: 'gtc',
  status: 'pending_submit',
  filledQty: '0',
  avgFillPrice: '0',
  fees: '0',
  source: 'user',
  createdAt: 0,
  updatedAt: 0,
};

describe('ccxt mapping: our order → createOrder', () => {
  it('a limit: our client id in ccxt’s unified clientOrderId, exact amounts, GTC', () => {
    expect(createOrderArgs(base, 'BTC/USDT', false)).toEqual({ symbol: 'BTC/USDT', type: 'limit', side: 'buy', amount: 0.015, price: 90000.1, params: { clientOrderId: 'tp-1', timeInForce: 'GTC' } });
  });

  it('stop-limit, post-only, reduce-only and IOC become ccxt params', () => {
    const a = createOrderArgs({ ...base, type: 'stop_limit', stopPrice: '95000', tif: 'ioc', reduceOnly: true }, 'BTC/USDT:USDT', true);
    expect(a).toMatchObject({ type: 'limit', price: 90000.1, params: { triggerPrice: 95000, timeInForce: 'IOC', reduceOnly: true } });
    expect(createOrderArgs({ ...base, type: 'stop', stopPrice: '80000', limitPrice: undefined }, 'BTC/USDT', false)).toMatchObject({
      type: 'market',
      price: undefined,
      params: { triggerPrice: 80000 },
    });
    expect(createOrderArgs({ ...base, postOnly: true }, 'BTC/USDT', false).params).toMatchObject({ postOnly: true });
    expect(createOrderArgs({ ...base, type: 'market', limitPrice: undefined }, 'BTC/USDT', false).params).toEqual({ clientOrderId: 'tp-1' });
  });

  it('refuses what ccxt cannot carry, in words a trader can act on', () => {
    expect(() => createOrderArgs({ ...base, reduceOnly: true }, 'BTC/USDT', false)).toThrow(/Reduce-only applies to derivatives/);
    expect(() => createOrderArgs({ ...base, tif: 'day' }, 'BTC/USDT', false)).toThrow(VenueRejectedError);
    expect(() => createOrderArgs({ ...base, type: 'trailing_stop' }, 'BTC/USDT', false)).toThrow(/Trailing stops/);
    expect(() => createOrderArgs({ ...base, qty: '0.12345678901234567891' }, 'BTC/USDT', false)).toThrow(/more digits than ccxt carries/);
  });

  it('numbers cross the ccxt boundary exactly, both ways', () => {
    expect(exactNumber('0.1', 'q')).toBe(0.1);
    expect(decOf(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(decOf(1e-8)).toBe('0.00000001');
    expect(decOf(undefined)).toBe('0');
  });
});

describe('ccxt mapping: ccxt structures → reports', () => {
  it('unified statuses, with open + filled as partially filled', () => {
    expect(statusOf({ status: 'open', filled: 0 })).toBe('accepted');
    expect(statusOf({ status: 'open', filled: 0.5 })).toBe('partially_filled');
    expect(statusOf({ status: 'closed', filled: 1 })).toBe('filled');
    expect(statusOf({ status: 'canceled', filled: 0 })).toBe('cancelled');
    expect(statusOf({ status: 'expired' })).toBe('expired');
    expect(statusOf({ status: 'rejected' })).toBe('rejected');
    expect(statusOf({ status: undefined })).toBe('submitted');
  });

  it('an order report with its terms as decimal strings', () => {
    const r = orderReport(
      {
        id: 'bb-1',
        clientOrderId: 'tp-1',
        symbol: 'BTC/USDT',
        type: 'limit',
        side: 'sell',
        status: 'open',
        timeInForce: 'PO',
        amount: 0.02,
        filled: 0.01,
        average: 90000.1,
        price: 90000.1,
        timestamp: 5,
      },
      'byb:BTC/USDT',
      'tp-1',
      9,
    );
    expect(r).toMatchObject({
      clientOrderId: 'tp-1',
      venueOrderId: 'bb-1',
      status: 'partially_filled',
      filledQty: '0.01',
      avgFillPrice: '90000.1',
      qty: '0.02',
      limitPrice: '90000.1',
      type: 'limit',
      tif: 'gtc',
      side: 'sell',
      ts: 5,
    });
    expect(orderReport({ id: 'x', symbol: 'BTC/USDT', type: 'market', triggerPrice: 80000, status: 'open' }, undefined, 'x', 9)).toMatchObject({ type: 'stop', stopPrice: '80000', ts: 9 });
  });

  it('a fill per execution; none without an id', () => {
    const t = { id: 'ex-1', order: 'bb-1', side: 'buy', amount: 0.01, price: 90000, takerOrMaker: 'maker', timestamp: 7, fee: { cost: 0.9, currency: 'USDT' } };
    expect(fillReport(t, 'byb:BTC/USDT', 'tp-1')).toMatchObject({ venueFillId: 'ex-1', venueOrderId: 'bb-1', qty: '0.01', price: '90000', fee: '0.9', feeCurrency: 'USDT', liquidity: 'maker', ts: 7 });
    expect(fillReport({ ...t, id: undefined }, 'byb:BTC/USDT', 'tp-1')).toBeUndefined();
  });
});
