import { describe, expect, it } from 'vitest';
import { ManualClock, flushMicrotasks } from '../../../src-main/engine/ports/clock';
import { RateLimiter, RateLimiterRegistry } from '../../../src-main/engine/net/rate-limiter';
import { Priority, type VenueLimits } from '../../../src-main/engine/net/venue-limits';
import { ALPACA_LIMITS } from '../../../src-main/engine/venues/alpaca/alpaca-limits';
import { binanceLimits } from '../../../src-main/engine/venues/binance/binance-limits';
import { coinbaseLimits } from '../../../src-main/engine/venues/coinbase/coinbase-limits';
import { twsLimits } from '../../../src-main/engine/venues/ibkr/ibkr-limits';
import { krakenLimits } from '../../../src-main/engine/venues/kraken/kraken-limits';
import { tastytradeLimits } from '../../../src-main/engine/venues/tastytrade/tastytrade-limits';

const VENUE_LIMITS: Readonly<Record<string, VenueLimits>> = {
  binance: binanceLimits,
  alpaca: ALPACA_LIMITS,
  coinbase: coinbaseLimits,
  kraken: krakenLimits('starter'),
  tastytrade: tastytradeLimits,
  tws: twsLimits,
};
import { SeededRandom } from '../../../src-main/engine/ports/random';
import { TradeportError } from '../../../src-main/engine/api/errors';

const tiny: VenueLimits = {
  venue: 'test',
  displayName: 'Test',
  headers: 'ratelimit',
  budgets: [{ kind: 'window', id: 'req', limit: 10, windowMs: 1000, source: 'test' }],
  groups: {
    query: { costs: { req: 1 }, priority: Priority.query },
    order: { costs: { req: 1 }, priority: Priority.order },
    cancel: { costs: { req: 1 }, priority: Priority.cancel },
  },
};

/** Drives many concurrent callers against a limiter for 60 s of fake time and logs every grant. */
async function hammer(limits: VenueLimits, seconds: number, seed: number) {
  const timers = new ManualClock();
  const limiter = new RateLimiter(limits, { timers });
  const rnd = new SeededRandom(seed);
  const groups = Object.keys(limits.groups);
  const grants: { t: number; group: string }[] = [];
  const start = timers.now();
  // Far more demand than budget: 200 callers each looping as fast as the limiter allows.
  const callers = Array.from({ length: 200 }, async () => {
    while (timers.now() - start < seconds * 1000) {
      const group = groups[rnd.int(groups.length)]!;
      await limiter.acquire(group);
      grants.push({ t: timers.now(), group });
      await new Promise<void>((r) => timers.setTimeout(r, rnd.int(50)));
    }
  });
  await timers.advanceAsync(seconds * 1000 + 2000);
  void callers;
  return { grants, start };
}

describe('RateLimiter budget', () => {
  it('never exceeds Binance weight or order budgets in any sliding window over 60 s', async () => {
    const { grants } = await hammer(binanceLimits, 60, 1);
    expect(grants.length).toBeGreaterThan(500);
    for (const b of binanceLimits.budgets) {
      if (b.kind !== 'window') continue;
      const costs = grants.map((g) => ({ t: g.t, c: binanceLimits.groups[g.group]!.costs[b.id] ?? 0 })).filter((x) => x.c > 0);
      let lo = 0;
      let sum = 0;
      let peak = 0;
      for (let hi = 0; hi < costs.length; hi++) {
        sum += costs[hi]!.c;
        while (costs[lo]!.t <= costs[hi]!.t - b.windowMs) sum -= costs[lo++]!.c;
        peak = Math.max(peak, sum);
      }
      expect(peak, b.id).toBeLessThanOrEqual(b.limit);
      // The limiter must actually use the budget, not starve callers.
      if (b.id === 'weight') expect(peak).toBeGreaterThan(b.limit - 80);
    }
  });

  it('lets exactly 50 Binance orders out per 10 s under a flood of submits', async () => {
    const timers = new ManualClock();
    const l = new RateLimiter(binanceLimits, { timers });
    const at: number[] = [];
    const t0 = timers.now();
    for (let i = 0; i < 200; i++) void l.acquire('orderNew').then(() => at.push(timers.now() - t0));
    await timers.advanceAsync(35_000);
    expect(at.filter((t) => t < 10_000)).toHaveLength(50);
    expect(at.filter((t) => t <= 10_001)).toHaveLength(100);
    expect(at.length).toBe(200);
  });

  it('keeps the Kraken decaying counter at or below its ceiling', async () => {
    const limits = krakenLimits('starter');
    const { grants } = await hammer(limits, 60, 2);
    for (const b of limits.budgets) {
      if (b.kind !== 'decay') continue;
      let level = 0;
      let at = grants[0]!.t;
      let peak = 0;
      let n = 0;
      for (const g of grants) {
        const c = limits.groups[g.group]!.costs[b.id] ?? 0;
        level = Math.max(0, level - ((g.t - at) * b.decayPerSec) / 1000);
        at = g.t;
        level += c;
        if (c > 0) n++;
        peak = Math.max(peak, level);
      }
      expect(n).toBeGreaterThan(10);
      expect(peak, b.id).toBeLessThanOrEqual(b.max + 1e-6);
    }
  });

  it('declares a budget for every venue and every group draws from a declared budget', () => {
    for (const [venue, l] of Object.entries(VENUE_LIMITS)) {
      expect(l.venue).toBe(venue);
      expect(() => new RateLimiter(l)).not.toThrow();
      for (const b of l.budgets) expect(b.source.length).toBeGreaterThan(3);
    }
    expect(binanceLimits.budgets.find((b) => b.id === 'weight')).toMatchObject({ limit: 6000, windowMs: 60_000 });
    expect(binanceLimits.budgets.find((b) => b.id === 'orders10s')).toMatchObject({ limit: 50, windowMs: 10_000 });
    expect(VENUE_LIMITS['alpaca']!.budgets[0]).toMatchObject({ limit: 200, windowMs: 60_000 });
  });
});

describe('RateLimiter queueing', () => {
  it('serves cancels before orders before queries when the budget frees up', async () => {
    const timers = new ManualClock();
    const l = new RateLimiter(tiny, { timers });
    for (let i = 0; i < 10; i++) expect(l.tryAcquire('query')).toBe(true);
    const order: string[] = [];
    const p = [l.acquire('query').then(() => order.push('query')), l.acquire('order').then(() => order.push('order')), l.acquire('cancel').then(() => order.push('cancel'))];
    await flushMicrotasks();
    expect(order).toEqual([]);
    timers.advance(1001);
    await Promise.all(p);
    expect(order).toEqual(['cancel', 'order', 'query']);
  });

  it('abandons a waiting request at its deadline with rate_limited', async () => {
    const timers = new ManualClock();
    const l = new RateLimiter(tiny, { timers });
    for (let i = 0; i < 10; i++) l.tryAcquire('query');
    const p = l.acquire('query', { deadline: timers.now() + 200 });
    const caught = p.catch((e: unknown) => e);
    timers.advance(199);
    await flushMicrotasks();
    timers.advance(1);
    const e = await caught;
    expect(e).toBeInstanceOf(TradeportError);
    expect((e as TradeportError).code).toBe('rate_limited');
    // The abandoned request did not consume budget: after the window, all 10 slots are free.
    timers.advance(1000);
    for (let i = 0; i < 10; i++) expect(l.tryAcquire('query')).toBe(true);
    expect(l.tryAcquire('query')).toBe(false);
  });

  it("a decaying counter's float residue never strands a waiter (Kraken burst hung CI)", async () => {
    // 14 units decaying 4/s: after 244 ms and 6 ms of decay the level is 13.000000000000002, so
    // one more call does not fit by 2e-15. The waiter must still get a wake-up and go out.
    const decay: VenueLimits = {
      venue: 'test',
      displayName: 'Test',
      headers: 'none',
      budgets: [{ kind: 'decay', id: 'calls', max: 14, decayPerSec: 4, source: 'test' }],
      groups: { query: { costs: { calls: 1 }, priority: Priority.query } },
    };
    const timers = new ManualClock(0);
    const l = new RateLimiter(decay, { timers });
    for (let i = 0; i < 14; i++) expect(l.tryAcquire('query')).toBe(true);
    timers.advance(244);
    expect(l.tryAcquire('query')).toBe(false); // reads the level at 244 ms: 13.024
    timers.advance(6);
    let out = false;
    const p = l.acquire('query').then(() => (out = true));
    await flushMicrotasks();
    expect(out).toBe(false);
    // Step a millisecond at a time: the waiter is served within its decay time plus one tick, and
    // a timer is always pending while it waits.
    for (let ms = 0; ms < 50 && !out; ms++) {
      expect(timers.pendingCount).toBeGreaterThan(0);
      timers.advance(1);
      await flushMicrotasks();
    }
    await p;
    expect(out).toBe(true);
    expect(timers.now()).toBeLessThanOrEqual(250 + 251);
  });

  it('an aborted wait rejects and frees its place', async () => {
    const timers = new ManualClock();
    const l = new RateLimiter(tiny, { timers });
    for (let i = 0; i < 10; i++) l.tryAcquire('query');
    const ac = new AbortController();
    const p = l.acquire('query', { signal: ac.signal }).catch((e: unknown) => (e as TradeportError).code);
    ac.abort();
    expect(await p).toBe('timeout');
    expect(l.usage().waiting).toBe(0);
  });
});

describe('RateLimiter corrections from the venue', () => {
  it('raises its count to X-MBX-USED-WEIGHT-1m so other users of the IP are accounted for', () => {
    const timers = new ManualClock();
    const l = new RateLimiter(binanceLimits, { timers });
    l.tryAcquire('time');
    l.observe({ status: 200, headers: { 'x-mbx-used-weight-1m': '5990' } });
    expect(l.usage().budgets.find((b) => b.id === 'weight')!.used).toBe(5990);
    expect(l.tryAcquire('exchangeInfo')).toBe(false); // 20 more would exceed 6000
    expect(l.tryAcquire('orderQuery')).toBe(true); // 4 fits
    // A lower report never lowers our count: ours may include calls the venue has not seen yet.
    l.observe({ status: 200, headers: { 'x-mbx-used-weight-1m': '10' } });
    expect(l.usage().budgets.find((b) => b.id === 'weight')!.used).toBe(5994);
  });

  it('429 with Retry-After holds every call until it passes', async () => {
    const timers = new ManualClock();
    const l = new RateLimiter(binanceLimits, { timers });
    const blocked: number[] = [];
    l.on('blocked', (e) => blocked.push(e.until - timers.now()));
    l.observe({ status: 429, headers: { 'retry-after': '3' } });
    expect(blocked).toEqual([3000]);
    expect(l.tryAcquire('time')).toBe(false);
    let done = false;
    const p = l.acquire('time').then(() => (done = true));
    timers.advance(2999);
    await flushMicrotasks();
    expect(done).toBe(false);
    timers.advance(2);
    await p;
    expect(done).toBe(true);
  });

  it('418 bans the venue: waiting and new calls fail fast until the ban ends', async () => {
    const timers = new ManualClock();
    const l = new RateLimiter(binanceLimits, { timers });
    for (let i = 0; i < 50; i++) l.tryAcquire('orderNew');
    const waiting = l.acquire('orderNew').catch((e: unknown) => e as TradeportError);
    l.observe({ status: 418, headers: { 'retry-after': '120' } });
    const e = (await waiting) as TradeportError;
    expect(e.code).toBe('rate_limited');
    expect(e.message).toMatch(/banned/);
    await expect(l.acquire('time')).rejects.toMatchObject({ code: 'rate_limited' });
    expect(l.usage().bannedUntil).toBe(timers.now() + 120_000);
    timers.advance(120_001);
    await expect(l.acquire('time')).resolves.toBeUndefined();
  });

  it('Alpaca X-RateLimit-Remaining 0 blocks until X-RateLimit-Reset', () => {
    const timers = new ManualClock();
    const l = new RateLimiter(VENUE_LIMITS['alpaca']!, { timers });
    const reset = Math.ceil((timers.now() + 5000) / 1000);
    l.observe({ status: 200, headers: { 'x-ratelimit-limit': '200', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) } });
    expect(l.usage().budgets[0]!.used).toBe(200);
    expect(l.usage().blockedUntil).toBe(reset * 1000);
  });

  it('emits coalesced usage events for the status bar', () => {
    const timers = new ManualClock();
    const l = new RateLimiter(tiny, { timers, usageIntervalMs: 250 });
    const seen: number[] = [];
    l.on('usage', (u) => seen.push(u.budgets[0]!.used));
    for (let i = 0; i < 5; i++) l.tryAcquire('query');
    expect(seen).toEqual([]);
    timers.advance(250);
    expect(seen).toEqual([5]);
  });

  it('one limiter per venue and key, shared by every caller', () => {
    const reg = new RateLimiterRegistry();
    expect(reg.get(binanceLimits, 'k1')).toBe(reg.get(binanceLimits, 'k1'));
    expect(reg.get(binanceLimits, 'k1')).not.toBe(reg.get(binanceLimits, 'k2'));
  });
});
