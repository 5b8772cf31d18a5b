/**
 * The one API contract. Every transport (Electron IPC, headless WebSocket bridge, CLI) sends
 * `{command, input}` and gets a `Result`. Schemas check shape only; meaning (is the quantity a
 * valid multiple of the lot? is the price on the tick?) is checked by the engine so each
 * problem gets its own error code.
 *
 * This file is shared with the renderer: no Node imports here.
 */
import { z } from 'zod';
import type { Balance, BookSnapshot, Fill, Order, Position, Quote } from '../domain/order';
import type { Instrument } from '../domain/instrument';
import type { OrderCapabilities } from '../domain/order-capabilities';
// Pure modules (zod + decimal.js, no Node): the risk schemas are the contract for these commands.
import { modeSetSchema } from '../domain/routing';
import { riskSetSchema, type RiskConfig, type RiskLimitKey } from '../domain/risk-limits';
import type { KillSwitchSnapshot } from '../domain/kill-switch-state';
import type { VenueHealthView } from './venue-health';
import type { StorageStatus } from './events';
import type { SecretSpec, SettingSpec } from './venue-settings';
import { portfolioSchemas, type PortfolioOutputs } from './portfolio';
import type { PriceAlert } from '../domain/price-alert';
import type { QualityReportView } from './quality-view';
import type { StrategySimulation } from './strategy-simulation';
import { oneClickArmSchema, prefsSetSchema, type DeskPrefs, type OneClickArmed, type OneClickStatus, type PrefSaved } from './desk-prefs';
import type { OptionChain } from '../domain/option-chain';
import { orderLegsSchema } from './order-legs-schema';

const name = z.string().trim().min(1).max(64);
/** Decimal inputs arrive as strings (preferred) or JSON numbers; the engine parses them exactly. */
const decimalInput = z.union([z.string().max(64), z.number()]);
/** Shape only; the engine checks the venue-safe format so the error names the exact rule. */
const clientOrderId = z.string().trim().min(1).max(18, 'a client order id is at most 18 characters (the limit of the strictest venue)');

export const orderTicketSchema = z.object({
  venue: name,
  /** Display symbol (`AAPL`, `BTC/USD`) or instrument id (`paper:AAPL`). */
  symbol: z.string().trim().min(1).max(64),
  side: z.enum(['buy', 'sell']),
  type: z.enum(['market', 'limit', 'stop', 'stop_limit', 'trailing_stop']),
  /** Absent (or "0") on a notional order. */
  qty: decimalInput.optional(),
  limitPrice: decimalInput.optional(),
  stopPrice: decimalInput.optional(),
  /** Trailing stops: the trail as a price distance, or as a percent (exactly one). */
  trailAmount: decimalInput.optional(),
  trailPercent: decimalInput.optional(),
  /** `opg`/`cls`: opening/closing auction only (market-/limit-on-open/close); `gtd`: good till `expireAt`. */
  tif: z.enum(['day', 'gtc', 'ioc', 'fok', 'opg', 'cls', 'gtd']).default('day'),
  /** GTD expiry: UTC epoch ms or an ISO-8601 date-time with its offset. */
  expireAt: z.union([z.number().int().positive(), z.string().trim().min(1).max(40)]).optional(),
  /** Limit orders: rejected rather than taking liquidity. */
  postOnly: z.boolean().optional(),
  /** Derivatives: may only reduce a position. */
  reduceOnly: z.boolean().optional(),
  /** Market orders: a quote-currency amount instead of a quantity. */
  notional: decimalInput.optional(),
  /** Work outside regular trading hours (IB outsideRth); limit and stop-limit orders on stocks and ETFs. */
  extendedHours: z.boolean().optional(),
  /** Orders sharing a group name cancel each other when one fills. */
  ocaGroup: z.string().trim().min(1).max(64).optional(),
  /** Bracket legs: each becomes its own child order, linked to this (the entry) by parent id. */
  takeProfit: z.object({ limitPrice: decimalInput }).strict().optional(),
  stopLoss: z.object({ stopPrice: decimalInput, limitPrice: decimalInput.optional() }).strict().optional(),
  /** Exits only: this limit order (the take-profit) and `stopLoss` cancel each other; no entry. */
  oco: z.boolean().optional(),
  /** A multi-leg order (an option vertical): `symbol` is the first leg, `limitPrice` the net price, `side` buy = debit, sell = credit. */
  legs: orderLegsSchema.optional(),
  clientOrderId: clientOrderId.optional(),
});
export type OrderTicket = z.input<typeof orderTicketSchema>;

const settings = z.record(z.string().max(64), z.string().max(512));

const auditFilter = z
  .object({
    action: z.string().trim().min(1).max(64).optional(),
    venue: name.optional(),
    actor: z.string().trim().min(1).max(32).optional(),
    sinceTs: z.number().int().nonnegative().optional(),
    limit: z.number().int().min(1).max(100_000).default(1000),
  })
  .strict();

/** A strategy's kind, venue, symbol and parameters: what `strategy add` and `strategy simulate` take. */
const strategyTarget = {
  kind: name,
  venue: name,
  symbol: z.string().trim().min(1).max(64),
  params: z.record(z.string().max(64), z.union([z.string().max(256), z.number(), z.boolean()])).default({}),
};

export const commandSchemas = {
  'engine.info': z.object({}).strict(),
  'engine.stats': z.object({}).strict(),
  'snapshot.get': z.object({}).strict(),
  'venues.list': z.object({}).strict(),
  'venue.kinds': z.object({}).strict(),
  'venue.add': z.object({ kind: name, name: name.optional(), settings: settings.default({}) }).strict(),
  'venue.set': z.object({ name, settings }).strict(),
  'venue.remove': z.object({ name }).strict(),
  'secret.set': z.object({ venue: name, field: name, value: z.string().min(1).max(8192) }).strict(),
  'secret.status': z.object({ venue: name }).strict(),
  'instruments.search': z.object({ venue: name, query: z.string().max(64).default(''), limit: z.number().int().min(1).max(500).default(50) }).strict(),
  'quote.get': z.object({ venue: name, symbol: z.string().trim().min(1).max(64) }).strict(),
  /** The option chain a venue lists for one underlying (venues whose VenueInfo has `optionChains`). */
  'instrument.optionChain': z
    .object({
      venue: name,
      underlying: z
        .string()
        .trim()
        .min(1)
        .max(32)
        .regex(/^[A-Za-z0-9][A-Za-z0-9./^-]*$/, 'an underlying symbol: letters, digits and . / ^ - (e.g. AAPL, BRK/B, SPX)'),
    })
    .strict(),
  'book.get': z.object({ venue: name, symbol: z.string().trim().min(1).max(64), depth: z.number().int().min(1).max(100).default(10) }).strict(),
  /** The DOM ladder: the book now, then a `book` event (conflated per instrument) on every quote until `book.unwatch`. */
  'book.watch': z.object({ venue: name, symbol: z.string().trim().min(1).max(64), depth: z.number().int().min(1).max(100).default(25) }).strict(),
  'book.unwatch': z.object({ venue: name, symbol: z.string().trim().min(1).max(64) }).strict(),
  'order.preview': orderTicketSchema.strict(),
  /**
   * `previewId`: the preview the trader confirmed; the place is refused (`preview_stale`) if the
   * route, mode, kill switch, limits, settings or ticket differ from it now. Required from the
   * trader's window. `expectRoute`: refuse (`route_changed`) unless the order goes this route.
   */
  'order.place': orderTicketSchema
    .extend({
      previewId: z.string().trim().min(1).max(64).optional(),
      expectRoute: z.enum(['paper', 'shadow', 'live']).optional(),
      /** A one-click ladder place: refused unless one-click is armed on this venue (account) now. */
      oneClick: z.literal(true).optional(),
    })
    .strict(),
  'order.cancel': z.object({ id: z.string().trim().min(1).max(128), venue: name.optional() }).strict(),
  /** `replace <id> [--qty Q] [--limit P] [--stop P]`: modify a working order in place (id: local, client or venue order id). */
  'order.replace': z
    .object({ id: z.string().trim().min(1).max(128), venue: name.optional(), qty: decimalInput.optional(), limitPrice: decimalInput.optional(), stopPrice: decimalInput.optional() })
    .strict(),
  'order.cancelAll': z.object({ venue: name.optional() }).strict(),
  'orders.list': z.object({ all: z.boolean().default(false), venue: name.optional(), limit: z.number().int().min(1).max(5000).default(500) }).strict(),
  'orders.page': z
    .object({ all: z.boolean().default(false), venue: name.optional(), limit: z.number().int().min(1).max(5000).default(500), offset: z.number().int().min(0).max(1e9).default(0) })
    .strict(),
  'fills.list': z.object({ venue: name.optional(), limit: z.number().int().min(1).max(5000).default(500) }).strict(),
  'positions.list': z.object({ venue: name.optional() }).strict(),
  'balances.list': z.object({ venue: name.optional() }).strict(),
  /** `account`: net liquidation, buying power and today's P&L, per venue and in the base currency. */
  'account.summary': z.object({}).strict(),

  // ── order safety (issue 3). Each maps 1:1 to a CLI command, noted beside it. ──
  /** `mode <venue> shadow|canary|live [--canary-pct N] [--arm]`; the UI sends typedVenueName instead of arm. */
  'mode.set': modeSetSchema,
  /** `kill-switch [--flatten] [--reducing]` (mode 'reducing' with --reducing, else 'halted'). */
  'killSwitch.trip': z.object({ mode: z.enum(['halted', 'reducing']).default('halted'), flatten: z.boolean().default(false), reason: z.string().trim().min(1).max(500).optional() }).strict(),
  /** `kill-switch reset --confirm`: confirm must be literally true. */
  'killSwitch.reset': z
    .object({ confirm: z.literal(true, { message: 'Resetting the kill switch resumes trading: pass confirm: true (CLI: --confirm).' }), note: z.string().max(500).optional() })
    .strict(),
  'killSwitch.status': z.object({}).strict(),
  /** `risk show [--venue V] [--symbol S]`: configured limits at every scope, and the effective ones for the scope asked. */
  'risk.get': z.object({ venue: name.optional(), symbol: z.string().trim().min(1).max(64).optional() }).strict(),
  /** `risk set <key> <value> [--venue V] [--symbol S]`; value may be a number, "off" or "inherit". */
  'risk.set': riskSetSchema,
  /** `reconcile [venue]`: every running venue when venue is omitted. */
  'reconcile.run': z.object({ venue: name.optional() }).strict(),
  'reconcile.reports': z.object({ venue: name.optional(), limit: z.number().int().min(1).max(1000).default(20) }).strict(),
  /** `audit [--action A] [--venue V] [--actor X] [--since ms] [--limit N]`; action matches as a prefix ("killSwitch" finds trip and reset). */
  'audit.list': auditFilter,
  /** `audit --csv`: the same filters, CSV text with a header row. */
  'audit.csv': auditFilter,

  // ── strategy loops (issue 16) ──
  /** `strategy add <kind> <venue> <symbol> [--param k=v]…`: validated, then running at once. */
  'strategy.add': z.object(strategyTarget).strict(),
  'strategy.list': z.object({}).strict(),
  'strategy.show': z.object({ id: name }).strict(),
  'strategy.pause': z.object({ id: name }).strict(),
  'strategy.resume': z.object({ id: name }).strict(),
  /** `strategy stop <id> [--cancel-orders]`: no more orders; with cancelOrders its working orders are cancelled too. */
  'strategy.stop': z.object({ id: name, cancelOrders: z.boolean().default(false) }).strict(),
  /** `strategy simulate <kind> <venue> <symbol> [--param k=v]… [--hours N]`: the plan over simulated time from the current quote; places and journals nothing. */
  'strategy.simulate': z
    .object({
      ...strategyTarget,
      hours: z
        .number()
        .positive()
        .max(24 * 31)
        .default(24),
      /** Another price walk for the same request (the default seed is the request itself). */
      seed: z.string().max(64).optional(),
    })
    .strict(),
  // ── the lot ledger, P&L and tax export (issue 17): api/portfolio.ts ──
  ...portfolioSchemas,
  // ── positions you can act on (issue 18) ──
  /** `close <venue> <symbol> [--reverse|--flatten] --preview`: the market order that closes (reverses, flattens) a position, sized exactly from it. */
  'position.preview': z.object({ venue: name, symbol: z.string().trim().min(1).max(64), action: z.enum(['close', 'reverse', 'flatten']).default('close') }).strict(),
  /**
   * `close <venue> <symbol> [--reverse|--flatten]`: places that order through order entry (risk, mode, kill switch apply).
   * `flatten` cancels the instrument's working orders first. `previewId` as for `order.place`: required from the trader's window.
   */
  'position.close': z
    .object({ venue: name, symbol: z.string().trim().min(1).max(64), action: z.enum(['close', 'reverse', 'flatten']).default('close'), previewId: z.string().trim().min(1).max(64).optional() })
    .strict(),
  /** `flatten [--venue V] [--expect N] --confirm`: flattens every open position (on one venue); refused if `expectCount` no longer holds. */
  'positions.flatten': z
    .object({
      venue: name.optional(),
      expectCount: z.number().int().min(1).max(100_000).optional(),
      confirm: z.literal(true, { message: 'Flattening closes every open position: pass confirm: true (CLI: --confirm).' }),
    })
    .strict(),
  /**
   * `alert add <venue> <symbol> above|below <price>` or `… move <pct>`: fires once, through the alerts feed; kept across restarts.
   * `cross` (the ladder's "alert at this price"): the engine picks above or below from its own market when it checks.
   */
  'alert.add': z
    .object({
      venue: name,
      symbol: z.string().trim().min(1).max(64),
      condition: z.enum(['above', 'below', 'move_pct', 'cross']),
      price: decimalInput.optional(),
      pct: decimalInput.optional(),
      note: z.string().trim().min(1).max(200).optional(),
    })
    .strict(),
  /** `alerts [--all]`: armed alerts (and, with all, those that fired). */
  'alert.list': z.object({ all: z.boolean().default(false) }).strict(),
  'alert.remove': z.object({ id: z.string().trim().min(1).max(64) }).strict(),
  /** `quality [--venue V] [--since …] [--by origin]`: execution quality of the orders placed since then (default: the last 24 h). */
  'quality.report': z
    .object({
      venue: name.optional(),
      sinceTs: z.number().int().nonnegative().optional(),
      by: z.enum(['venue', 'origin']).default('venue'),
      limit: z.number().int().min(1).max(50_000).default(10_000),
    })
    .strict(),
  /** The desk preferences kept in the data dir (layout, hotkeys, watchlists, alert switches, one-click): all of them. */
  'prefs.get': z.object({}).strict(),
  /** Replaces one preference document (api/desk-prefs.ts). */
  'prefs.set': prefsSetSchema,
  /** Arms (or disarms) one-click trading on an opted-in venue; audited. */
  'oneClick.arm': oneClickArmSchema,
  /** The accounts one-click is armed on now (held by the engine, for this session). */
  'oneClick.status': z.object({}).strict(),
} as const;

export type CommandName = keyof typeof commandSchemas;
export const COMMAND_NAMES = Object.keys(commandSchemas) as CommandName[];
export type CommandInput<C extends CommandName> = z.input<(typeof commandSchemas)[C]>;
export type ParsedInput<C extends CommandName> = z.output<(typeof commandSchemas)[C]>;

/** What a trader reads in the status bar; finer than VenueState where a venue knows more (TWS restarting vs down). */
export type VenuePhase = 'connecting' | 'connected' | 'degraded' | 'restarting' | 'down' | 'disabled';
export type VenueState = 'connecting' | 'connected' | 'degraded' | 'disconnected' | 'error' | 'disabled';
export type VenueMode = 'shadow' | 'canary' | 'live' | 'paper';

export interface VenueInfo {
  readonly name: string;
  readonly kind: string;
  readonly label: string;
  readonly state: VenueState;
  readonly mode: VenueMode;
  /** Share of orders routed live, in percent; present only in CANARY mode. */
  readonly canaryPct?: number;
  /** One line for the status bar ("TWS 193 · DU123456", "market open", "reconnecting in 4 s"). */
  readonly detail: string;
  /** Set by venues with a richer connection model than `state` (IBKR: restarting vs down). */
  readonly phase?: VenuePhase;
  /** The venue's API/server version where it announces one (TWS 193); kept while reconnecting. */
  readonly serverVersion?: string;
  /**
   * What the venue accepts now (order types, TIFs, extended hours, brackets), for its current
   * mode: SHADOW follows the Paper engine, CANARY what both routes carry. The ticket offers only these.
   */
  readonly capabilities?: OrderCapabilities;
  /** The venue lists option chains (`instrument.optionChain`): the ticket offers its chain picker. */
  readonly optionChains?: boolean;
  readonly settings: Record<string, string>;
  readonly since: number;
}

export interface VenueKindInfo {
  readonly kind: string;
  readonly label: string;
  /** Declared once (type, bounds, default, presets): the engine checks and the UI's form is built from it. */
  readonly settings: readonly SettingSpec[];
  readonly secrets: readonly SecretSpec[];
}

export interface PreviewIssue {
  readonly code: string;
  readonly message: string;
}

/** One preview for every venue. Money fields are decimal strings in the instrument's quote currency. */
export interface Preview {
  readonly allowed: boolean;
  /**
   * Where this very order would go: simulated by Paper, SHADOW-simulated on venue quotes, or live.
   * Under CANARY the route is a pure function of the client order id, so it is computed for
   * `clientOrderId` below; the ticket must send that id to `order.place` for the route to hold.
   */
  readonly route: 'paper' | 'shadow' | 'live';
  /**
   * The client order id the route was computed for: the ticket's own, or a fresh one the engine
   * reserved for it. Send it back as `clientOrderId` on place (it is also the idempotency key).
   * Optional in the type only so older fakes compile; the engine always sets it.
   */
  readonly clientOrderId?: string;
  /**
   * This preview's id: send it with `order.place`. The engine honours it until `expiresAt` and only
   * while everything it showed still holds (route, mode, kill switch, limits, settings, ticket).
   * Optional in the type only so older fakes compile; the engine always sets it.
   */
  readonly previewId?: string;
  readonly expiresAt?: number;
  /** The venue's mode and, under CANARY, the share of orders that go live. */
  readonly mode?: VenueMode;
  readonly canaryPct?: number;
  readonly venue: string;
  readonly instrumentId: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly type: Order['type'];
  readonly qty: string;
  readonly currency: string;
  /** Price the estimate used (limit price, or the book walked for market orders). */
  readonly estPrice: string | null;
  readonly estNotional: string | null;
  readonly estFee: string | null;
  /** What leaves (buy) or arrives in (sell) the cash balance, fees included. */
  readonly estTotal: string | null;
  readonly buyingPowerBefore: string | null;
  readonly buyingPowerAfter: string | null;
  readonly bid: string | null;
  readonly ask: string | null;
  readonly warnings: PreviewIssue[];
  readonly violations: PreviewIssue[];
  readonly ts: number;
  /** A bracket's orders, entry first: each is journaled as its own order with its own client id. */
  readonly legs?: PreviewLeg[];
}

export interface PreviewLeg {
  readonly role: 'entry' | 'take_profit' | 'stop_loss';
  readonly side: 'buy' | 'sell';
  readonly type: Order['type'];
  readonly qty: string;
  readonly limitPrice?: string;
  readonly stopPrice?: string;
  readonly tif: Order['tif'];
}

/** Process figures for the status bar and the benchmarks. */
export interface EngineStats {
  readonly uptimeMs: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  /** Events emitted since start, by type (before any transport conflates them). */
  readonly events: Record<string, number>;
}

export interface EngineInfo {
  readonly version: string;
  readonly dataDir: string;
  readonly pid: number;
  readonly startedAt: number;
}

export interface QuoteView extends Quote {
  readonly venue: string;
  readonly symbol: string;
}

export interface Snapshot {
  readonly info: EngineInfo;
  readonly venues: VenueInfo[];
  readonly orders: Order[];
  readonly fills: Fill[];
  readonly positions: Position[];
  readonly balances: Balance[];
  readonly quotes: QuoteView[];
  /** Latest rate-limit usage and circuit-breaker state per venue that reports them (status bar). */
  readonly venueHealth?: VenueHealthView[];
  /** Whether the journal takes writes ("the disk is full" in the status bar). */
  readonly storage?: StorageStatus;
}

export interface CommandOutputs extends PortfolioOutputs {
  'engine.info': EngineInfo;
  'engine.stats': EngineStats;
  'snapshot.get': Snapshot;
  'venues.list': VenueInfo[];
  'venue.kinds': VenueKindInfo[];
  'venue.add': VenueInfo;
  'venue.set': VenueInfo;
  'venue.remove': { name: string; removed: true };
  'secret.set': { venue: string; field: string; set: true };
  'secret.status': { venue: string; fields: Array<{ field: string; label: string; set: boolean }> };
  'instruments.search': Instrument[];
  'quote.get': QuoteView;
  'instrument.optionChain': OptionChain;
  'book.get': BookSnapshot & { venue: string; symbol: string };
  'book.watch': BookSnapshot & { venue: string; symbol: string };
  'book.unwatch': { venue: string; symbol: string; watching: boolean };
  'order.preview': Preview;
  'order.place': OrderView;
  'order.cancel': OrderView;
  'order.replace': OrderView;
  /** `pending`: cancels still running when the answer went out (progress follows as `cancelProgress` events). */
  'order.cancelAll': { requested: number; orders: OrderView[]; pending?: number };
  'orders.list': OrderView[];
  /** One page of orders, newest first, and how many match in all (so a cut list says so). */
  'orders.page': { orders: OrderView[]; total: number; offset: number; limit: number; more: boolean };
  'fills.list': Fill[];
  'positions.list': Position[];
  'balances.list': Balance[];
  'account.summary': AccountSummaryView;
  'mode.set': ModeChangeResult;
  'killSwitch.trip': KillSwitchTripResult;
  'killSwitch.reset': KillSwitchResetResult;
  'killSwitch.status': KillSwitchStatus;
  'risk.get': RiskView;
  'risk.set': RiskSetResult;
  'reconcile.run': ReconcileReportView[];
  'reconcile.reports': ReconcileReportView[];
  'audit.list': AuditEntryView[];
  'audit.csv': { csv: string; rows: number };
  'strategy.add': StrategyView;
  'strategy.list': StrategyView[];
  'strategy.show': StrategyDetail;
  'strategy.pause': StrategyView;
  'strategy.resume': StrategyView;
  'strategy.stop': StrategyView;
  'strategy.simulate': StrategySimulation;
  'position.preview': PositionPreview;
  'position.close': PositionCloseResult;
  'positions.flatten': FlattenAllResult;
  'alert.add': PriceAlert;
  'alert.list': PriceAlert[];
  'alert.remove': { id: string; removed: true };
  'quality.report': QualityReportView;
  'prefs.get': DeskPrefs;
  'prefs.set': PrefSaved;
  'oneClick.arm': OneClickArmed;
  'oneClick.status': OneClickStatus;
}

/**
 * A strategy as a trader sees it. `state` is what the list shows: paused by you, by the venue's
 * breaker, by its closed market, or stopped by the kill switch (until you resume it).
 */
export interface StrategyView {
  readonly id: string;
  readonly kind: string;
  readonly venue: string;
  readonly symbol: string;
  readonly params: Record<string, unknown>;
  readonly state: 'running' | 'paused_user' | 'paused_breaker' | 'paused_market' | 'stopped_kill' | 'stopped' | 'done';
  readonly reason: string | null;
  /** Orders sent (steps the engine took), and the most the plan allows when it is bounded. */
  readonly ordersSent: number;
  readonly maxOrders: number | null;
  readonly fills: number;
  readonly bought: string;
  readonly sold: string;
  readonly fees: string;
  /** Sells minus buys minus fees plus the held quantity at the mark; null until there is a mark. */
  readonly pnl: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface StrategyDetail extends StrategyView {
  /** The planner's own state (progress: buys made, grid cycles, slices sent). */
  readonly progress: unknown;
  readonly steps: StrategyStepView[];
}

/** One step of a strategy: its order as planned (a market order has no price) and where it stands. */
export interface StrategyStepView {
  readonly step: number;
  readonly clientOrderId: string;
  readonly tag: string;
  readonly status: string;
  readonly orderId: string | null;
  readonly error: string | null;
  /** When it was journaled (UTC ms). */
  readonly ts: number;
  readonly side: 'buy' | 'sell';
  readonly qty: string;
  readonly notional?: string;
  readonly price: string | null;
}

/** What closing (reversing, flattening) a position would send, previewed like any order. */
export interface PositionPreview {
  readonly action: 'close' | 'reverse' | 'flatten';
  readonly position: Position;
  readonly order: { readonly venue: string; readonly symbol: string; readonly side: 'buy' | 'sell'; readonly type: 'market'; readonly qty: string; readonly tif: 'day' };
  readonly preview: Preview;
  /** Working orders of this instrument a flatten cancels first (0 for close and reverse). */
  readonly cancels: number;
}

export interface PositionCloseResult {
  readonly order: OrderView;
  /** Working orders of the instrument cancelled first (flatten), and those whose cancel failed (with why). */
  readonly cancelled: number;
  readonly notCancelled: ReadonlyArray<{ readonly orderId: string; readonly message: string }>;
}

export interface FlattenAllResult {
  readonly count: number;
  readonly venues: readonly string[];
  readonly results: ReadonlyArray<FlattenResult & { readonly cancelled: number }>;
}

export type CommandOutput<C extends CommandName> = CommandOutputs[C];

/**
 * The header's account figures. Money is in `currency` (the base currency), 2 decimals. Totals
 * add only what could be converted; `unconverted` names the rest ("0.0421 BTC on <venue> (no
 * BTC/USD rate)") so nothing is added as if it were the base currency.
 */
export interface AccountSummaryView {
  readonly currency: string;
  /** Cash plus positions at their mark (a venue's own figure where it reports one). */
  readonly netLiquidation: string;
  readonly cash: string;
  readonly positionsValue: string;
  /** Null when a venue in the total reports none. */
  readonly buyingPower: string | null;
  /** The figure the daily loss limit uses: today's realized P&L (fees included) plus the open P&L of current positions. */
  readonly pnlToday: { readonly realized: string; readonly unrealized: string; readonly total: string };
  readonly venues: AccountVenueSummary[];
  readonly unconverted: string[];
  readonly ts: number;
}

export interface AccountVenueSummary {
  readonly venue: string;
  readonly cash: string;
  readonly positionsValue: string;
  readonly netLiquidation: string;
  readonly buyingPower: string | null;
  /** `venue`: the venue's own net liquidation figure; `computed`: cash + positions at mark. */
  readonly source: 'venue' | 'computed';
  readonly unconverted: string[];
}

/** An order as commands return it: with the route it took (the blotter's SHADOW / LIVE badge). */
export type OrderView = Order & {
  readonly route?: 'paper' | 'shadow' | 'live';
  /** Present while a modify is on its way: the change asked for (the blotter shows "modifying"). */
  readonly replaceRequest?: { readonly qty?: string; readonly limitPrice?: string; readonly stopPrice?: string; readonly from: string; readonly ts: number };
};

export interface ModeChangeResult {
  readonly venue: VenueInfo;
  readonly from: VenueMode;
  readonly to: VenueMode;
  readonly canaryPct: number | null;
  readonly changed: boolean;
  /** True when this change increased live exposure (it needed --arm / the typed venue name). */
  readonly armed: boolean;
  readonly summary: string;
}

export interface KillSwitchStatus extends KillSwitchSnapshot {
  /** Working orders right now on every venue (should reach 0 after a trip's sweep). */
  readonly workingOrders: number;
}

export interface KillSwitchSweep {
  /** Working orders found when the sweep ran. */
  readonly requested: number;
  readonly cancelled: number;
  /** Orders that could not be cancelled now (e.g. still being sent: they are cancelled once acknowledged). */
  readonly failed: Array<{ readonly orderId: string; readonly clientOrderId: string; readonly venue: string; readonly message: string }>;
  /**
   * Cancels still running when the answer went out (a large sweep answers at once; trading is
   * already halted). Progress follows as `cancelProgress` events, the end as a notice.
   */
  readonly pending?: number;
}

export interface FlattenResult {
  readonly venue: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly qty: string;
  readonly orderId?: string;
  /** Why this position was not closed (no quote, venue in SHADOW mode for a real position, …). */
  readonly message?: string;
}

export interface KillSwitchTripResult {
  readonly status: KillSwitchStatus;
  readonly changed: boolean;
  readonly note?: string;
  readonly sweep: KillSwitchSweep;
  readonly flatten: FlattenResult[];
}

export interface KillSwitchResetResult {
  readonly status: KillSwitchStatus;
  readonly changed: boolean;
  readonly note?: string;
}

export interface RiskLimitView {
  readonly key: RiskLimitKey;
  /** Canonical decimal string, or null when the limit is off. */
  readonly value: string | null;
  /** Where the winning value is set: "default limit", "global limit", "limit for alpaca", "limit for AAPL on alpaca". */
  readonly scope: string;
}

export interface RiskView {
  /** What the effective list was resolved for. */
  readonly venue: string | null;
  readonly symbol: string | null;
  readonly instrumentId: string | null;
  readonly effective: RiskLimitView[];
  /** Every override the trader set (keys are camelCase LimitFields; values decimal strings or "off"). */
  readonly configured: RiskConfig;
  readonly killSwitch: KillSwitchSnapshot['state'];
}

export interface RiskSetResult {
  readonly key: RiskLimitKey;
  /** Canonical value stored, "off", or "inherit" when the override was removed. */
  readonly value: string;
  readonly venue: string | null;
  readonly symbol: string | null;
  readonly instrumentId: string | null;
  /** The limit now in force at that scope. */
  readonly effective: RiskLimitView;
}

export interface ReconcileChangeView {
  readonly kind: 'fill' | 'order' | 'adopted' | 'position' | 'balance';
  readonly message: string;
}

export interface ReconcileReportView {
  readonly seq: number;
  readonly venue: string;
  readonly ts: number;
  /** start | reconnect | manual */
  readonly trigger: string;
  readonly ok: boolean;
  readonly error: string | null;
  readonly changes: ReconcileChangeView[];
}

export interface AuditEntryView {
  readonly seq: number;
  readonly ts: number;
  readonly actor: string;
  readonly transport: string;
  readonly action: string;
  readonly venue: string | null;
  readonly ok: boolean;
  readonly detail: Record<string, unknown>;
}
