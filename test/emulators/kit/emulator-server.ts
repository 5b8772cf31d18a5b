/**
 * The HTTP + WebSocket server every REST venue emulator is built on: routes on 127.0.0.1, an
 * auth hook, the kit's faults applied to every venue request, a stream with sequence numbers
 * (and gaps on request), and the `/__control/` API. A venue emulator adds its routes, its
 * control commands and its state; it never touches sockets itself.
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { serveControl, type ControlBody, type ControlCommands } from './control';
import { FAULT_KINDS, FaultState, faultSpecOf } from './faults';

export interface KitRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  /** The body parsed as JSON; undefined when empty or not JSON. */
  readonly json: unknown;
}

export interface KitResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export type KitHandler = (req: KitRequest) => KitResponse | Promise<KitResponse>;
/** Returns an answer to refuse the request (401 …), or undefined to let it through. */
export type AuthHook = (req: KitRequest) => KitResponse | undefined;

export interface EmulatorServerOptions {
  readonly name: string;
  readonly port?: number;
  readonly auth?: AuthHook;
  /** The WebSocket path (default `/stream`); the auth hook sees the upgrade request. */
  readonly streamPath?: string;
  /** More WebSocket paths on the same port (a venue with several streams); the handler reads `req.url`. `/ws/*` accepts every path under `/ws/`. */
  readonly streamPaths?: readonly string[];
  readonly log?: (line: string) => void;
}

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly body: string;
  /** The raw query string (without `?`), for venues that put parameters there. */
  readonly query?: string;
  readonly at: number;
  /** What the client got: a status, or `lost` (the handler ran, no answer was sent). */
  readonly outcome: number | 'lost';
}

interface Route {
  readonly method: string;
  readonly parts: readonly string[];
  readonly handler: KitHandler;
}

export interface EmulatorServerEvents {
  request: [SeenRequest];
  streamConnection: [WebSocket, http.IncomingMessage];
  listening: [number];
  refusing: [number];
}

export class EmulatorServer extends EventEmitter<EmulatorServerEvents> {
  readonly faults = new FaultState();
  readonly requests: SeenRequest[] = [];
  private readonly routes: Route[] = [];
  private readonly commands: ControlCommands = {};
  private readonly sockets = new Set<WebSocket>();
  /** Each stream socket's upgrade path (for `streamOutage`). */
  private readonly socketPaths = new Map<WebSocket, string>();
  private outageOn: ((path: string) => boolean) | undefined;
  private readonly tcp = new Set<Socket>();
  private readonly seqs = new Map<string, number>();
  private server?: http.Server;
  private wss?: WebSocketServer;
  private stateFn: () => unknown = () => ({});
  port: number;

  constructor(private readonly opts: EmulatorServerOptions) {
    super();
    this.port = opts.port ?? 0;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get streamUrl(): string {
    return `ws://127.0.0.1:${this.port}${this.opts.streamPath ?? '/stream'}`;
  }

  /** `pattern` like `/v1/orders/:id`. */
  route(method: string, pattern: string, handler: KitHandler): this {
    this.routes.push({ method: method.toUpperCase(), parts: pattern.split('/').filter(Boolean), handler });
    return this;
  }

  command(name: string, f: (body: ControlBody) => unknown): this {
    this.commands[name] = f;
    return this;
  }

  /** What `GET /__control/state` shows under `venue`. */
  state(f: () => unknown): this {
    this.stateFn = f;
    return this;
  }

  /** The next sequence number on a stream channel, skipping any armed gap. */
  nextSeq(channel = 'default'): number {
    const skip = this.faults.pendingGap;
    this.faults.pendingGap = 0;
    const n = (this.seqs.get(channel) ?? 0) + 1 + skip;
    this.seqs.set(channel, n);
    return n;
  }

  /** Sends a text frame to every stream client. */
  broadcast(text: string): void {
    for (const ws of this.sockets) ws.send(text);
  }

  get streamClients(): number {
    return this.sockets.size;
  }

  /** Requests seen on a path (optionally one method); control requests are not recorded. */
  count(method: string, path: string): number {
    return this.requests.filter((r) => r.method === method && r.path === path).length;
  }

  async start(): Promise<void> {
    const server = http.createServer((req, res) => void this.serve(req, res));
    server.on('connection', (s) => {
      this.tcp.add(s);
      s.on('close', () => this.tcp.delete(s));
    });
    const wss = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const paths = [this.opts.streamPath ?? '/stream', ...(this.opts.streamPaths ?? [])];
      if (this.outageOn?.(url.pathname)) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\n\r\n');
        return;
      }
      const refused = paths.some((p) => (p.endsWith('/*') ? url.pathname.startsWith(p.slice(0, -1)) : p === url.pathname)) ? this.opts.auth?.(toKitRequest(req, url, '', {})) : { status: 404 };
      if (refused) {
        socket.end(`HTTP/1.1 ${refused.status} Refused\r\nconnection: close\r\n\r\n`);
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        this.sockets.add(ws);
        this.socketPaths.set(ws, url.pathname);
        ws.on('close', () => {
          this.sockets.delete(ws);
          this.socketPaths.delete(ws);
        });
        ws.on('error', () => undefined);
        this.emit('streamConnection', ws, req);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.wss = wss;
    this.port = (server.address() as AddressInfo).port;
    this.emit('listening', this.port);
  }

  async stop(): Promise<void> {
    this.dropSockets();
    for (const s of this.tcp) s.destroy();
    await new Promise<void>((r) => (this.wss ? this.wss.close(() => r()) : r()));
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    this.server = undefined;
    this.wss = undefined;
  }

  /** Kills every stream socket without a close frame (a pulled cable), and idle HTTP keep-alives. */
  dropSockets(): number {
    const n = this.sockets.size;
    for (const ws of this.sockets) ws.terminate();
    this.sockets.clear();
    return n;
  }

  /**
   * An outage of some stream paths alone (a venue's market-data feed while its order stream stays
   * up): sockets on a path `on` matches are terminated without a close frame, and new ones refused
   * with 503, until it is ended (`on` undefined). Returns how many sockets it dropped.
   */
  streamOutage(on: ((path: string) => boolean) | undefined): number {
    this.outageOn = on;
    if (!on) return 0;
    const hit = [...this.sockets].filter((ws) => on(this.socketPaths.get(ws) ?? ''));
    for (const ws of hit) {
      ws.terminate();
      this.sockets.delete(ws);
    }
    return hit.length;
  }

  /** Stops listening (connections are refused) for `ms`, then listens again on the same port. Resolves when back. */
  async refuseFor(ms: number): Promise<void> {
    await this.stop();
    // Emitted once the port is closed, so a listener can count on refused connections.
    this.emit('refusing', ms);
    // Real time on purpose: this fault is the venue being down for a wall-clock while.
    await new Promise((r) => setTimeout(r, ms));
    await this.start();
  }

  private fault(body: ControlBody): unknown {
    const spec = faultSpecOf(body);
    if (spec.kind === 'drop-sockets') return { dropped: this.dropSockets() };
    if (spec.kind === 'refuse') {
      const ms = spec.ms ?? 1000;
      // Answer first: the listener is about to close.
      setImmediate(() => void this.refuseFor(ms));
      return { refusingForMs: ms };
    }
    this.faults.arm(spec);
    return { armed: this.faults.view() };
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const control = {
      name: this.opts.name,
      commands: this.commands,
      faultKinds: FAULT_KINDS,
      state: () => ({ emulator: this.opts.name, faults: this.faults.view(), streamClients: this.sockets.size, venue: this.stateFn() }),
      fault: (b: ControlBody) => this.fault(b),
      reset: () => this.faults.reset(),
    };
    if (serveControl(control, req, res, url.pathname)) return;
    const body = await readBody(req);
    const method = req.method ?? 'GET';
    const record = (outcome: number | 'lost'): void => {
      const seen = { method, path: url.pathname, body, query: url.search.slice(1), at: Date.now(), outcome };
      this.requests.push(seen);
      this.emit('request', seen);
    };
    const send = (r: KitResponse): void => {
      record(r.status);
      res.writeHead(r.status, { 'content-type': 'application/json', ...r.headers });
      res.end(r.body === undefined ? '' : JSON.stringify(r.body));
    };
    if (this.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, this.faults.latencyMs));
    const match = this.match(method, url.pathname);
    const kreq = toKitRequest(req, url, body, match?.params ?? {});
    const refused = this.opts.auth?.(kreq);
    if (refused) return send(refused);
    const fault = this.faults.take(method, url.pathname);
    if (fault?.kind === 'status') return send({ status: fault.status, headers: fault.headers, body: fault.body });
    if (!match) return send({ status: 404, body: { code: 'not_found', message: `no route ${method} ${url.pathname}` } });
    let out: KitResponse;
    try {
      out = await match.route.handler(kreq);
    } catch (e) {
      out = { status: 500, body: { code: 'emulator_bug', message: e instanceof Error ? e.message : String(e) } };
    }
    if (fault?.kind === 'lose-response') {
      // The venue did the work; the answer never arrives (a reset after the order was created).
      record('lost');
      req.socket.destroy();
      return;
    }
    send(out);
  }

  private match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    const parts = path.split('/').filter(Boolean);
    for (const route of this.routes) {
      if (route.method !== method || route.parts.length !== parts.length) continue;
      const params: Record<string, string> = {};
      if (route.parts.every((p, i) => (p.startsWith(':') ? ((params[p.slice(1)] = decodeURIComponent(parts[i]!)), true) : p === parts[i]))) return { route, params };
    }
    return undefined;
  }
}

function toKitRequest(req: http.IncomingMessage, url: URL, body: string, params: Record<string, string>): KitRequest {
  let json: unknown;
  try {
    json = body.trim() === '' ? undefined : (JSON.parse(body) as unknown);
  } catch {
    json = undefined;
  }
  return { method: req.method ?? 'GET', path: url.pathname, params, query: url.searchParams, headers: req.headers, body, json };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}
