/**
 * A damaged or emptied journal is never silently replaced: the engine refuses to start, names the
 * file and the backup to restore, and the rolling backups make sure there is one.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../src-main/engine/engine';
import { ManualClock } from '../../../src-main/engine/ports/clock';
import { MemorySecretStore } from '../../../src-main/engine/ports/secrets';
import { BackupScheduler, listBackups } from '../../../src-main/engine/store/backups';
import { openDatabase } from '../../../src-main/engine/store/db';
import { runCli } from '../../../src-main/headless/cli-main';

const T0 = Date.UTC(2026, 10, 18, 15, 0, 0);

describe('faults: damaged journal', () => {
  let dir: string;
  let clock: ManualClock;
  const secrets = new MemorySecretStore();
  const start = () => createEngine({ dataDir: dir, secrets, clock, paperSeed: 7, paperTickMs: 0 });
  const db = () => path.join(dir, 'tradeport.db');
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-faults-journal-'));
    clock = new ManualClock(T0);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A journal with orders in it, backed up by the start after they were placed. */
  async function journalWithOrders(n: number): Promise<string[]> {
    let engine: Engine = await start();
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = await engine.call('order.place', { venue: 'paper', symbol: 'AAPL', side: 'buy', type: 'limit', qty: '1', limitPrice: '225', tif: 'gtc' });
      if (!r.ok) throw new Error(r.error.message);
      ids.push(r.value.id);
    }
    await engine.close();
    clock.advance(60_000);
    engine = await start();
    await engine.close();
    return ids;
  }

  const refusal = async () => {
    const e = await start().then(
      async (engine) => {
        await engine.close();
        return undefined;
      },
      (err: unknown) => err as Error & { code?: string },
    );
    expect(e, 'the engine must refuse to start').toBeDefined();
    return e!;
  };

  it('refuses an emptied journal, names the file and the backup, and the backup restores every order', async () => {
    const ids = await journalWithOrders(3);
    const backup = listBackups(dir)[0]!;
    expect(backup).toBeDefined();
    fs.truncateSync(db(), 0);
    for (const f of [`${db()}-wal`, `${db()}-shm`]) fs.rmSync(f, { force: true });

    const err = await refusal();
    expect(err.code).toBe('database_damaged');
    expect(err.message).toContain(db());
    expect(err.message).toContain(backup);
    expect(err.message).toMatch(/empty \(0 bytes\)/);
    expect(fs.statSync(db()).size).toBe(0);

    fs.copyFileSync(backup, db());
    const engine = await start();
    try {
      for (const id of ids) expect(engine.internals.orders.byId(id)?.status).toBe('accepted');
    } finally {
      await engine.close();
    }
  });

  it('refuses a journal with random bytes over 20 middle pages (quick_check), and the CLI says so', async () => {
    await journalWithOrders(1);
    const raw = openDatabase(db());
    const filler = raw.prepare('INSERT INTO audit_log (ts, actor, transport, action, venue, ok, detail) VALUES (?, ?, ?, ?, ?, ?, ?)');
    raw.transaction(() => {
      for (let i = 0; i < 3000; i++) filler.run(T0, 'system', 'internal', 'filler', null, 1, JSON.stringify({ pad: 'x'.repeat(200) }));
    })();
    raw.close();
    const pageSize = 4096;
    const pages = Math.floor(fs.statSync(db()).size / pageSize);
    expect(pages).toBeGreaterThan(60);
    const fd = fs.openSync(db(), 'r+');
    const first = Math.floor(pages / 2) - 10;
    for (let p = first; p < first + 20; p++) fs.writeSync(fd, crypto.randomBytes(pageSize), 0, pageSize, p * pageSize);
    fs.closeSync(fd);

    const err = await refusal();
    expect(err.code).toBe('database_damaged');
    expect(err.message).toContain(db());
    expect(err.message).toContain(listBackups(dir)[0]!);

    let out = '';
    const code = await runCli(['orders', '--json', '--data-dir', dir], {
      io: { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true }, readSecret: async () => '', env: {} },
      createEngine: (c) => createEngine({ ...c, clock, paperTickMs: 0 }),
      secrets: () => secrets,
      staticDir: dir,
      version: 'test',
      waitForShutdown: async () => undefined,
    });
    expect(code).toBe(1);
    expect(JSON.parse(out).error).toMatchObject({ code: 'database_damaged', message: expect.stringContaining('tradeport.db is damaged') });
  });

  it('refuses a file that is not SQLite at all', async () => {
    await journalWithOrders(1);
    fs.writeFileSync(db(), crypto.randomBytes(8192));
    for (const f of [`${db()}-wal`, `${db()}-shm`]) fs.rmSync(f, { force: true });
    const err = await refusal();
    expect(err.message).toMatch(/does not start with the SQLite header/);
  });

  it('a new data dir with an empty file (nothing ever written) still starts', async () => {
    fs.writeFileSync(db(), '');
    const engine = await start();
    await engine.close();
  });

  it('keeps rolling backups with the online backup API: the newest few, each a readable journal', async () => {
    const engine = await start();
    try {
      const b = new BackupScheduler({
        db: engine.internals.db,
        dataDir: dir,
        now: () => clock.now(),
        everyMs: 0,
        keep: 3,
        onError: (e) => {
          throw e;
        },
      });
      const made: string[] = [];
      for (let i = 0; i < 5; i++) {
        clock.advance(3600_000);
        made.push((await b.backupNow())!);
      }
      expect(listBackups(dir)).toEqual(made.slice(-3).reverse());
      const copy = openDatabase(listBackups(dir)[0]!);
      expect(copy.pragma('quick_check', { simple: true })).toBe('ok');
      copy.close();
      if (process.platform !== 'win32') expect(fs.statSync(made[4]!).mode & 0o777).toBe(0o600);
    } finally {
      await engine.close();
    }
  });
});
