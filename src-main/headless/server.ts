/**
 * Headless mode: one HTTP server on loopback that serves the built renderer and upgrades
 * BRIDGE_PATH to the WebSocket bridge. Also used by the desktop app (without a static dir) so the
 * CLI can reach the engine the app runs.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { EngineApi } from '../engine/api/engine-api';
import { DEFAULT_SERVE_PORT } from '../engine/api/transport';
import { createBridge, newBridgeToken } from './bridge';
import { removeMarker, writeMarker, writeTokenFile } from './engine-lock';
import { serveStatic } from './static-files';

export interface HeadlessServerOptions {
  readonly engine: EngineApi;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly host?: string;
  readonly allowRemote?: boolean;
  /** The built renderer (out/renderer). Without it only the bridge is served. */
  readonly staticDir?: string;
  /** Where the token file and engine.json go. Without it nothing is written (tests). */
  readonly dataDir?: string;
  readonly version?: string;
  /** Fixed token for tests; production always generates one. */
  readonly token?: string;
  readonly flushIntervalMs?: number;
  readonly highWaterBytes?: number;
}

export interface HeadlessServer {
  readonly host: string;
  readonly port: number;
  /** Base URL without the token. */
  readonly url: string;
  /** URL a browser opens: the token rides in the fragment, so it never reaches a request log. */
  readonly openUrl: string;
  readonly token: string;
  readonly tokenFile?: string;
  close(): Promise<void>;
}

export class RemoteBindRefusedError extends Error {
  constructor(readonly host: string) {
    super(`Refusing to listen on ${host}: it is not a loopback address. Pass --allow-remote to expose the bridge beyond this machine.`);
    this.name = 'RemoteBindRefusedError';
  }
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (h.startsWith('::ffff:')) return net.isIPv4(h.slice(7)) && h.slice(7).startsWith('127.');
  return false;
}

export async function startHeadlessServer(opts: HeadlessServerOptions): Promise<HeadlessServer> {
  const host = opts.host ?? '127.0.0.1';
  const allowRemote = opts.allowRemote ?? false;
  if (!allowRemote && !isLoopbackHost(host)) throw new RemoteBindRefusedError(host);
  const token = opts.token ?? newBridgeToken();
  let boundPort = 0;

  const bridge = createBridge({
    engine: opts.engine,
    token,
    version: opts.version ?? '0.0.0',
    flushIntervalMs: opts.flushIntervalMs,
    highWaterBytes: opts.highWaterBytes,
    allowedHosts: allowRemote ? undefined : () => loopbackHostNames(host, boundPort),
  });

  const server = http.createServer((req, res) => {
    if (!allowRemote && !loopbackHostNames(host, boundPort).has((req.headers.host ?? '').toLowerCase())) {
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Forbidden host\n');
      return;
    }
    serveStatic(opts.staticDir, req, res);
  });
  server.on('upgrade', (req, socket, head) => bridge.handleUpgrade(req, socket, head));
  // Idle keep-alive sockets would otherwise hold close() open for seconds.
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? DEFAULT_SERVE_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  boundPort = (server.address() as AddressInfo).port;

  const urlHost = host.includes(':') ? `[${host}]` : host;
  const displayHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : urlHost;
  const url = `http://${displayHost}:${boundPort}/`;
  const startedAt = Date.now();

  let tokenFile: string | undefined;
  if (opts.dataDir) {
    tokenFile = writeTokenFile(opts.dataDir, token);
    writeMarker(opts.dataDir, { pid: process.pid, port: boundPort, startedAt, host });
  }

  let closing: Promise<void> | undefined;
  return {
    host,
    port: boundPort,
    url,
    openUrl: `${url}#token=${token}`,
    token,
    tokenFile,
    close() {
      closing ??= (async () => {
        if (opts.dataDir) removeMarker(opts.dataDir);
        await bridge.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}

function loopbackHostNames(host: string, port: number): ReadonlySet<string> {
  const bound = host.includes(':') ? `[${host}]` : host;
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `${bound.toLowerCase()}:${port}`]);
}
