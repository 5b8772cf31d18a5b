/** Fetches the ledger's P&L, curve and lots into a small store; exports CSVs as downloads. */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { EquityCurveView, LotView, PnlCurveView, PnlView } from '../../../../src-main/engine/api/portfolio';
import { invoke } from '../../api/invoke';
import { downloadText } from '../safety/safety-actions';
import type { ExportKind } from './portfolio-model';

interface PortfolioState {
  readonly pnl?: PnlView;
  readonly curve?: PnlCurveView;
  readonly equity?: EquityCurveView;
  readonly lots: readonly LotView[];
  readonly selected?: string;
  readonly error?: string;
  readonly exported?: string;
}

export const portfolioStore = createStore<PortfolioState>()(() => ({ lots: [] }));
export const usePortfolio = <T>(pick: (s: PortfolioState) => T): T => useStore(portfolioStore, pick);

let inFlight: Promise<void> | undefined;
let again = false;

/** One refresh at a time; a request while one runs makes exactly one more after it. */
export function refreshPortfolio(): Promise<void> {
  if (inFlight) {
    again = true;
    return inFlight;
  }
  inFlight = (async () => {
    do {
      again = false;
      const [pnl, curve, lots, equity] = await Promise.all([invoke('pnl.get', { by: 'venue' }), invoke('pnl.curve', {}), invoke('lots.list', {}), invoke('equity.curve', {})]);
      const failed = [pnl, curve, lots, equity].find((r) => !r.ok);
      if (failed && !failed.ok) portfolioStore.setState({ error: `${failed.error.code}: ${failed.error.message}` });
      else if (pnl.ok && curve.ok && lots.ok && equity.ok) portfolioStore.setState({ pnl: pnl.value, curve: curve.value, lots: lots.value, equity: equity.value, error: undefined });
    } while (again);
  })().finally(() => (inFlight = undefined));
  return inFlight;
}

export const selectPosition = (key: string | undefined): void => portfolioStore.setState({ selected: key });

export async function exportLedgerCsv(kind: ExportKind, year: number): Promise<void> {
  const r = await invoke('ledger.export', { kind, year });
  if (!r.ok) {
    portfolioStore.setState({ error: `${r.error.code}: ${r.error.message}` });
    return;
  }
  downloadText(r.value.filename, r.value.csv);
  portfolioStore.setState({ exported: `${r.value.filename}: ${r.value.rows} row${r.value.rows === 1 ? '' : 's'}`, error: undefined });
}
