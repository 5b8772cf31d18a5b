/** The strategy commands: add, list, show, pause, resume, stop, simulate. The runner does the work. */
import type { CommandHandlers } from '../api/engine-api';
import type { StrategyRunner } from '../strategies/strategy-runner';

type StrategyCommand = 'strategy.add' | 'strategy.list' | 'strategy.show' | 'strategy.pause' | 'strategy.resume' | 'strategy.stop' | 'strategy.simulate';

export function strategyCommands(d: { readonly runner: StrategyRunner }): Pick<CommandHandlers, StrategyCommand> {
  const { runner } = d;
  return {
    'strategy.add': (i) => runner.add(i.kind, i.venue, i.symbol, i.params),
    'strategy.list': () => runner.list(),
    'strategy.show': (i) => runner.show(i.id),
    'strategy.pause': (i) => runner.pause(i.id),
    'strategy.resume': (i) => runner.resume(i.id),
    'strategy.stop': (i) => runner.stop(i.id, i.cancelOrders),
    'strategy.simulate': (i) => runner.simulate(i),
  };
}
