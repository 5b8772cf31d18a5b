/** CLI output of the lot ledger's commands (`pnl`, `lots`, `tax-report`, `equity`); undefined for any other command. */
import type { CloseView, EquityCurveView, LedgerExportView, LotView, PnlView } from '../engine/api/portfolio';
import { table } from './format';

type Row = Record<string, unknown>;

export function formatPortfolio(command: string, value: unknown): string | undefined {
  switch (command) {
    case 'pnl.get': {
      const p = value as PnlView;
      const rows = table([...p.rows, p.total] as unknown as Row[], [
        [p.by, (r) => r.key],
        ['realized', (r) => r.realized],
        ['unrealized', (r) => r.unrealized],
        ['total', (r) => r.total],
        ['realized today', (r) => r.today],
      ]);
      const rates = p.rates.length ? `rates used: ${p.rates.map((r) => `1 ${r.from} = ${r.rate} ${p.currency}`).join(', ')}\n` : '';
      const left = p.unconverted.length ? `left out: ${p.unconverted.join('; ')}\n` : '';
      return `P&L in ${p.currency}\n${rows}${rates}${left}${p.dayBoundary}\n`;
    }
    case 'lots.list':
      return table(value as LotView[] as unknown as Row[], [
        ['venue', (l) => l.venue],
        ['symbol', (l) => l.symbol],
        ['side', (l) => l.direction],
        ['qty', (l) => l.qty],
        ['acquired', (l) => l.openedAt],
        ['unit cost', (l) => l.unitCost],
        ['basis', (l) => l.basis],
        ['wash adj', (l) => (l.washAdjustment === '0.00' ? undefined : l.washAdjustment)],
        ['term', (l) => l.term],
        ['mark', (l) => l.mark],
        ['unrealized', (l) => l.unrealized],
        ['lot', (l) => l.id],
      ]);
    case 'lots.closes':
      return table(value as CloseView[] as unknown as Row[], [
        ['venue', (c) => c.venue],
        ['symbol', (c) => c.symbol],
        ['side', (c) => c.direction],
        ['qty', (c) => c.qty],
        ['acquired', (c) => c.openedAt],
        ['sold', (c) => c.closedAt],
        ['proceeds', (c) => c.proceeds],
        ['cost', (c) => c.cost],
        ['realized', (c) => c.realized],
        ['wash', (c) => c.washDisallowed],
        ['term', (c) => c.term],
      ]);
    case 'equity.curve': {
      const c = value as EquityCurveView;
      const rows = table(c.points as unknown as Row[], [
        ['time (UTC)', (p) => p.ts],
        ['equity', (p) => p.equity],
        ['cash', (p) => p.cash],
        ['positions', (p) => p.positions],
        ['complete', (p) => (p.complete ? 'yes' : 'no (unpriced left out)')],
      ]);
      return `equity in ${c.currency}, sampled every ${Math.round(c.everyMs / 1000)} s while the engine runs; the last point is now\n${rows}`;
    }
    case 'ledger.export':
      // The CSV only, so `tradeport tax-report --year 2026 > 8949.csv` is the file.
      return (value as LedgerExportView).csv;
    default:
      return undefined;
  }
}
