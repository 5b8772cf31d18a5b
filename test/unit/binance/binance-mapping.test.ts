/** Binance's wire shapes ↔ ours, both ways, and the filters checked before anything is sent. */
import { describe, expect, it } from 'vitest';
import type { Order } from '../../../src-main/engine/domain/order';
import { executionReport, fillFromExecution, fillFromTrade, orderParams, orderReport, reportFromExecution, wireOrder, wireType } from '../../../src-main/engine/venues/binance/binance-mapping';
import { filtersOf, symbolToInstrument, wireSymbol } from '../../../src-main/engine/venues/binance/binance-instruments';
import { filterProblem } from '../../../src-main/engine/venues/binance/binance-filters';
import { readBinanceSettings } from '../../../src-main/engine/venues/binance/binance-config';
import { hmacHex, signedQuery, signedWsParams } from '../../../src-main/engine/venues/binance/binance-auth';
import { binancePreview, feeRate } from '../../../src-main/engine/venues/binance/binance-preview';
import { VenueRejectedError } from '../../../src-main/engine/venues/venue-port';

const SYMBOL = wireSymbol.parse({
  symbol: 'BTCUSDT',
  status: 'TRADING',
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT'],
  isSpotTradingAllowed: true,
  filters: [
    { filterType: 'PRICE_FILTER', minPrice: '0.01000000', maxPrice: '1000000.00000000', tickSize: '0.01000000' },
    { filterType: 'LOT_SIZE', minQty: '0.00001000', maxQty: '9000.00000000', stepSize: '0.00001000' },
    { filterType: 'NOTIONAL', minNotional: '5.00000000', applyMinToMarket: true, maxNotional: '9000000.00000000', applyMaxToMarket: false, avgPriceMins: 5 },
  ],
});
const inst = symbolToInstrument('bn', SYMBOL)!;
const filters = filtersOf(SYMBOL);

function order(o: Partial<Order>): Order {
  return {
    id: 'o1',
    clientOrderId: 'T0000000001ABCDEFG',
    venue: 'bn',
    instrumentId: inst.id,
    symbol: inst.symbol,
    side: 'buy',
    type: 'limit',
    qty: '0.002',
    limitPrice: '50000.01',
    tif: 'gtc',
    status: 'pending_submit',
    filledQty: '0',
    avgFillPrice: '0',
    fees: '0',
    source: 'user',
    createdAt: 0,
    updatedAt: 0,
    ...o,
  } as Order;
}

describe('exchangeInfo → instrument', () => {
  it('takes tick, step, minimum quantity and minimum notional from the filters, trailing zeros dropped', () => {
    expect(inst).toMatchObject({
      id: 'bn:BTCUSDT',
      symbol: 'BTC/USDT',
      venueSymbol: 'BTCUSDT',
      base: 'BTC',
      quote: 'USDT',
      tickSize: '0.01',
      lotSize: '0.00001',
      minQty: '0.00001',
      minNotional: '5',
      assetClass: 'crypto_spot',
    });
  });
  it('skips a symbol that is not TRADING', () => {
    expect(symbolToInstrument('bn', { ...SYMBOL, status: 'BREAK' })).toBeUndefined();
  });
  it('reads the older MIN_NOTIONAL filter too', () => {
    const old = wireSymbol.parse({ ...SYMBOL, filters: [{ filterType: 'MIN_NOTIONAL', minNotional: '10.00000000' }] });
    expect(filtersOf(old)).toMatchObject({ minNotional: '10', applyMinToMarket: true });
  });
});

describe('our order → Binance parameters', () => {
  it('a limit: LIMIT with timeInForce, our client id as newClientOrderId', () => {
    expect(orderParams(inst, filters, order({}))).toEqual({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.002',
      price: '50000.01',
      newClientOrderId: 'T0000000001ABCDEFG',
      newOrderRespType: 'RESULT',
    });
  });
  it('post-only is LIMIT_MAKER (no timeInForce), a stop-limit is STOP_LOSS_LIMIT, a notional market is quoteOrderQty', () => {
    expect(orderParams(inst, filters, order({ postOnly: true }))).toMatchObject({ type: 'LIMIT_MAKER' });
    expect(orderParams(inst, filters, order({ postOnly: true }))['timeInForce']).toBeUndefined();
    expect(orderParams(inst, filters, order({ type: 'stop_limit', stopPrice: '49000', tif: 'ioc' }))).toMatchObject({
      type: 'STOP_LOSS_LIMIT',
      stopPrice: '49000',
      price: '50000.01',
      timeInForce: 'IOC',
    });
    const m = orderParams(inst, filters, order({ type: 'market', qty: '0', notional: '100', limitPrice: undefined, tif: 'ioc' }), '60000');
    expect(m).toMatchObject({ type: 'MARKET', quoteOrderQty: '100' });
    expect(m['quantity']).toBeUndefined();
    expect(m['timeInForce']).toBeUndefined();
  });
  it("refuses what Binance would refuse, naming Binance's filter and the value that passes", () => {
    const err = (o: Partial<Order>, ref?: string) => {
      try {
        orderParams(inst, filters, order(o), ref);
      } catch (e) {
        expect(e).toBeInstanceOf(VenueRejectedError);
        return (e as Error).message;
      }
      throw new Error('not refused');
    };
    expect(err({ limitPrice: '50000.005' })).toBe("Binance: Filter failure: PRICE_FILTER: the price 50000.005 is not a multiple of BTCUSDT's tick size 0.01; use 50000.");
    expect(err({ qty: '0.000015' })).toContain("LOT_SIZE: the quantity 0.000015 is not a multiple of BTCUSDT's step size 0.00001; use 0.00001.");
    expect(err({ qty: '0.00001', limitPrice: '100' })).toContain('NOTIONAL: the order is worth 0.001');
    expect(err({ type: 'market', qty: '0.00001', limitPrice: undefined, tif: 'ioc' }, '60000')).toContain('NOTIONAL');
    expect(err({ tif: 'day' })).toContain('GTC, IOC or FOK');
    expect(err({ type: 'trailing_stop' })).toContain('no trailing_stop orders');
  });
  it('filterProblem passes what fits every filter', () => {
    expect(filterProblem(filters, { symbol: 'BTCUSDT', type: 'LIMIT', qty: '0.002', price: '60000.01' })).toBeUndefined();
    expect(wireType({ type: 'stop' })).toBe('STOP_LOSS');
  });
});

describe('Binance → our reports', () => {
  const wire = wireOrder.parse({
    symbol: 'BTCUSDT',
    orderId: 42,
    orderListId: -1,
    clientOrderId: 'T0000000001ABCDEFG',
    price: '50000.01000000',
    origQty: '0.00200000',
    executedQty: '0.00100000',
    cummulativeQuoteQty: '50.00001000',
    status: 'PARTIALLY_FILLED',
    timeInForce: 'GTC',
    type: 'LIMIT',
    side: 'BUY',
    stopPrice: '0.00000000',
    time: 1,
    updateTime: 2,
  });
  it('a REST order, and back: the report carries the terms the parameters had', () => {
    const r = orderReport(wire, inst.id);
    expect(r).toMatchObject({
      clientOrderId: 'T0000000001ABCDEFG',
      venueOrderId: '42',
      status: 'partially_filled',
      filledQty: '0.001',
      avgFillPrice: '50000.01',
      side: 'buy',
      type: 'limit',
      qty: '0.002',
      limitPrice: '50000.01',
      tif: 'gtc',
      ts: 2,
    });
    expect(r.stopPrice).toBeUndefined();
    const again = orderParams(inst, filters, order({ side: r.side!, type: r.type!, qty: r.qty!, limitPrice: r.limitPrice!, tif: r.tif! }));
    expect(again).toMatchObject({ side: wire.side, type: wire.type, timeInForce: wire.timeInForce, quantity: '0.002', price: '50000.01' });
  });
  it('a cancel answer names our order by origClientOrderId', () => {
    expect(orderReport({ ...wire, clientOrderId: 'cancel9', origClientOrderId: 'T0000000001ABCDEFG', status: 'CANCELED' }, inst.id)).toMatchObject({
      clientOrderId: 'T0000000001ABCDEFG',
      status: 'cancelled',
    });
  });
  const exec = executionReport.parse({
    e: 'executionReport',
    E: 10,
    s: 'BTCUSDT',
    c: 'T0000000001ABCDEFG',
    S: 'SELL',
    o: 'LIMIT',
    f: 'GTC',
    q: '0.00200000',
    p: '70000.00000000',
    P: '0.00000000',
    C: '',
    x: 'TRADE',
    X: 'PARTIALLY_FILLED',
    r: 'NONE',
    i: 7,
    l: '0.00050000',
    z: '0.00050000',
    L: '70000.00000000',
    n: '0.03500000',
    N: 'USDT',
    T: 11,
    t: 99,
    m: true,
    Z: '35.00000000',
  });
  it('an executionReport TRADE: one report and one fill, fill id the same as the myTrades row gives', () => {
    expect(reportFromExecution(exec, inst.id)).toMatchObject({
      clientOrderId: 'T0000000001ABCDEFG',
      venueOrderId: '7',
      status: 'partially_filled',
      filledQty: '0.0005',
      avgFillPrice: '70000',
      side: 'sell',
      qty: '0.002',
      limitPrice: '70000',
    });
    const f = fillFromExecution(exec, inst.id)!;
    expect(f).toMatchObject({ venueFillId: 'BTCUSDT:99', qty: '0.0005', price: '70000', fee: '0.035', feeCurrency: 'USDT', liquidity: 'maker', side: 'sell', ts: 11 });
    const t = fillFromTrade(
      { symbol: 'BTCUSDT', id: 99, orderId: 7, price: '70000.00000000', qty: '0.00050000', commission: '0.03500000', commissionAsset: 'USDT', time: 11, isBuyer: false, isMaker: true },
      inst.id,
      'T0000000001ABCDEFG',
    );
    expect({ ...t, raw: undefined }).toEqual({ ...f, raw: undefined });
  });
  it('a cancel executionReport names our order by C; a NEW carries no fill', () => {
    expect(reportFromExecution({ ...exec, x: 'CANCELED', X: 'CANCELED', c: 'cancel1', C: 'T0000000001ABCDEFG' }, inst.id).clientOrderId).toBe('T0000000001ABCDEFG');
    expect(fillFromExecution({ ...exec, x: 'NEW', X: 'NEW', t: -1 }, inst.id)).toBeUndefined();
  });
});

describe('settings, signing, preview', () => {
  it('testnet=true moves every default to the testnet; overrides win; bad URLs are refused in words', () => {
    expect(readBinanceSettings({ testnet: 'true' })).toMatchObject({ restUrl: 'https://testnet.binance.vision', wsApiUrl: 'wss://ws-api.testnet.binance.vision/ws-api/v3' });
    expect(readBinanceSettings({ restUrl: 'http://127.0.0.1:7620/' }).restUrl).toBe('http://127.0.0.1:7620');
    expect(() => readBinanceSettings({ wsApiUrl: 'http://x' })).toThrow(/wsApiUrl must start with ws:\/\/ or wss:\/\//);
  });
  it("signs the query as sent (rest-api.md's HMAC example) and the WebSocket API's params sorted by name", () => {
    // The documented example: key vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A.
    const secret = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
    const payload = 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';
    expect(hmacHex(secret, payload)).toBe('c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71');
    const q = signedQuery({ apiKey: 'k', apiSecret: secret }, { symbol: 'LTCBTC', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '0.1' }, 1499827319559);
    expect(q).toBe(`${payload}&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71`);
    const ws = signedWsParams({ apiKey: 'k', apiSecret: 's' }, { timestamp: 5 });
    expect(ws['signature']).toBe(hmacHex('s', 'apiKey=k&timestamp=5'));
  });
  it('preview: the fee from order/test commissions (standard + tax + special), taker for a marketable order, and a shortfall is a violation', () => {
    const c = { standardCommissionForOrder: { maker: '0.001', taker: '0.002' }, taxCommissionForOrder: { maker: '0.0001', taker: '0.0001' }, specialCommissionForOrder: { maker: '0', taker: '0' } };
    expect(feeRate(c, true).toString()).toBe('0.0021');
    const p = binancePreview({
      inst,
      ticket: { side: 'buy', type: 'limit', qty: '1', limitPrice: '60000.01', tif: 'gtc' },
      quote: { instrumentId: inst.id, bid: '60000', ask: '60000.01', ts: 0 },
      account: { balances: [{ asset: 'USDT', free: '1000', locked: '0' }] },
      commissions: c,
    });
    expect(p).toMatchObject({ estPrice: '60000.01', estNotional: '60000.01', estFee: '126.000021', currency: 'USDT', buyingPowerBefore: '1000' });
    expect(p.violations.map((v) => v.code)).toEqual(['insufficient_funds']);
  });
});

describe('replacements', () => {
  it('client ids of replacements map back to ours, and the next one counts up', async () => {
    const { ourCidOf, replacementCid } = await import('../../../src-main/engine/venues/binance/binance-mapping');
    expect(replacementCid('T0000000001ABCDEFG')).toBe('T0000000001ABCDEFG.r1');
    expect(replacementCid('T0000000001ABCDEFG.r1')).toBe('T0000000001ABCDEFG.r2');
    expect(ourCidOf('T0000000001ABCDEFG.r12')).toBe('T0000000001ABCDEFG');
    expect(ourCidOf('web_abc.rx')).toBe('web_abc.rx');
  });
  it("a replacement's report gives the order's totals: what earlier orders of the chain executed is added", async () => {
    const { chainTotals } = await import('../../../src-main/engine/venues/binance/binance-replace');
    const { orderReport } = await import('../../../src-main/engine/venues/binance/binance-mapping');
    const Decimal = (await import('decimal.js')).default;
    // Total 0.004: 0.001 filled at 50000 on the original; the .r1 order holds 0.003, 0.001 of it filled at 47000.
    const link = wireOrder.parse({
      symbol: 'BTCUSDT',
      orderId: 9,
      clientOrderId: 'T0000000001ABCDEFG.r1',
      origQty: '0.00300000',
      executedQty: '0.00100000',
      cummulativeQuoteQty: '47.00000000',
      status: 'PARTIALLY_FILLED',
      type: 'LIMIT',
      side: 'BUY',
      price: '47000',
    });
    const r = chainTotals(orderReport(link, inst.id), { filled: new Decimal('0.001'), quote: new Decimal('50') }, link.cummulativeQuoteQty);
    expect(r).toMatchObject({ clientOrderId: 'T0000000001ABCDEFG', qty: '0.004', filledQty: '0.002', avgFillPrice: '48500', status: 'partially_filled' });
    expect(chainTotals(orderReport(link, inst.id), { filled: new Decimal(0), quote: new Decimal(0) }, link.cummulativeQuoteQty)).toMatchObject({ qty: '0.003', filledQty: '0.001' });
  });
});
