/**
 * The Binance emulator checked by a client we did not write, unchanged: `ccxt.binance` (REST),
 * pointed at the emulator through its documented `urls.api` override, spot markets only. Also the
 * raw signed-request rules (signature over query + body, -1021 outside recvWindow, -1022 bad
 * signature, -1013 filter failure) with Binance's own error bodies.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ccxt from 'ccxt';
import { BinanceEmulator } from '../../emulators/binance';

const KEY = 'client-test-key';
const SECRET = 'client-test-secret';
let emu: BinanceEmulator;

beforeAll(async () => {
  emu = new BinanceEmulator({ apiKey: KEY, apiSecret: SECRET });
  await emu.start();
});
afterAll(async () => {
  await emu.stop();
});

function ccxtBinance(): InstanceType<typeof ccxt.binance> {
  const ex = new ccxt.binance({ apiKey: KEY, secret: SECRET, options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false, fetchMargins: false } });
  const api = ex.urls['api'] as Record<string, string>;
  ex.urls['api'] = { ...api, public: `${emu.url}/api/v3`, private: `${emu.url}/api/v3` };
  return ex;
}

async function signed(method: string, path: string, query: string, body = ''): Promise<{ status: number; json: unknown; weight: string | null }> {
  const sig = createHmac('sha256', SECRET)
    .update(query + body)
    .digest('hex');
  const res = await fetch(`${emu.url}${path}?${query}&signature=${sig}`, { method, headers: { 'X-MBX-APIKEY': KEY, 'content-type': 'application/x-www-form-urlencoded' }, ...(body ? { body } : {}) });
  return { status: res.status, json: await res.json(), weight: res.headers.get('x-mbx-used-weight-1m') };
}

describe('ccxt.binance (REST) against the Binance emulator', () => {
  it('loads spot markets with their filters, the book and the balance', async () => {
    const ex = ccxtBinance();
    const markets = await ex.loadMarkets();
    expect(markets['BTC/USDT']?.precision.price).toBe(0.01);
    expect(markets['BTC/USDT']?.limits.cost?.min).toBe(5);
    const book = await ex.fetchOrderBook('BTC/USDT');
    expect(book.bids[0]?.[0]).toBe(60000);
    expect(book.asks[0]?.[0]).toBe(60000.01);
    const balance = await ex.fetchBalance();
    expect(balance['USDT']?.free).toBe(1000000);
  });

  it('places, finds and cancels a limit order by its client id, and fills a market order', async () => {
    const ex = ccxtBinance();
    const placed = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 59000, { newClientOrderId: 'ccxt-1' });
    expect(placed.clientOrderId).toBe('ccxt-1');
    expect(placed.status).toBe('open');
    const id = String(placed.id);
    const found = await ex.fetchOrder(id, 'BTC/USDT');
    expect(found.price).toBe(59000);
    expect((await ex.fetchOpenOrders('BTC/USDT')).map((o) => o.clientOrderId)).toContain('ccxt-1');
    const canceled = await ex.cancelOrder(id, 'BTC/USDT');
    expect(canceled.status).toBe('canceled');
    const market = await ex.createOrder('BTC/USDT', 'market', 'buy', 0.001);
    expect(market.status).toBe('closed');
    expect(market.filled).toBe(0.001);
    const trades = await ex.fetchMyTrades('BTC/USDT');
    expect(trades.at(-1)?.price).toBe(60000.01);
  });

  it('maps Binance error codes to ccxt’s errors (filter failure, unknown order)', async () => {
    const ex = ccxtBinance();
    await expect(ex.createOrder('BTC/USDT', 'limit', 'buy', 0.00001, 59000)).rejects.toThrow(/NOTIONAL/);
    await expect(ex.cancelOrder('999999', 'BTC/USDT')).rejects.toBeInstanceOf(ccxt.OrderNotFound);
  });
});

describe('signed requests (raw)', () => {
  it('accepts the signature over query + body and reports the used weight', async () => {
    const before = emu.orders.length;
    const r = await signed('POST', '/api/v3/order/test', `timestamp=${Date.now()}`, 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=59000&computeCommissionRates=true');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ standardCommissionForOrder: { maker: '0.001', taker: '0.001' } });
    expect(Number(r.weight)).toBeGreaterThan(0);
    expect(emu.orders.length).toBe(before);
  });

  it('refuses a stale timestamp with -1021, a bad signature with -1022, a lot below the step with -1013', async () => {
    expect((await signed('GET', '/api/v3/account', `timestamp=${Date.now() - 10_000}&recvWindow=5000`)).json).toEqual({ code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' });
    const res = await fetch(`${emu.url}/api/v3/account?timestamp=${Date.now()}&signature=${'0'.repeat(64)}`, { headers: { 'X-MBX-APIKEY': KEY } });
    expect(await res.json()).toEqual({ code: -1022, msg: 'Signature for this request is not valid.' });
    const lot = await signed('POST', '/api/v3/order', `symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.000015&price=59000&timestamp=${Date.now()}`);
    expect(lot).toMatchObject({ status: 400, json: { code: -1013, msg: 'Filter failure: LOT_SIZE' } });
    const tick = await signed('POST', '/api/v3/order', `symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=59000.005&timestamp=${Date.now()}`);
    expect(tick).toMatchObject({ status: 400, json: { code: -1013, msg: 'Filter failure: PRICE_FILTER' } });
  });
});
