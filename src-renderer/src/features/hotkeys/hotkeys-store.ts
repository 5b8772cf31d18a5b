/**
 * The window's hotkey bindings: read from storage at start, saved on each accepted change. A
 * refused change leaves the bindings as they were and says why.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { DEFAULT_BINDINGS, parseBindings, remap, type Bindings, type HotkeyId, type RemapResult } from './hotkeys-model';

export const HOTKEYS_KEY = 'tradeport.hotkeys.v1';

export interface HotkeysStore {
  readonly bindings: Bindings;
  /** The hotkey list is recording a new key: no hotkey acts meanwhile. */
  readonly capturing: boolean;
  remap(id: HotkeyId, chord: string): RemapResult;
  resetAll(): void;
}

export function createHotkeysStore(storage: Pick<Storage, 'getItem' | 'setItem'> | undefined): StoreApi<HotkeysStore> {
  let initial: string | null | undefined;
  try {
    initial = storage?.getItem(HOTKEYS_KEY);
  } catch {
    initial = undefined;
  }
  const save = (b: Bindings) => {
    try {
      storage?.setItem(HOTKEYS_KEY, JSON.stringify(b));
    } catch {
      // Storage full or blocked: the change still holds for this session.
    }
  };
  return createStore<HotkeysStore>()((set, get) => ({
    bindings: parseBindings(initial),
    capturing: false,
    remap(id, chord) {
      const r = remap(get().bindings, id, chord);
      if (r.ok && r.bindings !== get().bindings) {
        set({ bindings: r.bindings });
        save(r.bindings);
      }
      return r;
    },
    resetAll() {
      set({ bindings: DEFAULT_BINDINGS });
      save(DEFAULT_BINDINGS);
    },
  }));
}
