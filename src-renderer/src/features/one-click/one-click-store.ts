/**
 * The window's one-click state: the opt-ins and size presets (desk preferences, in the engine's
 * data dir) and the accounts the engine says are armed. Opting in and arming both reach the engine
 * before they take effect, so the audit log has them; the armed list changes only on what the
 * engine tells (`oneClick.status` at start, then `oneClick` events in stream order), so a disarm
 * the engine makes by itself (kill switch, lost venue, restart) shows in every window.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { OneClickArmed, OneClickStatus } from '../../../../src-main/engine/api/desk-prefs';
import type { EngineEvent } from '../../../../src-main/engine/api/events';
import type { Result } from '../../../../src-main/engine/api/errors';
import { applyArmed, applyStatus, armBlock, initialOneClick, isArmed, optIn, parseOneClick, setPresets, type ArmContext, type OneClickState } from './one-click-model';

export const ONE_CLICK_KEY = 'tradeport.oneClick.v1';

export interface OneClickPrefsStorage {
  getItem(key: string): string | null;
  /** Writes the local copy and sends it to the engine at once; undefined when the engine is not reached yet. */
  saveNow(key: string, value: string): Promise<Result<unknown> | undefined>;
}

export type OneClickEngine = (venue: string, armed: boolean) => Promise<Result<OneClickArmed>>;

export type Outcome = { readonly ok: true } | { readonly ok: false; readonly message: string };

export interface OneClickStore extends OneClickState {
  optIn(venue: string, on: boolean): Promise<Outcome>;
  presets(typed: string): Promise<Outcome>;
  /** Asks the engine to arm `ctx.venue` (or to disarm it, when armed); the screen follows the engine's event. */
  toggleArm(ctx: ArmContext): Promise<Outcome>;
}

const saved = async (storage: OneClickPrefsStorage, s: OneClickState): Promise<Outcome> => {
  const r = await storage.saveNow(ONE_CLICK_KEY, JSON.stringify(s.prefs));
  return r && !r.ok ? { ok: false, message: `${r.error.code}: ${r.error.message}` } : { ok: true };
};

const outcome = (r: Result<unknown>): Outcome => (r.ok ? { ok: true } : { ok: false, message: `${r.error.code}: ${r.error.message}` });

export function createOneClickStore(storage: OneClickPrefsStorage, engine: OneClickEngine): StoreApi<OneClickStore> {
  return createStore<OneClickStore>()((set, get) => ({
    ...initialOneClick(parseOneClick(storage.getItem(ONE_CLICK_KEY))),
    async optIn(venue, on) {
      set(optIn(get(), venue, on));
      if (!on && isArmed(get(), venue)) void engine(venue, false);
      return saved(storage, get());
    },
    async presets(typed) {
      const e = setPresets(get(), typed);
      if (!e.ok) return e;
      set(e.state);
      return saved(storage, e.state);
    },
    async toggleArm(ctx) {
      if (isArmed(get(), ctx.venue)) return outcome(await engine(ctx.venue!, false));
      const why = armBlock(get(), ctx);
      if (why) return { ok: false, message: why };
      return outcome(await engine(ctx.venue!, true));
    },
  }));
}

/** How a store takes the document the engine had (desk-prefs-sync onLoad). */
export const hydrateOneClick = (store: StoreApi<OneClickStore>, raw: string): void => store.setState({ prefs: parseOneClick(raw) });

/**
 * The engine's armed state into the store: `load()` asks `oneClick.status` (at start and whenever
 * the link opens again); `onEvents` applies each `oneClick` event. An event that arrives while the
 * status is on its way is newer than the status for its account.
 */
export function oneClickFeed(store: StoreApi<OneClickStore>, status: () => Promise<Result<OneClickStatus>>) {
  let told: Set<string> | undefined;
  return {
    onEvents(events: readonly EngineEvent[]): void {
      for (const e of events) {
        if (e.type !== 'oneClick') continue;
        told?.add(e.venue);
        store.setState(applyArmed(store.getState(), e));
      }
    },
    async load(): Promise<void> {
      const since = new Set<string>();
      told = since;
      const r = await status();
      if (told === since) told = undefined;
      if (r.ok)
        store.setState(
          applyStatus(
            store.getState(),
            r.value.armed.map((a) => a.venue),
            since,
          ),
        );
    },
  };
}
