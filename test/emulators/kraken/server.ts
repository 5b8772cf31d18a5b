/**
 * Kraken spot emulator (docs.kraken.com, REST + WebSocket v2) on the emulator kit. REST: public
 * Time, Assets, AssetPairs, Ticker, Depth, OHLC (bars of the public tape, ohlc.ts); private POST endpoints signed with
 * `API-Sign = base64(HMAC-SHA512(base64decode(secret), path + SHA256(nonce + body)))` and a
 * strictly increasing nonce per key; Kraken's `{"error":[…],"result":…}` envelope (HTTP 200 with
 * error strings) and its decaying per-key call counter. One pair, XBT/USD (`XXBTZUSD`).
 * WS v2 on `/v2`: `book` (snapshot + updates with the CRC32 checksum of the top 10 levels).
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { EmulatorServer, type KitRequest, type KitResponse } from '../kit';
import { KrakenBook } from './book';
import { KrakenOrders, type Fields } from './orders';
import { KrakenOhlc } from './ohlc';

export interface KrakenEmulatorOptions {
  readonly port?: number;
  readonly apiKey?: string;
  /** base64 secret, as Kraken issues it. */
  readonly apiSecret?: string;
  /** The call counter ceiling and its decay per second (Kraken starter tier: 15, 0.33). */
  readonly counterMax?: number;
  readonly counterDecayPerSec?: number;
  readonly now?: () => number;
  readonly log?: (line: string) => void;
}

export const KRAKEN_PAIR = 'XXBTZUSD';
export const KRAKEN_WS_SYMBOL = 'BTC/USD';
const OHLC_PAIRS = new Set(['XXBTZUSD', 'XBTUSD', 'XBT/USD']);
const HISTORY = new Set(['ClosedOrders', 'QueryOrders', 'TradesHistory']);

const ok = (result: unknown): KitResponse => ({ status: 200, body: { error: [], result } });
export const krakenError = (...error: string[]): KitResponse => ({ status: 200, body: { error } });

export class KrakenEmulator {
  readonly server: EmulatorServer;
  readonly book: KrakenBook;
  readonly orders: KrakenOrders;
  readonly ohlc = new KrakenOhlc();
  readonly apiKey: string;
  readonly apiSecret: string;
  private lastNonce = 0n;
  /** `reject-next`: the next AddOrder (not a validate) is refused with this Kraken error string. */
  private rejectNext: string | undefined;
  private counter = 0;
  private counterAt = 0;
  private readonly now: () => number;

  constructor(private readonly opts: KrakenEmulatorOptions = {}) {
    this.apiKey = opts.apiKey ?? 'kraken-key';
    this.apiSecret = opts.apiSecret ?? Buffer.from('kraken-emulator-secret').toString('base64');
    this.now = opts.now ?? Date.now;
    this.server = new EmulatorServer({ name: 'kraken', streamPath: '/v2', ...(opts.port !== undefined ? { port: opts.port } : {}), ...(opts.log ? { log: opts.log } : {}) });
    this.book = new KrakenBook(this.server);
    this.orders = new KrakenOrders(this.book, this.now);
    this.book.onTrade = (t, at) => this.ohlc.trade(t.price, t.qty, at);
    const s = this.server;
    s.route('GET', '/0/public/Time', () => ok({ unixtime: Math.floor(this.now() / 1000), rfc1123: new Date(this.now()).toUTCString() }));
    s.route('GET', '/0/public/Assets', () => ok(ASSETS));
    s.route('GET', '/0/public/AssetPairs', () => ok({ [KRAKEN_PAIR]: PAIR }));
    s.route('GET', '/0/public/Ticker', () => ok({ [KRAKEN_PAIR]: this.book.ticker() }));
    s.route('GET', '/0/public/OHLC', (r) => {
      if (!OHLC_PAIRS.has(r.query.get('pair') ?? '')) return krakenError('EQuery:Unknown asset pair');
      const a = this.ohlc.answer(r.query.get('interval'), r.query.get('since'));
      return a.ok ? ok({ [KRAKEN_PAIR]: a.rows, last: a.last }) : krakenError(a.error);
    });
    s.route('GET', '/0/public/Depth', (r) => ok({ [KRAKEN_PAIR]: this.book.depth(Number(r.query.get('count') ?? 100)) }));
    s.route('POST', '/0/private/:method', (r) => this.private(r));
    s.command('fill', (b) => this.orders.fill(String(b['txid'] ?? b['cl_ord_id']), String(b['volume']), b['price'] === undefined ? undefined : String(b['price'])));
    s.command('reject-next', (b) => {
      this.rejectNext = String(b['error'] ?? 'EOrder:Insufficient funds');
      return { armed: this.rejectNext };
    });
    s.command(
      'external-order',
      (b) => this.orders.add({ pair: KRAKEN_PAIR, type: String(b['type'] ?? 'sell'), ordertype: 'limit', volume: String(b['volume'] ?? '1'), price: String(b['price'] ?? '250') }).body,
    );
    s.command('public-trade', (b) => this.book.trade(b['side'] === 'sell' ? 'sell' : 'buy', String(b['price']), String(b['qty']), b['ordType'] === 'limit' ? 'limit' : 'market', this.now()));
    s.command('market-outage', (b) => ({ dropped: this.book.marketOutage(b['down'] !== false), down: b['down'] !== false }));
    s.command('set-book', (b) => this.book.set(b['bids'] as [string, string][], b['asks'] as [string, string][]));
    s.command('book-update', (b) => this.book.update(b['bids'] as [string, string][] | undefined, b['asks'] as [string, string][] | undefined, b['corrupt'] === true));
    s.state(() => ({ orders: this.orders.all(), trades: this.orders.trades, deadMan: this.orders.deadMan(), counter: this.decayedCounter(), book: this.book.levels() }));
  }

  get url(): string {
    return this.server.url;
  }

  get wsUrl(): string {
    return this.server.streamUrl;
  }

  start(): Promise<void> {
    return this.server.start();
  }

  async stop(): Promise<void> {
    this.orders.stopTimers();
    await this.server.stop();
  }

  private decayedCounter(): number {
    const t = this.now();
    const decay = this.opts.counterDecayPerSec ?? 0.33;
    this.counter = Math.max(0, this.counter - ((t - this.counterAt) / 1000) * decay);
    this.counterAt = t;
    return this.counter;
  }

  private private(r: KitRequest): KitResponse {
    const method = r.params['method']!;
    const fields: Fields = r.headers['content-type']?.includes('json') ? stringsOf(r.json) : Object.fromEntries(new URLSearchParams(r.body));
    if (r.headers['api-key'] !== this.apiKey) return krakenError('EAPI:Invalid key');
    const nonce = fields['nonce'];
    if (nonce === undefined || !/^\d+$/.test(nonce)) return krakenError('EAPI:Invalid nonce');
    const expected = createHmac('sha512', Buffer.from(this.apiSecret, 'base64'))
      .update(
        Buffer.concat([
          Buffer.from(r.path),
          createHash('sha256')
            .update(nonce + r.body)
            .digest(),
        ]),
      )
      .digest('base64');
    if (r.headers['api-sign'] !== expected) return krakenError('EAPI:Invalid signature');
    if (BigInt(nonce) <= this.lastNonce) return krakenError('EAPI:Invalid nonce');
    this.lastNonce = BigInt(nonce);
    const cost = HISTORY.has(method) ? 2 : method === 'AddOrder' || method === 'CancelOrder' || method === 'AmendOrder' ? 0 : 1;
    if (this.decayedCounter() + cost > (this.opts.counterMax ?? 15)) return krakenError('EAPI:Rate limit exceeded');
    this.counter += cost;
    return this.dispatch(method, fields);
  }

  private dispatch(method: string, f: Fields): KitResponse {
    const o = this.orders;
    switch (method) {
      case 'Balance':
        return ok(o.balances());
      case 'BalanceEx':
        return ok(Object.fromEntries(Object.entries(o.balances()).map(([a, b]) => [a, { balance: b, hold_trade: o.held(a) }])));
      case 'OpenOrders':
        return ok({ open: o.view((x) => x.status === 'open' || x.status === 'pending') });
      case 'ClosedOrders':
        return ok({ closed: o.view((x) => x.status === 'closed' || x.status === 'canceled' || x.status === 'expired'), count: o.all().length });
      case 'QueryOrders':
        return o.query(f);
      case 'TradesHistory':
        return ok({ trades: o.tradesView(), count: o.trades.length });
      case 'AddOrder':
        if (this.rejectNext !== undefined && f['validate'] !== 'true') {
          const e = this.rejectNext;
          this.rejectNext = undefined;
          return krakenError(e);
        }
        return o.add(f);
      case 'AmendOrder':
        return o.amend(f);
      case 'CancelOrder':
        return o.cancel(f);
      case 'CancelAll':
        return ok({ count: o.cancelAll() });
      case 'CancelAllOrdersAfter':
        return ok(o.armDeadMan(Number(f['timeout'] ?? 0)));
      case 'TradeVolume': {
        const volume = o.trades.reduce((sum, t) => sum.plus(t.cost), new Decimal(0));
        const at = (schedule: number[][]) =>
          schedule
            .filter(([v]) => volume.gte(v!))
            .at(-1)![1]!
            .toFixed(4);
        return ok({ currency: 'ZUSD', volume: volume.toFixed(4), fees: { [KRAKEN_PAIR]: { fee: at(PAIR.fees) } }, fees_maker: { [KRAKEN_PAIR]: { fee: at(PAIR.fees_maker) } } });
      }
      case 'GetWebSocketsToken':
        return ok({ token: this.book.issueToken(randomUUID()), expires: 900 });
      default:
        return krakenError('EGeneral:Unknown method');
    }
  }
}

function stringsOf(json: unknown): Fields {
  const out: Record<string, string> = {};
  if (json && typeof json === 'object') for (const [k, v] of Object.entries(json)) out[k] = String(v);
  return out;
}

const ASSETS = {
  XXBT: { aclass: 'currency', altname: 'XBT', decimals: 10, display_decimals: 5, collateral_value: 1, status: 'enabled' },
  ZUSD: { aclass: 'currency', altname: 'USD', decimals: 4, display_decimals: 2, collateral_value: 1, status: 'enabled' },
};

const PAIR = {
  altname: 'XBTUSD',
  wsname: 'XBT/USD',
  aclass_base: 'currency',
  base: 'XXBT',
  aclass_quote: 'currency',
  quote: 'ZUSD',
  lot: 'unit',
  cost_decimals: 5,
  pair_decimals: 1,
  lot_decimals: 8,
  lot_multiplier: 1,
  leverage_buy: [],
  leverage_sell: [],
  fees: [
    [0, 0.4],
    [10000, 0.35],
  ],
  fees_maker: [
    [0, 0.25],
    [10000, 0.2],
  ],
  fee_volume_currency: 'ZUSD',
  margin_call: 80,
  margin_stop: 40,
  ordermin: '0.0001',
  costmin: '0.5',
  tick_size: '0.1',
  status: 'online',
};

export const PAIR_PRECISION = { price: PAIR.pair_decimals, qty: PAIR.lot_decimals, ordermin: new Decimal(PAIR.ordermin), tick: new Decimal(PAIR.tick_size) };
