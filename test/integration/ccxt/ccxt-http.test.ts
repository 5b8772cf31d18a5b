/**
 * ccxt's requests through our HTTP kit (ccxt-http.ts), over a real socket to the Bybit emulator:
 * each request draws its endpoint cost from the key's shared budget, a 4xx goes back to ccxt as
 * the exchange's answer, a 5xx on a submit is an unknown outcome (never retried), a GET is retried.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BybitEmulator } from '../../emulators/bybit';
import { CircuitBreaker } from '../../../src-main/engine/net/circuit-breaker';
import { HttpError } from '../../../src-main/engine/net/http-client';
import { CcxtHttp } from '../../../src-main/engine/venues/ccxt/ccxt-http';
import { budgetCost, ccxtLimits, sharedLimiter } from '../../../src-main/engine/venues/ccxt/ccxt-limits';

let emu: BybitEmulator;
beforeAll(async () => {
  emu = new BybitEmulator();
  await emu.start();
});
afterAll(() => emu.stop());

function http(key: string): CcxtHttp {
  const limits = ccxtLimits('bybit', 20);
  return new CcxtHttp({
    venue: 'byb',
    displayName: 'bybit',
    limiter: () => sharedLimiter(limits, key),
    breaker: new CircuitBreaker('byb'),
    timeoutMs: 2000,
    secrets: () => [],
    cost: (c) => budgetCost(limits, c),
  });
}

describe('ccxt requests through the HTTP kit', () => {
  it("draws ccxt's endpoint cost from one budget per key, shared by two venues on that key", async () => {
    const a = http('key-shared');
    const b = http('key-shared');
    await a.within('query', () => a.withCost(5, () => a.fetch(`${emu.url}/v5/market/time`)));
    await b.within('query', () => b.withCost(3, () => b.fetch(`${emu.url}/v5/market/time`)));
    expect(a.limiter()).toBe(b.limiter());
    expect(a.limiter().usage().budgets[0]!.used).toBeGreaterThanOrEqual(8);
    expect(http('key-other').limiter().usage().budgets[0]!.used).toBe(0);
    a.close();
    b.close();
  });

  it("a 4xx comes back to ccxt as the exchange's answer (its error table reads it)", async () => {
    const h = http('k4');
    const r = await h.fetch(`${emu.url}/v5/market/no-such-endpoint`);
    expect(r.status).toBe(404);
    h.close();
  });

  it('a 5xx on a submit is an unknown outcome, sent once; a 5xx on a GET is retried', async () => {
    const h = http('k5');
    // A public path, so the fault answers before any signature check would.
    const submitPath = '/v5/market/time';
    emu.server.faults.arm({ kind: '5xx', count: 1, method: 'POST', path: submitPath });
    const before = emu.server.count('POST', submitPath);
    const err = await h.within('orderNew', () => h.fetch(`${emu.url}${submitPath}`, { method: 'POST', body: '{}' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).failure).toBe('outcome_unknown');
    expect(emu.server.count('POST', submitPath) - before).toBe(1);
    emu.server.faults.arm({ kind: '5xx', count: 1, method: 'GET', path: '/v5/market/time' });
    expect((await h.fetch(`${emu.url}/v5/market/time`)).status).toBe(200);
    h.close();
  });
});
