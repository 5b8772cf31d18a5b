/**
 * tastytrade's account streamer (`wss://streamer.tastyworks.com`), as its developer docs describe it:
 * a one-directional socket. The client sends actions — `connect` (account numbers in `value`),
 * `heartbeat`, `public-watchlists-subscribe`, `quote-alerts-subscribe`, `user-message-subscribe`
 * (and the older `account-subscribe`) — each carrying the OAuth `auth-token` and an optional
 * `request-id`; every action is answered with a status message `{status:"ok"|"error", action,
 * web-socket-session-id, request-id?, value?|message?}`. Notifications are `{type, data, timestamp}`
 * with `data` dasherized exactly as REST returns it (`Order`, `CurrentPosition`, `AccountBalance`…).
 * A socket that stops heart-beating is closed.
 */
import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { SocketHub, jsonObject } from '../kit/socket-hub';

export interface AccountStreamerOptions {
  /** Accepts the `auth-token` a client sends, as sent (`Bearer <access token>` from the official SDK). tt-core passes its access-token check. */
  validateToken(authToken: string): boolean;
  /** Silence (no message from the client) after which the socket is closed; the docs ask for a heartbeat every ~20 s. Default 60 s. */
  heartbeatTimeoutMs?: number;
}

const SUBSCRIBE_ACTIONS = new Set(['public-watchlists-subscribe', 'quote-alerts-subscribe', 'user-message-subscribe']);
const ACCOUNT_ACTIONS = new Set(['connect', 'account-subscribe']);

interface Session {
  readonly id: string;
  readonly accounts: Set<string>;
  timer?: ReturnType<typeof setTimeout>;
}

export class AccountStreamerHub extends SocketHub<Session> {
  private readonly timeoutMs: number;

  constructor(private readonly opts: AccountStreamerOptions) {
    super();
    this.timeoutMs = opts.heartbeatTimeoutMs ?? 60_000;
  }

  /** A new socket on the account-streamer path (tt-core's server calls this from `streamConnection`). */
  attach(ws: WebSocket): void {
    if (this.cutOff(ws)) return;
    const s: Session = { id: randomUUID(), accounts: new Set() };
    this.track(ws, s, (text) => {
      this.arm(ws, s);
      this.onMessage(ws, s, text);
    });
    this.arm(ws, s);
  }

  /** Sends a notification `{type, data, timestamp}` to every socket `connect`ed to that account. */
  publish(accountNumber: string, type: 'Order' | 'CurrentPosition' | 'AccountBalance' | string, data: object): void {
    const text = JSON.stringify({ type, data, timestamp: Date.now() });
    for (const [ws, s] of this.sockets) if (s.accounts.has(accountNumber) && ws.readyState === ws.OPEN) ws.send(text);
  }

  /** For /__control/state. */
  state(): { sockets: number; accounts: string[] } {
    const accounts = new Set<string>();
    for (const s of this.sockets.values()) for (const a of s.accounts) accounts.add(a);
    return { sockets: this.sockets.size, accounts: [...accounts].sort() };
  }

  protected release(s: Session): void {
    if (s.timer) clearTimeout(s.timer);
  }

  private arm(ws: WebSocket, s: Session): void {
    if (s.timer) clearTimeout(s.timer);
    s.timer = setTimeout(() => {
      this.forget(ws);
      ws.close(1000, 'heartbeat timeout');
    }, this.timeoutMs);
    s.timer.unref?.();
  }

  private onMessage(ws: WebSocket, s: Session, text: string): void {
    const m = jsonObject(text);
    if (!m) return this.reply(ws, s, { status: 'error', action: 'unknown', message: 'invalid JSON message' });
    const action = typeof m['action'] === 'string' ? m['action'] : '';
    const requestId = typeof m['request-id'] === 'number' || typeof m['request-id'] === 'string' ? m['request-id'] : undefined;
    const base = { action, ...(requestId !== undefined ? { 'request-id': requestId } : {}) };
    const token = m['auth-token'];
    if (typeof token !== 'string' || !this.opts.validateToken(token)) return this.reply(ws, s, { ...base, status: 'error', message: 'invalid or expired auth-token' });
    if (action === 'heartbeat') return this.reply(ws, s, { ...base, status: 'ok' });
    if (ACCOUNT_ACTIONS.has(action)) {
      const value = m['value'];
      const accounts = typeof value === 'string' ? [value] : Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
      if (!accounts || accounts.length === 0) return this.reply(ws, s, { ...base, status: 'error', message: 'value must be an account number or a list of account numbers' });
      for (const a of accounts) s.accounts.add(a);
      return this.reply(ws, s, { ...base, status: 'ok', value: accounts });
    }
    if (SUBSCRIBE_ACTIONS.has(action)) return this.reply(ws, s, { ...base, status: 'ok' });
    this.reply(ws, s, { ...base, status: 'error', message: `unknown action '${action}'` });
  }

  private reply(ws: WebSocket, s: Session, body: Record<string, unknown>): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ ...body, 'web-socket-session-id': s.id }));
  }
}
