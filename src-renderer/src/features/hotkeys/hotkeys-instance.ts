/** The window's one hotkeys store (localStorage), and a hook to read it. */
import { useStore } from 'zustand';
import { windowStorage } from '../../store/local-storage';
import { createHotkeysStore, type HotkeysStore } from './hotkeys-store';

export const hotkeysStore = createHotkeysStore(windowStorage());

export const useHotkeys = <T>(select: (s: HotkeysStore) => T): T => useStore(hotkeysStore, select);
