import type { ErrorCode } from '../../api/errors';
import { errorCodeForStatus, bodyObject, bodyText, type MappedVenueError, type VenueErrorMapper } from '../../net/venue-errors';

/** Binance `{"code":-2010,"msg":"…"}`. */
export const binanceErrors: VenueErrorMapper = (status, json) => {
  const b = bodyObject(json);
  const code = b && typeof b['code'] === 'number' ? (b['code'] as number) : undefined;
  const msg = bodyText(b?.['msg']);
  if (code === undefined || msg === undefined) return undefined;
  // order/cancelReplace failures carry each half's own error under `data` (rest-api.md).
  const data = bodyObject(b?.['data']);
  const part = (k: string): string | undefined => bodyText(bodyObject(data?.[k])?.['msg']);
  const why = [part('cancelResponse') && `cancel: ${part('cancelResponse')}`, part('newOrderResponse') && `new order: ${part('newOrderResponse')}`].filter(Boolean).join('; ');
  const m = (c: ErrorCode, extra: Partial<MappedVenueError> = {}): MappedVenueError => ({ code: c, message: `Binance ${code}: ${msg}${why ? ` (${why})` : ''}`, venueCode: String(code), ...extra });
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
      return m(errorCodeForStatus(status));
  }
};
