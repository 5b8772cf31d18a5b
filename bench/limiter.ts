/**
 * Cost of one awaited acquire when tokens are available: ours, ccxt's Throttler, `limiter`'s
 * RateLimiter and `p-limit` (a concurrency gate, the cheapest thing people put in front of calls).
 * Every budget is sized so no call ever waits: this measures pure overhead.
 */
import * as ccxtNs from 'ccxt';
import { RateLimiter as TheirLimiter } from 'limiter';
import { RateLimiter } from '../src-main/engine/net/rate-limiter';
import { Priority, type VenueLimits } from '../src-main/engine/net/venue-limits';

const N = 300_000;

async function timeAsync(fn: () => Promise<void>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0);
}

export async function run(log: (s: string) => void = console.error): Promise<Record<string, unknown>> {
  // Binance's shape (weight + order counts), with limits too large to ever bind.
  const huge: VenueLimits = {
    venue: 'bench',
    displayName: 'Bench',
    headers: 'none',
    budgets: [
      { kind: 'window', id: 'weight', limit: 1e12, windowMs: 60_000, source: 'bench' },
      { kind: 'window', id: 'orders10s', limit: 1e12, windowMs: 10_000, source: 'bench' },
    ],
    groups: { query: { costs: { weight: 1 }, priority: Priority.query } },
  };
  const ccxt = ((ccxtNs as unknown as { default?: unknown }).default ?? ccxtNs) as { Throttler: new (c: Record<string, number>) => { throttle(cost?: number): Promise<void> } };
  const pLimit = (await import('p-limit')).default;

  const cases: Record<string, () => () => Promise<void>> = {
    ours: () => {
      const l = new RateLimiter(huge);
      return async () => {
        for (let i = 0; i < N; i++) await l.acquire('query');
      };
    },
    ccxt: () => {
      const t = new ccxt.Throttler({ refillRate: 1e9, capacity: 1e12, tokens: 1e12, delay: 0.001 });
      return async () => {
        for (let i = 0; i < N; i++) await t.throttle(1);
      };
    },
    limiter: () => {
      const l = new TheirLimiter({ tokensPerInterval: 1e12, interval: 'minute' });
      return async () => {
        for (let i = 0; i < N; i++) await l.removeTokens(1);
      };
    },
    p_limit: () => {
      const lim = pLimit(1000);
      const noop = (): void => undefined;
      return async () => {
        for (let i = 0; i < N; i++) await lim(noop);
      };
    },
    ours_try_sync: () => {
      const l = new RateLimiter(huge);
      return async () => {
        let ok = 0;
        for (let i = 0; i < N; i++) if (l.tryAcquire('query')) ok++;
        if (ok !== N) throw new Error('tryAcquire refused');
      };
    },
  };
  const best: Record<string, number> = {};
  for (let round = 0; round < 5; round++) {
    for (const [name, make] of Object.entries(cases)) {
      const ns = (await timeAsync(make())) / N;
      best[name] = Math.min(best[name] ?? Infinity, ns);
    }
  }
  log(`limiter: ns per acquire (best of 5 × ${N}): ${Object.entries(best).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`);
  const r1 = (x: number): number => Math.round(x * 10) / 10;
  return {
    bench: 'limiter',
    ours_ns: r1(best['ours']!),
    ccxt_ns: r1(best['ccxt']!),
    ratio_vs_ccxt: Math.round((best['ours']! / best['ccxt']!) * 1000) / 1000,
    limiter_ns: r1(best['limiter']!),
    p_limit_ns: r1(best['p_limit']!),
    ours_try_acquire_ns: r1(best['ours_try_sync']!),
  };
}
