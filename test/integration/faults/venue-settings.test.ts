/**
 * A setting the connector refuses is never stored, and a bad value already stored (older build, hand
 * edit) no longer keeps the engine from starting: that venue shows why and can be fixed or removed,
 * while the others, the kill switch and cancel keep working.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../src-main/engine/engine';
import { ManualClock } from '../../../src-main/engine/ports/clock';
import { MemorySecretStore } from '../../../src-main/engine/ports/secrets';

const T0 = Date.UTC(2026, 10, 18, 15, 0, 0);
const BAD: Array<[string, Record<string, string>]> = [
  ['paper', { seed: 'abc' }],
  ['paper', { tickMs: '-5' }],
  ['paper', { startingCash: 'lots' }],
  ['paper', { makerFee: '2' }],
  ['paper', { takerFee: 'x' }],
  ['paper', { market24x7: 'maybe' }],
  ['ibkr', { port: 'abc' }],
  ['ibkr', { clientId: '-99999999999' }],
];

describe('faults: venue settings', () => {
  let dir: string;
  let engine: Engine;
  const secrets = new MemorySecretStore();
  const start = () => createEngine({ dataDir: dir, secrets, clock: new ManualClock(T0), paperSeed: 7, paperTickMs: 0 });
  const placeOne = async () => {
    const r = await engine.call('order.place', { venue: 'paper', symbol: 'AAPL', side: 'buy', type: 'limit', qty: '1', limitPrice: '225', tif: 'gtc' });
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-faults-venue-'));
    engine = await start();
  });
  afterEach(async () => {
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each(BAD)('venue add %s %o is refused and writes nothing', async (kind, settings) => {
    const r = await engine.call('venue.add', { kind, name: 'bad', settings });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('invalid_input');
    expect(engine.internals.venues.record('bad')).toBeUndefined();
    // And the engine starts again afterwards.
    await engine.close();
    engine = await start();
    expect((await engine.call('orders.list', {})).ok).toBe(true);
  });

  it('venue set with a refused value changes nothing: the venue keeps running and its orders stay cancellable', async () => {
    const o = await placeOne();
    const r = await engine.call('venue.set', { name: 'paper', settings: { seed: 'abc' } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/seed="abc" must be a whole number/) });
    expect(engine.internals.venues.record('paper')?.settings.seed).toBeUndefined();
    expect(engine.internals.venues.info('paper')?.state).toBe('connected');
    const c = await engine.call('order.cancel', { id: o.id });
    expect(c.ok && c.value.status).toBe('cancelled');
  });

  it('starts with a bad stored setting: that venue shows the error and can be fixed or removed; the rest keeps working', async () => {
    const o = await placeOne();
    expect((await engine.call('venue.add', { kind: 'paper', name: 'p2' })).ok).toBe(true);
    await engine.close();
    const raw = new Database(path.join(dir, 'tradeport.db'));
    raw.prepare(`UPDATE venues SET settings = ? WHERE name = 'p2'`).run(JSON.stringify({ seed: 'abc' }));
    raw.close();

    engine = await start();
    const p2 = engine.internals.venues.info('p2')!;
    expect(p2.state).toBe('error');
    expect(p2.detail).toMatch(/seed="abc" must be a whole number.*tradeport venue set p2/);
    expect(engine.internals.venues.info('paper')?.state).toBe('connected');
    expect((await engine.call('orders.list', {})).ok).toBe(true);
    const q = await engine.call('quote.get', { venue: 'p2', symbol: 'AAPL' });
    expect(!q.ok && q.error).toMatchObject({ code: 'venue_unavailable', message: expect.stringMatching(/seed="abc"/) });

    // The kill switch still sweeps the working order on the healthy venue.
    const ks = await engine.call('killSwitch.trip', { mode: 'halted', reason: 'test' });
    expect(ks.ok).toBe(true);
    await engine.internals.idle();
    expect(engine.internals.orders.byId(o.id)?.status).toBe('cancelled');

    // Fixed by venue set …
    const fixed = await engine.call('venue.set', { name: 'p2', settings: { seed: '42' } });
    expect(fixed.ok && fixed.value.state).toBe('connected');
    // … or removed.
    expect((await engine.call('venue.remove', { name: 'p2' })).ok).toBe(true);
    expect(engine.internals.venues.record('p2')).toBeUndefined();
  });

  it('a bad stored setting can also just be removed', async () => {
    expect((await engine.call('venue.add', { kind: 'paper', name: 'p3' })).ok).toBe(true);
    await engine.close();
    const raw = new Database(path.join(dir, 'tradeport.db'));
    raw.prepare(`UPDATE venues SET settings = ? WHERE name = 'p3'`).run(JSON.stringify({ makerFee: '9' }));
    raw.close();
    engine = await start();
    expect((await engine.call('venue.remove', { name: 'p3' })).ok).toBe(true);
    expect(engine.internals.venues.list().map((v) => v.name)).toEqual(['paper']);
  });
});
