import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src-main/engine/api/events';
import type { FeedView, VenueHealthReport } from '../../../src-main/engine/api/venue-health';
import { VenueHealthMonitor } from '../../../src-main/engine/venues/health-monitor';

const feed = (up: boolean, since: number): FeedView => ({ id: 'quotes', label: 'Side quotes', up, since, detail: up ? 'streaming' : 'socket closed; reconnecting' });
const report = (f?: FeedView): VenueHealthReport => ({ usage: null, breaker: null, ...(f ? { feeds: [f] } : {}) });

describe('venue health: side feeds', () => {
  it('carries the feeds into the event and the snapshot, and tells the user once per change (not on the first report)', () => {
    const events: EngineEvent[] = [];
    const m = new VenueHealthMonitor({ emit: (e) => events.push(e), clock: { now: () => 1000 } });
    m.report('v', report(feed(true, 1)));
    m.report('v', report(feed(true, 1)));
    m.report('v', report(feed(false, 2)));
    m.report('v', report(feed(false, 2)));
    m.report('v', report(feed(true, 3)));
    expect(events.filter((e) => e.type === 'venueHealth').map((e) => (e.type === 'venueHealth' ? e.feeds?.[0]?.up : undefined))).toEqual([true, true, false, false, true]);
    const notices = events.flatMap((e) => (e.type === 'notice' ? [[e.level, e.message]] : []));
    expect(notices).toEqual([
      ['warn', 'v: Side quotes is down (socket closed; reconnecting).'],
      ['info', 'v: Side quotes is back (streaming).'],
    ]);
    expect(m.latest()).toEqual([{ venue: 'v', usage: null, breaker: null, feeds: [feed(true, 3)] }]);
  });

  it('a venue without feeds reports none', () => {
    const events: EngineEvent[] = [];
    const m = new VenueHealthMonitor({ emit: (e) => events.push(e), clock: { now: () => 1000 } });
    m.report('v', report());
    expect(events).toEqual([{ type: 'venueHealth', venue: 'v', usage: null, breaker: null }]);
    expect(m.latest()).toEqual([{ venue: 'v', usage: null, breaker: null }]);
  });
});
