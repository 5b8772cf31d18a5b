/** `quality.report`: execution quality of the orders placed since a time, per venue or per origin. */
import type { CommandHandlers } from '../api/engine-api';
import { executionQuality } from '../portfolio/execution-quality';
import { loadQualityOrders } from '../portfolio/execution-quality-source';
import type { Clock } from '../ports/clock';
import type { Db } from '../store/db';
import type { TwinsRepo } from '../store/twins-repo';
import { twinComparison } from '../portfolio/twin-quality';

export const DEFAULT_QUALITY_WINDOW_MS = 24 * 3_600_000;

export interface QualityCommandsDeps {
  readonly db: Db;
  readonly clock: Clock;
  /** CANARY's SHADOW twins, shown beside their live orders. */
  readonly twins?: Pick<TwinsRepo, 'outcomes'>;
}

export function qualityCommands(d: QualityCommandsDeps): Pick<CommandHandlers, 'quality.report'> {
  return {
    'quality.report': (i) => {
      // A venue removed since still has its orders in the journal: any name is read as given.
      const venue = i.venue;
      const sinceTs = i.sinceTs ?? d.clock.now() - DEFAULT_QUALITY_WINDOW_MS;
      const orders = loadQualityOrders(d.db, { sinceTs, limit: i.limit, ...(venue ? { venue } : {}) }, d.twins);
      const { rows, total } = executionQuality(orders, i.by);
      return { by: i.by, sinceTs, venue: venue ?? null, ordersRead: orders.length, rows, total, twins: twinComparison(orders) };
    },
  };
}
