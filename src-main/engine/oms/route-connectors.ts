/**
 * Which connector an order's route talks to. LIVE / CANARY / Paper orders go to the venue's own
 * connector; SHADOW orders go to that venue's ShadowExecutor, which simulates them against the
 * venue's real market data and never reaches the venue's submit. One executor per venue, created
 * on first use so that a venue that never sees a SHADOW order never opens a simulated book.
 */
import type { SimStore } from '../sim/sim-store';
import type { StoredOrder } from '../store/orders-repo';
import type { Clock } from '../ports/clock';
import type { VenueConnector, VenueListener } from '../venues/venue-port';
import { SHADOW_ID_PREFIX, ShadowExecutor } from './shadow-executor';

export interface RouteConnectorsDeps {
  /** The simulated venue's records kept under `key` (the engine gives Paper's tables). */
  readonly simStore: (key: string) => SimStore;
  readonly clock: Clock;
  /** The venue's own (real) connector, if it is running. */
  readonly venue: (venue: string) => VenueConnector | undefined;
  /** Where a venue's simulated reports and fills go: the same path as the real venue's. */
  readonly reports: (venue: string) => Pick<VenueListener, 'orderReport' | 'fill' | 'burst'>;
}

export class RouteConnectors {
  private readonly shadows = new Map<string, ShadowExecutor>();

  constructor(private readonly d: RouteConnectorsDeps) {}

  /** The SHADOW route of a venue (created on first use). */
  shadowFor(venue: string): ShadowExecutor {
    let s = this.shadows.get(venue);
    if (!s) {
      s = new ShadowExecutor({ venue, store: this.d.simStore(`${SHADOW_ID_PREFIX}${venue}`), clock: this.d.clock, real: () => this.d.venue(venue), report: this.d.reports(venue) });
      this.shadows.set(venue, s);
    }
    return s;
  }

  /** The SHADOW route of a venue only if it already exists: market data must not create one. */
  existingShadow(venue: string): ShadowExecutor | undefined {
    return this.shadows.get(venue);
  }

  /** The connector an order's route talks to: SHADOW orders never reach the venue's submit. */
  connectorFor(venue: string, route?: StoredOrder['route']): VenueConnector | undefined {
    return route === 'shadow' ? (this.d.venue(venue) ? this.shadowFor(venue) : undefined) : this.d.venue(venue);
  }
}
