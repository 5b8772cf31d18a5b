/**
 * The window's one-click state: the opt-ins and size presets (desk preferences, in the engine's
 * data dir) and the venue armed this session. Opting in and arming both reach the engine before
 * they take effect, so the audit log has them: the engine refuses to arm a venue not opted in or
 * while the kill switch is tripped.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { OneClickArmed } from '../../../../src-main/engine/api/desk-prefs';
import type { Result } from '../../../../src-main/engine/api/errors';
import { arm, armBlock, disarm, initialOneClick, keepArmed, optIn, parseOneClick, setPresets, type ArmContext, type OneClickState } from './one-click-model';

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
  /**
   * Arms `ctx.venue` (or disarms, when armed). Given a function, the context is read again once the
   * engine has answered, so a kill switch tripped while the arm was in flight disarms at once.
   */
  toggleArm(ctx: ArmContext | (() => ArmContext)): Promise<Outcome>;
  /** Called on every change of venue, link or kill switch: disarms when the armed venue no longer qualifies. */
  check(ctx: ArmContext): void;
}

const saved = async (storage: OneClickPrefsStorage, s: OneClickState): Promise<Outcome> => {
  const r = await storage.saveNow(ONE_CLICK_KEY, JSON.stringify(s.prefs));
  return r && !r.ok ? { ok: false, message: `${r.error.code}: ${r.error.message}` } : { ok: true };
};

export function createOneClickStore(storage: OneClickPrefsStorage, engine: OneClickEngine): StoreApi<OneClickStore> {
  return createStore<OneClickStore>()((set, get) => {
    const state = (): OneClickState => ({ prefs: get().prefs, armed: get().armed });
    return {
      ...initialOneClick(parseOneClick(storage.getItem(ONE_CLICK_KEY))),
      async optIn(venue, on) {
        const next = optIn(state(), venue, on);
        const was = get().armed;
        set(next);
        if (was !== undefined && next.armed === undefined) void engine(was, false);
        return saved(storage, next);
      },
      async presets(typed) {
        const e = setPresets(state(), typed);
        if (!e.ok) return e;
        set(e.state);
        return saved(storage, e.state);
      },
      async toggleArm(given) {
        const read = typeof given === 'function' ? given : () => given;
        const ctx = read();
        const s = state();
        if (s.armed !== undefined) {
          set(disarm(s));
          const r = await engine(s.armed, false);
          return r.ok ? { ok: true } : { ok: false, message: `${r.error.code}: ${r.error.message}` };
        }
        const why = armBlock(s, ctx);
        if (why) return { ok: false, message: why };
        const r = await engine(ctx.venue!, true);
        if (!r.ok) return { ok: false, message: `${r.error.code}: ${r.error.message}` };
        set(arm(state(), ctx.venue!));
        get().check(read());
        return get().armed !== undefined ? { ok: true } : { ok: false, message: 'One-click was disarmed as it armed: the venue or the kill switch changed meanwhile.' };
      },
      check(ctx) {
        const s = state();
        const next = keepArmed(s, ctx);
        if (next === s) return;
        set(next);
        if (s.armed !== undefined) void engine(s.armed, false);
      },
    };
  });
}

/** How a store takes the document the engine had (desk-prefs-sync onLoad). */
export const hydrateOneClick = (store: StoreApi<OneClickStore>, raw: string): void => store.setState({ prefs: parseOneClick(raw) });
