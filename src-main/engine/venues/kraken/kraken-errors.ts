import type { ErrorCode } from '../../api/errors';
import { errorCodeForStatus, bodyObject, type MappedVenueError, type VenueErrorMapper } from '../../net/venue-errors';

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
  const b = bodyObject(json);
  const errs = Array.isArray(b?.['error']) ? (b!['error'] as unknown[]).filter((e): e is string => typeof e === 'string') : [];
  if (errs.length === 0) return status >= 400 ? { code: errorCodeForStatus(status), message: `Kraken: HTTP ${status}` } : undefined;
  const first = errs[0]!;
  const known = KRAKEN[first] ?? KRAKEN[first.split(':').slice(0, 2).join(':')];
  return {
    code: known?.code ?? (first.startsWith('EService') ? 'venue_unavailable' : 'venue_rejected'),
    message: `Kraken: ${errs.join('; ')}`,
    venueCode: first,
    ...(known?.outcomeUnknown ? { outcomeUnknown: true } : {}),
    ...(known?.venueDown ? { venueDown: true } : {}),
  };
};
