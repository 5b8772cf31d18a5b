/** The window's one hotkeys store (localStorage), and a hook to read it. */
import { useStore } from 'zustand';
import type { HotkeysStore } from './hotkeys-store';
import { createHotkeysStore } from './hotkeys-store';

function localStorageOrNone(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

export const hotkeysStore = createHotkeysStore(localStorageOrNone());

export const useHotkeys = <T>(select: (s: HotkeysStore) => T): T => useStore(hotkeysStore, select);
