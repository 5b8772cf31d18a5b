/**
 * tastytrade's account streamer as a ResilientWs that never carries an order: on every (re)connect it
 * sends `connect` with the account numbers and the current access token, and reports 'up' once the
 * venue acknowledges it (status "ok" for that request-id) — the connector then reconciles by REST,
 * because the streamer numbers nothing and a gap cannot be replayed. A `heartbeat` action (with a
 * fresh token) goes out every `heartbeatMs`; silence on the socket past three intervals means it is
 * dead. Every inbound message is validated; a malformed one is reported, never thrown.
 */
import { z } from 'zod';
import { ResilientWs } from '../../net/resilient-ws';
import type { Clock, TimerHandle, Timers } from '../../ports/clock';

export interface AccountStreamOptions {
  /** settings' streamerUrl (wss://streamer.tastyworks.com by default). */
  url: string;
  accounts: readonly string[];
  /** The current access token (tt-core's auth refreshes it); called at every connect and heartbeat. Sent as `auth-token` (a `Bearer ` prefix is added when missing, as the REST Authorization header has it). */
  authToken: () => Promise<string>;
  clock: Clock;
  timers: Timers;
  /** The docs' interval (~20 s). */
  heartbeatMs?: number;
  /** Raw `data` of each notification; tt-core's zod parsers read it. */
  onNotification(type: string, data: unknown): void;
  /** 'up' after connect is acknowledged (the connector then reconciles by REST), 'down' when lost. */
  onState(state: 'up' | 'down', detail: string): void;
  /** A message that failed validation, or a status "error" from the venue (optional; reported, never thrown). */
  onProblem?(detail: string): void;
  /** Reconnect backoff (tests shorten it). */
  backoff?: { initialMs?: number; maxMs?: number };
  /** A `connect` not acknowledged within this is retried on a fresh socket (default 10 s). */
  ackTimeoutMs?: number;
}

const SOURCE = 'tradeport';

const statusMessage = z.object({
  status: z.string(),
  action: z.string(),
  'request-id': z.union([z.number(), z.string()]).optional(),
  'web-socket-session-id': z.string().optional(),
  message: z.string().optional(),
});
const notification = z.object({ type: z.string().min(1), data: z.record(z.string(), z.unknown()), timestamp: z.number().optional() });
const inbound = z.union([statusMessage, notification]);
/** Several messages may come batched as `{results:[…]}` (the official SDK unpacks that too). */
const batch = z.object({ results: z.array(z.unknown()) });

export class TastytradeAccountStream {
  readonly ws: ResilientWs;
  private requestId = 0;
  private connectId?: number;
  private up = false;
  private hbTimer?: TimerHandle;
  private ackTimer?: TimerHandle;
  private stopped = false;
  private readonly heartbeatMs: number;

  constructor(private readonly o: AccountStreamOptions) {
    this.heartbeatMs = o.heartbeatMs ?? 20_000;
    this.ws = new ResilientWs({
      url: o.url,
      name: 'tastytrade account streamer',
      timers: o.timers,
      backoff: { initialMs: 500, maxMs: 30_000, ...o.backoff },
      // WS pings (answered by any server) plus the heartbeat acks keep it alive; silence for three intervals is death.
      heartbeat: { intervalMs: this.heartbeatMs, timeoutMs: this.heartbeatMs * 3 },
      onOpen: async (c) => {
        const token = await this.token();
        this.connectId = ++this.requestId;
        c.sendNow(JSON.stringify({ action: 'connect', value: [...o.accounts], 'auth-token': token, 'request-id': this.connectId, source: SOURCE }));
      },
    });
    this.ws.on('state', (s) => {
      if (s.state === 'reconnecting') this.lost(s.reason ?? 'closed');
    });
    this.ws.on('open', () => {
      this.scheduleHeartbeat();
      this.awaitAck();
    });
    this.ws.on('message', (text) => this.onMessage(text));
  }

  start(): void {
    this.stopped = false;
    this.ws.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearHeartbeat();
    this.ws.stop();
    if (this.up) {
      this.up = false;
      this.o.onState('down', 'stopped');
    }
    return Promise.resolve();
  }

  private async token(): Promise<string> {
    const t = (await this.o.authToken()).trim();
    return /^bearer /i.test(t) ? t : `Bearer ${t}`;
  }

  private lost(reason: string): void {
    this.clearHeartbeat();
    this.connectId = undefined;
    if (!this.up) return;
    this.up = false;
    this.o.onState('down', reason);
  }

  private clearHeartbeat(): void {
    if (this.hbTimer !== undefined) this.o.timers.clearTimeout(this.hbTimer);
    if (this.ackTimer !== undefined) this.o.timers.clearTimeout(this.ackTimer);
    this.hbTimer = this.ackTimer = undefined;
  }

  /** A socket that opens but never acknowledges `connect` would look alive (it answers pings) and carry nothing. */
  private awaitAck(): void {
    const ms = this.o.ackTimeoutMs ?? 10_000;
    this.ackTimer = this.o.timers.setTimeout(() => {
      this.ackTimer = undefined;
      if (this.up || this.stopped) return;
      this.o.onProblem?.(`tastytrade account streamer did not acknowledge connect within ${ms / 1000} s`);
      this.ws.reconnectNow('connect not acknowledged');
    }, ms);
  }

  private scheduleHeartbeat(): void {
    this.clearHeartbeat();
    this.hbTimer = this.o.timers.setTimeout(() => {
      this.hbTimer = undefined;
      void this.heartbeat();
    }, this.heartbeatMs);
  }

  private async heartbeat(): Promise<void> {
    if (this.stopped || this.ws.state !== 'open') return;
    let token: string;
    try {
      token = await this.token();
    } catch (e) {
      this.o.onProblem?.(`could not get an access token for the heartbeat: ${e instanceof Error ? e.message : String(e)}`);
      this.scheduleHeartbeat();
      return;
    }
    this.ws.send(JSON.stringify({ action: 'heartbeat', 'auth-token': token, 'request-id': ++this.requestId, source: SOURCE }));
    if (this.ws.state === 'open') this.scheduleHeartbeat();
  }

  private onMessage(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.o.onProblem?.(`account streamer sent a message that is not JSON: ${text.slice(0, 120)}`);
      return;
    }
    const b = batch.safeParse(json);
    const items = b.success ? b.data.results : [json];
    for (const item of items) this.onOne(item);
  }

  private onOne(item: unknown): void {
    const r = inbound.safeParse(item);
    if (!r.success) {
      this.o.onProblem?.(`account streamer sent an unexpected message: ${JSON.stringify(item).slice(0, 160)}`);
      return;
    }
    const m = r.data;
    if ('type' in m) {
      try {
        this.o.onNotification(m.type, m.data);
      } catch (e) {
        this.o.onProblem?.(`a ${m.type} notification could not be handled: ${e instanceof Error ? e.message : String(e)}`);
      }
      return;
    }
    const isConnectAck = m.action === 'connect' && this.connectId !== undefined && Number(m['request-id']) === this.connectId;
    if (m.status !== 'ok') {
      this.o.onProblem?.(`tastytrade account streamer refused ${m.action}: ${m.message ?? m.status}`);
      // A refused connect (an expired token) gets a fresh connection, which asks for a fresh token.
      if (isConnectAck) this.ws.reconnectNow(`connect refused: ${m.message ?? m.status}`);
      return;
    }
    if (isConnectAck && !this.up) {
      this.up = true;
      if (this.ackTimer !== undefined) this.o.timers.clearTimeout(this.ackTimer);
      this.ackTimer = undefined;
      this.o.onState('up', `connected to ${this.o.accounts.join(', ')}`);
    }
  }
}
