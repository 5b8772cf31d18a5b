/** GTD and notional orders through ccxt: the request params, and the local refusals where the exchange cannot carry them. */
import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { createOrderArgs, sendCreate } from '../../../src-main/engine/venues/ccxt/ccxt-mapping';
import { notionalSides } from '../../../src-main/engine/venues/ccxt/ccxt-order-terms';
import { ccxtCapabilities } from '../../../src-main/engine/venues/ccxt/ccxt-capabilities';
import type { Order } from '../../../src-main/engine/domain/order';

const base = { clientOrderId: 'tp-9', instrumentId: 'x', symbol: 'BTC/USD', side: 'buy', type: 'limit', qty: '0.02', limitPrice: '90.5', tif: 'gtc' } as unknown as Order;
const EXPIRE = Date.UTC(2026, 11, 5, 12, 0, 30, 750);

describe('GTD through ccxt', () => {
  it('Kraken: timeinforce GTD and expiretm in whole seconds, rounded down (the order never outlives the time asked)', () => {
    const a = createOrderArgs({ ...base, tif: 'gtd', expireAt: EXPIRE }, 'BTC/USD', false, 'tp-9', { exchange: 'kraken', notionalSides: [] });
    expect(a.params).toEqual({ clientOrderId: 'tp-9', timeInForce: 'GTD', expiretm: String(Math.floor(EXPIRE / 1000)) });
  });

  it('refused where the expiry parameter is not known, and without an expiry time', () => {
    expect(() => createOrderArgs({ ...base, tif: 'gtd', expireAt: EXPIRE }, 'BTC/USDT', false, 'tp-9', { exchange: 'bybit', notionalSides: [] })).toThrow(
      /Good-till-date orders are not available on bybit/,
    );
    expect(() => createOrderArgs({ ...base, tif: 'gtd' }, 'BTC/USD', false, 'tp-9', { exchange: 'kraken', notionalSides: [] })).toThrow(/needs an expiry time/);
  });
});

describe('GTD on Binance futures through ccxt.binance', () => {
  const perp = { ...base, symbol: 'BTC/USDT:PERP', tif: 'gtd', expireAt: EXPIRE } as Order;
  const terms = { exchange: 'binance', notionalSides: [] };

  it("a linear swap: timeInForce GTD with goodTillDate in UTC ms, which ccxt.binance's own request carries to /fapi/v1/order", () => {
    const a = createOrderArgs(perp, 'BTC/USDT:USDT', true, 'tp-9', terms);
    expect(a.params).toEqual({ clientOrderId: 'tp-9', timeInForce: 'GTD', goodTillDate: EXPIRE });
    const ex = new ccxt.binance();
    ex.setMarkets([
      {
        id: 'BTCUSDT',
        symbol: 'BTC/USDT:USDT',
        base: 'BTC',
        quote: 'USDT',
        settle: 'USDT',
        type: 'swap',
        spot: false,
        swap: true,
        contract: true,
        linear: true,
        contractSize: 1,
        active: true,
        precision: { amount: 0.001, price: 0.1 },
        limits: { amount: {}, price: {}, cost: {} },
        // exchangeInfo's order types for the symbol (ccxt checks the type against them).
        info: { orderTypes: ['LIMIT', 'MARKET'] },
      } as never,
    ]);
    const request = ex.createOrderRequest('BTC/USDT:USDT', a.type, a.side, a.amount, a.price, a.params) as Record<string, unknown>;
    expect(request).toMatchObject({ symbol: 'BTCUSDT', type: 'LIMIT', timeInForce: 'GTD', goodTillDate: EXPIRE, newClientOrderId: 'tp-9' });
  });

  it('spot is refused (Binance spot has no GTD), and the venue declares GTD only with futures markets loaded', () => {
    expect(() => createOrderArgs({ ...perp, symbol: 'BTC/USDT' }, 'BTC/USDT', false, 'tp-9', terms)).toThrow(/binance takes good-till-date orders on futures only; BTC\/USDT is spot/);
    const bn = new ccxt.binance();
    const caps = (contracts: boolean) => ccxtCapabilities(bn.has as Record<string, unknown>, bn.features as Record<string, unknown>, 'binance', contracts).tifs;
    expect(caps(true)).toContain('gtd');
    expect(caps(false)).not.toContain('gtd');
    for (const id of ['bybit', 'okx', 'kucoin', 'hyperliquid'] as const) {
      const ex = new ccxt[id]();
      expect(ccxtCapabilities(ex.has as Record<string, unknown>, ex.features as Record<string, unknown>, id, true).tifs).not.toContain('gtd');
    }
  });
});

describe('notional through ccxt', () => {
  const market = { ...base, type: 'market', qty: '0', limitPrice: undefined, notional: '25.5' } as unknown as Order;

  it('the sides come from ccxt has: Kraken buys by cost only, Bybit and Binance both ways', () => {
    expect(notionalSides(new ccxt.kraken().has as Record<string, unknown>)).toEqual(['buy']);
    expect(notionalSides(new ccxt.bybit().has as Record<string, unknown>)).toEqual(['buy', 'sell']);
    expect(notionalSides(new ccxt.binance().has as Record<string, unknown>)).toEqual(['buy', 'sell']);
  });

  it('a market order by cost, sent with create…OrderWithCost on its side', async () => {
    const a = createOrderArgs(market, 'BTC/USDT', false, 'tp-9', { exchange: 'binance', notionalSides: ['buy', 'sell'] });
    expect(a).toMatchObject({ type: 'market', side: 'buy', amount: 0, cost: 25.5, params: { clientOrderId: 'tp-9' } });
    const calls: unknown[][] = [];
    const ex = {
      createOrder: async (...xs: unknown[]) => void calls.push(['createOrder', ...xs]),
      createMarketBuyOrderWithCost: async (...xs: unknown[]) => void calls.push(['buy', ...xs]),
      createMarketSellOrderWithCost: async (...xs: unknown[]) => void calls.push(['sell', ...xs]),
    };
    await sendCreate(ex as never, a);
    await sendCreate(ex as never, createOrderArgs({ ...market, side: 'sell' }, 'BTC/USDT', false, 'tp-9', { exchange: 'binance', notionalSides: ['buy', 'sell'] }));
    expect(calls).toEqual([
      ['buy', 'BTC/USDT', 25.5, { clientOrderId: 'tp-9' }],
      ['sell', 'BTC/USDT', 25.5, { clientOrderId: 'tp-9' }],
    ]);
  });

  it('refused locally: a sell where only buys go by cost, a limit order, a derivative', () => {
    const kraken = { exchange: 'kraken', notionalSides: ['buy'] } as const;
    expect(() => createOrderArgs({ ...market, side: 'sell' }, 'BTC/USD', false, 'tp-9', kraken)).toThrow(/kraken takes no sell order sized in the quote currency/);
    expect(() => createOrderArgs({ ...market, type: 'limit', limitPrice: '90' }, 'BTC/USD', false, 'tp-9', kraken)).toThrow(/must be a market order/);
    expect(() => createOrderArgs(market, 'BTC/USDT:USDT', true, 'tp-9', { exchange: 'bybit', notionalSides: ['buy', 'sell'] })).toThrow(/is a derivative/);
  });
});
