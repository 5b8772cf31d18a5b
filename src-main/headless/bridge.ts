/**
 * The WebSocket bridge: the protocol in engine/api/transport.ts over `ws`, and nothing else.
 * Every call goes to `engine.callRaw`; every event comes from one `engine.subscribe`.
 */
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import type { CallContext, EngineApi } from '../engine/api/engine-api';
import { fail, MAX_MESSAGE_BYTES, type Result } from '../engine/api/errors';
import type { EngineEvent } from '../engine/api/events';
import { BRIDGE_AUTH_FAILED_CLOSE_CODE, BRIDGE_PATH, type BridgeServerMessage } from '../engine/api/transport';
import { createEventBatcher, type EventBatcher } from './event-batcher';

export interface BridgeOptions {
  readonly engine: EngineApi;
  readonly token: string;
  readonly version: string;
  /** Host:port values a request may name in its Host header; undefined accepts any (remote mode). */
  readonly allowedHosts?: () => ReadonlySet<string>;
  /**
   * Minimum gap between event frames to one client. Small on purpose: the renderer already coalesces
   * to one store update per animation frame, so waiting here only adds latency (the UI bench measured
   * p50 13.4 → 5.9 ms going from 16 to 4 ms) while still capping a client at 250 frames/s.
   */
  readonly flushIntervalMs?: number;
  /** Above this many buffered bytes a client counts as slow: its quotes conflate instead of queueing. */
  readonly highWaterBytes?: number;
  readonly helloTimeoutMs?: number;
}

export interface Bridge {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  readonly clientCount: number;
  close(): Promise<void>;
}

const UI_CTX: CallContext = { actor: 'user', transport: 'bridge' };
const CLI_CTX: CallContext = { actor: 'cli', transport: 'bridge' };
/**
 * ws drops the connection (1009) above this. Frames between MAX_MESSAGE_BYTES and this cap are
 * still read so the caller gets a `message_too_large` result for its call id, not a dead socket.
 */
export const HARD_FRAME_CAP = 4 * MAX_MESSAGE_BYTES;

export function newBridgeToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function tokensMatch(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  // Hash both so the comparison is constant-time even when lengths differ.
  const a = crypto.createHash('sha256').update(expected).digest();
  const b = crypto.createHash('sha256').update(given).digest();
  return crypto.timingSafeEqual(a, b);
}

export function createBridge(opts: BridgeOptions): Bridge {
  const wss = new WebSocketServer({ noServer: true, maxPayload: HARD_FRAME_CAP, perMessageDeflate: false });
  const clients = new Set<Client>();
  const highWater = opts.highWaterBytes ?? 1024 * 1024;
  const interval = opts.flushIntervalMs ?? 4;

  // One engine subscription for all clients; each client conflates on its own schedule.
  const unsubscribe = opts.engine.subscribe((event: EngineEvent) => {
    for (const c of clients) c.batcher?.push(event);
  });

  interface Client {
    ws: WebSocket;
    batcher?: EventBatcher;
  }

  const send = (ws: WebSocket, msg: BridgeServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  };

  const onConnection = (ws: WebSocket) => {
    const client: Client = { ws };
    clients.add(client);
    let authed = false;
    let ctx = UI_CTX;
    const helloTimer = setTimeout(() => {
      if (!authed) ws.close(BRIDGE_AUTH_FAILED_CLOSE_CODE, 'hello expected');
    }, opts.helloTimeoutMs ?? 10_000);

    ws.on('message', (data: RawData, isBinary: boolean) => {
      const text = rawToString(data);
      const bytes = Buffer.byteLength(text, 'utf8');
      if (!authed) {
        const msg = isBinary || bytes > MAX_MESSAGE_BYTES ? undefined : parseJson(text);
        if (!isObject(msg) || msg.type !== 'hello' || !tokensMatch(opts.token, msg.token)) {
          ws.close(BRIDGE_AUTH_FAILED_CLOSE_CODE, 'bad token');
          return;
        }
        authed = true;
        ctx = msg.client === 'cli' ? CLI_CTX : UI_CTX;
        clearTimeout(helloTimer);
        client.batcher = createEventBatcher({
          intervalMs: interval,
          send: (events) => send(ws, { type: 'events', events }),
          canSend: () => ws.bufferedAmount < highWater,
          // A client that cannot drain even the never-dropped events reloads a snapshot on reconnect.
          onOverflow: () => ws.close(1013, 'too slow'),
        });
        send(ws, { type: 'welcome', version: opts.version });
        return;
      }
      const msg = parseJson(text);
      const id = isObject(msg) && typeof msg.id === 'number' && Number.isFinite(msg.id) ? msg.id : 0;
      if (bytes > MAX_MESSAGE_BYTES) {
        reply(ws, id, fail('message_too_large', `Message is ${bytes} bytes; the limit is ${MAX_MESSAGE_BYTES} bytes.`));
        return;
      }
      if (!isObject(msg)) {
        reply(ws, id, fail('invalid_input', 'Message is not valid JSON.'));
        return;
      }
      if (msg.type === 'hello') return; // a repeated hello is harmless
      if (msg.type !== 'call' || typeof msg.id !== 'number' || typeof msg.command !== 'string') {
        reply(ws, id, fail('invalid_input', 'Expected {type:"call", id:number, command:string, input}.'));
        return;
      }
      void opts.engine.callRaw(msg.command, msg.input, ctx).then(
        (result) => reply(ws, id, result),
        () => reply(ws, id, fail('internal', 'The engine failed to handle this command.')),
      );
    });
    ws.on('close', () => {
      clearTimeout(helloTimer);
      client.batcher?.close();
      clients.delete(client);
    });
    ws.on('error', () => ws.terminate());
  };
  wss.on('connection', onConnection);

  function reply(ws: WebSocket, id: number, result: Result<unknown>) {
    send(ws, { type: 'result', id, result });
  }

  return {
    handleUpgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== BRIDGE_PATH) return rejectUpgrade(socket, 404, 'Not Found');
      const host = (req.headers.host ?? '').toLowerCase();
      const allowed = opts.allowedHosts?.();
      // Host check defeats DNS rebinding; Origin check stops other web pages from connecting.
      if (allowed && !allowed.has(host)) return rejectUpgrade(socket, 403, 'Forbidden');
      const origin = req.headers.origin;
      if (origin !== undefined && !originMatchesHost(origin, host)) return rejectUpgrade(socket, 403, 'Forbidden');
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    get clientCount() {
      return clients.size;
    },
    async close() {
      unsubscribe();
      for (const c of clients) {
        c.batcher?.close();
        c.ws.close(1001, 'server closing');
      }
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      for (const c of clients) c.ws.terminate();
      clients.clear();
    },
  };
}

/** The page must come from this server itself: same scheme (plain http, as served) and host:port. */
function originMatchesHost(origin: string, host: string): boolean {
  try {
    const u = new URL(origin);
    return u.protocol === 'http:' && u.host.toLowerCase() === host;
  } catch {
    return false;
  }
}

function rejectUpgrade(socket: Duplex, status: number, text: string) {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function rawToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
