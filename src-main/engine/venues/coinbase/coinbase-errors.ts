import { errorCodeForStatus, bodyObject, bodyText, type VenueErrorMapper } from '../../net/venue-errors';

/** Coinbase `{"error":"…","message":"…","error_details":"…"}`, or on 429 `{"errors":[{"id":"rate_limit_exceeded","message":"Too many requests"}]}`. */
export const coinbaseErrors: VenueErrorMapper = (status, json) => {
  const b = bodyObject(json);
  const first = Array.isArray(b?.['errors']) ? bodyObject(b['errors'][0]) : undefined;
  const err = bodyText(b?.['error']) ?? bodyText(first?.['id']);
  const msg = bodyText(b?.['message']) ?? bodyText(b?.['error_details']) ?? bodyText(first?.['message']) ?? err;
  if (msg === undefined) return undefined;
  let code = errorCodeForStatus(status);
  if (/insufficient/i.test(msg)) code = 'insufficient_funds';
  return { code, message: `Coinbase: ${msg}`, ...(err ? { venueCode: err } : {}) };
};
