/** `tradeport quality`: one line per venue (or origin) and a total, then what the figures mean. */
import type { Percentiles, QualityReportView, QualityRow, TwinReportView } from '../engine/api/quality-view';
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
  const note = 'Slippage: against the mid when the order was placed, weighted by fill quantity; positive is a cost. Latency from submit.\n';
  return `${head}${body}${note}${r.twins ? formatTwins(r.twins) : ''}`;
}

/** Pairs listed in the terminal (the JSON has them all). */
const TWIN_LINES = 50;

/** CANARY: each live order beside its SHADOW twin, then the pairs aggregated. */
function formatTwins(t: TwinReportView): string {
  const shown = t.pairs.slice(0, TWIN_LINES);
  const head = `\nCANARY: live orders beside their SHADOW twins — ${t.pairs.length} pair(s)${t.pairs.length > shown.length ? `, newest ${shown.length} listed` : ''}\n`;
  const pairs = table(
    shown.map((x) => ({
      order: x.clientOrderId,
      symbol: x.symbol,
      side: x.side,
      qty: x.qty,
      live: x.live.status,
      livePx: x.live.avgFillPrice,
      liveMs: x.live.fillMs,
      twin: x.twin.status,
      twinPx: x.twin.avgFillPrice,
      twinMs: x.twin.fillMs,
      diff: x.diffBps,
    })),
    [
      ['order', (x) => x.order],
      ['symbol', (x) => x.symbol],
      ['side', (x) => x.side],
      ['qty', (x) => x.qty],
      ['live', (x) => x.live],
      ['live px', (x) => x.livePx],
      ['live ms', (x) => x.liveMs],
      ['twin', (x) => x.twin],
      ['twin px', (x) => x.twinPx],
      ['twin ms', (x) => x.twinMs],
      ['diff bp', (x) => x.diff],
    ],
  );
  const sums = table(
    (t.rows.length > 1 ? [...t.rows, t.total] : t.rows).map((x) => ({
      key: x.key,
      pairs: x.pairs,
      both: x.bothFilled,
      diff: x.avgDiffBps,
      liveRate: pct(x.liveFillRatePct),
      twinRate: pct(x.twinFillRatePct),
      liveMs: ms(x.liveFillMs),
      twinMs: ms(x.twinFillMs),
    })),
    [
      ['venue', (x) => x.key],
      ['pairs', (x) => x.pairs],
      ['both filled', (x) => x.both],
      ['avg diff bp', (x) => x.diff],
      ['live fill rate', (x) => x.liveRate],
      ['twin fill rate', (x) => x.twinRate],
      ['live fill ms p50/90/99', (x) => x.liveMs],
      ['twin fill ms p50/90/99', (x) => x.twinMs],
    ],
  );
  return `${head}${pairs}\n${sums}Diff: live minus twin average fill price over the twin's, in bp; positive = the live fill cost more than the simulation. Times from the live order's arrival to its first fill.\n`;
}
