/**
 * The Alpaca emulator checked by clients we did not write, unchanged: the official
 * `@alpacahq/alpaca-trade-api` (REST, trade stream, msgpack stock stream) and `ccxt.alpaca`.
 * Only their documented overrides are used (a request middleware that swaps the host, stream
 * `url`s, ccxt's `urls.api`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Alpaca } from '@alpacahq/alpaca-trade-api';
import ccxt from 'ccxt';
import { AlpacaEmulator } from '../../emulators/alpaca';
import { until } from '../../support/until';

const KEY = 'PKCLIENTTEST';
const SECRET = 'client-test-secret';
// Wednesday 2026-11-18 10:00 New York: the regular session, advancing with real time.
const started = Date.now();
const now = (): number => Date.UTC(2026, 10, 18, 15, 0, 0) + (Date.now() - started);

let emu: AlpacaEmulator;
let alpaca: Alpaca;

beforeAll(async () => {
  emu = new AlpacaEmulator({ keyId: KEY, secret: SECRET, now });
  await emu.start();
  const rewrite = (u: string): string => u.replace(/^https:\/\/(paper-api|api|data)\.alpaca\.markets/, emu.url);
  alpaca = new Alpaca({ keyId: KEY, secret: SECRET, paper: true, retry: false, middleware: [{ pre: async (ctx) => ({ url: rewrite(ctx.url), init: ctx.init }) }] });
});
afterAll(async () => {
  await emu.stop();
});

describe('official SDK @alpacahq/alpaca-trade-api against the Alpaca emulator', () => {
  it('account in today’s schema (no PDT fields), assets, clock and calendar with a holiday', async () => {
    const account = await alpaca.trading.account.getAccount();
    expect(account.status).toBe('ACTIVE');
    expect(Number(account.buyingPower)).toBeGreaterThan(0);
    const raw = (await (await fetch(`${emu.url}/v2/account`, { headers: { 'APCA-API-KEY-ID': KEY, 'APCA-API-SECRET-KEY': SECRET } })).json()) as Record<string, unknown>;
    expect(raw).not.toHaveProperty('pattern_day_trader');
    expect(raw).not.toHaveProperty('daytrade_count');
    expect(raw).not.toHaveProperty('daytrading_buying_power');
    const assets = await alpaca.trading.assets.getV2Assets({ status: 'active', assetClass: 'crypto' });
    expect(assets.map((a) => a.symbol)).toContain('BTC/USD');
    const clock = await alpaca.trading.clock.legacyClock();
    expect(clock.isOpen).toBe(true);
    const days = await alpaca.trading.calendar.legacyCalendar({ start: new Date('2026-11-25'), end: new Date('2026-11-30') });
    // Thanksgiving (26th) is closed; the 27th closes at 13:00.
    const ymd = days.map((d) => new Date(d.date).toISOString().slice(0, 10));
    expect(ymd).toEqual(['2026-11-25', '2026-11-27', '2026-11-30']);
    expect(days[1]?.close).toBe('13:00');
  });

  it('orders: place, look up by client id, replace (new id, linked), cancel (204), cancel all (207)', async () => {
    const placed = await alpaca.trading.orders.postOrder({
      postOrderRequest: { symbol: 'AAPL', qty: '2', side: 'buy', type: 'limit', timeInForce: 'day', limitPrice: '150', clientOrderId: 'sdk-1' } as never,
    });
    expect(placed.status).toBe('new');
    const found = await alpaca.trading.orders.getOrderByClientOrderId({ clientOrderId: 'sdk-1' });
    expect(found.id).toBe(placed.id);
    const replaced = await alpaca.trading.orders.patchOrderByOrderId({ orderId: placed.id!, patchOrderRequest: { limitPrice: '151' } as never });
    expect(replaced.id).not.toBe(placed.id);
    expect(replaced.replaces).toBe(placed.id);
    expect((await alpaca.trading.orders.getOrderByOrderID({ orderId: placed.id! })).replacedBy).toBe(replaced.id);
    await alpaca.trading.orders.deleteOrderByOrderID({ orderId: replaced.id! });
    expect((await alpaca.trading.orders.getOrderByOrderID({ orderId: replaced.id! })).status).toBe('canceled');
    await alpaca.trading.orders.postOrder({ postOrderRequest: { symbol: 'MSFT', qty: '1', side: 'buy', type: 'limit', timeInForce: 'gtc', limitPrice: '300', clientOrderId: 'sdk-2' } as never });
    const all = await alpaca.trading.orders.deleteAllOrders();
    expect(all).toHaveLength(1);
    expect(all[0]?.status).toBe(200);
  });

  it('a market order fills; the fill is in account activities and the position appears', async () => {
    const o = await alpaca.trading.orders.postOrder({ postOrderRequest: { symbol: 'SPY', qty: '3', side: 'buy', type: 'market', timeInForce: 'day', clientOrderId: 'sdk-3' } as never });
    expect((await alpaca.trading.orders.getOrderByOrderID({ orderId: o.id! })).status).toBe('filled');
    const fills = await alpaca.trading.accountActivities.getAccountActivitiesByActivityType({ activityType: 'FILL' } as never);
    expect(fills).toEqual([expect.objectContaining({ activityType: 'FILL', symbol: 'SPY', qty: '3' })]);
    const positions = await alpaca.trading.positions.getAllOpenPositions();
    expect(positions.find((p) => p.symbol === 'SPY')?.qty).toBe('3');
  });

  it('trade stream: authenticate, listen, and binary trade_updates for new and fill', async () => {
    const stream = alpaca.trading.stream({ url: emu.server.streamUrl });
    const events: string[] = [];
    stream.onTradeUpdate((u) => events.push(`${u.event}:${u.order.clientOrderId}`));
    stream.onConnect(() => stream.subscribeTradeUpdates());
    stream.connect();
    try {
      await until(() => emu.trades.listeners === 1, { timeoutMs: 10_000, what: 'SDK listening' });
      await alpaca.trading.orders.postOrder({ postOrderRequest: { symbol: 'AAPL', qty: '1', side: 'buy', type: 'limit', timeInForce: 'gtc', limitPrice: '180', clientOrderId: 'sdk-4' } as never });
      await fetch(`${emu.url}/__control/fill`, { method: 'POST', body: JSON.stringify({ client_order_id: 'sdk-4', qty: '1', price: '180' }) });
      await until(() => events.includes('fill:sdk-4'), { timeoutMs: 10_000, what: 'fill event' });
      expect(events).toContain('new:sdk-4');
    } finally {
      stream.disconnect();
    }
  });

  it('stock stream (msgpack): auth, subscribe, quotes; latest quote over REST', async () => {
    const stocks = alpaca.marketData.stockStream({ feed: 'iex', url: `ws://127.0.0.1:${emu.server.port}/v2/iex` });
    const bids: number[] = [];
    stocks.onQuote((q) => bids.push(q.bidPrice));
    stocks.onConnect(() => stocks.subscribeForQuotes(['AAPL']));
    stocks.connect();
    try {
      expect((await stocks.whenAuthenticated()).authenticated).toBe(true);
      await until(
        async () => {
          await fetch(`${emu.url}/__control/set-quote`, { method: 'POST', body: JSON.stringify({ symbol: 'AAPL', bid: '191.5', ask: '191.6' }) });
          return bids.includes(191.5);
        },
        { timeoutMs: 10_000, what: 'a streamed quote' },
      );
    } finally {
      stocks.disconnect();
    }
    const latest = await alpaca.marketData.stocks.stockLatestQuoteSingle({ symbol: 'AAPL' } as never);
    expect(latest.quote.bp).toBe(191.5);
    expect(latest.quote.ap).toBe(191.6);
  });
});

describe('market-data stream handshake (JSON)', () => {
  it('greets, refuses a bad key with 402, and answers a subscription on the crypto stream', async () => {
    const { WebSocket } = await import('ws');
    const frames = (ws: InstanceType<typeof WebSocket>): unknown[] => {
      const got: unknown[] = [];
      ws.on('message', (m) => got.push(...(JSON.parse(m.toString()) as unknown[])));
      return got;
    };
    const bad = new WebSocket(`ws://127.0.0.1:${emu.server.port}/v2/iex`);
    const badFrames = frames(bad);
    await until(() => badFrames.length === 1, { timeoutMs: 5_000, what: 'greeting' });
    bad.send(JSON.stringify({ action: 'auth', key: KEY, secret: 'wrong' }));
    await until(() => badFrames.length === 2, { timeoutMs: 5_000, what: 'auth answer' });
    expect(badFrames).toEqual([
      { T: 'success', msg: 'connected' },
      { T: 'error', code: 402, msg: 'auth failed' },
    ]);
    const ws = new WebSocket(`ws://127.0.0.1:${emu.server.port}/v1beta3/crypto/us`);
    const got = frames(ws);
    await until(() => got.length === 1, { timeoutMs: 5_000, what: 'greeting' });
    ws.send(JSON.stringify({ action: 'auth', key: KEY, secret: SECRET }));
    ws.send(JSON.stringify({ action: 'subscribe', quotes: ['BTC/USD'] }));
    await until(() => got.length === 3, { timeoutMs: 5_000, what: 'subscription' });
    expect(got[1]).toEqual({ T: 'success', msg: 'authenticated' });
    expect(got[2]).toMatchObject({ T: 'subscription', quotes: ['BTC/USD'] });
    await fetch(`${emu.url}/__control/set-quote`, { method: 'POST', body: JSON.stringify({ symbol: 'BTC/USD', bid: '91500', ask: '91510' }) });
    await until(() => got.length === 4, { timeoutMs: 5_000, what: 'a quote' });
    expect(got[3]).toMatchObject({ T: 'q', S: 'BTC/USD', bp: 91500, ap: 91510 });
    ws.close();
    bad.close();
  });
});

describe('ccxt.alpaca against the Alpaca emulator', () => {
  it('markets, balance, order book, create / fetch / cancel an order, my trades', async () => {
    const ex = new ccxt.alpaca({ apiKey: KEY, secret: SECRET });
    ex.urls['api'] = { broker: emu.url, trader: emu.url, market: emu.url };
    const markets = await ex.loadMarkets();
    expect(markets['BTC/USD']).toBeDefined();
    const balance = await ex.fetchBalance();
    expect(Number((balance.free as unknown as Record<string, number>)['USD'])).toBeGreaterThan(0);
    const book = await ex.fetchOrderBook('BTC/USD');
    expect(book.asks[0]?.[0]).toBeGreaterThan(book.bids[0]?.[0] ?? 0);
    const o = await ex.createOrder('BTC/USD', 'limit', 'buy', 0.01, 80000, { timeInForce: 'gtc', clientOrderId: 'ccxt-1' });
    expect((await ex.fetchOrder(o.id!, 'BTC/USD')).status).toBe('open');
    expect((await ex.fetchOpenOrders('BTC/USD')).map((x) => x.id)).toContain(o.id);
    await ex.cancelOrder(o.id!, 'BTC/USD');
    expect((await ex.fetchOrder(o.id!, 'BTC/USD')).status).toBe('canceled');
    const m = await ex.createOrder('BTC/USD', 'market', 'buy', 0.01, undefined, { timeInForce: 'ioc' });
    expect((await ex.fetchOrder(m.id!, 'BTC/USD')).status).toBe('closed');
    const trades = await ex.fetchMyTrades('BTC/USD');
    expect(trades.some((t) => t.order === m.id)).toBe(true);
  });
});

describe('rate limit', () => {
  it('X-RateLimit-Limit/Remaining/Reset on every answer, and 429 once the minute’s budget is spent', async () => {
    const small = new AlpacaEmulator({ keyId: KEY, secret: SECRET, now, rateLimit: 3 });
    await small.start();
    try {
      const get = () => fetch(`${small.url}/v2/clock`, { headers: { 'APCA-API-KEY-ID': KEY, 'APCA-API-SECRET-KEY': SECRET } });
      const answers = [await get(), await get(), await get(), await get()];
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 429]);
      expect(answers.map((r) => r.headers.get('x-ratelimit-remaining'))).toEqual(['2', '1', '0', '0']);
      expect(answers[0]!.headers.get('x-ratelimit-limit')).toBe('3');
      expect(Number(answers[3]!.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
      expect(Number(answers[3]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const bad = await fetch(`${small.url}/v2/account`, { headers: { 'APCA-API-KEY-ID': KEY, 'APCA-API-SECRET-KEY': 'nope' } });
      expect(bad.status).toBe(401);
      expect(await bad.json()).toEqual({ message: 'unauthorized.' });
    } finally {
      await small.stop();
    }
  });
});
