/**
 * Quitting with work in flight: the trader is asked first, with the numbers. Working orders stay
 * at their venues (Paper's wait for the next start); strategies stop until Tradeport runs again.
 */
import type { EngineApi } from '../engine/api/engine-api';

export interface OpenWork {
  readonly workingOrders: number;
  readonly runningStrategies: number;
}

export async function openWork(engine: EngineApi, runningStrategies: () => Promise<number>): Promise<OpenWork> {
  const ks = await engine.call('killSwitch.status', {});
  return { workingOrders: ks.ok ? ks.value.workingOrders : 0, runningStrategies: await runningStrategies().catch(() => 0) };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The question, or undefined when there is nothing to ask about. */
export function quitQuestion(w: OpenWork): { message: string; detail: string } | undefined {
  if (w.workingOrders === 0 && w.runningStrategies === 0) return undefined;
  const parts = [
    w.workingOrders > 0 ? plural(w.workingOrders, 'working order') : '',
    w.runningStrategies > 0 ? plural(w.runningStrategies, 'running strategy').replace('strategys', 'strategies') : '',
  ].filter(Boolean);
  const detail = [
    w.workingOrders > 0 ? 'Working orders stay at their venues and can still fill while Tradeport is closed (Paper orders wait for the next start). Fills are reconciled when it starts again.' : '',
    w.runningStrategies > 0 ? 'Running strategies stop placing orders until Tradeport runs again.' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return { message: `Quit Tradeport with ${parts.join(' and ')}?`, detail };
}

export interface QuitGuardDeps {
  readonly engine: EngineApi;
  runningStrategies(): Promise<number>;
  /** Shows the question; resolves true for "Quit anyway". */
  ask(q: { message: string; detail: string }): Promise<boolean>;
}

export async function confirmQuit(deps: QuitGuardDeps): Promise<boolean> {
  const q = quitQuestion(await openWork(deps.engine, deps.runningStrategies));
  return q === undefined ? true : deps.ask(q);
}
