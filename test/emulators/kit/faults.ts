/**
 * The faults every venue emulator can inject, as plain state the server consults per request.
 * Counted faults (5xx burst, 429, lost response) apply to the next N matching venue requests;
 * control requests (`/__control/…`) are never affected, so a person can always undo a fault.
 */

export type FaultKind = '5xx' | '429' | 'latency' | 'lose-response' | 'drop-sockets' | 'refuse' | 'gap';
export const FAULT_KINDS: readonly FaultKind[] = ['5xx', '429', 'latency', 'lose-response', 'drop-sockets', 'refuse', 'gap'];

/** A fault request as the control API takes it (`POST /__control/fault`). */
export interface FaultSpec {
  readonly kind: FaultKind;
  /** How many requests (5xx, 429, lose-response) or sequence numbers (gap) it covers; default 1. */
  readonly count?: number;
  /** 5xx: the status to answer (default 503). */
  readonly status?: number;
  /** 429: the Retry-After header in seconds (default 1). */
  readonly retryAfterS?: number;
  /** latency: added to every answer; refuse: how long connections are refused. */
  readonly ms?: number;
  /** Only requests whose path starts with this (5xx, 429, lose-response); default every path. */
  readonly path?: string;
  /** Only requests with this method (e.g. POST for "order created but response lost"). */
  readonly method?: string;
}

interface Counted {
  remaining: number;
  readonly path?: string;
  readonly method?: string;
}

/** What the server should do with one venue request before (or instead of) its handler. */
export type RequestFault = { readonly kind: 'status'; readonly status: number; readonly headers: Record<string, string>; readonly body: unknown } | { readonly kind: 'lose-response' } | undefined;

export class FaultState {
  private serverErrors?: Counted & { status: number };
  private rateLimit?: Counted & { retryAfterS: number };
  private lose?: Counted;
  latencyMs = 0;
  /** Sequence numbers the next stream message skips. */
  pendingGap = 0;

  /** Arms a counted or standing fault; `drop-sockets` and `refuse` are actions the server runs. */
  arm(spec: FaultSpec): void {
    const count = positive(spec.count ?? 1, 'count');
    const scope = { remaining: count, ...(spec.path !== undefined ? { path: spec.path } : {}), ...(spec.method !== undefined ? { method: spec.method.toUpperCase() } : {}) };
    if (spec.kind === '5xx') {
      const status = spec.status ?? 503;
      if (status < 500 || status > 599) throw new Error('5xx: status must be 500..599');
      this.serverErrors = { ...scope, status };
    } else if (spec.kind === '429') this.rateLimit = { ...scope, retryAfterS: positive(spec.retryAfterS ?? 1, 'retryAfterS') };
    else if (spec.kind === 'lose-response') this.lose = scope;
    else if (spec.kind === 'latency') this.latencyMs = nonNegative(spec.ms ?? 0, 'ms');
    else if (spec.kind === 'gap') this.pendingGap += count;
  }

  /** The fault for this request, consuming one use of a counted fault. Order: 429, 5xx, then lost response. */
  take(method: string, path: string): RequestFault {
    if (use(this.rateLimit, method, path))
      return { kind: 'status', status: 429, headers: { 'retry-after': String(this.rateLimit!.retryAfterS) }, body: { code: 'rate_limited', message: 'Too many requests (emulator fault)' } };
    if (use(this.serverErrors, method, path))
      return { kind: 'status', status: this.serverErrors!.status, headers: {}, body: { code: 'server_error', message: `Internal error (emulator fault ${this.serverErrors!.status})` } };
    if (use(this.lose, method, path)) return { kind: 'lose-response' };
    return undefined;
  }

  reset(): void {
    this.serverErrors = this.rateLimit = this.lose = undefined;
    this.latencyMs = 0;
    this.pendingGap = 0;
  }

  view(): Record<string, unknown> {
    return { serverErrors: this.serverErrors ?? null, rateLimit: this.rateLimit ?? null, loseResponse: this.lose ?? null, latencyMs: this.latencyMs, pendingGap: this.pendingGap };
  }
}

function use(c: Counted | undefined, method: string, path: string): boolean {
  if (!c || c.remaining <= 0) return false;
  if (c.method !== undefined && c.method !== method) return false;
  if (c.path !== undefined && !path.startsWith(c.path)) return false;
  c.remaining--;
  return true;
}

function positive(n: number, name: string): number {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number ≥ 1`);
  return n;
}

function nonNegative(n: number, name: string): number {
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be ≥ 0`);
  return n;
}

/** Parses a `POST /__control/fault` body. */
export function faultSpecOf(body: Record<string, unknown>): FaultSpec {
  const kind = body['kind'];
  if (typeof kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(kind)) throw new Error(`kind must be one of ${FAULT_KINDS.join(', ')}`);
  const num = (k: string): number | undefined => {
    const v = body[k];
    if (v === undefined) return undefined;
    const n = typeof v === 'string' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n)) throw new Error(`${k} must be a number`);
    return n;
  };
  const str = (k: string): string | undefined => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
  const spec: Record<string, unknown> = { kind, count: num('count'), status: num('status'), retryAfterS: num('retryAfterS'), ms: num('ms'), path: str('path'), method: str('method') };
  for (const k of Object.keys(spec)) if (spec[k] === undefined) delete spec[k];
  return spec as unknown as FaultSpec;
}
