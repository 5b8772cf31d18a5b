/** The Strategies panel's calls to the engine: the list (refreshed), add, pause, resume, stop, simulate. */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { StrategyView } from '../../../../src-main/engine/api/commands';
import type { Result } from '../../../../src-main/engine/api/errors';
import { invoke } from '../../api/invoke';

interface StrategiesState {
  readonly list: readonly StrategyView[];
  readonly error?: string;
}

export const strategiesStore = createStore<StrategiesState>()(() => ({ list: [] }));
export const useStrategies = <T>(pick: (s: StrategiesState) => T): T => useStore(strategiesStore, pick);

export async function refreshStrategies(): Promise<void> {
  const r = await invoke('strategy.list', {});
  if (r.ok) strategiesStore.setState({ list: r.value, error: undefined });
  else strategiesStore.setState({ error: `${r.error.code}: ${r.error.message}` });
}

async function then<T>(r: Promise<Result<T>>): Promise<Result<T>> {
  const out = await r;
  await refreshStrategies();
  return out;
}

export const addStrategy = (kind: string, venue: string, symbol: string, params: Record<string, string>) => then(invoke('strategy.add', { kind, venue, symbol, params }));
export const pauseStrategy = (id: string) => then(invoke('strategy.pause', { id }));
export const resumeStrategy = (id: string) => then(invoke('strategy.resume', { id }));
export const stopStrategy = (id: string, cancelOrders: boolean) => then(invoke('strategy.stop', { id, cancelOrders }));
/** Read-only: the orders the plan would place over `hours` of simulated time (nothing is placed, the list is not refreshed). */
export const simulatePlan = (kind: string, venue: string, symbol: string, params: Record<string, string>, hours = 24) => invoke('strategy.simulate', { kind, venue, symbol, params, hours });
