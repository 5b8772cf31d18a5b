/**
 * The Kraken emulator's WS v2 side checked with ccxt.pro kraken, unchanged but for its URLs:
 * `watchOrderBook` with ccxt's checksum verification on (every snapshot and update must pass
 * ccxt's own CRC32 comparison), and `watchOrders` on the private `executions` channel.
 *
 * ccxt 4.5 passes the numbers it parsed to a formatter that expects strings (a TypeError with the
 * checksum on), so `formatNumber` gets them as text at the pair's precision (price 1 dp, qty 8 dp);
 * the comparison itself is ccxt's.
 */
import ccxt from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKrakenEmulator, type KrakenEmulator } from '../../emulators/kraken';
import { until } from '../../support/until';

let emu: KrakenEmulator;
let ex: InstanceType<typeof ccxt.pro.kraken>;

beforeAll(async () => {
  emu = await startKrakenEmulator({ counterMax: 1000 });
  ex = new ccxt.pro.kraken({ apiKey: emu.apiKey, secret: emu.apiSecret, enableRateLimit: false, options: { watchOrderBook: { checksum: true } } });
  const api = ex.urls['api'] as Record<string, unknown>;
  api['public'] = emu.url;
  api['private'] = emu.url;
  api['ws'] = { ...(api['ws'] as Record<string, string>), publicV2: emu.wsUrl, privateV2: emu.wsUrl };
  const format = ex.formatNumber.bind(ex) as (v: unknown) => string;
  let k = 0;
  (ex as unknown as { formatNumber: (v: unknown) => string }).formatNumber = (v) => format(typeof v === 'number' ? v.toFixed(k++ % 2 === 0 ? 1 : 8) : v);
  // ccxt needs its plain-HTTP agent loaded before it opens a ws:// (non-TLS) socket.
  await ex.loadHttpProxyAgent();
  await ex.loadMarkets();
});

afterAll(async () => {
  await ex.close();
  await emu.stop();
});

describe('ccxt.pro kraken against the Kraken emulator (WS v2)', () => {
  it('watchOrderBook: ccxt accepts our checksums on the snapshot and on every update, and its book equals ours', async () => {
    emu.book.set(
      Array.from({ length: 12 }, (_, i) => [(99.9 - i * 0.1).toFixed(1), (0.5 + i).toFixed(8)] as [string, string]),
      Array.from({ length: 12 }, (_, i) => [(100.1 + i * 0.1).toFixed(1), (0.25 + i).toFixed(8)] as [string, string]),
    );
    const first = await ex.watchOrderBook('BTC/USD', 10);
    expect(first.bids[0]).toEqual([99.9, 0.5]);
    const next = ex.watchOrderBook('BTC/USD', 10);
    emu.book.update(
      [],
      [
        ['100.1', '0'],
        ['100.0', '0.01000000'],
      ],
    );
    const b = await next;
    expect(b.asks[0]).toEqual([100, 0.01]);
    const ours = emu.book.levels();
    expect(b.asks.slice(0, 10).map(([p, q]) => [p, q])).toEqual(ours.asks.slice(0, 10).map((l) => [Number(l.price), Number(l.qty)]));
    expect(b.bids.slice(0, 10).map(([p, q]) => [p, q])).toEqual(ours.bids.slice(0, 10).map((l) => [Number(l.price), Number(l.qty)]));
  });

  it('watchOrders: an order placed over REST arrives on the executions channel with its id, terms and cl_ord_id', async () => {
    const watching = ex.watchOrders('BTC/USD');
    // The subscription (with a GetWebSocketsToken token) is in place before the order is placed.
    await until(() => emu.book.executionSubscribers() > 0, { timeoutMs: 10_000, what: 'ccxt subscribed to executions' });
    const placed = await ex.createOrder('BTC/USD', 'limit', 'buy', 0.01, 90, { cl_ord_id: 'ccxt-pro-1' });
    let orders = await watching;
    while (!orders.some((o) => o.id === placed.id)) orders = await ex.watchOrders('BTC/USD');
    const o = orders.find((x) => x.id === placed.id)!;
    // ccxt reads its clientOrderId from order_userref; our cl_ord_id is in the raw event.
    expect(o.clientOrderId).toBe('0');
    expect((o.info as Record<string, unknown>)['cl_ord_id']).toBe('ccxt-pro-1');
    expect(o).toMatchObject({ side: 'buy', price: 90, amount: 0.01, symbol: 'BTC/USD' });
  });

  it("watchTrades: the trade channel's snapshot and updates arrive as ccxt trades with side, price and amount", async () => {
    emu.book.trade('sell', '99.8', '0.5', 'limit', Date.now());
    const first = ex.watchTrades('BTC/USD');
    let trades = await first;
    emu.book.trade('buy', '100.3', '0.125', 'market', Date.now());
    while (!trades.some((t) => t.price === 100.3)) trades = await ex.watchTrades('BTC/USD');
    expect(trades.find((t) => t.price === 100.3)).toMatchObject({ symbol: 'BTC/USD', side: 'buy', amount: 0.125 });
  });
});
