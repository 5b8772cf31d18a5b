/**
 * The window's hotkey bindings: read from storage at start, saved on each accepted change. A
 * refused change leaves the bindings as they were and says why.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { persisted, type KeyValueStorage } from '../../store/local-storage';
import { DEFAULT_BINDINGS, parseBindings, remap, type Bindings, type HotkeyId, type RemapResult } from './hotkeys-model';

export const HOTKEYS_KEY = 'tradeport.hotkeys.v1';

export interface HotkeysStore {
  readonly bindings: Bindings;
  /** The hotkey list is recording a new key: no hotkey acts meanwhile. */
  readonly capturing: boolean;
  remap(id: HotkeyId, chord: string): RemapResult;
  resetAll(): void;
}

export function createHotkeysStore(storage: KeyValueStorage | undefined): StoreApi<HotkeysStore> {
  const kept = persisted(storage, HOTKEYS_KEY);
  return createStore<HotkeysStore>()((set, get) => ({
    bindings: parseBindings(kept.initial),
    capturing: false,
    remap(id, chord) {
      const r = remap(get().bindings, id, chord);
      if (r.ok && r.bindings !== get().bindings) {
        set({ bindings: r.bindings });
        kept.write(r.bindings);
      }
      return r;
    },
    resetAll() {
      set({ bindings: DEFAULT_BINDINGS });
      kept.write(DEFAULT_BINDINGS);
    },
  }));
}
