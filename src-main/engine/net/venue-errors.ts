/**
 * Venue error bodies → our error codes, keeping the venue's own words (a trader searching the
 * venue's docs for the venue's own code must find it). Each venue's mapper lives in its folder
 * (venues/<v>/<v>-errors.ts); here are the shared shape and helpers. Messages are redacted by the
 * HTTP client before they leave it.
 */
import type { ErrorCode } from '../api/errors';

export interface MappedVenueError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly venueCode?: string;
  /** The venue itself says it does not know whether the request was executed. */
  readonly outcomeUnknown?: boolean;
  /** The venue says it is down: counts against the circuit breaker like a 5xx. */
  readonly venueDown?: boolean;
}

/** `json` is the parsed body when it was JSON; `text` the raw body. */
export type VenueErrorMapper = (status: number, json: unknown, text: string) => MappedVenueError | undefined;

/** The value as a plain object, or undefined. */
export const bodyObject = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
/** A string or number field as a string, or undefined. */
export const bodyText = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/** The error code an HTTP status gives when the body says nothing more specific. */
export function errorCodeForStatus(status: number): ErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'order_not_found';
  if (status === 418 || status === 429) return 'rate_limited';
  if (status >= 500) return 'venue_unavailable';
  return 'venue_rejected';
}

export const genericErrors: VenueErrorMapper = (status, _json, text) =>
  status >= 400 ? { code: errorCodeForStatus(status), message: `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}` } : undefined;
