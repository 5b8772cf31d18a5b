/**
 * A local venue stand-in over real sockets that misbehaves on request: scripted HTTP answers
 * (5xx bursts, 429/418 with Retry-After, slow or dropped responses), a WebSocket endpoint that
 * records subscriptions, can drop every connection, stop answering pings, and restart.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface ScriptedResponse {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly delayMs?: number;
  /** Destroy the socket after reading the request, without answering. */
  readonly drop?: boolean;
}

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly body: string;
}

export class FaultServer {
  readonly requests: SeenRequest[] = [];
  /** Client ports seen: one per TCP connection. */
  readonly clientPorts = new Set<number>();
  readonly wsMessages: string[] = [];
  readonly scripts = new Map<string, ScriptedResponse[]>();
  defaults = new Map<string, ScriptedResponse>();
  answerPings = true;
  port = 0;
  connections = 0;
  private server?: http.Server;
  private wss?: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  /** Called for each WS text message; may reply. */
  onWsMessage?: (ws: WebSocket, msg: string) => void;

  async start(port = 0): Promise<void> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        this.requests.push({ method: req.method ?? '', url: req.url ?? '', body });
        this.clientPorts.add(req.socket.remotePort ?? 0);
        const path = (req.url ?? '').split('?')[0]!;
        const r = this.scripts.get(path)?.shift() ?? this.defaults.get(path) ?? { status: 200, body: '{}' };
        if (r.drop) {
          req.socket.destroy();
          return;
        }
        setTimeout(() => {
          if (res.destroyed) return;
          res.writeHead(r.status ?? 200, { 'content-type': 'application/json', ...r.headers });
          res.end(r.body ?? '{}');
        }, r.delayMs ?? 0);
      });
    });
    const wss = new WebSocketServer({ server, autoPong: false });
    wss.on('connection', (ws) => {
      this.connections++;
      this.sockets.add(ws);
      ws.on('close', () => this.sockets.delete(ws));
      ws.on('ping', (d) => {
        if (this.answerPings) ws.pong(d);
      });
      ws.on('message', (m) => {
        const s = m.toString();
        this.wsMessages.push(s);
        this.onWsMessage?.(ws, s);
      });
    });
    await new Promise<void>((res) => server.listen(port, '127.0.0.1', res));
    this.server = server;
    this.wss = wss;
    this.port = (server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  script(path: string, ...responses: ScriptedResponse[]): void {
    this.scripts.set(path, [...(this.scripts.get(path) ?? []), ...responses]);
  }

  count(path: string): number {
    return this.requests.filter((r) => r.url.split('?')[0] === path).length;
  }

  broadcast(msg: string): void {
    for (const ws of this.sockets) ws.send(msg);
  }

  /** Kills every WebSocket without a close frame, like a NAT timeout or a pulled cable. */
  dropSockets(): void {
    for (const ws of this.sockets) ws.terminate();
  }

  get openSockets(): number {
    return this.sockets.size;
  }

  async stop(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.sockets.clear();
    await new Promise<void>((res) => this.wss?.close(() => res()) ?? res());
    this.server?.closeAllConnections();
    await new Promise<void>((res) => (this.server ? this.server.close(() => res()) : res()));
    this.server = undefined;
  }

  /** Stops, stays down for `downMs`, and comes back on the same port. Resolves when listening again. */
  async restart(downMs: number): Promise<void> {
    const port = this.port;
    await this.stop();
    await new Promise((r) => setTimeout(r, downMs));
    await this.start(port);
  }
}
