import { describe, expect, it } from 'vitest';
import { linkView } from '../../../src-renderer/src/store/link-view';
import { venueAlerts } from '../../../src-renderer/src/features/venues/venue-model';

describe('linkView: without the engine the page cannot trade', () => {
  it('is live only when the link is open and a snapshot is on screen', () => {
    expect(linkView({ state: 'open', detail: 'engine 0.1.0' }, true)).toEqual({ offline: false, banner: undefined, tone: 'info' });
    expect(linkView({ state: 'open', detail: 'engine 0.1.0' }, false).offline).toBe(true);
  });
  it('a lost bridge disables trading and says the prices are not live', () => {
    const v = linkView({ state: 'reconnecting', detail: 'reconnecting in 4 s', retryInMs: 4000 }, true);
    expect(v.offline).toBe(true);
    expect(v.tone).toBe('bad');
    expect(v.banner).toMatch(/not reachable/);
    expect(v.banner).toMatch(/Trading is disabled/);
    expect(v.banner).toMatch(/not live/);
  });
  it('an engine restarted with a new token is named as such', () => {
    const v = linkView({ state: 'unauthorized', detail: 'token rejected' }, true);
    expect(v.offline).toBe(true);
    expect(v.banner).toMatch(/restarted with a new access token/);
  });
});

describe('venueAlerts: TWS 1100 is a banner, not only a tag', () => {
  const ib = { name: 'ib', kind: 'ibkr', state: 'degraded' as const, detail: 'TWS 193 · DU1 · client 7 · TWS lost its connection to IB (1100)', phase: 'degraded' as const };
  it("says what it means for a degraded venue, in the venue's own words", () => {
    const [a, ...rest] = venueAlerts([ib, { ...ib, name: 'paper', kind: 'paper', state: 'connected', phase: 'connected' }]);
    expect(rest).toEqual([]);
    expect(a!.venue).toBe('ib');
    expect(a!.text).toBe('ib: degraded — new orders to ib are paused; working orders stay at the venue. TWS 193 · DU1 · client 7 · TWS lost its connection to IB (1100)');
  });
  it('says "new orders paused" once when the venue already says it', () => {
    const [a] = venueAlerts([{ ...ib, detail: 'TWS 193 · degraded: TWS lost its connection to IB (1100) — new orders paused' }]);
    expect(a!.text).toBe('ib: degraded — working orders stay at the venue. TWS 193 · degraded: TWS lost its connection to IB (1100) — new orders paused');
  });
  it('nothing while connected', () => {
    expect(venueAlerts([{ ...ib, state: 'connected', phase: 'connected' }])).toEqual([]);
  });
});
