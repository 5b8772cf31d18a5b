/** The window's one watchlists store (localStorage), and a hook to read it. */
import { useStore } from 'zustand';
import { windowStorage } from '../../store/local-storage';
import { createWatchlistsStore, type WatchlistsStore } from './watchlists-store';

export const watchlistsStore = createWatchlistsStore(windowStorage());

export const useWatchlists = <T>(select: (s: WatchlistsStore) => T): T => useStore(watchlistsStore, select);
