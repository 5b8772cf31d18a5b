/** Alpaca through the engine: the trade stream lost between two fills, the fill recovered once by the REST reconcile. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../src-main/engine/engine';
import type { CommandName, CommandOutput } from '../../../src-main/engine/api/commands';
import { VENUE_FACTORIES } from '../../../src-main/engine/venues/registry';
import { alpacaFactory } from '../../../src-main/engine/venues/alpaca';
import type { VenueFactory } from '../../../src-main/engine/venues/venue-port';
import { sessionClock } from '../../support/venue-engine-contract';
import { until } from '../../support/until';
import type { AlpacaEmulator } from '../../emulators/alpaca';
import { alpacaSettings, fillNow, secretsFor, startEmulator, submitsSeen } from './alpaca-rig';

let emu: AlpacaEmulator;
let engine: Engine;
let dir: string;

beforeEach(async () => {
  const clock = sessionClock();
  emu = await startEmulator(() => clock.now());
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-alpx-'));
  engine = await createEngine({
    dataDir: dir,
    secrets: await secretsFor('alp'),
    clock,
    paperSeed: 7,
    paperTickMs: 0,
    venueFactories: new Map<string, VenueFactory>([...VENUE_FACTORIES, ['alpaca', alpacaFactory({ timeoutMs: 2000 })]]),
    unknownLookupDelays: [20, 50, 100, 200],
  });
  await ok('venue.add', { kind: 'alpaca', name: 'alp', settings: alpacaSettings(emu) });
  await ok('mode.set', { venue: 'alp', mode: 'live', arm: true });
  await until(async () => (await ok('venues.list', {})).find((v) => v.name === 'alp')?.state === 'connected', { timeoutMs: 15_000, what: 'alpaca connected' });
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

it('trade stream dropped mid-fill → reconnect → the missed fill is recovered through REST, once', async () => {
  const placed = await ok('order.place', { venue: 'alp', symbol: 'AAPL', side: 'buy', type: 'limit', tif: 'gtc', qty: '2', limitPrice: '150', clientOrderId: 'alp-midfill-1' });
  const order = async () => (await ok('orders.list', { all: true })).find((o) => o.id === placed.id);
  await until(async () => (await order())?.venueOrderId, { timeoutMs: 10_000, what: 'venue order id' });
  fillNow(emu, 'alp-midfill-1', '1', '150');
  await until(async () => (await order())?.status === 'partially_filled', { timeoutMs: 10_000, what: 'first fill streamed' });
  // The socket dies; the second fill happens before the connector is back.
  emu.server.dropSockets();
  fillNow(emu, 'alp-midfill-1', '1', '150.5');
  await until(async () => (await order())?.status === 'filled', { timeoutMs: 20_000, what: 'filled after the reconnect' });
  await ok('reconcile.run', { venue: 'alp' });
  const fills = (await ok('fills.list', { venue: 'alp' })).filter((f) => f.orderId === placed.id);
  expect(fills.map((f) => f.qty).sort()).toEqual(['1', '1']);
  expect(new Set(fills.map((f) => f.venueFillId)).size).toBe(2);
  expect(submitsSeen(emu, 'alp-midfill-1')).toBe(1);
});

it("a holiday in Alpaca's calendar closes the market for the engine too (our NYSE calendar says open): preview refuses a market order", async () => {
  const before = await ok('order.preview', { venue: 'alp', symbol: 'AAPL', side: 'buy', type: 'market', tif: 'day', qty: '1' });
  expect(before.violations.map((v) => v.code)).not.toContain('market_closed');
  await fetch(`${emu.url}/__control/holiday`, { method: 'POST', body: JSON.stringify({ date: '2026-11-18' }) });
  const after = await ok('order.preview', { venue: 'alp', symbol: 'AAPL', side: 'buy', type: 'market', tif: 'day', qty: '1' });
  expect(after.violations.find((v) => v.code === 'market_closed')?.message).toContain("Alpaca's calendar has no session on 2026-11-18");
  // Crypto trades on.
  const btc = await ok('order.preview', { venue: 'alp', symbol: 'BTC/USD', side: 'buy', type: 'market', tif: 'ioc', qty: '0.01' });
  expect(btc.violations.map((v) => v.code)).not.toContain('market_closed');
});

it('an OCO exit pair through the engine is ONE Alpaca order (order_class oco); both legs journaled, each under its own client id', async () => {
  await ok('order.place', { venue: 'alp', symbol: 'AAPL', side: 'buy', type: 'market', tif: 'day', qty: '3', clientOrderId: 'alp-oco-own' });
  const posts = emu.server.count('POST', '/v2/orders');
  const tp = await ok('order.place', {
    venue: 'alp',
    symbol: 'AAPL',
    side: 'sell',
    type: 'limit',
    tif: 'gtc',
    qty: '3',
    limitPrice: '260',
    oco: true,
    stopLoss: { stopPrice: '150' },
    clientOrderId: 'alp-oco-1',
  });
  expect(emu.server.count('POST', '/v2/orders')).toBe(posts + 1);
  expect(tp).toMatchObject({ status: 'accepted', leg: 'take_profit', ocaGroup: 'oco-alp-oco-1' });
  const legs = (await ok('orders.list', { all: true })).filter((o) => o.ocaGroup === 'oco-alp-oco-1');
  expect(legs.map((o) => [o.leg, o.status, o.type])).toEqual(
    expect.arrayContaining([
      ['take_profit', 'accepted', 'limit'],
      ['stop_loss', 'accepted', 'stop'],
    ]),
  );
  const sl = legs.find((o) => o.leg === 'stop_loss')!;
  expect(sl.venueOrderId).toBeTruthy();
  expect(sl.venueOrderId).not.toBe(tp.venueOrderId);
  expect(submitsSeen(emu, 'alp-oco-1')).toBe(1);
});
