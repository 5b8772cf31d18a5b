/**
 * The connector boundary over real sockets: what the OMS is told for each way a submit can end.
 * A 4xx is a plain rejection carrying the venue's words (it used to leak out as an HttpError,
 * which the OMS reads as "unknown" and turns into lookups); a 5xx, a timeout or a dropped
 * response is unknown; nothing is ever sent twice.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../../src-main/engine/net/circuit-breaker';
import { HttpClient } from '../../../src-main/engine/net/http-client';
import { RateLimiter } from '../../../src-main/engine/net/rate-limiter';
import { alpacaErrorMapper } from '../../../src-main/engine/venues/alpaca/alpaca-errors';
import { ALPACA_LIMITS } from '../../../src-main/engine/venues/alpaca/alpaca-limits';
import { WsNotOpenError } from '../../../src-main/engine/net/resilient-ws';
import { SeededRandom } from '../../../src-main/engine/ports/random';
import { atVenueBoundary, boundaryError } from '../../../src-main/engine/venues/submit-errors';
import { OutcomeUnknownError, VenueRejectedError } from '../../../src-main/engine/venues/venue-port';
import { FaultServer } from './fault-server';

let server: FaultServer;
let client: HttpClient;

beforeEach(async () => {
  server = new FaultServer();
  await server.start();
  client = new HttpClient({
    venue: 'alpaca',
    displayName: 'Alpaca',
    baseUrl: server.url,
    limiter: new RateLimiter(ALPACA_LIMITS),
    breaker: new CircuitBreaker('alpaca'),
    random: new SeededRandom(1),
    timeoutMs: 300,
    retryBaseMs: 10,
    mapError: alpacaErrorMapper,
  });
});
afterEach(async () => {
  client.close();
  await server.stop();
});

const submit = () => atVenueBoundary('Alpaca', 'submit', () => client.request({ method: 'POST', path: '/v2/orders', body: '{"client_order_id":"c1"}', group: 'orderNew' }));

describe('errors at the connector boundary', () => {
  it('a 4xx answer is VenueRejectedError with the venue message and code', async () => {
    server.script('/v2/orders', { status: 403, body: '{"code":40310000,"message":"insufficient buying power"}' });
    const err = await submit().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VenueRejectedError);
    expect((err as VenueRejectedError).message).toContain('insufficient buying power');
    expect((err as VenueRejectedError).venueCode).toBe('40310000');
    expect(server.count('/v2/orders')).toBe(1);
  });

  it('a 5xx, a timeout and a response lost after the request was read are OutcomeUnknownError, each sent once', async () => {
    server.script('/v2/orders', { status: 503, body: 'upstream down' }, { delayMs: 2000 }, { drop: true });
    for (let i = 1; i <= 3; i++) {
      await expect(submit()).rejects.toBeInstanceOf(OutcomeUnknownError);
      expect(server.count('/v2/orders')).toBe(i);
    }
  });

  it('a 429 is a rejection (the venue did not execute it), never resent', async () => {
    server.script('/v2/orders', { status: 429, headers: { 'retry-after': '1' }, body: '{"message":"too many requests"}' });
    const err = await submit().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VenueRejectedError);
    expect((err as Error).message).toMatch(/not executed/);
    expect(server.count('/v2/orders')).toBe(1);
  });

  it('a refused connection is a rejection: nothing left this machine', async () => {
    const port = server.port;
    await server.stop();
    const dead = new HttpClient({ venue: 'alpaca', baseUrl: `http://127.0.0.1:${port}` });
    const err = await atVenueBoundary('Alpaca', 'submit', () => dead.request({ method: 'POST', path: '/v2/orders', body: '{}', group: 'orderNew' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VenueRejectedError);
    expect((err as Error).message).toMatch(/not sent/);
    await server.start();
  });

  it('a socket that was not open is a rejection; an unreadable error is unknown', () => {
    expect(boundaryError(new WsNotOpenError('orders', 'reconnecting'), 'V', 'submit')).toBeInstanceOf(VenueRejectedError);
    const raw = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const e = boundaryError(raw, 'V', 'submit');
    expect(e).toBeInstanceOf(OutcomeUnknownError);
    expect(e.message).toMatch(/do not resend/);
  });
});
