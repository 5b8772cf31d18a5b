import { describe, expect, it } from 'vitest';
import { refuseIfPartlyFilled } from '../../../src-main/engine/venues/ccxt/ccxt-answers';
import type { Order } from '../../../src-main/engine/domain/order';

const order = (filledQty: string): Order => ({ clientOrderId: 'C1', qty: '0.5', filledQty }) as unknown as Order;

describe('ccxt: a partly filled order is not modified through editOrder', () => {
  it('passes an order nothing of which has filled, by the journal or the exchange', () => {
    expect(() => refuseIfPartlyFilled('binance', order('0'), '0')).not.toThrow();
    expect(() => refuseIfPartlyFilled('binance', order(''), undefined)).not.toThrow();
  });

  it('refuses on the journal’s figure when the exchange has none yet, naming what is left to place', () => {
    expect(() => refuseIfPartlyFilled('bybit', order('0.2'), undefined)).toThrow(
      'bybit: order C1 has already filled 0.2 of 0.5. Modifying it through ccxt could fill the whole quantity again (the exchange may carry the change out as cancel + new order); nothing was sent. Cancel it and place the remaining 0.3 as a new order.',
    );
  });

  it('takes the larger of the journal’s and the exchange’s figure; a fully filled order has nothing left to place', () => {
    expect(() => refuseIfPartlyFilled('okx', order('0.1'), '0.5')).toThrow(/has already filled 0\.5 of 0\.5\. .*nothing was sent\. Cancel it\.$/);
  });
});
