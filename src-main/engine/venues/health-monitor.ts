/**
 * The engine side of venue health. Connectors report rate-limit usage and breaker state through
 * the venue port's `health` hook; this keeps the latest per venue (for `snapshot.get`), turns
 * each report into a conflatable `venueHealth` event for the status bar, tells the user when a
 * venue's breaker opens or closes, and pauses/resumes that venue's strategies through the
 * strategy registry (exactly the ones the breaker paused). A side feed (FeedView) going down or
 * coming back is told to the user once per change.
 */
import type { EngineEvent } from '../api/events';
import type { FeedView, VenueHealthReport, VenueHealthView } from '../api/venue-health';
import { BreakerPauseTracker } from '../net/circuit-breaker';
import type { Clock } from '../ports/clock';
import { noStrategies, type StrategyRegistry } from '../ports/strategies';

export interface VenueHealthMonitorDeps {
  readonly emit: (e: EngineEvent) => void;
  readonly clock: Clock;
  readonly strategies?: StrategyRegistry;
}

const strategiesText = (n: number): string => `${n} ${n === 1 ? 'strategy' : 'strategies'}`;

export class VenueHealthMonitor {
  private readonly latestByVenue = new Map<string, VenueHealthView>();
  readonly pauses: BreakerPauseTracker;

  constructor(private readonly d: VenueHealthMonitorDeps) {
    this.pauses = new BreakerPauseTracker(d.strategies ?? noStrategies);
  }

  report(venue: string, r: VenueHealthReport): void {
    const last = this.latestByVenue.get(venue);
    const prev = last?.breaker?.state ?? 'closed';
    const feeds = r.feeds ? { feeds: r.feeds } : {};
    const view: VenueHealthView = { venue, usage: r.usage, breaker: r.breaker, ...feeds };
    this.latestByVenue.set(venue, view);
    this.d.emit({ type: 'venueHealth', venue, usage: r.usage, breaker: r.breaker, ...feeds });
    this.feedChanges(venue, last?.feeds, r.feeds);
    const b = r.breaker;
    // Compared with what we last heard, not the breaker's own `from`: a connector restarted while
    // OPEN comes back CLOSED with a fresh breaker, and its paused strategies must resume.
    const to = b?.state ?? 'closed';
    if (to === prev) return;
    const reason = b?.reason ?? 'venue restarted';
    if (to === 'open') {
      const paused = this.pauses.onState(venue, 'open', reason);
      // A failed half-open probe re-opens it: the user already knows, the status bar shows it.
      if (prev !== 'closed' && paused.length === 0) return;
      const wait = b?.retryAt !== undefined ? ` Tradeport retries in ${Math.max(1, Math.ceil((b.retryAt - this.d.clock.now()) / 1000))} s.` : '';
      const strategies = paused.length > 0 ? ` Paused ${strategiesText(paused.length)} on it (${paused.join(', ')}).` : '';
      this.d.emit({ type: 'notice', level: 'warn', ts: this.d.clock.now(), message: `${venue} is not responding (${reason}); calls to it are paused.${wait}${strategies}` });
    } else if (to === 'closed') {
      const resumed = this.pauses.onState(venue, 'closed', reason);
      const strategies = resumed.length > 0 ? ` Resumed ${strategiesText(resumed.length)} the outage paused (${resumed.join(', ')}).` : '';
      this.d.emit({ type: 'notice', level: 'info', ts: this.d.clock.now(), message: `${venue} is responding again (${reason}).${strategies}` });
    }
  }

  /** A feed that went down or came back since the last report (a feed's first report says nothing). */
  private feedChanges(venue: string, before: readonly FeedView[] | undefined, after: readonly FeedView[] | undefined): void {
    for (const f of after ?? []) {
      const was = before?.find((b) => b.id === f.id);
      if (!was || was.up === f.up) continue;
      const message = f.up ? `${venue}: ${f.label} is back (${f.detail}).` : `${venue}: ${f.label} is down (${f.detail}).`;
      this.d.emit({ type: 'notice', level: f.up ? 'info' : 'warn', ts: this.d.clock.now(), message });
    }
  }

  /** Latest health per venue, for `snapshot.get`. */
  latest(): VenueHealthView[] {
    return [...this.latestByVenue.values()];
  }

  /** The venue was removed: its health is no longer shown. */
  forget(venue: string): void {
    this.latestByVenue.delete(venue);
  }

  /** The user paused, resumed or stopped this strategy by hand: the breaker must not resume it later. */
  userActed(strategyId: string): void {
    this.pauses.forget(strategyId);
  }
}
