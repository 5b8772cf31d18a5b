/**
 * Errors at the connector boundary, read one way for every venue. The OMS acts on exactly two
 * error types from submit / replace / cancel: VenueRejectedError (the venue certainly did not
 * act: the order becomes `rejected`, the trader reads the venue's own words) and
 * OutcomeUnknownError (it may have: the order becomes `unknown` and is looked up by client id,
 * never resent). Anything a connector lets through unread would be treated as unknown, which is
 * safe but turns a plain "insufficient funds" into minutes of lookups — so every connector wraps
 * its venue calls in `atVenueBoundary` instead of classifying failures itself.
 */
import { Decimal } from 'decimal.js';
import type { Order } from '../domain/order';
import { toStr } from '../domain/money';
import { HttpError } from '../net/http-client';
import { WsNotOpenError } from '../net/resilient-ws';
import { OutcomeUnknownError, VenueRejectedError } from './venue-port';

export type VenueCall = 'submit' | 'replace' | 'cancel';

/**
 * The error a connector throws for `err`. Certain "not done": a 4xx answer (the venue's message
 * kept), a 429 / ban, an OPEN breaker or a refused connection (nothing left this machine), a
 * socket that was not open. Everything else — timeout, 5xx, reset, a lost response, an error we
 * cannot read — is "unknown".
 */
export function boundaryError(err: unknown, venue: string, call: VenueCall): VenueRejectedError | OutcomeUnknownError {
  if (err instanceof VenueRejectedError || err instanceof OutcomeUnknownError) return err;
  if (err instanceof WsNotOpenError) return new VenueRejectedError(`${venue} is not connected (${err.message}); the ${call} was not sent.`, 'venue_unavailable');
  if (err instanceof HttpError) {
    const code = typeof err.details?.['venueCode'] === 'string' ? err.details['venueCode'] : err.status !== undefined ? String(err.status) : err.code;
    switch (err.failure) {
      case 'rejected':
        return new VenueRejectedError(err.message, code);
      case 'rate_limited':
      case 'banned':
        return new VenueRejectedError(`${err.message} The ${call} was not executed; send it again once the limit clears.`, err.code);
      case 'breaker_open':
      case 'connection':
        return new VenueRejectedError(`${err.message} The ${call} was not sent.`, err.code);
      case 'outcome_unknown':
      case 'server_error':
      case 'timeout':
        return new OutcomeUnknownError(err.message);
    }
  }
  const why = err instanceof Error ? err.message : String(err);
  return new OutcomeUnknownError(`${venue} ${call} failed after it may have been sent (${why}); Tradeport will look it up — do not resend it.`);
}

/** Runs one venue call and rethrows its failure as boundaryError() reads it. */
export async function atVenueBoundary<T>(venue: string, call: VenueCall, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw boundaryError(e, venue, call);
  }
}

/**
 * Refuses a modify of an order that has already partly filled, at a venue that would carry the
 * change out as a new order for the whole quantity (so what filled could fill again). Thrown
 * before anything is sent. `venueFilled`: the venue's own figure, read just now; the larger of it
 * and the journal's counts. `how`: the venue's way of overfilling, in a sentence.
 */
export function refuseReplaceIfPartlyFilled(venue: string, order: Pick<Order, 'clientOrderId' | 'qty' | 'filledQty'>, venueFilled: string | undefined, how: string): void {
  const filled = Decimal.max(new Decimal(order.filledQty || '0'), new Decimal(venueFilled || '0'));
  if (filled.lte(0)) return;
  const left = Decimal.max(new Decimal(order.qty).minus(filled), 0);
  throw new VenueRejectedError(
    `${venue}: order ${order.clientOrderId} has already filled ${toStr(filled)} of ${order.qty}. ${how}; nothing was sent. Cancel it${left.gt(0) ? ` and place the remaining ${toStr(left)} as a new order` : ''}.`,
    'partly_filled',
  );
}
