/** Kraken through the engine: the executions stream lost between two fills, the missed fill recovered through REST, once. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../src-main/engine/engine';
import type { CommandName, CommandOutput } from '../../../src-main/engine/api/commands';
import { VENUE_FACTORIES } from '../../../src-main/engine/venues/registry';
import { krakenFactory } from '../../../src-main/engine/venues/kraken';
import type { VenueFactory } from '../../../src-main/engine/venues/venue-port';
import { sessionClock } from '../../support/venue-engine-contract';
import { until } from '../../support/until';
import type { KrakenEmulator } from '../../emulators/kraken';
import { fillNow, krakenSettings, roomyLimits, secretsFor, startEmulator, submitsSeen } from './kraken-rig';

let emu: KrakenEmulator;
let engine: Engine;
let dir: string;

beforeEach(async () => {
  emu = await startEmulator();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-krx-'));
  engine = await createEngine({
    dataDir: dir,
    secrets: await secretsFor(emu, 'kr'),
    clock: sessionClock(),
    paperSeed: 7,
    paperTickMs: 0,
    venueFactories: new Map<string, VenueFactory>([...VENUE_FACTORIES, ['kraken', krakenFactory({ timeoutMs: 2000, limits: roomyLimits() })]]),
    unknownLookupDelays: [20, 50, 100, 200],
  });
  await ok('venue.add', { kind: 'kraken', name: 'kr', settings: krakenSettings(emu) });
  await ok('mode.set', { venue: 'kr', mode: 'live', arm: true });
  await until(async () => (await ok('venues.list', {})).find((v) => v.name === 'kr')?.state === 'connected', { timeoutMs: 15_000, what: 'kraken connected' });
}, 30_000);
afterEach(async () => {
  await engine.close();
  await emu.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function ok<C extends CommandName>(command: C, input: unknown): Promise<CommandOutput<C>> {
  const r = await engine.call(command, input);
  if (!r.ok) throw new Error(`${command} failed: ${r.error.code}: ${r.error.message}`);
  return r.value;
}

it('executions dropped mid-fill → reconnect → the missed fill is recovered through REST, once', async () => {
  const placed = await ok('order.place', { venue: 'kr', symbol: 'BTC/USD', side: 'buy', type: 'limit', tif: 'gtc', qty: '0.2', limitPrice: '90', clientOrderId: 'kr-midfill-1' });
  const order = async () => (await ok('orders.list', { all: true })).find((o) => o.id === placed.id);
  await until(async () => (await order())?.venueOrderId, { timeoutMs: 10_000, what: 'venue order id' });
  fillNow(emu, 'kr-midfill-1', '0.1', '90');
  await until(async () => (await order())?.status === 'partially_filled', { timeoutMs: 10_000, what: 'first fill streamed' });
  // The sockets die; the second fill happens before the connector is back.
  emu.server.dropSockets();
  fillNow(emu, 'kr-midfill-1', '0.1', '89.5');
  await until(async () => (await order())?.status === 'filled', { timeoutMs: 20_000, what: 'filled after the reconnect' });
  await ok('reconcile.run', { venue: 'kr' });
  const fills = (await ok('fills.list', { venue: 'kr' })).filter((f) => f.orderId === placed.id);
  expect(fills.map((f) => f.qty).sort()).toEqual(['0.1', '0.1']);
  expect(new Set(fills.map((f) => f.venueFillId)).size).toBe(2);
  expect(submitsSeen(emu, 'kr-midfill-1')).toBe(1);
});

it('the ticket path: a preview (Kraken validate=true), a DAY order refused before journaling, then one order placed', async () => {
  const p = await ok('order.preview', { venue: 'kr', symbol: 'BTC/USD', side: 'buy', type: 'limit', tif: 'gtc', qty: '0.5', limitPrice: '95' });
  expect(p.violations).toEqual([]);
  const day = await engine.call('order.preview', { venue: 'kr', symbol: 'BTC/USD', side: 'buy', type: 'limit', tif: 'day', qty: '0.5', limitPrice: '95' });
  expect(day.ok ? 'previewed' : day.error.code).toBe('unsupported_order');
  const placed = await ok('order.place', { venue: 'kr', symbol: 'BTC/USD', side: 'buy', type: 'limit', tif: 'gtc', qty: '0.5', limitPrice: '95', clientOrderId: 'kr-ticket-1' });
  expect(placed.status).toBe('accepted');
  expect(submitsSeen(emu, 'kr-ticket-1')).toBe(1);
  expect(emu.orders.all().find((o) => o.cl_ord_id === 'kr-ticket-1')).toMatchObject({ status: 'open', vol: '0.50000000', price: '95' });
});
