/**
 * The Binance emulator checked by clients we did not write, unchanged: the official
 * `@binance/spot` (REST, WebSocket API user data via userDataStream.subscribe.signature, market
 * streams), `binance` (REST and the legacy listenKey) and ccxt.pro `watchOrderBook` (SUBSCRIBE on
 * /ws + REST snapshot), each pointed at the emulator through its documented URL options.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Spot } from '@binance/spot';
import { MainClient } from 'binance';
import ccxt from 'ccxt';
import WebSocket from 'ws';
import { createHmac } from 'node:crypto';
import { BinanceEmulator } from '../../emulators/binance';
import { until } from '../../support/until';

const KEY = 'official-key';
const SECRET = 'official-secret';
let emu: BinanceEmulator;
let ws: string;

beforeAll(async () => {
  emu = new BinanceEmulator({ apiKey: KEY, apiSecret: SECRET });
  await emu.start();
  ws = `ws://127.0.0.1:${emu.server.port}`;
});
afterAll(async () => {
  await emu.stop();
});

const strings = (o: Record<string, unknown>): Record<string, string> => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)]));
/** A signed request by hand, to read Binance's status code and error body as sent. */
async function fetchSigned(method: string, path: string, params: Record<string, string>): Promise<{ status: number; body: unknown }> {
  const q = new URLSearchParams({ ...params, timestamp: String(Date.now()) }).toString();
  const sig = createHmac('sha256', SECRET).update(q).digest('hex');
  const r = await fetch(`${emu.url}${path}?${q}&signature=${sig}`, { method, headers: { 'X-MBX-APIKEY': KEY } });
  return { status: r.status, body: await r.json() };
}

describe('@binance/spot', () => {
  it('REST: exchangeInfo, newOrder with our client id, getOrder and deleteOrder by origClientOrderId, orderTest with commission rates', async () => {
    const client = new Spot({ configurationRestAPI: { apiKey: KEY, apiSecret: SECRET, basePath: emu.url } });
    const info = await (await client.restAPI.exchangeInfo({ symbol: 'BTCUSDT' })).data();
    expect(info.symbols?.[0]?.filters?.find((f) => f.filterType === 'PRICE_FILTER')).toMatchObject({ tickSize: '0.01000000' });
    const placed = await (
      await client.restAPI.newOrder({ symbol: 'BTCUSDT', side: 'BUY' as never, type: 'LIMIT' as never, timeInForce: 'GTC' as never, quantity: 0.002, price: 50000, newClientOrderId: 'spot-sdk-1' })
    ).data();
    expect(placed).toMatchObject({ symbol: 'BTCUSDT', clientOrderId: 'spot-sdk-1' });
    const got = await (await client.restAPI.getOrder({ symbol: 'BTCUSDT', origClientOrderId: 'spot-sdk-1' })).data();
    expect(got).toMatchObject({ status: 'NEW', price: '50000.00000000' });
    const cancelled = await (await client.restAPI.deleteOrder({ symbol: 'BTCUSDT', origClientOrderId: 'spot-sdk-1' })).data();
    expect(cancelled).toMatchObject({ origClientOrderId: 'spot-sdk-1', status: 'CANCELED' });
    const test = await (await client.restAPI.orderTest({ symbol: 'BTCUSDT', side: 'BUY' as never, type: 'MARKET' as never, quantity: 0.001, computeCommissionRates: true })).data();
    expect(test).toMatchObject({ standardCommissionForOrder: { maker: '0.001', taker: '0.001' } });
  });

  it('REST order lists: orderListOco (above LIMIT_MAKER, below STOP_LOSS_LIMIT), getOrderList, openOrderList, deleteOrderList', async () => {
    const client = new Spot({ configurationRestAPI: { apiKey: KEY, apiSecret: SECRET, basePath: emu.url } });
    const list = await (
      await client.restAPI.orderListOco({
        symbol: 'BTCUSDT',
        side: 'SELL' as never,
        quantity: 0.01,
        aboveType: 'LIMIT_MAKER' as never,
        abovePrice: 61000,
        aboveClientOrderId: 'sdk-oco-tp',
        belowType: 'STOP_LOSS_LIMIT' as never,
        belowStopPrice: 59000,
        belowPrice: 58900,
        belowTimeInForce: 'GTC' as never,
        belowClientOrderId: 'sdk-oco-sl',
        listClientOrderId: 'sdk-oco-list',
        newOrderRespType: 'RESULT' as never,
      })
    ).data();
    expect(list).toMatchObject({ contingencyType: 'OCO', listStatusType: 'EXEC_STARTED', listOrderStatus: 'EXECUTING', listClientOrderId: 'sdk-oco-list' });
    expect(list.orderReports?.map((o) => [o.clientOrderId, o.type, o.status])).toEqual([
      ['sdk-oco-sl', 'STOP_LOSS_LIMIT', 'NEW'],
      ['sdk-oco-tp', 'LIMIT_MAKER', 'NEW'],
    ]);
    const got = await (await client.restAPI.getOrderList({ origClientOrderId: 'sdk-oco-list' })).data();
    expect(got).toMatchObject({ orderListId: list.orderListId, listOrderStatus: 'EXECUTING' });
    expect((await (await client.restAPI.openOrderList()).data()).map((l) => l.listClientOrderId)).toContain('sdk-oco-list');
    const done = await (await client.restAPI.deleteOrderList({ symbol: 'BTCUSDT', listClientOrderId: 'sdk-oco-list' })).data();
    expect(done).toMatchObject({ listStatusType: 'ALL_DONE', listOrderStatus: 'ALL_DONE' });
    expect(done.orderReports?.map((o) => o.status)).toEqual(['CANCELED', 'CANCELED']);
  });

  it('REST deleteOpenOrders on a symbol with an order list: the list is cancelled whole (ALL_DONE, answered in its shape) and listStatus is pushed', async () => {
    const client = new Spot({ configurationRestAPI: { apiKey: KEY, apiSecret: SECRET, basePath: emu.url }, configurationWebsocketAPI: { apiKey: KEY, apiSecret: SECRET, wsURL: `${ws}/ws-api/v3` } });
    const conn = await client.websocketAPI.connect();
    try {
      const seen: Array<Record<string, unknown>> = [];
      (await conn.userDataStreamSubscribeSignature()).stream?.on('message', (m: unknown) => void seen.push(m as Record<string, unknown>));
      const oco = { symbol: 'ETHUSDT', side: 'SELL' as never, quantity: 0.1, aboveType: 'LIMIT_MAKER' as never, belowType: 'STOP_LOSS_LIMIT' as never, belowTimeInForce: 'GTC' as never };
      const list = await (
        await client.restAPI.orderListOco({ ...oco, abovePrice: 4000, belowStopPrice: 2000, belowPrice: 1990, listClientOrderId: 'sdk-all-list', newOrderRespType: 'RESULT' as never })
      ).data();
      await client.restAPI.newOrder({ symbol: 'ETHUSDT', side: 'BUY' as never, type: 'LIMIT' as never, timeInForce: 'GTC' as never, quantity: 0.1, price: 2500, newClientOrderId: 'sdk-all-single' });
      const out = (await (await client.restAPI.deleteOpenOrders({ symbol: 'ETHUSDT' })).data()) as unknown as Array<Record<string, unknown>>;
      const asList = out.find((x) => x['orderListId'] === list.orderListId && 'contingencyType' in x) as { listOrderStatus: string; orderReports: Array<{ status: string }> } | undefined;
      expect(asList).toMatchObject({ listStatusType: 'ALL_DONE', listOrderStatus: 'ALL_DONE', listClientOrderId: 'sdk-all-list' });
      expect(asList?.orderReports.map((o) => o.status)).toEqual(['CANCELED', 'CANCELED']);
      expect(out.find((x) => x['origClientOrderId'] === 'sdk-all-single')).toMatchObject({ status: 'CANCELED', orderListId: -1 });
      expect(await (await client.restAPI.getOrderList({ origClientOrderId: 'sdk-all-list' })).data()).toMatchObject({ listOrderStatus: 'ALL_DONE' });
      expect((await (await client.restAPI.openOrderList()).data()).map((l) => l.listClientOrderId)).not.toContain('sdk-all-list');
      await until(() => seen.find((e) => e['e'] === 'listStatus' && e['C'] === 'sdk-all-list' && e['L'] === 'ALL_DONE'), { timeoutMs: 10_000, what: 'listStatus ALL_DONE' });
    } finally {
      await conn.disconnect();
    }
  });

  it('REST orderCancelReplace sends exactly the quantity given (no executed quantity subtracted), honours cancelRestrictions, answers 409 when only the cancel worked; orderAmendKeepPriority lowers in place', async () => {
    const client = new Spot({ configurationRestAPI: { apiKey: KEY, apiSecret: SECRET, basePath: emu.url } });
    await client.restAPI.newOrder({ symbol: 'BTCUSDT', side: 'BUY' as never, type: 'LIMIT' as never, timeInForce: 'GTC' as never, quantity: 0.004, price: 50000, newClientOrderId: 'sdk-cr-1' });
    emu.fillByClientId('sdk-cr-1', '0.001', '50000');
    const base = { symbol: 'BTCUSDT', side: 'BUY' as never, type: 'LIMIT' as never, timeInForce: 'GTC' as never, cancelReplaceMode: 'STOP_ON_FAILURE' as never, price: 49000 };
    const why = (e: unknown) => (e as { response?: { data?: unknown } }).response?.data ?? (e as Error).message;
    // ONLY_NEW on a partially filled order: the cancel is refused and nothing is placed.
    const refused = await client.restAPI
      .orderCancelReplace({ ...base, quantity: 0.003, cancelOrigClientOrderId: 'sdk-cr-1', newClientOrderId: 'sdk-cr-2', cancelRestrictions: 'ONLY_NEW' as never })
      .catch((e: unknown) => e);
    expect(String(JSON.stringify(why(refused)) ?? refused)).toMatch(/-2022|cancel-replace failed|cancel restrictions/);
    expect(emu.orders.find((o) => o.clientOrderId === 'sdk-cr-2')).toBeUndefined();
    const done = await (await client.restAPI.orderCancelReplace({ ...base, quantity: 0.004, cancelOrigClientOrderId: 'sdk-cr-1', newClientOrderId: 'sdk-cr-2' })).data();
    expect(done).toMatchObject({ cancelResult: 'SUCCESS', newOrderResult: 'SUCCESS', cancelResponse: { executedQty: '0.00100000', status: 'CANCELED' }, newOrderResponse: { origQty: '0.00400000' } });
    // Cancel done, new order refused by Binance (LIMIT_MAKER that would take): 409 -2021.
    const r = await fetchSigned('POST', '/api/v3/order/cancelReplace', {
      ...strings(base),
      type: 'LIMIT_MAKER',
      price: '60001',
      quantity: '0.001',
      cancelOrigClientOrderId: 'sdk-cr-2',
      newClientOrderId: 'sdk-cr-3',
    });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: -2021, data: { cancelResult: 'SUCCESS', newOrderResult: 'FAILURE', newOrderResponse: { code: -2010, msg: 'Order would immediately match and take.' } } });
    await client.restAPI.newOrder({ symbol: 'BTCUSDT', side: 'BUY' as never, type: 'LIMIT' as never, timeInForce: 'GTC' as never, quantity: 0.004, price: 50000, newClientOrderId: 'sdk-am-1' });
    const amended = await (await client.restAPI.orderAmendKeepPriority({ symbol: 'BTCUSDT', origClientOrderId: 'sdk-am-1', newClientOrderId: 'sdk-am-1', newQty: 0.002 })).data();
    expect(amended.amendedOrder).toMatchObject({ clientOrderId: 'sdk-am-1', origClientOrderId: 'sdk-am-1', qty: '0.00200000', status: 'NEW' });
    const up = await fetchSigned('PUT', '/api/v3/order/amend/keepPriority', { symbol: 'BTCUSDT', origClientOrderId: 'sdk-am-1', newQty: '0.003' });
    expect(up.body).toEqual({ code: -2038, msg: 'Order amend (quantity increase) is not supported.' });
  });

  it('WebSocket API: userDataStream.subscribe.signature, then an executionReport for an order placed over REST', async () => {
    const client = new Spot({ configurationWebsocketAPI: { apiKey: KEY, apiSecret: SECRET, wsURL: `${ws}/ws-api/v3` } });
    const conn = await client.websocketAPI.connect();
    try {
      const seen: Array<Record<string, unknown>> = [];
      const res = await conn.userDataStreamSubscribeSignature();
      res.stream?.on('message', (m: unknown) => void seen.push(m as Record<string, unknown>));
      expect(res.response).toMatchObject({ data: { subscriptionId: expect.any(Number) } });
      emu.external('BTCUSDT', 'SELL', '0.003', '70000');
      const ev = await until(() => seen.find((e) => e['e'] === 'executionReport'), { timeoutMs: 10_000, what: 'executionReport' });
      expect(ev).toMatchObject({ s: 'BTCUSDT', S: 'SELL', o: 'LIMIT', X: 'NEW', x: 'NEW' });
    } finally {
      await conn.disconnect();
    }
  });

  it('orderListOtoco: the exits wait PENDING_NEW, work once the entry fills; the market falls through the stop → it fills, the take-profit expires, listStatus ALL_DONE', async () => {
    const client = new Spot({ configurationRestAPI: { apiKey: KEY, apiSecret: SECRET, basePath: emu.url }, configurationWebsocketAPI: { apiKey: KEY, apiSecret: SECRET, wsURL: `${ws}/ws-api/v3` } });
    const list = await (
      await client.restAPI.orderListOtoco({
        symbol: 'BTCUSDT',
        listClientOrderId: 'sdk-otoco-list',
        workingType: 'LIMIT' as never,
        workingSide: 'BUY' as never,
        workingPrice: 59990,
        workingQuantity: 0.01,
        workingTimeInForce: 'GTC' as never,
        workingClientOrderId: 'sdk-otoco-in',
        pendingSide: 'SELL' as never,
        pendingQuantity: 0.01,
        pendingAboveType: 'LIMIT_MAKER' as never,
        pendingAbovePrice: 61000,
        pendingAboveClientOrderId: 'sdk-otoco-tp',
        pendingBelowType: 'STOP_LOSS_LIMIT' as never,
        pendingBelowStopPrice: 59000,
        pendingBelowPrice: 58900,
        pendingBelowTimeInForce: 'GTC' as never,
        pendingBelowClientOrderId: 'sdk-otoco-sl',
        newOrderRespType: 'RESULT' as never,
      })
    ).data();
    expect(list).toMatchObject({ contingencyType: 'OTO', listOrderStatus: 'EXECUTING', listClientOrderId: 'sdk-otoco-list' });
    expect(list.orderReports?.map((o) => [o.clientOrderId, o.type, o.status])).toEqual([
      ['sdk-otoco-in', 'LIMIT', 'NEW'],
      ['sdk-otoco-tp', 'LIMIT_MAKER', 'PENDING_NEW'],
      ['sdk-otoco-sl', 'STOP_LOSS_LIMIT', 'PENDING_NEW'],
    ]);
    const conn = await client.websocketAPI.connect();
    try {
      const seen: Array<Record<string, unknown>> = [];
      (await conn.userDataStreamSubscribeSignature()).stream?.on('message', (m: unknown) => void seen.push(m as Record<string, unknown>));
      emu.fillByClientId('sdk-otoco-in', '0.01', '59990');
      await until(() => seen.find((e) => e['e'] === 'executionReport' && e['c'] === 'sdk-otoco-sl' && e['X'] === 'NEW'), { timeoutMs: 10_000, what: 'stop-loss working' });
      // Bid 58950: the market is through the 59000 stop, and the 58900 limit is marketable at the bid.
      await fetch(`${emu.url}/__control/set-book`, { method: 'POST', body: JSON.stringify({ symbol: 'BTCUSDT', bid: '58950', ask: '58960' }) });
      const done = await until(() => seen.find((e) => e['e'] === 'listStatus' && e['L'] === 'ALL_DONE'), { timeoutMs: 10_000, what: 'listStatus ALL_DONE' });
      expect(done).toMatchObject({ c: 'OTO', l: 'ALL_DONE', C: 'sdk-otoco-list' });
      const reports = seen.filter((e) => e['e'] === 'executionReport').map((e) => `${String(e['c'])}:${String(e['x'])}:${String(e['X'])}`);
      expect(reports).toContain('sdk-otoco-tp:EXPIRED:EXPIRED');
      await until(() => seen.find((e) => e['e'] === 'executionReport' && e['c'] === 'sdk-otoco-sl' && e['X'] === 'FILLED' && e['L'] === '58950.00000000'), {
        timeoutMs: 10_000,
        what: 'stop-loss filled at the bid',
      });
    } finally {
      await conn.disconnect();
      await fetch(`${emu.url}/__control/set-book`, { method: 'POST', body: JSON.stringify({ symbol: 'BTCUSDT', bid: '60000', ask: '60000.01' }) });
    }
  });

  it('market streams: diffBookDepth gets the depthUpdate Binance numbers', async () => {
    const client = new Spot({ configurationWebsocketStreams: { wsURL: ws } });
    const conn = await client.websocketStreams.connect();
    try {
      const seen: Array<Record<string, unknown>> = [];
      conn.diffBookDepth({ symbol: 'btcusdt', updateSpeed: '100ms' as never }).on('message', (m: unknown) => void seen.push(m as Record<string, unknown>));
      const sent = await until(
        async () => {
          const r = (await (await fetch(`${emu.url}/__control/depth-update`, { method: 'POST', body: JSON.stringify({ symbol: 'BTCUSDT', bids: [['59990', '1']] }) })).json()) as { u: number };
          return seen.length > 0 && r;
        },
        { timeoutMs: 10_000, what: 'a depth update' },
      );
      expect(seen[0]).toMatchObject({ e: 'depthUpdate', s: 'BTCUSDT' });
      expect(Number(seen.at(-1)!['u'])).toBe(sent.u);
    } finally {
      conn.disconnect();
    }
  });
});

describe('binance (tiagosiebler)', () => {
  it('REST: exchange info, an order, its lookup and cancel; the listenKey stream carries its executionReport', async () => {
    const client = new MainClient({ api_key: KEY, api_secret: SECRET, baseUrl: emu.url, disableTimeSync: true });
    const info = await client.getExchangeInfo();
    expect(info.symbols.map((s) => s.symbol)).toContain('ETHUSDT');
    const { listenKey } = await client.getSpotUserDataListenKey();
    const sock = new WebSocket(`${ws}/ws/${listenKey}`);
    const events: Array<Record<string, unknown>> = [];
    sock.on('message', (d) => events.push(JSON.parse(String(d)) as Record<string, unknown>));
    await new Promise((r) => sock.once('open', r));
    try {
      const placed = await client.submitNewOrder({ symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: 0.01, price: 2500, newClientOrderId: 'tiago-1' });
      expect(placed).toMatchObject({ clientOrderId: 'tiago-1' });
      expect(await client.getOrder({ symbol: 'ETHUSDT', origClientOrderId: 'tiago-1' })).toMatchObject({ status: 'NEW' });
      expect(await client.cancelOrder({ symbol: 'ETHUSDT', origClientOrderId: 'tiago-1' })).toMatchObject({ status: 'CANCELED' });
      const ev = await until(() => events.find((e) => e['e'] === 'executionReport' && e['X'] === 'CANCELED'), { timeoutMs: 10_000, what: 'executionReport' });
      expect(ev).toMatchObject({ C: 'tiago-1', s: 'ETHUSDT' });
    } finally {
      sock.close();
    }
  });
});

describe('ccxt.pro binance', () => {
  it('watchOrderBook: SUBSCRIBE on /ws plus the REST snapshot gives the emulator book, and follows a diff', async () => {
    const ex = new ccxt.pro.binance({ options: { fetchMarkets: { types: ['spot'] }, fetchCurrencies: false } });
    const api = ex.urls['api'] as Record<string, unknown>;
    ex.urls['api'] = { ...api, public: `${emu.url}/api/v3`, private: `${emu.url}/api/v3`, ws: { ...(api['ws'] as Record<string, unknown>), spot: `${ws}/ws` } };
    // ccxt's documented step for plain ws:// endpoints.
    await ex.loadHttpProxyAgent();
    const depthUpdate = async (body: Record<string, unknown>) => (await fetch(`${emu.url}/__control/depth-update`, { method: 'POST', body: JSON.stringify({ symbol: 'BTCUSDT', ...body }) })).json();
    try {
      // ccxt answers its first watch once a diff has followed its snapshot: keep the book moving until it does.
      let first: Awaited<ReturnType<typeof ex.watchOrderBook>> | undefined;
      void ex.watchOrderBook('BTC/USDT').then((b) => (first = b));
      let n = 0;
      await until(
        async () => {
          await depthUpdate({ bids: [['59990', String(++n)]] });
          return first;
        },
        { timeoutMs: 15_000, what: 'ccxt first book' },
      );
      await depthUpdate({ asks: [['60000.05', '0.5']] });
      const book = await until(
        async () => {
          // Each watch resolves on the next diff: send one, then read the book it leaves.
          const next = ex.watchOrderBook('BTC/USDT');
          await depthUpdate({ bids: [['59990', String(++n)]] });
          const b = await next;
          return b.asks.some(([p, q]) => p === 60000.05 && q === 0.5) && b;
        },
        { timeoutMs: 10_000, what: 'the diff in ccxt book' },
      );
      const venue = emu.books.get('BTCUSDT')!.depth(5);
      expect(book.asks.slice(0, 5)).toEqual(venue.asks.map(([p, q]) => [Number(p), Number(q)]));
      expect(book.bids.slice(0, 5)).toEqual(venue.bids.map(([p, q]) => [Number(p), Number(q)]));
    } finally {
      await ex.close();
    }
  });
});
