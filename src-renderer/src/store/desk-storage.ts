/** The window's one preference storage: localStorage as the local copy, the engine's data dir as the home (desk-prefs-sync.ts). */
import { HOTKEYS_KEY } from '../features/hotkeys/hotkeys-store';
import { LAYOUT_KEY } from '../features/layout/layout-store';
import { WATCHLISTS_KEY } from '../features/watchlists/watchlists-store';
import { PREFS_KEY as ALERTS_KEY } from '../features/alerts/alerts-store';
import { ONE_CLICK_KEY } from '../features/one-click/one-click-store';
import { DeskPrefsSync } from './desk-prefs-sync';
import { windowStorage } from './local-storage';

export const deskStorage = new DeskPrefsSync(
  windowStorage(),
  [
    { key: 'layout', localKey: LAYOUT_KEY },
    { key: 'hotkeys', localKey: HOTKEYS_KEY },
    { key: 'watchlists', localKey: WATCHLISTS_KEY },
    { key: 'alerts', localKey: ALERTS_KEY },
    { key: 'oneClick', localKey: ONE_CLICK_KEY },
  ],
  { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) },
);
