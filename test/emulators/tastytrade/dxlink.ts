/**
 * A DXLink server (dxFeed's WebSocket protocol, the `dxlink-url` of tastytrade's `/api-quote-tokens`),
 * serving Quote and Trade events. Every message is `{type, channel, …}`; channel 0 is the connection:
 *   client SETUP → server SETUP + AUTH_STATE UNAUTHORIZED; AUTH{token} → AUTH_STATE AUTHORIZED (or
 *   UNAUTHORIZED + ERROR); KEEPALIVE both ways — a client silent for longer than the keepaliveTimeout it
 *   declared in SETUP gets ERROR TIMEOUT and is closed.
 * Channels (odd numbers, opened by the client): CHANNEL_REQUEST{service:"FEED", parameters:{contract:
 *   AUTO|TICKER|STREAM|HISTORY}} → CHANNEL_OPENED; CHANNEL_CANCEL → CHANNEL_CLOSED; FEED_SETUP{accept…}
 *   → FEED_CONFIG{aggregationPeriod, dataFormat, eventFields}; FEED_SUBSCRIPTION{add, remove, reset};
 *   FEED_DATA in COMPACT form `[eventType, [v1, v2, … for each event]]` (or FULL: an array of objects).
 * Numbers travel as JSON numbers; a missing value is "NaN" (JSON has no NaN). No sequence numbers.
 */
import type { WebSocket } from 'ws';
import { SocketHub, jsonObject } from '../kit/socket-hub';

export interface DxlinkQuote {
  bidPrice: string;
  askPrice: string;
  bidSize: string;
  askSize: string;
}

export interface DxlinkOptions {
  /** Accepts the quote token a client sends in AUTH (tt-core issues it from /api-quote-tokens). */
  validateToken(token: string): boolean;
  /** The current quote of a streamer symbol (`AAPL`, `/ESH26:XCME`, `.AAPL260320C150`), if any. */
  quote(streamerSymbol: string): DxlinkQuote | undefined;
  /** How often the server sends KEEPALIVE (default 30 s). */
  keepaliveIntervalMs?: number;
}

const FIELDS: Record<string, readonly string[]> = {
  Quote: ['eventType', 'eventSymbol', 'eventTime', 'sequence', 'timeNanoPart', 'bidTime', 'bidExchangeCode', 'bidPrice', 'bidSize', 'askTime', 'askExchangeCode', 'askPrice', 'askSize'],
  Trade: [
    'eventType',
    'eventSymbol',
    'eventTime',
    'time',
    'timeNanoPart',
    'sequence',
    'exchangeCode',
    'price',
    'change',
    'size',
    'dayId',
    'dayVolume',
    'dayTurnover',
    'tickDirection',
    'extendedTradingHours',
  ],
};
/** Sent when a client subscribes to a type without choosing its fields. */
const DEFAULT_FIELDS: Record<string, readonly string[]> = {
  Quote: ['eventType', 'eventSymbol', 'bidPrice', 'askPrice', 'bidSize', 'askSize'],
  Trade: ['eventType', 'eventSymbol', 'price', 'dayVolume', 'size'],
};
/** Event types a subscription may name; only Quote and Trade ever carry data here. */
const KNOWN_TYPES = new Set(['Quote', 'Trade', 'Summary', 'Profile', 'Greeks', 'Underlying', 'TheoPrice', 'TimeAndSale', 'Candle', 'Order', 'SpreadOrder', 'Series']);
const CONTRACTS = new Set(['AUTO', 'TICKER', 'STREAM', 'HISTORY']);

interface Channel {
  readonly contract: string;
  dataFormat: 'COMPACT' | 'FULL';
  aggregationPeriod: number;
  readonly fields: Map<string, readonly string[]>;
  readonly subs: Set<string>;
}

interface Conn {
  setup: boolean;
  authorized: boolean;
  token?: string;
  timeoutMs: number;
  lastHeard: number;
  readonly channels: Map<number, Channel>;
  timer?: ReturnType<typeof setInterval>;
}

type Event = Record<string, string | number | boolean>;

export class DxlinkHub extends SocketHub<Conn> {
  constructor(private readonly opts: DxlinkOptions) {
    super();
  }

  attach(ws: WebSocket): void {
    if (this.cutOff(ws)) return;
    const c: Conn = { setup: false, authorized: false, timeoutMs: 60_000, lastHeard: Date.now(), channels: new Map() };
    this.track(ws, c, (text) => {
      c.lastHeard = Date.now();
      this.onMessage(ws, c, text);
    });
  }

  /** Pushes the current quote of a symbol to every channel subscribed to Quote for it. */
  pushQuote(streamerSymbol: string): void {
    const q = this.opts.quote(streamerSymbol);
    if (!q) return;
    this.emit('Quote', streamerSymbol, quoteEvent(streamerSymbol, q));
  }

  pushTrade(streamerSymbol: string, price: string, size: string): void {
    this.emit('Trade', streamerSymbol, { eventType: 'Trade', eventSymbol: streamerSymbol, eventTime: 0, time: Date.now(), price: Number(price), size: Number(size), dayVolume: Number(size) });
  }

  state(): { sockets: number; subscriptions: string[] } {
    const subs = new Set<string>();
    for (const c of this.sockets.values()) for (const ch of c.channels.values()) for (const s of ch.subs) subs.add(s);
    return { sockets: this.sockets.size, subscriptions: [...subs].sort() };
  }

  protected release(c: Conn): void {
    if (c.timer) clearInterval(c.timer);
  }

  private emit(type: string, symbol: string, event: Event): void {
    const key = `${type}:${symbol}`;
    for (const [ws, c] of this.sockets) {
      if (!c.authorized) continue;
      for (const [id, ch] of c.channels) if (ch.subs.has(key)) this.sendEvents(ws, id, ch, type, [event]);
    }
  }

  private sendEvents(ws: WebSocket, channel: number, ch: Channel, type: string, events: readonly Event[]): void {
    const fields = ch.fields.get(type) ?? DEFAULT_FIELDS[type]!;
    if (ch.dataFormat === 'FULL') {
      this.send(ws, { type: 'FEED_DATA', channel, data: events.map((e) => Object.fromEntries(fields.map((f) => [f, valueOf(e, f)]))) });
      return;
    }
    this.send(ws, { type: 'FEED_DATA', channel, data: [type, events.flatMap((e) => fields.map((f) => valueOf(e, f)))] });
  }

  private send(ws: WebSocket, m: Record<string, unknown>): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
  }

  private error(ws: WebSocket, channel: number, error: string, message: string): void {
    this.send(ws, { type: 'ERROR', channel, error, message });
  }

  private onMessage(ws: WebSocket, c: Conn, text: string): void {
    const m = jsonObject(text);
    if (!m) return this.error(ws, 0, 'INVALID_MESSAGE', 'message is not a JSON object');
    const type = m['type'];
    const channel = m['channel'];
    if (typeof type !== 'string' || typeof channel !== 'number' || !Number.isInteger(channel) || channel < 0)
      return this.error(ws, 0, 'INVALID_MESSAGE', 'message needs a string type and an integer channel');
    if (channel === 0) return this.onConnectionMessage(ws, c, type, m);
    if (!c.setup) return this.error(ws, channel, 'INVALID_MESSAGE', 'SETUP first');
    if (!c.authorized) return this.error(ws, channel, 'UNAUTHORIZED', 'not authorized');
    this.onChannelMessage(ws, c, channel, type, m);
  }

  private onConnectionMessage(ws: WebSocket, c: Conn, type: string, m: Record<string, unknown>): void {
    switch (type) {
      case 'SETUP': {
        const declared = m['keepaliveTimeout'];
        if (typeof declared === 'number' && declared > 0) c.timeoutMs = declared * 1000;
        c.setup = true;
        this.send(ws, { type: 'SETUP', channel: 0, version: '1.0-tradeport-emulator', keepaliveTimeout: 60, acceptKeepaliveTimeout: 60 });
        this.send(ws, { type: 'AUTH_STATE', channel: 0, state: 'UNAUTHORIZED' });
        this.startKeepalive(ws, c);
        return;
      }
      case 'AUTH': {
        if (!c.setup) return this.error(ws, 0, 'INVALID_MESSAGE', 'SETUP first');
        const token = m['token'];
        if (typeof token === 'string' && this.opts.validateToken(token)) {
          c.authorized = true;
          c.token = token;
          this.send(ws, { type: 'AUTH_STATE', channel: 0, state: 'AUTHORIZED', userId: 'emulator' });
        } else {
          c.authorized = false;
          this.send(ws, { type: 'AUTH_STATE', channel: 0, state: 'UNAUTHORIZED' });
          this.error(ws, 0, 'UNAUTHORIZED', 'the quote token is invalid or expired');
        }
        return;
      }
      case 'KEEPALIVE':
        return;
      case 'ERROR':
        return;
      default:
        this.error(ws, 0, 'UNSUPPORTED_PROTOCOL', `unknown message type ${type} on channel 0`);
    }
  }

  /** Re-checks the token of every authorized connection (one expired or was revoked): those failing are told UNAUTHORIZED and get no data until they AUTH again. Returns how many. */
  revalidate(): number {
    let n = 0;
    for (const [ws, c] of this.sockets) {
      if (!c.authorized || (c.token !== undefined && this.opts.validateToken(c.token))) continue;
      c.authorized = false;
      n++;
      this.send(ws, { type: 'AUTH_STATE', channel: 0, state: 'UNAUTHORIZED' });
    }
    return n;
  }

  private startKeepalive(ws: WebSocket, c: Conn): void {
    if (c.timer) clearInterval(c.timer);
    const every = Math.min(this.opts.keepaliveIntervalMs ?? 30_000, Math.max(50, c.timeoutMs / 2));
    c.timer = setInterval(() => {
      const silent = Date.now() - c.lastHeard;
      if (silent >= c.timeoutMs) {
        this.error(ws, 0, 'TIMEOUT', `no keepalive received for ${silent} ms`);
        this.forget(ws);
        ws.close(1000, 'keepalive timeout');
        return;
      }
      this.send(ws, { type: 'KEEPALIVE', channel: 0 });
    }, every);
    c.timer.unref?.();
  }

  private onChannelMessage(ws: WebSocket, c: Conn, id: number, type: string, m: Record<string, unknown>): void {
    if (type === 'CHANNEL_REQUEST') {
      const params = (typeof m['parameters'] === 'object' && m['parameters'] !== null ? m['parameters'] : {}) as Record<string, unknown>;
      const contract = typeof params['contract'] === 'string' ? params['contract'] : 'AUTO';
      if (m['service'] !== 'FEED') return this.error(ws, id, 'UNSUPPORTED_PROTOCOL', `unknown service ${String(m['service'])}`);
      if (!CONTRACTS.has(contract)) return this.error(ws, id, 'INVALID_MESSAGE', `unknown contract ${contract}`);
      // A request for a channel already open reopens it: its configuration and subscriptions start afresh.
      c.channels.set(id, { contract, dataFormat: 'FULL', aggregationPeriod: 0, fields: new Map(), subs: new Set() });
      this.send(ws, { type: 'CHANNEL_OPENED', channel: id, service: 'FEED', parameters: { contract } });
      return;
    }
    const ch = c.channels.get(id);
    if (!ch) return this.error(ws, id, 'INVALID_MESSAGE', `channel ${id} is not open`);
    switch (type) {
      case 'CHANNEL_CANCEL':
        c.channels.delete(id);
        return this.send(ws, { type: 'CHANNEL_CLOSED', channel: id });
      case 'FEED_SETUP':
        return this.feedSetup(ws, id, ch, m);
      case 'FEED_SUBSCRIPTION':
        return this.feedSubscription(ws, id, ch, m);
      case 'KEEPALIVE':
      case 'ERROR':
        return;
      default:
        this.error(ws, id, 'UNSUPPORTED_PROTOCOL', `unknown message type ${type}`);
    }
  }

  private feedSetup(ws: WebSocket, id: number, ch: Channel, m: Record<string, unknown>): void {
    const format = m['acceptDataFormat'];
    if (format === 'COMPACT' || format === 'FULL') ch.dataFormat = format;
    else if (format !== undefined) return this.error(ws, id, 'INVALID_MESSAGE', `unknown data format ${String(format)}`);
    const period = m['acceptAggregationPeriod'];
    if (typeof period === 'number' && period >= 0) ch.aggregationPeriod = period;
    const accept = m['acceptEventFields'];
    const eventFields: Record<string, readonly string[]> = {};
    if (typeof accept === 'object' && accept !== null) {
      for (const [t, fs] of Object.entries(accept as Record<string, unknown>)) {
        if (!FIELDS[t] || !Array.isArray(fs)) continue;
        const known = fs.filter((f): f is string => typeof f === 'string' && FIELDS[t]!.includes(f));
        // eventType and eventSymbol always lead, so a compact row can be read.
        const fields = ['eventType', 'eventSymbol', ...known.filter((f) => f !== 'eventType' && f !== 'eventSymbol')];
        ch.fields.set(t, fields);
        eventFields[t] = fields;
      }
    }
    this.send(ws, { type: 'FEED_CONFIG', channel: id, aggregationPeriod: ch.aggregationPeriod, dataFormat: ch.dataFormat, ...(Object.keys(eventFields).length ? { eventFields } : {}) });
  }

  private feedSubscription(ws: WebSocket, id: number, ch: Channel, m: Record<string, unknown>): void {
    const add = parseSubs(m['add']);
    const remove = parseSubs(m['remove']);
    if (add === undefined || remove === undefined) return this.error(ws, id, 'INVALID_MESSAGE', 'add and remove must be lists of {type, symbol}');
    if (m['reset'] === true) ch.subs.clear();
    for (const s of remove) ch.subs.delete(`${s.type}:${s.symbol}`);
    const fresh = new Set<string>();
    for (const s of add) {
      const key = `${s.type}:${s.symbol}`;
      if (!ch.subs.has(key)) fresh.add(key);
      ch.subs.add(key);
      if (FIELDS[s.type] && !ch.fields.has(s.type)) {
        // A type subscribed without chosen fields gets the defaults, announced before any data (COMPACT rows need them).
        ch.fields.set(s.type, DEFAULT_FIELDS[s.type]!);
        this.send(ws, { type: 'FEED_CONFIG', channel: id, aggregationPeriod: ch.aggregationPeriod, dataFormat: ch.dataFormat, eventFields: { [s.type]: DEFAULT_FIELDS[s.type] } });
      }
    }
    // A fresh Quote subscription starts with the current quote (the snapshot a subscriber expects).
    for (const key of fresh) {
      const [type, ...rest] = key.split(':');
      const symbol = rest.join(':');
      const q = type === 'Quote' ? this.opts.quote(symbol) : undefined;
      if (q) this.sendEvents(ws, id, ch, 'Quote', [quoteEvent(symbol, q)]);
    }
  }
}

function parseSubs(v: unknown): Array<{ type: string; symbol: string }> | undefined {
  if (v === undefined) return [];
  if (!Array.isArray(v)) return undefined;
  const out: Array<{ type: string; symbol: string }> = [];
  for (const s of v) {
    if (typeof s !== 'object' || s === null) return undefined;
    const { type, symbol } = s as Record<string, unknown>;
    if (typeof type !== 'string' || typeof symbol !== 'string' || !KNOWN_TYPES.has(type)) return undefined;
    out.push({ type, symbol });
  }
  return out;
}

function quoteEvent(symbol: string, q: DxlinkQuote): Event {
  return { eventType: 'Quote', eventSymbol: symbol, eventTime: 0, bidPrice: num(q.bidPrice), askPrice: num(q.askPrice), bidSize: num(q.bidSize), askSize: num(q.askSize) };
}

/** A decimal string as the JSON number dxFeed sends; an empty or non-numeric one is NaN. */
function num(s: string): number {
  const n = s.trim() === '' ? NaN : Number(s);
  return n;
}

/** JSON has no NaN: dxLink writes it (and the infinities) as strings. A field the server does not know is NaN too. */
function valueOf(e: Event, field: string): string | number | boolean {
  const v = e[field];
  if (v === undefined) return 'NaN';
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  return v;
}
