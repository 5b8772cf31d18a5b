/**
 * Venue error bodies → our error codes, keeping the venue's own words (a trader searching the
 * venue's docs for "-2010" or "EOrder:Insufficient funds" must find it). Messages are redacted by
 * the HTTP client before they leave it.
 */
import type { ErrorCode } from '../api/errors';

export interface MappedVenueError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly venueCode?: string;
  /** The venue itself says it does not know whether the request was executed. */
  readonly outcomeUnknown?: boolean;
  /** The venue says it is down: counts against the circuit breaker like a 5xx. */
  readonly venueDown?: boolean;
}

/** `json` is the parsed body when it was JSON; `text` the raw body. */
export type VenueErrorMapper = (status: number, json: unknown, text: string) => MappedVenueError | undefined;

const obj = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

function byStatus(status: number): ErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'order_not_found';
  if (status === 418 || status === 429) return 'rate_limited';
  if (status >= 500) return 'venue_unavailable';
  return 'venue_rejected';
}

/** Binance `{"code":-2010,"msg":"…"}`. */
export const binanceErrors: VenueErrorMapper = (status, json) => {
  const b = obj(json);
  const code = b && typeof b['code'] === 'number' ? (b['code'] as number) : undefined;
  const msg = str(b?.['msg']);
  if (code === undefined || msg === undefined) return undefined;
  const m = (c: ErrorCode, extra: Partial<MappedVenueError> = {}): MappedVenueError => ({ code: c, message: `Binance ${code}: ${msg}`, venueCode: String(code), ...extra });
  switch (code) {
    case -1000:
    case -1001:
      return m('venue_unavailable', { venueDown: true });
    case -1003:
      return m('rate_limited');
    case -1006:
    case -1007:
      // "Timeout waiting for response from backend server. Send status unknown; execution status unknown."
      return m('timeout', { outcomeUnknown: true, venueDown: true });
    case -1021:
      return { ...m('venue_rejected'), message: `Binance ${code}: ${msg} — the computer's clock is off; sync it and retry.` };
    case -1121:
      return m('unknown_instrument');
    case -2013:
      return m('order_not_found');
    case -2011:
      return /unknown order/i.test(msg) ? m('order_not_found') : m('order_not_cancellable');
    case -2010:
      return /insufficient balance/i.test(msg) ? m('insufficient_funds') : m('venue_rejected');
    case -2014:
    case -2015:
    case -1022:
      return m('unauthorized');
    default:
      return m(byStatus(status));
  }
};

/** Alpaca `{"code":40310000,"message":"…"}`. */
export const alpacaErrors: VenueErrorMapper = (status, json) => {
  const b = obj(json);
  const msg = str(b?.['message']);
  if (msg === undefined) return undefined;
  const venueCode = str(b?.['code']);
  let code = byStatus(status);
  if (status === 403 && /insufficient|buying power/i.test(msg)) code = 'insufficient_funds';
  if (status === 422) code = 'venue_rejected';
  return { code, message: `Alpaca: ${msg}`, ...(venueCode ? { venueCode } : {}) };
};

/** Coinbase `{"error":"…","message":"…","error_details":"…"}`. */
export const coinbaseErrors: VenueErrorMapper = (status, json) => {
  const b = obj(json);
  const err = str(b?.['error']);
  const msg = str(b?.['message']) ?? str(b?.['error_details']) ?? err;
  if (msg === undefined) return undefined;
  let code = byStatus(status);
  if (/insufficient/i.test(msg)) code = 'insufficient_funds';
  return { code, message: `Coinbase: ${msg}`, ...(err ? { venueCode: err } : {}) };
};

const KRAKEN: Readonly<Record<string, Partial<MappedVenueError> & { code: ErrorCode }>> = {
  'EAPI:Invalid key': { code: 'unauthorized' },
  'EAPI:Invalid signature': { code: 'unauthorized' },
  'EAPI:Invalid nonce': { code: 'venue_rejected' },
  'EGeneral:Permission denied': { code: 'forbidden' },
  'EGeneral:Invalid arguments': { code: 'venue_rejected' },
  'EOrder:Insufficient funds': { code: 'insufficient_funds' },
  'EOrder:Unknown order': { code: 'order_not_found' },
  'EQuery:Unknown asset pair': { code: 'unknown_instrument' },
  'EAPI:Rate limit exceeded': { code: 'rate_limited' },
  'EOrder:Rate limit exceeded': { code: 'rate_limited' },
  'EGeneral:Too many requests': { code: 'rate_limited' },
  'EService:Unavailable': { code: 'venue_unavailable', venueDown: true },
  'EService:Busy': { code: 'venue_unavailable', venueDown: true },
  'EService:Market in cancel_only mode': { code: 'halted' },
  'EService:Market in post_only mode': { code: 'halted' },
  'EService:Deadline elapsed': { code: 'timeout', outcomeUnknown: true },
};

/** Kraken `{"error":["EOrder:Insufficient funds"],"result":…}` — often with HTTP 200. */
export const krakenErrors: VenueErrorMapper = (status, json) => {
  const b = obj(json);
  const errs = Array.isArray(b?.['error']) ? (b!['error'] as unknown[]).filter((e): e is string => typeof e === 'string') : [];
  if (errs.length === 0) return status >= 400 ? { code: byStatus(status), message: `Kraken: HTTP ${status}` } : undefined;
  const first = errs[0]!;
  const known = KRAKEN[first] ?? KRAKEN[first.split(':').slice(0, 2).join(':')];
  return { code: known?.code ?? (first.startsWith('EService') ? 'venue_unavailable' : 'venue_rejected'), message: `Kraken: ${errs.join('; ')}`, venueCode: first, ...(known?.outcomeUnknown ? { outcomeUnknown: true } : {}), ...(known?.venueDown ? { venueDown: true } : {}) };
};

/** tastytrade `{"error":{"code":"preflight_check_failure","message":"…","errors":[…]}}`. */
export const tastytradeErrors: VenueErrorMapper = (status, json) => {
  const e = obj(obj(json)?.['error']);
  const msg = str(e?.['message']);
  if (!e || msg === undefined) return undefined;
  const details = Array.isArray(e['errors']) ? (e['errors'] as unknown[]).map((x) => str(obj(x)?.['message'])).filter((x): x is string => !!x) : [];
  const venueCode = str(e['code']);
  let code = byStatus(status);
  if (/buying power|insufficient/i.test(msg + details.join(' '))) code = 'insufficient_funds';
  return { code, message: `tastytrade: ${[msg, ...details].join(' — ')}`, ...(venueCode ? { venueCode } : {}) };
};

export const genericErrors: VenueErrorMapper = (status, _json, text) => (status >= 400 ? { code: byStatus(status), message: `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}` } : undefined);

export { byStatus as errorCodeForStatus };
