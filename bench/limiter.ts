/**
 * Cost of one awaited acquire when tokens are available: ours, ccxt's Throttler, `limiter`'s
 * RateLimiter and `p-limit` (a concurrency gate, the cheapest thing people put in front of calls).
 * Every budget is sized so no call ever waits: this measures pure overhead. Each case runs in its
 * own process (bench/run.ts): one warm-up pass, then the median of TIMED passes, in CPU time
 * (the figure compared) and wall time.
 */
import { RateLimiter } from '../src-main/engine/net/rate-limiter';
import { timePass } from './cpu-clock';
import { Priority, type VenueLimits } from '../src-main/engine/net/venue-limits';

const N = 300_000;
const TIMED = 3;

// Binance's shape (weight + order counts), with limits too large to ever bind.
const HUGE: VenueLimits = {
  venue: 'bench',
  displayName: 'Bench',
  headers: 'none',
  budgets: [
    { kind: 'window', id: 'weight', limit: 1e12, windowMs: 60_000, source: 'bench' },
    { kind: 'window', id: 'orders10s', limit: 1e12, windowMs: 10_000, source: 'bench' },
  ],
  groups: { query: { costs: { weight: 1 }, priority: Priority.query } },
};

/**
 * ns per call, wall and CPU: a warm-up pass, then the median of TIMED passes. Each pass gets a
 * fresh limiter from `make`, as a sliding-window log grows with every call it keeps.
 */
async function nsPerCall(make: () => () => Promise<void>): Promise<{ ns: number; cpu_ns: number }> {
  await make()();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < TIMED; i++) {
    const t = await timePass(make());
    wall.push(t.wallNs / N);
    cpu.push(t.cpuNs / N);
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { ns: median(wall), cpu_ns: median(cpu) };
}

export const cases: Record<string, () => Promise<{ ns: number; cpu_ns: number }>> = {
  ours: () =>
    nsPerCall(() => {
      const l = new RateLimiter(HUGE);
      return async () => {
        for (let i = 0; i < N; i++) await l.acquire('query');
      };
    }),
  ccxt: async () => {
    const ccxtNs = await import('ccxt');
    const ccxt = ((ccxtNs as unknown as { default?: unknown }).default ?? ccxtNs) as { Throttler: new (c: Record<string, number>) => { throttle(cost?: number): Promise<void> } };
    return nsPerCall(() => {
      const t = new ccxt.Throttler({ refillRate: 1e9, capacity: 1e12, tokens: 1e12, delay: 0.001 });
      return async () => {
        for (let i = 0; i < N; i++) await t.throttle(1);
      };
    });
  },
  limiter: async () => {
    const { RateLimiter: TheirLimiter } = await import('limiter');
    return nsPerCall(() => {
      const l = new TheirLimiter({ tokensPerInterval: 1e12, interval: 'minute' });
      return async () => {
        for (let i = 0; i < N; i++) await l.removeTokens(1);
      };
    });
  },
  p_limit: async () => {
    const pLimit = (await import('p-limit')).default;
    const noop = (): void => undefined;
    return nsPerCall(() => {
      const lim = pLimit(1000);
      return async () => {
        for (let i = 0; i < N; i++) await lim(noop);
      };
    });
  },
  ours_try_sync: () =>
    nsPerCall(() => {
      const l = new RateLimiter(HUGE);
      return async () => {
        let ok = 0;
        for (let i = 0; i < N; i++) if (l.tryAcquire('query')) ok++;
        if (ok !== N) throw new Error('tryAcquire refused');
      };
    }),
};
