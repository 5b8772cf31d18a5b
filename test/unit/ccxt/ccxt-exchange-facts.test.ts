/** What the connector reads from ccxt's description of an exchange: markets, capabilities, errors, URLs, settings. */
import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { ccxtCapabilities } from '../../../src-main/engine/venues/ccxt/ccxt-capabilities';
import { readCcxtSettings } from '../../../src-main/engine/venues/ccxt/ccxt-config';
import { ccxtBoundaryError, exchangeWords } from '../../../src-main/engine/venues/ccxt/ccxt-errors';
import { missingCredentials, overrideUrls } from '../../../src-main/engine/venues/ccxt/ccxt-exchange';
import { DECIMAL_PLACES, TICK_SIZE, instrumentOf } from '../../../src-main/engine/venues/ccxt/ccxt-instruments';
import { budgetCost, ccxtLimits } from '../../../src-main/engine/venues/ccxt/ccxt-limits';
import { OutcomeUnknownError, VenueRejectedError } from '../../../src-main/engine/venues/venue-port';

const names = { venue: 'byb', exchange: 'bybit', displayName: 'Bybit' };

describe('ccxt instruments', () => {
  it('a linear perpetual: our symbol, tick and lot from TICK_SIZE precision, minimums from limits', () => {
    const i = instrumentOf(
      'byb',
      {
        id: 'BTCUSDT',
        symbol: 'BTC/USDT:USDT',
        base: 'BTC',
        quote: 'USDT',
        settle: 'USDT',
        type: 'swap',
        contract: true,
        contractSize: 1,
        precision: { amount: 0.001, price: 0.1 },
        limits: { amount: { min: 0.001 }, cost: { min: 5 } },
      },
      TICK_SIZE,
    );
    expect(i).toMatchObject({
      id: 'byb:BTC/USDT:USDT',
      venueSymbol: 'BTC/USDT:USDT',
      symbol: 'BTC/USDT:PERP',
      assetClass: 'perpetual',
      tickSize: '0.1',
      lotSize: '0.001',
      minQty: '0.001',
      minNotional: '5',
      multiplier: '1',
      quote: 'USDT',
    });
  });

  it('DECIMAL_PLACES precision and an option', () => {
    const i = instrumentOf(
      'okx',
      {
        id: 'BTC-USD-250328-60000-C',
        symbol: 'BTC/USD:BTC-250328-60000-C',
        base: 'BTC',
        quote: 'USD',
        settle: 'BTC',
        type: 'option',
        contract: true,
        contractSize: 0.01,
        expiryDatetime: '2025-03-28T08:00:00.000Z',
        strike: 60000,
        optionType: 'call',
        precision: { amount: 0, price: 4 },
      },
      DECIMAL_PLACES,
    );
    expect(i).toMatchObject({
      symbol: 'BTC/USD:BTC-250328-60000-C',
      assetClass: 'option',
      tickSize: '0.0001',
      lotSize: '1',
      expiry: '20250328',
      strike: '60000',
      right: 'C',
      multiplier: '0.01',
      quote: 'BTC',
    });
  });
});

describe('ccxt capabilities from has / features', () => {
  it('Bybit: triggers, IOC/FOK, post-only, reduce-only for its swaps, spot market orders by cost; no GTD', () => {
    const ex = new ccxt.bybit();
    expect(ccxtCapabilities(ex.has as Record<string, unknown>, ex.features as Record<string, unknown>, 'bybit')).toEqual({
      orderTypes: ['market', 'limit', 'stop', 'stop_limit'],
      tifs: ['gtc', 'ioc', 'fok'],
      extendedHours: false,
      brackets: false,
      oca: false,
      postOnly: true,
      reduceOnly: true,
      notional: true,
    });
  });

  it('an exchange without features gets market and limit GTC only', () => {
    expect(ccxtCapabilities({ createOrder: true }, undefined)).toMatchObject({ orderTypes: ['market', 'limit'], tifs: ['gtc'], postOnly: false, reduceOnly: false });
  });

  it('OKX, KuCoin, Hyperliquid and Kraken as ccxt describes them', () => {
    const caps = (id: 'okx' | 'kucoin' | 'hyperliquid' | 'kraken') => {
      const ex = new ccxt[id]();
      return ccxtCapabilities(ex.has as Record<string, unknown>, ex.features as Record<string, unknown>);
    };
    expect(caps('okx').reduceOnly).toBe(true);
    expect(caps('kucoin')).toMatchObject({ reduceOnly: true, postOnly: true, tifs: ['gtc', 'ioc', 'fok'] });
    expect(caps('hyperliquid').orderTypes).toContain('limit');
    // ccxt.kraken is spot only (futures are ccxt.krakenfutures): no reduce-only.
    expect(caps('kraken')).toMatchObject({ reduceOnly: false, orderTypes: ['market', 'limit'] });
    // GTD where the expiry parameter is documented (Kraken's expiretm), not elsewhere.
    const kraken = new ccxt.kraken();
    expect(ccxtCapabilities(kraken.has as Record<string, unknown>, kraken.features as Record<string, unknown>, 'kraken').tifs).toContain('gtd');
    const okx = new ccxt.okx();
    expect(ccxtCapabilities(okx.has as Record<string, unknown>, okx.features as Record<string, unknown>, 'okx').tifs).not.toContain('gtd');
  });
});

describe('ccxt errors', () => {
  it("the exchange's words out of ccxt's message", () => {
    expect(exchangeWords('bybit {"retCode":110007,"retMsg":"Insufficient available balance","result":{}}', 'bybit')).toEqual({ text: 'Insufficient available balance', code: '110007' });
    expect(exchangeWords('binance {"code":-2010,"msg":"Account has insufficient balance"}', 'binance')).toEqual({ text: 'Account has insufficient balance', code: '-2010' });
    expect(exchangeWords('kraken EOrder:Insufficient funds', 'kraken')).toEqual({ text: 'EOrder:Insufficient funds' });
  });

  it('refusals are rejected with the words; network trouble on a submit is unknown', () => {
    const refused = ccxtBoundaryError(new ccxt.InsufficientFunds('bybit {"retCode":110007,"retMsg":"Insufficient available balance"}'), ccxt, names, 'submit');
    expect(refused).toBeInstanceOf(VenueRejectedError);
    expect(refused.message).toBe('Bybit refused the submit: Insufficient available balance (code 110007).');
    expect(ccxtBoundaryError(new ccxt.InvalidOrder('bybit {"retCode":110072,"retMsg":"OrderLinkedID is duplicate"}'), ccxt, names, 'submit')).toBeInstanceOf(VenueRejectedError);
    expect(ccxtBoundaryError(new ccxt.AuthenticationError('bybit {"retCode":10004,"retMsg":"error sign!"}'), ccxt, names, 'submit').message).toMatch(/tradeport secret set byb/);
    expect(ccxtBoundaryError(new ccxt.RequestTimeout('bybit POST … request timed out'), ccxt, names, 'submit')).toBeInstanceOf(OutcomeUnknownError);
    expect(ccxtBoundaryError(new ccxt.NetworkError('bybit fetch failed'), ccxt, names, 'submit')).toBeInstanceOf(OutcomeUnknownError);
    expect(ccxtBoundaryError(new ccxt.ExchangeNotAvailable('bybit 503'), ccxt, names, 'submit')).toBeInstanceOf(OutcomeUnknownError);
  });
});

describe('ccxt connection facts', () => {
  it('the URL override replaces every REST host and keeps each path', () => {
    expect(overrideUrls({ public: 'https://api.binance.com/api/v3', fapi: 'https://fapi.binance.com/fapi/v1', nested: { x: 'https://api.{hostname}' } }, 'http://127.0.0.1:9')).toEqual({
      public: 'http://127.0.0.1:9/api/v3',
      fapi: 'http://127.0.0.1:9/fapi/v1',
      nested: { x: 'http://127.0.0.1:9' },
    });
  });

  it("credentials as the exchange requires them (ccxt's requiredCredentials)", () => {
    expect(missingCredentials(new ccxt.okx().requiredCredentials as Record<string, unknown>, { apiKey: 'k', secret: 's' }, 'okx1', 'OKX')).toBe(
      'OKX needs password; set it with: tradeport secret set okx1 password',
    );
    expect(missingCredentials(new ccxt.hyperliquid().requiredCredentials as Record<string, unknown>, {}, 'hl', 'Hyperliquid')).toMatch(/walletAddress, privateKey/);
    expect(missingCredentials(new ccxt.bybit().requiredCredentials as Record<string, unknown>, { apiKey: 'k', secret: 's' }, 'b', 'Bybit')).toBeUndefined();
  });

  it('the budget comes from ccxt’s rateLimit, and an endpoint cost never exceeds it', () => {
    const l = ccxtLimits('bybit', 20);
    expect(l.budgets[0]).toMatchObject({ limit: 50, windowMs: 1000 });
    expect(ccxtLimits('kraken', 3000).budgets[0]).toMatchObject({ limit: 1, windowMs: 3000 });
    expect(budgetCost(l, 2.5)).toBe(2.5);
    expect(budgetCost(l, 500)).toBe(50);
  });

  it('settings: a ccxt id, a market type, sandbox, an http(s) override', () => {
    expect(readCcxtSettings({ exchange: 'bybit', urlOverride: 'http://127.0.0.1:7620/' })).toEqual({
      exchange: 'bybit',
      defaultType: 'spot',
      sandbox: false,
      urlOverride: 'http://127.0.0.1:7620',
      pollMs: 1000,
      reconcileMs: 30000,
      ccxtOptions: {},
    });
    expect(readCcxtSettings({ exchange: 'hyperliquid', defaultType: 'swap', sandbox: 'true' })).toMatchObject({ defaultType: 'swap', sandbox: true });
    expect(() => readCcxtSettings({ exchange: 'By Bit' })).toThrow(/ccxt exchange id/);
    expect(() => readCcxtSettings({ exchange: 'bybit', urlOverride: 'ftp://x' })).toThrow(/http:\/\/ or https:\/\//);
    expect(() => readCcxtSettings({})).toThrow(/required/);
    expect(readCcxtSettings({ exchange: 'binance', ccxtOptions: '{"fetchCurrencies":false}' }).ccxtOptions).toEqual({ fetchCurrencies: false });
    expect(() => readCcxtSettings({ exchange: 'binance', ccxtOptions: '[1]' })).toThrow(/must be a JSON object/);
  });
});
