/**
 * DXLink over real sockets: the emulator hub spoken to by hand (SETUP, AUTH_STATE, AUTH, channels,
 * FEED_SETUP/FEED_CONFIG, FEED_SUBSCRIPTION add/remove/reset, COMPACT FEED_DATA with "NaN", KEEPALIVE
 * timeout), then the client (`TastytradeDxlink`): quotes and trades as canonical decimal strings, a
 * reconnect that resubscribes, a token refused mid-session → new token → re-AUTH, renewal before
 * expiry, malformed frames.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../../src-main/engine/ports/clock';
import { TastytradeDxlink } from '../../../../src-main/engine/venues/tastytrade/tastytrade-dxlink';
import { until } from '../../../support/until';
import { openRaw, type RawSocket } from './raw-socket';
import { startStreamsHarness, type StreamsHarness } from './streams-harness';

let h: StreamsHarness | undefined;
const clients: TastytradeDxlink[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.stop();
  await h?.stop();
  h = undefined;
});

async function authorized(hh: StreamsHarness): Promise<RawSocket> {
  hh.quoteTokens.add('qt');
  const s = await openRaw(hh.dxlinkUrl());
  s.send({ type: 'SETUP', channel: 0, version: '0.1-test', keepaliveTimeout: 60, acceptKeepaliveTimeout: 60 });
  s.send({ type: 'AUTH', channel: 0, token: 'qt' });
  await s.next((f) => f['type'] === 'AUTH_STATE' && f['state'] === 'AUTHORIZED', 'AUTHORIZED');
  return s;
}

describe('DXLink emulator (by hand)', () => {
  it('SETUP → SETUP + AUTH_STATE UNAUTHORIZED; a bad token stays UNAUTHORIZED with an ERROR; a good one is AUTHORIZED; channels need it', async () => {
    h = await startStreamsHarness();
    h.quoteTokens.add('qt');
    const s = await openRaw(h.dxlinkUrl());
    s.send({ type: 'SETUP', channel: 0, version: '0.1-test', keepaliveTimeout: 60, acceptKeepaliveTimeout: 60 });
    expect(await s.next((f) => f['type'] === 'SETUP', 'server SETUP')).toMatchObject({ channel: 0, keepaliveTimeout: 60 });
    expect(await s.next((f) => f['type'] === 'AUTH_STATE', 'first AUTH_STATE')).toMatchObject({ state: 'UNAUTHORIZED' });
    s.send({ type: 'CHANNEL_REQUEST', channel: 1, service: 'FEED', parameters: { contract: 'AUTO' } });
    expect(await s.next((f) => f['type'] === 'ERROR' && f['channel'] === 1, 'refused channel')).toMatchObject({ error: 'UNAUTHORIZED' });
    const mark = s.frames.length;
    s.send({ type: 'AUTH', channel: 0, token: 'wrong' });
    expect(await s.next((f) => f['type'] === 'ERROR', 'auth error', mark)).toMatchObject({ error: 'UNAUTHORIZED' });
    expect(s.frames.slice(mark).find((f) => f['type'] === 'AUTH_STATE')).toMatchObject({ state: 'UNAUTHORIZED' });
    s.send({ type: 'AUTH', channel: 0, token: 'qt' });
    await s.next((f) => f['type'] === 'AUTH_STATE' && f['state'] === 'AUTHORIZED', 'AUTHORIZED');
    s.send({ type: 'CHANNEL_REQUEST', channel: 3, service: 'FEED', parameters: { contract: 'STREAM' } });
    expect(await s.next((f) => f['type'] === 'CHANNEL_OPENED', 'CHANNEL_OPENED')).toEqual({ type: 'CHANNEL_OPENED', channel: 3, service: 'FEED', parameters: { contract: 'STREAM' } });
    s.send({ type: 'CHANNEL_REQUEST', channel: 5, service: 'NEWS', parameters: {} });
    expect(await s.next((f) => f['type'] === 'ERROR' && f['channel'] === 5, 'unknown service')).toMatchObject({ error: 'UNSUPPORTED_PROTOCOL' });
    s.send({ type: 'CHANNEL_CANCEL', channel: 3 });
    await s.next((f) => f['type'] === 'CHANNEL_CLOSED' && f['channel'] === 3, 'CHANNEL_CLOSED');
  });

  it('FEED_SETUP → FEED_CONFIG; subscriptions add (with the current quote), remove and reset; COMPACT rows with "NaN" for a missing value', async () => {
    h = await startStreamsHarness();
    h.quotes.set('AAPL', { bidPrice: '187.12', askPrice: '187.14', bidSize: '300', askSize: '' });
    const s = await authorized(h);
    s.send({ type: 'CHANNEL_REQUEST', channel: 1, service: 'FEED', parameters: { contract: 'AUTO' } });
    await s.next((f) => f['type'] === 'CHANNEL_OPENED', 'CHANNEL_OPENED');
    s.send({
      type: 'FEED_SETUP',
      channel: 1,
      acceptAggregationPeriod: 0.1,
      acceptDataFormat: 'COMPACT',
      acceptEventFields: { Quote: ['eventSymbol', 'bidPrice', 'askPrice', 'askSize', 'bogus'], Trade: ['eventType', 'eventSymbol', 'price', 'size'] },
    });
    expect(await s.next((f) => f['type'] === 'FEED_CONFIG', 'FEED_CONFIG')).toEqual({
      type: 'FEED_CONFIG',
      channel: 1,
      aggregationPeriod: 0.1,
      dataFormat: 'COMPACT',
      eventFields: { Quote: ['eventType', 'eventSymbol', 'bidPrice', 'askPrice', 'askSize'], Trade: ['eventType', 'eventSymbol', 'price', 'size'] },
    });
    s.send({
      type: 'FEED_SUBSCRIPTION',
      channel: 1,
      add: [
        { type: 'Quote', symbol: 'AAPL' },
        { type: 'Trade', symbol: 'AAPL' },
        { type: 'Quote', symbol: '/ESZ26:XCME' },
      ],
    });
    expect(await s.next((f) => f['type'] === 'FEED_DATA', 'the snapshot')).toEqual({ type: 'FEED_DATA', channel: 1, data: ['Quote', ['Quote', 'AAPL', 187.12, 187.14, 'NaN']] });
    expect(h.dxlink.state().subscriptions).toEqual(['Quote:/ESZ26:XCME', 'Quote:AAPL', 'Trade:AAPL']);
    let mark = s.frames.length;
    h.dxlink.pushTrade('AAPL', '187.13', '25');
    expect(await s.next((f) => f['type'] === 'FEED_DATA', 'a trade', mark)).toEqual({ type: 'FEED_DATA', channel: 1, data: ['Trade', ['Trade', 'AAPL', 187.13, 25]] });
    s.send({ type: 'FEED_SUBSCRIPTION', channel: 1, remove: [{ type: 'Trade', symbol: 'AAPL' }] });
    await until(() => h!.dxlink.state().subscriptions.length === 2, { what: 'the removal' });
    s.send({ type: 'FEED_SUBSCRIPTION', channel: 1, reset: true, add: [{ type: 'Quote', symbol: 'MSFT' }] });
    await until(() => h!.dxlink.state().subscriptions.join() === 'Quote:MSFT', { what: 'the reset' });
    mark = s.frames.length;
    s.send({ type: 'FEED_SUBSCRIPTION', channel: 1, add: [{ type: 'Nope', symbol: 'X' }] });
    expect(await s.next((f) => f['type'] === 'ERROR', 'a bad subscription', mark)).toMatchObject({ channel: 1, error: 'INVALID_MESSAGE' });
  });

  it('a type subscribed without chosen fields is announced with default fields before its first row', async () => {
    h = await startStreamsHarness();
    h.quotes.set('SPY', { bidPrice: '600.01', askPrice: '600.02', bidSize: '5', askSize: '7' });
    const s = await authorized(h);
    s.send({ type: 'CHANNEL_REQUEST', channel: 1, service: 'FEED', parameters: { contract: 'AUTO' } });
    s.send({ type: 'FEED_SETUP', channel: 1, acceptDataFormat: 'COMPACT' });
    await s.next((f) => f['type'] === 'FEED_CONFIG', 'first FEED_CONFIG');
    const mark = s.frames.length;
    s.send({ type: 'FEED_SUBSCRIPTION', channel: 1, add: [{ type: 'Quote', symbol: 'SPY' }] });
    await s.next((f) => f['type'] === 'FEED_DATA', 'the snapshot', mark);
    const after = s.frames.slice(mark);
    expect(after[0]).toMatchObject({ type: 'FEED_CONFIG', eventFields: { Quote: ['eventType', 'eventSymbol', 'bidPrice', 'askPrice', 'bidSize', 'askSize'] } });
    expect(after[1]).toEqual({ type: 'FEED_DATA', channel: 1, data: ['Quote', ['Quote', 'SPY', 600.01, 600.02, 5, 7]] });
  });

  it('a client silent past the keepaliveTimeout it declared gets ERROR TIMEOUT and is closed; the server sends KEEPALIVE meanwhile', async () => {
    h = await startStreamsHarness();
    const s = await openRaw(h.dxlinkUrl());
    s.send({ type: 'SETUP', channel: 0, version: '0.1-test', keepaliveTimeout: 0.3, acceptKeepaliveTimeout: 60 });
    expect(await s.next((f) => f['type'] === 'ERROR', 'the timeout')).toMatchObject({ channel: 0, error: 'TIMEOUT' });
    await s.closed();
    expect(s.frames.some((f) => f['type'] === 'KEEPALIVE')).toBe(true);
  });

  it('refuses frames that are not DXLink messages', async () => {
    h = await startStreamsHarness();
    const s = await openRaw(h.dxlinkUrl());
    s.send('not json');
    s.send({ type: 'SETUP' });
    await until(() => s.frames.filter((f) => f['error'] === 'INVALID_MESSAGE').length === 2, { what: 'two refusals' });
  });
});

interface Seen {
  states: string[];
  quotes: Array<{ symbol: string; bid: string; ask: string; bidSize: string; askSize: string }>;
  trades: Array<{ symbol: string; price: string; size: string }>;
  problems: string[];
  tokens: number;
}

function client(hh: StreamsHarness, lifetimeMs = 24 * 3600_000): { dx: TastytradeDxlink; seen: Seen } {
  const seen: Seen = { states: [], quotes: [], trades: [], problems: [], tokens: 0 };
  const dx = new TastytradeDxlink({
    quoteToken: async () => {
      seen.tokens++;
      const r = await fetch(`${hh.server.url}/api-quote-tokens`);
      const body = (await r.json()) as { data: { token: string; 'dxlink-url': string } };
      return { token: body.data.token, url: body.data['dxlink-url'], expiresAtMs: Date.now() + lifetimeMs };
    },
    clock: systemClock,
    timers: systemClock,
    backoff: { initialMs: 20, maxMs: 100 },
    onQuote: (symbol, q) => seen.quotes.push({ symbol, ...q }),
    onTrade: (symbol, t) => seen.trades.push({ symbol, ...t }),
    onState: (s) => seen.states.push(s),
    onProblem: (p) => seen.problems.push(p),
  });
  clients.push(dx);
  return { dx, seen };
}

const ups = (seen: Seen): number => seen.states.filter((s) => s === 'up').length;

describe('TastytradeDxlink', () => {
  it("reports 'up' with the feed open and delivers quotes and trades as canonical decimal strings", async () => {
    h = await startStreamsHarness();
    h.quotes.set('AAPL', { bidPrice: '187.10', askPrice: '187.2', bidSize: '300', askSize: '1e2' });
    const { dx, seen } = client(h);
    dx.subscribe(['AAPL']);
    dx.start();
    await until(() => seen.quotes.length === 1, { what: 'the snapshot quote' });
    expect(seen.states).toEqual(['up']);
    expect(seen.quotes[0]).toEqual({ symbol: 'AAPL', bid: '187.1', ask: '187.2', bidSize: '300', askSize: '100' });
    h.dxlink.pushTrade('AAPL', '187.15', '0.5');
    await until(() => seen.trades.length === 1, { what: 'a trade' });
    expect(seen.trades[0]).toEqual({ symbol: 'AAPL', price: '187.15', size: '0.5' });
    dx.subscribe(['/ESZ26:XCME', 'AAPL']);
    await until(() => h!.dxlink.state().subscriptions.includes('Quote:/ESZ26:XCME'), { what: 'the added symbol' });
    dx.unsubscribe(['AAPL']);
    await until(() => h!.dxlink.state().subscriptions.join() === 'Quote:/ESZ26:XCME,Trade:/ESZ26:XCME', { what: 'the removal' });
    expect(seen.problems).toEqual([]);
  });

  it('skips a quote whose bid or ask is NaN (missing), and keeps the next one', async () => {
    h = await startStreamsHarness();
    h.quotes.set('SPX', { bidPrice: '', askPrice: '5000.5', bidSize: '', askSize: '1' });
    const { dx, seen } = client(h);
    dx.subscribe(['SPX']);
    dx.start();
    await until(() => h!.dxlink.state().subscriptions.includes('Quote:SPX') && seen.states.includes('up'), { what: 'the subscription' });
    h.quotes.set('SPX', { bidPrice: '5000.25', askPrice: '5000.5', bidSize: '', askSize: '1' });
    h.dxlink.pushQuote('SPX');
    await until(() => seen.quotes.length === 1, { what: 'the complete quote' });
    expect(seen.quotes[0]).toEqual({ symbol: 'SPX', bid: '5000.25', ask: '5000.5', bidSize: '0', askSize: '1' });
  });

  it('a dropped socket reconnects and resubscribes every symbol', async () => {
    h = await startStreamsHarness();
    h.quotes.set('AAPL', { bidPrice: '1', askPrice: '2', bidSize: '3', askSize: '4' });
    const { dx, seen } = client(h);
    dx.subscribe(['AAPL', 'MSFT']);
    dx.start();
    await until(() => seen.quotes.length === 1, { what: 'the first quote' });
    h.dxlink.dropAll();
    await until(() => ups(seen) === 2, { what: "'up' after the reconnect" });
    expect(seen.states).toEqual(['up', 'down', 'up']);
    await until(() => h!.dxlink.state().subscriptions.join() === 'Quote:AAPL,Quote:MSFT,Trade:AAPL,Trade:MSFT', { what: 'the resubscription' });
    h.quotes.set('AAPL', { bidPrice: '1.5', askPrice: '2', bidSize: '3', askSize: '4' });
    h.dxlink.pushQuote('AAPL');
    await until(() => seen.quotes.some((q) => q.bid === '1.5'), { what: 'a quote after the reconnect' });
    expect(dx.ws.connectionCount).toBe(2);
  });

  it('a token that expires mid-session: UNAUTHORIZED → a new token from /api-quote-tokens → AUTH again → quotes again, on the same socket', async () => {
    h = await startStreamsHarness();
    h.quotes.set('AAPL', { bidPrice: '1', askPrice: '2', bidSize: '3', askSize: '4' });
    const { dx, seen } = client(h);
    dx.subscribe(['AAPL']);
    dx.start();
    await until(() => seen.quotes.length === 1, { what: 'the first quote' });
    h.quoteTokens.delete(h.issued[0]!);
    expect(h.dxlink.revalidate()).toBe(1);
    await until(() => ups(seen) === 2, { what: "'up' after the re-AUTH" });
    expect(seen.states).toEqual(['up', 'down', 'up']);
    expect(h.issued).toHaveLength(2);
    expect(seen.tokens).toBe(2);
    h.quotes.set('AAPL', { bidPrice: '1.25', askPrice: '2', bidSize: '3', askSize: '4' });
    h.dxlink.pushQuote('AAPL');
    await until(() => seen.quotes.some((q) => q.bid === '1.25'), { what: 'a quote after the re-AUTH' });
    expect(dx.ws.connectionCount).toBe(1);
  });

  it('renews the token shortly before it expires and AUTHs with it without dropping the feed', async () => {
    h = await startStreamsHarness();
    const { dx, seen } = client(h, 400);
    dx.subscribe(['AAPL']);
    dx.start();
    await until(() => seen.states.includes('up'), { what: "'up'" });
    await until(() => seen.tokens >= 3, { what: 'two renewals' });
    expect(dx.ws.connectionCount).toBe(1);
    expect(seen.states).toEqual(['up']);
  });

  it('malformed frames are reported, never thrown, and the feed keeps working', async () => {
    h = await startStreamsHarness();
    h.quotes.set('AAPL', { bidPrice: '1', askPrice: '2', bidSize: '3', askSize: '4' });
    const { dx, seen } = client(h);
    dx.subscribe(['AAPL']);
    dx.start();
    await until(() => seen.quotes.length === 1, { what: 'the first quote' });
    h.server.broadcast('{"type":"FEED_DATA"');
    h.server.broadcast('{"type":"FEED_DATA","channel":"one"}');
    h.server.broadcast('{"type":"FEED_DATA","channel":1,"data":["Quote",[1,2,3]]}');
    h.server.broadcast('{"type":"FEED_DATA","channel":1,"data":["Greeks",["Greeks","AAPL",0.5]]}');
    h.server.broadcast('{"type":"FEED_DATA","channel":1,"data":[{"eventType":"Quote","eventSymbol":"AAPL","bidPrice":{"x":1}}]}');
    await until(() => seen.problems.length === 5, { what: 'five problems' });
    h.quotes.set('AAPL', { bidPrice: '1.75', askPrice: '2', bidSize: '3', askSize: '4' });
    h.dxlink.pushQuote('AAPL');
    await until(() => seen.quotes.some((q) => q.bid === '1.75'), { what: 'a good quote after the bad frames' });
    expect(seen.states).toEqual(['up']);
  });
});
