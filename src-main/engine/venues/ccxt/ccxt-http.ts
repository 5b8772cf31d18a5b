/**
 * ccxt's HTTP goes through our network kit: ccxt builds and signs each request, then hands it to
 * `fetch` below (its `fetchImplementation`), which sends it with HttpClient — the limiter, the
 * breaker (order calls only), one deadline per attempt, retries for GETs only, and our failure
 * classification (a submit that may have arrived is `outcome_unknown`, never resent). A 4xx
 * answer goes back to ccxt as a response, so the exchange's own error table (InsufficientFunds,
 * OrderNotFound…) reads it; transport failures, 5xx and 429 come out as our HttpError, which
 * ccxt passes through untouched.
 *
 * Which budget group a request draws from is set by the connector around each call
 * (`within`), and its cost by ccxt's endpoint table (`withCost`, hooked on `fetch2`).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { HttpClient, HttpError, type HttpMethod } from '../../net/http-client';
import type { CircuitBreaker } from '../../net/circuit-breaker';
import type { RateLimiter } from '../../net/rate-limiter';
import type { VenueErrorMapper } from '../../net/venue-errors';
import { errorCodeForStatus } from '../../net/venue-errors';

export type CcxtGroup = 'query' | 'orderNew' | 'orderReplace' | 'orderCancel';

interface Scope {
  readonly group: CcxtGroup;
  readonly cost: number;
}

/** What ccxt reads of a response (the undici-style shape: plain header object, text()). */
export interface CcxtFetchResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Record<string, string>;
  text(): Promise<string>;
}

export interface CcxtFetchInit {
  readonly method?: string;
  readonly headers?: Record<string, string> | undefined;
  readonly body?: string | undefined;
}

export interface CcxtHttpOptions {
  readonly venue: string;
  readonly displayName: string;
  /** Read when the first request goes out (the budget is sized from the exchange, built after this). */
  readonly limiter: () => RateLimiter;
  readonly breaker: CircuitBreaker;
  /** Our budget's units for a ccxt endpoint cost. */
  readonly cost: (ccxtCost: number) => number;
  readonly timeoutMs: number;
  readonly secrets: () => readonly string[];
}

/** The exchange's body, whole, so ccxt's own error table can read it. */
const passBody: VenueErrorMapper = (status, _json, text) => (status >= 400 ? { code: errorCodeForStatus(status), message: text.trim() || `HTTP ${status}` } : undefined);

const METHODS = new Set<HttpMethod>(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);

function flatHeaders(h: Readonly<Record<string, string | string[] | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function response(status: number, headers: Record<string, string>, body: string): CcxtFetchResponse {
  return { status, statusText: '', headers, text: async () => body };
}

export class CcxtHttp {
  private readonly scope = new AsyncLocalStorage<Scope>();
  private readonly clients = new Map<string, HttpClient>();

  constructor(private readonly opts: CcxtHttpOptions) {}

  /** Runs `f` with every request it makes drawn from `group`. */
  within<T>(group: CcxtGroup, f: () => Promise<T>): Promise<T> {
    return this.scope.run({ group, cost: 1 }, f);
  }

  /** Runs `f` (one ccxt `fetch2`) at ccxt's cost for its endpoint. */
  withCost<T>(ccxtCost: number, f: () => Promise<T>): Promise<T> {
    return this.scope.run({ group: this.scope.getStore()?.group ?? 'query', cost: this.opts.cost(ccxtCost) }, f);
  }

  limiter(): RateLimiter {
    return this.opts.limiter();
  }

  /** ccxt's `fetchImplementation`. */
  readonly fetch = async (url: string, init: CcxtFetchInit = {}): Promise<CcxtFetchResponse> => {
    const u = new URL(url);
    const method = (init.method ?? 'GET').toUpperCase() as HttpMethod;
    if (!METHODS.has(method)) throw new Error(`ccxt asked for HTTP ${method}, which Tradeport does not send`);
    const s = this.scope.getStore() ?? { group: 'query', cost: 1 };
    const client = this.client(u.origin, s.group !== 'query');
    try {
      const r = await client.request({
        method,
        path: u.pathname,
        ...(u.search.length > 1 ? { query: u.search.slice(1) } : {}),
        ...(init.headers ? { headers: init.headers } : {}),
        ...(init.body !== undefined && init.body !== null ? { body: init.body } : {}),
        group: s.group,
        costs: { requests: s.cost },
        idempotent: method === 'GET' || method === 'HEAD',
      });
      return response(r.status, flatHeaders(r.headers), r.body);
    } catch (e) {
      // The exchange answered and refused: its words go to ccxt's error table.
      if (e instanceof HttpError && e.failure === 'rejected' && e.status !== undefined && e.status < 500) return response(e.status, {}, e.message);
      throw e;
    }
  };

  /** Order calls carry the breaker (a 5xx burst on submits opens it); queries (polls, lookups) do not trip it. */
  private client(origin: string, orders: boolean): HttpClient {
    const k = `${orders ? 'o' : 'q'} ${origin}`;
    let c = this.clients.get(k);
    if (!c) {
      const o = this.opts;
      c = new HttpClient({
        venue: o.venue,
        displayName: o.displayName,
        baseUrl: origin,
        limiter: o.limiter(),
        ...(orders ? { breaker: o.breaker } : {}),
        timeoutMs: o.timeoutMs,
        retryBaseMs: 200,
        mapError: passBody,
        secrets: o.secrets,
      });
      this.clients.set(k, c);
    }
    return c;
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }
}
