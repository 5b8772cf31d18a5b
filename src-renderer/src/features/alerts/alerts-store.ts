/**
 * The alerts store and its feed. Events are taken from the engine link's own subscription,
 * before the per-frame coalescer: fills are never conflated there, so an order that fills before
 * its working row is drawn still gets its toast.
 *
 * Desktop notifications: in the Electron app the main process shows them (app/notifications.ts);
 * in the browser (headless mode, transport `bridge`) the Notification API does, when the trader
 * turned them on and the browser granted permission.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EngineEvent } from '../../../../src-main/engine/api/events';
import { NotableEvents } from '../../../../src-main/engine/api/notable-events';
import type { ShellNotificationPrefs } from '../../../../src-main/engine/api/transport';
import { dismiss, emptyAlerts, expire, markRead, nextExpiry, parsePrefs, receive, setPrefs, shellPrefs, type AlertPrefs, type AlertsState, type Toast } from './alerts-model';

export const PREFS_KEY = 'tradeport.alerts.v1';

export interface AlertsStore extends AlertsState {
  dismiss(id: number): void;
  markRead(): void;
  setPrefs(prefs: AlertPrefs): void;
}

export interface AlertsEnv {
  readonly storage: Pick<Storage, 'getItem' | 'setItem'> | undefined;
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  /** Desktop notification (browser mode only); absent where the shell does it. */
  desktop?(t: Toast): void;
  beep?(): void;
}

export function createAlertsStore(env: AlertsEnv): StoreApi<AlertsStore> {
  const store = createStore<AlertsStore>()((set, get) => ({
    ...emptyAlerts(parsePrefs(env.storage?.getItem(PREFS_KEY))),
    dismiss: (id) => set((s) => dismiss(s, id)),
    markRead: () => set((s) => markRead(s)),
    setPrefs: (prefs) => {
      set((s) => setPrefs(s, prefs));
      try {
        env.storage?.setItem(PREFS_KEY, JSON.stringify(get().prefs));
      } catch {
        // Storage full or blocked: the choice still holds for this session.
      }
    },
  }));
  return store;
}

/** Feeds `store` from raw engine event batches; returns the function to give the link's subscribe, and a stop. */
export function alertsFeed(store: StoreApi<AlertsStore>, env: AlertsEnv): { onEvents(events: readonly EngineEvent[]): void; stop(): void } {
  const notable = new NotableEvents();
  let timer: unknown;
  let timerAt: number | undefined;
  const arm = () => {
    const at = nextExpiry(store.getState());
    if (at === timerAt) return;
    if (timer !== undefined) env.clearTimer(timer);
    timer = undefined;
    timerAt = at;
    if (at === undefined) return;
    timer = env.setTimer(
      () => {
        timer = undefined;
        timerAt = undefined;
        store.setState((s) => expire(s, env.now()));
        arm();
      },
      Math.max(0, at - env.now()),
    );
  };
  const off = store.subscribe(arm);
  return {
    onEvents(events) {
      for (const e of events) {
        const n = notable.next(e);
        if (!n) continue;
        const r = receive(store.getState(), n, env.now());
        store.setState(r.state);
        if (!r.shown) continue;
        if (r.state.prefs.sound) env.beep?.();
        if (r.state.prefs.desktop) env.desktop?.(r.shown);
      }
    },
    stop() {
      off();
      if (timer !== undefined) env.clearTimer(timer);
    },
  };
}

/**
 * Desktop app: keeps the shell's OS notifications on the window's switches. Sends the current
 * switches once (the shell may hold older ones from another session), then every change. A refused
 * or failed send is reported through `onError` and retried with the next change.
 */
export function syncShellNotifications(store: StoreApi<AlertsStore>, send: (p: ShellNotificationPrefs) => Promise<{ ok: boolean }>, onError: (why: string) => void = () => undefined): () => void {
  const push = (prefs: AlertPrefs) => {
    send(shellPrefs(prefs)).then(
      (r) => {
        if (!r.ok) onError('The desktop app refused the notification settings.');
      },
      () => onError('The notification settings did not reach the desktop app.'),
    );
  };
  push(store.getState().prefs);
  return store.subscribe((s, before) => {
    if (s.prefs !== before.prefs) push(s.prefs);
  });
}
