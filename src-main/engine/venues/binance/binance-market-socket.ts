/**
 * Binance market streams on combined connections (web-socket-streams.md): the streams of every
 * followed symbol share one `/stream?streams=a/b/c` socket, whose frames are
 * `{"stream":"<name>","data":{…}}`. Binance's limits are kept: at most 1024 streams a connection
 * (`BinanceMarketSockets` opens another one beyond), and at most 5 incoming messages a second —
 * a PING, a PONG and a SUBSCRIBE each count, and a connection over it is dropped — so streams
 * added while connected are gathered into one SUBSCRIBE sent at most every 250 ms. A
 * (re)connection names every stream in its URL: nothing to resubscribe.
 */
import { ResilientWs } from '../../net/resilient-ws';

export const MAX_STREAMS_PER_CONNECTION = 1024;
/** At most 4 SUBSCRIBEs a second, leaving room under the 5-message limit for a ping or pong. */
export const SUBSCRIBE_GAP_MS = 250;

export interface MarketFrame {
  readonly stream: string;
  /** The event's own JSON text (the depth parser's fast path takes it as is). */
  readonly data: string;
}

const HEAD = '{"stream":"';
const DATA = ',"data":';

/** The stream name and event text of a combined frame, without parsing the event; undefined for anything else (subscription answers). */
export function unwrapCombined(text: string): MarketFrame | undefined {
  if (text.startsWith(HEAD)) {
    const end = text.indexOf('"', HEAD.length);
    if (end > 0 && text.startsWith(DATA, end + 1) && text.endsWith('}')) return { stream: text.slice(HEAD.length, end), data: text.slice(end + 1 + DATA.length, -1) };
  }
  try {
    const j = JSON.parse(text) as { stream?: unknown; data?: unknown };
    return typeof j.stream === 'string' && j.data !== undefined ? { stream: j.stream, data: JSON.stringify(j.data) } : undefined;
  } catch {
    return undefined;
  }
}

interface SocketEvents {
  frame(f: MarketFrame): void;
  /** A (re)connection opened: what the streams sent while we were away is lost. */
  opened(streams: readonly string[]): void;
  /** The connection carrying `streams` dropped (`up` false) or is connecting again (`up` true). */
  feed(streams: readonly string[], up: boolean): void;
}

/** One combined connection. */
class CombinedSocket {
  readonly streams = new Set<string>();
  private readonly ws: ResilientWs;
  /** Streams this connection carries: named in its URL or subscribed since. */
  private carried = new Set<string>();
  private readonly pending = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastSubscribe = 0;
  private nextId = 1;
  private started = false;

  constructor(wsUrl: string, name: string, on: SocketEvents) {
    this.ws = new ResilientWs({
      url: () => {
        this.carried = new Set(this.streams);
        this.pending.clear();
        return `${wsUrl}/stream?streams=${[...this.carried].join('/')}`;
      },
      name,
      backoff: { initialMs: 100, maxMs: 5_000 },
    });
    this.ws.on('open', () => {
      // Added while this connection's URL was already on its way.
      this.request([...this.streams].filter((s) => !this.carried.has(s)));
      on.opened([...this.streams]);
    });
    this.ws.on('state', (e) => {
      if (e.state === 'reconnecting') on.feed([...this.streams], false);
      else if (e.state === 'connecting') on.feed([...this.streams], true);
    });
    this.ws.on('message', (text) => {
      const f = unwrapCombined(text);
      if (f) on.frame(f);
    });
  }

  get room(): number {
    return MAX_STREAMS_PER_CONNECTION - this.streams.size;
  }

  /** True when the streams join a connection already open (no `opened` will announce them). */
  add(streams: readonly string[]): boolean {
    for (const s of streams) this.streams.add(s);
    if (!this.started) {
      this.started = true;
      this.ws.start();
      return false;
    }
    if (this.ws.state !== 'open') return false;
    this.request(streams);
    return true;
  }

  private request(streams: readonly string[]): void {
    for (const s of streams) this.pending.add(s);
    if (this.pending.size === 0 || this.timer) return;
    const wait = Math.max(0, this.lastSubscribe + SUBSCRIBE_GAP_MS - Date.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = undefined;
    // Not open: the next connection's URL names them.
    if (this.ws.state !== 'open' || this.pending.size === 0) return;
    const params = [...this.pending];
    this.pending.clear();
    this.lastSubscribe = Date.now();
    if (this.ws.send(JSON.stringify({ method: 'SUBSCRIBE', params, id: this.nextId++ })) === 'sent') for (const s of params) this.carried.add(s);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.ws.stop();
  }
}

/** Every market stream of one venue over as few combined connections as Binance's limits allow. */
export class BinanceMarketSockets {
  private readonly sockets: CombinedSocket[] = [];

  constructor(
    private readonly wsUrl: string,
    private readonly name: string,
    private readonly on: SocketEvents,
  ) {}

  /** Streams that belong together (one symbol's) go on one connection; true when it is open already. */
  add(streams: readonly string[]): boolean {
    let s = this.sockets.find((x) => x.room >= streams.length);
    if (!s) {
      s = new CombinedSocket(this.wsUrl, `${this.name} market ${this.sockets.length + 1}`, this.on);
      this.sockets.push(s);
    }
    return s.add(streams);
  }

  /** Connections in use. */
  get connections(): number {
    return this.sockets.length;
  }

  stop(): void {
    for (const s of this.sockets) s.stop();
    this.sockets.length = 0;
  }
}
