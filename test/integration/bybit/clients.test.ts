/**
 * The Bybit v5 emulator checked with an independent client, `ccxt.bybit`, unchanged: only its
 * `urls.api` points at the emulator. ccxt signs every private call with the X-BAPI-* headers, so
 * each private answer below is also a signature check.
 */
import ccxt from 'ccxt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BybitEmulator } from '../../emulators/bybit';

const KEY = 'bybit-key';
const SECRET = 'bybit-secret';
let emu: BybitEmulator;

function client(secret = SECRET): InstanceType<typeof ccxt.bybit> {
  const ex = new ccxt.bybit({ apiKey: KEY, secret, enableRateLimit: false });
  ex.urls['api'] = { spot: emu.url, futures: emu.url, v2: emu.url, public: emu.url, private: emu.url };
  return ex;
}

beforeAll(async () => {
  emu = new BybitEmulator({ apiKey: KEY, secret: SECRET });
  await emu.start();
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());

describe('ccxt.bybit against the Bybit emulator', () => {
  it('loads spot and linear markets with precision and limits from instruments-info', async () => {
    const ex = client();
    const markets = await ex.loadMarkets();
    expect(markets['BTC/USDT']).toMatchObject({ spot: true, id: 'BTCUSDT', precision: { price: 0.01, amount: 0.000001 }, limits: { amount: { min: 0.000048 } } });
    expect(markets['BTC/USDT:USDT']).toMatchObject({ swap: true, linear: true, settle: 'USDT', precision: { price: 0.1, amount: 0.001 } });
    expect(await ex.fetchTime()).toBeGreaterThan(0);
  });

  it('creates, lists, amends, fetches and cancels a spot limit order by our client id', async () => {
    const ex = client();
    const o = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 90000, { clientOrderId: 'tp-1' });
    const id = o.id ?? '';
    expect(id).toMatch(/^bb-/);
    const open = await ex.fetchOpenOrders('BTC/USDT');
    expect(open.map((x) => [x.clientOrderId, x.status, x.amount, x.price])).toEqual([['tp-1', 'open', 0.01, 90000]]);
    await ex.editOrder(id, 'BTC/USDT', 'limit', 'buy', 0.02, 91000);
    const amended = await ex.fetchOpenOrders('BTC/USDT');
    expect(amended.map((x) => [x.amount, x.price])).toEqual([[0.02, 91000]]);
    await ex.cancelOrder(id, 'BTC/USDT');
    expect(await ex.fetchOpenOrders('BTC/USDT')).toEqual([]);
    const closed = await ex.fetchClosedOrders('BTC/USDT');
    expect(closed.map((x) => [x.clientOrderId, x.status])).toEqual([['tp-1', 'canceled']]);
  });

  it('reports fills as executions and in the wallet balance; cancel-all empties the book', async () => {
    const ex = client();
    await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.5, 90000, { clientOrderId: 'tp-2' });
    await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.1, 80000, { clientOrderId: 'tp-3' });
    const res = await fetch(`${emu.url}/__control/fill`, { method: 'POST', body: JSON.stringify({ orderLinkId: 'tp-2', qty: '0.2' }) });
    expect(res.status).toBe(200);
    const trades = await ex.fetchMyTrades('BTC/USDT');
    expect(trades.map((t) => [t.amount, t.price, t.side])).toEqual([[0.2, 90000, 'buy']]);
    const bal = await ex.fetchBalance();
    expect(bal['USDT']?.total).toBe(1000000 - 18000);
    await ex.cancelAllOrders('BTC/USDT');
    expect(await ex.fetchOpenOrders('BTC/USDT')).toEqual([]);
  });

  it('shows a linear perpetual position after a market buy', async () => {
    const ex = client();
    await ex.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.01, undefined, { clientOrderId: 'tp-4' });
    const positions = await ex.fetchPositions(['BTC/USDT:USDT']);
    expect(positions.map((p) => [p.symbol, p.side, p.contracts, p.entryPrice, p.leverage])).toEqual([['BTC/USDT:USDT', 'long', 0.01, 100000, 10]]);
    expect(positions[0]?.liquidationPrice).toBe(90000);
  });

  it("refuses a wrong signature and a duplicate client id in Bybit's words", async () => {
    await expect(client('wrong').fetchBalance()).rejects.toThrow(/error sign/);
    const ex = client();
    await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 90000, { clientOrderId: 'tp-5' });
    await expect(ex.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 90000, { clientOrderId: 'tp-5' })).rejects.toThrow(ccxt.InvalidOrder);
  });

  it('a lost create response leaves the order at the venue, found by client id; a 5xx surfaces its status', async () => {
    const ex = client();
    await ex.loadMarkets();
    emu.server.faults.arm({ kind: 'lose-response', count: 1, path: '/v5/order/create' });
    await expect(ex.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 90000, { clientOrderId: 'tp-6' })).rejects.toThrow(ccxt.NetworkError);
    const open = await ex.fetchOpenOrders('BTC/USDT');
    expect(open.map((x) => x.clientOrderId)).toEqual(['tp-6']);
    emu.server.faults.arm({ kind: '5xx', count: 1, status: 503 });
    await expect(ex.fetchOpenOrders('BTC/USDT')).rejects.toThrow(/503/);
  });

  it('reads the order book and ticker', async () => {
    const ex = client();
    const book = await ex.fetchOrderBook('BTC/USDT');
    expect(book.bids[0]).toEqual([99990, 1.5]);
    const t = await ex.fetchTicker('BTC/USDT:USDT');
    expect([t.bid, t.ask, t.last]).toEqual([99990, 100010, 100000]);
  });
});
