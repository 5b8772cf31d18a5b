/**
 * Bybit v5 request signing (https://bybit-exchange.github.io/docs/v5/guide#authentication):
 * X-BAPI-SIGN = hex HMAC-SHA256(secret, timestamp + apiKey + recvWindow + (GET ? queryString : body)),
 * refused with Bybit's retCodes when the key is unknown (10003), the signature wrong (10004) or
 * the timestamp outside the receive window (10002).
 */
import { createHmac } from 'node:crypto';
import type { KitRequest, KitResponse } from '../kit';

export function bybitError(retCode: number, retMsg: string): KitResponse {
  return { status: 200, body: { retCode, retMsg, result: {}, retExtInfo: {}, time: Date.now() } };
}

function header(req: KitRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function checkSignature(req: KitRequest, apiKey: string, secret: string, now: number): KitResponse | undefined {
  // Market data is public; the WebSocket paths authenticate in-band (`op: auth`, stream.ts).
  if (!req.path.startsWith('/v5/') || req.path.startsWith('/v5/market/') || req.path.startsWith('/v5/public/') || req.path === '/v5/private') return undefined;
  const key = header(req, 'x-bapi-api-key');
  const ts = header(req, 'x-bapi-timestamp');
  const sign = header(req, 'x-bapi-sign');
  const recv = header(req, 'x-bapi-recv-window') ?? '5000';
  if (key === undefined || ts === undefined || sign === undefined) return bybitError(10003, 'API key is invalid.');
  if (key !== apiKey) return bybitError(10003, 'API key is invalid.');
  const t = Number(ts);
  if (!Number.isFinite(t) || t > now + 1000 || now - t > Number(recv)) {
    return bybitError(10002, `invalid request, please check your server timestamp or recv_window param. req_timestamp[${ts}],server_timestamp[${now}],recv_window[${recv}]`);
  }
  const payload = ts + key + recv + (req.method === 'GET' ? req.query.toString() : req.body);
  const expected = createHmac('sha256', secret).update(payload).digest('hex');
  return expected === sign ? undefined : bybitError(10004, 'error sign! origin_string[' + payload + ']');
}
