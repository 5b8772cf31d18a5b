/** What `quality.report` answers (portfolio/execution-quality.ts computes it). */

export interface Percentiles {
  readonly n: number;
  readonly p50: number | null;
  readonly p90: number | null;
  readonly p99: number | null;
}

export interface QualityRow {
  /** The venue name, or the origin (user, cli, strategy…) when grouped by origin. */
  readonly key: string;
  readonly orders: number;
  readonly filled: number;
  readonly partial: number;
  readonly rejected: number;
  /** Percent, 2 dp; null with nothing that reached the venue. */
  readonly fillRatePct: string | null;
  readonly rejectRatePct: string | null;
  /** Basis points, 2 dp, fill-quantity weighted; positive = a cost; null without an arrival mid. */
  readonly slippageBps: string | null;
  readonly slippageOrders: number;
  /** Submit → first venue acknowledgement, ms. */
  readonly ackMs: Percentiles;
  /** Submit → first fill, ms. */
  readonly fillMs: Percentiles;
}

export interface QualityReportView {
  readonly by: 'venue' | 'origin';
  readonly sinceTs: number;
  readonly venue: string | null;
  /** Orders read (the most recent `limit` when more matched). */
  readonly ordersRead: number;
  readonly rows: QualityRow[];
  readonly total: QualityRow;
  /** CANARY: live orders beside their SHADOW twins; null when no order in the window has a twin. */
  readonly twins: TwinReportView | null;
}

/** One side of a CANARY pair: the live order or its SHADOW twin. */
export interface TwinSide {
  readonly status: string;
  readonly filledQty: string;
  /** Quantity-weighted over its fills; null before the first fill. */
  readonly avgFillPrice: string | null;
  /** From the live order's arrival (its journaling) to this side's first fill, ms; null unfilled. */
  readonly fillMs: number | null;
}

/** A live order routed by CANARY beside its SHADOW twin. */
export interface TwinPairRow {
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly venue: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly qty: string;
  readonly createdAt: number;
  readonly live: TwinSide;
  readonly twin: TwinSide;
  /** (live avg − twin avg) ÷ twin avg in bp, signed so positive = the live fill cost more; null unless both filled. */
  readonly diffBps: string | null;
  /** Why the twin ended or could not follow the live order. */
  readonly twinNote?: string;
}

/** The pairs aggregated (per venue, and in total under `all`). */
export interface TwinSummary {
  readonly key: string;
  readonly pairs: number;
  /** Pairs where both the live order and its twin filled (the price difference is over these). */
  readonly bothFilled: number;
  /** Mean of the pairs' differences, bp, 2 dp; positive = live fills cost more than the simulation's. */
  readonly avgDiffBps: string | null;
  readonly liveFillMs: Percentiles;
  readonly twinFillMs: Percentiles;
  /** Filled ÷ ordered quantity, percent, over pairs whose live order reached the venue. */
  readonly liveFillRatePct: string | null;
  readonly twinFillRatePct: string | null;
}

export interface TwinReportView {
  /** Newest first. */
  readonly pairs: TwinPairRow[];
  readonly rows: TwinSummary[];
  readonly total: TwinSummary;
}
