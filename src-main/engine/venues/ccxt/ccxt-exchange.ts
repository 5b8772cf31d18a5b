/**
 * Builds the ccxt exchange object for a venue: ccxt loaded lazily (the app starts without it), the
 * id checked against ccxt's list, credentials from the keychain as the exchange requires them
 * (ccxt's `requiredCredentials`), ccxt's throttler off, every request through our HTTP kit
 * (ccxt-http.ts) at ccxt's endpoint cost, the sandbox and the URL override applied.
 */
import type * as Ccxt from 'ccxt';
import { TradeportError } from '../../api/errors';
import { secretAccount, type SecretStore } from '../../ports/secrets';
import { CCXT_SECRET_FIELDS, type CcxtSecretField, type CcxtSettings } from './ccxt-config';
import type { CcxtLib } from './ccxt-errors';
import type { CcxtHttp } from './ccxt-http';

let loading: Promise<CcxtLib> | undefined;

/** ccxt itself, imported on first use only. */
export function loadCcxt(): Promise<CcxtLib> {
  loading ??= import('ccxt').then((m) => m.default);
  return loading;
}

export type CcxtCredentials = Partial<Record<CcxtSecretField, string>>;

export async function loadCredentials(secrets: SecretStore, venue: string): Promise<CcxtCredentials> {
  const out: CcxtCredentials = {};
  for (const f of CCXT_SECRET_FIELDS) {
    const v = (await secrets.get(secretAccount(venue, f)))?.trim();
    if (v) out[f] = v;
  }
  return out;
}

/** The credentials the exchange requires that are not set, in words with the command that sets them. */
export function missingCredentials(required: Readonly<Record<string, unknown>>, creds: CcxtCredentials, venue: string, exchange: string): string | undefined {
  const missing = CCXT_SECRET_FIELDS.filter((f) => required[f] === true && !creds[f]);
  if (missing.length === 0) return undefined;
  return `${exchange} needs ${missing.join(', ')}; set ${missing.length > 1 ? 'them' : 'it'} with: ${missing.map((m) => `tradeport secret set ${venue} ${m}`).join(' and ')}`;
}

/**
 * Every host in ccxt's `urls.api` (a string or nested map) replaced by `base`, each path kept:
 * REST hosts by `base` itself, WebSocket hosts by its ws:// / wss:// twin.
 */
export function overrideUrls(api: unknown, base: string): unknown {
  if (typeof api === 'string') return api.replace(/^https?:\/\/[^/]+/, base).replace(/^wss?:\/\/[^/]+/, base.replace(/^http/, 'ws'));
  if (api && typeof api === 'object') return Object.fromEntries(Object.entries(api as Record<string, unknown>).map(([k, v]) => [k, overrideUrls(v, base)]));
  return api;
}

/**
 * ccxt defaults that act on the trader's account without being asked, switched off: Hyperliquid's
 * class sets a referrer and approves ccxt's builder fee (charged on every order) before the first
 * order — with these, no referrer is set and the builder fee is 0 %.
 */
const QUIET_OPTIONS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  hyperliquid: { refSet: true, builderFee: false },
};

export interface ExchangeBuild {
  readonly lib: CcxtLib;
  readonly exchange: Ccxt.Exchange;
}

export async function buildExchange(settings: CcxtSettings, creds: CcxtCredentials, http: CcxtHttp, timeoutMs: number): Promise<ExchangeBuild> {
  const lib = await loadCcxt();
  if (!lib.exchanges.includes(settings.exchange)) {
    const near = lib.exchanges.filter((id) => id.startsWith(settings.exchange.slice(0, 3))).slice(0, 6);
    throw new TradeportError('invalid_input', `ccxt knows no exchange "${settings.exchange}"${near.length ? `; did you mean ${near.join(', ')}?` : '; see ccxt.exchanges for the ids.'}`);
  }
  // The ccxt.pro class where there is one: the same REST methods, plus the watch* streams.
  type Ctor = new (cfg: Record<string, unknown>) => Ccxt.Exchange;
  const Ctor = (lib.pro as unknown as Record<string, Ctor | undefined>)[settings.exchange] ?? (lib as unknown as Record<string, Ctor>)[settings.exchange]!;
  const ex = new Ctor({
    ...creds,
    enableRateLimit: false,
    timeout: timeoutMs + 5_000,
    fetchImplementation: http.fetch,
    options: { defaultType: settings.defaultType, warnOnFetchOpenOrdersWithoutSymbol: false, ...QUIET_OPTIONS[settings.exchange], ...settings.ccxtOptions },
  });
  if (settings.sandbox) ex.setSandboxMode(true);
  if (settings.urlOverride !== undefined) {
    (ex.urls as Record<string, unknown>)['api'] = overrideUrls(ex.urls['api'], settings.urlOverride);
    // ccxt.pro opens a plain ws:// URL (a local proxy, the emulator) only with its http agent loaded.
    if (settings.urlOverride.startsWith('http:')) await ex.loadHttpProxyAgent();
  }
  // Each request draws ccxt's cost for its endpoint from our budget.
  const fetch2 = ex.fetch2.bind(ex);
  const signed = ORDERED_NONCE.has(settings.exchange) ? orderedNonce(ex) : <T>(_api: unknown, f: () => Promise<T>) => f();
  ex.fetch2 = (path, api, method, params, headers, body, config) =>
    http.withCost(Number(ex.calculateRateLimiterCost(api, method, path, params, config)), () => signed(api, () => fetch2(path, api, method, params, headers, body, config)));
  settleWsPromises(ex);
  return { lib, exchange: ex };
}

/**
 * Exchanges that refuse a signed call whose nonce is not above the last one they RECEIVED (Kraken:
 * "an always increasing, unsigned 64-bit integer", https://docs.kraken.com/api-reference/guides/spot-rest-auth).
 * ccxt's nonce is the clock in ms, so two calls in one millisecond, or two in flight overtaking
 * each other (a poll, a lookup, the stream's token), fail with EAPI:Invalid nonce.
 */
const ORDERED_NONCE = new Set(['kraken']);

/** Nonces that always rise, and private calls one at a time so they arrive in nonce order. */
function orderedNonce(ex: Ccxt.Exchange): <T>(api: unknown, f: () => Promise<T>) => Promise<T> {
  const nonce = ex.nonce.bind(ex);
  let last = 0;
  ex.nonce = () => (last = Math.max(Number(nonce()), last + 1));
  let tail: Promise<unknown> = Promise.resolve();
  return (api, f) => {
    if (api !== 'private' && !(Array.isArray(api) && api.includes('private'))) return f();
    const p = tail.then(f, f);
    tail = p.catch(() => undefined);
    return p;
  };
}

/** What of a ccxt.pro socket client the guard below touches. */
interface WsClientLike {
  connect(backoffDelay?: number): Promise<unknown>;
  future(messageHash: string): Promise<unknown>;
}

/**
 * ccxt.pro rejects a socket's connection promise and every pending future when the socket fails,
 * including ones nobody awaits (a re-entrant watch's `connected`, a subscription's future). In
 * Node an unawaited rejection is fatal, so a venue that cannot be reached would take the engine
 * down. Each client's promises get a no-op handler: those we await still see the error (our watch
 * loops retry), the rest are settled instead of crashing the process.
 */
export function settleWsPromises(ex: Ccxt.Exchange): void {
  const target = ex as unknown as { client?: (url: string) => WsClientLike };
  const make = target.client?.bind(ex);
  if (!make) return;
  const guarded = new WeakSet<WsClientLike>();
  const settle = <T>(p: T): T => {
    if (p instanceof Promise) p.catch(() => undefined);
    return p;
  };
  target.client = (url: string) => {
    const c = make(url);
    if (!guarded.has(c)) {
      guarded.add(c);
      const connect = c.connect.bind(c);
      const future = c.future.bind(c);
      c.connect = (backoffDelay?: number) => settle(connect(backoffDelay));
      c.future = (messageHash: string) => settle(future(messageHash));
    }
    return c;
  };
}
