/** `equity.curve`: the account's equity over time (portfolio/equity-history.ts). */
import type { CommandHandlers } from '../api/engine-api';
import type { EquityHistory } from '../portfolio/equity-history';

export function equityCommands(d: { readonly history: Pick<EquityHistory, 'curve'> }): Pick<CommandHandlers, 'equity.curve'> {
  return { 'equity.curve': (i) => d.history.curve(i.sinceTs, i.maxPoints) };
}
