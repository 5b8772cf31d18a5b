/**
 * Secrets typed as settings never reach the audit log; tradeport.db is owner-only; a read-only
 * database and deeply nested input get clear errors (over the bridge too) instead of `internal`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../src-main/engine/engine';
import { ManualClock } from '../../../src-main/engine/ports/clock';
import { MemorySecretStore } from '../../../src-main/engine/ports/secrets';
import { BRIDGE_PATH } from '../../../src-main/engine/api/transport';
import { startHeadlessServer, type HeadlessServer } from '../../../src-main/headless/server';
import { connect } from '../../helpers/ws-client';

const T0 = Date.UTC(2026, 10, 18, 15, 0, 0);

describe('faults: audit redaction, file mode, clear storage and input errors', () => {
  let dir: string;
  let engine: Engine;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-faults-audit-'));
    fs.chmodSync(dir, 0o755);
    engine = await createEngine({ dataDir: dir, secrets: new MemorySecretStore(), clock: new ManualClock(T0), paperSeed: 7, paperTickMs: 0 });
  });
  afterEach(async () => {
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const auditText = () => JSON.stringify(engine.internals.audit.list({ limit: 1000 }));

  it('redacts secret-looking and undeclared settings before auditing venue add / set', async () => {
    const add = await engine.call('venue.add', { kind: 'paper', name: 'p2', settings: { password: 'hunter2-A', startingCash: '5000' } });
    expect(add.ok).toBe(false);
    const set = await engine.call('venue.set', { name: 'paper', settings: { apiKey: 'AKIA-SECRET-B', sekrit: 'pasted-C', seed: '11' } });
    expect(set.ok).toBe(false);
    const text = auditText();
    for (const secret of ['hunter2-A', 'AKIA-SECRET-B', 'pasted-C']) expect(text).not.toContain(secret);
    const [setEntry] = engine.internals.audit.list({ action: 'venue.set' });
    expect((setEntry!.detail.input as { settings: Record<string, string> }).settings).toEqual({ apiKey: '[redacted]', sekrit: '[redacted]', seed: '11' });
    const [addEntry] = engine.internals.audit.list({ action: 'venue.add' });
    expect((addEntry!.detail.input as { settings: Record<string, string> }).settings).toEqual({ password: '[redacted]', startingCash: '5000' });
  });

  it('redacts settings in input the schema refused, too', async () => {
    const r = await engine.callRaw('venue.add', { kind: 'paper', settings: { token: 'tok-D', n: 5 }, extra: 1 });
    expect(r.ok).toBe(false);
    expect(auditText()).not.toContain('tok-D');
  });

  it.runIf(process.platform !== 'win32')('creates tradeport.db owner-only even in a 0755 data dir', () => {
    expect(fs.statSync(path.join(dir, 'tradeport.db')).mode & 0o777).toBe(0o600);
  });

  it('refuses deeply nested input to a state-changing command with invalid_input, and audits it', async () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    const r = await engine.callRaw('order.place', { venue: 'paper', symbol: 'AAPL', side: 'buy', type: 'limit', qty: '1', limitPrice: '1', tif: 'day', x: deep });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid_input');
      expect(r.error.message).toMatch(/nested more than 32 levels/);
    }
    const [entry] = engine.internals.audit.list({ action: 'order.place' });
    expect(entry?.ok).toBe(false);
  });

  describe('over the bridge', () => {
    let server: HeadlessServer;
    let staticDir: string;
    beforeEach(async () => {
      staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-faults-static-'));
      fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html>');
      server = await startHeadlessServer({ engine, port: 0, staticDir, dataDir: dir, version: '1' });
    });
    afterEach(async () => {
      await server.close();
      fs.rmSync(staticDir, { recursive: true, force: true });
    });

    it('says the database is read-only instead of `internal`', async () => {
      // query_only makes every write fail with SQLITE_READONLY, as a read-only file or mount does (root ignores chmod).
      engine.internals.db.pragma('query_only = ON');
      const c = await connect(`ws://127.0.0.1:${server.port}${BRIDGE_PATH}`);
      c.send({ type: 'hello', token: server.token, client: 'cli' });
      await c.next((m) => m.type === 'welcome');
      c.send({ type: 'call', id: 7, command: 'venue.set', input: { name: 'paper', settings: { makerFee: '0.001' } } });
      const res = await c.next((m) => m.type === 'result');
      c.ws.close();
      engine.internals.db.pragma('query_only = OFF');
      expect(res).toMatchObject({ type: 'result', id: 7, result: { ok: false, error: { code: 'storage_read_only' } } });
      if (res.type === 'result' && !res.result.ok) expect(res.result.error.message).toMatch(/read-only/);
    });
  });
});
