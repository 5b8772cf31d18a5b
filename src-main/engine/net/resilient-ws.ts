/**
 * A WebSocket that stays up: reconnects with exponential backoff and jitter, detects dead
 * connections with heartbeats, replays authentication and every subscription after a reconnect,
 * and — only when asked to (`bufferWhileDown`) — buffers a bounded number of outgoing messages
 * while down. Orders never travel that way: `sendOrder` sends on an open socket or throws, so an
 * order is never delivered minutes later, after the trader was told it failed.
 *
 * Streams lose data silently when a connection half-dies (no FIN, no error); the only defence is
 * to expect traffic and treat silence as death. Any inbound frame, ping or pong counts as life.
 */
import { EventEmitter } from 'node:events';
import WebSocket, { type ClientOptions, type RawData } from 'ws';
import type { Random } from '../ports/random';
import { systemClock, type TimerHandle, type Timers } from '../ports/clock';

export type WsState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'stopped';

export interface BackoffOptions {
  /** First reconnect delay (before jitter). */
  readonly initialMs?: number;
  readonly maxMs?: number;
  readonly factor?: number;
  /** A connection that stayed open this long resets the backoff to `initialMs`. */
  readonly stableMs?: number;
}

export interface HeartbeatOptions {
  /** How often to ping (and check for silence). */
  readonly intervalMs?: number;
  /** Silence longer than this means the connection is dead. */
  readonly timeoutMs?: number;
  /** App-level ping for venues that want one (Kraken `{"method":"ping"}`); default is a WS ping frame. */
  readonly message?: () => string;
}

export interface ResilientWsOptions {
  /** A function lets the URL change per connection (Binance listenKey, tastytrade DXLink token). */
  readonly url: string | (() => string | Promise<string>);
  readonly name?: string;
  readonly timers?: Timers;
  readonly random?: Random;
  readonly backoff?: BackoffOptions;
  readonly heartbeat?: HeartbeatOptions;
  readonly connectTimeoutMs?: number;
  /**
   * Keep `send()` messages while disconnected and flush them after the next (re)connect. Off by
   * default; for idempotent stream requests only (subscription acks, pings) — never orders.
   */
  readonly bufferWhileDown?: boolean;
  /** Outgoing messages kept while disconnected (with `bufferWhileDown`); more are refused (never silently lost). */
  readonly maxBuffered?: number;
  /** Runs on every (re)connect before subscriptions are replayed, e.g. to authenticate. */
  readonly onOpen?: (conn: ResilientWs) => void | Promise<void>;
  readonly wsOptions?: ClientOptions;
}

export interface WsStateEvent {
  readonly state: WsState;
  /** Consecutive failed attempts so far. */
  readonly attempt: number;
  /** Set with `reconnecting`: how long until the next attempt. */
  readonly delayMs?: number;
  readonly reason?: string;
  readonly at: number;
}

export interface ResilientWsEvents {
  state: [WsStateEvent];
  /** After auth and resubscribe. `reconnect` is true from the second connection on. */
  open: [{ reconnect: boolean; connection: number }];
  message: [string];
  /** A send was refused because the buffer was full. */
  dropped: [string];
  error: [Error];
}

export type SendResult = 'sent' | 'buffered' | 'dropped';

/** `sendOrder` on a socket that is not open: nothing was sent, so the order was certainly not placed. */
export class WsNotOpenError extends Error {
  constructor(
    readonly stream: string,
    readonly wsState: WsState,
  ) {
    super(`the ${stream} connection is ${wsState}; nothing was sent`);
    this.name = 'WsNotOpenError';
  }
}

export class ResilientWs extends EventEmitter<ResilientWsEvents> {
  private ws?: WebSocket;
  private st: WsState = 'idle';
  private attempt = 0;
  private connections = 0;
  private lastHeard = 0;
  private readonly subs = new Map<string, string>();
  private readonly buffer: string[] = [];
  private reconnectTimer?: TimerHandle;
  private heartbeatTimer?: TimerHandle;
  private stableTimer?: TimerHandle;
  private connectTimer?: TimerHandle;
  private readonly timers: Timers;
  private readonly b: Required<BackoffOptions>;
  private readonly hb: { intervalMs: number; timeoutMs: number; message?: () => string };
  private readonly maxBuffered: number;
  private readonly bufferWhileDown: boolean;
  readonly name: string;

  constructor(private readonly opts: ResilientWsOptions) {
    super();
    this.timers = opts.timers ?? systemClock;
    this.name = opts.name ?? 'stream';
    this.b = { initialMs: 1000, maxMs: 60_000, factor: 2, stableMs: 30_000, ...opts.backoff };
    this.hb = { intervalMs: 15_000, timeoutMs: 45_000, ...opts.heartbeat };
    this.maxBuffered = opts.maxBuffered ?? 100;
    this.bufferWhileDown = opts.bufferWhileDown ?? false;
    // A stream with no listener for errors must not crash the engine process.
    this.on('error', () => undefined);
  }

  get state(): WsState {
    return this.st;
  }

  get connectionCount(): number {
    return this.connections;
  }

  start(): void {
    if (this.st !== 'idle' && this.st !== 'stopped') return;
    void this.connect();
  }

  stop(): void {
    this.clearTimers();
    this.setState('stopped', 'stopped by the app');
    const ws = this.ws;
    this.ws = undefined;
    if (ws) {
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.terminate();
    }
  }

  /**
   * Sends now if open; else buffers (bounded) when `bufferWhileDown` is set, or reports `dropped`.
   * Subscriptions belong in `subscribe`, orders in `sendOrder` — never here.
   */
  send(data: string): SendResult {
    if (this.isOpen()) {
      this.ws!.send(data);
      return 'sent';
    }
    if (this.st === 'stopped') return 'dropped';
    if (!this.bufferWhileDown) {
      this.emit('dropped', data);
      return 'dropped';
    }
    if (this.buffer.length >= this.maxBuffered) {
      this.emit('dropped', data);
      return 'dropped';
    }
    this.buffer.push(data);
    return 'buffered';
  }

  /**
   * Sends an order (or a cancel / replace) on the open socket now, or throws WsNotOpenError having
   * sent nothing. Never buffered: a buffered order would leave after a reconnect, long after the
   * OMS decided its fate — the duplicate-order path safety rule 2 forbids.
   */
  sendOrder(data: string): void {
    if (!this.isOpen()) throw new WsNotOpenError(this.name, this.st);
    this.ws!.send(data);
  }

  private isOpen(): boolean {
    return this.st === 'open' && this.ws?.readyState === WebSocket.OPEN;
  }

  /** Sends on the current socket only, bypassing the buffer (for `onOpen` auth handshakes). */
  sendNow(data: string): boolean {
    if (this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(data);
    return true;
  }

  /** Remembers a subscription and replays it after every reconnect. */
  subscribe(key: string, message: string): void {
    this.subs.set(key, message);
    if (this.st === 'open') this.sendNow(message);
  }

  unsubscribe(key: string, message?: string): void {
    this.subs.delete(key);
    if (message !== undefined && this.st === 'open') this.sendNow(message);
  }

  /** Re-sends one subscription, e.g. after a sequence gap on a venue whose snapshot comes with the subscription (Coinbase, Kraken). */
  resubscribe(key: string, unsubscribeMessage?: string): boolean {
    const m = this.subs.get(key);
    if (m === undefined || this.st !== 'open') return false;
    if (unsubscribeMessage !== undefined) this.sendNow(unsubscribeMessage);
    return this.sendNow(m);
  }

  subscriptions(): ReadonlyMap<string, string> {
    return this.subs;
  }

  /** Drops the current connection as if it died (a gap that needs a fresh session, a venue error). */
  reconnectNow(reason: string): void {
    if (this.ws) this.lost(this.ws, reason);
  }

  private setState(state: WsState, reason?: string, delayMs?: number): void {
    this.st = state;
    this.emit('state', { state, attempt: this.attempt, at: this.timers.now(), ...(reason !== undefined ? { reason } : {}), ...(delayMs !== undefined ? { delayMs } : {}) });
  }

  private clearTimers(): void {
    for (const t of [this.reconnectTimer, this.heartbeatTimer, this.stableTimer, this.connectTimer]) if (t !== undefined) this.timers.clearTimeout(t);
    this.reconnectTimer = this.heartbeatTimer = this.stableTimer = this.connectTimer = undefined;
  }

  private async connect(): Promise<void> {
    this.setState('connecting');
    let url: string;
    try {
      url = typeof this.opts.url === 'string' ? this.opts.url : await this.opts.url();
    } catch (e) {
      this.emit('error', e instanceof Error ? e : new Error(String(e)));
      this.scheduleReconnect('could not get the stream URL');
      return;
    }
    if (this.st !== 'connecting') return;
    const ws = new WebSocket(url, { perMessageDeflate: false, ...this.opts.wsOptions });
    this.ws = ws;
    this.connectTimer = this.timers.setTimeout(() => this.lost(ws, 'connect timeout'), this.opts.connectTimeoutMs ?? 10_000);
    ws.on('open', () => void this.opened(ws));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      this.lastHeard = this.timers.now();
      // Some venues (Alpaca paper) send JSON in binary frames.
      const text = isBinary || typeof data !== 'string' ? rawToString(data) : data;
      this.emit('message', text);
    });
    ws.on('ping', () => {
      this.lastHeard = this.timers.now();
    });
    ws.on('pong', () => {
      this.lastHeard = this.timers.now();
    });
    ws.on('close', (code, reason) => this.lost(ws, `closed (${code}${reason.length ? ` ${reason.toString()}` : ''})`));
    ws.on('error', (e) => {
      this.emit('error', e);
      this.lost(ws, e.message || (e as { code?: string }).code || 'socket error');
    });
  }

  private async opened(ws: WebSocket): Promise<void> {
    if (ws !== this.ws) return;
    if (this.connectTimer !== undefined) this.timers.clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
    this.lastHeard = this.timers.now();
    try {
      await this.opts.onOpen?.(this);
    } catch (e) {
      this.emit('error', e instanceof Error ? e : new Error(String(e)));
      this.lost(ws, 'handshake failed');
      return;
    }
    if (ws !== this.ws || ws.readyState !== WebSocket.OPEN) return;
    for (const m of this.subs.values()) ws.send(m);
    for (const m of this.buffer.splice(0)) ws.send(m);
    this.connections++;
    this.setState('open');
    this.emit('open', { reconnect: this.connections > 1, connection: this.connections });
    this.scheduleHeartbeat(ws);
    this.stableTimer = this.timers.setTimeout(() => {
      this.stableTimer = undefined;
      this.attempt = 0;
    }, this.b.stableMs);
  }

  private scheduleHeartbeat(ws: WebSocket): void {
    this.heartbeatTimer = this.timers.setTimeout(
      () => {
        this.heartbeatTimer = undefined;
        if (ws !== this.ws) return;
        const silent = this.timers.now() - this.lastHeard;
        if (silent >= this.hb.timeoutMs) {
          this.lost(ws, `no data or pong for ${Math.round(silent / 1000)} s`);
          return;
        }
        try {
          if (this.hb.message) ws.send(this.hb.message());
          else ws.ping();
        } catch {
          // A send on a closing socket fails; the close handler takes it from here.
        }
        this.scheduleHeartbeat(ws);
      },
      Math.min(this.hb.intervalMs, this.hb.timeoutMs),
    );
  }

  private lost(ws: WebSocket, reason: string): void {
    if (ws !== this.ws) return;
    this.ws = undefined;
    ws.removeAllListeners();
    ws.on('error', () => undefined);
    ws.terminate();
    if (this.st === 'stopped') return;
    this.scheduleReconnect(reason);
  }

  private scheduleReconnect(reason: string): void {
    this.clearTimers();
    this.attempt++;
    const base = Math.min(this.b.maxMs, this.b.initialMs * this.b.factor ** (this.attempt - 1));
    // Equal jitter: at least half the base delay, so a fleet of clients spreads out but none hammers.
    const r = this.opts.random?.next() ?? Math.random();
    const delay = Math.round(base / 2 + (r * base) / 2);
    this.setState('reconnecting', reason, delay);
    this.reconnectTimer = this.timers.setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.st === 'reconnecting') void this.connect();
    }, delay);
  }
}

function rawToString(d: RawData): string {
  if (Buffer.isBuffer(d)) return d.toString('utf8');
  if (Array.isArray(d)) return Buffer.concat(d).toString('utf8');
  return Buffer.from(d).toString('utf8');
}

/** The reconnect delay before jitter for a given attempt (exported for the status bar's "retrying in"). */
export function backoffBase(attempt: number, o: BackoffOptions = {}): number {
  const initial = o.initialMs ?? 1000;
  return Math.min(o.maxMs ?? 60_000, initial * (o.factor ?? 2) ** Math.max(0, attempt - 1));
}
