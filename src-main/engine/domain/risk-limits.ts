/**
 * The risk limits model: one set of limits at each of four scopes, the most specific winning.
 *
 *   instrument (venue + instrumentId)  >  venue  >  global  >  built-in defaults
 *
 * Every value is a canonical decimal string (it lives in a SQLite TEXT column and on the wire) or
 * `'off'`, which switches the limit off at that scope even when a broader scope sets one — e.g. a
 * global 25,000 USD order cap with `off` for the Paper venue. A field absent at a scope inherits.
 *
 * Money limits (order/position notional, daily loss) are in the account currency; pre-trade
 * converts an instrument's quote currency with the rate the engine supplies.
 *
 * Pure: no I/O. The engine persists `RiskConfig` and passes `resolveLimits(...)` to pre-trade.
 */
import { z } from 'zod';
import { Decimal, parseDecimal, toStr, type DecimalString } from './money';

/** Key names exactly as the CLI (`risk set <key> <value>`) and the settings store use them. */
export const RISK_LIMIT_KEYS = [
  'max_order_qty',
  'max_order_notional',
  'max_position_qty',
  'max_position_notional',
  'max_concentration_pct',
  'daily_loss_limit',
  'price_collar_pct',
  'max_quote_age_ms',
  'max_open_orders',
  'max_orders_per_minute',
] as const;
export type RiskLimitKey = (typeof RISK_LIMIT_KEYS)[number];

export type LimitField =
  | 'maxOrderQty'
  | 'maxOrderNotional'
  | 'maxPositionQty'
  | 'maxPositionNotional'
  | 'maxConcentrationPct'
  | 'dailyLossLimit'
  | 'priceCollarPct'
  | 'maxQuoteAgeMs'
  | 'maxOpenOrders'
  | 'maxOrdersPerMinute';

export const FIELD_OF_KEY: Readonly<Record<RiskLimitKey, LimitField>> = {
  max_order_qty: 'maxOrderQty',
  max_order_notional: 'maxOrderNotional',
  max_position_qty: 'maxPositionQty',
  max_position_notional: 'maxPositionNotional',
  max_concentration_pct: 'maxConcentrationPct',
  daily_loss_limit: 'dailyLossLimit',
  price_collar_pct: 'priceCollarPct',
  max_quote_age_ms: 'maxQuoteAgeMs',
  max_open_orders: 'maxOpenOrders',
  max_orders_per_minute: 'maxOrdersPerMinute',
};

export const KEY_OF_FIELD: Readonly<Record<LimitField, RiskLimitKey>> = Object.fromEntries(Object.entries(FIELD_OF_KEY).map(([k, f]) => [f, k])) as Record<LimitField, RiskLimitKey>;

export const LIMIT_FIELDS: readonly LimitField[] = RISK_LIMIT_KEYS.map((k) => FIELD_OF_KEY[k]);

/** Words a trader reads in a message ("your max order notional"). */
export const LIMIT_LABELS: Readonly<Record<LimitField, string>> = {
  maxOrderQty: 'max order quantity',
  maxOrderNotional: 'max order notional',
  maxPositionQty: 'max position quantity',
  maxPositionNotional: 'max position notional',
  maxConcentrationPct: 'max concentration',
  dailyLossLimit: 'daily loss limit',
  priceCollarPct: 'price collar',
  maxQuoteAgeMs: 'max quote age',
  maxOpenOrders: 'max open orders',
  maxOrdersPerMinute: 'max orders per minute',
};

export type LimitValue = DecimalString | 'off';
export type RiskLimits = { readonly [F in LimitField]?: LimitValue };

export interface RiskConfig {
  readonly version: 1;
  readonly global: RiskLimits;
  /** venue name → overrides for every instrument on that venue. */
  readonly venues: Readonly<Record<string, RiskLimits>>;
  /** venue name → instrumentId → overrides for that one instrument. */
  readonly instruments: Readonly<Record<string, Readonly<Record<string, RiskLimits>>>>;
}

/**
 * Built-in defaults for a retail trader. They are fat-finger and runaway guards, not a strategy:
 * loose enough that normal manual trading never meets them, tight enough that a typo (an extra
 * zero) or a looping strategy is stopped before it costs real money. Money in account currency.
 *
 *  - max order notional 25,000: bigger than most retail tickets; an extra zero on a typical
 *    2,500 ticket is caught.
 *  - max position notional 50,000 and max concentration 50 % of equity: an "all in one name"
 *    mistake on a small account is stopped; raise either (Risk tab, or tradeport risk set) if it is intended.
 *  - daily loss limit 1,000 (realized + unrealized): trips the kill switch. Set it to what you
 *    can afford to lose in a day; an absolute figure is easier to reason about than a percentage.
 *  - price collar 5 % from mid: far wider than a normal spread; a limit price off by a digit is
 *    refused.
 *  - max quote age 10 s: crypto quotes tick many times a second; a quiet equity or IB snapshot
 *    data can sit for a few seconds. Older than that, a market order is flying blind.
 *  - max open orders 50, max orders per minute 60 per actor/strategy: no person clicks 60
 *    tickets a minute; a strategy stuck in a loop does, in seconds.
 *  - max order / position quantity: off, since units differ wildly (1 BTC vs 1 share vs 1 ES
 *    contract); set them per instrument.
 */
export const DEFAULT_LIMITS: Readonly<Record<LimitField, LimitValue>> = {
  maxOrderQty: 'off',
  maxOrderNotional: '25000',
  maxPositionQty: 'off',
  maxPositionNotional: '50000',
  maxConcentrationPct: '50',
  dailyLossLimit: '1000',
  priceCollarPct: '5',
  maxQuoteAgeMs: '10000',
  maxOpenOrders: '50',
  maxOrdersPerMinute: '60',
};

export function emptyRiskConfig(): RiskConfig {
  return { version: 1, global: {}, venues: {}, instruments: {} };
}

// ── value rules ─────────────────────────────────────────────────────────────────────────────────

type ValueRule = { kind: 'decimal' | 'integer'; min: Decimal; minInclusive: boolean; max?: Decimal; unit: string };

const d = (v: string): Decimal => new Decimal(v);

/**
 * Zero is allowed where it means something useful: max position 0 on an instrument means "never
 * hold this", max orders per minute 0 means "this scope places nothing".
 */
const RULES: Readonly<Record<LimitField, ValueRule>> = {
  maxOrderQty: { kind: 'decimal', min: d('0'), minInclusive: true, unit: 'a quantity' },
  maxOrderNotional: { kind: 'decimal', min: d('0'), minInclusive: true, unit: 'an amount' },
  maxPositionQty: { kind: 'decimal', min: d('0'), minInclusive: true, unit: 'a quantity' },
  maxPositionNotional: { kind: 'decimal', min: d('0'), minInclusive: true, unit: 'an amount' },
  // Above 100 % is legitimate on margin.
  maxConcentrationPct: { kind: 'decimal', min: d('0'), minInclusive: false, max: d('1000'), unit: 'a percentage' },
  dailyLossLimit: { kind: 'decimal', min: d('0'), minInclusive: false, unit: 'an amount' },
  priceCollarPct: { kind: 'decimal', min: d('0'), minInclusive: false, max: d('100'), unit: 'a percentage' },
  maxQuoteAgeMs: { kind: 'integer', min: d('1'), minInclusive: true, max: d('86400000'), unit: 'milliseconds' },
  maxOpenOrders: { kind: 'integer', min: d('0'), minInclusive: true, max: d('100000'), unit: 'a whole number' },
  maxOrdersPerMinute: { kind: 'integer', min: d('0'), minInclusive: true, max: d('100000'), unit: 'a whole number' },
};

/** Parses one limit value; returns the canonical string or a message saying what is wrong. */
export function parseLimitValue(field: LimitField, raw: unknown): { ok: true; value: LimitValue } | { ok: false; message: string } {
  if (typeof raw === 'string' && ['off', 'none'].includes(raw.trim().toLowerCase())) return { ok: true, value: 'off' };
  const rule = RULES[field];
  const key = KEY_OF_FIELD[field];
  const v = parseDecimal(raw);
  if (!v) return { ok: false, message: `${key} must be ${rule.unit} written as a plain number (e.g. 10000, no commas) or "off".` };
  if (rule.kind === 'integer' && !v.isInteger()) return { ok: false, message: `${key} must be a whole number, got ${String(raw)}.` };
  const tooLow = rule.minInclusive ? v.lt(rule.min) : v.lte(rule.min);
  if (tooLow) return { ok: false, message: `${key} must be ${rule.minInclusive ? 'at least' : 'greater than'} ${toStr(rule.min)}, got ${toStr(v)}.` };
  if (rule.max && v.gt(rule.max)) return { ok: false, message: `${key} must be at most ${toStr(rule.max)}, got ${toStr(v)}.` };
  return { ok: true, value: toStr(v) };
}

// ── schemas ─────────────────────────────────────────────────────────────────────────────────────

const venueName = z.string().trim().min(1).max(64);

const limitsSchema = z
  .object(Object.fromEntries(LIMIT_FIELDS.map((f) => [f, z.string().max(64).optional()])) as Record<LimitField, z.ZodOptional<z.ZodString>>)
  .strict()
  .superRefine((obj, ctx) => {
    for (const f of LIMIT_FIELDS) {
      const raw = obj[f];
      if (raw === undefined) continue;
      const r = parseLimitValue(f, raw);
      if (!r.ok) ctx.addIssue({ code: 'custom', path: [f], message: r.message });
    }
  });

/** The persisted shape; the engine validates what it loads with this before trusting it. */
export const riskConfigSchema = z
  .object({
    version: z.literal(1),
    global: limitsSchema,
    venues: z.record(venueName, limitsSchema),
    instruments: z.record(venueName, z.record(z.string().min(1).max(128), limitsSchema)),
  })
  .strict();

/**
 * `risk set <key> <value> [--venue V] [--symbol S]`. The value may be a number, `off` (no limit
 * at this scope, overriding broader scopes) or `inherit` (remove this scope's override). The
 * output carries the canonical value. `symbol` is a display symbol or instrument id; the engine
 * resolves it to an instrumentId before `applyRiskSet`.
 */
export const riskSetSchema = z
  .object({
    key: z.enum(RISK_LIMIT_KEYS, { message: `key must be one of: ${RISK_LIMIT_KEYS.join(', ')}` }),
    value: z.union([z.string().trim().min(1).max(64), z.number()]),
    venue: venueName.optional(),
    symbol: z.string().trim().min(1).max(64).optional(),
  })
  .strict()
  .transform((input, ctx) => {
    if (input.symbol !== undefined && input.venue === undefined) {
      ctx.addIssue({ code: 'custom', path: ['venue'], message: 'A per-symbol limit needs --venue too: limits are set per venue and instrument.' });
      return z.NEVER;
    }
    const field = FIELD_OF_KEY[input.key];
    let value: LimitValue | 'inherit';
    if (typeof input.value === 'string' && ['inherit', 'unset', 'default'].includes(input.value.toLowerCase())) {
      value = 'inherit';
    } else {
      const r = parseLimitValue(field, input.value);
      if (!r.ok) {
        ctx.addIssue({ code: 'custom', path: ['value'], message: r.message });
        return z.NEVER;
      }
      value = r.value;
    }
    return { key: input.key, field, value, venue: input.venue, symbol: input.symbol };
  });
export type RiskSetInput = z.input<typeof riskSetSchema>;
export type RiskSet = z.output<typeof riskSetSchema>;

// ── scopes and resolution ───────────────────────────────────────────────────────────────────────

export type RiskScope =
  | { readonly kind: 'default' }
  | { readonly kind: 'global' }
  | { readonly kind: 'venue'; readonly venue: string }
  | { readonly kind: 'instrument'; readonly venue: string; readonly instrumentId: string };

export interface EffectiveLimit {
  /** null when the limit is off at the winning scope. */
  readonly value: Decimal | null;
  readonly scope: RiskScope;
}
export type EffectiveLimits = { readonly [F in LimitField]: EffectiveLimit };

// Own-property lookups only: venue names come from users and "__proto__" must not resolve to Object.prototype.
function own<T>(rec: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return rec && Object.prototype.hasOwnProperty.call(rec, key) ? rec[key] : undefined;
}

/** The effective limits for one order on (venue, instrumentId): the most specific scope wins, field by field. */
export function resolveLimits(config: RiskConfig, venue: string, instrumentId: string): EffectiveLimits {
  const layers: Array<[RiskLimits | undefined, RiskScope]> = [
    [own(own(config.instruments, venue), instrumentId), { kind: 'instrument', venue, instrumentId }],
    [own(config.venues, venue), { kind: 'venue', venue }],
    [config.global, { kind: 'global' }],
    [DEFAULT_LIMITS, { kind: 'default' }],
  ];
  const out = {} as Record<LimitField, EffectiveLimit>;
  for (const f of LIMIT_FIELDS) {
    for (const [limits, scope] of layers) {
      const raw = limits?.[f];
      if (raw === undefined) continue;
      out[f] = { value: raw === 'off' ? null : valueOrNull(raw), scope };
      break;
    }
  }
  return out;
}

/** A stored value that no longer parses is treated as absent at that scope rather than crashing pre-trade; the schema stops it on load. */
function valueOrNull(raw: string): Decimal | null {
  return parseDecimal(raw) ?? null;
}

/** "global limit", "limit for alpaca", "limit for AAPL on alpaca" — tells the trader where to change it. */
export function describeScope(scope: RiskScope, symbol?: string): string {
  switch (scope.kind) {
    case 'default':
      return 'default limit';
    case 'global':
      return 'global limit';
    case 'venue':
      return `limit for ${scope.venue}`;
    case 'instrument':
      return `limit for ${symbol ?? scope.instrumentId} on ${scope.venue}`;
  }
}

export interface RiskSetTarget {
  readonly field: LimitField;
  readonly value: LimitValue | 'inherit';
  readonly venue?: string | undefined;
  /** Resolved by the engine from `--symbol`. */
  readonly instrumentId?: string | undefined;
}

/** Returns a new config with one value changed; the input is not mutated (the engine swaps it atomically). */
export function applyRiskSet(config: RiskConfig, t: RiskSetTarget): RiskConfig {
  const put = (limits: RiskLimits | undefined): RiskLimits => {
    const next: Partial<Record<LimitField, LimitValue>> = { ...(limits ?? {}) };
    if (t.value === 'inherit') delete next[t.field];
    else next[t.field] = t.value;
    return next;
  };
  if (t.instrumentId !== undefined) {
    if (t.venue === undefined) throw new Error('applyRiskSet: an instrument override needs its venue');
    const venueMap = own(config.instruments, t.venue) ?? {};
    const limits = put(own(venueMap, t.instrumentId));
    const nextVenueMap = { ...venueMap, [t.instrumentId]: limits };
    if (Object.keys(limits).length === 0) delete nextVenueMap[t.instrumentId];
    const instruments = { ...config.instruments, [t.venue]: nextVenueMap };
    if (Object.keys(nextVenueMap).length === 0) delete instruments[t.venue];
    return { ...config, instruments };
  }
  if (t.venue !== undefined) {
    const limits = put(own(config.venues, t.venue));
    const venues = { ...config.venues, [t.venue]: limits };
    if (Object.keys(limits).length === 0) delete venues[t.venue];
    return { ...config, venues };
  }
  return { ...config, global: put(config.global) };
}
