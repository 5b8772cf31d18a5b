/**
 * The stream hubs checked by the official `@tastytrade/api` (v7), unchanged: its AccountStreamer
 * connects, is acknowledged and receives an order notification; its QuoteStreamer (dxFeed's
 * `@dxfeed/dxlink-api` DXLinkWebSocketClient + DXLinkFeed, COMPACT) receives a Quote.
 * Only configuration is supplied: `baseUrl` / `accountStreamerUrl` pointing at the emulator. The
 * dxFeed client opens sockets with the global `WebSocket`, which Node 20 does not define (the SDK's
 * own quote-streamer notes it must be provided in Node): the test provides `ws`'s for its duration.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import TastytradeClient, { MarketDataSubscriptionType } from '@tastytrade/api';
import { WebSocket } from 'ws';
import { until } from '../../../support/until';
import { startStreamsHarness, type StreamsHarness } from './streams-harness';

let h: StreamsHarness;
let hadWebSocket: boolean;
beforeAll(async () => {
  h = await startStreamsHarness();
  hadWebSocket = 'WebSocket' in globalThis;
  if (!hadWebSocket) (globalThis as Record<string, unknown>)['WebSocket'] = WebSocket;
});
afterAll(async () => {
  await h.stop();
  if (!hadWebSocket) delete (globalThis as Record<string, unknown>)['WebSocket'];
});

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

function sdk(): TastytradeClient {
  return new TastytradeClient({ baseUrl: h.server.url, accountStreamerUrl: h.streamerUrl(), clientSecret: 'secret', refreshToken: 'refresh', oauthScopes: ['read', 'trade'], logger: quiet });
}

describe('official SDK @tastytrade/api against the stream hubs', () => {
  it('AccountStreamer: start, subscribeToAccounts is acknowledged, an Order notification arrives', async () => {
    const client = sdk();
    const streamer = client.accountStreamer;
    const messages: Array<Record<string, unknown>> = [];
    streamer.addMessageObserver((m) => messages.push(m as Record<string, unknown>));
    await streamer.start();
    try {
      await expect(streamer.subscribeToAccounts(['5WT00001'])).resolves.toBe('connect');
      expect(h.streamer.state().accounts).toContain('5WT00001');
      const order = { id: 42, 'account-number': '5WT00001', status: 'Filled', 'order-type': 'Market', legs: [{ symbol: 'AAPL', quantity: '1', action: 'Buy to Open' }] };
      h.streamer.publish('5WT00001', 'Order', order);
      const got = await until(() => messages.find((m) => m['type'] === 'Order'), { what: 'the order notification' });
      expect(got['data']).toEqual(order);
      // Its heartbeat (every 2 s in v7) is answered, which schedules the next one.
      await until(() => messages.some((m) => m['action'] === 'heartbeat' && m['status'] === 'ok'), { what: 'a heartbeat ack', timeoutMs: 10_000 });
    } finally {
      streamer.stop();
    }
  });

  it('QuoteStreamer: connect (token from /api-quote-tokens), subscribe to Quote, a COMPACT Quote event arrives', async () => {
    h.quotes.set('AAPL', { bidPrice: '187.12', askPrice: '187.14', bidSize: '300', askSize: '200' });
    const client = sdk();
    const events: Array<Record<string, unknown>> = [];
    client.quoteStreamer.addEventListener((batch) => events.push(...(batch as unknown as Array<Record<string, unknown>>)));
    await client.quoteStreamer.connect();
    client.quoteStreamer.subscribe(['AAPL'], [MarketDataSubscriptionType.Quote]);
    const q = await until(() => events.find((e) => e['eventType'] === 'Quote' && e['eventSymbol'] === 'AAPL'), { what: 'a Quote event' });
    expect(q).toMatchObject({ bidPrice: 187.12, askPrice: 187.14, bidSize: 300, askSize: 200 });
    expect(h.dxlink.state().subscriptions).toEqual(['Quote:AAPL']);
    h.quotes.set('AAPL', { bidPrice: '187.13', askPrice: '187.14', bidSize: '300', askSize: '200' });
    h.dxlink.pushQuote('AAPL');
    await until(() => events.some((e) => e['bidPrice'] === 187.13), { what: 'a pushed Quote' });
    client.quoteStreamer.disconnect();
    // The SDK gives no handle on its DXLink client: revoke the token and close, so it stops instead of reconnecting.
    h.quoteTokens.clear();
    h.dxlink.revalidate();
    h.dxlink.close();
  });
});
