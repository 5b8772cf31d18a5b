import { errorCodeForStatus, bodyObject, bodyText, type VenueErrorMapper } from '../../net/venue-errors';

/** tastytrade `{"error":{"code":"preflight_check_failure","message":"…","errors":[…]}}`. */
export const tastytradeErrors: VenueErrorMapper = (status, json) => {
  const e = bodyObject(bodyObject(json)?.['error']);
  const msg = bodyText(e?.['message']);
  if (!e || msg === undefined) return undefined;
  const details = Array.isArray(e['errors']) ? (e['errors'] as unknown[]).map((x) => bodyText(bodyObject(x)?.['message'])).filter((x): x is string => !!x) : [];
  const venueCode = bodyText(e['code']);
  let code = errorCodeForStatus(status);
  if (/buying power|insufficient/i.test(msg + details.join(' '))) code = 'insufficient_funds';
  return { code, message: `tastytrade: ${[msg, ...details].join(' — ')}`, ...(venueCode ? { venueCode } : {}) };
};
