/**
 * Alpaca error bodies (`{"code":40310000,"message":"…"}`, or `{"message":"unauthorized."}`) to
 * our codes, keeping Alpaca's words and code so a trader can search its docs for them.
 */
import type { ErrorCode } from '../../api/errors';
import type { VenueErrorMapper } from '../../net/venue-errors';

export const alpacaErrorMapper: VenueErrorMapper = (status, json, text) => {
  const b = json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
  const msg = typeof b?.['message'] === 'string' ? b['message'] : text.trim().slice(0, 200);
  if (status < 400 || msg === '') return undefined;
  const venueCode = typeof b?.['code'] === 'number' || typeof b?.['code'] === 'string' ? String(b['code']) : String(status);
  let code: ErrorCode = 'venue_rejected';
  if (status === 401) code = 'unauthorized';
  else if (status === 403 && /insufficient|buying power/i.test(msg)) code = 'insufficient_funds';
  else if (status === 403) code = 'forbidden';
  else if (status === 404) code = 'order_not_found';
  else if (status === 429) code = 'rate_limited';
  else if (status >= 500) code = 'venue_unavailable';
  const hint = status === 401 ? ' Check the key with `tradeport secret set <venue> keyId` and `secretKey` (paper and live keys differ).' : '';
  return { code, message: `Alpaca ${venueCode}: ${msg}${hint}`, venueCode, ...(status >= 500 ? { venueDown: true } : {}) };
};
