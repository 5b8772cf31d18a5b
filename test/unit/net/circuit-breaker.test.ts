import { describe, expect, it } from 'vitest';
import { BreakerPauseTracker, CircuitBreaker, type BreakerState } from '../../../src-main/engine/net/circuit-breaker';
import { ManualClock } from '../../../src-main/engine/ports/clock';
import { TradeportError } from '../../../src-main/engine/api/errors';

function setup(opts: { failureThreshold?: number; openMs?: number } = {}) {
  const timers = new ManualClock();
  const b = new CircuitBreaker('binance', { timers, displayName: 'Binance', ...opts });
  const states: [BreakerState, BreakerState][] = [];
  b.on('state', (e) => states.push([e.from, e.to]));
  const fail = (): void => b.record(b.admit(), 'failure', 'HTTP 503');
  const ok = (): void => b.record(b.admit(), 'success');
  return { timers, b, states, fail, ok };
}

describe('CircuitBreaker state machine', () => {
  it('opens after exactly 5 consecutive failures and fails fast with venue_unavailable', () => {
    const { b, states, fail } = setup();
    for (let i = 0; i < 4; i++) fail();
    expect(b.state).toBe('closed');
    fail();
    expect(b.state).toBe('open');
    expect(states).toEqual([['closed', 'open']]);
    let err: unknown;
    try {
      b.admit();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TradeportError);
    expect((err as TradeportError).code).toBe('venue_unavailable');
    expect((err as TradeportError).message).toMatch(/Binance is not responding \(HTTP 503\).*60 s/);
  });

  it('a success or a 4xx in between resets the count', () => {
    const { b, fail, ok } = setup();
    for (let i = 0; i < 4; i++) fail();
    ok();
    for (let i = 0; i < 4; i++) fail();
    b.record(b.admit(), 'neutral');
    for (let i = 0; i < 4; i++) fail();
    expect(b.state).toBe('closed');
    // 4xx (neutral) never trips it however many there are.
    for (let i = 0; i < 50; i++) b.record(b.admit(), 'neutral');
    expect(b.state).toBe('closed');
  });

  it('OPEN for 60 s → HALF_OPEN lets exactly one probe through → CLOSED on success', () => {
    const { b, timers, states, fail } = setup();
    for (let i = 0; i < 5; i++) fail();
    timers.advance(59_999);
    expect(() => b.admit()).toThrow(TradeportError);
    timers.advance(1);
    expect(b.state).toBe('half_open');
    const probe = b.admit();
    expect(probe.probe).toBe(true);
    expect(() => b.admit()).toThrow(/testing the connection/);
    b.record(probe, 'success');
    expect(b.state).toBe('closed');
    expect(states).toEqual([
      ['closed', 'open'],
      ['open', 'half_open'],
      ['half_open', 'closed'],
    ]);
  });

  it('a failed probe reopens with the timer reset to a full period', () => {
    const { b, timers, states, fail } = setup();
    for (let i = 0; i < 5; i++) fail();
    timers.advance(60_000);
    timers.advance(10_000); // probe sent late: the new OPEN period counts from its failure
    const probe = b.admit();
    b.record(probe, 'failure', 'timeout');
    expect(b.state).toBe('open');
    expect(b.retryAt).toBe(timers.now() + 60_000);
    timers.advance(59_999);
    expect(b.state).toBe('open');
    timers.advance(1);
    expect(b.state).toBe('half_open');
    expect(states.map((s) => s[1])).toEqual(['open', 'half_open', 'open', 'half_open']);
  });

  it('thresholds are configurable', () => {
    const { b, timers, fail } = setup({ failureThreshold: 2, openMs: 1000 });
    fail();
    fail();
    expect(b.state).toBe('open');
    timers.advance(1000);
    expect(b.state).toBe('half_open');
  });

  it('a late answer to a call sent before the breaker opened does not close it', () => {
    const { b, fail } = setup();
    const early = b.admit();
    for (let i = 0; i < 5; i++) fail();
    b.record(early, 'success');
    expect(b.state).toBe('open');
  });

  it('run() classifies results and errors', async () => {
    const { b } = setup({ failureThreshold: 1 });
    await expect(
      b.run(
        async () => 1,
        () => 'success',
      ),
    ).resolves.toBe(1);
    await expect(
      b.run(
        async () => Promise.reject(new Error('ECONNREFUSED')),
        () => 'failure',
      ),
    ).rejects.toThrow('ECONNREFUSED');
    expect(b.state).toBe('open');
    await expect(
      b.run(
        async () => 1,
        () => 'success',
      ),
    ).rejects.toMatchObject({ code: 'venue_unavailable' });
  });
});

describe('BreakerPauseTracker', () => {
  it('pauses the venue strategies on OPEN and resumes exactly those on CLOSED', () => {
    const { b, timers, fail } = setup();
    const running = new Map<string, string>([
      ['dca-1', 'binance'],
      ['grid-2', 'binance'],
      ['twap-3', 'kraken'],
    ]);
    const paused = new Set<string>(['grid-9']);
    running.set('grid-9', 'binance');
    const log: string[] = [];
    const tracker = new BreakerPauseTracker({
      running: (venue) => [...running].filter(([id, v]) => v === venue && !paused.has(id)).map(([id]) => id),
      pause: (id) => {
        paused.add(id);
        log.push(`pause ${id}`);
      },
      resume: (id) => {
        paused.delete(id);
        log.push(`resume ${id}`);
      },
    });
    tracker.watch(b);
    for (let i = 0; i < 5; i++) fail();
    expect(log).toEqual(['pause dca-1', 'pause grid-2']);
    // The user stops dca-1 by hand during the outage: the breaker must not restart it.
    tracker.forget('dca-1');
    timers.advance(60_000);
    b.record(b.admit(), 'success');
    expect(log).toEqual(['pause dca-1', 'pause grid-2', 'resume grid-2']);
    expect(paused.has('grid-9')).toBe(true); // paused by the user before the outage: untouched
    expect(tracker.pausedBy.size).toBe(0);
  });
});
