/**
 * Error codes of the one API. Every transport returns `{ok:false, error:{code, message}}` with a
 * message a trader can act on; never a stack trace, never a secret.
 */
/** Codes that mean "the caller sent something wrong" (the CLI exits 2 for these). */
const INPUT_CODES = [
  'invalid_input',
  'unknown_command',
  'message_too_large',
  'invalid_quantity',
  'quantity_too_precise',
  'quantity_below_minimum',
  'quantity_off_lot',
  'invalid_price',
  'price_too_precise',
  'price_off_tick',
  'missing_limit_price',
  'missing_stop_price',
  'unexpected_price',
  'missing_trail',
  'invalid_trail',
  'invalid_tif',
  'invalid_bracket',
  'bracket_price_wrong_side',
  'notional_below_minimum',
  'unknown_venue',
  'unknown_instrument',
  'unsupported_order',
] as const;

export const ERROR_CODES = [
  ...INPUT_CODES,
  'order_not_found',
  'order_not_cancellable',
  'order_not_modifiable',
  'position_not_found',
  'duplicate_client_order_id',
  // a place whose preview no longer holds, or whose route is not the one the caller expected
  'preview_stale',
  'route_changed',
  // money and rules
  'insufficient_funds',
  'insufficient_position',
  'no_quote',
  'market_closed',
  'risk_violation',
  'halted',
  // auth, transport and venue
  'unauthorized',
  'forbidden',
  'secret_missing',
  'venue_exists',
  'venue_unavailable',
  'venue_rejected',
  'rate_limited',
  'timeout',
  'engine_busy',
  // the engine's own storage (tradeport.db and its disk)
  'disk_full',
  'storage_read_only',
  'storage_failed',
  'database_damaged',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiError {
  readonly code: ErrorCode;
  readonly message: string;
  /** Machine-readable extras (field name, allowed values, violations). Never secrets. */
  readonly details?: Record<string, unknown>;
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message: string, details?: Record<string, unknown>): { ok: false; error: ApiError } {
  return details ? { ok: false, error: { code, message, details } } : { ok: false, error: { code, message } };
}

/** Thrown inside the engine; converted to a failed Result at the API boundary. */
export class TradeportError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'TradeportError';
  }
  toApiError(): ApiError {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
}

/** Error codes that mean "the caller sent something wrong" (CLI exit code 2). */
export const INPUT_ERROR_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(INPUT_CODES);

/** Hard cap for one command payload on every transport (IPC, bridge, CLI). */
export const MAX_MESSAGE_BYTES = 64 * 1024;
