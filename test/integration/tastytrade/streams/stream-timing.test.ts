/**
 * The streams' clocks, driven by a ManualClock over real sockets: the account streamer's heartbeat
 * cadence (the docs' ~20 s) with a token asked for each time, a `connect` never acknowledged or a
 * DXLink feed never opened → a fresh socket after the timeout, and the quote token renewed before it
 * expires.
 */
import { afterEach, expect, it } from 'vitest';
import { ManualClock } from '../../../../src-main/engine/ports/clock';
import { TastytradeAccountStream } from '../../../../src-main/engine/venues/tastytrade/tastytrade-account-stream';
import { TastytradeDxlink } from '../../../../src-main/engine/venues/tastytrade/tastytrade-dxlink';
import { EmulatorServer } from '../../../emulators/kit';
import { until } from '../../../support/until';
import { startStreamsHarness, type StreamsHarness } from './streams-harness';

let h: StreamsHarness | undefined;
let mute: EmulatorServer | undefined;
const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
  await h?.stop();
  await mute?.stop();
  h = mute = undefined;
});

/** A server that accepts sockets on both paths and never says a word. */
async function muteServer(): Promise<EmulatorServer> {
  const s = new EmulatorServer({ name: 'mute', streamPath: '/streamer', streamPaths: ['/dxlink'] });
  let connections = 0;
  s.on('streamConnection', () => connections++);
  s.state(() => ({ connections }));
  await s.start();
  return s;
}

function accountStream(url: string, clock: ManualClock, seen: { states: string[]; problems: string[]; tokens: number }): TastytradeAccountStream {
  const a = new TastytradeAccountStream({
    url,
    accounts: ['5WT00001'],
    authToken: () => {
      seen.tokens++;
      return Promise.resolve('access-1');
    },
    clock,
    timers: clock,
    backoff: { initialMs: 20, maxMs: 20 },
    onNotification: () => undefined,
    onState: (s) => seen.states.push(s),
    onProblem: (p) => seen.problems.push(p),
  });
  stops.push(() => a.stop());
  return a;
}

it('heart-beats every 20 s of clock time by default, asking for the token each time', async () => {
  h = await startStreamsHarness();
  const clock = new ManualClock();
  const seen = { states: [] as string[], problems: [] as string[], tokens: 0 };
  accountStream(h.streamerUrl(), clock, seen).start();
  await until(() => seen.states.includes('up'), { what: "'up'" });
  expect(seen.tokens).toBe(1);
  await clock.advanceAsync(19_999);
  expect(seen.tokens).toBe(1);
  await clock.advanceAsync(1);
  await until(() => seen.tokens === 2, { what: 'the first heartbeat' });
  await clock.advanceAsync(20_000);
  await until(() => seen.tokens === 3, { what: 'the second heartbeat' });
  expect(seen.problems).toEqual([]);
});

it('a connect never acknowledged is reported and retried on a fresh socket after 10 s', async () => {
  mute = await muteServer();
  const m = mute;
  const clock = new ManualClock();
  const seen = { states: [] as string[], problems: [] as string[], tokens: 0 };
  accountStream(`ws://127.0.0.1:${m.port}/streamer`, clock, seen).start();
  await until(() => seen.tokens === 1 && m.streamClients === 1, { what: 'the first socket' });
  await clock.advanceAsync(10_000);
  expect(seen.problems).toEqual(['tastytrade account streamer did not acknowledge connect within 10 s']);
  await clock.advanceAsync(20);
  await until(() => seen.tokens === 2, { what: 'a second connect' });
  expect(seen.states).toEqual([]);
});

function dxlink(quoteToken: () => Promise<{ token: string; url: string; expiresAtMs: number }>, clock: ManualClock, seen: { states: string[]; problems: string[] }): TastytradeDxlink {
  const d = new TastytradeDxlink({
    quoteToken,
    clock,
    timers: clock,
    backoff: { initialMs: 20, maxMs: 20 },
    onQuote: () => undefined,
    onTrade: () => undefined,
    onState: (s) => seen.states.push(s),
    onProblem: (p) => seen.problems.push(p),
  });
  stops.push(() => d.stop());
  return d;
}

it('a DXLink server that never opens the feed is reported and retried after 10 s', async () => {
  mute = await muteServer();
  const m = mute;
  const clock = new ManualClock();
  const seen = { states: [] as string[], problems: [] as string[] };
  let tokens = 0;
  const dx = dxlink(() => Promise.resolve({ token: `t${++tokens}`, url: `ws://127.0.0.1:${m.port}/dxlink`, expiresAtMs: clock.now() + 86_400_000 }), clock, seen);
  dx.start();
  await until(() => dx.ws.state === 'open', { what: 'the first socket' });
  await clock.advanceAsync(10_000);
  expect(seen.problems).toEqual(['DXLink did not open the feed within 10 s']);
  await clock.advanceAsync(20);
  await until(() => dx.ws.connectionCount === 2, { what: 'a second socket' });
  // With a fresh token, in case the first was refused without a word.
  expect(tokens).toBe(2);
});

it('renews the quote token before it expires: a minute before, or at 90 % of a shorter life', async () => {
  h = await startStreamsHarness();
  const hh = h;
  const clock = new ManualClock();
  const seen = { states: [] as string[], problems: [] as string[] };
  let fetched = 0;
  const dx = dxlink(
    async () => {
      fetched++;
      const body = (await (await fetch(`${hh.server.url}/api-quote-tokens`)).json()) as { data: { token: string; 'dxlink-url': string } };
      return { token: body.data.token, url: body.data['dxlink-url'], expiresAtMs: clock.now() + 50_000 };
    },
    clock,
    seen,
  );
  dx.subscribe(['AAPL']);
  dx.start();
  await until(() => seen.states.includes('up'), { what: "'up'" });
  // A 50 s token is renewed at 45 s (a day-long one at 23 h 59 min; past 60 s of clock time the mute emulator's real-time KEEPALIVEs would not count).
  await clock.advanceAsync(44_999);
  expect(fetched).toBe(1);
  await clock.advanceAsync(1);
  await until(() => fetched === 2 && hh.issued.length === 2 && hh.presented.includes(hh.issued[1]!), { what: 'the renewed token presented in AUTH' });
  // The old token dies; the connection already runs on the new one.
  hh.quoteTokens.delete(hh.issued[0]!);
  expect(hh.dxlink.revalidate()).toBe(0);
  expect(seen.states).toEqual(['up']);
});
