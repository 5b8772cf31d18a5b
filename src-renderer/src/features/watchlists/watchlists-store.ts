/** The window's watchlists, saved to storage after every accepted edit. */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { persisted, type KeyValueStorage } from '../../store/local-storage';
import { addItem, createList, deleteList, moveItem, parseWatchlists, removeItem, renameList, setActive, type Edit, type WatchlistsState } from './watchlists-model';

export const WATCHLISTS_KEY = 'tradeport.watchlists.v1';

export interface WatchlistsStore extends WatchlistsState {
  create(name: string): Edit;
  rename(from: string, to: string): Edit;
  remove(name: string): Edit;
  show(name: string): void;
  add(list: string, id: string): Edit;
  drop(list: string, id: string): Edit;
  move(list: string, from: number, to: number): Edit;
}

export function createWatchlistsStore(storage: KeyValueStorage | undefined): StoreApi<WatchlistsStore> {
  const kept = persisted(storage, WATCHLISTS_KEY);
  return createStore<WatchlistsStore>()((set, get) => {
    const state = (): WatchlistsState => ({ lists: get().lists, active: get().active });
    const commit = (next: WatchlistsState) => {
      set({ lists: next.lists, active: next.active });
      kept.write(next);
    };
    const apply = (e: Edit): Edit => {
      if (e.ok) commit(e.state);
      return e;
    };
    return {
      ...parseWatchlists(kept.initial),
      create: (name) => apply(createList(state(), name)),
      rename: (from, to) => apply(renameList(state(), from, to)),
      remove: (name) => apply(deleteList(state(), name)),
      show: (name) => commit(setActive(state(), name)),
      add: (list, id) => apply(addItem(state(), list, id)),
      drop: (list, id) => apply(removeItem(state(), list, id)),
      move: (list, from, to) => apply(moveItem(state(), list, from, to)),
    };
  });
}
