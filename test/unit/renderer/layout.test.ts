import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LAYOUT,
  DEFAULT_PANELS,
  LIMITS,
  MAX_SAVED,
  cssVars,
  deleteLayout,
  parseLayout,
  restoreLayout,
  saveLayout,
  setFontScale,
  setPanels,
  setTheme,
  stepFontScale,
  type LayoutEdit,
  type LayoutState,
} from '../../../src-renderer/src/features/layout/layout-model';
import { LAYOUT_KEY, applyLook, createLayoutStore } from '../../../src-renderer/src/features/layout/layout-store';

const ok = (e: LayoutEdit): LayoutState => {
  if (!e.ok) throw new Error(e.message);
  return e.state;
};

describe('layout model', () => {
  it('clamps panel sizes to usable ranges', () => {
    const s = setPanels(DEFAULT_LAYOUT, { ticketWidth: 10, bookWidth: 9999, topPct: 99.97 });
    expect(s.panels).toEqual({ ticketWidth: LIMITS.ticketWidth.min, bookWidth: LIMITS.bookWidth.max, topPct: LIMITS.topPct.max });
    expect(setPanels(s, { topPct: undefined }).panels.topPct).toBeUndefined();
    expect(setPanels(DEFAULT_LAYOUT, { ticketWidth: 400.4 }).panels.ticketWidth).toBe(400);
  });
  it('keeps the font scale on its 5 % grid within 80–140 %', () => {
    expect(setFontScale(DEFAULT_LAYOUT, 1.12).fontScale).toBe(1.1);
    expect(setFontScale(DEFAULT_LAYOUT, 3).fontScale).toBe(1.4);
    expect(setFontScale(DEFAULT_LAYOUT, 0.1).fontScale).toBe(0.8);
    let s = DEFAULT_LAYOUT;
    for (let i = 0; i < 3; i++) s = stepFontScale(s, 1);
    expect(s.fontScale).toBe(1.15);
    for (let i = 0; i < 20; i++) s = stepFontScale(s, -1);
    expect(s.fontScale).toBe(0.8);
  });
  it('saves the current screen under a name and restores it later', () => {
    let s = setTheme(setFontScale(setPanels(DEFAULT_LAYOUT, { ticketWidth: 400, topPct: 60 }), 1.2), 'light');
    s = ok(saveLayout(s, ' Morning '));
    expect(Object.keys(s.saved)).toEqual(['Morning']);
    s = setTheme(setPanels(s, { ticketWidth: 300, topPct: undefined }), 'dark');
    s = ok(restoreLayout(s, 'Morning'));
    expect(s).toMatchObject({ panels: { ticketWidth: 400, bookWidth: 250, topPct: 60 }, theme: 'light', fontScale: 1.2 });
    expect(restoreLayout(s, 'Evening')).toEqual({ ok: false, message: 'There is no saved layout called “Evening”.' });
    expect(restoreLayout(s, 'constructor')).toMatchObject({ ok: false });
    expect(saveLayout(s, '  ')).toEqual({ ok: false, message: 'Give the layout a name.' });
    expect(Object.keys(ok(deleteLayout(s, 'Morning')).saved)).toEqual([]);
  });
  it('caps the saved layouts, while re-saving a name still works', () => {
    let s = DEFAULT_LAYOUT;
    for (let i = 0; i < MAX_SAVED; i++) s = ok(saveLayout(s, `L${i}`));
    expect(saveLayout(s, 'one more')).toMatchObject({ ok: false, message: expect.stringContaining(`At most ${MAX_SAVED}`) });
    expect(saveLayout(s, 'L0')).toMatchObject({ ok: true });
  });
  it('reads stored layouts back, clamping numbers and dropping junk', () => {
    const raw = JSON.stringify({
      panels: { ticketWidth: 5000, bookWidth: 'wide', topPct: 50 },
      theme: 'neon',
      fontScale: 1.23,
      saved: { Desk: { panels: { ticketWidth: 350 }, theme: 'light', fontScale: 0.9 }, ' pad ': { panels: {} }, Bad: 7 },
    });
    expect(parseLayout(raw)).toEqual({
      panels: { ticketWidth: LIMITS.ticketWidth.max, bookWidth: DEFAULT_PANELS.bookWidth, topPct: 50 },
      theme: 'dark',
      fontScale: 1.25,
      saved: { Desk: { panels: { ticketWidth: 350, bookWidth: 250, topPct: undefined }, theme: 'light', fontScale: 0.9 } },
    });
    expect(parseLayout('nope')).toEqual(DEFAULT_LAYOUT);
    expect(parseLayout(null)).toEqual(DEFAULT_LAYOUT);
  });
  it('draws a look as CSS custom properties, rows only once dragged', () => {
    expect(cssVars(DEFAULT_LAYOUT)).toEqual({ '--ticket-w': '324px', '--book-w': '250px', '--font-scale': '1' });
    const v = cssVars(setPanels(DEFAULT_LAYOUT, { topPct: 36 }));
    expect(v['--rows-wide']).toBe('minmax(0, 36fr) minmax(0, 64fr)');
    expect(v['--rows-narrow']).toBe('minmax(0, 36fr) minmax(0, 34fr) minmax(0, 30fr)');
  });
});

describe('layout store', () => {
  it('persists every change, restores it in a new window, and draws it on the root element', () => {
    const mem = new Map<string, string>();
    const storage = { getItem: (k: string) => mem.get(k) ?? null, setItem: (k: string, v: string) => void mem.set(k, v) };
    const a = createLayoutStore(storage);
    a.getState().panelsTo({ ticketWidth: 420 });
    a.getState().setTheme('light');
    a.getState().stepScale(1);
    expect(a.getState().save('Wide ticket')).toMatchObject({ ok: true });
    a.getState().resetPanels();
    expect(JSON.parse(mem.get(LAYOUT_KEY)!)).toMatchObject({ panels: { ticketWidth: 324 }, theme: 'light', fontScale: 1.05 });

    const b = createLayoutStore(storage);
    const props = new Map<string, string>();
    const root = { style: { setProperty: (k: string, v: string) => void props.set(k, v), removeProperty: (k: string) => void props.delete(k) }, dataset: {} as Record<string, string> };
    const stop = applyLook(b, root as never);
    expect(root.dataset.theme).toBe('light');
    expect(props.get('--ticket-w')).toBe('324px');
    expect(b.getState().restore('Wide ticket')).toMatchObject({ ok: true });
    expect(props.get('--ticket-w')).toBe('420px');
    b.getState().panelsTo({ topPct: 50 });
    expect(props.get('--rows-wide')).toBe('minmax(0, 50fr) minmax(0, 50fr)');
    b.getState().resetPanels();
    expect(props.has('--rows-wide')).toBe(false);
    stop();
    b.getState().setTheme('dark');
    expect(root.dataset.theme).toBe('light');
  });
});
