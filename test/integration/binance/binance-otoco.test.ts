/**
 * Brackets on Binance through the engine, over real sockets: the entry and its take-profit and
 * stop-loss are ONE OTOCO order list (POST /api/v3/orderList/otoco), each leg under our client id;
 * the exits wait (PENDING_NEW, our `submitted`) until the entry fills, then work as an OCO pair.
 * The take-profit path and the stop path (the emulator's market falls through the stop, which
 * triggers by itself), a lost answer resolved leg by leg with one list at Binance, one exit (OTO),
 * and a market entry refused with Binance's rule before anything is sent.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DB_FILE } from '../../../src-main/engine/store/db';
import type { BinanceEmulator } from '../../emulators/binance';
import { until } from '../../support/until';
import { control, engineRig } from './binance-rig';

let rig: Awaited<ReturnType<typeof engineRig>>;
let emu: BinanceEmulator;

beforeEach(async () => {
  rig = await engineRig();
  emu = rig.emu;
}, 30_000);
afterEach(() => rig.close());

const bracket = (cid: string, extra: Record<string, unknown> = {}) => ({
  venue: 'bn',
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'limit',
  tif: 'gtc',
  qty: '0.01',
  limitPrice: '59990',
  takeProfit: { limitPrice: '61000' },
  stopLoss: { stopPrice: '59000', limitPrice: '58900' },
  clientOrderId: cid,
  ...extra,
});

const otocoPosts = (): number => emu.server.count('POST', '/api/v3/orderList/otoco');
const sentParams = (path: string): Record<string, string> => {
  const r = emu.server.requests.filter((x) => x.method === 'POST' && x.path === path).at(-1)!;
  return Object.fromEntries([...new URLSearchParams(r.query ?? r.body).entries()].filter(([k]) => !['signature', 'timestamp', 'recvWindow'].includes(k)));
};

/** The entry and its children as the blotter has them, by leg. */
async function legs(entryId: string) {
  const all = await rig.ok('orders.list', { all: true });
  const entry = all.find((o) => o.id === entryId)!;
  const kids = all.filter((o) => o.parentOrderId === entryId);
  return { entry, tp: kids.find((o) => o.leg === 'take_profit')!, sl: kids.find((o) => o.leg === 'stop_loss')! };
}
const statuses = async (entryId: string): Promise<string> => {
  const l = await legs(entryId);
  return `${l.entry.status}/${l.tp.status}/${l.sl.status}`;
};

async function placeAndFillEntry(cid: string) {
  const entry = await rig.ok('order.place', bracket(cid));
  const l = await legs(entry.id);
  expect(otocoPosts()).toBe(1);
  expect(sentParams('/api/v3/orderList/otoco')).toEqual({
    symbol: 'BTCUSDT',
    listClientOrderId: `bkt-${cid}`,
    workingType: 'LIMIT',
    workingSide: 'BUY',
    workingPrice: '59990',
    workingQuantity: '0.01',
    workingTimeInForce: 'GTC',
    workingClientOrderId: cid,
    pendingSide: 'SELL',
    pendingQuantity: '0.01',
    pendingAboveType: 'LIMIT_MAKER',
    pendingAbovePrice: '61000',
    pendingAboveClientOrderId: l.tp.clientOrderId,
    pendingBelowType: 'STOP_LOSS_LIMIT',
    pendingBelowStopPrice: '59000',
    pendingBelowPrice: '58900',
    pendingBelowTimeInForce: 'GTC',
    pendingBelowClientOrderId: l.sl.clientOrderId,
    newOrderRespType: 'RESULT',
  });
  // The exits wait at Binance (PENDING_NEW) until the entry fills.
  expect(await statuses(entry.id)).toBe('accepted/submitted/submitted');
  expect(emu.orders.map((o) => [o.clientOrderId, o.status])).toEqual([
    [cid, 'NEW'],
    [l.tp.clientOrderId, 'PENDING_NEW'],
    [l.sl.clientOrderId, 'PENDING_NEW'],
  ]);
  emu.fillByClientId(cid, '0.01', '59990');
  await until(async () => (await statuses(entry.id)) === 'filled/accepted/accepted', { timeoutMs: 10_000, what: 'entry filled, exits working' });
  return { entry, tp: l.tp, sl: l.sl };
}

it('entry fills → the exits work as an OCO → the take-profit fills and the stop-loss expires; one list, ALL_DONE', async () => {
  const { entry, tp, sl } = await placeAndFillEntry('bn-bkt-tp');
  emu.fillByClientId(tp.clientOrderId, '0.01', '61000');
  await until(async () => (await statuses(entry.id)) === 'filled/filled/expired', { timeoutMs: 10_000, what: 'TP filled, SL expired' });
  expect(emu.lists.lists.map((l) => [l.contingencyType, l.listClientOrderId, l.listOrderStatus])).toEqual([['OTO', 'bkt-bn-bkt-tp', 'ALL_DONE']]);
  await rig.ok('reconcile.run', { venue: 'bn' });
  expect(await statuses(entry.id)).toBe('filled/filled/expired');
  const fills = await rig.ok('fills.list', { venue: 'bn' });
  expect(fills.filter((f) => f.orderId === tp.id).map((f) => [f.side, f.qty, f.price])).toEqual([['sell', '0.01', '61000']]);
  expect(fills.filter((f) => f.orderId === sl.id)).toEqual([]);
});

it('the market falls through the stop: the stop-loss triggers by itself and fills, the take-profit expires', async () => {
  const { entry, tp, sl } = await placeAndFillEntry('bn-bkt-sl');
  // Bid 58950: the mid (58955) is through the 59000 stop; the 58900 limit is marketable at the bid.
  await control(emu, 'set-book', { symbol: 'BTCUSDT', bid: '58950', ask: '58960' });
  await until(async () => (await statuses(entry.id)) === 'filled/expired/filled', { timeoutMs: 10_000, what: 'SL filled, TP expired' });
  const fills = await rig.ok('fills.list', { venue: 'bn' });
  expect(fills.filter((f) => f.orderId === sl.id).map((f) => [f.side, f.qty, f.price])).toEqual([['sell', '0.01', '58950']]);
  expect(fills.filter((f) => f.orderId === tp.id)).toEqual([]);
  expect(emu.lists.lists[0]?.listOrderStatus).toBe('ALL_DONE');
});

it('answer lost: every leg unknown, then found by its own client id; the list was sent once and Binance holds one', async () => {
  // The user stream is lost too, so only the lookups can tell what Binance holds.
  await control(emu, 'mute-user-data', { on: true });
  emu.server.faults.arm({ kind: 'lose-response', method: 'POST', path: '/api/v3/orderList/otoco' });
  const entry = await rig.ok('order.place', bracket('bn-bkt-lost'));
  expect(entry.status).toBe('unknown');
  await until(async () => (await statuses(entry.id)) === 'accepted/submitted/submitted', { timeoutMs: 15_000, what: 'legs resolved by lookup' });
  const l = await legs(entry.id);
  expect([l.entry, l.tp, l.sl].map((o) => o.venueOrderId)).toEqual([l.entry, l.tp, l.sl].map((o) => String(emu.orders.find((x) => x.clientOrderId === o.clientOrderId)!.orderId)));
  expect(otocoPosts()).toBe(1);
  expect(emu.lists.lists).toHaveLength(1);
  // The lookups asked for each leg by its client id.
  const asked = emu.server.requests.filter((r) => r.method === 'GET' && r.path === '/api/v3/order').map((r) => new URLSearchParams(r.query ?? '').get('origClientOrderId'));
  for (const o of [l.entry, l.tp, l.sl]) expect(asked).toContain(o.clientOrderId);
  // Each leg went through `unknown` before Binance's answer to the lookup settled it.
  const journal = new Database(path.join(rig.dir, DB_FILE), { readonly: true });
  const seen = (id: string) => journal.prepare<[string], { to_status: string }>('SELECT to_status FROM order_transitions WHERE order_id = ? AND accepted = 1 ORDER BY seq').all(id);
  expect([l.entry, l.tp, l.sl].map((o) => seen(o.id).map((x) => x.to_status))).toEqual([
    ['pending_submit', 'unknown', 'accepted'],
    ['pending_submit', 'unknown', 'submitted'],
    ['pending_submit', 'unknown', 'submitted'],
  ]);
  journal.close();
});

it('one exit only: an OTO list (pending stop-loss), which works once the entry fills', async () => {
  const entry = await rig.ok('order.place', bracket('bn-bkt-oto', { takeProfit: undefined }));
  expect(sentParams('/api/v3/orderList/oto')).toMatchObject({
    workingClientOrderId: 'bn-bkt-oto',
    pendingType: 'STOP_LOSS_LIMIT',
    pendingSide: 'SELL',
    pendingStopPrice: '59000',
    pendingPrice: '58900',
    pendingTimeInForce: 'GTC',
    pendingQuantity: '0.01',
  });
  const sl = (await rig.ok('orders.list', { all: true })).find((o) => o.parentOrderId === entry.id)!;
  expect(sl).toMatchObject({ leg: 'stop_loss', status: 'submitted' });
  emu.fillByClientId('bn-bkt-oto', '0.01', '59990');
  await until(async () => (await rig.ok('orders.list', { all: true })).find((o) => o.id === sl.id)?.status === 'accepted', { timeoutMs: 10_000, what: 'stop working' });
  await control(emu, 'set-book', { symbol: 'BTCUSDT', bid: '58950', ask: '58960' });
  await until(async () => (await rig.ok('orders.list', { all: true })).find((o) => o.id === sl.id)?.status === 'filled', { timeoutMs: 10_000, what: 'stop triggered and filled' });
});

it('a stop entry cannot be an OTOCO working order: every leg rejected with Binance’s rule, nothing sent', async () => {
  const entry = await rig.ok('order.place', bracket('bn-bkt-stop', { type: 'stop_limit', stopPrice: '60500', limitPrice: '60510' }));
  expect(entry.status).toBe('rejected');
  expect(entry.rejectReason).toContain('entry must be a limit (LIMIT or LIMIT_MAKER) order');
  expect((await rig.ok('orders.list', { all: true })).filter((o) => o.parentOrderId === entry.id).map((o) => o.status)).toEqual(['rejected', 'rejected']);
  expect(emu.server.requests.filter((x) => x.path.startsWith('/api/v3/orderList'))).toHaveLength(0);
});

it("a change to a bracket's entry (the working order of Binance's OTOCO list) is refused before any change is sent: it would cancel the exits with it", async () => {
  const entry = await rig.ok('order.place', bracket('bn-bkt-repl'));
  await until(async () => (await statuses(entry.id)).startsWith('accepted/'), { timeoutMs: 10_000, what: 'bracket working' });
  const before = emu.server.requests.length;
  await expect(rig.ok('order.replace', { id: entry.id, limitPrice: '59980' })).rejects.toThrow(/one leg of an order list .* cancels the whole list/);
  // Only reads and the validation-only order/test: no cancel, no cancelReplace, no new order.
  expect(emu.server.requests.slice(before).filter((r) => r.method !== 'GET' && r.path !== '/api/v3/order/test')).toEqual([]);
  expect(emu.lists.lists.at(-1)).toMatchObject({ listOrderStatus: 'EXECUTING' });
  expect((await legs(entry.id)).entry).toMatchObject({ status: 'accepted', limitPrice: '59990' });
});
