/** CLI output of `positions`: a derivative's liquidation price and leverage as columns when any row has them (the desk's own definition). */
import type { Position } from '../engine/domain/order';
import { positionRiskColumns } from '../engine/domain/position-risk';
import { table } from './format';

type Row = Record<string, unknown>;
type Column = [header: string, get: (r: Row) => unknown];

export function formatPositions(ps: readonly Position[]): string {
  const columns: Column[] = [
    ['venue', (p) => p.venue],
    ['symbol', (p) => p.symbol],
    ['qty', (p) => p.qty],
    ['avg price', (p) => p.avgPrice],
    ['mark', (p) => p.mark],
    ['unrealized', (p) => p.unrealizedPnl],
    ['realized', (p) => p.realizedPnl],
    // The derivative columns as the desk shows them (domain/position-risk.ts).
    ...positionRiskColumns(ps).map((c): Column => [c.header, (p) => c.text(p as unknown as Position)]),
  ];
  return table(ps as unknown as Row[], columns);
}
