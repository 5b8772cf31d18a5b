/**
 * UI preferences (window bounds, which OS notifications to show) in electron-store. Never trading
 * data, never secrets: those live in SQLite and the keychain.
 */
import type { NotableKind } from '../engine/api/notable-events';
import type { ShellNotificationPrefs } from '../engine/api/transport';
import type { WindowBounds } from './window';

interface PrefsShape {
  windowBounds?: WindowBounds;
  /** Kinds switched off; absent = every kind on. */
  notificationsOff?: NotableKind[];
  notificationSound?: boolean;
}

export interface UiPrefs {
  windowBounds(): WindowBounds | undefined;
  setWindowBounds(b: WindowBounds): void;
  notificationEnabled(kind: NotableKind): boolean;
  notificationSound(): boolean;
  /** The window's switches (already validated at the IPC boundary, app/prefs-ipc.ts). */
  setNotifications(p: ShellNotificationPrefs): void;
}

export async function openUiPrefs(cwd: string): Promise<UiPrefs> {
  // electron-store is ESM-only; a dynamic import keeps the CommonJS main bundle loadable.
  const { default: Store } = await import('electron-store');
  const store = new Store<PrefsShape>({ name: 'ui-prefs', cwd, clearInvalidConfig: true });
  return {
    windowBounds() {
      const b = store.get('windowBounds');
      return b && Number.isFinite(b.width) && Number.isFinite(b.height) ? b : undefined;
    },
    setWindowBounds(b) {
      store.set('windowBounds', b);
    },
    notificationEnabled(kind) {
      const off = store.get('notificationsOff');
      return !(Array.isArray(off) && off.includes(kind));
    },
    notificationSound() {
      return store.get('notificationSound') === true;
    },
    setNotifications(p) {
      store.set('notificationsOff', [...p.off]);
      store.set('notificationSound', p.sound);
    },
  };
}
