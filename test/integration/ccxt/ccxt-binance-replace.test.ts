/**
 * A replace that the exchange carries out as cancel + new order, over real sockets: ccxt.binance's
 * editOrder is Binance's order/cancelReplace, whose new order has a NEW orderId (and a client id
 * ccxt made up). The connector follows the new id; the old id still names our order, so a late
 * fill or a late "cancelled" on it is read for what it is.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BinanceEmulator } from '../../emulators/binance';
import { contractOrder, RecordingListener } from '../../support/venue-contract';
import { sessionClock } from '../../support/venue-engine-contract';
import { liveVenueEngine } from '../../support/venue-rig';
import { until } from '../../support/until';
import { MemorySecretStore } from '../../../src-main/engine/ports/secrets';
import { ccxtFactory } from '../../../src-main/engine/venues/ccxt';
import type { CommandName, CommandOutput } from '../../../src-main/engine/api/commands';
import type { Engine } from '../../../src-main/engine/engine';
import { KEY, SECRET, startEmulator } from '../binance/binance-rig';
import { BINANCE_SPOT_ONLY, ccxtRig } from './ccxt-rig';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function emulator(): Promise<BinanceEmulator> {
  const emu = await startEmulator();
  cleanups.push(() => emu.stop());
  return emu;
}

const settings = (emu: BinanceEmulator, pollMs: string) => ({ exchange: 'binance', urlOverride: emu.url, pollMs, ccxtOptions: BINANCE_SPOT_ONLY });
const byId = (emu: BinanceEmulator, id: string) => emu.orders.find((o) => String(o.orderId) === id);
const polls = (emu: BinanceEmulator) => emu.server.requests.filter((r) => r.method === 'GET' && r.path === '/api/v3/openOrders').length;

describe('ccxt replace on Binance (cancelReplace: a new exchange order id)', () => {
  it('a partly filled order is refused before anything is sent; otherwise the connector follows the new id: lookup finds the replacement, its fills are ours, cancel reaches it', async () => {
    const emu = await emulator();
    const rig = await ccxtRig('cbr', settings(emu, '60000'), { apiKey: KEY, secret: SECRET });
    cleanups.push(() => rig.close());
    const c = rig.connector;
    await c.start(new RecordingListener());
    cleanups.push(() => c.stop());
    await until(() => c.state().state === 'connected', { timeoutMs: 30_000, what: 'connected' });

    // A partly filled order is not modified through ccxt: editOrder would send the full 0.002 as a
    // new order (cancelReplace) on top of the 0.001 already filled. The fill is one the connector
    // has not heard of yet: the exchange's own figure is read first.
    const p = contractOrder(c.name, c.instrument('BTC/USDT')!, { side: 'buy', type: 'limit', qty: '0.002', limitPrice: '50000.00', tif: 'gtc' });
    const pAck = await c.submit(p);
    emu.fillByClientId(p.clientOrderId, '0.001', '50000');
    const replaces = () => emu.server.requests.filter((q) => q.path === '/api/v3/order/cancelReplace').length;
    await expect(c.replace({ ...p, venueOrderId: pAck.venueOrderId }, { limitPrice: '50100.00' })).rejects.toMatchObject({
      name: 'VenueRejectedError',
      venueCode: 'partly_filled',
      message: expect.stringContaining('has already filled 0.001 of 0.002') as unknown,
    });
    expect(replaces()).toBe(0);
    expect(byId(emu, pAck.venueOrderId)).toMatchObject({ status: 'PARTIALLY_FILLED', price: '50000.00000000' });
    await c.cancel({ ...p, venueOrderId: pAck.venueOrderId });

    const o = contractOrder(c.name, c.instrument('BTC/USDT')!, { side: 'buy', type: 'limit', qty: '0.002', limitPrice: '50000.00', tif: 'gtc' });
    const ack = await c.submit(o);
    const r = await c.replace({ ...o, venueOrderId: ack.venueOrderId }, { limitPrice: '50100.00' });
    expect(replaces()).toBe(1);
    expect(r.venueOrderId).not.toBe(ack.venueOrderId);
    expect(byId(emu, ack.venueOrderId)?.status).toBe('CANCELED');
    const replacement = byId(emu, r.venueOrderId)!;
    expect(replacement).toMatchObject({ status: 'NEW', price: '50100.00000000', origQty: '0.00200000' });

    // Lookup (the engine's after an unclear outcome or a restart) finds the replacement, not the cancelled first order.
    expect(await c.lookup(o.clientOrderId)).toMatchObject({ clientOrderId: o.clientOrderId, venueOrderId: r.venueOrderId, status: 'accepted', limitPrice: '50100' });

    emu.fillByClientId(replacement.clientOrderId, '0.002', '50100');
    const fills = await c.fillsSince(0);
    expect(fills.map((f) => [f.clientOrderId, f.venueOrderId, f.qty, f.price])).toEqual([
      [p.clientOrderId, pAck.venueOrderId, '0.001', '50000'],
      [o.clientOrderId, r.venueOrderId, '0.002', '50100'],
    ]);
    // Now both are closed and the account's order list holds the first (cancelled, our client id) beside the replacement (filled).
    expect(await c.lookup(o.clientOrderId)).toMatchObject({ venueOrderId: r.venueOrderId, status: 'filled', filledQty: '0.002' });

    // The engine's copy still names the first id: a cancel goes to the replacement all the same.
    const o2 = contractOrder(c.name, c.instrument('BTC/USDT')!, { side: 'buy', type: 'limit', qty: '0.002', limitPrice: '50000.00', tif: 'gtc' });
    const ack2 = await c.submit(o2);
    const r2 = await c.replace({ ...o2, venueOrderId: ack2.venueOrderId }, { limitPrice: '50200.00' });
    await c.cancel({ ...o2, venueOrderId: ack2.venueOrderId });
    expect(byId(emu, r2.venueOrderId)?.status).toBe('CANCELED');
  }, 90_000);

  it('through the engine: the order works on under the new id (the old id\'s "cancelled", polled during or after the replace, does not end it), and the replacement fill is booked once', async () => {
    const emu = await emulator();
    const secrets = new MemorySecretStore();
    await secrets.set('cbe/apiKey', KEY);
    await secrets.set('cbe/secret', SECRET);
    const e = await liveVenueEngine({ kind: 'ccxt', name: 'cbe', factory: ccxtFactory({ timeoutMs: 2000 }), settings: settings(emu, '250'), secrets, clock: sessionClock(), accountCurrency: 'USDT' });
    cleanups.push(() => e.close());
    const ok = async <C extends CommandName>(engine: Engine, command: C, input: unknown): Promise<CommandOutput<C>> => {
      const res = await engine.call(command, input);
      if (!res.ok) throw new Error(`${command}: ${res.error.message}`);
      return res.value;
    };
    const order = async (id: string) => (await ok(e.engine, 'orders.list', { all: true })).find((x) => x.id === id)!;

    await until(async () => (await ok(e.engine, 'balances.list', { venue: 'cbe' })).some((b) => b.asset === 'USDT'), { timeoutMs: 30_000, what: 'balances read' });
    const placed = await ok(e.engine, 'order.place', { venue: 'cbe', symbol: 'BTC/USDT', side: 'buy', type: 'limit', tif: 'gtc', qty: '0.002', limitPrice: '50000', clientOrderId: 'rep-1' });
    expect(placed.status).toBe('accepted');
    const first = placed.venueOrderId!;
    const replaced = await ok(e.engine, 'order.replace', { id: placed.id, limitPrice: '50100' });
    expect(replaced).toMatchObject({ status: 'accepted', limitPrice: '50100' });
    const second = emu.orders.find((x) => x.status === 'NEW')!;
    expect(String(second.orderId)).not.toBe(first);
    expect(byId(emu, first)?.status).toBe('CANCELED');

    // Two polling rounds after the replace: the order is still polled (not taken as ended) and stands as replaced.
    const seen = polls(emu);
    await until(() => polls(emu) >= seen + 2, { timeoutMs: 20_000, what: 'two polls after the replace' });
    expect(await order(placed.id)).toMatchObject({ status: 'accepted', limitPrice: '50100' });

    emu.fillByClientId(second.clientOrderId, '0.002', '50100');
    await until(async () => (await order(placed.id)).status === 'filled', { timeoutMs: 20_000, what: 'filled' });
    expect(await order(placed.id)).toMatchObject({ filledQty: '0.002', avgFillPrice: '50100' });
    const fills = (await ok(e.engine, 'fills.list', { venue: 'cbe' })).filter((f) => f.orderId === placed.id);
    expect(fills.map((f) => [f.qty, f.price])).toEqual([['0.002', '50100']]);
  }, 90_000);
});
