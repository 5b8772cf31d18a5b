/**
 * Venue health end to end through the engine: a connector's rate limiter and circuit breaker
 * reach the status bar as `venueHealth` events and `snapshot.get`, breaker OPEN/CLOSED reach the
 * user as notices, and OPEN pauses that venue's strategies while CLOSED resumes exactly the ones
 * the breaker paused (not one the user touched meanwhile, not one on another venue).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src-main/engine/api/events';
import { createEngine, type Engine } from '../../../src-main/engine/engine';
import { CircuitBreaker } from '../../../src-main/engine/net/circuit-breaker';
import { RateLimiter } from '../../../src-main/engine/net/rate-limiter';
import { ManualClock } from '../../../src-main/engine/ports/clock';
import { VenueHealthReporter } from '../../../src-main/engine/net/venue-health';
import { ibkrPacing } from '../../../src-main/engine/venues/ibkr/ibkr-config';
import { MemorySecretStore } from '../../../src-main/engine/ports/secrets';
import type { StrategyRegistry } from '../../../src-main/engine/ports/strategies';
import { VENUE_FACTORIES } from '../../../src-main/engine/venues/registry';
import type { VenueContext, VenueFactory, VenueListener } from '../../../src-main/engine/venues/venue-port';
import { ScriptedVenue } from '../../support/scripted-venue';

const T0 = Date.UTC(2026, 10, 18, 15, 0, 0);

class HealthyVenue extends ScriptedVenue {
  readonly limiter: RateLimiter;
  readonly breaker: CircuitBreaker;
  private readonly reporter: VenueHealthReporter;
  private l?: VenueListener;
  constructor(name: string, timers: ManualClock) {
    super(name, () => timers.now());
    this.limiter = new RateLimiter(ibkrPacing(40), { timers });
    this.breaker = new CircuitBreaker(name, { timers });
    this.reporter = new VenueHealthReporter({ limiter: this.limiter, breaker: this.breaker, timers, onReport: (r) => this.l?.health?.(r) });
  }
  override async start(l: VenueListener) {
    this.l = l;
    this.reporter.start();
    await super.start(l);
  }
  override async stop() {
    this.reporter.stop();
    this.l = undefined;
    await super.stop();
  }
  health() {
    return this.reporter.report();
  }
  fail(n: number) {
    for (let i = 0; i < n; i++) this.breaker.record(this.breaker.admit(), 'failure', 'HTTP 503');
  }
}

/** A strategy runner as the engine sees it; `state` is what a user would see in a strategies panel. */
class FakeStrategies implements StrategyRegistry {
  readonly state = new Map<string, { venue: string; status: 'running' | 'paused' | 'stopped' }>();
  readonly log: string[] = [];
  running(venue: string) {
    return [...this.state].filter(([, s]) => s.venue === venue && s.status === 'running').map(([id]) => id);
  }
  pause(id: string, reason: string) {
    this.state.get(id)!.status = 'paused';
    this.log.push(`pause ${id}: ${reason}`);
  }
  resume(id: string, reason: string) {
    this.state.get(id)!.status = 'running';
    this.log.push(`resume ${id}: ${reason}`);
  }
}

let engine: Engine | undefined;
let dir: string | undefined;
afterEach(async () => {
  await engine?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  engine = undefined;
});

async function setup() {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-health-'));
  const timers = new ManualClock(T0);
  // One clock for the engine and the venue's timers, as in production (both read Date.now()).
  const clock = timers;
  const instances = new Map<string, HealthyVenue>();
  const factory: VenueFactory = {
    info: { kind: 'healthy', label: 'Venue with limiter and breaker', settings: [], secrets: [] },
    create(ctx: VenueContext) {
      // A fresh connector per start, as a real venue restart builds one.
      const v = new HealthyVenue(ctx.name, timers);
      instances.set(ctx.name, v);
      return v;
    },
  };
  const strategies = new FakeStrategies();
  strategies.state.set('dca-btc', { venue: 'h', status: 'running' });
  strategies.state.set('grid-eth', { venue: 'h', status: 'running' });
  strategies.state.set('twap-idle', { venue: 'h', status: 'paused' });
  strategies.state.set('dip-paper', { venue: 'paper', status: 'running' });
  engine = await createEngine({ dataDir: dir, secrets: new MemorySecretStore(), clock, paperSeed: 7, paperTickMs: 0, strategies, venueFactories: new Map([...VENUE_FACTORIES, ['healthy', factory]]) });
  const events: EngineEvent[] = [];
  engine.subscribe((e) => events.push(e));
  const add = await engine.call('venue.add', { kind: 'healthy', name: 'h' });
  if (!add.ok) throw new Error(add.error.message);
  return { e: engine, timers, venue: () => instances.get('h')!, strategies, events };
}

const healthEvents = (events: EngineEvent[]) => events.filter((e): e is Extract<EngineEvent, { type: 'venueHealth' }> => e.type === 'venueHealth');
const notices = (events: EngineEvent[]) => events.filter((e): e is Extract<EngineEvent, { type: 'notice' }> => e.type === 'notice').map((e) => `${e.level}: ${e.message}`);

describe('venue health through the engine', () => {
  it('shows usage and the breaker, notifies on OPEN/CLOSED and pauses exactly the strategies it resumes', async () => {
    const { e, timers, venue, strategies, events } = await setup();
    const snap0 = await e.call('snapshot.get', {});
    if (!snap0.ok) throw new Error(snap0.error.message);
    expect(snap0.value.venueHealth?.find((h) => h.venue === 'h')).toMatchObject({ venue: 'h', usage: { pct: 0 }, breaker: { state: 'closed' } });

    // 5 TWS messages: the 1 s budget is 40; the 100 ms burst window has passed by the report.
    for (let i = 0; i < 5; i++) await venue().limiter.acquire('message');
    timers.advance(250);
    const busy = healthEvents(events).at(-1)!;
    expect(busy.usage!.pct).toBe(13);
    expect(busy.usage!.budgets.find((b) => b.id === 'messages')).toMatchObject({ used: 5, limit: 40, pct: 13 });
    // The gauge falls back to 0 % without any further call.
    timers.advance(2000);
    expect(healthEvents(events).at(-1)!.usage!.pct).toBe(0);

    events.length = 0;
    venue().fail(5);
    const open = healthEvents(events).at(-1)!;
    expect(open.breaker).toMatchObject({ state: 'open', retryAt: T0 + 2250 + 60_000, reason: '5 consecutive failures, last: HTTP 503' });
    expect(notices(events)).toEqual([
      expect.stringMatching(/^warn: h is not responding \(5 consecutive failures, last: HTTP 503\).*Tradeport retries in 60 s\. Paused 2 strategies on it \(dca-btc, grid-eth\)\.$/),
    ]);
    expect(strategies.running('h')).toEqual([]);
    expect(strategies.state.get('dip-paper')!.status).toBe('running');
    expect(e.internals.health.pauses.isPausedByBreaker('dca-btc')).toBe(true);
    const snapOpen = await e.call('snapshot.get', {});
    expect(snapOpen.ok && snapOpen.value.venueHealth?.find((h) => h.venue === 'h')?.breaker?.state).toBe('open');

    // The user stops one paused strategy during the outage: the breaker must not start it again.
    strategies.state.get('grid-eth')!.status = 'stopped';
    e.internals.health.userActed('grid-eth');

    events.length = 0;
    timers.advance(60_000);
    expect(healthEvents(events).at(-1)!.breaker!.state).toBe('half_open');
    expect(notices(events)).toEqual([]);
    const probe = venue().breaker.admit();
    venue().breaker.record(probe, 'success');
    expect(healthEvents(events).at(-1)!.breaker!.state).toBe('closed');
    expect(notices(events)).toEqual([expect.stringMatching(/^info: h is responding again \(probe succeeded\)\. Resumed 1 strategy the outage paused \(dca-btc\)/)]);
    expect(Object.fromEntries([...strategies.state].map(([id, s]) => [id, s.status]))).toEqual({ 'dca-btc': 'running', 'grid-eth': 'stopped', 'twap-idle': 'paused', 'dip-paper': 'running' });
    expect(strategies.log.filter((l) => l.startsWith('resume'))).toEqual(['resume dca-btc: h available again']);
  });

  it('resumes the strategies when the venue restarts while OPEN (a fresh connector reports CLOSED)', async () => {
    const { e, venue, strategies, events } = await setup();
    venue().fail(5);
    expect(strategies.running('h')).toEqual([]);
    events.length = 0;
    const set = await e.call('venue.set', { name: 'h', settings: {} });
    expect(set.ok).toBe(true);
    expect(strategies.running('h').sort()).toEqual(['dca-btc', 'grid-eth']);
    expect(notices(events).some((n) => n.startsWith('info: h is responding again'))).toBe(true);
  });

  it('conflates venueHealth per venue and drops it from the snapshot when the venue is removed', async () => {
    const { e } = await setup();
    const { conflationKey } = await import('../../../src-main/engine/api/events');
    expect(conflationKey({ type: 'venueHealth', venue: 'h', usage: null, breaker: null })).toBe('vh|h');
    const rm = await e.call('venue.remove', { name: 'h' });
    expect(rm.ok).toBe(true);
    const snap = await e.call('snapshot.get', {});
    expect(snap.ok && snap.value.venueHealth?.some((h) => h.venue === 'h')).toBe(false);
  });
});
