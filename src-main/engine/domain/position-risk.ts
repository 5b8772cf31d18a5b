/**
 * A derivative position's risk figures as columns: the desk's positions table and the CLI's
 * `positions` both show them from this one definition (so both read leverage as "10×"), each
 * column only when some row has its figure.
 */
import type { Position } from './order';

export type PositionRiskField = 'liquidationPrice' | 'leverage';

export interface PositionRiskColumn {
  readonly field: PositionRiskField;
  /** The column's name (the CLI prints it upper-cased). */
  readonly header: string;
  /** The narrower name the desk's table shows. */
  readonly shortHeader: string;
  /** The figure as text; undefined when the venue reported none. */
  readonly text: (p: Pick<Position, PositionRiskField>) => string | undefined;
}

/** "10×" for a reported leverage. */
export const leverageText = (leverage: string | undefined): string | undefined => (leverage === undefined ? undefined : `${leverage}×`);

export const POSITION_RISK_COLUMNS: readonly PositionRiskColumn[] = [
  { field: 'liquidationPrice', header: 'liq price', shortHeader: 'Liq price', text: (p) => p.liquidationPrice },
  { field: 'leverage', header: 'leverage', shortHeader: 'Lev', text: (p) => leverageText(p.leverage) },
];

/** The risk columns to show for these rows, in order: each one some row has a figure for. */
export function positionRiskColumns(ps: readonly Pick<Position, PositionRiskField>[]): readonly PositionRiskColumn[] {
  return POSITION_RISK_COLUMNS.filter((c) => ps.some((p) => p[c.field] !== undefined));
}
