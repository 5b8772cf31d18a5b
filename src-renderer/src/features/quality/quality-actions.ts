/** Fetches the execution-quality report for a window ending now. */
import type { QualityReportView } from '../../../../src-main/engine/api/quality-view';
import { invoke } from '../../api/invoke';

export async function loadQuality(windowMs: number, now = Date.now()): Promise<{ report?: QualityReportView; error?: string }> {
  const r = await invoke('quality.report', { sinceTs: now - windowMs });
  return r.ok ? { report: r.value } : { error: `${r.error.code}: ${r.error.message}` };
}
