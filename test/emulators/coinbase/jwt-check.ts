/**
 * Coinbase CDP JWT check (coinbase.md "Auth"): ES256 signature over `header.payload` with the
 * registered P-256 public key, `kid` = `sub` = key name, `iss` = "cdp" (or the older "coinbase-cloud"), nbf/exp within 120 s of
 * now, and the `uri` claim's METHOD + path (the host is not checked: clients differ).
 * Synchronous (node:crypto) because the kit's auth hook is.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

export interface JwtExpect {
  readonly keyName: string;
  readonly publicKey: KeyObject;
  readonly nowS: () => number;
}

function part(s: string | undefined): Record<string, unknown> | undefined {
  if (s === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Why the token is refused, or undefined when it is good for `method path` (path without query; omit for WebSocket tokens). */
export function jwtProblem(token: string, want: JwtExpect, method?: string, path?: string): string | undefined {
  const [h, p, s] = token.split('.');
  const header = part(h);
  const claims = part(p);
  if (!header || !claims || s === undefined) return 'malformed JWT';
  if (header['alg'] !== 'ES256') return 'alg must be ES256';
  if (header['kid'] !== want.keyName || claims['sub'] !== want.keyName) return 'unknown key';
  // `cdp` (current key generators) or `coinbase-cloud` (the older one, still what ccxt signs with).
  if (claims['iss'] !== 'cdp' && claims['iss'] !== 'coinbase-cloud') return 'iss must be cdp';
  const ok = verify('sha256', Buffer.from(`${h}.${p}`), { key: want.publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
  if (!ok) return 'bad signature';
  const now = want.nowS();
  const nbf = Number(claims['nbf']);
  const exp = Number(claims['exp']);
  if (!Number.isFinite(nbf) || !Number.isFinite(exp)) return 'nbf/exp missing';
  if (nbf > now + 5) return 'token not yet valid';
  if (exp <= now) return 'token expired';
  if (exp - nbf > 120) return 'token lifetime over 120 s';
  if (method !== undefined && path !== undefined) {
    const uri = claims['uri'];
    if (typeof uri !== 'string') return 'uri claim missing';
    const sp = uri.indexOf(' ');
    const uriPath = uri.slice(sp + 1).split('?')[0] ?? '';
    if (uri.slice(0, sp) !== method) return `uri method ${uri.slice(0, sp)} ≠ ${method}`;
    if (!uriPath.endsWith(path)) return `uri path does not match ${path}`;
  }
  return undefined;
}

export function publicKeyOf(pem: string): KeyObject {
  return createPublicKey(pem);
}
