/**
 * ccxt's error classes → the two errors the OMS acts on (venues/submit-errors.ts):
 * - the exchange answered and refused (ExchangeError and below: InsufficientFunds, InvalidOrder,
 *   OrderNotFound, BadSymbol, AuthenticationError…; InvalidNonce; RateLimitExceeded) →
 *   VenueRejectedError with the exchange's own words and code;
 * - anything that may have reached the exchange (NetworkError, RequestTimeout,
 *   ExchangeNotAvailable, DDoSProtection, a bad or empty response) → OutcomeUnknownError on a
 *   submit: looked up by client id, never resent.
 * Our own HttpError (transport, 5xx, 429, breaker) passes through to `boundaryError` unchanged.
 */
import type * as Ccxt from 'ccxt';
import { boundaryError, type VenueCall } from '../submit-errors';
import { OutcomeUnknownError, VenueRejectedError } from '../venue-port';

export type CcxtLib = typeof Ccxt.default;

const MESSAGE_KEYS = ['retMsg', 'msg', 'message', 'error_message', 'errorMessage', 'sMsg', 'error'];
const CODE_KEYS = ['retCode', 'code', 'sCode', 'error_code', 'errorCode'];

function field(o: Record<string, unknown>, keys: readonly string[]): string | undefined {
  for (const k of keys) {
    const v = o[k];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
    if (typeof v === 'number') return String(v);
    if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string')) return v.join('; ');
  }
  return undefined;
}

/**
 * The exchange's words out of a ccxt message (`"<id> <body>"`, the body often JSON):
 * `{ text, code }`, or the message itself when it holds no readable body.
 */
export function exchangeWords(message: string, exchange: string): { readonly text: string; readonly code?: string } {
  const body = message.startsWith(`${exchange} `) ? message.slice(exchange.length + 1) : message;
  const brace = body.indexOf('{');
  if (brace >= 0) {
    try {
      const parsed = JSON.parse(body.slice(brace)) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        const o = parsed as Record<string, unknown>;
        const text = field(o, MESSAGE_KEYS);
        const code = field(o, CODE_KEYS);
        if (text !== undefined) return { text, ...(code !== undefined ? { code } : {}) };
      }
    } catch {
      // not JSON: the message as ccxt wrote it
    }
  }
  const text = body.trim();
  return { text: text.length > 300 ? `${text.slice(0, 300)}…` : text };
}

/** Whether the exchange said it has no such order (cancel of a closed order, lookup of an unknown id). */
export function isOrderNotFound(e: unknown, lib: CcxtLib): boolean {
  return e instanceof lib.OrderNotFound;
}

/** The boundary error for a failed ccxt call: rejected (with the exchange's words) or outcome unknown. */
export interface CcxtNames {
  /** Our venue's name. */
  readonly venue: string;
  /** The ccxt id (the prefix of ccxt's messages). */
  readonly exchange: string;
  /** ccxt's name for the exchange, for messages. */
  readonly displayName: string;
}

export function ccxtBoundaryError(e: unknown, lib: CcxtLib, n: CcxtNames, call: VenueCall): VenueRejectedError | OutcomeUnknownError {
  const { venue, exchange, displayName } = n;
  const refused = e instanceof lib.ExchangeError || e instanceof lib.InvalidNonce || e instanceof lib.RateLimitExceeded;
  if (refused) {
    const w = exchangeWords((e as Error).message, exchange);
    const hint = e instanceof lib.AuthenticationError ? ` Check the keys with: tradeport secret set ${venue} apiKey|secret|password.` : '';
    const limited = e instanceof lib.RateLimitExceeded ? ` The ${call} was not executed; send it again once the limit clears.` : '';
    return new VenueRejectedError(`${displayName} refused the ${call}: ${w.text}${w.code !== undefined ? ` (code ${w.code})` : ''}.${limited}${hint}`, w.code ?? (e as Error).name);
  }
  if (e instanceof lib.BaseError) {
    return new OutcomeUnknownError(
      `${displayName} did not confirm the ${call} (${(e as Error).name}: ${exchangeWords((e as Error).message, exchange).text}); Tradeport will look it up — do not resend it.`,
    );
  }
  return boundaryError(e, venue, call);
}
