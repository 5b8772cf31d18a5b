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

const name = z.string().trim().min(1).max(64);
/** Decimal inputs arrive as strings (preferred) or JSON numbers; the engine parses them exactly. */
const decimalInput = z.union([z.string().max(64), z.number()]);
/** Shape only; the engine checks the venue-safe format so the error names the exact rule. */
const clientOrderId = z.string().trim().min(1).max(64);

export const orderTicketSchema = z.object({
  venue: name,
  /** Display symbol (`AAPL`, `BTC/USD`) or instrument id (`paper:AAPL`). */
  symbol: z.string().trim().min(1).max(64),
  side: z.enum(['buy', 'sell']),
  type: z.enum(['market', 'limit', 'stop', 'stop_limit']),
  qty: decimalInput,
  limitPrice: decimalInput.optional(),
  stopPrice: decimalInput.optional(),
  tif: z.enum(['day', 'gtc', 'ioc', 'fok']).default('day'),
  clientOrderId: clientOrderId.optional(),
});
export type OrderTicket = z.input<typeof orderTicketSchema>;

const settings = z.record(z.string().max(64), z.string().max(512));

export const commandSchemas = {
  'engine.info': z.object({}).strict(),
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
  'book.get': z.object({ venue: name, symbol: z.string().trim().min(1).max(64), depth: z.number().int().min(1).max(100).default(10) }).strict(),
  'order.preview': orderTicketSchema.strict(),
  'order.place': orderTicketSchema.strict(),
  'order.cancel': z.object({ id: z.string().trim().min(1).max(128), venue: name.optional() }).strict(),
  'order.cancelAll': z.object({ venue: name.optional() }).strict(),
  'orders.list': z.object({ all: z.boolean().default(false), venue: name.optional(), limit: z.number().int().min(1).max(5000).default(500) }).strict(),
  'fills.list': z.object({ venue: name.optional(), limit: z.number().int().min(1).max(5000).default(500) }).strict(),
  'positions.list': z.object({ venue: name.optional() }).strict(),
  'balances.list': z.object({ venue: name.optional() }).strict(),
} as const;

export type CommandName = keyof typeof commandSchemas;
export const COMMAND_NAMES = Object.keys(commandSchemas) as CommandName[];
export type CommandInput<C extends CommandName> = z.input<(typeof commandSchemas)[C]>;
export type ParsedInput<C extends CommandName> = z.output<(typeof commandSchemas)[C]>;

export type VenueState = 'connecting' | 'connected' | 'degraded' | 'disconnected' | 'error' | 'disabled';
export type VenueMode = 'shadow' | 'canary' | 'live' | 'paper';

export interface VenueInfo {
  readonly name: string;
  readonly kind: string;
  readonly label: string;
  readonly state: VenueState;
  readonly mode: VenueMode;
  /** One line for the status bar ("TWS 193 · DU123456", "market open", "reconnecting in 4 s"). */
  readonly detail: string;
  readonly settings: Record<string, string>;
  readonly since: number;
}

export interface VenueKindInfo {
  readonly kind: string;
  readonly label: string;
  readonly settings: ReadonlyArray<{ key: string; label: string; required: boolean; default?: string; help?: string }>;
  readonly secrets: ReadonlyArray<{ field: string; label: string }>;
}

export interface PreviewIssue {
  readonly code: string;
  readonly message: string;
}

/** One preview for every venue. Money fields are decimal strings in the instrument's quote currency. */
export interface Preview {
  readonly allowed: boolean;
  /** Where this very order would go: simulated by Paper, SHADOW-simulated on venue quotes, or live. */
  readonly route: 'paper' | 'shadow' | 'live';
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
}

export interface CommandOutputs {
  'engine.info': EngineInfo;
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
  'book.get': BookSnapshot & { venue: string; symbol: string };
  'order.preview': Preview;
  'order.place': Order;
  'order.cancel': Order;
  'order.cancelAll': { requested: number; orders: Order[] };
  'orders.list': Order[];
  'fills.list': Fill[];
  'positions.list': Position[];
  'balances.list': Balance[];
}

export type CommandOutput<C extends CommandName> = CommandOutputs[C];
