/**
 * A real child process is killed with SIGKILL between journal and send, and between send and ack.
 * The venue (a scripted venue backed by a JSON file) lives on; it may even fill the order while
 * Tradeport is dead. On restart, reconciliation must leave exactly one order (never a resend) and
 * every fill.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../src-main/engine/engine';
import { MemorySecretStore } from '../../../src-main/engine/ports/secrets';
import { DB_FILE } from '../../../src-main/engine/store/db';
import { VENUE_FACTORIES } from '../../../src-main/engine/venues/registry';
import type { VenueFactory } from '../../../src-main/engine/venues/venue-port';
import { ScriptedVenue, scriptedFactory } from '../../support/scripted-venue';

const root = path.resolve(__dirname, '../../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const child = path.join(__dirname, 'crash-child.ts');

/** Runs the child until it reports PAUSED, then SIGKILLs it. */
function runAndKill(env: Record<string, string>): Promise<{ signal: NodeJS.Signals | null; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(tsx, [child], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`child never paused. stdout: ${out} stderr: ${err}`));
    }, 25_000);
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('PAUSED')) p.kill('SIGKILL');
    });
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (!out.includes('PAUSED')) reject(new Error(`child exited without pausing. stdout: ${out} stderr: ${err}`));
      else resolve({ signal, out });
    });
  });
}

describe('crash between journal, send and ack (real child process, SIGKILL)', () => {
  let dir: string;
  let venueFile: string;
  let engine: Engine | undefined;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-crash-'));
    venueFile = path.join(dir, 'venue.json');
  });
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const restart = async () => {
    const factory = scriptedFactory(
      () => Date.now(),
      () => ({ persistPath: venueFile }),
    );
    engine = await createEngine({
      dataDir: path.join(dir, 'data'),
      secrets: new MemorySecretStore(),
      paperTickMs: 0,
      paperSeed: 3,
      venueFactories: new Map<string, VenueFactory>([...VENUE_FACTORIES, ['scripted', factory]]),
    });
    await engine.internals.idle();
    return { engine, venue: factory.instances.get('scripted')! };
  };

  const journalRow = (cid: string) => {
    const db = new Database(path.join(dir, 'data', DB_FILE), { readonly: true });
    try {
      return db.prepare('SELECT status, route FROM orders WHERE client_order_id = ?').get(cid) as { status: string; route: string } | undefined;
    } finally {
      db.close();
    }
  };

  it('killed after the journal write, before a byte left: the order is journaled, the venue has nothing, restart resolves it as never sent', async () => {
    const { signal } = await runAndKill({ DATA_DIR: path.join(dir, 'data'), VENUE_FILE: venueFile, PAUSE_AT: 'before_venue', CLIENT_ID: 'CRASH1' });
    expect(signal).toBe('SIGKILL');
    // Journal before send: the row was durable before submit was even entered.
    expect(journalRow('CRASH1')).toEqual({ status: 'pending_submit', route: 'live' });
    const { engine: e, venue } = await restart();
    const orders = e.internals.orders.list({ limit: 100 });
    expect(orders.map((o) => [o.clientOrderId, o.status])).toEqual([['CRASH1', 'rejected']]);
    expect(orders[0]!.rejectReason).toMatch(/no record/);
    expect(venue.submitLog).toEqual([]);
    expect(venue.remote.size).toBe(0);
    const [report] = e.internals.reconcileReports.list({ venue: 'scripted', limit: 1 });
    expect(report!.changes.map((c) => c.message)).toEqual([expect.stringMatching(/CRASH1 .* pending_submit → rejected/)]);
  }, 40_000);

  it('killed after the venue accepted, before the ack: fills made while dead are recovered, still exactly one venue order', async () => {
    const { signal } = await runAndKill({ DATA_DIR: path.join(dir, 'data'), VENUE_FILE: venueFile, PAUSE_AT: 'after_venue', CLIENT_ID: 'CRASH2' });
    expect(signal).toBe('SIGKILL');
    expect(journalRow('CRASH2')!.status).toBe('pending_submit');
    // The venue lives on and fills the order while Tradeport is down.
    const remote = new ScriptedVenue('scripted', () => Date.now(), { persistPath: venueFile });
    expect(remote.submitLog).toEqual(['CRASH2']);
    remote.fill('CRASH2', '1', '100');
    remote.fill('CRASH2', '2', '99.9');

    const { engine: e, venue } = await restart();
    const orders = e.internals.orders.list({ limit: 100 });
    expect(orders.map((o) => [o.clientOrderId, o.status, o.filledQty, o.venueOrderId])).toEqual([['CRASH2', 'filled', '3', 'V1']]);
    const fills = e.internals.orders.fills({ limit: 100 });
    expect(fills.map((f) => f.venueFillId).sort()).toEqual(venue.remoteFills.map((f) => f.venueFillId).sort());
    expect(fills).toHaveLength(2);
    // One submit ever reached the venue: the restart never resent.
    expect(venue.submitLog).toEqual(['CRASH2']);
    expect(venue.submitCalls).toBe(0);
    // A second restart changes nothing (fills are deduplicated by venue fill id).
    await e.close();
    engine = undefined;
    const again = await restart();
    expect(again.engine.internals.orders.fills({ limit: 100 })).toHaveLength(2);
    expect(again.engine.internals.orders.list({ limit: 100 })).toHaveLength(1);
  }, 40_000);
});
