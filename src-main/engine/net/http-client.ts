/**
 * HTTP to one venue: keep-alive sockets, a deadline per attempt, the venue's rate limiter and
 * circuit breaker in front, and one classification of every failure.
 *
 * Safety rule 2 lives here: a request that is not idempotent (an order submit, replace or
 * cancel) is sent exactly once. If it times out, the socket drops after it was written, or the
 * venue answers 5xx, the error says `outcome: "unknown"` so the OMS marks the order `unknown`
 * and looks it up by client order id; it is never re-sent from here.
 */
import http from 'node:http';
import https from 'node:https';
import { TradeportError, type ErrorCode } from '../api/errors';
import type { Random } from '../ports/random';
import type { CircuitBreaker, CallOutcome, BreakerTicket } from './circuit-breaker';
import type { RateLimiter } from './rate-limiter';
import { parseRetryAfter } from './rate-limiter';
import { systemClock, type Timers } from '../ports/clock';
import { errorCodeForStatus, genericErrors, type VenueErrorMapper } from './venue-errors';
import type { Priority } from './venue-limits';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Why a call failed, in the terms the OMS and the UI act on. */
export type FailureKind =
  | 'rejected' // the venue answered and refused (4xx or an error body)
  | 'rate_limited' // 429, or the limiter could not admit the call before its deadline
  | 'banned' // 418: every call to the venue is stopped until the ban ends
  | 'server_error' // 5xx on an idempotent request
  | 'timeout' // no answer in time on an idempotent request
  | 'connection' // refused / DNS / reset before anything was sent
  | 'outcome_unknown' // a non-idempotent request may or may not have been executed
  | 'breaker_open'; // failed fast: the venue's breaker is OPEN

export class HttpError extends TradeportError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly failure: FailureKind,
    readonly status?: number,
    details?: Record<string, unknown>,
  ) {
    super(code, message, { ...details, failure, ...(status !== undefined ? { status } : {}) });
    this.name = 'HttpError';
  }
  get outcomeUnknown(): boolean {
    return this.failure === 'outcome_unknown';
  }
}

export interface HttpRequest {
  readonly method: HttpMethod;
  /** Path without query, e.g. `/api/v3/order`. Used in error messages. */
  readonly path: string;
  /** Already encoded (and possibly signed) query string, without `?`. Never shown in messages. */
  readonly query?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Rate-limit group of the venue's limits (see venue-limits.ts). */
  readonly group: string;
  readonly costs?: Readonly<Record<string, number>>;
  readonly priority?: Priority;
  /**
   * Whether re-sending is harmless. Defaults to true for GET/HEAD only; a connector may mark a
   * DELETE by client id idempotent, never a submit.
   */
  readonly idempotent?: boolean;
  readonly timeoutMs?: number;
  /** Absolute clock time after which the caller gives up, retries and rate-limit waits included. */
  readonly deadline?: number;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  readonly json: unknown;
  readonly attempts: number;
}

export interface HttpClientOptions {
  readonly venue: string;
  readonly displayName?: string;
  readonly baseUrl: string;
  /** The venue's limiter, or a getter for one known only later (a budget shared per API key, keyed once the key is loaded). */
  readonly limiter?: RateLimiter | (() => RateLimiter | undefined);
  readonly breaker?: CircuitBreaker;
  readonly timers?: Timers;
  readonly random?: Random;
  readonly timeoutMs?: number;
  /** Retries for idempotent requests after 5xx / timeout / connection failures / 429. */
  readonly maxRetries?: number;
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  readonly mapError?: VenueErrorMapper;
  /** Values (API key, passphrase…) that must never appear in an error message. */
  readonly secrets?: () => readonly string[];
  readonly maxBodyBytes?: number;
  readonly agent?: http.Agent;
}

interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

class AttemptFailure extends Error {
  constructor(
    readonly kind: 'timeout' | 'connection' | 'dropped',
    message: string,
  ) {
    super(message);
  }
}

const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

export class HttpClient {
  readonly venue: string;
  private readonly name: string;
  private readonly base: URL;
  private readonly timers: Timers;
  private readonly agent: http.Agent;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly mapError: VenueErrorMapper;
  private readonly maxBody: number;

  constructor(private readonly opts: HttpClientOptions) {
    this.venue = opts.venue;
    this.name = opts.displayName ?? opts.venue;
    this.base = new URL(opts.baseUrl);
    this.timers = opts.timers ?? systemClock;
    const Agent = this.base.protocol === 'https:' ? https.Agent : http.Agent;
    this.agent = opts.agent ?? new Agent({ keepAlive: true, keepAliveMsecs: 15_000, maxSockets: 16 });
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.maxRetries = opts.maxRetries ?? 2;
    this.retryBaseMs = opts.retryBaseMs ?? 250;
    this.retryMaxMs = opts.retryMaxMs ?? 4_000;
    this.mapError = opts.mapError ?? genericErrors;
    this.maxBody = opts.maxBodyBytes ?? 16 * 1024 * 1024;
  }

  private limiter(): RateLimiter | undefined {
    const l = this.opts.limiter;
    return typeof l === 'function' ? l() : l;
  }

  /** Sends `req`; resolves with a 2xx response, rejects with an HttpError otherwise. */
  async request(req: HttpRequest): Promise<HttpResponse> {
    const idempotent = req.idempotent ?? (req.method === 'GET' || req.method === 'HEAD');
    const what = `${req.method} ${req.path}`;
    for (let attempt = 1; ; attempt++) {
      let ticket: BreakerTicket | undefined;
      try {
        ticket = this.admit();
        const limiter = this.limiter();
        if (limiter) {
          // The breaker slot is held while we wait for the limiter; release it on failure below.
          await limiter.acquire(req.group, {
            ...(req.costs ? { costs: req.costs } : {}),
            ...(req.priority !== undefined ? { priority: req.priority } : {}),
            ...(req.deadline !== undefined ? { deadline: req.deadline } : {}),
          });
        }
      } catch (e) {
        if (ticket) this.opts.breaker?.release(ticket);
        throw this.wrapLocal(e);
      }
      let raw: RawResponse;
      try {
        raw = await this.once(req);
      } catch (e) {
        const f = e instanceof AttemptFailure ? e : new AttemptFailure('dropped', String(e));
        this.record(ticket, 'failure', f.kind === 'timeout' ? 'timeout' : 'connection failed');
        const sentMaybe = f.kind !== 'connection';
        if (!idempotent && sentMaybe) throw this.unknown(what, f.kind === 'timeout' ? 'timeout' : 'venue_unavailable', f.message);
        const err =
          f.kind === 'timeout'
            ? new HttpError('timeout', `${this.name} did not answer ${what} within ${this.timeoutOf(req) / 1000} s.`, 'timeout')
            : new HttpError('venue_unavailable', `Could not reach ${this.name} (${f.message}).`, 'connection');
        if (await this.backoff(attempt, req, undefined)) continue;
        throw err;
      }
      this.limiter()?.observe({ status: raw.status, headers: raw.headers });
      const json = parseJson(raw.body);
      const mapped = raw.status >= 200 && raw.status < 300 ? this.mapError(raw.status, json, '') : (this.mapError(raw.status, json, raw.body) ?? genericErrors(raw.status, json, raw.body));
      if (!mapped && raw.status < 300) {
        this.record(ticket, 'success');
        return { status: raw.status, headers: raw.headers, body: raw.body, json, attempts: attempt };
      }
      const status = raw.status;
      const venueDown = status >= 500 || mapped?.venueDown === true;
      this.record(ticket, venueDown ? 'failure' : 'neutral', venueDown ? `HTTP ${status}` : undefined);
      const message = this.redact(mapped?.message ?? `HTTP ${status}`);
      const details = mapped?.venueCode ? { venueCode: mapped.venueCode } : {};
      if (!idempotent && (venueDown || mapped?.outcomeUnknown)) throw this.unknown(what, mapped?.code === 'timeout' ? 'timeout' : 'venue_unavailable', message, status);
      if (status === 418) throw new HttpError('rate_limited', `${this.name} banned this IP for exceeding its rate limits (${message}).`, 'banned', status, details);
      if (status === 429 || mapped?.code === 'rate_limited') {
        if (idempotent && (await this.backoff(attempt, req, raw))) continue;
        throw new HttpError('rate_limited', `${this.name} is rate limiting Tradeport (${message}); it will retry automatically when allowed.`, 'rate_limited', status, details);
      }
      if (venueDown) {
        if (idempotent && (await this.backoff(attempt, req, raw))) continue;
        throw new HttpError(mapped?.code === 'timeout' ? 'timeout' : 'venue_unavailable', `${this.name} had a server error on ${what} (${message}).`, 'server_error', status, details);
      }
      throw new HttpError(mapped?.code ?? errorCodeForStatus(status), message, 'rejected', status, details);
    }
  }

  /** Closes idle keep-alive sockets (on shutdown or venue removal). */
  close(): void {
    this.agent.destroy();
  }

  private admit(): BreakerTicket | undefined {
    return this.opts.breaker?.admit();
  }

  private record(ticket: BreakerTicket | undefined, outcome: CallOutcome, detail?: string): void {
    if (ticket) this.opts.breaker?.record(ticket, outcome, detail);
  }

  private wrapLocal(e: unknown): Error {
    if (e instanceof TradeportError) {
      if (e.code === 'venue_unavailable') return new HttpError(e.code, e.message, 'breaker_open', undefined, e.details);
      if (e.code === 'rate_limited') return new HttpError(e.code, e.message, e.details?.['until'] !== undefined ? 'banned' : 'rate_limited', undefined, e.details);
      return e;
    }
    return e instanceof Error ? e : new Error(String(e));
  }

  private unknown(what: string, code: ErrorCode, cause: string, status?: number): HttpError {
    return new HttpError(
      code,
      `${this.name} did not confirm ${what} (${this.redact(cause)}); whether it was executed is unknown. Tradeport will look it up before doing anything else — do not resend it.`,
      'outcome_unknown',
      status,
      { outcome: 'unknown' },
    );
  }

  private timeoutOf(req: HttpRequest): number {
    return req.timeoutMs ?? this.timeoutMs;
  }

  /** Waits before the next idempotent attempt; false when retries or the deadline are exhausted. */
  private async backoff(attempt: number, req: HttpRequest, raw: RawResponse | undefined): Promise<boolean> {
    const idempotent = req.idempotent ?? (req.method === 'GET' || req.method === 'HEAD');
    if (!idempotent || attempt > this.maxRetries) return false;
    const now = this.timers.now();
    const ra = raw ? parseRetryAfter(headerOf(raw.headers, 'retry-after'), now) : undefined;
    const exp = Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** (attempt - 1));
    // Full jitter: concurrent clients that failed together must not retry together.
    const r = this.opts.random?.next() ?? Math.random();
    // A 429's wait is enforced by the limiter's block; this only spaces other retries.
    const delay = ra !== undefined ? 0 : Math.round(exp / 2 + (r * exp) / 2);
    if (req.deadline !== undefined && now + delay >= req.deadline) return false;
    if (delay > 0) await new Promise<void>((res) => this.timers.setTimeout(res, delay));
    return true;
  }

  private redact(s: string): string {
    let out = s.replace(/(signature|apikey|api_key|secret|passphrase|token|listenKey)=([^&\s"]+)/gi, '$1=…');
    for (const v of this.opts.secrets?.() ?? []) if (v.length >= 6) out = out.split(v).join('…');
    return out.length > 400 ? `${out.slice(0, 400)}…` : out;
  }

  private once(req: HttpRequest): Promise<RawResponse> {
    const url = new URL(req.path, this.base);
    if (req.query) url.search = req.query;
    const mod = url.protocol === 'https:' ? https : http;
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
    return new Promise<RawResponse>((resolve, reject) => {
      let settled = false;
      let written = false;
      const done = (e: Error | undefined, r?: RawResponse): void => {
        if (settled) return;
        settled = true;
        this.timers.clearTimeout(timer);
        if (e) reject(e);
        else resolve(r!);
      };
      const r = mod.request(url, { method: req.method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > this.maxBody) {
            res.destroy();
            done(new AttemptFailure('dropped', 'response too large'));
          } else chunks.push(c);
        });
        res.on('end', () => done(undefined, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('aborted', () => done(new AttemptFailure('dropped', 'connection dropped mid-response')));
        res.on('error', (e) => done(new AttemptFailure('dropped', errCode(e))));
      });
      const timer = this.timers.setTimeout(() => {
        done(new AttemptFailure('timeout', `no answer within ${this.timeoutOf(req)} ms`));
        r.destroy();
      }, this.timeoutOf(req));
      r.on('finish', () => {
        written = true;
      });
      r.on('error', (e) => {
        const code = errCode(e);
        // A stale keep-alive socket reset before our bytes left is "not sent" only if nothing was written.
        const notSent = NOT_SENT.has(code) || (!written && (r as http.ClientRequest & { reusedSocket?: boolean }).reusedSocket === true && code === 'ECONNRESET');
        done(new AttemptFailure(notSent ? 'connection' : 'dropped', code));
      });
      r.end(req.body);
    });
  }
}

function errCode(e: unknown): string {
  const c = (e as { code?: unknown }).code;
  return typeof c === 'string' ? c : e instanceof Error ? e.message : String(e);
}

function headerOf(h: http.IncomingHttpHeaders, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

function parseJson(s: string): unknown {
  if (s.length === 0) return undefined;
  const c = s.charCodeAt(0);
  // Only bodies that look like JSON; venues return HTML error pages from their CDN on outages.
  if (c !== 123 && c !== 91) return undefined;
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return undefined;
  }
}
