/**
 * Alpaca's REST calls, each through HttpClient (limiter + breaker; order calls never retried).
 * Trading and market data are separate hosts with separate budgets.
 */
import type { HttpClient, HttpMethod } from '../../net/http-client';
import type { WireAsset } from './alpaca-instruments';
import type { WireFillActivity, WireOrder } from './alpaca-mapping';
import { wireCryptoSnapshots, wireStockSnapshots, type WireSnapshot } from './alpaca-snapshots';

export interface WireAccount {
  readonly status: string;
  readonly currency: string;
  readonly cash: string;
  readonly buying_power: string;
  readonly regt_buying_power?: string;
  readonly non_marginable_buying_power?: string;
  readonly equity: string;
  readonly last_equity?: string;
  readonly multiplier: string;
  readonly trading_blocked?: boolean;
  readonly account_blocked?: boolean;
}

export interface WirePosition {
  readonly symbol: string;
  readonly asset_class: string;
  readonly qty: string;
  readonly avg_entry_price: string;
  readonly current_price?: string;
  readonly unrealized_pl?: string;
}

export interface WireClock {
  readonly timestamp: string;
  readonly is_open: boolean;
  readonly next_open: string;
  readonly next_close: string;
}

export interface WireCalendarDay {
  readonly date: string;
  readonly open: string;
  readonly close: string;
  readonly session_open?: string;
  readonly session_close?: string;
  readonly settlement_date?: string;
}

/** One entry of DELETE /v2/orders (HTTP 207): each order's own status inside. */
export interface WireCancelResult {
  readonly id: string;
  readonly status: number;
  readonly body?: { readonly code?: number; readonly message?: string } | WireOrder;
}

/** What DELETE /v2/orders did, order by order: a 404 inside the 207 is not a success. */
export interface CancelAllResult {
  readonly cancelled: readonly string[];
  readonly failed: ReadonlyArray<{ readonly venueOrderId: string; readonly status: number; readonly message: string }>;
}

export function readCancelAll(rows: readonly WireCancelResult[]): CancelAllResult {
  const ok = (r: WireCancelResult): boolean => r.status >= 200 && r.status < 300;
  const message = (r: WireCancelResult): string => (r.body && 'message' in r.body && typeof r.body.message === 'string' ? r.body.message : `HTTP ${r.status}`);
  return { cancelled: rows.filter(ok).map((r) => r.id), failed: rows.filter((r) => !ok(r)).map((r) => ({ venueOrderId: r.id, status: r.status, message: message(r) })) };
}

export class AlpacaRest {
  constructor(
    private readonly trading: HttpClient,
    private readonly data: HttpClient,
    private readonly headers: () => Record<string, string>,
  ) {}

  private async call<T>(http: HttpClient, method: HttpMethod, path: string, group: string, opts: { body?: unknown; query?: Record<string, string> } = {}): Promise<T> {
    const query = opts.query ? new URLSearchParams(opts.query).toString() : '';
    const r = await http.request({ method, path, group, headers: this.headers(), ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}), ...(query ? { query } : {}) });
    return r.json as T;
  }

  account = (): Promise<WireAccount> => this.call(this.trading, 'GET', '/v2/account', 'query');
  positions = (): Promise<WirePosition[]> => this.call(this.trading, 'GET', '/v2/positions', 'query');
  assets = (assetClass: 'us_equity' | 'crypto'): Promise<WireAsset[]> => this.call(this.trading, 'GET', '/v2/assets', 'query', { query: { status: 'active', asset_class: assetClass } });
  submit = (body: Record<string, unknown>): Promise<WireOrder> => this.call(this.trading, 'POST', '/v2/orders', 'orderNew', { body });
  order = (id: string): Promise<WireOrder> => this.call(this.trading, 'GET', `/v2/orders/${encodeURIComponent(id)}`, 'query', { query: { nested: 'true' } });
  byClientId = (cid: string): Promise<WireOrder> => this.call(this.trading, 'GET', '/v2/orders:by_client_order_id', 'query', { query: { client_order_id: cid, nested: 'true' } });
  openOrders = (): Promise<WireOrder[]> => this.call(this.trading, 'GET', '/v2/orders', 'query', { query: { status: 'open', limit: '500', nested: 'false', direction: 'asc' } });
  replace = (id: string, body: Record<string, unknown>): Promise<WireOrder> => this.call(this.trading, 'PATCH', `/v2/orders/${encodeURIComponent(id)}`, 'orderReplace', { body });
  cancel = (id: string): Promise<unknown> => this.call(this.trading, 'DELETE', `/v2/orders/${encodeURIComponent(id)}`, 'orderCancel');
  cancelAll = (): Promise<WireCancelResult[]> => this.call(this.trading, 'DELETE', '/v2/orders', 'orderCancel');
  clock = (): Promise<WireClock> => this.call(this.trading, 'GET', '/v2/clock', 'query');
  calendar = (start: string, end: string): Promise<WireCalendarDay[]> => this.call(this.trading, 'GET', '/v2/calendar', 'query', { query: { start, end } });

  /** FILL activities after `afterIso`, oldest first, every page. */
  async fills(afterIso: string): Promise<WireFillActivity[]> {
    const out: WireFillActivity[] = [];
    let token: string | undefined;
    for (let page = 0; page < 50; page++) {
      const xs = await this.call<WireFillActivity[]>(this.trading, 'GET', '/v2/account/activities/FILL', 'query', {
        query: { after: afterIso, direction: 'asc', page_size: '100', ...(token ? { page_token: token } : {}) },
      });
      out.push(...xs);
      if (xs.length < 100 || xs.at(-1)!.id === token) break;
      token = xs.at(-1)!.id;
    }
    return out;
  }

  /** Snapshots of stocks (one request for them all), zod-checked: a payload of another shape throws. */
  stockSnapshots = async (symbols: readonly string[], feed: string): Promise<Record<string, WireSnapshot>> =>
    wireStockSnapshots.parse(await this.call(this.data, 'GET', '/v2/stocks/snapshots', 'query', { query: { symbols: symbols.join(','), feed } }));

  /** Snapshots of crypto pairs (one request for them all), zod-checked. */
  cryptoSnapshots = async (symbols: readonly string[]): Promise<Record<string, WireSnapshot>> =>
    wireCryptoSnapshots.parse(await this.call(this.data, 'GET', '/v1beta3/crypto/us/snapshots', 'query', { query: { symbols: symbols.join(',') } })).snapshots;
}
