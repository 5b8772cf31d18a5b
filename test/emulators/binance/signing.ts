/**
 * Binance's SIGNED endpoint check: `X-MBX-APIKEY`, `timestamp` within `recvWindow` (default 5000,
 * max 60000) of the server clock, and `signature` = hex HMAC-SHA256(secret, query string + body)
 * — the raw strings as sent, concatenated with no separator, the `signature` pair itself removed.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { KitRequest } from '../kit';
import { binanceError, type BinanceAnswer } from './errors';

/** Every parameter from the query string and the form body (Binance accepts both, mixed). */
export function paramsOf(req: KitRequest): URLSearchParams {
  const all = new URLSearchParams(req.query);
  if (req.body && !req.body.trimStart().startsWith('{')) for (const [k, v] of new URLSearchParams(req.body)) all.append(k, v);
  return all;
}

function rawQuery(req: KitRequest): string {
  return req.query.toString();
}

function withoutSignature(raw: string): string {
  return raw
    .split('&')
    .filter((p) => p !== '' && !p.startsWith('signature='))
    .join('&');
}

export function checkSigned(req: KitRequest, keys: ReadonlyMap<string, string>, now: number): BinanceAnswer | undefined {
  const key = req.headers['x-mbx-apikey'];
  const secret = typeof key === 'string' ? keys.get(key) : undefined;
  if (secret === undefined) return binanceError(401, -2015, 'Invalid API-key, IP, or permissions for action.');
  const p = paramsOf(req);
  const ts = p.get('timestamp');
  if (ts === null) return binanceError(400, -1102, "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.");
  const recv = Number(p.get('recvWindow') ?? '5000');
  if (!Number.isFinite(recv) || recv <= 0 || recv > 60000) return binanceError(400, -1131, 'recvWindow must be less than 60000');
  const t = Number(ts);
  if (!Number.isFinite(t) || t >= now + 1000 || now - t > recv) return binanceError(400, -1021, 'Timestamp for this request is outside of the recvWindow.');
  const sig = p.get('signature');
  if (sig === null) return binanceError(400, -1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.");
  const payload = withoutSignature(rawQuery(req)) + withoutSignature(req.body.trimStart().startsWith('{') ? '' : req.body);
  const want = createHmac('sha256', secret).update(payload).digest('hex');
  const a = Buffer.from(want);
  const b = Buffer.from(sig.toLowerCase());
  if (a.length !== b.length || !timingSafeEqual(a, b)) return binanceError(400, -1022, 'Signature for this request is not valid.');
  return undefined;
}
