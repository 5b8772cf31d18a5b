/**
 * tastytrade's account streamer dropped in the middle of a fill, through the engine over real
 * sockets: the first part of the fill arrives over the streamer, the streamer alone goes down (REST
 * stays up), the rest fills while nothing can tell us, and the streamer comes back. The reconcile on
 * reconnect recovers the missing fill exactly once — and a further reconnect adds nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandName, CommandOutput } from '../../../src-main/engine/api/commands';
import type { EngineEvent } from '../../../src-main/engine/api/events';
import { createEngine, type Engine } from '../../../src-main/engine/engine';
import { VENUE_FACTORIES } from '../../../src-main/engine/venues/registry';
import { tastytradeFactory } from '../../../src-main/engine/venues/tastytrade';
import type { VenueFactory } from '../../../src-main/engine/venues/venue-port';
import type { TastytradeEmulator } from '../../emulators/tastytrade';
import { addLiveVenue, sessionClock } from '../../support/venue-engine-contract';
import { until } from '../../support/until';
import { control, fillNow, orderOf, secretsFor, startEmulator, tastytradeSettings } from './tastytrade-rig';

let emu: TastytradeEmulator;
let engine: Engine;
let dir: string;
const events: EngineEvent[] = [];

beforeEach(async () => {
  const clock = sessionClock();
  emu = await startEmulator(() => clock.now());
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-tt-drop-'));
  engine = await createEngine({
    dataDir: dir,
    secrets: await secretsFor('tt'),
    clock,
    paperSeed: 7,
    paperTickMs: 0,
    venueFactories: new Map<string, VenueFactory>([...VENUE_FACTORIES, ['tastytrade', tastytradeFactory({ timeoutMs: 2000, streamBackoff: { initialMs: 50, maxMs: 200 } })]]),
  });
  events.length = 0;
  engine.subscribe((e) => events.push(e));
  await addLiveVenue(engine, 'tastytrade', 'tt', tastytradeSettings(emu));
}, 30_000);
afterEach(async () => {
  await engine.close();
  await emu.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}, 30_000);

async function ok<C extends CommandName>(command: C, input: unknown): Promise<CommandOutput<C>> {
  const r = await engine.call(command, input);
  if (!r.ok) throw new Error(`${command} failed: ${r.error.code}: ${r.error.message}`);
  return r.value;
}
const fillsOf = async (orderId: string) => (await ok('fills.list', { venue: 'tt' })).filter((f) => f.orderId === orderId);
const reconnectReconciles = () => events.filter((e) => e.type === 'reconcile' && e.report.venue === 'tt' && e.report.trigger === 'reconnect').length;

describe('tastytrade account streamer dropped mid-fill', () => {
  it('the fill made while the streamer was down is recovered on reconnect, once', async () => {
    await until(async () => (await ok('venues.list', {})).find((v) => v.name === 'tt')?.state === 'connected', { timeoutMs: 15_000, what: 'tt connected' });
    const placed = await ok('order.place', { venue: 'tt', symbol: 'AAPL', side: 'buy', type: 'limit', tif: 'gtc', qty: '4', limitPrice: '100.00', clientOrderId: `drop-${Date.now().toString(36)}` });
    expect(placed.status).toBe('accepted');

    // The first part arrives over the streamer.
    fillNow(emu, placed.clientOrderId, '1', '100');
    await until(async () => (await fillsOf(placed.id)).length === 1, { timeoutMs: 10_000, what: 'the first fill over the streamer' });

    // The streamer alone goes down; the rest fills while nothing can tell us.
    const before = reconnectReconciles();
    const down = (await control(emu, 'streamer-outage', { down: true })) as { dropped: number };
    expect(down.dropped).toBe(1);
    await until(() => events.some((e) => e.type === 'venue' && e.venue.name === 'tt' && e.venue.state !== 'connected'), { timeoutMs: 10_000, what: 'the engine sees the streamer down' });
    fillNow(emu, placed.clientOrderId, '3', '99.5');
    expect(orderOf(emu, placed.clientOrderId)!.status).toBe('Filled');
    expect((await fillsOf(placed.id)).length).toBe(1);

    await control(emu, 'streamer-outage', { down: false });
    await until(() => reconnectReconciles() > before, { timeoutMs: 20_000, what: 'the reconcile on reconnect' });
    await until(async () => (await ok('orders.list', { all: true })).find((o) => o.id === placed.id)?.status === 'filled', { timeoutMs: 20_000, what: 'filled after the reconcile' });
    const fills = await until(
      async () => {
        const fs = await fillsOf(placed.id);
        return fs.length === 2 && fs;
      },
      { timeoutMs: 20_000, what: 'the missing fill recorded' },
    );
    expect(fills.map((f) => [f.qty, f.price]).sort()).toEqual([
      ['1', '100'],
      ['3', '99.5'],
    ]);

    // Another drop and reconnect: the reconcile finds nothing new to add.
    const again = reconnectReconciles();
    await control(emu, 'fault', { kind: 'drop-sockets' });
    await until(() => reconnectReconciles() > again, { timeoutMs: 20_000, what: 'a second reconcile on reconnect' });
    expect(await fillsOf(placed.id)).toHaveLength(2);
    const o = (await ok('orders.list', { all: true })).find((x) => x.id === placed.id)!;
    expect(o).toMatchObject({ status: 'filled', filledQty: '4' });
  });
});
