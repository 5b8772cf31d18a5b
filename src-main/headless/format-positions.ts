/** CLI output of `positions`: a derivative's liquidation price and leverage as columns when any row has them. */
import type { Position } from '../engine/domain/order';
import { table } from './format';

type Row = Record<string, unknown>;
type Column = [header: string, get: (r: Row) => unknown];

export function formatPositions(ps: readonly Position[]): string {
  const has = (k: 'liquidationPrice' | 'leverage') => ps.some((p) => p[k] !== undefined);
  const columns: Column[] = [
    ['venue', (p) => p.venue],
    ['symbol', (p) => p.symbol],
    ['qty', (p) => p.qty],
    ['avg price', (p) => p.avgPrice],
    ['mark', (p) => p.mark],
    ['unrealized', (p) => p.unrealizedPnl],
    ['realized', (p) => p.realizedPnl],
    ...(has('liquidationPrice') ? ([['liq price', (p) => p.liquidationPrice]] as Column[]) : []),
    ...(has('leverage') ? ([['leverage', (p) => (p.leverage !== undefined ? `${String(p.leverage)}x` : undefined)]] as Column[]) : []),
  ];
  return table(ps as unknown as Row[], columns);
}
