/** What the runner and its store keep per strategy. */
export type StrategyStatus =
  | 'running'
  /** Paused by the trader: only the trader resumes it. */
  | 'paused_user'
  /** Paused because its venue's circuit breaker opened: resumed when it closes. */
  | 'paused_breaker'
  /** Stopped by the kill switch: stays stopped after a reset until the trader resumes it. */
  | 'stopped_kill'
  | 'stopped'
  | 'done';

export interface StrategyRow {
  readonly id: string;
  readonly kind: string;
  readonly venue: string;
  readonly symbol: string;
  readonly params: Record<string, unknown>;
  readonly state: unknown;
  readonly status: StrategyStatus;
  readonly reason: string | null;
  readonly nextStep: number;
  readonly wakeAt: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** The `order.place` input of a step, exactly as sent. */
export interface PlaceTicket {
  readonly venue: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly type: 'market' | 'limit' | 'stop';
  readonly qty: string;
  readonly notional?: string;
  readonly limitPrice?: string;
  readonly stopPrice?: string;
  readonly tif: 'day' | 'gtc' | 'ioc';
  readonly extendedHours?: boolean;
  readonly ocaGroup?: string;
  readonly clientOrderId: string;
}

export interface StepRow {
  readonly strategyId: string;
  readonly step: number;
  readonly clientOrderId: string;
  readonly tag: string;
  readonly ticket: PlaceTicket;
  /** journaled: written, maybe not sent; sent: the engine took it; refused: it never will be; ended: its order is final and the planner heard so. */
  readonly status: 'journaled' | 'sent' | 'refused' | 'ended';
  readonly orderId: string | null;
  readonly error: string | null;
  /** When it was journaled (read back from the journal; a step being planned has none yet). */
  readonly createdAt?: number;
}

/** A fill of one of a strategy's steps, as the strategy accounted it. */
export interface StrategyFill {
  readonly fillId: string;
  readonly step: number;
  readonly side: 'buy' | 'sell';
  readonly qty: string;
  readonly price: string;
  readonly fee: string;
  readonly ts: number;
}

/** A step's client order id: the strategy id and the step number, so a restart re-derives it exactly (≤ 18 chars). */
export function stepClientOrderId(strategyId: string, step: number): string {
  return `${strategyId}-${step.toString(36).toUpperCase()}`;
}

/** `S` + 7 base-36 chars of ms time + 3 random ones: 11 chars, leaving 7 for `-` and the step (steps up to 36^6). */
export function newStrategyId(now: number, random01: number): string {
  const tail = Math.floor(random01 * 36 ** 3)
    .toString(36)
    .padStart(3, '0');
  return `S${now.toString(36).slice(-7)}${tail}`.toUpperCase();
}
