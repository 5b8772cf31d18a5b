/**
 * DXLink quotes and trades (dxFeed's WebSocket protocol, the `dxlink-url` of tastytrade's
 * `/api-quote-tokens`) on a ResilientWs. Per connection: SETUP, AUTH with the quote token, then — once
 * AUTH_STATE says AUTHORIZED — one FEED channel (contract AUTO), FEED_SETUP asking for COMPACT Quote and
 * Trade rows with the fields below, and FEED_SUBSCRIPTION `reset` + every symbol kept by `subscribe`
 * (so a reconnect resubscribes everything). KEEPALIVE goes out every 30 s; 60 s of silence is death.
 * The quote token is renewed shortly before `expiresAtMs` (re-AUTH on the same socket, or a reconnect
 * when the URL changed) and whenever the server says UNAUTHORIZED after an AUTH.
 * COMPACT rows carry JSON numbers, and "NaN" (a string) for a missing value: numbers become canonical
 * decimal strings through their shortest round-trip form; a row without a bid or ask price is skipped.
 */
import { z } from 'zod';
import { parseDecimal, toStr } from '../../domain/money';
import { ResilientWs } from '../../net/resilient-ws';
import type { Clock, TimerHandle, Timers } from '../../ports/clock';

export interface DxlinkClientOptions {
  /** Token and URL from GET /api-quote-tokens (tt-core's rest); called again when the token expires or AUTH fails. */
  quoteToken: () => Promise<{ token: string; url: string; expiresAtMs: number }>;
  clock: Clock;
  timers: Timers;
  /** Canonical decimal strings. */
  onQuote(streamerSymbol: string, q: { bid: string; ask: string; bidSize: string; askSize: string }): void;
  onTrade(streamerSymbol: string, t: { price: string; size: string }): void;
  onState(state: 'up' | 'down', detail: string): void;
  /** A malformed message or a server ERROR (optional; reported, never thrown). */
  onProblem?(detail: string): void;
  /** Reconnect backoff (tests shorten it). */
  backoff?: { initialMs?: number; maxMs?: number };
  /** A connection whose feed is not open within this (no AUTH_STATE, no CHANNEL_OPENED) is retried (default 10 s, dxFeed's client waits as long). */
  setupTimeoutMs?: number;
}

const CHANNEL = 1;
const KEEPALIVE_S = 60;
const QUOTE_FIELDS = ['eventType', 'eventSymbol', 'bidPrice', 'askPrice', 'bidSize', 'askSize'] as const;
const TRADE_FIELDS = ['eventType', 'eventSymbol', 'price', 'size'] as const;
const TYPES = ['Quote', 'Trade'] as const;

const message = z.object({ type: z.string(), channel: z.number().int().nonnegative() }).passthrough();
const authState = z.object({ state: z.enum(['AUTHORIZED', 'UNAUTHORIZED']) });
const feedConfig = z.object({ dataFormat: z.enum(['COMPACT', 'FULL']).optional(), eventFields: z.record(z.string(), z.array(z.string())).optional() });
const feedData = z.object({ data: z.array(z.unknown()) });
const serverError = z.object({ error: z.string().optional(), message: z.string().optional() });
const value = z.union([z.number(), z.string(), z.boolean(), z.null()]);

type Token = Awaited<ReturnType<DxlinkClientOptions['quoteToken']>>;

export class TastytradeDxlink {
  readonly ws: ResilientWs;
  private readonly symbols = new Set<string>();
  private token?: Token;
  private tokenStale = false;
  private renewAt = 0;
  private renewTimer?: TimerHandle;
  private setupTimer?: TimerHandle;
  private authStates = 0;
  private authFailures = 0;
  private channelOpen = false;
  private up = false;
  private readonly fields = new Map<string, readonly string[]>();

  constructor(private readonly o: DxlinkClientOptions) {
    this.ws = new ResilientWs({
      url: async () => (await this.currentToken()).url,
      name: 'tastytrade DXLink',
      timers: o.timers,
      backoff: { initialMs: 500, maxMs: 30_000, ...o.backoff },
      heartbeat: { intervalMs: (KEEPALIVE_S / 2) * 1000, timeoutMs: KEEPALIVE_S * 1000, message: () => JSON.stringify({ type: 'KEEPALIVE', channel: 0 }) },
      onOpen: (c) => {
        this.resetConnection();
        c.sendNow(JSON.stringify({ type: 'SETUP', channel: 0, version: '0.1-tradeport/1.0', keepaliveTimeout: KEEPALIVE_S, acceptKeepaliveTimeout: KEEPALIVE_S }));
        c.sendNow(JSON.stringify({ type: 'AUTH', channel: 0, token: this.token!.token }));
      },
    });
    this.ws.on('state', (s) => {
      if (s.state === 'reconnecting') this.down(s.reason ?? 'closed');
    });
    this.ws.on('message', (text) => this.onMessage(text));
    this.ws.on('open', () => this.awaitFeed());
  }

  start(): void {
    this.ws.start();
  }

  async stop(): Promise<void> {
    for (const t of [this.renewTimer, this.setupTimer]) if (t !== undefined) this.o.timers.clearTimeout(t);
    this.renewTimer = this.setupTimer = undefined;
    this.ws.stop();
    this.down('stopped');
    return Promise.resolve();
  }

  /** Idempotent; kept across reconnects (resubscribed after every reconnect). */
  subscribe(streamerSymbols: readonly string[]): void {
    const fresh = streamerSymbols.filter((s) => !this.symbols.has(s));
    for (const s of fresh) this.symbols.add(s);
    if (fresh.length && this.channelOpen) this.sendChannel({ type: 'FEED_SUBSCRIPTION', add: subs(fresh) });
  }

  unsubscribe(streamerSymbols: readonly string[]): void {
    const gone = streamerSymbols.filter((s) => this.symbols.delete(s));
    if (gone.length && this.channelOpen) this.sendChannel({ type: 'FEED_SUBSCRIPTION', remove: subs(gone) });
  }

  /** A socket that opens but never authorizes or opens the feed would look alive (KEEPALIVEs) and carry nothing. */
  private awaitFeed(): void {
    if (this.setupTimer !== undefined) this.o.timers.clearTimeout(this.setupTimer);
    const ms = this.o.setupTimeoutMs ?? 10_000;
    this.setupTimer = this.o.timers.setTimeout(() => {
      this.setupTimer = undefined;
      if (this.up || this.ws.state !== 'open') return;
      this.problem(`DXLink did not open the feed within ${ms / 1000} s`);
      // With a fresh token too, in case the old one was refused without a word.
      this.tokenStale = true;
      this.ws.reconnectNow('DXLink feed not opened');
    }, ms);
  }

  private resetConnection(): void {
    this.authStates = 0;
    this.authFailures = 0;
    this.channelOpen = false;
    this.fields.clear();
  }

  private down(detail: string): void {
    this.channelOpen = false;
    if (!this.up) return;
    this.up = false;
    this.o.onState('down', detail);
  }

  /** The cached token while it is fresh; a new one when stale, refused, or close to expiry. */
  private async currentToken(): Promise<Token> {
    const t = this.token;
    if (t && !this.tokenStale && this.o.clock.now() < this.renewAt) return t;
    const fresh = await this.o.quoteToken();
    this.token = fresh;
    this.tokenStale = false;
    this.scheduleRenewal(fresh);
    return fresh;
  }

  /** Renews a minute before expiry, or at 90 % of a shorter lifetime. */
  private scheduleRenewal(t: Token): void {
    if (this.renewTimer !== undefined) this.o.timers.clearTimeout(this.renewTimer);
    const now = this.o.clock.now();
    const at = t.expiresAtMs - Math.min(60_000, Math.max(0, (t.expiresAtMs - now) / 10));
    this.renewAt = at;
    this.renewTimer = this.o.timers.setTimeout(
      () => {
        this.renewTimer = undefined;
        this.tokenStale = true;
        void this.reauthorize('the quote token is about to expire');
      },
      Math.max(0, at - now),
    );
  }

  /** Fetches a fresh token and AUTHs with it on the open socket (or reconnects if its URL moved). */
  private async reauthorize(reason: string): Promise<void> {
    if (this.ws.state !== 'open') return;
    const oldUrl = this.token?.url;
    let t: Token;
    try {
      this.tokenStale = true;
      t = await this.currentToken();
    } catch (e) {
      this.o.onProblem?.(`could not renew the quote token (${reason}): ${e instanceof Error ? e.message : String(e)}`);
      this.ws.reconnectNow('quote token renewal failed');
      return;
    }
    if (t.url !== oldUrl) this.ws.reconnectNow('the DXLink URL changed');
    else this.ws.sendNow(JSON.stringify({ type: 'AUTH', channel: 0, token: t.token }));
  }

  private requestChannel(): void {
    this.sendChannel({ type: 'CHANNEL_REQUEST', service: 'FEED', parameters: { contract: 'AUTO' } });
  }

  private sendChannel(m: Record<string, unknown>): void {
    this.ws.sendNow(JSON.stringify({ ...m, channel: CHANNEL }));
  }

  private problem(detail: string): void {
    this.o.onProblem?.(detail);
  }

  private onMessage(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return this.problem(`DXLink sent a message that is not JSON: ${text.slice(0, 120)}`);
    }
    const r = message.safeParse(json);
    if (!r.success) return this.problem(`DXLink sent an unexpected message: ${text.slice(0, 160)}`);
    const m = r.data;
    try {
      if (m.channel === 0) this.onConnection(m.type, m);
      else if (m.channel === CHANNEL) this.onChannel(m.type, m);
    } catch (e) {
      this.problem(`DXLink ${m.type} could not be handled: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private onConnection(type: string, m: Record<string, unknown>): void {
    if (type === 'AUTH_STATE') {
      const a = authState.safeParse(m);
      if (!a.success) return this.problem(`DXLink sent an AUTH_STATE without a known state: ${JSON.stringify(m).slice(0, 160)}`);
      this.authStates++;
      if (a.data.state === 'AUTHORIZED') {
        this.authFailures = 0;
        // A renewal's AUTHORIZED leaves a working feed alone; after a refusal the channel is asked for again (reopened: reset + resubscribe).
        if (!this.up || !this.channelOpen) this.requestChannel();
        return;
      }
      // The first UNAUTHORIZED greets every connection; a later one is a refused or expired token.
      if (this.authStates === 1) return;
      this.down('DXLink refused the quote token');
      this.authFailures++;
      if (this.authFailures > 1) {
        this.tokenStale = true;
        this.ws.reconnectNow('DXLink refused a fresh quote token');
      } else void this.reauthorize('DXLink said UNAUTHORIZED');
      return;
    }
    if (type === 'ERROR') {
      const e = serverError.safeParse(m);
      return this.problem(`DXLink error ${e.success ? `${e.data.error ?? ''}: ${e.data.message ?? ''}` : JSON.stringify(m).slice(0, 160)}`);
    }
    // SETUP and KEEPALIVE need no answer (any inbound frame already counts as life).
  }

  private onChannel(type: string, m: Record<string, unknown>): void {
    switch (type) {
      case 'CHANNEL_OPENED':
        this.channelOpen = true;
        this.sendChannel({ type: 'FEED_SETUP', acceptAggregationPeriod: 0.1, acceptDataFormat: 'COMPACT', acceptEventFields: { Quote: QUOTE_FIELDS, Trade: TRADE_FIELDS } });
        this.sendChannel({ type: 'FEED_SUBSCRIPTION', reset: true, add: subs([...this.symbols]) });
        if (!this.up) {
          this.up = true;
          this.o.onState('up', `DXLink feed open (${this.symbols.size} symbols)`);
        }
        return;
      case 'CHANNEL_CLOSED':
        this.down('DXLink closed the feed channel');
        // Ask again: the feed is wanted for as long as the stream runs.
        this.requestChannel();
        return;
      case 'FEED_CONFIG': {
        const c = feedConfig.safeParse(m);
        if (!c.success) return this.problem(`DXLink sent a malformed FEED_CONFIG: ${JSON.stringify(m).slice(0, 160)}`);
        for (const [t, fs] of Object.entries(c.data.eventFields ?? {})) this.fields.set(t, fs);
        return;
      }
      case 'FEED_DATA': {
        const d = feedData.safeParse(m);
        if (!d.success) return this.problem(`DXLink sent a malformed FEED_DATA: ${JSON.stringify(m).slice(0, 160)}`);
        for (const e of this.events(d.data.data)) this.deliver(e);
        return;
      }
      case 'ERROR': {
        const e = serverError.safeParse(m);
        return this.problem(`DXLink channel error ${e.success ? `${e.data.error ?? ''}: ${e.data.message ?? ''}` : ''}`);
      }
      default:
    }
  }

  /** COMPACT `[type, [row values…], type, […]…]` or FULL `[{eventType, …}, …]` into event records. */
  private events(data: readonly unknown[]): Array<Record<string, unknown>> {
    if (data.length > 0 && typeof data[0] === 'object' && data[0] !== null && !Array.isArray(data[0])) return data as Array<Record<string, unknown>>;
    const out: Array<Record<string, unknown>> = [];
    for (let i = 0; i + 1 < data.length; i += 2) {
      const type = data[i];
      const values = data[i + 1];
      if (typeof type !== 'string' || !Array.isArray(values)) {
        this.problem('DXLink sent a COMPACT FEED_DATA that is not [eventType, [values…]]');
        return out;
      }
      const fields = this.fields.get(type);
      if (!fields || fields.length === 0) {
        this.problem(`DXLink sent ${type} rows before a FEED_CONFIG named their fields`);
        continue;
      }
      if (values.length % fields.length !== 0) {
        this.problem(`DXLink sent ${values.length} ${type} values, not a multiple of its ${fields.length} fields`);
        continue;
      }
      for (let at = 0; at < values.length; at += fields.length) {
        const row: Record<string, unknown> = { eventType: type };
        fields.forEach((f, k) => (row[f] = values[at + k]));
        out.push(row);
      }
    }
    if (data.length % 2 !== 0) this.problem('DXLink sent a COMPACT FEED_DATA with a dangling event type');
    return out;
  }

  private deliver(e: Record<string, unknown>): void {
    const symbol = e['eventSymbol'];
    if (typeof symbol !== 'string' || !Object.values(e).every((v) => value.safeParse(v).success))
      return this.problem(`DXLink sent a ${String(e['eventType'])} event without a symbol or with odd values`);
    if (!this.symbols.has(symbol)) return;
    if (e['eventType'] === 'Quote') {
      const bid = decimalOf(e['bidPrice']);
      const ask = decimalOf(e['askPrice']);
      if (bid === undefined || ask === undefined) return;
      this.o.onQuote(symbol, { bid, ask, bidSize: decimalOf(e['bidSize']) ?? '0', askSize: decimalOf(e['askSize']) ?? '0' });
    } else if (e['eventType'] === 'Trade') {
      const price = decimalOf(e['price']);
      if (price === undefined) return;
      this.o.onTrade(symbol, { price, size: decimalOf(e['size']) ?? '0' });
    }
  }
}

function subs(symbols: readonly string[]): Array<{ type: string; symbol: string }> {
  return symbols.flatMap((symbol) => TYPES.map((type) => ({ type, symbol })));
}

/** A JSON number (or numeric string) as a canonical decimal string; "NaN", infinities, null and junk are missing. */
function decimalOf(v: unknown): string | undefined {
  const d = parseDecimal(v);
  return d ? toStr(d) : undefined;
}
