/**
 * CDP key auth (coinbase.md "Auth"): a fresh ES256 JWT per request, signed with `jose`, with
 * `kid` = `sub` = the key name, `iss` "cdp", a 120 s lifetime, and for REST a `uri` claim of
 * METHOD + host + path (no query). WebSocket subscribe tokens carry no `uri`. Tokens and the key
 * are never logged; the HttpClient scrubs the PEM from any message.
 */
import { createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { TradeportError } from '../../api/errors';
import { secretAccount, type SecretStore } from '../../ports/secrets';

export interface CoinbaseKey {
  readonly name: string;
  readonly key: KeyObject;
  /** The PEM as stored, for scrubbing messages. */
  readonly pem: string;
}

export const JWT_LIFETIME_S = 120;

/** The PEM with escaped newlines (`\n` as two characters, as pasted from JSON) turned into real ones. */
export function normalizePem(raw: string): string {
  return raw.trim().replace(/^"|"$/g, '').replace(/\\r/g, '').replace(/\\n/g, '\n').trim();
}

/** The P-256 private key in `raw` (SEC1 or PKCS#8 PEM), or a clear refusal. */
export function parseCoinbaseKey(name: string, raw: string): CoinbaseKey {
  const pem = normalizePem(raw);
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new TradeportError('invalid_input', 'The Coinbase apiPrivateKey is not a PEM private key; paste the whole "-----BEGIN EC PRIVATE KEY-----" block from the CDP key file.');
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType !== 'ec' || (curve !== 'prime256v1' && curve !== 'P-256'))
    throw new TradeportError(
      'invalid_input',
      `The Coinbase apiPrivateKey is a ${key.asymmetricKeyType ?? 'unknown'}${curve ? ` ${curve}` : ''} key; Advanced Trade needs an ECDSA P-256 (ES256) key — create the CDP key with the ECDSA algorithm, not Ed25519.`,
    );
  if (!/^organizations\/[^/]+\/apiKeys\/[^/]+$/.test(name) && !/^[\w-]+$/.test(name))
    throw new TradeportError('invalid_input', `The Coinbase apiKeyName "${name}" does not look like a CDP key name (organizations/{org_id}/apiKeys/{key_id}).`);
  return { name, key, pem };
}

export async function loadCoinbaseKey(secrets: SecretStore, venue: string): Promise<CoinbaseKey> {
  const name = (await secrets.get(secretAccount(venue, 'apiKeyName')))?.trim() ?? '';
  const raw = (await secrets.get(secretAccount(venue, 'apiPrivateKey'))) ?? '';
  const missing = [name === '' ? 'apiKeyName' : '', raw.trim() === '' ? 'apiPrivateKey' : ''].filter(Boolean);
  if (missing.length > 0)
    throw new TradeportError(
      'secret_missing',
      `Coinbase venue ${venue} has no ${missing.join(' or ')}. Set it with: ${missing.map((m) => `tradeport secret set ${venue} ${m}`).join(' and ')} (from the CDP API key file).`,
    );
  return parseCoinbaseKey(name, raw);
}

/** A JWT for one request (`method`, `url` the full URL) or, without them, for a WebSocket subscribe. */
export async function coinbaseJwt(k: CoinbaseKey, nowMs: number, method?: string, url?: string): Promise<string> {
  const now = Math.floor(nowMs / 1000);
  const claims: Record<string, unknown> = {};
  if (method !== undefined && url !== undefined) {
    const u = new URL(url);
    claims['uri'] = `${method} ${u.host}${u.pathname}`;
  }
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: k.name, typ: 'JWT', nonce: randomBytes(16).toString('hex') })
    .setIssuer('cdp')
    .setSubject(k.name)
    .setNotBefore(now)
    .setExpirationTime(now + JWT_LIFETIME_S)
    .sign(k.key);
}
