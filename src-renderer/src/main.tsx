/**
 * Renderer entry: pick the transport, start feeding the store, render. See api/pick-client.ts for
 * how the transport is chosen and store/engine-store.ts for how state is kept in sync.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { setActiveClient } from './api/invoke';
import { pickLink } from './api/pick-client';
import { App } from './App';
import { browserAlertsEnv } from './features/alerts/alerts-env';
import { alertsStore } from './features/alerts/alerts-instance';
import { ladderFeed } from './features/ladder/ladder-actions';
import { chartFeed } from './features/chart/chart-actions';
import { alertsFeed, syncShellNotifications } from './features/alerts/alerts-store';
import { watchRouteContext } from './features/ticket/ticket-store';
import { layoutStore } from './features/layout/layout-instance';
import { applyLook } from './features/layout/layout-store';
import { searchInstruments } from './store/actions';
import { animationFrameScheduler } from './store/frame-scheduler';
import { startSync } from './store/engine-store';
import { startDeskPrefs } from './store/desk-prefs-boot';
import { oneClickStore } from './features/one-click/one-click-instance';
import { oneClickFeed } from './features/one-click/one-click-store';
import { invoke } from './api/invoke';
import { engineStore } from './store/hooks';
import './styles.css';

async function boot(): Promise<void> {
  // The saved look first, so the window never flashes the default theme or sizes.
  applyLook(layoutStore, document.documentElement);
  const link = await pickLink();
  setActiveClient(link.client);
  // The desk preferences live in the engine's data dir; the local copy drew the window meanwhile.
  void startDeskPrefs(link.client).then((loaded) => {
    if (loaded) return;
    const off = link.onStatus((st) => {
      if (st.state !== 'open') return;
      off();
      void startDeskPrefs(link.client);
    });
  });
  // Toasts read the raw event stream (fills are never conflated), beside the store's per-frame sync.
  const alerts = alertsFeed(alertsStore, browserAlertsEnv(link.client.transport === 'bridge'));
  link.client.subscribe((events) => alerts.onEvents(events));
  // The DOM ladder draws its watched book from the raw stream, once per animation frame.
  const ladder = ladderFeed(animationFrameScheduler);
  link.client.subscribe((events) => ladder.onEvents(events));
  // The price and depth charts: candles from quotes, depth from the watched book, once per frame.
  const charts = chartFeed(animationFrameScheduler);
  link.client.subscribe((events) => charts.onEvents(events));
  // Desktop app: the shell's OS notifications follow the switches in the alert log.
  const client = link.client;
  if (client.setNotificationPrefs)
    syncShellNotifications(
      alertsStore,
      (p) => client.setNotificationPrefs!(p),
      (why) => console.warn(why),
    );
  startSync(link, engineStore, { schedule: animationFrameScheduler });
  // One-click's armed accounts are the engine's: read at start and on each reconnect, then followed from its events.
  const oneClick = oneClickFeed(oneClickStore, () => invoke('oneClick.status', {}));
  link.client.subscribe((events) => oneClick.onEvents(events));
  void oneClick.load();
  link.onStatus((st, reconnected) => {
    if (st.state === 'open' && reconnected) void oneClick.load();
  });
  watchRouteContext(
    (venue) => {
      const s = engineStore.getState();
      return { venue: s.venues[venue], killSwitch: s.killSwitch?.state };
    },
    (listener) => engineStore.subscribe(listener),
  );

  // Instrument reference data (tick, lot, multiplier) for formatting and client-side checks;
  // fetched once per venue as venues appear.
  const loadedVenues = new Set<string>();
  engineStore.subscribe((s) => {
    if (!s.loaded) return;
    for (const v of Object.values(s.venues)) {
      if (loadedVenues.has(v.name) || v.state !== 'connected') continue;
      loadedVenues.add(v.name);
      void searchInstruments(v.name, '', 500).then((list) => {
        // Allow another try later rather than on the very next store update (every frame).
        if (list.length === 0) setTimeout(() => loadedVenues.delete(v.name), 10_000);
      });
    }
  });

  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

void boot();
