/**
 * The emulator's order books and market streams (web-socket-streams.md):
 * - a book per symbol (price → qty), numbered by `lastUpdateId`, served by GET /api/v3/depth;
 * - `<symbol>@depth` / `@depth@100ms` diffs `{e:"depthUpdate",E,s,U,u,b,a}` (qty "0" removes a
 *   level), `<symbol>@bookTicker` `{u,s,b,B,a,A}`, `<symbol>@trade`, and after each trade
 *   `<symbol>@miniTicker` `{e:"24hrMiniTicker",E,s,c,o,h,l,v,q}` (the emulator's day: every trade
 *   since it started);
 * - raw streams at `/ws/<stream>`, combined at `/stream?streams=a/b` (frames `{stream, data}`),
 *   and `{"method":"SUBSCRIBE"|"UNSUBSCRIBE"|"LIST_SUBSCRIPTIONS","params":[…],"id":n}` on either.
 * An update can be applied without being sent (`lose`): the next one shows a gap in U.
 */
import type http from 'node:http';
import Decimal from 'decimal.js';
import type { WebSocket } from 'ws';
import type { EmulatorServer } from '../kit';
import type { SymbolSpec } from './symbols';

type Levels = Map<string, Decimal>;

const f8 = (d: Decimal.Value): string => new Decimal(d).toFixed(8);

export class MarketBook {
  readonly bids: Levels = new Map();
  readonly asks: Levels = new Map();
  lastUpdateId = 1000;
  private tradeId = 1;
  /** The day so far: open, high, low, last, base and quote volume of every trade printed. */
  day: { o: Decimal; h: Decimal; l: Decimal; c: Decimal; v: Decimal; q: Decimal } | undefined;

  constructor(
    readonly spec: SymbolSpec,
    bid: string,
    ask: string,
  ) {
    this.seed(bid, ask);
  }

  /** Five levels a side from the touch, `tickSize` apart, 10, 11, … deep. */
  seed(bid: string, ask: string): void {
    this.bids.clear();
    this.asks.clear();
    for (let i = 0; i < 5; i++) {
      this.bids.set(f8(new Decimal(bid).minus(new Decimal(this.spec.tickSize).mul(i))), new Decimal(10 + i));
      this.asks.set(f8(new Decimal(ask).plus(new Decimal(this.spec.tickSize).mul(i))), new Decimal(10 + i));
    }
    this.lastUpdateId += 1;
  }

  /** Moves the touch to `bid`/`ask` (five fresh levels a side) as one numbered diff. */
  moveTo(bid: string, ask: string): { U: number; u: number; b: string[][]; a: string[][] } {
    const before = { b: [...this.bids.keys()], a: [...this.asks.keys()] };
    this.seed(bid, ask);
    this.lastUpdateId -= 1;
    const side = (old: string[], now: Levels): Array<[string, string]> => [
      ...old.filter((p) => !now.has(p)).map((p): [string, string] => [p, '0']),
      ...[...now.entries()].map(([p, q]): [string, string] => [p, f8(q)]),
    ];
    return this.apply(side(before.b, this.bids), side(before.a, this.asks));
  }

  get bid(): string {
    return f8(Decimal.max(...[...this.bids.keys()].map((p) => new Decimal(p)), 0));
  }

  get ask(): string {
    const xs = [...this.asks.keys()].map((p) => new Decimal(p));
    return f8(xs.length > 0 ? Decimal.min(...xs) : 0);
  }

  /** Sets each `[price, qty]` (qty 0 removes); returns the diff as Binance numbers it. */
  apply(bids: ReadonlyArray<readonly [string, string]>, asks: ReadonlyArray<readonly [string, string]>, ids = 1): { U: number; u: number; b: string[][]; a: string[][] } {
    const set = (side: Levels, levels: ReadonlyArray<readonly [string, string]>) => {
      for (const [p, q] of levels) {
        if (new Decimal(q).isZero()) side.delete(f8(p));
        else side.set(f8(p), new Decimal(q));
      }
    };
    set(this.bids, bids);
    set(this.asks, asks);
    const U = this.lastUpdateId + 1;
    this.lastUpdateId += ids;
    return { U, u: this.lastUpdateId, b: bids.map(([p, q]) => [f8(p), f8(q)]), a: asks.map(([p, q]) => [f8(p), f8(q)]) };
  }

  depth(limit: number): { lastUpdateId: number; bids: string[][]; asks: string[][] } {
    const side = (m: Levels, desc: boolean) =>
      [...m.entries()]
        .sort(([a], [b]) => (desc ? new Decimal(b).cmp(a) : new Decimal(a).cmp(b)))
        .slice(0, limit)
        .map(([p, q]) => [p, f8(q)]);
    return { lastUpdateId: this.lastUpdateId, bids: side(this.bids, true), asks: side(this.asks, false) };
  }

  nextTradeId(): number {
    return this.tradeId++;
  }

  traded(price: string, qty: string): void {
    const p = new Decimal(price);
    const d = this.day ?? { o: p, h: p, l: p, c: p, v: new Decimal(0), q: new Decimal(0) };
    this.day = { o: d.o, h: Decimal.max(d.h, p), l: Decimal.min(d.l, p), c: p, v: d.v.plus(qty), q: d.q.plus(p.mul(qty)) };
  }
}

interface Client {
  readonly ws: WebSocket;
  readonly combined: boolean;
  readonly streams: Set<string>;
  /** When its last incoming messages (control messages, pings, pongs) arrived. */
  readonly heard: number[];
}

/** web-socket-streams.md "WebSocket Limits". */
export const MAX_STREAMS = 1024;
export const MAX_INCOMING_PER_SECOND = 5;

export class BinanceMarketStreams {
  private readonly clients = new Set<Client>();
  /** Market connections accepted since start, and those dropped for going over the message limit. */
  connectionsOpened = 0;
  droppedForRate = 0;

  /** Market connections open now. */
  get connections(): number {
    return this.clients.size;
  }

  constructor(
    server: EmulatorServer,
    /** True for a `/ws/<name>` that is a listenKey, not a market stream. */
    private readonly isListenKey: (name: string) => boolean,
  ) {
    server.on('streamConnection', (ws, req) => this.connected(ws, req));
  }

  private connected(ws: WebSocket, req: http.IncomingMessage): void {
    const url = new URL(req.url ?? '/', 'http://x');
    let c: Client;
    if (url.pathname === '/stream') c = { ws, combined: true, streams: new Set((url.searchParams.get('streams') ?? '').split('/').filter(Boolean)), heard: [] };
    else if (url.pathname.startsWith('/ws/') && !this.isListenKey(url.pathname.slice(4))) c = { ws, combined: false, streams: new Set(url.pathname.slice(4).split('/').filter(Boolean)), heard: [] };
    else if (url.pathname === '/ws') c = { ws, combined: false, streams: new Set(), heard: [] };
    else return;
    if (c.streams.size > MAX_STREAMS) return void ws.close(1008, `more than ${MAX_STREAMS} streams`);
    this.clients.add(c);
    this.connectionsOpened++;
    ws.on('close', () => this.clients.delete(c));
    ws.on('message', (data) => this.overLimit(c) || this.request(c, String(data)));
    ws.on('ping', () => this.overLimit(c));
    ws.on('pong', () => this.overLimit(c));
  }

  /** "A connection that goes beyond the limit will be disconnected." */
  private overLimit(c: Client): boolean {
    const now = Date.now();
    c.heard.push(now);
    while (c.heard.length > 0 && c.heard[0]! <= now - 1000) c.heard.shift();
    if (c.heard.length <= MAX_INCOMING_PER_SECOND) return false;
    this.droppedForRate++;
    this.clients.delete(c);
    c.ws.terminate();
    return true;
  }

  private request(c: Client, text: string): void {
    let m: { method?: unknown; params?: unknown; id?: unknown };
    try {
      m = JSON.parse(text) as typeof m;
    } catch {
      return void c.ws.send(JSON.stringify({ error: { code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' }, id: null }));
    }
    const params = Array.isArray(m.params) ? m.params.map(String) : [];
    if (m.method === 'SUBSCRIBE' && new Set([...c.streams, ...params]).size > MAX_STREAMS)
      return void c.ws.send(JSON.stringify({ error: { code: 2, msg: `Invalid request: a connection can listen to at most ${MAX_STREAMS} streams` }, id: m.id ?? null }));
    if (m.method === 'SUBSCRIBE') for (const s of params) c.streams.add(s);
    else if (m.method === 'UNSUBSCRIBE') for (const s of params) c.streams.delete(s);
    else if (m.method === 'LIST_SUBSCRIPTIONS') return void c.ws.send(JSON.stringify({ result: [...c.streams], id: m.id ?? null }));
    else return void c.ws.send(JSON.stringify({ error: { code: 2, msg: `Invalid request: unknown method ${String(m.method)}` }, id: m.id ?? null }));
    c.ws.send(JSON.stringify({ result: null, id: m.id ?? null }));
  }

  /** Sends `data` to every client subscribed to `stream` (or, for depth, its @100ms twin). */
  publish(names: readonly string[], data: unknown): void {
    for (const c of this.clients) {
      const name = names.find((n) => c.streams.has(n));
      if (name) c.ws.send(JSON.stringify(c.combined ? { stream: name, data } : data));
    }
  }

  depthUpdate(book: MarketBook, diff: { U: number; u: number; b: string[][]; a: string[][] }, now: number): void {
    const s = book.spec.symbol.toLowerCase();
    this.publish([`${s}@depth`, `${s}@depth@100ms`], { e: 'depthUpdate', E: now, s: book.spec.symbol, U: diff.U, u: diff.u, b: diff.b, a: diff.a });
    const d = book.depth(1);
    this.publish([`${s}@bookTicker`], { u: book.lastUpdateId, s: book.spec.symbol, b: d.bids[0]?.[0] ?? f8(0), B: d.bids[0]?.[1] ?? f8(0), a: d.asks[0]?.[0] ?? f8(0), A: d.asks[0]?.[1] ?? f8(0) });
  }

  trade(book: MarketBook, price: string, qty: string, buyerMaker: boolean, now: number): void {
    const s = book.spec.symbol.toLowerCase();
    this.publish([`${s}@trade`], { e: 'trade', E: now, s: book.spec.symbol, t: book.nextTradeId(), p: f8(price), q: f8(qty), T: now, m: buyerMaker, M: true });
    book.traded(price, qty);
    const d = book.day!;
    this.publish([`${s}@miniTicker`], { e: '24hrMiniTicker', E: now, s: book.spec.symbol, c: f8(d.c), o: f8(d.o), h: f8(d.h), l: f8(d.l), v: f8(d.v), q: f8(d.q) });
  }
}
