import { errorCodeForStatus, bodyObject, bodyText, type VenueErrorMapper } from '../../net/venue-errors';

/** Alpaca `{"code":40310000,"message":"…"}`. */
export const alpacaErrors: VenueErrorMapper = (status, json) => {
  const b = bodyObject(json);
  const msg = bodyText(b?.['message']);
  if (msg === undefined) return undefined;
  const venueCode = bodyText(b?.['code']);
  let code = errorCodeForStatus(status);
  if (status === 403 && /insufficient|buying power/i.test(msg)) code = 'insufficient_funds';
  if (status === 422) code = 'venue_rejected';
  return { code, message: `Alpaca: ${msg}`, ...(venueCode ? { venueCode } : {}) };
};
