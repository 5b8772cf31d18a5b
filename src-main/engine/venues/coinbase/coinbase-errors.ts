import { errorCodeForStatus, bodyObject, bodyText, type VenueErrorMapper } from '../../net/venue-errors';

/** Coinbase `{"error":"…","message":"…","error_details":"…"}`. */
export const coinbaseErrors: VenueErrorMapper = (status, json) => {
  const b = bodyObject(json);
  const err = bodyText(b?.['error']);
  const msg = bodyText(b?.['message']) ?? bodyText(b?.['error_details']) ?? err;
  if (msg === undefined) return undefined;
  let code = errorCodeForStatus(status);
  if (/insufficient/i.test(msg)) code = 'insufficient_funds';
  return { code, message: `Coinbase: ${msg}`, ...(err ? { venueCode: err } : {}) };
};
