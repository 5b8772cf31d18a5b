/**
 * Coinbase's REST calls (`/api/v3/brokerage`), each through HttpClient (limiter + breaker; order
 * calls never retried) with a fresh JWT for its METHOD + path. Answers are read with zod: a shape
 * Coinbase changes is a clear error, never a silent wrong number.
 */
import { z } from 'zod';
import type { HttpClient, HttpMethod } from '../../net/http-client';
import type { Quote } from '../../domain/order';
import { WireProduct } from './coinbase-instruments';
import { WireCreate, WireFill, WireOrder } from './coinbase-mapping';

export const API = '/api/v3/brokerage';

const Money = z.object({ value: z.string(), currency: z.string() });
export const WireAccount = z.object({ uuid: z.string(), currency: z.string(), available_balance: Money, hold: Money.optional(), active: z.boolean().optional() });
export type WireAccount = z.infer<typeof WireAccount>;

const Page = <T extends z.ZodTypeAny>(key: string, item: T) => z.object({ [key]: z.array(item), has_next: z.boolean().optional(), cursor: z.string().optional() });

export const WireCancelResult = z.object({ success: z.boolean(), failure_reason: z.string().optional(), order_id: z.string() });
export type WireCancelResult = z.infer<typeof WireCancelResult>;

export const WirePreview = z.object({
  order_total: z.string().optional(),
  commission_total: z.string().optional(),
  errs: z.array(z.string()).optional(),
  warning: z.array(z.string()).optional(),
  quote_size: z.string().optional(),
  base_size: z.string().optional(),
  best_bid: z.string().optional(),
  best_ask: z.string().optional(),
  is_max: z.boolean().optional(),
  slippage: z.string().optional(),
  average_filled_price: z.string().optional(),
});
export type WirePreview = z.infer<typeof WirePreview>;

export const WireFeeTier = z.object({ fee_tier: z.object({ pricing_tier: z.string().optional(), maker_fee_rate: z.string(), taker_fee_rate: z.string() }) });

const Level = z.object({ price: z.string(), size: z.string() });
export const WirePricebook = z.object({ product_id: z.string(), bids: z.array(Level), asks: z.array(Level), time: z.string().optional() });
export type WirePricebook = z.infer<typeof WirePricebook>;

export const WireEdit = z.object({ success: z.boolean(), errors: z.array(z.object({ edit_failure_reason: z.string().optional(), preview_failure_reason: z.string().optional() })).optional() });
export type WireEdit = z.infer<typeof WireEdit>;

/** Coinbase's reasons for refusing an edit, or undefined when it took it. */
export function editFailure(r: WireEdit): string | undefined {
  if (r.success) return undefined;
  const why = (r.errors ?? []).map((e) => e.edit_failure_reason ?? e.preview_failure_reason).filter(Boolean);
  return why.join(', ') || 'UNKNOWN_EDIT_ORDER_FAILURE_REASON';
}

/** The top of a `best_bid_ask` pricebook as a quote. */
export function pricebookQuote(b: WirePricebook, instrumentId: string, now: number): Quote {
  return {
    instrumentId,
    ...(b.bids[0] ? { bid: b.bids[0].price, bidSize: b.bids[0].size } : {}),
    ...(b.asks[0] ? { ask: b.asks[0].price, askSize: b.asks[0].size } : {}),
    ts: Date.parse(b.time ?? '') || now,
  };
}

export type Signer = (method: HttpMethod, path: string) => Promise<Record<string, string>>;

export class CoinbaseRest {
  constructor(
    private readonly http: HttpClient,
    private readonly sign: Signer,
  ) {}

  private async call<T extends z.ZodTypeAny>(
    schema: T,
    method: HttpMethod,
    path: string,
    group: string,
    opts: { body?: unknown; query?: URLSearchParams; idempotent?: boolean } = {},
  ): Promise<z.infer<T>> {
    const full = `${API}${path}`;
    const query = opts.query?.toString() ?? '';
    const r = await this.http.request({
      method,
      path: full,
      group,
      headers: { ...(await this.sign(method, full)), 'content-type': 'application/json' },
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
      ...(query ? { query } : {}),
      ...(opts.idempotent !== undefined ? { idempotent: opts.idempotent } : {}),
    });
    const parsed = schema.safeParse(r.json);
    if (!parsed.success) throw new Error(`Coinbase answered ${method} ${full} in an unexpected shape: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
    return parsed.data as z.infer<T>;
  }

  /** Every page of a cursor-paged list, at most `maxPages`; `stop` ends early once it is satisfied. */
  async paged<T extends z.ZodTypeAny>(path: string, key: string, item: T, query: URLSearchParams, maxPages: number, stop?: (xs: z.infer<T>[]) => boolean): Promise<z.infer<T>[]> {
    const out: z.infer<T>[] = [];
    let cursor = '';
    for (let page = 0; page < maxPages; page++) {
      const q = new URLSearchParams(query);
      if (cursor) q.set('cursor', cursor);
      const r = (await this.call(Page(key, item), 'GET', path, 'query', { query: q })) as Record<string, unknown> & { has_next?: boolean; cursor?: string };
      const xs = r[key] as z.infer<T>[];
      out.push(...xs);
      if (stop?.(xs) || !r.has_next || !r.cursor || r.cursor === cursor) break;
      cursor = r.cursor;
    }
    return out;
  }

  products = async (): Promise<WireProduct[]> =>
    (await this.call(z.object({ products: z.array(WireProduct) }), 'GET', '/products', 'query', { query: new URLSearchParams({ product_type: 'SPOT' }) })).products;
  accounts = (): Promise<WireAccount[]> => this.paged('/accounts', 'accounts', WireAccount, new URLSearchParams({ limit: '250' }), 20);
  create = (body: Record<string, unknown>): Promise<WireCreate> => this.call(WireCreate, 'POST', '/orders', 'orderNew', { body });
  preview = (body: Record<string, unknown>): Promise<WirePreview> => this.call(WirePreview, 'POST', '/orders/preview', 'query', { body, idempotent: true });
  edit = (body: Record<string, unknown>): Promise<WireEdit> => this.call(WireEdit, 'POST', '/orders/edit', 'orderNew', { body });
  batchCancel = async (ids: readonly string[]): Promise<WireCancelResult[]> =>
    (await this.call(z.object({ results: z.array(WireCancelResult) }), 'POST', '/orders/batch_cancel', 'orderCancel', { body: { order_ids: ids } })).results;
  order = async (id: string): Promise<WireOrder> => (await this.call(z.object({ order: WireOrder }), 'GET', `/orders/historical/${encodeURIComponent(id)}`, 'query')).order;
  openOrders = (): Promise<WireOrder[]> => this.paged('/orders/historical/batch', 'orders', WireOrder, new URLSearchParams({ order_status: 'OPEN', limit: '250' }), 20);
  /** Historical orders, newest first, page by page until `stop` is satisfied or `maxPages` are read. */
  history = (maxPages: number, stop: (xs: WireOrder[]) => boolean): Promise<WireOrder[]> =>
    this.paged('/orders/historical/batch', 'orders', WireOrder, new URLSearchParams({ limit: '250' }), maxPages, stop);
  fills = (query: URLSearchParams): Promise<WireFill[]> => this.paged('/orders/historical/fills', 'fills', WireFill, query, 40);
  feeTier = async () => (await this.call(WireFeeTier, 'GET', '/transaction_summary', 'query')).fee_tier;
  bestBidAsk = async (productIds: readonly string[]): Promise<WirePricebook[]> => {
    const q = new URLSearchParams();
    for (const p of productIds) q.append('product_ids', p);
    return (await this.call(z.object({ pricebooks: z.array(WirePricebook) }), 'GET', '/best_bid_ask', 'query', { query: q })).pricebooks;
  };
}
