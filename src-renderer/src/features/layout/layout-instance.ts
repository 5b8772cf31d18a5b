/** The window's one layout store (kept in the engine's data dir, cached in localStorage), and a hook to read it. */
import { useStore } from 'zustand';
import { deskStorage } from '../../store/desk-storage';
import { createLayoutStore, type LayoutStore } from './layout-store';

export const layoutStore = createLayoutStore(deskStorage);

export const useLayout = <T>(select: (s: LayoutStore) => T): T => useStore(layoutStore, select);
