/**
 * The kit's faults reach both hubs: `drop-sockets` through /__control terminates the account-streamer
 * and DXLink sockets alike (the kit terminates every socket it accepted; the hubs forget them on
 * close), and both clients come back on their own — connected, acknowledged, resubscribed.
 */
import { afterEach, expect, it } from 'vitest';
import { systemClock } from '../../../../src-main/engine/ports/clock';
import { TastytradeAccountStream } from '../../../../src-main/engine/venues/tastytrade/tastytrade-account-stream';
import { TastytradeDxlink } from '../../../../src-main/engine/venues/tastytrade/tastytrade-dxlink';
import { until } from '../../../support/until';
import { startStreamsHarness, type StreamsHarness } from './streams-harness';

let h: StreamsHarness | undefined;
const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
  await h?.stop();
  h = undefined;
});

it('drop-sockets from the control API drops both streams; both reconnect and report up again', async () => {
  h = await startStreamsHarness();
  const hh = h;
  hh.quotes.set('AAPL', { bidPrice: '10', askPrice: '10.5', bidSize: '1', askSize: '2' });
  const acct: string[] = [];
  const dxStates: string[] = [];
  const bids: string[] = [];
  const account = new TastytradeAccountStream({
    url: hh.streamerUrl(),
    accounts: ['5WT00001'],
    authToken: () => Promise.resolve('access-1'),
    clock: systemClock,
    timers: systemClock,
    backoff: { initialMs: 20, maxMs: 100 },
    onNotification: () => undefined,
    onState: (s) => acct.push(s),
  });
  const dx = new TastytradeDxlink({
    quoteToken: async () => {
      const body = (await (await fetch(`${hh.server.url}/api-quote-tokens`)).json()) as { data: { token: string; 'dxlink-url': string } };
      return { token: body.data.token, url: body.data['dxlink-url'], expiresAtMs: Date.now() + 3600_000 };
    },
    clock: systemClock,
    timers: systemClock,
    backoff: { initialMs: 20, maxMs: 100 },
    onQuote: (_s, q) => bids.push(q.bid),
    onTrade: () => undefined,
    onState: (s) => dxStates.push(s),
  });
  stops.push(
    () => account.stop(),
    () => dx.stop(),
  );
  dx.subscribe(['AAPL']);
  account.start();
  dx.start();
  await until(() => acct.includes('up') && bids.length === 1, { what: 'both streams up' });
  expect(hh.server.streamClients).toBe(2);

  const r = await fetch(`${hh.server.url}/__control/fault`, { method: 'POST', body: JSON.stringify({ kind: 'drop-sockets' }) });
  expect(await r.json()).toMatchObject({ dropped: 2 });
  await until(() => acct.join() === 'up,down,up' && dxStates.join() === 'up,down,up', { what: 'both streams back up' });
  await until(() => bids.length === 2, { what: 'the snapshot quote of the resubscription' });
  const state = (await (await fetch(`${hh.server.url}/__control/state`)).json()) as { venue: { streamer: { sockets: number }; dxlink: { sockets: number; subscriptions: string[] } } };
  expect(state.venue.streamer.sockets).toBe(1);
  expect(state.venue.dxlink).toEqual({ sockets: 1, subscriptions: ['Quote:AAPL', 'Trade:AAPL'] });
});
