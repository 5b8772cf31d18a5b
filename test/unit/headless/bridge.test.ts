import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_MESSAGE_BYTES } from '../../../src-main/engine/api/errors';
import type { EngineEvent } from '../../../src-main/engine/api/events';
import { BRIDGE_AUTH_FAILED_CLOSE_CODE, BRIDGE_PATH, type BridgeServerMessage } from '../../../src-main/engine/api/transport';
import { tokensMatch } from '../../../src-main/headless/bridge';
import { readMarker } from '../../../src-main/headless/engine-lock';
import { isLoopbackHost, startHeadlessServer, type HeadlessServer } from '../../../src-main/headless/server';
import { FakeEngine, orderEvent, quote } from '../../helpers/fake-engine';
import { connect, type TestClient } from '../../helpers/ws-client';

let engine: FakeEngine;
let server: HeadlessServer;
let dataDir: string;
let staticDir: string;

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-bridge-'));
  staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-static-'));
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><div id="root"></div>');
  fs.mkdirSync(path.join(staticDir, 'assets'));
  fs.writeFileSync(path.join(staticDir, 'assets', 'index-abc.js'), 'console.log(1)');
  fs.writeFileSync(path.join(staticDir, 'assets', 'index-abc.css'), 'body{}');
  fs.writeFileSync(path.join(dataDir, 'outside.txt'), 'secret-ish');
  engine = new FakeEngine();
  server = await startHeadlessServer({ engine, port: 0, staticDir, dataDir, version: '9.9.9', flushIntervalMs: 10 });
});

afterEach(async () => {
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(staticDir, { recursive: true, force: true });
});

const wsUrl = () => `ws://127.0.0.1:${server.port}${BRIDGE_PATH}`;

async function authed(): Promise<TestClient> {
  const c = await connect(wsUrl());
  c.send({ type: 'hello', token: server.token });
  expect(await c.next()).toEqual({ type: 'welcome', version: '9.9.9' });
  return c;
}

function get(p: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    // Raw path on purpose: fetch() would normalise "../" away before it reached the server.
    const req = http.request({ host: '127.0.0.1', port: server.port, path: p, headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('bridge handshake', () => {
  it('uses a random 32-byte base64url token, written 0600 to the data dir', () => {
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const file = path.join(dataDir, 'bridge-token');
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(server.token);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(server.openUrl).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`);
  });

  it('welcomes the right token and closes 4401 on a wrong one', async () => {
    await authed();
    const bad = await connect(wsUrl());
    bad.send({ type: 'hello', token: server.token.slice(0, -1) + (server.token.endsWith('A') ? 'B' : 'A') });
    expect((await bad.closed).code).toBe(BRIDGE_AUTH_FAILED_CLOSE_CODE);
    expect(bad.messages).toEqual([]);
  });

  it('closes 4401 when the first message is a call, not a hello', async () => {
    const c = await connect(wsUrl());
    c.send({ type: 'call', id: 1, command: 'orders.list', input: {} });
    expect((await c.closed).code).toBe(BRIDGE_AUTH_FAILED_CLOSE_CODE);
    expect(engine.calls).toEqual([]);
  });

  it('compares tokens of any length without throwing', () => {
    expect(tokensMatch('abc', 'abc')).toBe(true);
    expect(tokensMatch('abc', 'abcd')).toBe(false);
    expect(tokensMatch('abc', 42)).toBe(false);
  });

  it('refuses upgrades from another web origin and on other paths', async () => {
    await expect(connect(wsUrl(), { Origin: 'https://evil.example' })).rejects.toThrow(/403/);
    await expect(connect(`ws://127.0.0.1:${server.port}/other`)).rejects.toThrow(/404/);
    // Same-origin page (the served renderer) is fine.
    const c = await connect(wsUrl(), { Origin: `http://127.0.0.1:${server.port}` });
    c.ws.close();
  });

  it('compares the Origin’s scheme too, not only its host and port', async () => {
    // Same host:port under another scheme is another origin (e.g. a page served over TLS or a file).
    await expect(connect(wsUrl(), { Origin: `https://127.0.0.1:${server.port}` })).rejects.toThrow(/403/);
    await expect(connect(wsUrl(), { Origin: `ftp://127.0.0.1:${server.port}` })).rejects.toThrow(/403/);
  });
});

describe('bridge calls', () => {
  it('passes the command to callRaw with the bridge context and returns the result by id', async () => {
    const c = await authed();
    c.send({ type: 'call', id: 7, command: 'orders.list', input: { all: true } });
    expect(await c.next()).toEqual({ type: 'result', id: 7, result: { ok: true, value: { echo: { command: 'orders.list', input: { all: true } } } } });
    expect(engine.calls).toEqual([{ command: 'orders.list', input: { all: true }, ctx: { actor: 'user', transport: 'bridge' } }]);
    c.send({ type: 'call', id: 8, command: 'bad.command' });
    expect(await c.next()).toMatchObject({ id: 8, result: { ok: false, error: { code: 'unknown_command' } } });
  });

  it('answers malformed JSON and bad shapes with invalid_input and keeps the connection', async () => {
    const c = await authed();
    c.send('{"type":"call","id":3,');
    expect(await c.next()).toMatchObject({ type: 'result', id: 0, result: { ok: false, error: { code: 'invalid_input' } } });
    c.send({ type: 'call', id: 4 });
    expect(await c.next()).toMatchObject({ type: 'result', id: 4, result: { ok: false, error: { code: 'invalid_input' } } });
    c.send({ type: 'call', id: 5, command: 'venues.list', input: {} });
    expect(await c.next()).toMatchObject({ id: 5, result: { ok: true } });
    expect(engine.calls.map((x) => x.command)).toEqual(['venues.list']);
  });

  it('refuses a frame over MAX_MESSAGE_BYTES with message_too_large and never calls the engine', async () => {
    const c = await authed();
    c.send({ type: 'call', id: 11, command: 'order.place', input: { pad: 'x'.repeat(MAX_MESSAGE_BYTES) } });
    expect(await c.next()).toMatchObject({ type: 'result', id: 11, result: { ok: false, error: { code: 'message_too_large' } } });
    expect(engine.calls).toEqual([]);
    // Far above the limit the socket is dropped by ws itself (1009) before the frame is buffered.
    c.send({ type: 'call', id: 12, command: 'x', input: 'y'.repeat(MAX_MESSAGE_BYTES * 5) });
    expect((await c.closed).code).toBe(1009);
  });
});

describe('bridge events', () => {
  it('conflates quotes per instrument, keeps the final state and never drops order events', async () => {
    const c = await authed();
    const sent: EngineEvent[] = [];
    const emit = (e: EngineEvent) => {
      sent.push(e);
      engine.emit(e);
    };
    for (let i = 0; i <= 2000; i++) {
      emit(quote('paper:BTC/USD', String(i)));
      emit(quote('paper:AAPL', String(10000 + i)));
      if (i % 100 === 0) emit(orderEvent(`o${i}`, 'accepted'));
      // Not a wait: spreads the burst over several batch windows so batching is exercised across them.
      if (i % 250 === 0) await new Promise((r) => setTimeout(r, 12));
    }
    emit(orderEvent('last', 'filled'));
    const received: EngineEvent[] = [];
    let batches = 0;
    while (!received.some((e) => e.type === 'order' && e.order.id === 'last')) {
      const m = (await c.next((x) => x.type === 'events')) as Extract<BridgeServerMessage, { type: 'events' }>;
      batches++;
      received.push(...m.events);
    }
    const orders = (l: EngineEvent[]) => l.filter((e) => e.type === 'order').map((e) => (e.type === 'order' ? e.order.id : ''));
    expect(orders(received)).toEqual(orders(sent));
    const lastQuote = (id: string) => [...received].reverse().find((e) => e.type === 'quote' && e.quote.instrumentId === id);
    expect(lastQuote('paper:BTC/USD')).toEqual(quote('paper:BTC/USD', '2000'));
    expect(lastQuote('paper:AAPL')).toEqual(quote('paper:AAPL', '12000'));
    expect(received.length).toBeLessThan(sent.length / 10);
    expect(batches).toBeLessThan(20);
  });

  it('sends no events before the hello and unsubscribes when the server closes', async () => {
    const c = await connect(wsUrl());
    engine.emit(orderEvent('early', 'accepted'));
    // Kept: an unauthenticated socket is sent nothing at all, so no later event can mark "would have arrived by now".
    await new Promise((r) => setTimeout(r, 30));
    expect(c.messages).toEqual([]);
    expect(engine.listenerCount).toBe(1);
    await server.close();
    expect(engine.listenerCount).toBe(0);
  });
});

describe('static renderer', () => {
  it('serves index.html and assets with MIME types and the CSP header', async () => {
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['content-security-policy']).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect((await get('/assets/index-abc.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get('/assets/index-abc.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await get('/assets/missing.js')).status).toBe(404);
    expect((await get('/some/route')).body).toContain('id="root"');
  });

  it('refuses path traversal, encoded or not', async () => {
    const rel = path.relative(staticDir, path.join(dataDir, 'outside.txt')).split(path.sep).join('/');
    for (const p of [`/${rel}`, `/${rel.replace(/\.\./g, '%2e%2e')}`, `/..%2f..%2f${path.basename(dataDir)}/outside.txt`, '/%00', '/..\\..\\x']) {
      const res = await get(p);
      expect(res.status, p).toBeGreaterThanOrEqual(400);
      expect(res.body).not.toContain('secret-ish');
    }
  });

  it('refuses a foreign Host header (DNS rebinding) and non-GET methods', async () => {
    expect((await get('/', { Host: 'evil.example:80' })).status).toBe(403);
    const res = await new Promise<number>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port: server.port, path: '/', method: 'POST' }, (r) => resolve(r.statusCode ?? 0));
      req.end();
    });
    expect(res).toBe(405);
  });
});

describe('server lifecycle', () => {
  it('writes engine.json while running and removes it at close', async () => {
    expect(readMarker(dataDir)).toMatchObject({ pid: process.pid, port: server.port });
    await server.close();
    expect(readMarker(dataDir)).toBeUndefined();
  });

  it('refuses a non-loopback address unless allowRemote', async () => {
    await expect(startHeadlessServer({ engine, port: 0, host: '0.0.0.0' })).rejects.toThrow(/--allow-remote/);
    const open = await startHeadlessServer({ engine, port: 0, host: '0.0.0.0', allowRemote: true });
    const ws = new WebSocket(`ws://127.0.0.1:${open.port}${BRIDGE_PATH}`);
    await new Promise((r) => ws.once('open', r));
    ws.close();
    await open.close();
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('192.168.1.5')).toBe(false);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
  });
});
