/**
 * The emulator's XBT/USD book and its WebSocket v2 side: `book` snapshot + updates carrying the
 * documented CRC32 checksum, `ticker`, `trade` (a snapshot of the last 50 trades on subscribe,
 * then one update per trade: side, price, qty, ord_type, trade_id, timestamp), and the private
 * `executions` channel (token from GetWebSocketsToken). Levels are kept as wire strings at the pair's precision.
 */
import Decimal from 'decimal.js';
import type { WebSocket } from 'ws';
import type { EmulatorServer } from '../kit';
import { bookChecksum, type WireLevel } from './checksum';

const SYMBOL = 'BTC/USD';
const PRICE_DP = 1;
const QTY_DP = 8;

interface Sub {
  readonly ws: WebSocket;
  depth: number;
  book: boolean;
  ticker: boolean;
  trade: boolean;
  executions: boolean;
}

/** One public trade as the v2 `trade` channel carries it. */
export interface PublicTrade {
  readonly side: 'buy' | 'sell';
  readonly price: string;
  readonly qty: string;
  readonly ord_type: 'market' | 'limit';
  readonly trade_id: number;
  readonly timestamp: string;
}

const lvl = (price: string | Decimal, qty: string | Decimal): WireLevel => ({ price: new Decimal(price).toFixed(PRICE_DP), qty: new Decimal(qty).toFixed(QTY_DP) });

export class KrakenBook {
  private bids: WireLevel[] = [lvl('99.9', '1'), lvl('99.8', '2'), lvl('99.5', '3')];
  private asks: WireLevel[] = [lvl('100.1', '1'), lvl('100.2', '2'), lvl('100.5', '3')];
  private readonly subs = new Map<WebSocket, Sub>();
  private readonly tokens = new Set<string>();
  /** The last 50 public trades, oldest first. */
  private readonly tape: PublicTrade[] = [];
  private nextTradeId = 1;
  private marketDown = false;
  /** Told of every public trade (the OHLC bars are built from the tape). */
  onTrade: ((t: PublicTrade, now: number) => void) | undefined;

  constructor(server: EmulatorServer) {
    server.on('streamConnection', (ws) => {
      const sub: Sub = { ws, depth: 10, book: false, ticker: false, trade: false, executions: false };
      this.subs.set(ws, sub);
      ws.on('close', () => this.subs.delete(ws));
      ws.on('message', (data) => this.onMessage(sub, String(data)));
    });
  }

  /**
   * The public feed alone goes down (`down`) or comes back: sockets carrying book, ticker or trade
   * (and no executions) are terminated without a close frame, and while down a socket subscribing to
   * one of them is too. Returns how many it dropped.
   */
  marketOutage(down: boolean): number {
    this.marketDown = down;
    if (!down) return 0;
    const hit = [...this.subs.values()].filter((x) => (x.book || x.ticker || x.trade) && !x.executions);
    for (const x of hit) {
      this.subs.delete(x.ws);
      x.ws.terminate();
    }
    return hit.length;
  }

  issueToken(token: string): string {
    this.tokens.add(token);
    return token;
  }

  /** Sockets subscribed to `executions` (tests wait for a client's subscription with it). */
  executionSubscribers(): number {
    return [...this.subs.values()].filter((s) => s.executions).length;
  }

  levels(): { bids: WireLevel[]; asks: WireLevel[] } {
    return { bids: [...this.bids], asks: [...this.asks] };
  }

  bestBid(): Decimal {
    return new Decimal(this.bids[0]?.price ?? '0');
  }

  bestAsk(): Decimal {
    return new Decimal(this.asks[0]?.price ?? '0');
  }

  ticker(): Record<string, unknown> {
    const b = this.bids[0];
    const a = this.asks[0];
    return { a: [a?.price, '1', a?.qty], b: [b?.price, '1', b?.qty], c: [a?.price, '0'], v: ['0', '0'], p: ['0', '0'], t: [0, 0], l: [b?.price, b?.price], h: [a?.price, a?.price], o: a?.price };
  }

  depth(count: number): Record<string, unknown> {
    const row = (l: WireLevel) => [l.price, l.qty, Math.floor(Date.now() / 1000)];
    return { asks: this.asks.slice(0, count).map(row), bids: this.bids.slice(0, count).map(row) };
  }

  checksum(): number {
    return bookChecksum(this.asks, this.bids);
  }

  set(bids: [string, string][], asks: [string, string][]): unknown {
    this.bids = bids.map(([p, q]) => lvl(p, q)).sort((x, y) => new Decimal(y.price).cmp(x.price));
    this.asks = asks.map(([p, q]) => lvl(p, q)).sort((x, y) => new Decimal(x.price).cmp(y.price));
    for (const s of this.subs.values()) if (s.book) this.sendSnapshot(s);
    return { checksum: this.checksum() };
  }

  /** Applies level changes (qty 0 deletes) and streams them; `corrupt` sends a wrong checksum once. */
  update(bids: [string, string][] = [], asks: [string, string][] = [], corrupt = false): unknown {
    const b = bids.map(([p, q]) => lvl(p, q));
    const a = asks.map(([p, q]) => lvl(p, q));
    this.bids = apply(this.bids, b, (x, y) => new Decimal(y).cmp(x));
    this.asks = apply(this.asks, a, (x, y) => new Decimal(x).cmp(y));
    const checksum = corrupt ? (this.checksum() + 1) >>> 0 : this.checksum();
    for (const s of this.subs.values()) {
      if (!s.book) continue;
      s.ws.send(bookMessage('update', b, a, checksum));
    }
    return { checksum: this.checksum() };
  }

  /** A trade on the public tape (ours or anyone's), streamed to `trade` subscribers. */
  trade(side: 'buy' | 'sell', price: string | Decimal, qty: string | Decimal, ordType: 'market' | 'limit', now: number): PublicTrade {
    const l = lvl(price, qty);
    const t: PublicTrade = { side, price: l.price, qty: l.qty, ord_type: ordType, trade_id: this.nextTradeId++, timestamp: new Date(now).toISOString() };
    this.tape.push(t);
    if (this.tape.length > 50) this.tape.shift();
    this.onTrade?.(t, now);
    for (const s of this.subs.values()) if (s.trade) s.ws.send(tradeMessage('update', [t]));
    return t;
  }

  /** A private `executions` event to every authenticated subscriber. */
  execution(data: Record<string, unknown>): void {
    for (const s of this.subs.values()) if (s.executions) s.ws.send(JSON.stringify({ channel: 'executions', type: 'update', data: [data] }));
  }

  private sendSnapshot(s: Sub): void {
    s.ws.send(bookMessage('snapshot', this.bids.slice(0, s.depth), this.asks.slice(0, s.depth), this.checksum()));
  }

  private onMessage(s: Sub, text: string): void {
    let m: { method?: string; params?: { channel?: string; symbol?: string[]; depth?: number; token?: string }; req_id?: number };
    try {
      m = JSON.parse(text) as typeof m;
    } catch {
      return void s.ws.send(JSON.stringify({ error: 'Malformed request', success: false }));
    }
    const reply = (o: Record<string, unknown>) =>
      s.ws.send(JSON.stringify({ method: m.method, ...o, time_in: new Date().toISOString(), time_out: new Date().toISOString(), ...(m.req_id !== undefined ? { req_id: m.req_id } : {}) }));
    if (m.method === 'ping') return reply({});
    if (m.method !== 'subscribe' && m.method !== 'unsubscribe') return reply({ success: false, error: 'Method not found' });
    const on = m.method === 'subscribe';
    const ch = m.params?.channel;
    if (ch === 'executions') {
      if (!m.params?.token || !this.tokens.has(m.params.token)) return reply({ success: false, error: 'EAccount:Invalid permissions' });
      s.executions = on;
      return reply({ success: true, result: { channel: ch, snap_orders: true, snap_trades: false } });
    }
    if (ch !== 'book' && ch !== 'ticker' && ch !== 'trade') return reply({ success: false, error: 'Channel not found' });
    if (this.marketDown && on) {
      this.subs.delete(s.ws);
      return void s.ws.terminate();
    }
    if (!(m.params?.symbol ?? []).includes(SYMBOL)) return reply({ success: false, error: `Currency pair not supported ${String(m.params?.symbol)}` });
    if (ch === 'book') {
      s.depth = m.params?.depth ?? 10;
      s.book = on;
      reply({ success: true, result: { channel: 'book', symbol: SYMBOL, depth: s.depth, snapshot: true } });
      if (on) this.sendSnapshot(s);
      return;
    }
    if (ch === 'trade') {
      s.trade = on;
      const snapshot = (m.params as { snapshot?: boolean } | undefined)?.snapshot !== false;
      reply({ success: true, result: { channel: 'trade', symbol: SYMBOL, snapshot } });
      if (on && snapshot) s.ws.send(tradeMessage('snapshot', this.tape));
      return;
    }
    s.ticker = on;
    reply({ success: true, result: { channel: 'ticker', symbol: SYMBOL } });
    if (on)
      s.ws.send(
        JSON.stringify({
          channel: 'ticker',
          type: 'snapshot',
          data: [
            {
              symbol: SYMBOL,
              bid: Number(this.bids[0]?.price),
              bid_qty: Number(this.bids[0]?.qty),
              ask: Number(this.asks[0]?.price),
              ask_qty: Number(this.asks[0]?.qty),
              last: Number(this.tape.at(-1)?.price ?? this.asks[0]?.price),
              volume: 0,
              vwap: 0,
              low: 0,
              high: 0,
              change: 0,
              change_pct: 0,
            },
          ],
        }),
      );
  }
}

/** Kraken sends price and qty as JSON numbers at full precision (`"qty":0.50000000`), so the text is built by hand. */
function bookMessage(type: 'snapshot' | 'update', bids: readonly WireLevel[], asks: readonly WireLevel[], checksum: number): string {
  const side = (ls: readonly WireLevel[]) => `[${ls.map((l) => `{"price":${l.price},"qty":${l.qty}}`).join(',')}]`;
  const data = `{"symbol":"${SYMBOL}","bids":${side(bids)},"asks":${side(asks)},"checksum":${checksum},"timestamp":"${new Date().toISOString()}"}`;
  return `{"channel":"book","type":"${type}","data":[${data}]}`;
}

/** Prices and quantities as JSON numbers at the pair's precision, like the book. */
function tradeMessage(type: 'snapshot' | 'update', trades: readonly PublicTrade[]): string {
  const one = (t: PublicTrade) => `{"symbol":"${SYMBOL}","side":"${t.side}","price":${t.price},"qty":${t.qty},"ord_type":"${t.ord_type}","trade_id":${t.trade_id},"timestamp":"${t.timestamp}"}`;
  return `{"channel":"trade","type":"${type}","data":[${trades.map(one).join(',')}]}`;
}

function apply(side: WireLevel[], changes: WireLevel[], cmp: (a: string, b: string) => number): WireLevel[] {
  const m = new Map(side.map((l) => [l.price, l]));
  for (const c of changes) {
    if (new Decimal(c.qty).isZero()) m.delete(c.price);
    else m.set(c.price, c);
  }
  return [...m.values()].sort((x, y) => cmp(x.price, y.price));
}
