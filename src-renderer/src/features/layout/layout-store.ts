/**
 * The window's layout and look: kept in storage (every change), drawn through CSS custom
 * properties and `data-theme` on the root element.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { persisted, type KeyValueStorage } from '../../store/local-storage';
import {
  cssVars,
  deleteLayout,
  parseLayout,
  resetPanels,
  restoreLayout,
  saveLayout,
  setFontScale,
  setPanels,
  setTheme,
  stepFontScale,
  type LayoutEdit,
  type LayoutState,
  type Panels,
  type Theme,
} from './layout-model';

export const LAYOUT_KEY = 'tradeport.layout.v1';

export interface LayoutStore extends LayoutState {
  panelsTo(p: Partial<Panels>): void;
  setTheme(t: Theme): void;
  scale(s: number): void;
  stepScale(dir: 1 | -1): void;
  resetPanels(): void;
  save(name: string): LayoutEdit;
  restore(name: string): LayoutEdit;
  forget(name: string): LayoutEdit;
}

export function createLayoutStore(storage: KeyValueStorage | undefined): StoreApi<LayoutStore> {
  const kept = persisted(storage, LAYOUT_KEY);
  return createStore<LayoutStore>()((set, get) => {
    const state = (): LayoutState => ({ panels: get().panels, theme: get().theme, fontScale: get().fontScale, saved: get().saved });
    const commit = (next: LayoutState) => {
      set(next);
      kept.write(next);
    };
    const apply = (e: LayoutEdit): LayoutEdit => {
      if (e.ok) commit(e.state);
      return e;
    };
    return {
      ...parseLayout(kept.initial),
      panelsTo: (p) => commit(setPanels(state(), p)),
      setTheme: (t) => commit(setTheme(state(), t)),
      scale: (s) => commit(setFontScale(state(), s)),
      stepScale: (d) => commit(stepFontScale(state(), d)),
      resetPanels: () => commit(resetPanels(state())),
      save: (name) => apply(saveLayout(state(), name)),
      restore: (name) => apply(restoreLayout(state(), name)),
      forget: (name) => apply(deleteLayout(state(), name)),
    };
  });
}

/** Draws the look on `root` now and after every change; returns the stop. */
export function applyLook(store: StoreApi<LayoutStore>, root: HTMLElement): () => void {
  let drawn: string[] = [];
  const draw = (s: LayoutState) => {
    const vars = cssVars(s);
    for (const k of drawn) if (!(k in vars)) root.style.removeProperty(k);
    for (const [k, v] of Object.entries(vars)) root.style.setProperty(k, v);
    drawn = Object.keys(vars);
    root.dataset.theme = s.theme;
  };
  draw(store.getState());
  return store.subscribe((s, before) => {
    if (s.panels !== before.panels || s.theme !== before.theme || s.fontScale !== before.fontScale) draw(s);
  });
}
