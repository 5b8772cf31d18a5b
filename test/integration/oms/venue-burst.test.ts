/**
 * A venue's burst (store/group-commit.ts, VenueListener.burst): the fills and order reports one
 * Paper tick produces are journaled in ONE transaction — one fsync, not several per fill — and
 * subscribers hear of them only after it committed. A failure in the middle of the burst leaves
 * nothing of it in the journal (orders, fills, positions, the working-order index, the lot ledger),
 * as does a process killed (SIGKILL) in the middle of it; Paper's own records keep the fills, and
 * the next start reconciles each of them in exactly once.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineRig, type EngineRig } from '../../support/engine-rig';
import { walCommits } from '../../support/wal-commits';
import { Decimal } from '../../../src-main/engine/domain/money';
import type { EngineEvent } from '../../../src-main/engine/api/events';
import type { Fill } from '../../../src-main/engine/domain/order';
import { DB_FILE } from '../../../src-main/engine/store/db';
import type { PaperVenue } from '../../../src-main/engine/venues/paper';

const BTC = 'paper:BTC-USD';
const N = 20;
const root = path.resolve(__dirname, '../../..');

/** Runs the crash child on `dataDir` until it prints PAUSED (inside the burst), then SIGKILLs it. */
function crashInBurst(dataDir: string): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    // Node itself (not the tsx wrapper, whose SIGKILL would leave its node child running and holding the lock).
    const p = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'burst-crash-child.ts')], {
      cwd: root,
      env: { ...process.env, DATA_DIR: dataDir, N: String(N) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`child never paused. stdout: ${out} stderr: ${err}`));
    }, 55_000);
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('PAUSED')) p.kill('SIGKILL');
    });
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (!out.includes('PAUSED')) reject(new Error(`child exited without pausing. stdout: ${out} stderr: ${err}`));
      else resolve(signal);
    });
  });
}

describe('a Paper tick is journaled as one burst', () => {
  let rig: EngineRig;
  const ok = async <T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> => {
    const r = await p;
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  const paper = () => rig.engine.internals.venues.get('paper') as PaperVenue;
  const db = () => rig.engine.internals.db;
  const tickAt = (mid: string) => {
    paper().source.setMid(BTC, new Decimal(mid));
    rig.clock.advance(1000);
    paper().tick();
  };
  const journalFills = () => (db().prepare("SELECT COUNT(*) AS n FROM fills WHERE client_order_id LIKE 'burst-%'").get() as { n: number }).n;
  const paperFills = () => (db().prepare("SELECT COUNT(*) AS n FROM paper_fills WHERE client_order_id LIKE 'burst-%'").get() as { n: number }).n;
  const statuses = () => db().prepare("SELECT status, COUNT(*) AS n FROM orders WHERE client_order_id LIKE 'burst-%' GROUP BY status").all() as { status: string; n: number }[];

  /** N resting buys between 99,000 and 98,810: one tick at 97,000 fills them all. */
  const restN = async () => {
    for (const key of ['max_orders_per_minute', 'max_open_orders']) await ok(rig.engine.call('risk.set', { key, value: 'off' }));
    tickAt('100000');
    for (let i = 0; i < N; i++) {
      const placed = (await ok(
        rig.engine.call('order.place', { venue: 'paper', symbol: 'BTC/USD', side: 'buy', type: 'limit', qty: '0.001', limitPrice: String(99_000 - i * 10), tif: 'gtc', clientOrderId: `burst-${i}` }),
      )) as { status: string };
      expect(placed.status).toBe('accepted');
    }
    await rig.engine.internals.idle();
    expect(statuses()).toEqual([{ status: 'accepted', n: N }]);
  };

  beforeEach(async () => {
    rig = await engineRig({ prefix: 'tp-burst-' });
  });
  afterEach(() => rig.close());

  it(`${N} fills of one tick: a bounded number of commits (Paper's records, the journal), and every event after the journal committed`, async () => {
    await restN();
    db().pragma('wal_autocheckpoint = 0');
    const file = path.join(rig.dir, DB_FILE);
    const reader = new Database(file, { readonly: true });
    const atEvent: { type: string; committedFills: number }[] = [];
    const off = rig.engine.subscribe((e: EngineEvent) => {
      if (e.type === 'fill' || e.type === 'order' || e.type === 'position') {
        atEvent.push({ type: e.type, committedFills: (reader.prepare("SELECT COUNT(*) AS n FROM fills WHERE client_order_id LIKE 'burst-%'").get() as { n: number }).n });
      }
    });
    const before = walCommits(file);
    try {
      tickAt('97000');
    } finally {
      off();
      reader.close();
    }
    const commits = walCommits(file) - before;
    expect(journalFills()).toBe(N);
    expect(paperFills()).toBe(N);
    expect(statuses()).toEqual([{ status: 'filled', n: N }]);
    // Paper's own transaction, the journal's burst, and at most one save of the last prices.
    expect(commits).toBeGreaterThanOrEqual(2);
    expect(commits).toBeLessThanOrEqual(3);
    // Every fill, order and position event came after the whole burst was on disk.
    expect(atEvent.filter((e) => e.type === 'fill').length).toBe(N);
    expect(atEvent.every((e) => e.committedFills === N)).toBe(true);
  });

  it('a failure in the middle of the burst journals none of it, and the next start reconciles every fill exactly once', async () => {
    await restN();
    const events: EngineEvent[] = [];
    const off = rig.engine.subscribe((e) => events.push(e));
    // The journal fails on the third fill of the tick (the disk filled up mid-burst).
    const orders = rig.engine.internals.orders;
    const insertFill = orders.insertFill.bind(orders);
    let calls = 0;
    orders.insertFill = (f: Fill) => {
      if (++calls === 3) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      return insertFill(f);
    };
    try {
      // The timer's tick reports it as a storage fault; a tick by hand throws it.
      expect(() => tickAt('97000')).toThrow(/disk is full/);
    } finally {
      orders.insertFill = insertFill;
      off();
    }
    expect(calls).toBe(3);
    // Nothing of the tick in the journal: no fill row (the two written before the failure rolled back), no order moved, no position.
    expect(journalFills()).toBe(0);
    expect(statuses()).toEqual([{ status: 'accepted', n: N }]);
    expect((await ok(rig.engine.call('positions.list', {}))) as unknown[]).toEqual([]);
    // Nor in memory: the working-order index and the lot ledger follow the rows, and no subscriber heard of a fill or an order change.
    expect(orders.workingCount()).toBe(N);
    expect(((await ok(rig.engine.call('lots.list', {}))) as unknown[]).length).toBe(0);
    expect(events.filter((e) => e.type === 'fill' || e.type === 'order' || e.type === 'position')).toEqual([]);
    // Paper, the venue, did fill them: its records are what reconciliation reads.
    expect(paperFills()).toBe(N);

    await rig.restart();
    await rig.engine.internals.idle();
    expect(journalFills()).toBe(N);
    expect(statuses()).toEqual([{ status: 'filled', n: N }]);
    expect(db().prepare("SELECT venue_fill_id FROM fills WHERE client_order_id LIKE 'burst-%' GROUP BY venue_fill_id HAVING COUNT(*) > 1").all()).toEqual([]);
    const paperIds = (db().prepare("SELECT fill_id FROM paper_fills WHERE client_order_id LIKE 'burst-%' ORDER BY fill_id").all() as { fill_id: string }[]).map((r) => r.fill_id);
    const journalIds = (db().prepare("SELECT venue_fill_id FROM fills WHERE client_order_id LIKE 'burst-%' ORDER BY venue_fill_id").all() as { venue_fill_id: string }[]).map((r) => r.venue_fill_id);
    expect(journalIds).toEqual(paperIds);
    const btc = ((await ok(rig.engine.call('positions.list', {}))) as { symbol: string; qty: string }[]).find((p) => p.symbol === 'BTC/USD');
    expect(btc && new Decimal(btc.qty).eq(new Decimal('0.001').mul(N))).toBe(true);
    expect(((await ok(rig.engine.call('lots.list', {}))) as unknown[]).length).toBe(N);
    // A second restart changes nothing (no fill counted twice).
    await rig.restart();
    await rig.engine.internals.idle();
    expect(journalFills()).toBe(N);
  });

  it('a process killed (SIGKILL) in the middle of the burst: the journal holds none of it, and the next start reconciles every fill exactly once', { timeout: 90_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-burst-crash-'));
    try {
      expect(await crashInBurst(dir)).toBe('SIGKILL');
      const file = path.join(dir, DB_FILE);
      // Read-write: the first connection after a crash recovers the WAL (a read-only one cannot).
      const dead = new Database(file, { fileMustExist: true });
      try {
        const count = (sql: string) => (dead.prepare(sql).get() as { n: number }).n;
        // Paper committed its fills before the journal's burst began; the burst died uncommitted.
        expect(count("SELECT COUNT(*) AS n FROM paper_fills WHERE client_order_id LIKE 'burst-%'")).toBe(N);
        expect(count("SELECT COUNT(*) AS n FROM fills WHERE client_order_id LIKE 'burst-%'")).toBe(0);
        expect(count("SELECT COUNT(*) AS n FROM orders WHERE client_order_id LIKE 'burst-%' AND status = 'accepted'")).toBe(N);
      } finally {
        dead.close();
      }
      const again = await engineRig({ dir, keepDir: true });
      try {
        await again.engine.internals.idle();
        const d = again.engine.internals.db;
        expect((d.prepare("SELECT COUNT(*) AS n FROM fills WHERE client_order_id LIKE 'burst-%'").get() as { n: number }).n).toBe(N);
        expect(d.prepare('SELECT venue_fill_id FROM fills GROUP BY venue_fill_id HAVING COUNT(*) > 1').all()).toEqual([]);
        expect(d.prepare("SELECT status, COUNT(*) AS n FROM orders WHERE client_order_id LIKE 'burst-%' GROUP BY status").all()).toEqual([{ status: 'filled', n: N }]);
        expect(((await ok(again.engine.call('lots.list', {}))) as unknown[]).length).toBe(N);
      } finally {
        await again.engine.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
