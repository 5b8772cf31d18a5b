/**
 * Order entry: every new order (user, CLI, strategy, kill-switch flatten) and every modify passes
 * here before the OMS. The route's connector must be able to carry the ticket, the unified preview
 * plus every risk check must allow it, and the kill switch is asked once more in the same tick as
 * the journal write (the preview awaited the venue, so it may have tripped meanwhile). A refusal
 * is audited as `risk.breach` with the violations; what was refused is never journaled or sent.
 */
import type { commandSchemas, Preview } from '../api/commands';
import { TradeportError, type ErrorCode } from '../api/errors';
import type { CallContext } from '../api/engine-api';
import type { Instrument } from '../domain/instrument';
import type { Actor } from '../domain/order';
import type { NormalizedTicket } from '../domain/order-validation';
import { BASIC_CAPABILITIES, capabilitiesForMode, capabilityRefusal, multiLegRefusal } from '../domain/order-capabilities';
import { findInstrumentOnDemand } from '../venues/market-views';
import type { Clock } from '../ports/clock';
import type { TripMode } from '../domain/kill-switch-state';
import type { RiskService } from '../risk/risk-service';
import type { AuditRepo } from '../store/audit-repo';
import type { OrdersRepo, StoredOrder } from '../store/orders-repo';
import type { VenueManager } from '../venues/venue-manager';
import type { VenueConnector } from '../venues/venue-port';
import type { OrderManager } from './order-manager';
import { buildPreview, resolveTicket } from './preview';
import { bindingChanges, canonicalJson, PreviewRegistry, type BindingInputs, type IssuedPreview, type PreviewBinding } from './preview-binding';
import { mergeReplace } from './replace';
import { withLegs } from './multi-leg';

type TicketInput = ReturnType<(typeof commandSchemas)['order.place']['parse']>;
/** An `order.place` input, or one built inside the engine (flatten), which must name its time in force. */
export type TicketLike = Omit<TicketInput, 'tif'> & { tif: TicketInput['tif'] };
export type PreviewCommandInput = ReturnType<(typeof commandSchemas)['order.preview']['parse']>;
export type ReplaceCommandInput = ReturnType<(typeof commandSchemas)['order.replace']['parse']>;
export interface PlaceOptions {
  /** A kill-switch flatten: a position-reducing order passes a tripped kill switch. */
  readonly flatten?: boolean;
  /** Forces the route (flatten closes each route's part of a position on that route). */
  readonly route?: StoredOrder['route'];
  /** The trader confirmed this order another way (flatten-all's count-and-venues question): no preview id is asked for. */
  readonly confirmed?: boolean;
  /** A further condition checked in the same tick as the journal write (one-click: still armed); throws to refuse. */
  readonly admit?: () => void;
}
export type PlaceOrder = (i: TicketLike, ctx: CallContext, opts?: PlaceOptions) => Promise<StoredOrder>;

export interface OrderEntryDeps {
  readonly venues: Pick<VenueManager, 'get' | 'require' | 'info' | 'list' | 'route' | 'modeOf'>;
  readonly orders: OrdersRepo;
  readonly oms: OrderManager;
  readonly risk: RiskService;
  readonly audit: AuditRepo;
  readonly clock: Clock;
  /** The connector an order's route talks to (oms/route-connectors.ts). */
  readonly connectorFor: (venue: string, route?: StoredOrder['route']) => VenueConnector | undefined;
  /** A risk check can ask for the kill switch to trip (risk/kill-switch-ops.ts). */
  readonly tripKillSwitch: (mode: TripMode, flatten: boolean, reason: string, actor: Actor) => Promise<unknown>;
}

/**
 * How long the engine honours a preview. The ticket disables Place after 60 s; the few seconds more
 * cover a Ctrl+Enter pressed in the last instant while its message is in flight.
 */
export const PREVIEW_LIFETIME_MS = 65_000;

interface PreviewPlus {
  readonly preview: Preview;
  readonly reduces: boolean;
  readonly trip: { reason: string } | null;
}

export class OrderEntry {
  private readonly previews = new PreviewRegistry(PREVIEW_LIFETIME_MS);

  constructor(private readonly d: OrderEntryDeps) {}

  private get ks() {
    return this.d.risk.killSwitch;
  }

  /** `order.preview`: the same checks `place` would run, for the client id and route it would use. */
  async preview(i: PreviewCommandInput, ctx: CallContext): Promise<Preview> {
    const { orders, oms, venues } = this.d;
    const { inst, ticket } = await this.resolve(i);
    // The preview reserves nothing: it names the client id the route was computed for, and the ticket sends it back on place.
    const existing = i.clientOrderId ? orders.byClientId(i.clientOrderId) : undefined;
    const clientOrderId = i.clientOrderId ?? oms.newClientOrderId();
    const route = existing?.route ?? venues.route(i.venue, clientOrderId);
    this.assertSupported(i.venue, route, ticket);
    const p = (await this.previewOrder(i.venue, inst, ticket, clientOrderId, route, ctx)).preview;
    // Bound to what the trader was shown: a place on this preview goes this route or not at all.
    const binding: PreviewBinding = { venue: i.venue, instrumentId: inst.id, clientOrderId, ticket, ...this.bindingInputs(i.venue, inst.id, clientOrderId) };
    const { previewId, expiresAt } = this.previews.issue({ ...binding, route }, this.d.clock.now());
    return { ...p, previewId, expiresAt };
  }

  /** Every order (user, CLI, strategy, flatten) enters here: preview + risk, then the OMS. */
  async place(i: TicketLike, ctx: CallContext, opts: PlaceOptions = {}): Promise<StoredOrder> {
    const { orders, oms, venues, risk, audit, clock } = this.d;
    const ks = this.ks;
    const { inst, ticket } = await this.resolve(i);
    if (i.clientOrderId) {
      // A repeated idempotency key returns the order it made (or refuses a different one), even if the market has moved since.
      const existing = orders.byClientId(i.clientOrderId);
      if (existing) return oms.place({ venue: i.venue, instrument: inst, ticket, clientOrderId: i.clientOrderId, route: existing.route, actor: ctx.actor });
    }
    const issued = this.previewFor(i, ctx, opts.confirmed === true);
    const clientOrderId = i.clientOrderId ?? issued?.binding.clientOrderId ?? oms.newClientOrderId();
    const route = opts.route ?? venues.route(i.venue, clientOrderId);
    const bound = (): void => {
      if (issued) this.assertBinding(issued.binding, { venue: i.venue, instrumentId: inst.id, clientOrderId, ticket, ...this.bindingInputs(i.venue, inst.id, clientOrderId) });
      if (i.expectRoute && i.expectRoute !== route)
        throw new TradeportError(
          'route_changed',
          `This order would go ${route.toUpperCase()} on ${i.venue}, not ${i.expectRoute.toUpperCase()} as expected; nothing was sent. Check the venue's mode (tradeport venues) and place again.`,
          { expected: i.expectRoute, route },
        );
    };
    bound();
    // What the route's connector cannot carry is refused here: nothing journaled, nothing sent.
    this.assertSupported(i.venue, route, ticket);
    const p = await this.previewOrder(i.venue, inst, ticket, clientOrderId, route, ctx, opts.flatten === true);
    if (p.trip && ks.state === 'running') await this.d.tripKillSwitch('reducing', false, p.trip.reason, 'system');
    if (!p.preview.allowed) {
      const v = p.preview.violations;
      audit.append({
        ts: clock.now(),
        actor: ctx.actor,
        transport: ctx.transport,
        action: 'risk.breach',
        venue: i.venue,
        ok: false,
        detail: { symbol: inst.symbol, side: ticket.side, qty: ticket.qty, clientOrderId, route, violations: v },
      });
      throw new TradeportError(refusalCode(v.map((x) => x.code)), v.map((x) => x.message).join(' '), { violations: v, clientOrderId, route });
    }
    const key = risk.rateKeyFor(i.venue, ctx.strategyId);
    return oms.place({
      venue: i.venue,
      instrument: inst,
      ticket,
      clientOrderId,
      route,
      actor: ctx.actor,
      gate: () => {
        // The preview awaited the venue; the mode, the limits or the kill switch may have changed
        // since. Checked in the same tick as the journal write, so what is journaled is what was shown.
        if (!opts.route && venues.route(i.venue, clientOrderId) !== route) {
          throw new TradeportError(
            'preview_stale',
            `Preview again: the route changed from ${route.toUpperCase()} to ${venues.route(i.venue, clientOrderId).toUpperCase()} while this order was being checked. Nothing was sent.`,
            { route },
          );
        }
        bound();
        opts.admit?.();
        if (!ks.allows(p.reduces) && !(opts.flatten && p.reduces)) {
          const snap = ks.snapshot();
          throw new TradeportError('halted', `Trading is ${snap.state} by the kill switch${snap.reason ? ` (${snap.reason})` : ''}; the order was not sent.`);
        }
        risk.admitToRate(key, i.venue, inst.id, 'order');
      },
    });
  }

  /** Modify a working order: the merged ticket goes through the same preview + risk as a new one, then the OMS. */
  async replace(i: ReplaceCommandInput, ctx: CallContext): Promise<StoredOrder> {
    const { oms, venues, audit, clock } = this.d;
    const ks = this.ks;
    const o = this.findOrder(i.id, i.venue);
    const inst = venues.get(o.venue)?.instrument(o.instrumentId);
    if (!inst) throw new TradeportError('venue_unavailable', `Venue "${o.venue}" is not running (or no longer lists ${o.symbol}); the order stays as it is.`);
    const merged = mergeReplace(o, i, inst);
    const changes = merged.changes;
    // A spread's legs stay as they are: only its quantity and net price change.
    const ticket = o.legs ? { ...merged.ticket, legs: o.legs } : merged.ticket;
    if (changes.qty === undefined && changes.limitPrice === undefined && changes.stopPrice === undefined) return o;
    const p = await this.previewOrder(o.venue, inst, ticket, o.clientOrderId, o.route, ctx, false, o);
    if (p.trip && ks.state === 'running') await this.d.tripKillSwitch('reducing', false, p.trip.reason, 'system');
    if (!p.preview.allowed) {
      const v = p.preview.violations;
      audit.append({
        ts: clock.now(),
        actor: ctx.actor,
        transport: ctx.transport,
        action: 'risk.breach',
        venue: o.venue,
        ok: false,
        detail: { symbol: inst.symbol, side: ticket.side, qty: ticket.qty, clientOrderId: o.clientOrderId, route: o.route, replace: changes, violations: v },
      });
      throw new TradeportError(refusalCode(v.map((x) => x.code)), v.map((x) => x.message).join(' '), { violations: v, clientOrderId: o.clientOrderId, route: o.route });
    }
    const key = this.d.risk.rateKeyFor(o.venue, ctx.strategyId);
    return oms.replace(o.id, changes, ctx.actor, () => {
      // The preview awaited the venue; the kill switch may have tripped since.
      if (!ks.allows(p.reduces)) {
        const snap = ks.snapshot();
        throw new TradeportError('halted', `Trading is ${snap.state} by the kill switch${snap.reason ? ` (${snap.reason})` : ''}; the change was not sent.`);
      }
      // Checked and recorded here, right before the journal write and the send: every modify that
      // goes to the venue counts against max_orders_per_minute (refused ones above never reach it).
      this.d.risk.admitToRate(key, o.venue, o.instrumentId, 'modify');
    });
  }

  /**
   * The preview this place was confirmed on. The trader's own window (IPC, or the browser over the
   * bridge) must name one: a place the trader did not see previewed is refused. The CLI and
   * strategies place without one; the engine previews again and the caller may pin the route
   * (`expectRoute`).
   */
  private previewFor(i: TicketLike, ctx: CallContext, confirmed: boolean): IssuedPreview | undefined {
    const fromWindow = !confirmed && ctx.actor === 'user' && (ctx.transport === 'ipc' || ctx.transport === 'bridge');
    if (!i.previewId) {
      if (fromWindow) throw new TradeportError('preview_stale', 'Preview the order first (Enter), then place it: an order is only placed on a preview you have seen. Nothing was sent.');
      return undefined;
    }
    const issued = this.previews.get(i.previewId, this.d.clock.now());
    if (!issued)
      throw new TradeportError('preview_stale', `Preview again: this preview has expired (a preview lasts ${PREVIEW_LIFETIME_MS / 1000 - 5} s) or the engine has restarted since. Nothing was sent.`, {
        previewId: i.previewId,
      });
    return issued;
  }

  private bindingInputs(venue: string, instrumentId: string, clientOrderId: string): BindingInputs {
    const { venues, risk } = this.d;
    const m = venues.modeOf(venue);
    return {
      route: venues.route(venue, clientOrderId),
      mode: m.mode,
      canaryPct: m.canaryPct,
      killSwitch: risk.killSwitch.snapshot().state,
      settings: canonicalJson(venues.info(venue)?.settings ?? {}),
      limits: canonicalJson(risk.limits(venue, instrumentId)),
    };
  }

  private assertBinding(then: PreviewBinding, now: PreviewBinding): void {
    const changes = bindingChanges(then, now);
    if (changes.length === 0) return;
    const first = changes[0]!;
    const msg = `Preview again: ${first}${changes.length > 1 ? ` (and ${changes.length - 1} more change${changes.length > 2 ? 's' : ''})` : ''}. Nothing was sent.`;
    throw new TradeportError('preview_stale', msg, { changes });
  }

  /**
   * The ticket checked against its instrument, with a multi-leg ticket's legs resolved
   * (oms/multi-leg.ts). A multi-leg ticket on a venue that cannot carry one in its mode is refused
   * first, before any leg is looked up: nothing journaled, nothing sent.
   */
  private async resolve(i: PreviewCommandInput | TicketLike): Promise<{ inst: Instrument; ticket: NormalizedTicket }> {
    const { venues, clock } = this.d;
    if (i.legs) this.assertLegsCarried(i.venue);
    const r = resolveTicket(i, await findInstrumentOnDemand(venues, i.venue, i.symbol), clock.now());
    const ticket = await withLegs(r.ticket, r.inst, i.legs, (symbol) => findInstrumentOnDemand(venues, i.venue, symbol));
    return { inst: r.inst, ticket };
  }

  /** Refuses (`unsupported_order`) a multi-leg ticket where the venue's mode routes to a connector without `multiLeg`. */
  private assertLegsCarried(venue: string): void {
    const { venues } = this.d;
    venues.require(venue);
    const mode = venues.modeOf(venue).mode;
    const live = venues.get(venue)?.capabilities?.();
    if (capabilitiesForMode(mode, live).multiLeg) return;
    const label = (venues.info(venue)?.label ?? venue).replace(/\s*\(.*\)\s*$/, '');
    const named = label.toLowerCase() === venue.toLowerCase() ? label : `${label} (${venue})`;
    const simulated = mode === 'shadow' ? ' in SHADOW mode (simulated by the Paper engine)' : mode === 'canary' ? ' in CANARY mode (part of its orders are simulated by the Paper engine)' : '';
    const hint = simulated && live?.multiLeg ? `, or arm LIVE to send it to ${label}` : '';
    const r = multiLegRefusal(`${named}${simulated}`, hint);
    throw new TradeportError('unsupported_order', r.message, { feature: r.feature, venue });
  }

  /** An order by local id, client order id or venue order id. */
  findOrder(id: string, venue?: string): StoredOrder {
    const { orders, venues } = this.d;
    const o =
      orders.byId(id) ??
      orders.byClientId(id) ??
      (venue
        ? orders.byVenueOrderId(venue, id)
        : venues
            .list()
            .map((v) => orders.byVenueOrderId(v.name, id))
            .find(Boolean));
    if (!o || (venue && o.venue !== venue)) throw new TradeportError('order_not_found', `No order "${id}"${venue ? ` on ${venue}` : ''}. List working orders with: tradeport orders`);
    return o;
  }

  /** The unified preview plus every risk check, for this very client id and route. */
  private async previewOrder(
    venue: string,
    inst: Instrument,
    ticket: NormalizedTicket,
    clientOrderId: string,
    route: Preview['route'],
    ctx: CallContext,
    flatten = false,
    replacing?: StoredOrder,
  ): Promise<PreviewPlus> {
    const { venues, risk, clock } = this.d;
    const venueLabel = (venues.info(venue)?.label ?? venue).replace(/\s*\(.*\)\s*$/, '');
    await risk.freshenQuote(venue, inst.id, ticket.legs);
    // A spread's market is combined from its legs once, for the preview and the risk checks both.
    const spread = risk.spread(venue, ticket);
    const raw = await buildPreview({ venue, connector: venues.require(venue), instrument: inst, ticket, route, clock, venueLabel, spread });
    // A modify: the venue's estimate counts the working order's reservation and the new ticket
    // both, so its account check would double count; the venue checks the change itself. Not so
    // for SHADOW buying power: the real account reserves nothing for a simulated order and no venue
    // checks the change, so the real account's check of the whole new ticket stands.
    const dropOnModify = (code: string) => code === 'insufficient_position' || (code === 'insufficient_funds' && route !== 'shadow');
    const base = replacing ? { ...raw, violations: raw.violations.filter((v) => !dropOnModify(v.code)) } : raw;
    const r = risk.evaluate({ venue, instrument: inst, ticket, actor: ctx.actor, strategyId: ctx.strategyId, flatten, replacing, spread });
    const has = (code: string) => base.violations.some((v) => v.code === code);
    // The venue-level checks already said it in their own words: no second message for the same problem.
    const dup = (code: string) => (code === 'risk.no_quote' && has('no_quote')) || (code === 'risk.session' && has('market_closed'));
    const violations = [...base.violations, ...r.violations.filter((v) => !dup(v.code))];
    const warnings = [...base.warnings, ...r.warnings.filter((w) => !(w.code === 'risk.no_quote' && base.warnings.some((x) => x.code === 'no_quote')))];
    const m = venues.modeOf(venue);
    return {
      preview: { ...base, allowed: violations.length === 0, violations, warnings, clientOrderId, mode: m.mode, ...(m.mode === 'canary' ? { canaryPct: m.canaryPct } : {}) },
      reduces: r.reduces,
      trip: r.tripKillSwitch,
    };
  }

  /**
   * Refuses (`unsupported_order`) what the connector of this route cannot carry, naming the venue
   * and the alternative. A SHADOW order is simulated by the Paper engine, so it follows Paper's
   * capabilities even when the real venue could take it (then the message says so).
   */
  private assertSupported(venue: string, route: StoredOrder['route'], ticket: NormalizedTicket): void {
    const { venues } = this.d;
    const conn = this.d.connectorFor(venue, route);
    if (!conn) return;
    const label = (venues.info(venue)?.label ?? venue).replace(/\s*\(.*\)\s*$/, '');
    const named = label.toLowerCase() === venue.toLowerCase() ? label : `${label} (${venue})`;
    const caps = conn.capabilities?.() ?? BASIC_CAPABILITIES;
    let who = named;
    let hint = '';
    if (route === 'shadow') {
      who = `${named} in SHADOW mode (simulated by the Paper engine)`;
      const live = venues.get(venue)?.capabilities?.() ?? BASIC_CAPABILITIES;
      if (!capabilityRefusal(live, ticket, named)) hint = `or arm LIVE to send it to ${label}`;
    }
    const r = capabilityRefusal(caps, ticket, who, hint);
    if (r) throw new TradeportError('unsupported_order', r.message, { feature: r.feature, venue, route });
  }
}

/** The error code of a refused order: the kill switch first, then a venue-specific code, else risk_violation. */
function refusalCode(codes: readonly string[]): ErrorCode {
  if (codes.some((c) => c === 'risk.halted' || c === 'risk.reducing_only')) return 'halted';
  const specific: readonly ErrorCode[] = ['insufficient_funds', 'insufficient_position', 'market_closed', 'no_quote', 'notional_below_minimum'];
  return specific.find((c) => c === codes[0]) ?? 'risk_violation';
}
