/** The window's watchlists, saved to storage after every accepted edit. */
import { createStore, type StoreApi } from 'zustand/vanilla';
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

export function createWatchlistsStore(storage: Pick<Storage, 'getItem' | 'setItem'> | undefined): StoreApi<WatchlistsStore> {
  let raw: string | null | undefined;
  try {
    raw = storage?.getItem(WATCHLISTS_KEY);
  } catch {
    raw = undefined;
  }
  return createStore<WatchlistsStore>()((set, get) => {
    const state = (): WatchlistsState => ({ lists: get().lists, active: get().active });
    const commit = (next: WatchlistsState) => {
      set({ lists: next.lists, active: next.active });
      try {
        storage?.setItem(WATCHLISTS_KEY, JSON.stringify(next));
      } catch {
        // Storage full or blocked: the lists still hold for this session.
      }
    };
    const apply = (e: Edit): Edit => {
      if (e.ok) commit(e.state);
      return e;
    };
    return {
      ...parseWatchlists(raw),
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
