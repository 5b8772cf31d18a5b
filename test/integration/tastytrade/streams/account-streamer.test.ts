/**
 * The account streamer over real sockets: the emulator hub spoken to by hand (actions, acks,
 * notifications, the heartbeat timeout), then the client (`TastytradeAccountStream`): connect → 'up',
 * notifications, heartbeats that keep the socket alive, a socket dropped mid-fill (reconnect → 'up'
 * again, so the connector reconciles), an expired token, malformed frames.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../../src-main/engine/ports/clock';
import { TastytradeAccountStream } from '../../../../src-main/engine/venues/tastytrade/tastytrade-account-stream';
import { until } from '../../../support/until';
import { openRaw } from './raw-socket';
import { startStreamsHarness, type StreamsHarness } from './streams-harness';

const ORDER = {
  id: 7,
  'account-number': '5WT00001',
  status: 'Live',
  'order-type': 'Limit',
  price: '150.25',
  legs: [{ symbol: 'AAPL', quantity: '10', 'remaining-quantity': '10', action: 'Buy to Open', fills: [] }],
};
const FILLED = { ...ORDER, status: 'Filled', legs: [{ ...ORDER.legs[0], 'remaining-quantity': '0', fills: [{ 'fill-id': 'f1', quantity: '10', 'fill-price': '150.25' }] }] };

let h: StreamsHarness | undefined;
const streams: TastytradeAccountStream[] = [];
afterEach(async () => {
  for (const s of streams.splice(0)) await s.stop();
  await h?.stop();
  h = undefined;
});

describe('account streamer emulator (by hand)', () => {
  it('acknowledges connect with the request-id, then pushes {type, data, timestamp} only for connected accounts', async () => {
    h = await startStreamsHarness();
    const a = await openRaw(h.streamerUrl());
    const b = await openRaw(h.streamerUrl());
    a.send({ action: 'connect', value: ['5WT00001'], 'auth-token': 'Bearer access-1', 'request-id': 1, source: 'test' });
    b.send({ action: 'connect', value: '5WT00002', 'auth-token': 'Bearer access-1', 'request-id': 9 });
    const ack = await a.next((f) => f['action'] === 'connect', 'connect ack');
    expect(ack).toMatchObject({ status: 'ok', action: 'connect', 'request-id': 1, value: ['5WT00001'] });
    expect(typeof ack['web-socket-session-id']).toBe('string');
    await b.next((f) => f['action'] === 'connect' && f['status'] === 'ok' && f['request-id'] === 9, 'second ack');
    expect(h.streamer.state()).toEqual({ sockets: 2, accounts: ['5WT00001', '5WT00002'] });

    h.streamer.publish('5WT00001', 'Order', ORDER);
    const n = await a.next((f) => f['type'] === 'Order', 'order notification');
    expect(n['data']).toEqual(ORDER);
    expect(typeof n['timestamp']).toBe('number');
    h.streamer.publish('5WT00002', 'AccountBalance', { 'account-number': '5WT00002', 'cash-balance': '1000.5' });
    await b.next((f) => f['type'] === 'AccountBalance', 'balance notification');
    expect(a.frames.some((f) => f['type'] === 'AccountBalance')).toBe(false);
    expect(b.frames.some((f) => f['type'] === 'Order')).toBe(false);
  });

  it('answers heartbeat and the other subscribe actions, and refuses bad tokens, unknown actions and non-JSON with status error', async () => {
    h = await startStreamsHarness();
    const a = await openRaw(h.streamerUrl());
    a.send({ action: 'heartbeat', 'auth-token': 'Bearer access-1', 'request-id': 2 });
    expect(await a.next((f) => f['request-id'] === 2, 'heartbeat ack')).toMatchObject({ status: 'ok', action: 'heartbeat' });
    a.send({ action: 'public-watchlists-subscribe', 'auth-token': 'Bearer access-1', 'request-id': 3 });
    expect(await a.next((f) => f['request-id'] === 3, 'watchlists ack')).toMatchObject({ status: 'ok', action: 'public-watchlists-subscribe' });
    a.send({ action: 'connect', value: ['5WT00001'], 'auth-token': 'Bearer expired', 'request-id': 4 });
    expect(await a.next((f) => f['request-id'] === 4, 'refused connect')).toMatchObject({ status: 'error', action: 'connect' });
    a.send({ action: 'fly', 'auth-token': 'Bearer access-1', 'request-id': 5 });
    expect(await a.next((f) => f['request-id'] === 5, 'unknown action')).toMatchObject({ status: 'error', action: 'fly' });
    a.send('not json');
    await a.next((f) => f['status'] === 'error' && f['action'] === 'unknown', 'non-JSON refusal');
    expect(h.streamer.state().accounts).toEqual([]);
  });

  it('closes a socket that stops heart-beating', async () => {
    h = await startStreamsHarness({ heartbeatTimeoutMs: 150 });
    const a = await openRaw(h.streamerUrl());
    a.send({ action: 'connect', value: ['5WT00001'], 'auth-token': 'Bearer access-1', 'request-id': 1 });
    await a.next((f) => f['action'] === 'connect', 'connect ack');
    expect(await a.closed()).toBe(1000);
    await until(() => h!.streamer.state().sockets === 0, { what: 'the hub to forget the socket' });
  });
});

interface Seen {
  states: string[];
  notes: Array<{ type: string; data: unknown }>;
  problems: string[];
  tokenCalls: number;
}

function client(url: string, tokens: () => string, heartbeatMs = 20_000): { stream: TastytradeAccountStream; seen: Seen } {
  const seen: Seen = { states: [], notes: [], problems: [], tokenCalls: 0 };
  const stream = new TastytradeAccountStream({
    url,
    accounts: ['5WT00001'],
    authToken: () => {
      seen.tokenCalls++;
      return Promise.resolve(tokens());
    },
    clock: systemClock,
    timers: systemClock,
    heartbeatMs,
    backoff: { initialMs: 20, maxMs: 100 },
    onNotification: (type, data) => seen.notes.push({ type, data }),
    onState: (s) => seen.states.push(s),
    onProblem: (p) => seen.problems.push(p),
  });
  streams.push(stream);
  return { stream, seen };
}

describe('TastytradeAccountStream', () => {
  it("reports 'up' once connect is acknowledged and delivers notifications with their raw data", async () => {
    h = await startStreamsHarness();
    const { stream, seen } = client(h.streamerUrl(), () => 'access-1');
    stream.start();
    await until(() => seen.states.includes('up'), { what: "'up'" });
    expect(h.streamer.state().accounts).toEqual(['5WT00001']);
    h.streamer.publish('5WT00001', 'Order', ORDER);
    h.streamer.publish('5WT00001', 'CurrentPosition', { symbol: 'AAPL', quantity: '10', 'quantity-direction': 'Long' });
    await until(() => seen.notes.length === 2, { what: 'two notifications' });
    expect(seen.notes).toEqual([
      { type: 'Order', data: ORDER },
      { type: 'CurrentPosition', data: { symbol: 'AAPL', quantity: '10', 'quantity-direction': 'Long' } },
    ]);
    expect(seen.problems).toEqual([]);
  });

  it('heart-beats with a fresh token, so a server that closes silent sockets keeps it open', async () => {
    h = await startStreamsHarness({ heartbeatTimeoutMs: 200 });
    const { stream, seen } = client(h.streamerUrl(), () => 'access-1', 40);
    stream.start();
    await until(() => seen.states.includes('up'), { what: "'up'" });
    // Each heartbeat asks for the token; eight of them span twice the server's timeout.
    await until(() => seen.tokenCalls >= 9, { what: 'eight heartbeats' });
    expect(stream.ws.connectionCount).toBe(1);
    expect(seen.states).toEqual(['up']);
    expect(seen.problems).toEqual([]);
  });

  it("a socket dropped mid-fill: 'down', reconnect, connect again, 'up' again, and later notifications arrive", async () => {
    h = await startStreamsHarness();
    const { stream, seen } = client(h.streamerUrl(), () => 'access-1');
    stream.start();
    await until(() => seen.states.includes('up'), { what: "'up'" });
    h.streamer.publish('5WT00001', 'Order', ORDER);
    await until(() => seen.notes.length === 1, { what: 'the live order' });
    h.streamer.dropAll();
    // The fill happens while the socket is down: the streamer cannot replay it; 'up' tells the connector to reconcile by REST.
    await until(() => seen.states.filter((s) => s === 'up').length === 2, { what: "'up' after the reconnect" });
    expect(seen.states).toEqual(['up', 'down', 'up']);
    expect(stream.ws.connectionCount).toBe(2);
    h.streamer.publish('5WT00001', 'Order', FILLED);
    await until(() => seen.notes.length === 2, { what: 'the fill after the reconnect' });
    expect(seen.notes[1]).toEqual({ type: 'Order', data: FILLED });
  });

  it('an expired token: connect refused, reported, reconnected with the renewed token', async () => {
    h = await startStreamsHarness();
    let token = 'access-0';
    const { stream, seen } = client(h.streamerUrl(), () => {
      const t = token;
      token = 'access-1';
      return t;
    });
    stream.start();
    await until(() => seen.states.includes('up'), { what: "'up' with the renewed token" });
    expect(seen.problems.some((p) => /refused connect/.test(p))).toBe(true);
    expect(stream.ws.connectionCount).toBe(2);
  });

  it('malformed frames are reported, never thrown, and the stream keeps working', async () => {
    h = await startStreamsHarness();
    const { stream, seen } = client(h.streamerUrl(), () => 'access-1');
    stream.start();
    await until(() => seen.states.includes('up'), { what: "'up'" });
    h.server.broadcast('{"type":"Order","data":');
    h.server.broadcast('{"type":"Order","data":"not an object"}');
    h.server.broadcast('{"status":"ok"}');
    h.server.broadcast('[1,2,3]');
    await until(() => seen.problems.length === 4, { what: 'four problems' });
    h.streamer.publish('5WT00001', 'Order', ORDER);
    await until(() => seen.notes.length === 1, { what: 'a good notification after the bad ones' });
    expect(seen.states).toEqual(['up']);
  });
});
