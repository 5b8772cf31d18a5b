import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src-main/engine/api/events';
import type { VenueHealthView } from '../../../src-main/engine/api/venue-health';
import { applyEvents, applySnapshot, emptyEngineData } from '../../../src-renderer/src/store/engine-state';
import { countdown, venueHealthBadge } from '../../../src-renderer/src/store/venue-health';
import { snapshot } from './fixtures';

const NOW = Date.UTC(2026, 10, 18, 15, 0, 0);

function health(venue: string, p: { pct?: number; blockedUntil?: number; bannedUntil?: number; breaker?: VenueHealthView['breaker'] } = {}): VenueHealthView {
  return {
    venue,
    usage: {
      budgets: [{ id: 'weight', used: (p.pct ?? 0) * 60, limit: 6000, pct: p.pct ?? 0 }],
      pct: p.pct ?? 0,
      waiting: 0,
      ...(p.blockedUntil !== undefined ? { blockedUntil: p.blockedUntil } : {}),
      ...(p.bannedUntil !== undefined ? { bannedUntil: p.bannedUntil } : {}),
      at: NOW,
    },
    breaker: p.breaker === undefined ? { state: 'closed', consecutiveFailures: 0, since: 0 } : p.breaker,
  };
}
const event = (h: VenueHealthView): EngineEvent => ({ type: 'venueHealth', venue: h.venue, usage: h.usage, breaker: h.breaker });

describe('venue health in the store', () => {
  it('takes it from the snapshot and keeps the latest event per venue', () => {
    let s = applySnapshot(emptyEngineData, snapshot({ venueHealth: [health('binance', { pct: 10 }), health('ib', { pct: 5 })] }));
    expect(Object.keys(s.venueHealth).sort()).toEqual(['binance', 'ib']);
    const ib = s.venueHealth.ib;
    s = applyEvents(s, [event(health('binance', { pct: 42 })), event(health('binance', { pct: 43 }))]);
    expect(s.venueHealth.binance!.usage!.pct).toBe(43);
    // Another venue's entry is the same object: its badge does not re-render.
    expect(s.venueHealth.ib).toBe(ib);
  });

  it('leaves the slice identical when a batch has no health event', () => {
    const s0 = applySnapshot(emptyEngineData, snapshot({ venueHealth: [health('binance')] }));
    const s1 = applyEvents(s0, [{ type: 'notice', level: 'info', message: 'x', ts: 1 }]);
    expect(s1.venueHealth).toBe(s0.venueHealth);
  });

  it('keeps what events said when an older engine sends a snapshot without the field', () => {
    const s0 = applyEvents(emptyEngineData, [event(health('ib', { pct: 7 }))]);
    const s1 = applySnapshot(s0, snapshot());
    expect(s1.venueHealth.ib!.usage!.pct).toBe(7);
  });
});

describe('venueHealthBadge', () => {
  it('shows a compact gauge and nothing for a closed breaker', () => {
    const b = venueHealthBadge(health('binance', { pct: 42 }), NOW);
    expect(b).toMatchObject({ gauge: 'RL 42%', gaugeTone: 'ok', breaker: 'closed', breakerLabel: undefined, ticking: false });
    expect(b.title).toContain('weight: 2520/6000 (42%)');
    expect(venueHealthBadge(health('binance', { pct: 75 }), NOW).gaugeTone).toBe('warn');
    expect(venueHealthBadge(health('binance', { pct: 95 }), NOW).gaugeTone).toBe('bad');
  });

  it('shows OPEN in red with the retry countdown, and HALF-OPEN in amber', () => {
    const open = venueHealthBadge(health('binance', { breaker: { state: 'open', retryAt: NOW + 42_400, consecutiveFailures: 0, reason: '5 consecutive failures, last: HTTP 503', since: NOW } }), NOW);
    expect(open).toMatchObject({ breaker: 'open', breakerLabel: 'OPEN · 43s', breakerTone: 'bad', ticking: true });
    expect(open.title).toContain('circuit breaker open: 5 consecutive failures, last: HTTP 503');
    expect(venueHealthBadge(health('binance', { breaker: { state: 'open', retryAt: NOW - 1, consecutiveFailures: 0, since: NOW } }), NOW).breakerLabel).toBe('OPEN · retrying');
    expect(venueHealthBadge(health('binance', { breaker: { state: 'half_open', consecutiveFailures: 0, since: NOW } }), NOW)).toMatchObject({
      breaker: 'half_open',
      breakerLabel: 'HALF-OPEN',
      breakerTone: 'warn',
    });
  });

  it('shows a 429 hold and a ban with their countdowns, and forgets them once over', () => {
    expect(venueHealthBadge(health('binance', { pct: 100, blockedUntil: NOW + 5000 }), NOW)).toMatchObject({ gauge: 'RL 429 · 5s', gaugeTone: 'bad', ticking: true });
    expect(venueHealthBadge(health('binance', { pct: 100, bannedUntil: NOW + 130_000 }), NOW).gauge).toBe('RL BANNED · 2m 10s');
    expect(venueHealthBadge(health('binance', { pct: 3, blockedUntil: NOW - 1 }), NOW).gauge).toBe('RL 3%');
  });

  it('shows no breaker for a venue without one', () => {
    expect(venueHealthBadge({ ...health('ib', { pct: 1 }), breaker: null }, NOW)).toMatchObject({ breaker: 'none', breakerLabel: undefined });
    expect(countdown(NOW + 3_725_000, NOW)).toBe('1h 2m');
  });

  it('names a side feed that is down, and nothing while every feed is up; the store keeps the feeds', () => {
    const feed = (up: boolean) => ({ id: 'quotes', label: 'DXLink quotes', up, since: NOW, detail: up ? 'streaming' : 'socket closed; reconnecting' });
    const down = venueHealthBadge({ ...health('tt'), feeds: [feed(false)] }, NOW);
    expect(down.feedsDown).toBe('DXLink quotes DOWN');
    expect(down.title).toContain('DXLink quotes down: socket closed; reconnecting');
    expect(venueHealthBadge({ ...health('tt'), feeds: [feed(true)] }, NOW).feedsDown).toBeUndefined();
    expect(venueHealthBadge(health('binance'), NOW).feedsDown).toBeUndefined();
    const s = applyEvents(emptyEngineData, [{ type: 'venueHealth', venue: 'tt', usage: null, breaker: null, feeds: [feed(false)] }]);
    expect(s.venueHealth.tt!.feeds).toEqual([feed(false)]);
  });
});
