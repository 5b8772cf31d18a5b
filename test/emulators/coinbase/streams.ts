/**
 * Coinbase Advanced Trade WebSocket on the emulator (coinbase.md "WebSocket"): one subscribe
 * message per channel, `{type, channel, product_ids?, jwt?}`; the `user` channel needs a valid
 * JWT (no `uri` claim). Every frame is `{channel, client_id, timestamp, sequence_num, events}`
 * with `sequence_num` counted per connection (the kit's `gap` fault skips numbers). `heartbeats`
 * every `heartbeatMs`; a socket with no subscription after `idleCloseMs` is closed.
 */
import type { RawData, WebSocket } from 'ws';
import type { FaultState } from '../kit/faults';

export interface StreamHooks {
  /** Why the JWT is refused, or undefined. */
  readonly jwtProblem: (token: string) => string | undefined;
  /** The `user` snapshot's orders (open orders). */
  readonly userSnapshot: () => unknown[];
  /** The level2 snapshot's updates for a product, or undefined for an unknown product. */
  readonly bookSnapshot: (productId: string) => unknown[] | undefined;
  /** The `ticker` row of a product (its snapshot on subscribe). */
  readonly tickerRow: (productId: string) => unknown;
  readonly now: () => number;
  readonly faults: FaultState;
}

interface Client {
  readonly ws: WebSocket;
  seq: number;
  readonly channels: Map<string, Set<string>>;
  heartbeat?: ReturnType<typeof setInterval>;
  counter: number;
  idle?: ReturnType<typeof setTimeout>;
}

export class CoinbaseStreams {
  private readonly clients = new Set<Client>();
  private readonly gaps = new Map<string, number>();

  constructor(
    private readonly hooks: StreamHooks,
    private readonly opts: { heartbeatMs: number; idleCloseMs: number } = { heartbeatMs: 1000, idleCloseMs: 5000 },
  ) {}

  attach(ws: WebSocket): void {
    const c: Client = { ws, seq: 0, channels: new Map(), counter: 0 };
    this.clients.add(c);
    c.idle = setTimeout(() => c.channels.size === 0 && ws.close(1000, 'no subscription'), this.opts.idleCloseMs);
    ws.on('message', (raw: RawData) => this.onMessage(c, raw.toString()));
    ws.on('close', () => {
      clearInterval(c.heartbeat);
      clearTimeout(c.idle);
      this.clients.delete(c);
    });
  }

  private send(c: Client, channel: string, events: unknown[]): void {
    // The kit's `gap` fault hits the next frame of a socket carrying `user` (the order stream);
    // `gapNext(channel)` the next frame on one channel (level2 arrives as `l2_data`).
    let skip = 0;
    if (c.channels.has('user') && this.hooks.faults.pendingGap > 0) {
      skip = this.hooks.faults.pendingGap;
      this.hooks.faults.pendingGap = 0;
    } else if ((this.gaps.get(channel) ?? 0) > 0) {
      skip = this.gaps.get(channel)!;
      this.gaps.delete(channel);
    }
    c.seq += 1 + skip;
    c.ws.send(JSON.stringify({ channel, client_id: '', timestamp: new Date(this.hooks.now()).toISOString(), sequence_num: c.seq - 1, events }));
  }

  private error(c: Client, message: string): void {
    c.ws.send(JSON.stringify({ type: 'error', message }));
  }

  private onMessage(c: Client, text: string): void {
    let m: { type?: unknown; channel?: unknown; product_ids?: unknown; jwt?: unknown };
    try {
      m = JSON.parse(text) as typeof m;
    } catch {
      return this.error(c, 'malformed JSON');
    }
    const channel = typeof m.channel === 'string' ? m.channel : '';
    const ids = Array.isArray(m.product_ids) ? m.product_ids.map(String) : [];
    if (m.type !== 'subscribe' && m.type !== 'unsubscribe') return this.error(c, `unknown type ${String(m.type)}`);
    if (!['heartbeats', 'user', 'level2', 'ticker', 'market_trades'].includes(channel)) return this.error(c, `unknown channel ${channel}`);
    const jwt = typeof m.jwt === 'string' ? m.jwt : undefined;
    const problem = jwt === undefined ? (channel === 'user' ? 'jwt required' : undefined) : this.hooks.jwtProblem(jwt);
    if (problem) return this.error(c, `authentication failure: ${problem}`);
    if (m.type === 'unsubscribe') {
      const set = c.channels.get(channel);
      for (const id of ids) set?.delete(id);
      if (!set || ids.length === 0 || set.size === 0) c.channels.delete(channel);
      if (channel === 'heartbeats') clearInterval(c.heartbeat);
      return this.subscriptions(c);
    }
    if (channel !== 'user' && channel !== 'heartbeats' && ids.some((id) => this.hooks.bookSnapshot(id) === undefined)) return this.error(c, `unknown product id in ${ids.join(',')}`);
    const set = c.channels.get(channel) ?? new Set<string>();
    c.channels.set(channel, set);
    for (const id of ids) set.add(id);
    this.subscriptions(c);
    if (channel === 'heartbeats' && !c.heartbeat)
      c.heartbeat = setInterval(() => this.send(c, 'heartbeats', [{ current_time: new Date(this.hooks.now()).toISOString(), heartbeat_counter: ++c.counter }]), this.opts.heartbeatMs);
    if (channel === 'user') this.send(c, 'user', [{ type: 'snapshot', orders: this.hooks.userSnapshot(), positions: { perpetual_futures_positions: [], expiring_futures_positions: [] } }]);
    if (channel === 'ticker') this.send(c, 'ticker', [{ type: 'snapshot', tickers: ids.map((id) => this.hooks.tickerRow(id)) }]);
    if (channel === 'level2') for (const id of ids) this.send(c, 'l2_data', [{ type: 'snapshot', product_id: id, updates: this.hooks.bookSnapshot(id) }]);
  }

  private subscriptions(c: Client): void {
    this.send(c, 'subscriptions', [{ subscriptions: Object.fromEntries([...c.channels].map(([k, v]) => [k, [...v]])) }]);
  }

  /** An order changed: every `user` subscriber hears it (all products, or the ones it named). */
  userUpdate(order: { product_id: string }): void {
    for (const c of this.clients) {
      const set = c.channels.get('user');
      if (set && (set.size === 0 || set.has(order.product_id))) this.send(c, 'user', [{ type: 'update', orders: [order] }]);
    }
  }

  /** Book changes on a product: each level2 subscriber gets them on `l2_data`. */
  bookUpdate(productId: string, updates: unknown[]): void {
    for (const c of this.clients) if (c.channels.get('level2')?.has(productId)) this.send(c, 'l2_data', [{ type: 'update', product_id: productId, updates }]);
  }

  /** A trade on a product: `market_trades` and `ticker` subscribers. */
  trade(productId: string, trade: Record<string, unknown>, ticker: Record<string, unknown>): void {
    for (const c of this.clients) {
      if (c.channels.get('market_trades')?.has(productId)) this.send(c, 'market_trades', [{ type: 'update', trades: [trade] }]);
      if (c.channels.get('ticker')?.has(productId)) this.send(c, 'ticker', [{ type: 'update', tickers: [ticker] }]);
    }
  }

  /** A product's ticker changed (a trade): each `ticker` subscriber of it gets the row. */
  ticker(productId: string, row: unknown): void {
    for (const c of this.clients) if (c.channels.get('ticker')?.has(productId)) this.send(c, 'ticker', [{ type: 'update', tickers: [row] }]);
  }

  /** The next frame on `channel` skips `count` sequence numbers. */
  gapNext(channel: string, count = 1): void {
    this.gaps.set(channel, (this.gaps.get(channel) ?? 0) + count);
  }

  get subscribers(): number {
    return [...this.clients].filter((c) => c.channels.size > 0).length;
  }

  close(): void {
    for (const c of this.clients) {
      clearInterval(c.heartbeat);
      clearTimeout(c.idle);
    }
  }
}
