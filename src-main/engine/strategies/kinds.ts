/** The strategy kinds by name: what `strategy add <kind>` accepts. DCA and TWAP take `stop=<percent>` (protective-stop.ts); a dip has its own stop, and a grid its own per filled buy (grid-planner.ts). */
import { TradeportError } from '../api/errors';
import { dcaPlanner } from './dca-planner';
import { dipPlanner } from './dip-planner';
import { gridPlanner } from './grid-planner';
import type { Planner } from './planner';
import { withProtectiveStop } from './protective-stop';
import { twapPlanner } from './twap-planner';

export const STRATEGY_KINDS: Readonly<Record<string, Planner<unknown, unknown>>> = {
  dca: withProtectiveStop(dcaPlanner) as Planner<unknown, unknown>,
  grid: gridPlanner as Planner<unknown, unknown>,
  twap: withProtectiveStop(twapPlanner) as Planner<unknown, unknown>,
  dip: dipPlanner as Planner<unknown, unknown>,
};

export function plannerFor(kind: string): Planner<unknown, unknown> {
  const p = Object.prototype.hasOwnProperty.call(STRATEGY_KINDS, kind) ? STRATEGY_KINDS[kind] : undefined;
  if (!p) throw new TradeportError('invalid_input', `Unknown strategy kind "${kind}"; the kinds are ${Object.keys(STRATEGY_KINDS).join(', ')}.`, { param: 'kind' });
  return p;
}
