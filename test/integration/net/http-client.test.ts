import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../../src-main/engine/net/circuit-breaker';
import { HttpClient, HttpError } from '../../../src-main/engine/net/http-client';
import { RateLimiter } from '../../../src-main/engine/net/rate-limiter';
import { binanceErrors } from '../../../src-main/engine/venues/binance/binance-errors';
import { binanceLimits } from '../../../src-main/engine/venues/binance/binance-limits';
import { SeededRandom } from '../../../src-main/engine/ports/random';
import { FaultServer } from './fault-server';
import { until } from '../../support/until';

let server: FaultServer;
let client: HttpClient;
let breaker: CircuitBreaker;
let limiter: RateLimiter;

function make(base: string, opts: { openMs?: number } = {}): HttpClient {
  breaker = new CircuitBreaker('binance', { displayName: 'Binance', openMs: opts.openMs ?? 60_000 });
  limiter = new RateLimiter(binanceLimits);
  return new HttpClient({
    venue: 'binance',
    displayName: 'Binance',
    baseUrl: base,
    limiter,
    breaker,
    random: new SeededRandom(1),
    timeoutMs: 500,
    retryBaseMs: 20,
    mapError: binanceErrors,
    secrets: () => ['APIKEY-abcdef123456'],
  });
}

const submit = { method: 'POST', path: '/api/v3/order', query: 'symbol=BTCUSDT&side=BUY&signature=deadbeef', group: 'orderNew' } as const;
const depth = { method: 'GET', path: '/api/v3/depth', query: 'symbol=BTCUSDT&limit=100', group: 'depth' } as const;

async function failure(p: Promise<unknown>): Promise<HttpError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(HttpError);
    return e as HttpError;
  }
  throw new Error('expected a failure');
}

beforeEach(async () => {
  server = new FaultServer();
  await server.start();
  client = make(server.url);
});

afterEach(async () => {
  client.close();
  await server.stop();
});

describe('HttpClient against a faulty server', () => {
  it('retries an idempotent GET through a 5xx burst and returns the answer', async () => {
    server.script('/api/v3/depth', { status: 503 }, { status: 502 }, { status: 200, body: '{"lastUpdateId":1,"bids":[],"asks":[]}' });
    const r = await client.request(depth);
    expect(r.attempts).toBe(3);
    expect((r.json as { lastUpdateId: number }).lastUpdateId).toBe(1);
    expect(server.count('/api/v3/depth')).toBe(3);
  });

  it('never re-sends an order submit: a 5xx makes the outcome unknown and the server saw it once', async () => {
    server.script('/api/v3/order', { status: 503, body: '<html>oops</html>' });
    const e = await failure(client.request(submit));
    expect(e.failure).toBe('outcome_unknown');
    expect(e.details?.['outcome']).toBe('unknown');
    expect(e.message).toMatch(/whether it was executed is unknown/);
    expect(server.count('/api/v3/order')).toBe(1);
  });

  it('a timed-out submit is outcome unknown with code timeout; never retried', async () => {
    server.script('/api/v3/order', { delayMs: 1500 });
    const e = await failure(client.request(submit));
    expect(e.code).toBe('timeout');
    expect(e.failure).toBe('outcome_unknown');
    expect(server.count('/api/v3/order')).toBe(1);
  });

  it('a dropped connection after the submit was written is outcome unknown', async () => {
    server.script('/api/v3/order', { drop: true });
    const e = await failure(client.request(submit));
    expect(e.failure).toBe('outcome_unknown');
  });

  it('a slow GET times out and is retried, then reported as timeout', async () => {
    server.script('/api/v3/depth', { delayMs: 1500 }, { delayMs: 1500 }, { delayMs: 1500 });
    const e = await failure(client.request({ ...depth, timeoutMs: 150 }));
    expect(e.code).toBe('timeout');
    expect(e.failure).toBe('timeout');
    expect(server.count('/api/v3/depth')).toBe(3);
  });

  it('maps a venue error body to our code, keeps the venue message, and hides secrets', async () => {
    server.script('/api/v3/order', {
      status: 400,
      body: '{"code":-2010,"msg":"Account has insufficient balance for requested action. signature=deadbeef key APIKEY-abcdef123456"}',
    });
    const e = await failure(client.request(submit));
    expect(e.code).toBe('insufficient_funds');
    expect(e.failure).toBe('rejected');
    expect(e.message).toContain('Binance -2010: Account has insufficient balance');
    expect(e.message).not.toContain('deadbeef');
    expect(e.message).not.toContain('APIKEY-abcdef123456');
    expect(JSON.stringify(e.details)).not.toContain('deadbeef');
  });

  it('opens the breaker after 5 consecutive 5xx and then fails fast without touching the venue', async () => {
    const states: string[] = [];
    breaker.on('state', (s) => states.push(s.to));
    for (let i = 0; i < 5; i++) server.script('/api/v3/order', { status: 500 });
    for (let i = 0; i < 5; i++) await failure(client.request(submit));
    expect(states).toEqual(['open']);
    const e = await failure(client.request(submit));
    expect(e.code).toBe('venue_unavailable');
    expect(e.failure).toBe('breaker_open');
    expect(server.count('/api/v3/order')).toBe(5);
  });

  it('4xx answers never trip the breaker', async () => {
    for (let i = 0; i < 8; i++) server.script('/api/v3/order', { status: 400, body: '{"code":-1013,"msg":"Filter failure: LOT_SIZE"}' });
    for (let i = 0; i < 8; i++) expect((await failure(client.request(submit))).code).toBe('venue_rejected');
    expect(breaker.state).toBe('closed');
  });

  it('a refused connection counts against the breaker and is classified as not sent', async () => {
    const port = server.port;
    await server.stop();
    const c2 = make(`http://127.0.0.1:${port}`);
    const e = await failure(c2.request(submit));
    expect(e.failure).toBe('connection');
    expect(e.code).toBe('venue_unavailable');
    expect(breaker.consecutiveFailures).toBe(1);
    c2.close();
    await server.start();
  });

  it('half-open probe closes the breaker when the venue is back', async () => {
    client = make(server.url, { openMs: 300 });
    for (let i = 0; i < 5; i++) server.script('/api/v3/depth', { status: 503 });
    // GETs retry, so 5 failures take two calls (3 attempts + 2 attempts).
    await failure(client.request(depth));
    await failure(client.request(depth));
    expect(breaker.state).toBe('open');
    await until(() => breaker.state === 'half_open', { what: 'the open period to end' });
    const r = await client.request(depth);
    expect(r.status).toBe(200);
    expect(breaker.state).toBe('closed');
  });

  it('429 with Retry-After: the limiter holds every call, the GET retries after the wait', async () => {
    server.script('/api/v3/depth', { status: 429, headers: { 'retry-after': '1' }, body: '{"code":-1003,"msg":"Too many requests."}' });
    const t0 = Date.now();
    const r = await client.request(depth);
    expect(r.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(breaker.state).toBe('closed');
  });

  it('418 ban stops every call to the venue until it ends', async () => {
    server.script('/api/v3/depth', { status: 418, headers: { 'retry-after': '120' }, body: '{"code":-1003,"msg":"Way too many requests; IP banned until 1767625200000."}' });
    const e = await failure(client.request(depth));
    expect(e.failure).toBe('banned');
    const e2 = await failure(client.request(submit));
    expect(e2.code).toBe('rate_limited');
    expect(e2.message).toMatch(/banned/);
    expect(server.count('/api/v3/order')).toBe(0);
    expect(limiter.usage().bannedUntil).toBeGreaterThan(Date.now() + 100_000);
  });

  it('corrects the weight budget from X-MBX-USED-WEIGHT-1m', async () => {
    server.script('/api/v3/depth', { status: 200, headers: { 'x-mbx-used-weight-1m': '4321' } });
    await client.request(depth);
    expect(limiter.usage().budgets.find((b) => b.id === 'weight')!.used).toBe(4321);
  });

  it('reuses one keep-alive socket for sequential requests', async () => {
    for (let i = 0; i < 5; i++) await client.request(depth);
    expect(server.count('/api/v3/depth')).toBe(5);
    expect(server.clientPorts.size).toBe(1);
  });
});
