/**
 * The WebSocket bridge over the real engine and Paper venue: what the browser UI does on load
 * (hello, snapshot), a ticket round trip, live events, and bad input.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src-main/engine/api/events';
import { BRIDGE_PATH, type BridgeServerMessage } from '../../src-main/engine/api/transport';
import { createEngine, type Engine } from '../../src-main/engine/engine';
import { MemorySecretStore } from '../../src-main/engine/ports/secrets';
import { startHeadlessServer, type HeadlessServer } from '../../src-main/headless/server';
import { connect, type TestClient } from '../helpers/ws-client';

let dataDir: string;
let engine: Engine;
let server: HeadlessServer;
let client: TestClient;
let nextId = 1;

async function call(command: string, input: unknown): Promise<any> {
  const id = nextId++;
  client.send({ type: 'call', id, command, input });
  const m = (await client.next((x) => x.type === 'result' && x.id === id)) as Extract<BridgeServerMessage, { type: 'result' }>;
  return m.result;
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-bridge-int-'));
  engine = await createEngine({ dataDir, secrets: new MemorySecretStore(), paperSeed: 7, paperTickMs: 20 });
  server = await startHeadlessServer({ engine, port: 0, dataDir });
  client = await connect(`ws://127.0.0.1:${server.port}${BRIDGE_PATH}`);
  client.send({ type: 'hello', token: server.token });
  expect(await client.next()).toMatchObject({ type: 'welcome' });
});

afterAll(async () => {
  client?.ws.close();
  await server?.close();
  await engine?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('bridge over the real engine', () => {
  it('returns a snapshot with the paper venue', async () => {
    const r = await call('snapshot.get', {});
    expect(r.ok).toBe(true);
    expect(r.value.venues.map((v: { name: string }) => v.name)).toContain('paper');
  });

  it('streams conflated quotes and every order event of a placed order', async () => {
    const ticket = { venue: 'paper', symbol: 'BTC/USD', side: 'buy', type: 'limit', qty: '0.01', limitPrice: '97000' };
    // The trader's window places only on a preview it has shown (issue 8 item 1).
    const blind = await call('order.place', ticket);
    expect(blind).toMatchObject({ ok: false, error: { code: 'preview_stale' } });
    const pv = await call('order.preview', ticket);
    expect(pv).toMatchObject({ ok: true, value: { previewId: expect.stringMatching(/^pv_/) } });
    const placed = await call('order.place', { ...ticket, clientOrderId: pv.value.clientOrderId, previewId: pv.value.previewId });
    expect(placed).toMatchObject({ ok: true, value: { status: expect.any(String), source: 'user' } });
    const id = placed.value.id as string;
    const cancelled = await call('order.cancel', { venue: 'paper', id });
    expect(cancelled).toMatchObject({ ok: true, value: { status: 'cancelled' } });

    const events: EngineEvent[] = [];
    await client.next((m) => {
      if (m.type === 'events') events.push(...m.events);
      return events.some((e) => e.type === 'order' && e.order.id === id && e.order.status === 'cancelled');
    }, 5000);
    const statuses = events.filter((e) => e.type === 'order' && e.order.id === id).map((e) => (e.type === 'order' ? e.order.status : ''));
    expect(statuses[statuses.length - 1]).toBe('cancelled');
    expect(statuses.length).toBeGreaterThanOrEqual(2);

    // Within one batch there is at most one quote per instrument.
    await client.next((m) => m.type === 'events' && m.events.some((e) => e.type === 'quote'), 5000);
    for (const m of client.messages) {
      if (m.type !== 'events') continue;
      const ids = m.events.filter((e) => e.type === 'quote').map((e) => (e.type === 'quote' ? e.quote.instrumentId : ''));
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('returns the engine’s specific error codes for bad input', async () => {
    expect((await call('order.place', { venue: 'paper', symbol: 'BTC/USD', side: 'buy', type: 'limit', qty: '-1', limitPrice: '1000' })).error.code).toBe('invalid_quantity');
    expect((await call('order.place', { venue: 'paper', symbol: 'BTC/USD', side: 'buy', type: 'limit', qty: '0.01' })).error.code).toBe('missing_limit_price');
    expect((await call('quote.get', { venue: 'nope', symbol: 'BTC/USD' })).error.code).toBe('unknown_venue');
    expect((await call('no.such.command', {})).error.code).toBe('unknown_command');
  });
});
