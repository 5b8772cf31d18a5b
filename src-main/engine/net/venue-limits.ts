/**
 * Each venue's documented request limits, declared once. The limiter enforces these per API key;
 * the numbers come from ../shared/venues/*.md (the venues' own docs) and carry their source so a
 * reviewer can check them against the venue's current page.
 *
 * Two kinds of budget exist because venues count in two ways:
 * - `window`: at most `limit` cost units in any `windowMs` (Binance, Alpaca, Coinbase,
 *   tastytrade, TWS). Enforced as a sliding window, which is stricter than the venues' fixed
 *   windows: any fixed window is also a sliding one, so we can never exceed theirs.
 * - `decay`: a counter that rises by the cost of each call and decays at a constant rate, with
 *   a ceiling (Kraken). This is a token bucket seen from the other side.
 */

/** Lower runs first. Cancels reduce risk, so they never wait behind new orders or queries. */
export const Priority = { cancel: 0, order: 1, query: 2 } as const;
export type Priority = (typeof Priority)[keyof typeof Priority];

export type BudgetSpec =
  | { readonly kind: 'window'; readonly id: string; readonly limit: number; readonly windowMs: number; readonly source: string }
  | { readonly kind: 'decay'; readonly id: string; readonly max: number; readonly decayPerSec: number; readonly source: string };

export interface GroupSpec {
  /** Cost on each budget this group draws from (budget id → units). */
  readonly costs: Readonly<Record<string, number>>;
  readonly priority: Priority;
}

/** Which response headers the venue uses to report its own count of our usage. */
export type HeaderScheme = 'binance' | 'ratelimit' | 'none';

export interface VenueLimits {
  readonly venue: string;
  /** Shown in messages ("Binance banned this IP…"). */
  readonly displayName: string;
  readonly budgets: readonly BudgetSpec[];
  readonly groups: Readonly<Record<string, GroupSpec>>;
  readonly headers: HeaderScheme;
  /** Ban length to assume when a 418 arrives without Retry-After. */
  readonly defaultBanMs?: number;
}

const MIN = 60_000;

/** Binance spot REST: request weight per minute, new orders per 10 s and per day (binance.md). */
export const binanceLimits: VenueLimits = {
  venue: 'binance',
  displayName: 'Binance',
  headers: 'binance',
  defaultBanMs: 2 * MIN,
  budgets: [
    { kind: 'window', id: 'weight', limit: 6000, windowMs: MIN, source: 'rest-api.md: REQUEST_WEIGHT 6000 / 1m (older docs 1200)' },
    { kind: 'window', id: 'orders10s', limit: 50, windowMs: 10_000, source: 'rest-api.md: ORDERS 50 / 10s' },
    { kind: 'window', id: 'ordersDay', limit: 160_000, windowMs: 24 * 60 * MIN, source: 'rest-api.md: ORDERS 160,000 / 1d' },
  ],
  groups: {
    // Weights from the endpoint docs; depth's weight depends on `limit`, callers override it.
    time: { costs: { weight: 1 }, priority: Priority.query },
    exchangeInfo: { costs: { weight: 20 }, priority: Priority.query },
    depth: { costs: { weight: 5 }, priority: Priority.query },
    account: { costs: { weight: 20 }, priority: Priority.query },
    orderNew: { costs: { weight: 1, orders10s: 1, ordersDay: 1 }, priority: Priority.order },
    orderTest: { costs: { weight: 1 }, priority: Priority.order },
    orderCancel: { costs: { weight: 1 }, priority: Priority.cancel },
    cancelAll: { costs: { weight: 1 }, priority: Priority.cancel },
    orderQuery: { costs: { weight: 4 }, priority: Priority.query },
    openOrders: { costs: { weight: 6 }, priority: Priority.query },
    openOrdersAll: { costs: { weight: 80 }, priority: Priority.query },
    myTrades: { costs: { weight: 20 }, priority: Priority.query },
    userDataStream: { costs: { weight: 2 }, priority: Priority.query },
  },
};

/** Alpaca Trading API: 200 requests per minute per account (alpaca.md). */
export const alpacaLimits: VenueLimits = {
  venue: 'alpaca',
  displayName: 'Alpaca',
  headers: 'ratelimit',
  budgets: [{ kind: 'window', id: 'requests', limit: 200, windowMs: MIN, source: 'Alpaca docs: 200 requests / min' }],
  groups: {
    query: { costs: { requests: 1 }, priority: Priority.query },
    orderNew: { costs: { requests: 1 }, priority: Priority.order },
    orderReplace: { costs: { requests: 1 }, priority: Priority.order },
    orderCancel: { costs: { requests: 1 }, priority: Priority.cancel },
  },
};

/** Coinbase Advanced Trade: ~30 req/s private, ~10 req/s public (coinbase.md). */
export const coinbaseLimits: VenueLimits = {
  venue: 'coinbase',
  displayName: 'Coinbase',
  headers: 'none',
  budgets: [
    { kind: 'window', id: 'private', limit: 30, windowMs: 1000, source: 'Advanced Trade rate limits: 30 req/s private' },
    { kind: 'window', id: 'public', limit: 10, windowMs: 1000, source: 'Advanced Trade rate limits: 10 req/s public' },
  ],
  groups: {
    public: { costs: { public: 1 }, priority: Priority.query },
    query: { costs: { private: 1 }, priority: Priority.query },
    orderNew: { costs: { private: 1 }, priority: Priority.order },
    orderCancel: { costs: { private: 1 }, priority: Priority.cancel },
  },
};

export type KrakenTier = 'starter' | 'intermediate' | 'pro';

/**
 * Kraken spot REST: a per-key call counter with a ceiling that decays per second, by tier
 * (starter 15 / −0.33 s⁻¹, intermediate 20 / −0.5, pro 20 / −1). History calls cost 2. Orders
 * are counted on a separate per-pair trading counter (starter 60 / −1 s⁻¹); a cancel of a young
 * order costs more there, which this conservative single cost does not model.
 */
export function krakenLimits(tier: KrakenTier = 'starter'): VenueLimits {
  const rest = { starter: { max: 15, decay: 0.33 }, intermediate: { max: 20, decay: 0.5 }, pro: { max: 20, decay: 1 } }[tier];
  const trade = { starter: { max: 60, decay: 1 }, intermediate: { max: 125, decay: 2.34 }, pro: { max: 180, decay: 3.75 } }[tier];
  return {
    venue: 'kraken',
    displayName: 'Kraken',
    headers: 'none',
    budgets: [
      { kind: 'decay', id: 'calls', max: rest.max, decayPerSec: rest.decay, source: `Kraken REST rate limits (${tier})` },
      { kind: 'decay', id: 'trading', max: trade.max, decayPerSec: trade.decay, source: `Kraken trading rate limits (${tier})` },
      { kind: 'window', id: 'public', limit: 1, windowMs: 1000, source: 'Kraken public endpoints: ~1 call/s' },
    ],
    groups: {
      public: { costs: { public: 1 }, priority: Priority.query },
      query: { costs: { calls: 1 }, priority: Priority.query },
      history: { costs: { calls: 2 }, priority: Priority.query },
      orderNew: { costs: { trading: 1 }, priority: Priority.order },
      orderCancel: { costs: { trading: 1 }, priority: Priority.cancel },
      cancelAll: { costs: { calls: 1 }, priority: Priority.cancel },
    },
  };
}

/** tastytrade Open API: ~120 requests and ~60 orders per minute (tastytrade.md). */
export const tastytradeLimits: VenueLimits = {
  venue: 'tastytrade',
  displayName: 'tastytrade',
  headers: 'none',
  budgets: [
    { kind: 'window', id: 'requests', limit: 120, windowMs: MIN, source: 'tastytrade.md: ~120 req/min' },
    { kind: 'window', id: 'orders', limit: 60, windowMs: MIN, source: 'tastytrade.md: ~60 orders/min' },
  ],
  groups: {
    query: { costs: { requests: 1 }, priority: Priority.query },
    orderNew: { costs: { requests: 1, orders: 1 }, priority: Priority.order },
    orderReplace: { costs: { requests: 1, orders: 1 }, priority: Priority.order },
    orderCancel: { costs: { requests: 1 }, priority: Priority.cancel },
  },
};

/**
 * IB TWS socket: 50 messages/s (error 100 and a possible disconnect above it) and historical
 * data pacing of 60 requests per 10 minutes (tws.md). The per-contract pacing (≤ 6 per 2 s,
 * no identical request within 15 s) is keyed by contract and belongs to the TWS connector.
 */
export const twsLimits: VenueLimits = {
  venue: 'tws',
  displayName: 'Interactive Brokers',
  headers: 'none',
  budgets: [
    { kind: 'window', id: 'messages', limit: 50, windowMs: 1000, source: 'TWS API: 50 messages/s' },
    { kind: 'window', id: 'historical', limit: 60, windowMs: 10 * MIN, source: 'TWS historical pacing: 60 / 10 min' },
  ],
  groups: {
    message: { costs: { messages: 1 }, priority: Priority.query },
    historical: { costs: { messages: 1, historical: 1 }, priority: Priority.query },
    orderNew: { costs: { messages: 1 }, priority: Priority.order },
    orderCancel: { costs: { messages: 1 }, priority: Priority.cancel },
  },
};

export const VENUE_LIMITS: Readonly<Record<string, VenueLimits>> = {
  binance: binanceLimits,
  alpaca: alpacaLimits,
  coinbase: coinbaseLimits,
  kraken: krakenLimits('starter'),
  tastytrade: tastytradeLimits,
  tws: twsLimits,
};
