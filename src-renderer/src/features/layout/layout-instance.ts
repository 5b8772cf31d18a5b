/** The window's one layout store (localStorage), and a hook to read it. */
import { useStore } from 'zustand';
import { windowStorage } from '../../store/local-storage';
import { createLayoutStore, type LayoutStore } from './layout-store';

export const layoutStore = createLayoutStore(windowStorage());

export const useLayout = <T>(select: (s: LayoutStore) => T): T => useStore(layoutStore, select);
