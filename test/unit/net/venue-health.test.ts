import { describe, expect, it } from 'vitest';
import type { VenueHealthReport } from '../../../src-main/engine/api/venue-health';
import { CircuitBreaker } from '../../../src-main/engine/net/circuit-breaker';
import { RateLimiter } from '../../../src-main/engine/net/rate-limiter';
import { ManualClock } from '../../../src-main/engine/ports/clock';
import { binanceLimits } from '../../../src-main/engine/venues/binance/binance-limits';
import { VenueHealthReporter } from '../../../src-main/engine/net/venue-health';
import { LiveQuotes } from '../../../src-main/engine/market/live-quotes';

function setup() {
  const timers = new ManualClock();
  const limiter = new RateLimiter(binanceLimits, { timers });
  const breaker = new CircuitBreaker('binance', { timers });
  const reports: VenueHealthReport[] = [];
  const reporter = new VenueHealthReporter({ limiter, breaker, timers, onReport: (r) => reports.push(r) });
  reporter.start();
  return { timers, limiter, breaker, reports, reporter };
}

describe('VenueHealthReporter', () => {
  it('reports usage as the limiter counts it, then its decay back to 0 %', () => {
    const { timers, limiter, reports } = setup();
    expect(reports).toHaveLength(1);
    expect(reports[0]!.usage!.pct).toBe(0);
    limiter.observe({ status: 200, headers: { 'x-mbx-used-weight-1m': '2520' } });
    expect(limiter.tryAcquire('time')).toBe(true);
    timers.advance(250);
    const busy = reports.at(-1)!.usage!;
    expect(busy.budgets.find((b) => b.id === 'weight')!.pct).toBeGreaterThanOrEqual(42);
    expect(busy.pct).toBe(Math.max(...busy.budgets.map((b) => b.pct)));
    const n = reports.length;
    timers.advance(61_000);
    expect(reports.at(-1)!.usage!.pct).toBe(0);
    // Once idle it stops re-reading: no timer keeps running.
    timers.advance(10_000);
    expect(reports.length).toBeLessThanOrEqual(n + 2);
  });

  it('shows a 429 hold and a 418 ban as a full gauge with their end', () => {
    const { timers, limiter, reports } = setup();
    limiter.observe({ status: 429, headers: { 'retry-after': '5' } });
    expect(reports.at(-1)!.usage).toMatchObject({ pct: 100, blockedUntil: timers.now() + 5000 });
    limiter.observe({ status: 418, headers: { 'retry-after': '120' } });
    expect(reports.at(-1)!.usage).toMatchObject({ pct: 100, bannedUntil: timers.now() + 120_000 });
    timers.advance(121_000);
    expect(reports.at(-1)!.usage!.bannedUntil).toBeUndefined();
  });

  it('reports every breaker change at once, with its reason and retry time', () => {
    const { timers, breaker, reports, reporter } = setup();
    for (let i = 0; i < 5; i++) breaker.record(breaker.admit(), 'failure', 'timeout');
    expect(reports.at(-1)!.breaker).toMatchObject({ state: 'open', retryAt: timers.now() + 60_000, reason: '5 consecutive failures, last: timeout' });
    timers.advance(60_000);
    expect(reports.at(-1)!.breaker!.state).toBe('half_open');
    reporter.stop();
    const n = reports.length;
    breaker.record(breaker.admit(), 'success');
    expect(reports).toHaveLength(n);
  });

  it('carries its side feeds in every report and reports at once when one goes down or up; stop unsubscribes', () => {
    const timers = new ManualClock();
    const quotes = new LiveQuotes(() => undefined, { label: 'X market data', now: () => timers.now() });
    const reports: VenueHealthReport[] = [];
    const reporter = new VenueHealthReporter({ timers, feeds: () => [quotes], onReport: (r) => reports.push(r) });
    expect(reporter.report().feeds).toEqual([quotes.feed()]);
    reporter.start();
    expect(reports.at(-1)!.feeds![0]!.up).toBe(true);
    quotes.down();
    expect(reports).toHaveLength(2);
    expect(reports.at(-1)!.feeds![0]).toMatchObject({ id: 'quotes', up: false, since: timers.now() });
    quotes.up();
    expect(reports).toHaveLength(3);
    expect(reports.at(-1)!.feeds![0]!.up).toBe(true);
    reporter.stop();
    quotes.down();
    expect(reports).toHaveLength(3);
  });

  it('a reporter without feeds reports none', () => {
    const { reporter } = setup();
    expect(reporter.report().feeds).toBeUndefined();
  });
});
