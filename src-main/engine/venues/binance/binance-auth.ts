/**
 * Binance key auth (rest-api.md "SIGNED endpoint security"): the key goes in `X-MBX-APIKEY`, the
 * signature is hex HMAC-SHA256(secret, the exact query string sent). The WebSocket API signs the
 * request's params sorted by name, joined the same way.
 */
import { createHmac } from 'node:crypto';
import { TradeportError } from '../../api/errors';
import { secretAccount, type SecretStore } from '../../ports/secrets';

export interface BinanceKeys {
  readonly apiKey: string;
  readonly apiSecret: string;
}

export async function loadBinanceKeys(secrets: SecretStore, venue: string): Promise<BinanceKeys> {
  const apiKey = (await secrets.get(secretAccount(venue, 'apiKey')))?.trim() ?? '';
  const apiSecret = (await secrets.get(secretAccount(venue, 'apiSecret')))?.trim() ?? '';
  const missing = [apiKey === '' ? 'apiKey' : '', apiSecret === '' ? 'apiSecret' : ''].filter(Boolean);
  if (missing.length > 0)
    throw new TradeportError(
      'secret_missing',
      `Binance venue ${venue} has no ${missing.join(' or ')}. Set it with: ${missing.map((m) => `tradeport secret set ${venue} ${m}`).join(' and ')} (an HMAC key from Binance's API management page).`,
    );
  return { apiKey, apiSecret };
}

export function hmacHex(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

/** `params` + timestamp + recvWindow + signature as the query string to send. */
export function signedQuery(keys: BinanceKeys, params: Readonly<Record<string, string>>, timestamp: number, recvWindow = 5000): string {
  const q = new URLSearchParams({ ...params, recvWindow: String(recvWindow), timestamp: String(timestamp) }).toString();
  return `${q}&signature=${hmacHex(keys.apiSecret, q)}`;
}

/** WebSocket API params: sorted by name, `k=v` joined with `&`, signed; the signature added. */
export function signedWsParams(keys: BinanceKeys, params: Readonly<Record<string, string | number>>): Record<string, string | number> {
  const all: Record<string, string | number> = { ...params, apiKey: keys.apiKey };
  const payload = Object.keys(all)
    .sort()
    .map((k) => `${k}=${all[k]}`)
    .join('&');
  return { ...all, signature: hmacHex(keys.apiSecret, payload) };
}
