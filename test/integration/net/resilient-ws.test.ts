import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BinanceBookSync, type DepthDiff } from '../../../src-main/engine/venues/binance/binance-book-sync';
import { OrderBook } from '../../../src-main/engine/market/order-book';
import { HttpClient } from '../../../src-main/engine/net/http-client';
import { ResilientWs, WsNotOpenError, type WsState } from '../../../src-main/engine/net/resilient-ws';
import { SeededRandom } from '../../../src-main/engine/ports/random';
import { FaultServer } from './fault-server';
import { until } from '../../support/until';

let server: FaultServer;
let ws: ResilientWs | undefined;

const fast = { backoff: { initialMs: 50, maxMs: 400, stableMs: 1000 }, heartbeat: { intervalMs: 50, timeoutMs: 200 } };
const SUB = '{"method":"SUBSCRIBE","params":["btcusdt@depth@100ms"],"id":1}';

beforeEach(async () => {
  server = new FaultServer();
  await server.start();
  // Acknowledge subscriptions like Binance and then stream a message.
  server.onWsMessage = (sock, msg) => {
    const m = JSON.parse(msg) as { method?: string; id?: number };
    if (m.method === 'SUBSCRIBE') sock.send(JSON.stringify({ result: null, id: m.id }));
  };
});

afterEach(async () => {
  ws?.stop();
  ws = undefined;
  await server.stop();
});

function make(extra: Partial<ConstructorParameters<typeof ResilientWs>[0]> = {}): { ws: ResilientWs; states: WsState[]; messages: string[] } {
  const states: WsState[] = [];
  const messages: string[] = [];
  const w = new ResilientWs({ url: server.wsUrl, random: new SeededRandom(5), ...fast, ...extra });
  w.on('state', (s) => states.push(s.state));
  w.on('message', (m) => messages.push(m));
  ws = w;
  return { ws: w, states, messages };
}

const subs = (): number => server.wsMessages.filter((m) => m === SUB).length;

describe('ResilientWs over real sockets', () => {
  it('resubscribes after the server drops the connection and messages flow again', async () => {
    const { ws, messages } = make();
    ws.subscribe('depth', SUB);
    ws.start();
    await until(() => subs() === 1, { timeoutMs: 3000, what: 'first subscribe' });
    server.dropSockets();
    await until(() => subs() === 2 && ws.state === 'open', { timeoutMs: 3000, what: 'resubscribe' });
    server.broadcast('{"e":"depthUpdate"}');
    await until(() => messages.includes('{"e":"depthUpdate"}'), { timeoutMs: 3000, what: 'message after reconnect' });
    expect(ws.connectionCount).toBe(2);
  });

  it('treats a connection whose pings go unanswered as dead and reconnects', async () => {
    const { ws, states } = make();
    ws.subscribe('depth', SUB);
    ws.start();
    await until(() => ws.state === 'open', { timeoutMs: 3000, what: 'open' });
    server.answerPings = false;
    // The server keeps the TCP connection open; only silence gives it away.
    await until(() => states.includes('reconnecting'), { timeoutMs: 3000, what: 'dead connection detected' });
    server.answerPings = true;
    await until(() => ws.state === 'open' && subs() === 2, { timeoutMs: 3000, what: 'reconnected' });
  });

  it('backs off exponentially while the server is down and recovers after a restart', async () => {
    const { ws } = make();
    const delays: number[] = [];
    ws.on('state', (s) => {
      if (s.state === 'reconnecting') delays.push(s.delayMs!);
    });
    ws.subscribe('depth', SUB);
    ws.start();
    await until(() => ws.state === 'open', { timeoutMs: 3000, what: 'open' });
    await server.restart(900);
    await until(() => ws.state === 'open' && subs() === 2, { timeoutMs: 5000, what: 'open after restart' });
    expect(delays.length).toBeGreaterThanOrEqual(3);
    // Equal jitter: each delay lies in [base/2, base] and bases double up to the cap.
    delays.forEach((d, i) => {
      const base = Math.min(400, 50 * 2 ** i);
      expect(d).toBeGreaterThanOrEqual(base / 2);
      expect(d).toBeLessThanOrEqual(base);
    });
  });

  it('does not buffer by default: a send while down is dropped, never delivered after the reconnect', async () => {
    const { ws } = make();
    const dropped: string[] = [];
    ws.on('dropped', (m) => dropped.push(m));
    ws.subscribe('depth', SUB);
    expect(ws.send('{"late":1}')).toBe('dropped');
    ws.start();
    await until(() => ws.state === 'open' && subs() === 1, { timeoutMs: 3000, what: 'open' });
    ws.send('{"after":1}');
    await until(() => server.wsMessages.includes('{"after":1}'), { timeoutMs: 3000, what: 'live send' });
    expect(dropped).toEqual(['{"late":1}']);
    expect(server.wsMessages).not.toContain('{"late":1}');
  });

  it('sendOrder throws while down (before start, and after a drop) and the order never reaches the venue later', async () => {
    const { ws, states } = make({ bufferWhileDown: true });
    ws.subscribe('depth', SUB);
    expect(() => ws.sendOrder('{"order":0}')).toThrow(WsNotOpenError);
    ws.start();
    await until(() => ws.state === 'open' && subs() === 1, { timeoutMs: 3000, what: 'open' });
    ws.sendOrder('{"order":1}');
    await until(() => server.wsMessages.includes('{"order":1}'), { timeoutMs: 3000, what: 'order on an open socket' });
    server.dropSockets();
    await until(() => states.includes('reconnecting'), { timeoutMs: 3000, what: 'drop seen' });
    expect(() => ws.sendOrder('{"order":2}')).toThrow(/reconnecting; nothing was sent/);
    await until(() => ws.state === 'open' && subs() === 2, { timeoutMs: 3000, what: 'reopened' });
    // A subscription-style send after the order proves the socket flushed everything it held.
    ws.send('{"marker":1}');
    await until(() => server.wsMessages.includes('{"marker":1}'), { timeoutMs: 3000, what: 'marker' });
    expect(server.wsMessages.filter((m) => m.startsWith('{"order"'))).toEqual(['{"order":1}']);
  });

  it('buffers a bounded number of outgoing messages while down (opt-in) and flushes them after resubscribe', async () => {
    const { ws } = make({ bufferWhileDown: true, maxBuffered: 2 });
    const dropped: string[] = [];
    ws.on('dropped', (m) => dropped.push(m));
    ws.subscribe('depth', SUB);
    expect(ws.send('{"a":1}')).toBe('buffered');
    expect(ws.send('{"a":2}')).toBe('buffered');
    expect(ws.send('{"a":3}')).toBe('dropped');
    expect(dropped).toEqual(['{"a":3}']);
    ws.start();
    await until(() => server.wsMessages.length === 3, { timeoutMs: 3000, what: 'flush' });
    expect(server.wsMessages).toEqual([SUB, '{"a":1}', '{"a":2}']);
  });

  it('a depth gap triggers exactly one snapshot resync over REST', async () => {
    let lastUpdateId = 100;
    server.defaults.set('/api/v3/depth', { status: 200, body: JSON.stringify({ lastUpdateId, bids: [['100.00', '1']], asks: [['101.00', '1']] }) });
    const http = new HttpClient({ venue: 'binance', baseUrl: server.url });
    const book = new OrderBook({ tick: '0.01', lot: '0.001' });
    const sync = new BinanceBookSync({
      book,
      fetchSnapshot: async () => (await http.request({ method: 'GET', path: '/api/v3/depth', query: 'symbol=BTCUSDT&limit=1000', group: 'depth' })).json as never,
    });
    const { ws } = make();
    ws.on('message', (m) => {
      const d = JSON.parse(m) as DepthDiff & { e?: string };
      if (d.e === 'depthUpdate') sync.onDiff(d);
    });
    ws.on('open', () => sync.resync('stream (re)connected'));
    ws.subscribe('depth', SUB);
    ws.start();
    await until(() => sync.state === 'live', { timeoutMs: 3000, what: 'live' });
    const ev = (U: number, u: number, bid: string): string => JSON.stringify({ e: 'depthUpdate', E: 1, s: 'BTCUSDT', U, u, b: [['100.00', bid]], a: [] });
    server.broadcast(ev(101, 102, '2'));
    await until(() => sync.lastUpdateId === 102, { timeoutMs: 3000, what: 'applied' });
    expect(server.count('/api/v3/depth')).toBe(1);
    // Update 103–104 is lost; the next few arrive out of line.
    lastUpdateId = 110;
    server.defaults.set('/api/v3/depth', { status: 200, delayMs: 100, body: JSON.stringify({ lastUpdateId, bids: [['100.00', '5']], asks: [['101.00', '1']] }) });
    server.broadcast(ev(105, 106, '3'));
    server.broadcast(ev(107, 108, '4'));
    server.broadcast(ev(109, 111, '6'));
    await until(() => sync.state === 'live' && sync.lastUpdateId === 111, { timeoutMs: 3000, what: 'resynced' });
    expect(server.count('/api/v3/depth')).toBe(2);
    expect(sync.resyncCount).toBe(2);
    expect(book.bestBid()).toEqual({ price: '100', qty: '6' });
    http.close();
  });
});
