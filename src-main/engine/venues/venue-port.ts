/**
 * The venue port: everything the engine needs from a venue. Each venue folder implements it the
 * same way (config, connector, mapping, instruments), and inherits journaling, lifecycle,
 * reconciliation, modes and risk from the engine by implementing nothing more than this.
 */
import type Database from 'better-sqlite3';
import type { Bar } from '../domain/bar';
import type { Instrument } from '../domain/instrument';
import type { OptionChain } from '../domain/option-chain';
import type { Balance, BookSnapshot, Order, OrderStatus, Position, Quote } from '../domain/order';
import type { PreviewIssue, VenueKindInfo, VenuePhase, VenueState } from '../api/commands';
import type { VenueHealthReport } from '../api/venue-health';
import type { NormalizedTicket } from '../domain/order-validation';
import type { OrderCapabilities } from '../domain/order-capabilities';
import type { Clock } from '../ports/clock';
import type { SecretStore } from '../ports/secrets';
import type { OwnedMigration } from '../store/owned-migrations';
import type { SessionState } from '../market/sessions';

export type { VenueFillReport, VenueOrderReport } from '../ports/venue-reports';
import type { VenueFillReport, VenueOrderReport } from '../ports/venue-reports';

export interface VenueListener {
  orderReport(report: VenueOrderReport): void;
  fill(fill: VenueFillReport): void;
  quote(quote: Quote): void;
  position(position: Position): void;
  balance(balance: Balance): void;
  state(state: VenueState, detail: string): void;
  /**
   * A burst of reports (the fills and order reports of one tick): the venue calls `orderReport`,
   * `fill`, `position` and `balance` inside `deliver`, and the engine journals them all in ONE
   * transaction (all of them or none) and tells subscribers after it commits. A venue that reports
   * one thing at a time need not use it; one that does gets one fsync per burst instead of several
   * per fill. A throw from it means none of the burst was journaled: the venue keeps its own record
   * (reconciliation brings the fills in again), as after a crash.
   */
  burst?(deliver: () => void): void;
  /**
   * Rate-limit usage and circuit-breaker state (net/venue-health.ts VenueHealthReporter sends
   * these). Breaker changes must be reported when they happen: OPEN pauses the venue's strategies.
   */
  health?(report: VenueHealthReport): void;
  /**
   * A write to the venue's own tables failed (disk full, read-only file) in work the venue does on
   * its own (a timer): reported here instead of thrown, so it never takes the engine down.
   */
  storageFault?(err: unknown): void;
}

/**
 * A venue's own estimate for an order: its price/fee model, its account's buying power, and its
 * native preview where it has one (IB whatIf, Coinbase /orders/preview, Binance order/test…).
 * The engine adds its local checks (risk, sessions, modes) on top.
 */
export interface VenuePreview {
  readonly estPrice: string | null;
  readonly estNotional: string | null;
  readonly estFee: string | null;
  readonly estTotal: string | null;
  readonly currency: string;
  readonly buyingPowerBefore: string | null;
  readonly buyingPowerAfter: string | null;
  readonly warnings: PreviewIssue[];
  readonly violations: PreviewIssue[];
}

/** The account figures a venue reports itself (IB NetLiquidation, BuyingPower), in `currency`. */
export interface VenueAccountFigures {
  readonly currency: string;
  readonly netLiquidation?: string;
  readonly buyingPower?: string;
}

/** What a venue submit returns when the venue acknowledged it. */
export interface SubmitAck {
  readonly venueOrderId: string;
  readonly status: OrderStatus;
}

/** What a replace (modify) asks to change; absent fields stay as they are. */
export interface ReplaceChanges {
  readonly qty?: string;
  readonly limitPrice?: string;
  readonly stopPrice?: string;
}

/**
 * What a venue replace returns when the venue acknowledged the change: the terms now live there
 * (the engine stores these, not what it asked for, so local and venue cannot drift apart).
 */
export interface ReplaceAck {
  readonly venueOrderId: string;
  readonly status: OrderStatus;
  readonly qty: string;
  readonly limitPrice?: string;
  readonly stopPrice?: string;
}

/** Thrown by submit when the venue said no; the order becomes `rejected`. */
export class VenueRejectedError extends Error {
  constructor(
    message: string,
    readonly venueCode?: string,
  ) {
    super(message);
    this.name = 'VenueRejectedError';
  }
}

/**
 * Thrown by submit when we cannot know whether the venue received the order (timeout, 5xx,
 * dropped socket). The order becomes `unknown` and is resolved by lookup, never by resending.
 */
export class OutcomeUnknownError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutcomeUnknownError';
  }
}

export interface VenueContext {
  /** The configured venue's name (unique; "paper", "ib-paper", ...). */
  readonly name: string;
  readonly settings: Readonly<Record<string, string>>;
  readonly clock: Clock;
  readonly secrets: SecretStore;
  readonly db: Database.Database;
  /**
   * One account, one venue: a connector that learns its account id (IB managedAccounts) claims it
   * here before it reports any position or balance. Returns the name of the venue that already
   * trades that account (this one must then refuse to run), or undefined when the claim is granted.
   */
  readonly claimAccount?: (account: string) => string | undefined;
}

/** A connector's state for the status bar; `phase` and `serverVersion` where the venue knows them. */
export interface VenueStatus {
  readonly state: VenueState;
  readonly detail: string;
  readonly phase?: VenuePhase;
  readonly serverVersion?: string;
}

export interface VenueConnector {
  readonly name: string;
  readonly kind: string;
  start(listener: VenueListener): Promise<void>;
  stop(): Promise<void>;
  state(): VenueStatus;

  instruments(): readonly Instrument[];
  instrument(idOrSymbol: string): Instrument | undefined;
  /** Venues that describe instruments on request (IB contract details) search here; the result is cached so instrument() knows it afterwards. */
  searchInstruments?(query: string): Promise<Instrument[]>;
  /**
   * Venues that describe instruments on request (IB contract details): the instrument a display
   * symbol or instrument id names, asked of the venue when it is not cached yet, so a preview or
   * an order for a symbol never searched before works the first time. Undefined: the venue has none.
   */
  lookupInstrument?(symbolOrId: string): Promise<Instrument | undefined>;
  /**
   * Venues that list options: the chain of one underlying (display symbol, `AAPL`), its options
   * known to instrument() afterwards so a pick from the chain can be previewed and placed at once.
   * Undefined: the venue lists no options.
   */
  optionChain?(underlying: string): Promise<OptionChain>;
  quote(instrumentId: string): Quote | undefined;
  /**
   * Venues with price history: up to `limit` bars of `intervalSec` (a BAR_INTERVALS value) for
   * the instrument, oldest first, starting at or after `sinceMs` when given (else the newest
   * `limit`), the current, still-open bar last. Read-only; for the charts. Absent: the venue has
   * no bars and a chart starts from live quotes.
   */
  bars?(instrumentId: string, intervalSec: number, sinceMs: number | undefined, limit: number): Promise<Bar[]>;
  /**
   * A fresh price on request (IB reqMktData snapshot), for when the streamed quote has gone quiet:
   * pre-trade asks before it lets an order that could execute at once through on an old quote.
   * Resolves with the refreshed quote (its ts the time it arrived), or undefined when the venue
   * gave none. Absent: the venue's stream is the only source.
   */
  snapshotQuote?(instrumentId: string): Promise<Quote | undefined>;
  book(instrumentId: string, depth: number): BookSnapshot | undefined;
  /**
   * The instrument's market session as the venue itself states it (Alpaca's /v2/clock and
   * /v2/calendar); where it disagrees with market/sessions the venue wins, since it routes the
   * order. Undefined (or absent): the exchange calendar in market/sessions applies.
   */
  sessionState?(instrument: Instrument, nowMs: number): SessionState | undefined;

  submit(order: Order): Promise<SubmitAck>;
  cancel(order: Order): Promise<void>;
  /**
   * Modifies a working order in place (same client id, same venue order). Optional: the engine
   * refuses a replace on a venue without it. Throws VenueRejectedError when the venue refused the
   * change (the order works on unchanged), OutcomeUnknownError when we cannot know whether it
   * took (resolved by lookup, never by sending the change again).
   */
  replace?(order: Order, changes: ReplaceChanges): Promise<ReplaceAck>;
  /** Find an order by our client id; undefined when the venue has never seen it. */
  lookup(clientOrderId: string): Promise<VenueOrderReport | undefined>;
  openOrders(): Promise<VenueOrderReport[]>;
  /** Fills at or after `sinceTs` (ms UTC). */
  fillsSince(sinceTs: number): Promise<VenueFillReport[]>;
  positions(): Promise<Position[]>;
  balances(): Promise<Balance[]>;
  /** The venue's own account figures, where it reports them (from its stream; synchronous). */
  accountFigures?(): VenueAccountFigures | undefined;
  /**
   * The account's own maker/taker fee rates (fractions as decimal strings, "0.004" = 0.4 %) where
   * the venue reports them (its fee tier): SHADOW fills use them instead of the simulator's
   * defaults. Undefined (or absent) while the venue has not said.
   */
  feeRates?(instrumentId: string): { readonly maker: string; readonly taker: string } | undefined;
  preview(instrument: Instrument, ticket: NormalizedTicket): Promise<VenuePreview>;
  /** Current rate-limit usage and breaker state; absent for venues without either (Paper). */
  health?(): VenueHealthReport;
  /**
   * Order types, TIFs and features this connector can carry. The engine refuses anything else
   * before journaling (`unsupported_order`). Absent: BASIC_CAPABILITIES (domain/order-capabilities).
   */
  capabilities?(): OrderCapabilities;
  /**
   * A bracket: the entry and its children (each journaled with its own client id, children
   * carrying `parentOrderId` and `leg`), sent as one linked group. Acks come back in the same
   * order. Required when capabilities().brackets is true. Throws like submit().
   */
  submitBracketOrders?(parent: Order, children: readonly Order[]): Promise<SubmitAck[]>;
  /**
   * An OCO exit pair as ONE venue order (take-profit limit first, then its stop-loss; both carry
   * `leg` and the same `ocaGroup`). Acks come back in that order. Required when
   * capabilities().ocoExits is true. Throws like submit().
   */
  submitOcoOrders?(takeProfit: Order, stopLoss: Order): Promise<SubmitAck[]>;
}

export interface VenueFactory {
  readonly info: VenueKindInfo;
  /**
   * Why two configured venues of this kind would be the same account or the same session (IB: the
   * same TWS host, port and client id, or the same account id), in words for the refusal; undefined
   * when they are distinct. Checked when a venue is added or its settings change.
   */
  sameAccount?(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): string | undefined;
  /** The account a venue's settings name, when they name one (IB `account`), for the check against running venues. */
  configuredAccount?(settings: Readonly<Record<string, string>>): string | undefined;
  /**
   * Every check `create` makes on the settings, without building anything: throws the same
   * TradeportError. Run before a record is written, so a value the connector would refuse is never
   * stored (a stored bad value would keep the venue from starting).
   */
  checkSettings?(settings: Readonly<Record<string, string>>): void;
  /**
   * The venue's own SQLite tables, owned under `info.kind`: applied in order by the engine at
   * start, before any connector is built (store/owned-migrations.ts). Append only.
   */
  readonly migrations?: readonly OwnedMigration[];
  create(ctx: VenueContext): VenueConnector;
}
