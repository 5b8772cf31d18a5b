/**
 * Events the engine emits. Transports forward them; the renderer coalesces them to at most one
 * store update per animation frame. Quote events may be conflated (latest per instrument wins);
 * every other event is delivered in order and never dropped.
 */
import type { Balance, BookSnapshot, Fill, Order, Position } from '../domain/order';
import type { KillSwitchStatus, ReconcileReportView, VenueInfo, QuoteView } from './commands';
import type { BreakerView, FeedView, RateUsageView } from './venue-health';
import type { PriceAlert } from '../domain/price-alert';

/** Whether the engine can write its journal (status bar; new orders are refused while it cannot). */
export interface StorageStatus {
  readonly state: 'ok' | 'full' | 'read_only' | 'io';
  readonly message: string;
  readonly since: number;
}

/** Why a strategy stopped trading for a while: its venue's breaker, its market closed, the kill switch, or the trader. */
export type StrategyPauseCause = 'breaker' | 'market_closed' | 'kill_switch' | 'trader';

/**
 * Today's loss against the daily loss limit (risk/daily-loss-watch.ts): `near` at
 * DAILY_LOSS_NEAR_RATIO of the limit, `hit` at the limit (the kill switch then trips to reducing);
 * each once per day per limit scope.
 */
export interface DailyLossAlert {
  readonly level: 'near' | 'hit';
  /** The limit's scope in words ("global limit", "limit for alpaca"); the day's key with the level. */
  readonly scope: string;
  /** The venue whose fill was being checked. */
  readonly venue: string;
  readonly loss: string;
  readonly limit: string;
  readonly currency: string;
  /** Start of the trading day (UTC ms) the loss is counted from. */
  readonly dayStart: number;
  readonly ts: number;
}

export type EngineEvent =
  | { readonly type: 'quote'; readonly quote: QuoteView }
  /** A price alert fired (once); never conflated. */
  | { readonly type: 'priceAlert'; readonly alert: PriceAlert }
  /** A watched order book (`book.watch`), sent with each of its venue's quotes; latest per instrument wins. */
  | { readonly type: 'book'; readonly venue: string; readonly book: BookSnapshot }
  | { readonly type: 'order'; readonly order: Order }
  | { readonly type: 'fill'; readonly fill: Fill }
  | { readonly type: 'position'; readonly position: Position }
  | { readonly type: 'balance'; readonly balance: Balance }
  | { readonly type: 'venue'; readonly venue: VenueInfo }
  /** A configured venue was removed (by any window or the CLI); never conflated. */
  | { readonly type: 'venueRemoved'; readonly name: string }
  | { readonly type: 'notice'; readonly level: 'info' | 'warn' | 'error'; readonly message: string; readonly ts: number }
  /** The kill switch changed (trip, escalate, flatten done, reset): the UI's banner and button state. */
  | { readonly type: 'killSwitch'; readonly state: KillSwitchStatus }
  /** A reconciliation finished: "while disconnected: …" for the UI's reconcile panel. */
  | { readonly type: 'reconcile'; readonly report: ReconcileReportView }
  /** A venue's rate-limit usage and circuit breaker (status bar); `null` for a part the venue does not have. */
  | { readonly type: 'venueHealth'; readonly venue: string; readonly usage: RateUsageView | null; readonly breaker: BreakerView | null; readonly feeds?: readonly FeedView[] }
  /** The journal stopped (or started again) taking writes: "the disk is full" in the status bar. */
  | { readonly type: 'storage'; readonly storage: StorageStatus }
  /** One-click trading was armed or disarmed on an account (a venue); `reason` when the engine disarmed it by itself. */
  | { readonly type: 'oneClick'; readonly venue: string; readonly armed: boolean; readonly at: number; readonly reason?: string }
  /** Today's loss came near (or reached) the daily loss limit; never conflated. */
  | { readonly type: 'dailyLoss'; readonly alert: DailyLossAlert }
  /** A strategy stopped trading for a while (breaker open, market closed, kill switch, the trader); never conflated. */
  | {
      readonly type: 'strategyPaused';
      readonly strategyId: string;
      readonly kind: string;
      readonly venue: string;
      readonly symbol: string;
      readonly cause: StrategyPauseCause;
      readonly reason: string;
      readonly ts: number;
    }
  /** The kill switch's sweep (or cancel-all) made progress: done of total cancels answered. */
  | { readonly type: 'cancelProgress'; readonly op: 'killSwitch' | 'cancelAll'; readonly total: number; readonly done: number; readonly failed: number; readonly finished: boolean };

export type EngineEventType = EngineEvent['type'];

/** Key under which an event may be conflated with a newer one, or undefined if it must never be dropped. */
export function conflationKey(e: EngineEvent): string | undefined {
  switch (e.type) {
    case 'quote':
      return `q|${e.quote.instrumentId}`;
    case 'book':
      return `bk|${e.venue}|${e.book.instrumentId}`;
    case 'position':
      return `p|${e.position.venue}|${e.position.instrumentId}`;
    case 'balance':
      return `b|${e.balance.venue}|${e.balance.asset}`;
    case 'venue':
      return `v|${e.venue.name}`;
    case 'killSwitch':
      // Only the latest state matters to a screen.
      return 'ks';
    case 'venueHealth':
      // Latest per venue; breaker changes that matter to the user also go out as (never-dropped) notices.
      return `vh|${e.venue}`;
    case 'storage':
      return 'storage';
    case 'oneClick':
      // Only an account's latest armed state matters to a screen (the audit log keeps each change).
      return `oc|${e.venue}`;
    case 'cancelProgress':
      // Only the latest count matters; the last one (finished) is never followed by another.
      return `cp|${e.op}`;
    default:
      return undefined;
  }
}
