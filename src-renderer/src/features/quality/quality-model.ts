/** What the execution-quality view shows, from `quality.report` (pure; tested without a screen). */
import type { Percentiles, QualityReportView, TwinPairRow, TwinSummary } from '../../../../src-main/engine/api/quality-view';

export const QUALITY_WINDOWS = [
  { label: '1 h', ms: 3_600_000 },
  { label: '24 h', ms: 24 * 3_600_000 },
  { label: '7 d', ms: 7 * 24 * 3_600_000 },
] as const;

/** "p50 / p90 / p99 ms", or a dash with nothing measured. */
export const msLine = (p: Percentiles): string => (p.n === 0 ? '–' : `${p.p50} / ${p.p90} / ${p.p99}`);
export const pctCell = (v: string | null): string => (v === null ? '–' : `${v} %`);
export const bpCell = (v: string | null): string => (v === null ? '–' : v);
export const msCell = (v: number | null): string => (v === null ? '–' : `${v}`);

/** The per-venue rows plus the total when there is more than one venue. */
export function qualityRows(r: QualityReportView): QualityReportView['rows'] {
  return r.rows.length > 1 ? [...r.rows, r.total] : r.rows;
}

export function twinSummaryRows(r: QualityReportView): TwinSummary[] {
  const t = r.twins;
  if (!t) return [];
  return t.rows.length > 1 ? [...t.rows, t.total] : t.rows;
}

/** A difference in bp: a positive one is a cost of going live (the tone the cell takes). */
export function diffTone(v: string | null): 'cost' | 'gain' | '' {
  if (v === null || Number.isNaN(Number(v)) || Number(v) === 0) return '';
  return v.startsWith('-') ? 'gain' : 'cost';
}

/** The pairs listed on screen, newest first (the CLI's --json has them all). */
export const PAIRS_SHOWN = 200;
export const shownPairs = (r: QualityReportView): readonly TwinPairRow[] => r.twins?.pairs.slice(0, PAIRS_SHOWN) ?? [];
