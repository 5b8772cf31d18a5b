/** The window's one watchlists store (kept in the engine's data dir, cached in localStorage), and a hook to read it. */
import { useStore } from 'zustand';
import { deskStorage } from '../../store/desk-storage';
import { createWatchlistsStore, type WatchlistsStore } from './watchlists-store';

export const watchlistsStore = createWatchlistsStore(deskStorage);

export const useWatchlists = <T>(select: (s: WatchlistsStore) => T): T => useStore(watchlistsStore, select);
