/**
 * Coinbase through the engine: the user socket lost between two fills, the fill recovered once by
 * the REST reconcile; and the preview a trader sees carrying Coinbase's own commission.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../src-main/engine/engine';
import type { CommandName, CommandOutput } from '../../../src-main/engine/api/commands';
import { VENUE_FACTORIES } from '../../../src-main/engine/venues/registry';
import { coinbaseFactory } from '../../../src-main/engine/venues/coinbase';
import type { VenueFactory } from '../../../src-main/engine/venues/venue-port';
import { sessionClock } from '../../support/venue-engine-contract';
import { until } from '../../support/until';
import type { CoinbaseEmulator } from '../../emulators/coinbase';
import { coinbaseSettings, secretsFor, startEmulator, submitsSeen } from './coinbase-rig';

let emu: CoinbaseEmulator;
let engine: Engine;
let dir: string;

async function ok<C extends CommandName>(command: C, input: unknown): Promise<CommandOutput<C>> {
  const r = await engine.call(command, input);
  if (!r.ok) throw new Error(`${command} failed: ${r.error.code}: ${r.error.message}`);
  return r.value;
}

beforeEach(async () => {
  const clock = sessionClock();
  emu = await startEmulator(() => clock.now());
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-cbx-'));
  engine = await createEngine({
    dataDir: dir,
    secrets: await secretsFor('cb'),
    clock,
    paperSeed: 7,
    paperTickMs: 0,
    venueFactories: new Map<string, VenueFactory>([...VENUE_FACTORIES, ['coinbase', coinbaseFactory({ timeoutMs: 2000 })]]),
    unknownLookupDelays: [20, 50, 100, 200],
  });
  await ok('venue.add', { kind: 'coinbase', name: 'cb', settings: coinbaseSettings(emu) });
  await ok('mode.set', { venue: 'cb', mode: 'live', arm: true });
  await until(async () => (await ok('venues.list', {})).find((v) => v.name === 'cb')?.state === 'connected', { timeoutMs: 15_000, what: 'coinbase connected' });
}, 30_000);
afterEach(async () => {
  await engine.close();
  await emu.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('user socket dropped mid-fill → reconnect → the missed fill is recovered through REST, once', async () => {
  const placed = await ok('order.place', { venue: 'cb', symbol: 'BTC/USD', side: 'buy', type: 'limit', tif: 'gtc', qty: '0.02', limitPrice: '50000', clientOrderId: 'CBMIDFILL1' });
  const order = async () => (await ok('orders.list', { all: true })).find((o) => o.id === placed.id);
  await until(async () => (await order())?.venueOrderId, { timeoutMs: 10_000, what: 'venue order id' });
  emu.fill('CBMIDFILL1', '0.01', '50000');
  await until(async () => (await order())?.status === 'partially_filled', { timeoutMs: 10_000, what: 'first fill streamed' });
  emu.server.dropSockets();
  emu.fill('CBMIDFILL1', '0.01', '49999');
  await until(async () => (await order())?.status === 'filled', { timeoutMs: 20_000, what: 'filled after the reconnect' });
  await ok('reconcile.run', { venue: 'cb' });
  const fills = (await ok('fills.list', { venue: 'cb' })).filter((f) => f.orderId === placed.id);
  expect(fills.map((f) => f.qty).sort()).toEqual(['0.01', '0.01']);
  expect(new Set(fills.map((f) => f.venueFillId)).size).toBe(2);
  // Coinbase's commission on each fill (maker 0.4 %).
  expect(fills.map((f) => f.fee).sort()).toEqual(['1.99996', '2']);
  expect(submitsSeen(emu, 'CBMIDFILL1')).toBe(1);
});

it("the preview shows Coinbase's own commission and total, and its refusal as a violation", async () => {
  const p = await ok('order.preview', { venue: 'cb', symbol: 'BTC/USD', side: 'buy', type: 'limit', tif: 'gtc', qty: '0.1', limitPrice: '50000' });
  expect(p).toMatchObject({ route: 'live', estFee: '20', estNotional: '5000' });
  const big = await ok('order.preview', { venue: 'cb', symbol: 'BTC/USD', side: 'buy', type: 'limit', tif: 'gtc', qty: '10', limitPrice: '50000' });
  expect(big.allowed).toBe(false);
  expect(big.violations.map((v) => v.code)).toContain('coinbase_preview_insufficient_fund');
});
