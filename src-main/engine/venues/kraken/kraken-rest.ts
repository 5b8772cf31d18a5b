/**
 * Kraken's REST calls through HttpClient (limiter + breaker). Public calls are GETs; private calls
 * are signed form POSTs carrying a fresh nonce each, so none is ever retried as-is (a resent body
 * would reuse its nonce): a lost answer is an unknown outcome, resolved by a lookup.
 */
import { HttpError, type HttpClient } from '../../net/http-client';
import type { RateLimiter } from '../../net/rate-limiter';
import { krakenSign, type KrakenKeys, type KrakenNonces } from './kraken-auth';
import { wireOrders, wireTrades, type WireOrder, type WireTrade } from './kraken-wire';
import { wirePairs, type WirePair } from './kraken-instruments';

export type Fields = Record<string, string>;

function resultOf<T>(json: unknown): T {
  return (json as { result: T }).result;
}

/**
 * One private call in flight per key: Kraken refuses a nonce lower than one it has already seen, so
 * two signed calls racing on two sockets could arrive out of order. Waiting calls go orders and
 * cancels first, then queries, each in arrival order.
 */
class PrivateLane {
  private busy = false;
  private readonly urgent: Array<() => void> = [];
  private readonly normal: Array<() => void> = [];

  async run<T>(urgent: boolean, f: () => Promise<T>): Promise<T> {
    if (this.busy) await new Promise<void>((res) => (urgent ? this.urgent : this.normal).push(res));
    this.busy = true;
    try {
      return await f();
    } finally {
      const next = this.urgent.shift() ?? this.normal.shift();
      if (next) next();
      else this.busy = false;
    }
  }
}

const URGENT = new Set(['orderNew', 'orderCancel', 'cancelAll']);

export class KrakenRest {
  private readonly lane = new PrivateLane();

  constructor(
    private readonly http: HttpClient,
    private readonly keys: () => Promise<KrakenKeys>,
    private readonly nonces: KrakenNonces,
    private readonly limiter: RateLimiter,
  ) {}

  async public<T>(method: string, query: Fields = {}): Promise<T> {
    const q = new URLSearchParams(query).toString();
    const r = await this.http.request({ method: 'GET', path: `/0/public/${method}`, group: 'public', ...(q ? { query: q } : {}) });
    return resultOf<T>(r.json);
  }

  private<T>(method: string, group: string, fields: Fields = {}): Promise<T> {
    return this.lane.run(URGENT.has(group), () => this.signed<T>(method, group, fields));
  }

  private async signed<T>(method: string, group: string, fields: Fields): Promise<T> {
    const k = await this.keys();
    const path = `/0/private/${method}`;
    const nonce = this.nonces.next(k.apiKey);
    const body = new URLSearchParams({ nonce, ...fields }).toString();
    const headers = { 'API-Key': k.apiKey, 'API-Sign': krakenSign(path, nonce, body, k.apiSecret), 'content-type': 'application/x-www-form-urlencoded' };
    try {
      const r = await this.http.request({ method: 'POST', path, group, headers, body, idempotent: false });
      return resultOf<T>(r.json);
    } catch (e) {
      throw this.explained(e);
    }
  }

  /** Kraken's own errors that need more than its words, and a full counter that must pause every call. */
  private explained(e: unknown): unknown {
    if (!(e instanceof HttpError)) return e;
    const code = e.details?.['venueCode'];
    if (code === 'EAPI:Invalid nonce')
      return new HttpError(
        'venue_rejected',
        `${e.message} — Kraken saw a nonce no larger than one it already had for this API key: another program (a bot, another Tradeport on a different data folder) is using the same key. Give Tradeport a key of its own; nothing was executed and nothing is retried.`,
        'rejected',
        e.status,
        e.details,
      );
    // Kraken's counter decays by about 1 every 3 s at the lowest tier: pause all calls on this key for a few seconds.
    if (code === 'EAPI:Rate limit exceeded' || code === 'EOrder:Rate limit exceeded') this.limiter.observe({ status: 429, headers: { 'retry-after': '3' } });
    return e;
  }

  pairs = async (): Promise<Record<string, WirePair>> => wirePairs(await this.public('AssetPairs'));
  time = (): Promise<{ unixtime: number }> => this.public('Time');
  balancesEx = (): Promise<Record<string, { balance: string; hold_trade?: string }>> => this.private('BalanceEx', 'query');

  /** The touch from Ticker (`a`/`b` are [price, wholeLotVolume, lotVolume]). */
  async touch(pair: string): Promise<{ bid?: string; ask?: string }> {
    const r = await this.public<Record<string, { a?: string[]; b?: string[] }>>('Ticker', { pair });
    const t = Object.values(r)[0];
    return { ...(t?.b?.[0] ? { bid: t.b[0] } : {}), ...(t?.a?.[0] ? { ask: t.a[0] } : {}) };
  }
  token = (): Promise<{ token: string; expires: number }> => this.private('GetWebSocketsToken', 'query');
  add = (fields: Fields): Promise<{ txid?: string[]; descr?: { order?: string } }> => this.private('AddOrder', 'orderNew', fields);
  amend = (fields: Fields): Promise<{ amend_id: string }> => this.private('AmendOrder', 'orderNew', fields);
  cancel = (fields: Fields): Promise<{ count: number }> => this.private('CancelOrder', 'orderCancel', fields);
  cancelAll = (): Promise<{ count: number }> => this.private('CancelAll', 'cancelAll');
  cancelAfter = (timeout: number): Promise<{ currentTime: string; triggerTime: string }> => this.private('CancelAllOrdersAfter', 'query', { timeout: String(timeout) });

  /** Open orders; `filter` narrows to one cl_ord_id (Kraken's filter, checked again here). */
  async openOrders(filter: Fields = {}): Promise<Record<string, WireOrder>> {
    return wireOrders((await this.private<{ open: unknown }>('OpenOrders', 'query', filter)).open);
  }

  async closedOrders(filter: Fields = {}): Promise<Record<string, WireOrder>> {
    return wireOrders((await this.private<{ closed: unknown }>('ClosedOrders', 'history', filter)).closed);
  }

  /** By txids, or by our cl_ord_id. */
  async query(by: { txid: string } | { cl_ord_id: string }): Promise<Record<string, WireOrder>> {
    return wireOrders(await this.private('QueryOrders', 'history', by));
  }

  /** Trades since `startS` (Unix s), every page (Kraken gives 50 per call; `ofs` pages on). */
  async trades(startS: number): Promise<Record<string, WireTrade>> {
    const out: Record<string, WireTrade> = {};
    for (let ofs = 0; ofs < 5_000;) {
      const r = await this.private<{ trades: unknown; count?: number }>('TradesHistory', 'history', { ...(startS > 0 ? { start: String(startS) } : {}), ...(ofs > 0 ? { ofs: String(ofs) } : {}) });
      const page = wireTrades(r.trades);
      const n = Object.keys(page).length;
      Object.assign(out, page);
      ofs += n;
      if (n === 0 || ofs >= (r.count ?? 0)) break;
    }
    return out;
  }
}
