/**
 * Starts the desk preferences' sync with the engine (desk-prefs-sync.ts) once the link is up: each
 * store takes the engine's document through its own parser, so stored junk falls back to defaults.
 */
import type { TradeportClient } from '../../../src-main/engine/api/transport';
import { alertsStore } from '../features/alerts/alerts-instance';
import { parsePrefs, setPrefs } from '../features/alerts/alerts-model';
import { hotkeysStore } from '../features/hotkeys/hotkeys-instance';
import { parseBindings } from '../features/hotkeys/hotkeys-model';
import { layoutStore } from '../features/layout/layout-instance';
import { parseLayout } from '../features/layout/layout-model';
import { oneClickStore } from '../features/one-click/one-click-instance';
import { hydrateOneClick } from '../features/one-click/one-click-store';
import { watchlistsStore } from '../features/watchlists/watchlists-instance';
import { parseWatchlists } from '../features/watchlists/watchlists-model';
import { deskStorage } from './desk-storage';

export function startDeskPrefs(client: Pick<TradeportClient, 'invoke'>): Promise<boolean> {
  deskStorage.onLoad('layout', (raw) => layoutStore.setState(parseLayout(raw)));
  deskStorage.onLoad('hotkeys', (raw) => hotkeysStore.setState({ bindings: parseBindings(raw) }));
  deskStorage.onLoad('watchlists', (raw) => watchlistsStore.setState(parseWatchlists(raw)));
  deskStorage.onLoad('alerts', (raw) => alertsStore.setState((s) => setPrefs(s, parsePrefs(raw))));
  deskStorage.onLoad('oneClick', (raw) => hydrateOneClick(oneClickStore, raw));
  return deskStorage.start({
    load: () => client.invoke('prefs.get', {}),
    save: (key, value) => client.invoke('prefs.set', { key, value }),
  });
}
