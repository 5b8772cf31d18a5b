/**
 * Commands that configure venues: adding, editing and removing them, their secrets, and their
 * routing mode (SHADOW / CANARY / LIVE), whose changes are audited as arm / disarm / change.
 */
import type { VenueMode } from '../api/commands';
import { TradeportError } from '../api/errors';
import type { EngineEvent } from '../api/events';
import type { CommandHandlers } from '../api/engine-api';
import type { Clock } from '../ports/clock';
import { validateModeChange, type RoutingMode } from '../domain/routing';
import type { AuditRepo } from '../store/audit-repo';
import type { OrdersRepo } from '../store/orders-repo';
import type { PortfolioRepo } from '../store/portfolio-repo';
import type { VenueHealthMonitor } from '../venues/health-monitor';
import type { VenueManager } from '../venues/venue-manager';

export interface VenueCommandsDeps {
  readonly venues: VenueManager;
  readonly orders: OrdersRepo;
  readonly portfolio: PortfolioRepo;
  readonly health: VenueHealthMonitor;
  readonly audit: AuditRepo;
  readonly clock: Clock;
  readonly emit: (e: EngineEvent) => void;
}

type VenueCommand = 'venues.list' | 'venue.kinds' | 'venue.add' | 'venue.set' | 'venue.remove' | 'secret.set' | 'secret.status' | 'mode.set';

export function venueCommands(d: VenueCommandsDeps): Pick<CommandHandlers, VenueCommand> {
  const { venues, orders, portfolio, health, audit, clock, emit } = d;
  return {
    'venues.list': () => venues.list(),
    'venue.kinds': () => venues.kinds(),
    'venue.add': (i) => venues.add(i.kind, i.name, i.settings),
    'venue.set': (i) => venues.set(i.name, i.settings),
    'venue.remove': async (i) => {
      const working = orders.list({ venue: i.name, workingOnly: true, limit: 1 });
      if (working.length > 0) {
        throw new TradeportError('invalid_input', `Venue "${i.name}" still has working orders. Cancel them first (tradeport cancel-all ${i.name}).`);
      }
      await venues.remove(i.name);
      portfolio.clearVenue(i.name);
      health.forget(i.name);
      return { name: i.name, removed: true as const };
    },
    'secret.set': (i) => venues.setSecret(i.venue, i.field, i.value),
    'secret.status': (i) => venues.secretStatus(i.venue),
    'mode.set': (i, ctx) => {
      const rec = venues.record(i.venue);
      if (!rec)
        throw new TradeportError(
          'unknown_venue',
          `Unknown venue "${i.venue}". Configured venues: ${venues
            .list()
            .map((v) => v.name)
            .join(', ')}.`,
        );
      const cur = venues.modeOf(i.venue);
      if (cur.mode === 'paper') throw new TradeportError('invalid_input', `${i.venue} is the simulated Paper venue: it has no SHADOW/CANARY/LIVE modes and never sends real orders.`);
      const v = validateModeChange({
        venue: i.venue,
        from: cur.mode as RoutingMode,
        fromCanaryPct: cur.canaryPct,
        to: i.mode,
        canaryPct: i.canaryPct,
        arm: i.arm,
        typedVenueName: i.typedVenueName,
        liveCapable: true,
      });
      if (!v.ok) throw new TradeportError(v.error.code, v.error.message);
      const c = v.value;
      const info = c.changed ? venues.setMode(i.venue, c.to, c.canaryPct) : venues.info(i.venue)!;
      if (c.changed) {
        const share = (m: VenueMode, p: number | null) => (m === 'live' ? 100 : m === 'canary' ? (p ?? 0) : 0);
        const action = c.armed ? 'mode.arm' : share(c.to, c.canaryPct) < share(c.from, cur.canaryPct) ? 'mode.disarm' : 'mode.change';
        audit.append({
          ts: clock.now(),
          actor: ctx.actor,
          transport: ctx.transport,
          action,
          venue: i.venue,
          ok: true,
          detail: {
            from: c.from,
            fromCanaryPct: cur.mode === 'canary' ? cur.canaryPct : null,
            to: c.to,
            canaryPct: c.canaryPct,
            armed: c.armed,
            via: i.typedVenueName !== undefined ? 'typed venue name' : i.arm ? '--arm' : 'none needed',
            summary: c.summary,
          },
        });
        emit({ type: 'notice', level: c.armed ? 'warn' : 'info', ts: clock.now(), message: c.summary });
      }
      return { venue: info, from: cur.mode, to: c.to, canaryPct: c.canaryPct, changed: c.changed, armed: c.armed, summary: c.summary };
    },
  };
}
