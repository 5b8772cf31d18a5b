/** What `strategy simulate` answers: the orders a plan would place over simulated time, and their totals. Shared with the renderer. */
export interface SimulatedOrder {
  readonly ts: number;
  readonly step: number;
  readonly tag: string;
  readonly side: 'buy' | 'sell';
  readonly type: 'market' | 'limit' | 'stop';
  readonly qty: string;
  readonly notional?: string;
  /** The limit (or stop) price; a market order's is the price when it was planned. */
  readonly price: string;
  /** Where the order stood at the end of the window (filled, cancelled, still working…). */
  readonly status: string;
}

export interface SimulatedFill {
  readonly ts: number;
  readonly step: number;
  readonly tag: string;
  readonly side: 'buy' | 'sell';
  readonly qty: string;
  readonly price: string;
  readonly fee: string;
}

/** A step the engine refused: the order as planned (a market order has no price) and the engine's words. */
export interface RefusedStep {
  readonly ts: number;
  readonly step: number;
  readonly tag: string;
  readonly side: 'buy' | 'sell';
  readonly qty: string;
  readonly notional?: string;
  readonly price: string | null;
  readonly reason: string;
}

export interface SimulationResult {
  readonly from: number;
  readonly to: number;
  /** The quote currency every money figure is in. */
  readonly currency: string;
  readonly startPrice: string;
  readonly endPrice: string;
  readonly orders: SimulatedOrder[];
  readonly fills: SimulatedFill[];
  /** Quantity bought and sold, and what it cost and brought in (quote currency). */
  readonly bought: string;
  readonly sold: string;
  readonly spent: string;
  readonly received: string;
  /** At the Paper venue's fee rates. */
  readonly fees: string;
  /** Held at the end, and its average cost. */
  readonly held: string;
  readonly avgCost: string;
  /** Realized (at average cost, net of all fees) and unrealized (held at the end price) P&L; pnl is their sum. */
  readonly realizedPnl: string;
  readonly unrealizedPnl: string;
  readonly pnl: string;
  /** The largest fall of the P&L from its running peak over the window (marked at every tick). */
  readonly maxDrawdown: string;
  /** Steps the plan took (one per order it placed). */
  readonly steps: number;
  /** Steps the engine refused (risk limits, buying power, as the live run's would be) and never placed. */
  readonly refused: readonly RefusedStep[];
  /** Why the plan ended within the window, if it did. */
  readonly done: string | null;
}

/** The engine's answer: the simulation, and what it was run on. */
export interface StrategySimulation extends SimulationResult {
  readonly venue: string;
  readonly symbol: string;
  readonly kind: string;
  readonly hours: number;
  readonly seed: string;
}
