/** The window's one hotkeys store (kept in the engine's data dir, cached in localStorage), and a hook to read it. */
import { useStore } from 'zustand';
import { deskStorage } from '../../store/desk-storage';
import { createHotkeysStore, type HotkeysStore } from './hotkeys-store';

export const hotkeysStore = createHotkeysStore(deskStorage);

export const useHotkeys = <T>(select: (s: HotkeysStore) => T): T => useStore(hotkeysStore, select);
