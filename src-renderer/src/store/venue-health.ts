/**
 * What the status bar shows for one venue's network health: a compact rate-limit gauge
 * ("RL 42%", "RL 429 · 5s", "RL BANNED · 2m 10s") and the circuit breaker ("OPEN · 42s" in red
 * with the retry countdown, "HALF-OPEN" in amber, nothing when closed) and a side feed that is
 * down ("DXLink quotes DOWN", in red). Pure so it is tested in Node.
 */
import type { BreakerStateView, VenueHealthView } from '../../../src-main/engine/api/venue-health';

export type Tone = 'ok' | 'warn' | 'bad';

export interface VenueHealthBadge {
  /** Rate-limit gauge text; undefined when the venue has no limiter. */
  readonly gauge: string | undefined;
  readonly gaugeTone: Tone;
  /** `none` when the venue has no breaker. */
  readonly breaker: BreakerStateView | 'none';
  /** Breaker text; undefined when closed or absent (a healthy venue shows only its gauge). */
  readonly breakerLabel: string | undefined;
  readonly breakerTone: Tone;
  /** The side feeds that are down, named; undefined while every feed is up (or there are none). */
  readonly feedsDown: string | undefined;
  /** Tooltip: every budget, the reason the breaker last changed. */
  readonly title: string;
  /** True while a countdown is on screen (the component ticks once a second only then). */
  readonly ticking: boolean;
}

/** "42s", "2m 10s", "1h 5m": time left until `at`, never below 0. */
export function countdown(at: number, now: number): string {
  const s = Math.max(0, Math.ceil((at - now) / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

export function venueHealthBadge(h: VenueHealthView, now: number): VenueHealthBadge {
  const u = h.usage;
  const b = h.breaker;
  let gauge: string | undefined;
  let gaugeTone: Tone = 'ok';
  let ticking = false;
  const lines: string[] = [];
  if (u) {
    const banned = u.bannedUntil !== undefined && u.bannedUntil > now ? u.bannedUntil : undefined;
    const blocked = u.blockedUntil !== undefined && u.blockedUntil > now ? u.blockedUntil : undefined;
    if (banned !== undefined) {
      gauge = `RL BANNED · ${countdown(banned, now)}`;
      gaugeTone = 'bad';
      ticking = true;
      lines.push(`The venue banned this IP for exceeding its rate limits; no calls until ${new Date(banned).toISOString()}.`);
    } else if (blocked !== undefined) {
      gauge = `RL 429 · ${countdown(blocked, now)}`;
      gaugeTone = 'bad';
      ticking = true;
      lines.push(`The venue asked us to slow down (429); calls wait until ${new Date(blocked).toISOString()}.`);
    } else {
      gauge = `RL ${u.pct}%`;
      gaugeTone = u.pct >= 90 ? 'bad' : u.pct >= 70 ? 'warn' : 'ok';
    }
    lines.push(...u.budgets.map((x) => `${x.id}: ${x.used}/${x.limit} (${x.pct}%)`));
    if (u.waiting > 0) lines.push(`${u.waiting} request${u.waiting === 1 ? '' : 's'} waiting for budget`);
  }
  let breakerLabel: string | undefined;
  let breakerTone: Tone = 'ok';
  if (b) {
    if (b.state === 'open') {
      // Past retryAt the engine is about to let the probe through; say so rather than "0s".
      breakerLabel = b.retryAt !== undefined && b.retryAt > now ? `OPEN · ${countdown(b.retryAt, now)}` : 'OPEN · retrying';
      breakerTone = 'bad';
      ticking = true;
    } else if (b.state === 'half_open') {
      breakerLabel = 'HALF-OPEN';
      breakerTone = 'warn';
    }
    lines.push(`circuit breaker ${b.state.replace('_', '-')}${b.reason ? `: ${b.reason}` : ''}`);
  }
  const feeds = h.feeds ?? [];
  const down = feeds.filter((f) => !f.up);
  lines.push(...feeds.map((f) => `${f.label} ${f.up ? 'up' : 'down'}: ${f.detail}`));
  const feedsDown = down.length > 0 ? `${down.map((f) => f.label).join(', ')} DOWN` : undefined;
  return { gauge, gaugeTone, breaker: b ? b.state : 'none', breakerLabel, breakerTone, feedsDown, title: lines.join('\n'), ticking };
}
