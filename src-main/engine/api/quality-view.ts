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
}
