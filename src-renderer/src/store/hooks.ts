/** React access to the one engine store. */
import { useStore } from 'zustand';
import { createEngineStore, type EngineStore } from './engine-store';

export const engineStore = createEngineStore();

export function useEngine<T>(selector: (s: EngineStore) => T): T {
  return useStore(engineStore, selector);
}
