/**
 * Per-venue routing modes and their arming rules.
 *
 *   shadow  (default) every order is filled by the Paper engine on the venue's real quotes
 *   canary  a fixed fraction `canaryPct` of orders goes live, the rest are shadowed
 *   live    every order goes to the venue
 *
 * The canary choice is a pure function of the client order id, so the preview, the OMS, a
 * restart and a reconciliation all agree on where one order went, and raising canaryPct only
 * ever adds ids to the live set (an order previewed as live stays live). The hash is part of
 * that contract: changing it re-routes existing ids, so it is pinned by tests.
 *
 * Anything that increases live exposure needs arming (the UI: type the venue name; the CLI:
 * `--arm`). Anything that reduces it — back to shadow, live → canary, a lower canary % — never
 * does: the way out must not have a speed bump.
 */
import { z } from 'zod';
import { fail, ok, type Result } from '../api/errors';

export type RoutingMode = 'shadow' | 'canary' | 'live';
export type Route = 'shadow' | 'live';
export const ROUTING_MODES: readonly RoutingMode[] = ['shadow', 'canary', 'live'];
export const DEFAULT_ROUTING_MODE: RoutingMode = 'shadow';

/** Canary percentages resolve to 0.01 %: buckets are basis points. */
const BUCKETS = 10_000;

const utf8 = new TextEncoder();

/**
 * FNV-1a (32-bit) over the UTF-8 bytes, then the murmur3 finaliser: FNV alone leaves the low
 * bits poorly mixed for ids that differ only in their last characters (sequential client ids),
 * and the bucket is taken from the low end.
 */
export function hashClientOrderId(id: string): number {
  let h = 0x811c9dc5;
  for (const b of utf8.encode(id)) {
    h ^= b;
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Where in [0, 100) this id falls, in steps of 0.01. */
export function canaryBucket(clientOrderId: string): number {
  return (hashClientOrderId(clientOrderId) % BUCKETS) / 100;
}

/** The route for one order. Deterministic: the same id and settings always give the same answer. */
export function routeFor(mode: RoutingMode, canaryPct: number, clientOrderId: string): Route {
  switch (mode) {
    case 'shadow':
      return 'shadow';
    case 'live':
      return 'live';
    case 'canary': {
      // A bad percentage routes to shadow: when in doubt, do not send real orders.
      if (!Number.isFinite(canaryPct) || canaryPct <= 0) return 'shadow';
      const threshold = Math.round(Math.min(canaryPct, 100) * 100);
      return hashClientOrderId(clientOrderId) % BUCKETS < threshold ? 'live' : 'shadow';
    }
  }
}

// ── arming ──────────────────────────────────────────────────────────────────────────────────────

export const modeSetSchema = z
  .object({
    venue: z.string().trim().min(1).max(64),
    mode: z.enum(['shadow', 'canary', 'live']),
    canaryPct: z.number().optional(),
    /** CLI `--arm`. */
    arm: z.boolean().default(false),
    /** What the user typed in the UI's confirmation box. */
    typedVenueName: z.string().max(64).optional(),
  })
  .strict();
export type ModeSetInput = z.input<typeof modeSetSchema>;

export interface ModeChangeRequest {
  readonly venue: string;
  readonly from: RoutingMode;
  /** The current canary % (only meaningful when `from` is canary). */
  readonly fromCanaryPct?: number | undefined;
  readonly to: RoutingMode;
  readonly canaryPct?: number | undefined;
  readonly arm?: boolean | undefined;
  readonly typedVenueName?: string | undefined;
  /** False for venues with no live route at all (the Paper venue). */
  readonly liveCapable?: boolean | undefined;
}

export interface ModeChange {
  readonly venue: string;
  readonly from: RoutingMode;
  readonly to: RoutingMode;
  /** Set only when `to` is canary. */
  readonly canaryPct: number | null;
  readonly changed: boolean;
  /** True when this change increased live exposure and was armed. */
  readonly armed: boolean;
  /** One line for the audit log. */
  readonly summary: string;
}

/** Share of orders that go live, as a number in [0, 100]. */
function liveShare(mode: RoutingMode, pct: number | undefined): number {
  return mode === 'live' ? 100 : mode === 'canary' ? (pct ?? 0) : 0;
}

function label(mode: RoutingMode, pct: number | null): string {
  return mode === 'canary' ? `CANARY ${pct ?? 0} %` : mode.toUpperCase();
}

export function validateModeChange(req: ModeChangeRequest): Result<ModeChange> {
  const venue = typeof req.venue === 'string' ? req.venue.trim() : '';
  if (!venue) return fail('invalid_input', 'Name the venue whose mode you are changing.');
  if (!ROUTING_MODES.includes(req.to)) return fail('invalid_input', `Mode must be one of: ${ROUTING_MODES.join(', ')}.`);
  if (!ROUTING_MODES.includes(req.from)) return fail('invalid_input', `Current mode of ${venue} is not one of: ${ROUTING_MODES.join(', ')}.`);

  let canaryPct: number | null = null;
  if (req.to === 'canary') {
    const p = req.canaryPct;
    if (p === undefined) return fail('invalid_input', `CANARY needs a percentage of orders to send live, e.g. --canary-pct 5.`);
    if (!Number.isFinite(p) || p <= 0 || p >= 100) {
      return fail('invalid_input', `Canary percentage must be above 0 and below 100 (got ${String(p)}). Use shadow for 0 % or live for 100 %.`);
    }
    if (Math.abs(p * 100 - Math.round(p * 100)) > 1e-9) {
      return fail('invalid_input', `Canary percentage has at most two decimals (got ${p}).`);
    }
    canaryPct = Math.round(p * 100) / 100;
  } else if (req.canaryPct !== undefined) {
    return fail('invalid_input', `A canary percentage only applies to CANARY mode, not ${req.to.toUpperCase()}.`);
  }

  if (req.to !== 'shadow' && req.liveCapable === false) {
    return fail('invalid_input', `${venue} has no live route; it only runs simulated orders.`);
  }

  const before = liveShare(req.from, req.fromCanaryPct);
  const after = liveShare(req.to, canaryPct ?? undefined);
  const fromLabel = label(req.from, req.from === 'canary' ? (req.fromCanaryPct ?? null) : null);
  const toLabel = label(req.to, canaryPct);

  if (req.from === req.to && before === after) {
    return ok({ venue, from: req.from, to: req.to, canaryPct, changed: false, armed: false, summary: `${venue} is already ${toLabel}` });
  }

  const needsArming = after > before;
  if (needsArming) {
    const what = req.to === 'live' ? 'sends every order to the venue as a real order' : `sends ${canaryPct} % of orders to the venue as real orders`;
    if (req.typedVenueName !== undefined) {
      if (req.typedVenueName.trim() !== venue) {
        return fail('invalid_input', `To switch ${venue} to ${toLabel}, type the venue name "${venue}" exactly. ${toLabel} ${what}.`);
      }
    } else if (req.arm !== true) {
      return fail('invalid_input', `${toLabel} on ${venue} ${what}. To confirm, type the venue name in the app, or add --arm in the CLI.`);
    }
  }

  return ok({
    venue,
    from: req.from,
    to: req.to,
    canaryPct,
    changed: true,
    armed: needsArming,
    summary: `${venue}: ${fromLabel} → ${toLabel}${needsArming ? ' (armed)' : ''}`,
  });
}
