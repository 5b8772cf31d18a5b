/**
 * tastytrade's REST calls through HttpClient (limiter with the docs' budgets + breaker; order
 * calls never retried): every request carries the User-Agent and a fresh bearer token; a 401 on
 * an idempotent call refreshes the token and tries once more. Order searches are bounded and paged.
 */
import type { HttpClient, HttpMethod } from '../../net/http-client';
import { HttpError } from '../../net/http-client';
import { z } from 'zod';
import { USER_AGENT, type TastytradeAuth } from './tastytrade-auth';
import {
  balanceSchema,
  chainSchema,
  cryptoSchema,
  dataOf,
  dryRunSchema,
  equitySchema,
  futureSchema,
  itemsOf,
  optionSchema,
  orderSchema,
  paginationSchema,
  parseWith,
  positionSchema,
  quoteTokenSchema,
  type TtBalance,
  type TtChain,
  type TtCrypto,
  type TtDryRun,
  type TtEquity,
  type TtFuture,
  type TtOption,
  type TtOrder,
  type TtPosition,
} from './tastytrade-parsers';

export const SEARCH_PAGE = 100;

export class TastytradeRest {
  constructor(
    private readonly http: () => Promise<HttpClient>,
    private readonly auth: TastytradeAuth,
    readonly account: string,
  ) {}

  private async call(method: HttpMethod, path: string, group: string, opts: { body?: unknown; query?: string } = {}): Promise<unknown> {
    const send = async (): Promise<unknown> => {
      const token = await this.auth.accessToken();
      const r = await (
        await this.http()
      ).request({
        method,
        path,
        group,
        headers: { authorization: `Bearer ${token}`, 'user-agent': USER_AGENT, 'content-type': 'application/json', accept: 'application/json' },
        ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
        ...(opts.query ? { query: opts.query } : {}),
      });
      return r.json;
    };
    try {
      return await send();
    } catch (e) {
      // An expired token is refused before anything is done, so even a submit may go again after a 401.
      if (e instanceof HttpError && e.status === 401) {
        this.auth.invalidate();
        return send();
      }
      throw e;
    }
  }

  private get acct(): string {
    return `/accounts/${encodeURIComponent(this.account)}`;
  }

  async balances(): Promise<TtBalance> {
    return parseWith(balanceSchema, 'balance', dataOf(await this.call('GET', `${this.acct}/balances`, 'query')));
  }

  async positions(): Promise<TtPosition[]> {
    return itemsOf(positionSchema, 'positions', await this.call('GET', `${this.acct}/positions`, 'query'));
  }

  async equity(symbol: string): Promise<TtEquity> {
    return parseWith(equitySchema, 'equity', dataOf(await this.call('GET', `/instruments/equities/${encodeURIComponent(symbol)}`, 'query')));
  }

  async crypto(symbol: string): Promise<TtCrypto> {
    return parseWith(cryptoSchema, 'cryptocurrency', dataOf(await this.call('GET', `/instruments/cryptocurrencies/${encodeURIComponent(symbol)}`, 'query')));
  }

  async cryptos(): Promise<TtCrypto[]> {
    return itemsOf(cryptoSchema, 'cryptocurrencies', await this.call('GET', '/instruments/cryptocurrencies', 'query'));
  }

  async futures(productCode: string): Promise<TtFuture[]> {
    return itemsOf(futureSchema, 'futures', await this.call('GET', '/instruments/futures', 'query', { query: `product-code[]=${encodeURIComponent(productCode)}` }));
  }

  async option(symbol: string): Promise<TtOption> {
    return parseWith(optionSchema, 'equity option', dataOf(await this.call('GET', `/instruments/equity-options/${encodeURIComponent(symbol)}`, 'query')));
  }

  async chain(underlying: string): Promise<TtChain[]> {
    return itemsOf(chainSchema, 'option chain', await this.call('GET', `/option-chains/${encodeURIComponent(underlying)}/nested`, 'query'));
  }

  async quoteToken(): Promise<z.infer<typeof quoteTokenSchema>> {
    return parseWith(quoteTokenSchema, 'quote token', dataOf(await this.call('GET', '/api-quote-tokens', 'query')));
  }

  async submit(body: unknown): Promise<TtOrder> {
    const data = parseWith(z.object({ order: orderSchema }), 'order ack', dataOf(await this.call('POST', `${this.acct}/orders`, 'orderNew', { body })));
    return data.order;
  }

  async dryRun(body: unknown): Promise<TtDryRun> {
    return parseWith(dryRunSchema, 'dry-run', dataOf(await this.call('POST', `${this.acct}/orders/dry-run`, 'query', { body })));
  }

  async replace(id: string, body: unknown): Promise<TtOrder> {
    return parseWith(orderSchema, 'replaced order', dataOf(await this.call('PUT', `${this.acct}/orders/${encodeURIComponent(id)}`, 'orderReplace', { body })));
  }

  async cancel(id: string): Promise<TtOrder> {
    return parseWith(orderSchema, 'cancelled order', dataOf(await this.call('DELETE', `${this.acct}/orders/${encodeURIComponent(id)}`, 'orderCancel')));
  }

  async order(id: string): Promise<TtOrder> {
    return parseWith(orderSchema, 'order', dataOf(await this.call('GET', `${this.acct}/orders/${encodeURIComponent(id)}`, 'query')));
  }

  async liveOrders(): Promise<TtOrder[]> {
    return itemsOf(orderSchema, 'live orders', await this.call('GET', `${this.acct}/orders/live`, 'query'));
  }

  /** Recent orders, newest first, at most `maxPages` pages; `stop` ends the walk early. */
  async searchOrders(maxPages: number, stop?: (page: readonly TtOrder[]) => boolean): Promise<TtOrder[]> {
    const out: TtOrder[] = [];
    for (let page = 0; page < maxPages; page++) {
      const raw = await this.call('GET', `${this.acct}/orders`, 'query', { query: `per-page=${SEARCH_PAGE}&page-offset=${page}` });
      const items = itemsOf(orderSchema, 'orders', raw);
      out.push(...items);
      const pages = parseWith(z.object({ pagination: paginationSchema.nullish() }), 'pagination', raw).pagination?.['total-pages'];
      if (items.length < SEARCH_PAGE || (pages != null && page + 1 >= pages) || stop?.(items)) break;
    }
    return out;
  }
}
