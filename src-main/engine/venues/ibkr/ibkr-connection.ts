/**
 * The TWS connection as a state machine:
 *
 *   connecting ──nextValidId──▶ connected ◀──1101/1102── degraded
 *        ▲                        │   └──────1100/2110──────▶┘
 *        │                  socket lost
 *        └──backoff── restarting ◀┘          down: stopped, or both client ids held
 *
 * Every (re)connect makes a fresh IBApi. @stoqey/ib queues calls made while its socket is down
 * and sends them after the next handshake; a fresh object per session means nothing we meant
 * for a dead session (an order!) can leak into the next one behind our back.
 *
 * The client id is pinned: a reconnect uses the id of the last session (IBApiNext would move to
 * id+1, stranding that session's orders, which only their own client id may cancel). When TWS
 * answers 326 (a dead session still holds the id) we try the configured fallback id.
 */
import { EventName, IBApi } from '@stoqey/ib';
import { systemClock, type TimerHandle, type Timers } from '../../ports/clock';

export type IbConnState = 'connecting' | 'connected' | 'degraded' | 'restarting' | 'down';

export interface IbSession {
  readonly api: IBApi;
  /** Increments per socket; events from an older session are stale. */
  readonly id: number;
  readonly clientId: number;
  readonly nextValidId: number;
  readonly serverVersion: number;
  readonly accounts: readonly string[];
}

export interface IbkrConnectionOptions {
  readonly host: string;
  readonly port: number;
  readonly clientId: number;
  readonly fallbackClientId: number;
  readonly reconnectMinMs: number;
  readonly reconnectMaxMs: number;
  /** Handshake deadline per attempt. */
  readonly connectTimeoutMs?: number;
  readonly timers?: Timers;
  /** Wires the connector's event handlers to a new IBApi before it connects. */
  readonly attach: (api: IBApi, sessionId: number) => void;
  /** Runs after each handshake, before the state becomes `connected` (resubscribe, resync). */
  readonly onSession: (s: IbSession, reconnect: boolean) => Promise<void>;
  /** 1101: TWS kept the session but dropped market-data subscriptions. */
  readonly onDataLost: (s: IbSession) => Promise<void> | void;
  readonly onState: (state: IbConnState, why: string) => void;
  /** Error 100: TWS says we exceeded its message rate. */
  readonly onPacingViolation?: (message: string) => void;
  /** Every connection outcome (a session set up, or an attempt failed / a session lost), for the circuit breaker. */
  readonly onOutcome?: (ok: boolean, why: string) => void;
  /** TWS-wide informational / error messages (id -1) not handled here. */
  readonly onInfo?: (code: number, message: string) => void;
}

type Attempt = { kind: 'ok'; session: IbSession } | { kind: 'held' } | { kind: 'failed'; why: string };

const DEGRADING = new Set([1100, 2110]);
const RESTORING = new Set([1101, 1102]);

export class IbkrConnection {
  private readonly timers: Timers;
  private st: IbConnState = 'down';
  private why = 'not started';
  private session: IbSession | undefined;
  private sessionSeq = 0;
  private stopped = true;
  private retryTimer: TimerHandle | undefined;
  private failures = 0;
  /** The id the next attempt uses first: the last session's id once there was one. */
  private pinnedClientId: number;
  private everConnected = false;
  private connecting: Promise<void> | undefined;
  pacingViolations = 0;

  constructor(private readonly o: IbkrConnectionOptions) {
    this.timers = o.timers ?? systemClock;
    this.pinnedClientId = o.clientId;
  }

  get state(): IbConnState {
    return this.st;
  }
  get reason(): string {
    return this.why;
  }
  get current(): IbSession | undefined {
    return this.st === 'connected' || this.st === 'degraded' ? this.session : undefined;
  }
  /** The session whose socket is open, even while it is still being set up. */
  get open(): IbSession | undefined {
    return this.session;
  }
  get clientId(): number {
    return this.session?.clientId ?? this.pinnedClientId;
  }

  private set(state: IbConnState, why: string): void {
    if (state === this.st && why === this.why) return;
    this.st = state;
    this.why = why;
    this.o.onState(state, why);
  }

  /** Connects once (resolves whatever the outcome) and keeps reconnecting in the background. */
  start(): Promise<void> {
    this.stopped = false;
    this.set('connecting', `connecting to ${this.o.host}:${this.o.port}`);
    return this.connectNow();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer !== undefined) this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const s = this.session;
    this.session = undefined;
    if (s) retire(s.api);
    this.set('down', 'stopped');
  }

  private connectNow(): Promise<void> {
    if (!this.connecting) {
      this.connecting = this.connectOnce().finally(() => {
        this.connecting = undefined;
      });
    }
    return this.connecting;
  }

  private async connectOnce(): Promise<void> {
    const ids = [this.pinnedClientId, this.pinnedClientId === this.o.clientId ? this.o.fallbackClientId : this.o.clientId];
    let held = 0;
    for (const id of ids) {
      if (this.stopped) return;
      const r = await this.attempt(id);
      if (r.kind === 'ok') {
        await this.established(r.session);
        return;
      }
      if (r.kind === 'failed') {
        this.scheduleRetry(r.why);
        return;
      }
      held++;
    }
    if (held === ids.length) {
      this.failures++;
      this.set('down', `client ids ${ids.join(' and ')} are both in use by other sessions (326); retrying — restart TWS or IB Gateway to free them`);
      this.scheduleRetry(undefined);
    }
  }

  private attempt(clientId: number): Promise<Attempt> {
    const sessionId = ++this.sessionSeq;
    // Our own rate limiter paces every request; the library's must not queue behind our back.
    const api = new IBApi({ host: this.o.host, port: this.o.port, maxReqPerSec: 1000 });
    let accounts: string[] = [];
    this.o.attach(api, sessionId);
    return new Promise<Attempt>((resolve) => {
      let settled = false;
      const finish = (a: Attempt): void => {
        if (settled) return;
        settled = true;
        this.timers.clearTimeout(timer);
        if (a.kind !== 'ok') retire(api);
        resolve(a);
      };
      const timer = this.timers.setTimeout(() => finish({ kind: 'failed', why: `TWS did not complete the handshake within ${this.o.connectTimeoutMs ?? 5000} ms` }), this.o.connectTimeoutMs ?? 5000);
      api.on(EventName.managedAccounts, (list: string) => {
        accounts = list
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
      });
      api.once(EventName.nextValidId, (nextValidId: number) => {
        if (settled) return;
        const session: IbSession = { api, id: sessionId, clientId, nextValidId, serverVersion: api.serverVersion, accounts };
        // managedAccounts arrives before nextValidId; keep the array live for late updates.
        api.on(EventName.managedAccounts, () => Object.assign(session, { accounts }));
        finish({ kind: 'ok', session });
      });
      api.on(EventName.info, (message: string, code: number) => {
        if (!settled && code === 326) finish({ kind: 'held' });
        else this.onInfo(sessionId, code, message);
      });
      api.on(EventName.error, (err: Error, code: number) => {
        if (!settled && (code === 502 || code === 326))
          finish(code === 326 ? { kind: 'held' } : { kind: 'failed', why: `cannot reach TWS at ${this.o.host}:${this.o.port} (${err.message}) — is TWS running with the API enabled?` });
      });
      api.on(EventName.disconnected, () => {
        if (!settled) finish({ kind: 'failed', why: 'TWS closed the connection during the handshake' });
        else this.onLost(sessionId);
      });
      api.connect(clientId);
    });
  }

  private async established(s: IbSession): Promise<void> {
    const reconnect = this.everConnected;
    this.session = s;
    this.pinnedClientId = s.clientId;
    this.failures = 0;
    try {
      await this.o.onSession(s, reconnect);
    } catch (err) {
      // The socket may have dropped mid-setup; onLost schedules the next attempt.
      if (this.session === s) {
        s.api.disconnect();
        this.onLost(s.id, `setting up the session failed: ${(err as Error).message}`);
      }
      return;
    }
    if (this.session !== s || this.stopped) return;
    this.everConnected = true;
    this.o.onOutcome?.(true, 'connected');
    // A 1100 that arrived during setup keeps the session degraded.
    if (this.st !== 'degraded') this.set('connected', 'connected');
  }

  private onInfo(sessionId: number, code: number, message: string): void {
    const s = this.session;
    if (!s || s.id !== sessionId) return;
    if (DEGRADING.has(code)) {
      this.set('degraded', code === 1100 ? 'TWS lost its connection to IB (1100)' : 'TWS lost its connection to the IB servers (2110)');
      return;
    }
    if (RESTORING.has(code)) {
      const restore = async (): Promise<void> => {
        if (code === 1101) await this.o.onDataLost(s);
        if (this.session === s && !this.stopped) this.set('connected', code === 1101 ? 'restored (1101), market data resubscribed' : 'restored (1102)');
      };
      void restore().catch(() => undefined);
      return;
    }
    if (code === 100) {
      this.pacingViolations++;
      this.o.onPacingViolation?.(message);
      return;
    }
    this.o.onInfo?.(code, message);
  }

  private onLost(sessionId: number, why?: string): void {
    const s = this.session;
    if (!s || s.id !== sessionId) return;
    this.session = undefined;
    retire(s.api);
    if (this.stopped) return;
    this.scheduleRetry(why ?? 'connection to TWS lost (TWS restarting or closed)');
  }

  private scheduleRetry(why: string | undefined): void {
    if (this.stopped) return;
    const delay = Math.min(this.o.reconnectMaxMs, this.o.reconnectMinMs * 2 ** Math.min(this.failures, 16));
    if (why !== undefined) {
      this.failures++;
      this.o.onOutcome?.(false, why);
      this.set('restarting', `${why}; reconnecting in ${delay < 1000 ? `${delay} ms` : `${Math.round(delay / 1000)} s`}`);
    }
    if (this.retryTimer !== undefined) this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = undefined;
      void this.retryNow();
    }, delay);
  }

  /** A previous attempt may still be setting up a session that has since died: let it finish first. */
  private async retryNow(): Promise<void> {
    if (this.connecting) await this.connecting.catch(() => undefined);
    if (this.stopped || this.session) return;
    await this.connectNow();
  }
}

/**
 * Detaches and closes an IBApi we are done with. It keeps a no-op error listener: an
 * EventEmitter without one throws on 'error', and a closing socket may still report one.
 */
function retire(api: IBApi): void {
  api.removeAllListeners();
  api.on(EventName.error, () => undefined);
  api.disconnect();
}
