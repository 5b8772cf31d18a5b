/** Pure helpers for finding the bridge; no DOM globals, so they unit-test in Node. */
import { BRIDGE_PATH } from '../../../src-main/engine/api/transport';

/** Reads `token` from a hash like `#token=abc&x=1`. */
export function tokenFromHash(hash: string): string | undefined {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  const t = new URLSearchParams(h).get('token');
  return t && t.trim().length > 0 ? t.trim() : undefined;
}

/** Same host and port as the page: the headless server serves both the renderer and the bridge. */
export function bridgeUrl(loc: { readonly protocol: string; readonly host: string }): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}${BRIDGE_PATH}`;
}
