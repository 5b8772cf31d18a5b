/**
 * A strategy kind is a pure planner: given its validated parameters, its state and one event, it
 * returns its next state and the orders it intends. It owns no timer, socket or database; the
 * runner (runner.ts) feeds it events and sends what it plans through the engine API. Step numbers
 * (and so client order ids) are assigned by the runner, in plan order.
 */
import type { DecimalString } from '../domain/money';
import type { Side } from '../domain/order';

export interface Touch {
  readonly bid?: DecimalString;
  readonly ask?: DecimalString;
  readonly last?: DecimalString;
}

export interface PlannedOrder {
  readonly side: Side;
  readonly type: 'market' | 'limit' | 'stop';
  /** "0" on a notional market order. The runner rounds it down to the instrument's lot. */
  readonly qty: DecimalString;
  /** A quote-currency amount instead of a quantity (market orders, where the venue takes one). */
  readonly notional?: DecimalString;
  /** The runner rounds it to the instrument's tick (buys down, sells up). */
  readonly limitPrice?: DecimalString;
  /** Stop orders (a protective stop): the trigger price, rounded like a limit. */
  readonly stopPrice?: DecimalString;
  readonly tif: 'day' | 'gtc' | 'ioc';
  /** What the planner calls this order (a grid level, "slice 3"); kept with the step. */
  readonly tag: string;
  /** Orders of one plan sharing a group cancel each other at the venue when one fills (a sell and its protective stop); the runner prefixes the strategy id. */
  readonly ocaGroup?: string;
}

/**
 * `open`: whether the strategy may trade now (its market is in a session it allows); the runner
 * sends a timer at every session change, so a planner that counts market time (TWAP) sees each.
 * Absent = open.
 */
export type StrategyEvent =
  | { readonly type: 'start'; readonly now: number; readonly touch?: Touch; readonly open?: boolean }
  | { readonly type: 'timer'; readonly now: number; readonly touch?: Touch; readonly open?: boolean }
  | { readonly type: 'quote'; readonly now: number; readonly touch: Touch }
  /** A fill of one of this strategy's steps (partial fills arrive one by one). */
  | { readonly type: 'fill'; readonly now: number; readonly tag: string; readonly side: Side; readonly qty: DecimalString; readonly price: DecimalString; readonly fee: DecimalString }
  /** A step the engine refused (risk, kill switch, venue): it will never fill. */
  | { readonly type: 'refused'; readonly now: number; readonly tag: string; readonly reason: string }
  /** A step's order reached a final state (filled, cancelled, expired, rejected), after its fills were delivered. */
  | { readonly type: 'ended'; readonly now: number; readonly tag: string; readonly filledQty: DecimalString; readonly status: string };

export interface PlanResult<S> {
  readonly state: S;
  readonly orders: readonly PlannedOrder[];
  /** When the planner wants a `timer` event next (UTC ms); none = only quotes and fills wake it. */
  readonly wakeAt?: number;
  /** Tags of this strategy's working orders to cancel (an exit filled: its protective stop goes). */
  readonly cancels?: readonly string[];
  /** The plan is complete (DCA total reached, grid left its bounds). */
  readonly done?: string;
}

export interface Planner<P, S> {
  readonly kind: string;
  /** Validates raw parameters (strings from the CLI, JSON from the UI); throws TradeportError with a message a trader can act on. */
  parse(raw: Record<string, unknown>): P;
  init(params: P, now: number): S;
  next(params: P, state: S, event: StrategyEvent): PlanResult<S>;
  /** The most orders this plan may ever send, when it is bounded (DCA with a total); undefined = bounded per fill instead. */
  maxOrders(params: P): number | undefined;
  /** Whether the planner needs every quote (grids, dips) or only the touch at its timers. */
  readonly wantsQuotes: boolean;
}
