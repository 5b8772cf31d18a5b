/**
 * Binance through the engine: the user data stream lost between two fills (the missed fill
 * recovered once by the REST reconcile), and Binance's filters refusing a ticket before anything
 * is journaled or sent.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DB_FILE } from '../../../src-main/engine/store/db';
import type { Engine } from '../../../src-main/engine/engine';
import type { CommandName, CommandOutput } from '../../../src-main/engine/api/commands';
import { until } from '../../support/until';
import type { BinanceEmulator } from '../../emulators/binance';
import { engineRig, submitsSeen } from './binance-rig';

let rig: Awaited<ReturnType<typeof engineRig>>;
let emu: BinanceEmulator;
let engine: Engine;

beforeEach(async () => {
  rig = await engineRig();
  ({ emu, engine } = rig);
}, 30_000);
afterEach(() => rig.close());

function ok<C extends CommandName>(command: C, input: unknown): Promise<CommandOutput<C>> {
  return rig.ok(command, input);
}

it('user data dropped mid-fill → reconnect → the missed fill is recovered through REST, once', async () => {
  const placed = await ok('order.place', { venue: 'bn', symbol: 'BTC/USDT', side: 'buy', type: 'limit', tif: 'gtc', qty: '0.002', limitPrice: '50000', clientOrderId: 'bn-midfill-1' });
  const order = async () => (await ok('orders.list', { all: true })).find((o) => o.id === placed.id);
  await until(async () => (await order())?.venueOrderId, { timeoutMs: 10_000, what: 'venue order id' });
  emu.fillByClientId('bn-midfill-1', '0.001', '50000');
  await until(async () => (await order())?.status === 'partially_filled', { timeoutMs: 10_000, what: 'first fill streamed' });
  // The socket dies; the second fill happens before the connector is back.
  emu.server.dropSockets();
  emu.fillByClientId('bn-midfill-1', '0.001', '49999.5');
  await until(async () => (await order())?.status === 'filled', { timeoutMs: 20_000, what: 'filled after the reconnect' });
  await ok('reconcile.run', { venue: 'bn' });
  const fills = (await ok('fills.list', { venue: 'bn' })).filter((f) => f.orderId === placed.id);
  expect(fills.map((f) => f.qty).sort()).toEqual(['0.001', '0.001']);
  expect(new Set(fills.map((f) => f.venueFillId)).size).toBe(2);
  expect(fills.map((f) => f.fee)).toEqual(['0.000001', '0.000001']);
  expect(submitsSeen(emu, 'bn-midfill-1')).toBe(1);
});

it("a ticket off Binance's filters is refused with the rule before it is journaled or sent", async () => {
  const before = (await ok('orders.list', { all: true })).length;
  for (const t of [
    { limitPrice: '50000.005', qty: '0.002', rule: "BTC/USDT's tick of 0.01" },
    { limitPrice: '50000', qty: '0.0000001', rule: 'steps of 0.00001' },
    { limitPrice: '100', qty: '0.0001', rule: 'NOTIONAL: the order is worth 0.01' },
  ]) {
    const r = await engine.call('order.place', { venue: 'bn', symbol: 'BTC/USDT', side: 'buy', type: 'limit', tif: 'gtc', qty: t.qty, limitPrice: t.limitPrice });
    expect(r.ok ? 'placed' : r.error.message).toContain(t.rule);
  }
  expect((await ok('orders.list', { all: true })).length).toBe(before);
  expect(emu.server.requests.filter((r) => r.method === 'POST' && r.path === '/api/v3/order')).toHaveLength(0);
});

it('order.replace goes through cancelReplace: the order keeps its id and takes the new price, stays working, and a cancel reaches the replacement', async () => {
  const placed = await ok('order.place', { venue: 'bn', symbol: 'BTC/USDT', side: 'buy', type: 'limit', tif: 'gtc', qty: '0.002', limitPrice: '50000', clientOrderId: 'bn-repl-1' });
  await until(async () => (await ok('orders.list', { all: true })).find((o) => o.id === placed.id && o.venueOrderId), { timeoutMs: 10_000, what: 'venue order id' });
  const replaced = await ok('order.replace', { id: placed.id, limitPrice: '49000' });
  expect(replaced).toMatchObject({ id: placed.id, status: 'accepted', limitPrice: '49000' });
  expect(emu.orders.map((o) => [o.clientOrderId, o.status, o.price])).toEqual([
    ['bn-repl-1', 'CANCELED', '50000.00000000'],
    ['bn-repl-1.r1', 'NEW', '49000.00000000'],
  ]);
  // The cancelled predecessor's report never reaches our order; a reconcile agrees.
  await ok('reconcile.run', { venue: 'bn' });
  expect((await ok('orders.list', { all: true })).find((x) => x.id === placed.id)?.status).toBe('accepted');
  await ok('order.cancel', { id: placed.id });
  await until(async () => (await ok('orders.list', { all: true })).find((x) => x.id === placed.id)?.status === 'cancelled', { timeoutMs: 10_000, what: 'cancelled' });
  expect(emu.orders.find((o) => o.clientOrderId === 'bn-repl-1.r1')?.status).toBe('CANCELED');
});

it("order.replace after a partial fill: the blotter keeps the order total (never the replacement's remainder), a second replace after a reconcile still sizes from it, and Binance can never fill more than asked", async () => {
  const placed = await ok('order.place', { venue: 'bn', symbol: 'BTC/USDT', side: 'buy', type: 'limit', tif: 'gtc', qty: '0.004', limitPrice: '50000', clientOrderId: 'bn-repl-2' });
  const order = async () => (await ok('orders.list', { all: true })).find((o) => o.id === placed.id)!;
  await until(async () => (await order())?.venueOrderId, { timeoutMs: 10_000, what: 'venue order id' });
  emu.fillByClientId('bn-repl-2', '0.001', '50000');
  await until(async () => (await order()).status === 'partially_filled', { timeoutMs: 10_000, what: 'partial fill' });
  await ok('order.replace', { id: placed.id, limitPrice: '49000' });
  await ok('reconcile.run', { venue: 'bn' });
  expect(await order()).toMatchObject({ qty: '0.004', filledQty: '0.001', limitPrice: '49000', status: 'partially_filled' });
  // The trader asks for 0.005 in all: Binance gets the 0.004 left, not 0.005.
  await ok('order.replace', { id: placed.id, qty: '0.005' });
  await ok('reconcile.run', { venue: 'bn' });
  expect(await order()).toMatchObject({ qty: '0.005', filledQty: '0.001' });
  expect(emu.orders.filter((o) => o.clientOrderId.startsWith('bn-repl-2')).map((o) => [o.clientOrderId, o.origQty, o.status])).toEqual([
    ['bn-repl-2', '0.00400000', 'CANCELED'],
    ['bn-repl-2.r1', '0.00300000', 'CANCELED'],
    ['bn-repl-2.r2', '0.00400000', 'NEW'],
  ]);
  emu.fillByClientId('bn-repl-2.r2', '0.004', '49000');
  await until(async () => (await order()).status === 'filled', { timeoutMs: 10_000, what: 'filled' });
  expect(await order()).toMatchObject({ qty: '0.005', filledQty: '0.005' });
});

const ocoTicket = (cid: string) => ({
  venue: 'bn',
  symbol: 'BTC/USDT',
  side: 'sell',
  type: 'limit',
  tif: 'gtc',
  qty: '0.01',
  limitPrice: '61000',
  oco: true,
  stopLoss: { stopPrice: '59000', limitPrice: '58900' },
  clientOrderId: cid,
});

it('an OCO exit pair is ONE Binance order list; the take-profit fills → the stop-loss expires in our blotter', async () => {
  await ok('order.place', { venue: 'bn', symbol: 'BTC/USDT', side: 'buy', type: 'market', tif: 'ioc', qty: '0.01', clientOrderId: 'bn-oco-own' });
  const tp = await ok('order.place', ocoTicket('bn-oco-1'));
  expect(emu.server.count('POST', '/api/v3/orderList/oco')).toBe(1);
  expect(tp).toMatchObject({ status: 'accepted', leg: 'take_profit', ocaGroup: 'oco-bn-oco-1' });
  const legs = async () => (await ok('orders.list', { all: true })).filter((o) => o.ocaGroup === 'oco-bn-oco-1');
  const sl = (await legs()).find((o) => o.leg === 'stop_loss')!;
  expect(sl).toMatchObject({ status: 'accepted', type: 'stop_limit', stopPrice: '59000', limitPrice: '58900' });
  expect(emu.lists.lists.map((l) => [l.listClientOrderId, l.orders.map((o) => o.clientOrderId).sort()])).toEqual([['oco-bn-oco-1', ['bn-oco-1', sl.clientOrderId].sort()]]);

  emu.fillByClientId('bn-oco-1', '0.01', '61000');
  await until(
    async () =>
      (await legs())
        .map((o) => `${o.leg}:${o.status}`)
        .sort()
        .join() === 'stop_loss:expired,take_profit:filled',
    { timeoutMs: 10_000, what: 'TP filled, SL expired' },
  );
  await ok('reconcile.run', { venue: 'bn' });
  expect((await legs()).map((o) => `${o.leg}:${o.status}`).sort()).toEqual(['stop_loss:expired', 'take_profit:filled']);
  expect((await ok('fills.list', { venue: 'bn' })).filter((f) => f.orderId === tp.id).map((f) => [f.qty, f.price])).toEqual([['0.01', '61000']]);
});

it('an OCO whose answer is lost is resolved by lookup, never sent again; cancelling it cancels both legs', async () => {
  // The answer and Binance's pushes are both lost: only a lookup can tell what became of the list.
  emu.server.faults.arm({ kind: 'lose-response', method: 'POST', path: '/api/v3/orderList/oco' });
  emu.users.muted = true;
  const r = await engine.call('order.place', ocoTicket('bn-oco-2'));
  const legs = async () => (await ok('orders.list', { all: true })).filter((o) => o.ocaGroup === 'oco-bn-oco-2');
  await until(async () => (await legs()).every((o) => o.status === 'accepted' && o.venueOrderId), { timeoutMs: 15_000, what: 'legs found by lookup' });
  if (!r.ok) throw new Error(r.error.message);
  emu.users.muted = false;
  expect(emu.server.count('POST', '/api/v3/orderList/oco')).toBe(1);
  const tp = (await legs()).find((o) => o.leg === 'take_profit')!;
  await ok('order.cancel', { id: tp.id });
  await until(async () => (await legs()).every((o) => o.status === 'cancelled'), { timeoutMs: 10_000, what: 'both legs cancelled' });
  expect(emu.server.count('DELETE', '/api/v3/orderList')).toBe(1);
  // Each leg went through `unknown` (the answer was lost) before Binance's word settled it.
  const journal = new Database(path.join(rig.dir, DB_FILE), { readonly: true });
  const seen = (id: string) => journal.prepare<[string], { to_status: string }>('SELECT to_status FROM order_transitions WHERE order_id = ? AND accepted = 1 ORDER BY seq').all(id);
  for (const o of await legs())
    expect(
      seen(o.id)
        .map((x) => x.to_status)
        .slice(0, 3),
    ).toEqual(['pending_submit', 'unknown', 'accepted']);
  journal.close();
});
