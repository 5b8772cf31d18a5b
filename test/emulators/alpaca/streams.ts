/**
 * Alpaca's two socket protocols on the emulator:
 * - `/stream` (trading): `authenticate` → `authorization`, `listen` → `listening`, then
 *   `trade_updates`; like paper, every server frame is a BINARY frame holding JSON text.
 * - `/v2/iex`, `/v2/sip`, `/v1beta3/crypto/us` (market data): greeting, `auth`, `subscribe`,
 *   arrays of `{T:…}`; msgpack when the upgrade asked for `Content-Type: application/msgpack`.
 */
import type http from 'node:http';
import { decode, encode } from '@msgpack/msgpack';
import type { RawData, WebSocket } from 'ws';
import type { EmuQuote } from './quotes';

export const DATA_STREAM_PATHS = ['/v2/iex', '/v2/sip', '/v1beta3/crypto/us'];

export interface Credentials {
  readonly keyId: string;
  readonly secret: string;
}

export class TradeStreams {
  private readonly listening = new Set<WebSocket>();

  constructor(private readonly creds: Credentials) {}

  attach(ws: WebSocket): void {
    let authed = false;
    const send = (m: unknown): void => ws.send(Buffer.from(JSON.stringify(m)), { binary: true });
    ws.on('message', (raw: RawData) => {
      let m: { action?: string; data?: Record<string, unknown> };
      try {
        m = JSON.parse(raw.toString()) as typeof m;
      } catch {
        return send({ stream: 'error', data: { error_message: 'invalid syntax' } });
      }
      if (m.action === 'authenticate' || m.action === 'auth') {
        const d = m.data ?? (m as Record<string, unknown>);
        authed = (d['key_id'] ?? d['key']) === this.creds.keyId && (d['secret_key'] ?? d['secret']) === this.creds.secret;
        send({ stream: 'authorization', data: { action: 'authenticate', status: authed ? 'authorized' : 'unauthorized' } });
        if (!authed) ws.close();
        return;
      }
      if (!authed) return send({ stream: 'authorization', data: { action: m.action ?? '', status: 'unauthorized' } });
      if (m.action === 'listen') {
        const streams = Array.isArray(m.data?.['streams']) ? (m.data['streams'] as string[]) : [];
        if (streams.includes('trade_updates')) this.listening.add(ws);
        else this.listening.delete(ws);
        send({ stream: 'listening', data: { streams: streams.filter((s) => s === 'trade_updates') } });
        return;
      }
      send({ stream: 'error', data: { error_message: `unknown action ${String(m.action)}` } });
    });
    ws.on('close', () => this.listening.delete(ws));
  }

  publish(data: Record<string, unknown>): void {
    const frame = Buffer.from(JSON.stringify({ stream: 'trade_updates', data }));
    for (const ws of this.listening) ws.send(frame, { binary: true });
  }

  get listeners(): number {
    return this.listening.size;
  }
}

interface DataClient {
  readonly ws: WebSocket;
  readonly msgpack: boolean;
  readonly quotes: Set<string>;
  readonly trades: Set<string>;
  readonly dailyBars: Set<string>;
  authed: boolean;
}

/** Today's bar per symbol as the `dailyBars` channel sends it (o/h/l/c from the mids published, v from their sizes). */
export interface DayBar {
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
}

export class DataStreams {
  private readonly clients = new Set<DataClient>();
  private readonly days = new Map<string, DayBar>();

  constructor(
    private readonly creds: Credentials,
    private readonly maxConnections = 10,
  ) {}

  attach(ws: WebSocket, req: http.IncomingMessage): void {
    const msgpack = String(req.headers['content-type'] ?? '').includes('msgpack');
    const c: DataClient = { ws, msgpack, quotes: new Set(), trades: new Set(), dailyBars: new Set(), authed: false };
    const send = (frames: unknown[]): void => ws.send(msgpack ? encode(frames) : JSON.stringify(frames));
    if (this.clients.size >= this.maxConnections) {
      send([{ T: 'error', code: 406, msg: 'connection limit exceeded' }]);
      ws.close();
      return;
    }
    this.clients.add(c);
    ws.on('close', () => this.clients.delete(c));
    send([{ T: 'success', msg: 'connected' }]);
    ws.on('message', (raw: RawData, binary: boolean) => {
      let m: Record<string, unknown>;
      try {
        m = (binary && msgpack ? decode(raw as Buffer) : JSON.parse(raw.toString())) as Record<string, unknown>;
      } catch {
        return send([{ T: 'error', code: 400, msg: 'invalid syntax' }]);
      }
      if (m['action'] === 'auth') {
        if (c.authed) return send([{ T: 'error', code: 403, msg: 'already authenticated' }]);
        if (m['key'] !== this.creds.keyId || m['secret'] !== this.creds.secret) {
          send([{ T: 'error', code: 402, msg: 'auth failed' }]);
          return ws.close();
        }
        c.authed = true;
        return send([{ T: 'success', msg: 'authenticated' }]);
      }
      if (!c.authed) return send([{ T: 'error', code: 401, msg: 'not authenticated' }]);
      if (m['action'] !== 'subscribe' && m['action'] !== 'unsubscribe') return send([{ T: 'error', code: 400, msg: 'invalid syntax' }]);
      const add = m['action'] === 'subscribe';
      for (const [key, set] of [
        ['quotes', c.quotes],
        ['trades', c.trades],
        ['dailyBars', c.dailyBars],
      ] as const) {
        const xs = m[key];
        if (!Array.isArray(xs)) continue;
        for (const s of xs) {
          if (add) set.add(String(s));
          else set.delete(String(s));
        }
      }
      send([{ T: 'subscription', trades: [...c.trades], quotes: [...c.quotes], bars: [], updatedBars: [], dailyBars: [...c.dailyBars], statuses: [], lulds: [], corrections: [], cancelErrors: [] }]);
    });
  }

  /** True once an authenticated client subscribed the symbol's quotes. */
  subscribed(symbol: string): boolean {
    return [...this.clients].some((c) => c.authed && c.quotes.has(symbol));
  }

  publishQuote(symbol: string, q: EmuQuote): void {
    const bar = this.dayBar(symbol, q);
    for (const c of this.clients) {
      if (c.authed && (c.dailyBars.has(symbol) || c.dailyBars.has('*'))) {
        const d = { T: 'd', S: symbol, ...bar, t: c.msgpack ? new Date(q.ts) : new Date(q.ts).toISOString() };
        c.ws.send(c.msgpack ? encode([d]) : JSON.stringify([d]));
      }
      if (!c.authed || !(c.quotes.has(symbol) || c.quotes.has('*'))) continue;
      const frame = {
        T: 'q',
        S: symbol,
        bx: 'V',
        bp: Number(q.bid),
        bs: Number(q.size),
        ax: 'V',
        ap: Number(q.ask),
        as: Number(q.size),
        c: ['R'],
        z: 'C',
        t: c.msgpack ? new Date(q.ts) : new Date(q.ts).toISOString(),
      };
      c.ws.send(c.msgpack ? encode([frame]) : JSON.stringify([frame]));
    }
  }

  /** Today's bar as a snapshot's `dailyBar` shows it: the one streamed so far, else one begun from the quote (the stream goes on from it). */
  todayBar(symbol: string, q: EmuQuote): DayBar {
    return this.days.get(symbol) ?? this.dayBar(symbol, q);
  }

  /** Today's bar so far, moved by this quote (the emulator counts each quote's size as traded). */
  dayBar(symbol: string, q: EmuQuote): DayBar {
    const px = (Number(q.bid) + Number(q.ask)) / 2;
    const prev = this.days.get(symbol);
    const bar = prev ? { o: prev.o, h: Math.max(prev.h, px), l: Math.min(prev.l, px), c: px, v: prev.v + Number(q.size) } : { o: px, h: px, l: px, c: px, v: Number(q.size) };
    this.days.set(symbol, bar);
    return bar;
  }
}
