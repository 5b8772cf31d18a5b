/**
 * Commands about the engine itself: who it is, how it is doing, and the snapshot a window loads
 * before it starts following events.
 */
import type { StorageStatus } from '../api/events';
import type { EngineInfo, QuoteView, Snapshot } from '../api/commands';
import type { CommandHandlers } from '../api/engine-api';
import { quoteView } from '../venues/market-views';
import { withMark } from '../portfolio/marks';
import type { Clock } from '../ports/clock';
import type { OrdersRepo } from '../store/orders-repo';
import type { PortfolioRepo } from '../store/portfolio-repo';
import type { VenueHealthMonitor } from '../venues/health-monitor';
import type { VenueManager } from '../venues/venue-manager';

export interface EngineInfoCommandsDeps {
  readonly info: EngineInfo;
  readonly clock: Clock;
  /** Events emitted so far, by type (live: read at each call). */
  readonly eventCounts: Readonly<Record<string, number>>;
  readonly venues: VenueManager;
  readonly orders: OrdersRepo;
  readonly portfolio: PortfolioRepo;
  readonly health: VenueHealthMonitor;
  /** Whether the journal takes writes. */
  readonly storage?: () => StorageStatus;
}

export function engineInfoCommands(d: EngineInfoCommandsDeps): Pick<CommandHandlers, 'engine.info' | 'engine.stats' | 'snapshot.get'> {
  const { info, clock, eventCounts, venues, orders, portfolio, health } = d;
  return {
    'engine.info': () => info,
    'engine.stats': () => {
      const mem = process.memoryUsage();
      return { uptimeMs: clock.now() - info.startedAt, rssBytes: mem.rss, heapUsedBytes: mem.heapUsed, events: { ...eventCounts } };
    },
    'snapshot.get': (): Snapshot => {
      const quotes: QuoteView[] = [];
      for (const v of venues.list()) {
        const conn = venues.get(v.name);
        if (!conn) continue;
        for (const inst of conn.instruments()) {
          const q = quoteView(venues, v.name, inst);
          if (q) quotes.push(q);
        }
      }
      const working = orders.list({ workingOnly: true, limit: 5000 });
      const recent = orders.list({ limit: 300 });
      const seen = new Set(working.map((o) => o.id));
      return {
        info,
        venues: venues.list(),
        orders: [...working, ...recent.filter((o) => !seen.has(o.id))],
        fills: orders.fills({ limit: 300 }),
        positions: portfolio.positions().map((p) => withMark(venues, p)),
        balances: portfolio.balances(),
        quotes,
        venueHealth: health.latest(),
        ...(d.storage ? { storage: d.storage() } : {}),
      };
    },
  };
}
