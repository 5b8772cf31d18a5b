/**
 * UI preferences (window bounds) in electron-store. Never trading data, never secrets: those live
 * in SQLite and the keychain.
 */
import type { WindowBounds } from './window';

interface PrefsShape {
  windowBounds?: WindowBounds;
}

export interface UiPrefs {
  windowBounds(): WindowBounds | undefined;
  setWindowBounds(b: WindowBounds): void;
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
  };
}
