/**
 * A full disk: the engine keeps running (periodic writes too), says "the disk is full" (a notice, a
 * storage event for the status bar, the error code and message of every transport), refuses new
 * orders until writes work again, reports an order whose outcome it could not record as unknown —
 * never as failed — and reconciles it once space is back.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { until } from '../../support/until';
import { createEngine, type Engine } from '../../../src-main/engine/engine';
import type { EngineEvent } from '../../../src-main/engine/api/events';
import { ManualClock } from '../../../src-main/engine/ports/clock';
import { MemorySecretStore } from '../../../src-main/engine/ports/secrets';
import type { PaperVenue } from '../../../src-main/engine/venues/paper';
import type { VenueListener } from '../../../src-main/engine/venues/venue-port';
import { fullableDisk, type FullableDisk } from '../../support/full-disk';

const T0 = Date.UTC(2026, 10, 18, 15, 0, 0);

describe.each(['tmpfs', 'injected'] as const)('faults: full disk (%s, or injected where mount is not permitted)', (prefer) => {
  let disk: FullableDisk;
  let engine: Engine;
  let clock: ManualClock;
  const events: EngineEvent[] = [];
  beforeEach(async () => {
    disk = fullableDisk(prefer);
    clock = new ManualClock(T0);
    engine = await createEngine({ dataDir: disk.dir, secrets: new MemorySecretStore(), clock, paperSeed: 7, paperTickMs: 5, backups: { everyMs: 0 } });
    await engine.internals.idle();
    events.length = 0;
    engine.subscribe((e) => events.push(e));
  });
  afterEach(async () => {
    disk.free();
    await engine.close();
    disk.dispose();
  });

  const place = (i: number) => engine.call('order.place', { venue: 'paper', symbol: 'AAPL', side: 'buy', type: 'limit', qty: '1', limitPrice: '225', tif: 'gtc', clientOrderId: `full-${i}` });

  it(`never crashes, says the disk is full, refuses new orders, reports unclear ones as unknown, and reconciles`, async () => {
    expect((await place(0)).ok).toBe(true);
    disk.fill();

    // Orders until the first refusal: each either worked, is unknown, or was refused as disk_full — never `internal`.
    const answered: Array<{ cid: string; status?: string; code?: string }> = [];
    for (let i = 1; i <= 400 && !answered.some((a) => a.code); i++) {
      const r = await place(i);
      answered.push(r.ok ? { cid: `full-${i}`, status: r.value.status } : { cid: `full-${i}`, code: r.error.code });
      if (!r.ok) expect(r.error.message).toMatch(/disk is full/);
    }
    const refusal = answered.find((a) => a.code);
    expect(refusal, `the ${disk.mode} disk never filled`).toBeDefined();
    expect(answered.filter((a) => a.code).map((a) => a.code)).toEqual(['disk_full']);
    expect(answered.every((a) => a.code || ['accepted', 'unknown'].includes(a.status!))).toBe(true);

    // Told once: a notice and a storage event (status bar), and in the snapshot for screens that connect later.
    expect(events.some((e) => e.type === 'notice' && e.level === 'error' && /disk is full/.test(e.message))).toBe(true);
    expect(events.some((e) => e.type === 'storage' && e.storage.state === 'full')).toBe(true);
    const snap = await engine.call('snapshot.get', {});
    expect(snap.ok && snap.value.storage?.state).toBe('full');

    // Paper's timer keeps ticking (and its periodic price save fails) without taking the engine down.
    const quotes = () => events.filter((e) => e.type === 'quote').length;
    const beforeSave = quotes();
    clock.advance(6_000); // the next tick also saves prices (every 5 s), which fails
    await until(() => quotes() > beforeSave, { timeoutMs: 10_000, what: 'the Paper tick that saves prices' });
    const afterSave = quotes();
    clock.advance(1_000);
    await until(() => quotes() > afterSave, { timeoutMs: 10_000, what: 'Paper ticking on after the failed save' });

    // New orders are refused while writes fail.
    const refused = await place(1000);
    expect(!refused.ok && refused.error).toMatchObject({ code: 'disk_full', message: expect.stringMatching(/disk is full.*not sent/) });

    // Space is back: the next order goes through, the status bar hears so, and every order the venue holds is in the journal.
    disk.free();
    const after = await place(1001);
    expect(after.ok).toBe(true);
    expect(events.some((e) => e.type === 'storage' && e.storage.state === 'ok')).toBe(true);
    await engine.internals.idle();
    const paper = engine.internals.venues.get('paper') as PaperVenue;
    const atVenue = await paper.openOrders();
    for (const r of atVenue) expect(engine.internals.orders.byClientId(r.clientOrderId)?.status, r.clientOrderId).toBe('accepted');
    for (const a of answered.filter((x) => x.status))
      expect(
        atVenue.some((r) => r.clientOrderId === a.cid),
        `${a.cid} answered ${a.status}`,
      ).toBe(true);
  }, 60_000);
});

describe('faults: full disk right after the venue took the order', () => {
  it('reports the order as unknown (never failed), refuses the next, and reconciles it to accepted once writes work', async () => {
    const disk = fullableDisk('injected');
    const clock = new ManualClock(T0);
    const engine = await createEngine({ dataDir: disk.dir, secrets: new MemorySecretStore(), clock, paperSeed: 7, paperTickMs: 0, backups: { everyMs: 0 }, unknownLookupDelays: [60_000] });
    try {
      const paper = engine.internals.venues.get('paper') as PaperVenue;
      // The venue accepts (and records) the order; the disk fills before the engine writes down its report.
      const listener = (paper as unknown as { listener: VenueListener }).listener;
      const report = listener.orderReport.bind(listener);
      listener.orderReport = (rep) => {
        disk.fill();
        report(rep);
      };
      const r = await engine.call('order.place', { venue: 'paper', symbol: 'AAPL', side: 'buy', type: 'limit', qty: '1', limitPrice: '225', tif: 'gtc', clientOrderId: 'unclear-1' });
      listener.orderReport = report;
      expect(r.ok && r.value.status).toBe('unknown');
      expect((await paper.openOrders()).map((o) => o.clientOrderId)).toContain('unclear-1');

      const next = await engine.call('order.place', { venue: 'paper', symbol: 'AAPL', side: 'buy', type: 'limit', qty: '1', limitPrice: '225', tif: 'gtc' });
      expect(!next.ok && next.error.code).toBe('disk_full');

      disk.free();
      const after = await engine.call('order.place', { venue: 'paper', symbol: 'AAPL', side: 'buy', type: 'limit', qty: '1', limitPrice: '225', tif: 'gtc' });
      expect(after.ok).toBe(true);
      await engine.internals.idle();
      expect(engine.internals.orders.byClientId('unclear-1')?.status).toBe('accepted');
    } finally {
      disk.free();
      await engine.close();
      disk.dispose();
    }
  });
});
