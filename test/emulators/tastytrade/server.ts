/**
 * The tastytrade Open API emulator on the emulator kit: OAuth (`POST /oauth/token`, refresh token +
 * client secret → a 15-minute bearer token, expiry enforced), the `User-Agent` requirement,
 * dasherized bodies wrapped in `data` / `data.items` (with `pagination` on searches), accounts,
 * balances, positions, instruments and the nested option chain, orders (create, dry-run, replace,
 * cancel, live, search), quote tokens, and on the same port the account streamer (`/streamer`)
 * and DXLink (`/dxlink`) hubs, which hear every order, position and balance change.
 */
import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { EmulatorServer, type KitRequest, type KitResponse } from '../kit';
import { AccountStreamerHub } from './account-streamer';
import { DxlinkHub } from './dxlink';
import { Catalogue, type TtInstrumentType } from './instruments';
import { Accounts, TtError, type TtChange } from './orders';

export interface TastytradeEmulatorOptions {
  readonly port?: number;
  readonly account?: string;
  readonly clientSecret?: string;
  readonly refreshToken?: string;
  /** Access-token lifetime (the venue: 900 s). */
  readonly tokenTtlS?: number;
  readonly now?: () => number;
  readonly log?: (line: string) => void;
}

const PAGE_MAX = 200;
type Handler = (r: KitRequest) => KitResponse;

export class TastytradeEmulator {
  readonly server: EmulatorServer;
  readonly catalogue = new Catalogue();
  readonly account: Accounts;
  readonly streamer: AccountStreamerHub;
  readonly dxlink: DxlinkHub;
  readonly clientSecret: string;
  readonly refreshToken: string;
  readonly accountNumber: string;
  /** access token → expiry (emulator ms). */
  private readonly tokens = new Map<string, number>();
  private readonly quoteTokens = new Set<string>();
  private offsetMs = 0;
  private readonly baseNow: () => number;
  tokensIssued = 0;

  constructor(private readonly opts: TastytradeEmulatorOptions = {}) {
    this.accountNumber = opts.account ?? '5WT00001';
    this.clientSecret = opts.clientSecret ?? 'emulator-client-secret';
    this.refreshToken = opts.refreshToken ?? 'emulator-refresh-token';
    this.baseNow = opts.now ?? Date.now;
    this.account = new Accounts(
      this.accountNumber,
      this.catalogue,
      () => this.now(),
      (c) => this.publish(c),
    );
    this.streamer = new AccountStreamerHub({ validateToken: (t) => this.validToken(t.replace(/^Bearer\s+/i, '')) });
    this.dxlink = new DxlinkHub({
      validateToken: (t) => this.quoteTokens.has(t),
      quote: (s) => {
        const inst = this.catalogue.byStreamer(s);
        const q = inst ? this.catalogue.quotes.get(inst.symbol) : undefined;
        return q ? { bidPrice: q.bid, askPrice: q.ask, bidSize: '100', askSize: '100' } : undefined;
      },
    });
    this.server = new EmulatorServer({
      name: 'tastytrade',
      ...(opts.port !== undefined ? { port: opts.port } : {}),
      ...(opts.log ? { log: opts.log } : {}),
      streamPath: '/streamer',
      streamPaths: ['/dxlink'],
      auth: (r) => this.auth(r),
    });
    this.server.on('streamConnection', (ws, req) => (new URL(req.url ?? '/', 'http://x').pathname === '/dxlink' ? this.dxlink.attach(ws) : this.streamer.attach(ws)));
    this.routes();
    this.commands();
  }

  now(): number {
    return this.baseNow() + this.offsetMs;
  }

  get url(): string {
    return this.server.url;
  }

  get streamerUrl(): string {
    return `ws://127.0.0.1:${this.server.port}/streamer`;
  }

  async start(): Promise<void> {
    await this.server.start();
  }

  async stop(): Promise<void> {
    this.streamer.close();
    this.dxlink.close();
    await this.server.stop();
  }

  /** Orders carrying this external identifier (a resend would make two). */
  ordersWithIdentifier(ext: string): number {
    return [...this.account.orders.values()].filter((o) => o['external-identifier'] === ext).length;
  }

  /** Every access token expires now (a session outliving its token). */
  expireTokens(): void {
    for (const t of this.tokens.keys()) this.tokens.set(t, this.now() - 1);
  }

  private validToken(token: string): boolean {
    const exp = this.tokens.get(token);
    return exp !== undefined && exp > this.now();
  }

  private publish(c: TtChange): void {
    this.streamer.publish(this.accountNumber, c.type, c.data);
  }

  private auth(r: KitRequest): KitResponse | undefined {
    if (r.path === '/streamer' || r.path === '/dxlink') return undefined;
    const ua = r.headers['user-agent'];
    if (typeof ua !== 'string' || ua.trim() === '') return fail(new TtError(400, 'missing_user_agent', 'A User-Agent header is required (product/version)'));
    if (r.path === '/oauth/token') return undefined;
    const header = r.headers['authorization'];
    const token = typeof header === 'string' ? header.replace(/^Bearer\s+/i, '') : '';
    if (!token) return fail(new TtError(401, 'unauthorized', 'Missing Authorization header'));
    if (!this.tokens.has(token)) return fail(new TtError(401, 'invalid_token', 'The access token is invalid'));
    if (!this.validToken(token)) return fail(new TtError(401, 'token_expired', 'The access token has expired'));
    return undefined;
  }

  private oauth(r: KitRequest): KitResponse {
    const b = (r.json && typeof r.json === 'object' ? r.json : Object.fromEntries(new URLSearchParams(r.body))) as Record<string, unknown>;
    if (b['grant_type'] !== 'refresh_token') return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'grant_type must be refresh_token' } };
    if (b['client_secret'] !== this.clientSecret || b['refresh_token'] !== this.refreshToken)
      return { status: 401, body: { error: 'invalid_grant', error_description: 'Invalid refresh token or client secret' } };
    const token = `tt-at-${randomUUID()}`;
    const ttl = this.opts.tokenTtlS ?? 900;
    this.tokens.set(token, this.now() + ttl * 1000);
    this.tokensIssued++;
    return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: ttl, ...(typeof b['scope'] === 'string' ? { scope: b['scope'] } : {}) } };
  }

  private acct(r: KitRequest): Accounts {
    if (r.params['account'] !== this.accountNumber) throw new TtError(404, 'record_not_found', `Account ${r.params['account']} not found`);
    return this.account;
  }

  private routes(): void {
    const s = this.server;
    const get = (p: string, h: Handler): void => void s.route('GET', p, wrap(h));
    s.route('POST', '/oauth/token', (r) => this.oauth(r));
    get('/customers/me/accounts', () =>
      ok({
        items: [
          {
            account: { 'account-number': this.accountNumber, nickname: 'Individual', 'account-type-name': 'Individual', 'margin-or-cash': 'Margin', 'is-closed': false, 'is-futures-approved': true },
            'authority-level': 'owner',
          },
        ],
      }),
    );
    get('/accounts/:account/balances', (r) => ok(this.acct(r).balances()));
    get('/accounts/:account/positions', (r) => ok({ items: [...this.acct(r).positions.values()].filter((p) => !p.qty.isZero()).map((p) => this.account.positionView(p)) }));
    get('/instruments/equities/:symbol', (r) => ok(this.instrument(r.params['symbol']!, 'Equity')));
    get('/instruments/equities', (r) =>
      ok({
        items: r.query
          .getAll('symbol[]')
          .map((x) => this.catalogue.get(x))
          .filter((i) => i?.type === 'Equity')
          .map((i) => i!.body),
      }),
    );
    get('/instruments/futures/:symbol', (r) => ok(this.instrument(r.params['symbol']!.startsWith('/') ? r.params['symbol']! : `/${r.params['symbol']}`, 'Future')));
    get('/instruments/futures', (r) => {
      const codes = r.query.getAll('product-code[]');
      const syms = r.query.getAll('symbol[]');
      return ok({
        items: this.catalogue
          .of('Future')
          .filter((f) => (codes.length === 0 || codes.includes(f.underlying)) && (syms.length === 0 || syms.includes(f.symbol)))
          .map((f) => f.body),
      });
    });
    get('/instruments/equity-options/:symbol', (r) => ok(this.instrument(r.params['symbol']!, 'Equity Option')));
    get('/instruments/equity-options', (r) =>
      ok({
        items: r.query
          .getAll('symbol[]')
          .map((x) => this.catalogue.get(x))
          .filter((i) => i?.type === 'Equity Option')
          .map((i) => i!.body),
      }),
    );
    get('/instruments/cryptocurrencies/:symbol', (r) => ok(this.instrument(r.params['symbol']!, 'Cryptocurrency')));
    get('/instruments/cryptocurrencies', (r) => {
      const syms = r.query.getAll('symbol[]');
      return ok({
        items: this.catalogue
          .of('Cryptocurrency')
          .filter((c) => syms.length === 0 || syms.includes(c.symbol))
          .map((c) => c.body),
      });
    });
    get('/option-chains/:symbol/nested', (r) => {
      const chain = this.catalogue.nestedChain(r.params['symbol']!);
      if (!chain) throw new TtError(404, 'record_not_found', `No option chain for ${r.params['symbol']}`);
      return ok({ items: [chain] });
    });
    get('/api-quote-tokens', () => {
      const token = `dx-${randomUUID()}`;
      this.quoteTokens.add(token);
      return ok({
        token,
        'dxlink-url': `ws://127.0.0.1:${s.port}/dxlink`,
        level: 'api',
        'issued-at': new Date(this.now()).toISOString(),
        'expires-at': new Date(this.now() + 86_400_000).toISOString(),
      });
    });
    s.route(
      'POST',
      '/accounts/:account/orders/dry-run',
      wrap((r) => ({ status: 201, body: { data: this.acct(r).dryRun(r.json), context: r.path } })),
    );
    s.route(
      'POST',
      '/accounts/:account/orders',
      wrap((r) => ({ status: 201, body: { data: this.acct(r).create(r.json), context: r.path } })),
    );
    get('/accounts/:account/orders/live', (r) =>
      ok({
        items: this.acct(r)
          .live()
          .map((o) => this.account.view(o)),
      }),
    );
    get('/accounts/:account/orders/:id', (r) => ok(this.account.view(this.acct(r).get(r.params['id']!))));
    get('/accounts/:account/orders', (r) => this.search(r));
    s.route(
      'PUT',
      '/accounts/:account/orders/:id',
      wrap((r) => ok(this.account.view(this.acct(r).replace(r.params['id']!, r.json)))),
    );
    s.route(
      'DELETE',
      '/accounts/:account/orders/:id',
      wrap((r) => ok(this.account.view(this.acct(r).cancel(r.params['id']!)))),
    );
  }

  private instrument(symbol: string, type: TtInstrumentType): unknown {
    const i = this.catalogue.get(symbol);
    if (!i || i.type !== type) throw new TtError(404, 'record_not_found', `${type} ${symbol} not found`);
    return i.body;
  }

  /** `GET /accounts/:n/orders`: newest first, `per-page` (≤ 200, default 10), `page-offset`, `status[]`, `underlying-symbol`. */
  private search(r: KitRequest): KitResponse {
    const acct = this.acct(r);
    const per = Math.min(PAGE_MAX, Math.max(1, Number(r.query.get('per-page') ?? '10') || 10));
    const page = Math.max(0, Number(r.query.get('page-offset') ?? '0') || 0);
    const statuses = r.query.getAll('status[]');
    const under = r.query.get('underlying-symbol');
    const all = [...acct.orders.values()].filter((o) => (statuses.length === 0 || statuses.includes(o.status)) && (!under || o['underlying-symbol'] === under));
    if (r.query.get('sort') !== 'Asc') all.reverse();
    const items = all.slice(page * per, page * per + per).map((o) => acct.view(o));
    const pages = Math.ceil(all.length / per);
    return {
      status: 200,
      body: {
        data: { items },
        context: r.path,
        pagination: {
          'per-page': per,
          'page-offset': page,
          'item-offset': page * per,
          'total-items': all.length,
          'total-pages': pages,
          'current-item-count': items.length,
          'previous-link': null,
          'next-link': null,
          'paging-link-template': null,
        },
      },
    };
  }

  private find(b: Record<string, unknown>): ReturnType<Accounts['get']> {
    if (b['id'] !== undefined) return this.account.get(String(b['id']));
    const ext = String(b['external-identifier'] ?? b['externalIdentifier'] ?? '');
    const o = [...this.account.orders.values()].reverse().find((x) => x['external-identifier'] === ext && this.account.isLive(x));
    if (!o) throw new Error(`no live order with external-identifier ${ext}`);
    return o;
  }

  private commands(): void {
    const s = this.server;
    s.command('fill', (b) => {
      const o = this.find(b);
      const leg = o.legs[0]!;
      const q = this.catalogue.quotes.get(leg.symbol)!;
      // A spread: `prices`, one per leg.
      const price = Array.isArray(b['prices']) ? (b['prices'] as unknown[]).map(String) : String(b['price'] ?? (leg.action.startsWith('Buy') ? q.ask : q.bid));
      return this.account.view(this.account.fill(o, String(b['qty'] ?? leg['remaining-quantity']), price));
    });
    s.command('set-quote', (b) => {
      const symbol = String(b['symbol']);
      const inst = this.catalogue.get(symbol);
      if (!inst) throw new Error(`unknown symbol ${symbol}`);
      this.catalogue.quotes.set(symbol, { bid: String(b['bid']), ask: String(b['ask']) });
      this.dxlink.pushQuote(inst.streamerSymbol);
      return this.catalogue.quotes.get(symbol);
    });
    s.command('dxlink-outage', (b) => ({ dropped: this.dxlink.outage(b['down'] !== false), down: b['down'] !== false }));
    s.command('streamer-outage', (b) => ({ dropped: this.streamer.outage(b['down'] !== false), down: b['down'] !== false }));
    s.command('reject-next', (b) => {
      this.account.rejectNext = String(b['message'] ?? 'Order rejected by the emulator');
      return { rejectNext: this.account.rejectNext };
    });
    s.command('expire-tokens', () => {
      this.expireTokens();
      return { expired: this.tokens.size };
    });
    s.command('set-time', (b) => {
      this.offsetMs = Number(b['epochMs']) - this.baseNow();
      return { now: new Date(this.now()).toISOString() };
    });
    s.command('set-cash', (b) => {
      this.account.cash = new Decimal(String(b['cash']));
      this.publish({ type: 'AccountBalance', data: this.account.balances() });
      return this.account.balances();
    });
    s.command('external-order', (b) => this.account.view(this.account.get(String((this.account.create(b['order'] ?? b) as { order: { id: number } }).order.id))));
    s.state(() => ({
      account: this.accountNumber,
      orders: [...this.account.orders.values()].map((o) => ({
        id: o.id,
        status: o.status,
        'external-identifier': o['external-identifier'] ?? null,
        legs: o.legs.map((l) => `${l.action} ${l.quantity} ${l.symbol}`),
      })),
      positions: [...this.account.positions.values()].map((p) => ({ symbol: p.inst.symbol, qty: p.qty.toString() })),
      cash: this.account.cash.toString(),
      tokens: this.tokens.size,
      streamer: this.streamer.state(),
      dxlink: this.dxlink.state(),
    }));
  }
}

function ok(data: unknown): KitResponse {
  return { status: 200, body: { data, context: '' } };
}

function fail(e: TtError): KitResponse {
  return { status: e.status, body: e.body() };
}

function wrap(h: Handler): Handler {
  return (r) => {
    try {
      return h(r);
    } catch (e) {
      if (e instanceof TtError) return fail(e);
      throw e;
    }
  };
}
