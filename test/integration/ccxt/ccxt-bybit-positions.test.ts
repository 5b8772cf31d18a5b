/**
 * A perpetual's liquidation price and leverage, end to end over real sockets: the Bybit v5
 * emulator's /v5/position/list (`liqPrice`, `leverage`) → ccxt.bybit's unified position → the
 * ccxt connector → the engine's positions table → the API's `positions.list`, and the same after
 * a restart (read back from SQLite).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandName, CommandOutput } from '../../../src-main/engine/api/commands';
import type { Engine } from '../../../src-main/engine/engine';
import { ccxtFactory } from '../../../src-main/engine/venues/ccxt';
import { sessionClock } from '../../support/venue-engine-contract';
import { liveVenueEngine } from '../../support/venue-rig';
import { until } from '../../support/until';
import { bybitSettings, secretsFor, startBybit } from './bybit-rig';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function ok<C extends CommandName>(engine: Engine, command: C, input: unknown): Promise<CommandOutput<C>> {
  const r = await engine.call(command, input);
  if (!r.ok) throw new Error(`${command}: ${r.error.message}`);
  return r.value;
}

describe('perpetual positions through ccxt (Bybit emulator → engine → API)', () => {
  it('carry the venue liquidation price and leverage, kept across a restart', async () => {
    const emu = await startBybit();
    cleanups.push(() => emu.stop());
    const e = await liveVenueEngine({
      kind: 'ccxt',
      name: 'byb',
      factory: ccxtFactory({ timeoutMs: 2000 }),
      settings: bybitSettings(emu),
      secrets: await secretsFor('byb'),
      clock: sessionClock(),
      accountCurrency: 'USDT',
    });
    cleanups.push(() => e.close());
    await until(async () => (await ok(e.engine, 'balances.list', { venue: 'byb' })).some((b) => b.asset === 'USDT'), { timeoutMs: 30_000, what: 'balances read' });

    const placed = await ok(e.engine, 'order.place', { venue: 'byb', symbol: 'BTC/USDT:PERP', side: 'buy', type: 'market', tif: 'ioc', qty: '0.01', clientOrderId: 'perp-1' });
    expect(placed.status).not.toBe('rejected');
    // The emulator fills a market order at 100000; its position endpoint reports liqPrice 90000 (entry × 0.9 for a long) and leverage 10.
    await ok(e.engine, 'reconcile.run', { venue: 'byb' });
    const want = { symbol: 'BTC/USDT:PERP', qty: '0.01', avgPrice: '100000', liquidationPrice: '90000', leverage: '10' };
    expect(await ok(e.engine, 'positions.list', { venue: 'byb' })).toEqual([expect.objectContaining(want)]);

    // Read back from the positions table, before the venue is asked again.
    await e.restart(async () => undefined);
    expect(await ok(e.engine, 'positions.list', { venue: 'byb' })).toEqual([expect.objectContaining(want)]);
  }, 90_000);
});
