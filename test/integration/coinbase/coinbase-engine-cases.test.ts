/**
 * Coinbase through the engine: the user socket lost between two fills, the fill recovered once by
 * the REST reconcile; the preview a trader sees carrying Coinbase's own commission; and the
 * balances a trader sees once the key is in (every Coinbase account, available and total).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Engine } from '../../../src-main/engine/engine';
import { sessionClock } from '../../support/venue-engine-contract';
import { until } from '../../support/until';
import type { CoinbaseEmulator } from '../../emulators/coinbase';
import { caller, coinbaseEngine, coinbaseSettings, startEmulator, submitsSeen } from './coinbase-rig';

let emu: CoinbaseEmulator;
let engine: Engine;
let dir: string;
const ok = caller(() => engine);

beforeEach(async () => {
  const clock = sessionClock();
  emu = await startEmulator(() => clock.now());
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-cbx-'));
  engine = await coinbaseEngine(dir, clock);
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

it("SHADOW fills at the account's own Coinbase fee tier (transaction_summary: maker 0.4 %, taker 0.6 %), not the simulator's default; nothing is sent", async () => {
  await ok('mode.set', { venue: 'cb', mode: 'shadow' });
  const p = await ok('order.preview', { venue: 'cb', symbol: 'BTC/USD', side: 'buy', type: 'limit', tif: 'gtc', qty: '0.1', limitPrice: '50000' });
  expect(p).toMatchObject({ route: 'shadow', estFee: '20' });
  const fillsOf = async (id: string) => (await ok('fills.list', { venue: 'cb' })).filter((f) => f.orderId === id);
  // A market buy takes the emulator's best offer (60001): taker.
  await until(async () => (await ok('quote.get', { venue: 'cb', symbol: 'BTC/USD' }).catch(() => undefined))?.ask, { timeoutMs: 10_000, what: 'Coinbase book' });
  const taker = await ok('order.place', { venue: 'cb', symbol: 'BTC/USD', side: 'buy', type: 'market', tif: 'ioc', qty: '0.01', clientOrderId: 'CBSHADOW1' });
  await until(async () => (await fillsOf(taker.id)).length === 1, { timeoutMs: 10_000, what: 'shadow taker fill' });
  expect((await fillsOf(taker.id)).map((f) => [f.price, f.fee])).toEqual([['60001', '3.6']]);
  // A resting buy the offer later comes down to: maker.
  const maker = await ok('order.place', { venue: 'cb', symbol: 'BTC/USD', side: 'buy', type: 'limit', tif: 'gtc', qty: '0.01', limitPrice: '59990', clientOrderId: 'CBSHADOW2' });
  await until(async () => (await ok('orders.list', { all: true })).find((o) => o.id === maker.id)?.status === 'accepted', { timeoutMs: 10_000, what: 'shadow order resting' });
  emu.setBook('BTC-USD', [{ side: 'offer', price: '59990.00', size: '1' }]);
  await until(async () => (await fillsOf(maker.id)).length === 1, { timeoutMs: 10_000, what: 'shadow maker fill' });
  expect((await fillsOf(maker.id)).map((f) => [f.price, f.fee])).toEqual([['59990', '2.4']]);
  expect(submitsSeen(emu, 'CBSHADOW1') + submitsSeen(emu, 'CBSHADOW2')).toBe(0);
});

it("the trader's Coinbase balances: every account (USD, BTC, ETH), total and available, as Coinbase reports them", async () => {
  await ok('reconcile.run', { venue: 'cb' });
  const rows = (await ok('balances.list', { venue: 'cb' })).map((b) => [b.asset, b.total, b.available]).sort();
  expect(rows).toEqual([
    ['BTC', '2', '2'],
    ['ETH', '2', '2'],
    ['USD', '100000', '100000'],
  ]);
  expect(emu.server.count('GET', '/api/v3/brokerage/accounts')).toBeGreaterThan(0);
});
