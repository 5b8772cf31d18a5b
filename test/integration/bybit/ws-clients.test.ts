/**
 * The Bybit v5 emulator's WebSocket checked with `ccxt.pro.bybit` unchanged (only its URLs point
 * here): the public order book, and the private order and execution topics after `op: auth`.
 */
import ccxt from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BybitEmulator } from '../../emulators/bybit';
import { until } from '../../support/until';

const KEY = 'bybit-key';
const SECRET = 'bybit-secret';
let emu: BybitEmulator;

/** ccxt.pro asks for its http agent to be loaded before it opens a plain ws:// URL (the emulator's). */
async function proClient(secret = SECRET): Promise<InstanceType<typeof ccxt.pro.bybit>> {
  const ex = new ccxt.pro.bybit({ apiKey: KEY, secret, enableRateLimit: false });
  const ws = `ws://127.0.0.1:${emu.server.port}`;
  ex.urls['api'] = {
    spot: emu.url,
    futures: emu.url,
    v2: emu.url,
    public: emu.url,
    private: emu.url,
    ws: { public: { spot: `${ws}/v5/public/spot`, linear: `${ws}/v5/public/linear` }, private: { contract: `${ws}/v5/private`, unified: `${ws}/v5/private` } },
  };
  await ex.loadHttpProxyAgent();
  return ex;
}

beforeAll(async () => {
  emu = new BybitEmulator({ apiKey: KEY, secret: SECRET });
  await emu.start();
});
afterAll(() => emu.stop());

describe('ccxt.pro.bybit against the Bybit emulator', () => {
  it('watches the order book: a snapshot on subscribe', async () => {
    const ex = await proClient();
    try {
      const book = await ex.watchOrderBook('BTC/USDT');
      expect([book.bids[0], book.asks[0]]).toEqual([
        [99990, 1.5],
        [100010, 2],
      ]);
    } finally {
      await ex.close();
    }
  });

  it('watches our orders and executions after authenticating', async () => {
    const ex = await proClient();
    try {
      await ex.loadMarkets();
      const orders = ex.watchOrders();
      const trades = ex.watchMyTrades();
      // Both subscriptions are confirmed before the order exists, so its events cannot be missed.
      await until(() => emu.stream.subscribers('order') > 0 && emu.stream.subscribers('execution') > 0, { timeoutMs: 10_000, what: 'order and execution subscribed' });
      const created = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 90000, { clientOrderId: 'ws-1' });
      const seen = await orders;
      expect(seen.map((o) => [o.id, o.clientOrderId, o.status])).toContainEqual([created.id, 'ws-1', 'open']);
      emu.fill({ orderLinkId: 'ws-1' });
      const fills = await trades;
      expect(fills.map((t) => [t.order, t.amount, t.price, t.side])).toEqual([[created.id, 0.01, 90000, 'buy']]);
    } finally {
      await ex.close();
    }
  });

  it('refuses a wrong signature on auth', async () => {
    const ex = await proClient('wrong');
    try {
      await ex.loadMarkets().catch(() => undefined);
      await expect(ex.watchOrders()).rejects.toThrow();
    } finally {
      await ex.close();
    }
  });
});
