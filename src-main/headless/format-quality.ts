/** `tradeport quality`: one line per venue (or origin) and a total, then what the figures mean. */
import type { Percentiles, QualityReportView, QualityRow } from '../engine/api/quality-view';
import { table } from './format';

const ms = (p: Percentiles) => (p.n === 0 ? '-' : `${p.p50}/${p.p90}/${p.p99}`);
const pct = (v: string | null) => (v === null ? '-' : `${v}%`);

const line = (x: QualityRow) => ({
  key: x.key,
  orders: x.orders,
  filled: x.filled,
  partial: x.partial,
  rejected: x.rejected,
  fillRate: pct(x.fillRatePct),
  rejectRate: pct(x.rejectRatePct),
  slippage: x.slippageBps,
  ack: ms(x.ackMs),
  fill: ms(x.fillMs),
});

export function formatQuality(r: QualityReportView): string {
  const since = new Date(r.sinceTs).toISOString().replace('T', ' ').slice(0, 19);
  const head = `Execution quality since ${since} UTC${r.venue ? ` on ${r.venue}` : ''} — ${r.ordersRead} order(s), by ${r.by}\n`;
  if (r.rows.length === 0) return `${head}(no orders)\n`;
  const rows = (r.rows.length > 1 ? [...r.rows, r.total] : r.rows).map(line);
  const body = table(rows, [
    [r.by, (x) => x.key],
    ['orders', (x) => x.orders],
    ['filled', (x) => x.filled],
    ['partial', (x) => x.partial],
    ['rejected', (x) => x.rejected],
    ['fill rate', (x) => x.fillRate],
    ['reject rate', (x) => x.rejectRate],
    ['slippage bp', (x) => x.slippage],
    ['ack ms p50/90/99', (x) => x.ack],
    ['fill ms p50/90/99', (x) => x.fill],
  ]);
  return `${head}${body}Slippage: against the mid when the order was placed, weighted by fill quantity; positive is a cost. Latency from submit.\n`;
}
