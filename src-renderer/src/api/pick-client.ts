/**
 * Chooses the transport once, at startup:
 *  1. `window.tradeport` (Electron preload) → IPC.
 *  2. `?fake=1` in a dev build (or a build made with VITE_TRADEPORT_FAKE=1) → the in-page fake
 *     engine, for UI work while no engine runs. Production builds drop that branch entirely.
 *  3. Otherwise the headless WebSocket bridge at ws(s)://<host>/bridge, authenticated with the
 *     token from `#token=…`.
 */
import { bridgeUrl, tokenFromHash } from './bridge-url';
import { createBridgeLink, noTokenLink } from './bridge-client';
import { staticLink, type EngineLink } from './connection';

const TOKEN_KEY = 'tradeport.bridgeToken';

/**
 * Takes the token out of the address bar (so it is not shoulder-surfed, bookmarked or shared in a
 * screenshot) and keeps it in sessionStorage: tab-scoped, gone when the tab closes, but it lets a
 * reload reconnect.
 */
function takeToken(): string | undefined {
  const fromHash = tokenFromHash(location.hash);
  if (fromHash) {
    try {
      sessionStorage.setItem(TOKEN_KEY, fromHash);
    } catch {
      // Storage can be disabled; the in-memory token still works until reload.
    }
    history.replaceState(history.state, '', location.pathname + location.search);
    return fromHash;
  }
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export async function pickLink(): Promise<EngineLink> {
  if (window.tradeport) return staticLink(window.tradeport);
  const fakeAllowed = import.meta.env.DEV || import.meta.env.VITE_TRADEPORT_FAKE === '1';
  if (fakeAllowed && new URLSearchParams(location.search).get('fake') === '1') {
    const { createFakeClient } = await import('./fake-client');
    return staticLink(createFakeClient(), true);
  }
  const token = takeToken();
  if (!token) return noTokenLink();
  return createBridgeLink({ url: bridgeUrl(location), token });
}
