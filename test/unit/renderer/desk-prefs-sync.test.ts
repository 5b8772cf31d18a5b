/**
 * The desk preferences' sync: the engine's copy wins at start (a wiped browser cache loses
 * nothing), a copy only the browser has is migrated up on the first run, changes made before the
 * engine answered win, and writes reach the engine once per quiet spell.
 */
import { describe, expect, it } from 'vitest';
import type { DeskPrefKey, DeskPrefs } from '../../../src-main/engine/api/desk-prefs';
import type { Result } from '../../../src-main/engine/api/errors';
import { DeskPrefsSync, SAVE_QUIET_MS, type PrefsEngine } from '../../../src-renderer/src/store/desk-prefs-sync';
import { LAYOUT_KEY, createLayoutStore } from '../../../src-renderer/src/features/layout/layout-store';
import { parseLayout } from '../../../src-renderer/src/features/layout/layout-model';
import { WATCHLISTS_KEY } from '../../../src-renderer/src/features/watchlists/watchlists-store';

class MemoryStorage {
  readonly data = new Map<string, string>();
  getItem = (k: string) => this.data.get(k) ?? null;
  setItem = (k: string, v: string) => void this.data.set(k, v);
}

class ManualTimers {
  private now = 0;
  private next = 1;
  private readonly due = new Map<number, { at: number; fn: () => void }>();
  set = (fn: () => void, ms: number) => {
    const id = this.next++;
    this.due.set(id, { at: this.now + ms, fn });
    return id;
  };
  clear = (h: unknown) => void this.due.delete(h as number);
  advance(ms: number) {
    this.now += ms;
    for (const [id, t] of [...this.due].sort((a, b) => a[1].at - b[1].at)) {
      if (t.at > this.now) continue;
      this.due.delete(id);
      t.fn();
    }
  }
  get pending() {
    return this.due.size;
  }
}

class FakeEngine implements PrefsEngine {
  readonly saves: [DeskPrefKey, unknown][] = [];
  constructor(
    public docs: DeskPrefs,
    private readonly refuse?: string,
  ) {}
  load = async (): Promise<Result<DeskPrefs>> => ({ ok: true, value: this.docs });
  save = async (key: DeskPrefKey, value: unknown): Promise<Result<unknown>> => {
    if (this.refuse) return { ok: false, error: { code: 'invalid_input', message: this.refuse } };
    this.saves.push([key, value]);
    this.docs = { ...this.docs, [key]: value };
    return { ok: true, value: { key, savedAt: 1 } };
  };
}

const bindings = [
  { key: 'layout', localKey: LAYOUT_KEY },
  { key: 'watchlists', localKey: WATCHLISTS_KEY },
] as const;

/** Lets the sends started by a timer run to their end (they await the fake engine's promises only). */
const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('desk preferences sync', () => {
  it('the engine copy replaces the local one and is drawn; a key only the browser kept is migrated up', async () => {
    const local = new MemoryStorage();
    local.setItem(LAYOUT_KEY, JSON.stringify({ theme: 'dark', fontScale: 1 }));
    local.setItem(WATCHLISTS_KEY, JSON.stringify({ lists: [{ name: 'Old', items: ['paper:AAPL'] }], active: 'Old' }));
    const timers = new ManualTimers();
    const sync = new DeskPrefsSync(local, bindings, timers);
    const layout = createLayoutStore(sync);
    expect(layout.getState().theme).toBe('dark');
    sync.onLoad('layout', (raw) => layout.setState(parseLayout(raw)));
    const engine = new FakeEngine({ layout: { theme: 'light', fontScale: 1.2, panels: { ticketWidth: 300, bookWidth: 200 } } });

    expect(await sync.start(engine)).toBe(true);
    expect(layout.getState()).toMatchObject({ theme: 'light', fontScale: 1.2, panels: { ticketWidth: 300, bookWidth: 200 } });
    expect(JSON.parse(local.getItem(LAYOUT_KEY)!)).toMatchObject({ theme: 'light' });
    // The browser's watchlists were never in the engine: sent up after the quiet spell, once.
    expect(engine.saves).toEqual([]);
    timers.advance(SAVE_QUIET_MS);
    await settle();
    expect(engine.saves).toEqual([['watchlists', { lists: [{ name: 'Old', items: ['paper:AAPL'] }], active: 'Old' }]]);
  });

  it('a one-click opt-in only this browser kept is dropped, never carried up to the engine', async () => {
    const local = new MemoryStorage();
    local.setItem('tradeport.oneClick', JSON.stringify({ venues: ['paper'], presets: ['1'] }));
    const timers = new ManualTimers();
    const sync = new DeskPrefsSync(local, [{ key: 'oneClick', localKey: 'tradeport.oneClick' }], timers);
    const drawn: string[] = [];
    sync.onLoad('oneClick', (raw) => drawn.push(raw));
    const engine = new FakeEngine({});
    expect(await sync.start(engine)).toBe(true);
    timers.advance(SAVE_QUIET_MS);
    await settle();
    expect(engine.saves).toEqual([]);
    expect(drawn).toEqual(['null']);
    expect(local.getItem('tradeport.oneClick')).toBe('null');
  });

  it('a burst of changes is one save after the quiet spell; a change made before the engine answered wins', async () => {
    const local = new MemoryStorage();
    const timers = new ManualTimers();
    const sync = new DeskPrefsSync(local, bindings, timers);
    const layout = createLayoutStore(sync);
    let hydrated = 0;
    sync.onLoad('layout', () => hydrated++);
    layout.getState().setTheme('light');
    const engine = new FakeEngine({ layout: { theme: 'dark' } });
    await sync.start(engine);
    expect(hydrated).toBe(0);
    expect(layout.getState().theme).toBe('light');
    for (const w of [300, 310, 320, 330]) {
      layout.getState().panelsTo({ ticketWidth: w });
      timers.advance(SAVE_QUIET_MS / 2);
    }
    await settle();
    expect(engine.saves).toEqual([]);
    timers.advance(SAVE_QUIET_MS);
    await settle();
    expect(engine.saves).toHaveLength(1);
    expect(engine.saves[0]![1]).toMatchObject({ theme: 'light', panels: { ticketWidth: 330 } });
    expect(timers.pending).toBe(0);
  });

  it('saveNow sends at once; a refused save is reported, the local copy holds and goes up later', async () => {
    const local = new MemoryStorage();
    const timers = new ManualTimers();
    const sync = new DeskPrefsSync(local, bindings, timers);
    expect(await sync.saveNow(WATCHLISTS_KEY, '{"lists":[],"active":""}')).toBeUndefined();
    const refusing = new FakeEngine({}, 'a preference is at most 64 KiB of JSON');
    await sync.start(refusing);
    const r = await sync.saveNow(LAYOUT_KEY, '{"theme":"light"}');
    expect(r).toMatchObject({ ok: false });
    expect(sync.saveError).toBe('layout: a preference is at most 64 KiB of JSON');
    expect(local.getItem(LAYOUT_KEY)).toBe('{"theme":"light"}');
    // Next time the engine can take them, what it lacks and the local copy kept goes up.
    const fine = new FakeEngine({});
    await sync.start(fine);
    await sync.flush();
    expect(fine.docs).toEqual({ layout: { theme: 'light' }, watchlists: { lists: [], active: '' } });
  });

  it('keeps working without any local storage (blocked): the engine copy is drawn', async () => {
    const sync = new DeskPrefsSync(undefined, bindings, new ManualTimers());
    const layout = createLayoutStore(sync);
    sync.onLoad('layout', (raw) => layout.setState(parseLayout(raw)));
    await sync.start(new FakeEngine({ layout: { theme: 'light' } }));
    expect(layout.getState().theme).toBe('light');
  });
});
