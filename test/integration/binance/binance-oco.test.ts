/**
 * Binance OCO order lists through the connector over real sockets: the pair as ONE
 * POST /api/v3/orderList/oco with each leg under our client id and the list under the pair's
 * group; a lost answer is an unknown outcome resolved by lookup, never resent; a leg's cancel takes
 * the list down (DELETE /api/v3/orderList); the BUY mapping; and `outboundAccountPosition`
 * feeding balances after every balance change.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BinanceEmulator } from '../../emulators/binance';
import type { BinanceConnector } from '../../../src-main/engine/venues/binance/binance-connector';
import type { Instrument } from '../../../src-main/engine/domain/instrument';
import type { Balance, Order } from '../../../src-main/engine/domain/order';
import { OutcomeUnknownError, VenueRejectedError } from '../../../src-main/engine/venues/venue-port';
import { contractOrder, RecordingListener } from '../../support/venue-contract';
import { until } from '../../support/until';
import { connectedRig, control } from './binance-rig';

class BalanceListener extends RecordingListener {
  readonly balances: Balance[] = [];
  override balance(b: Balance): void {
    this.balances.push(b);
  }
}

let emu: BinanceEmulator;
let c: BinanceConnector;
let inst: Instrument;
let listener: BalanceListener;
let stopRig: () => Promise<void>;

beforeEach(async () => {
  listener = new BalanceListener();
  const rig = await connectedRig(listener);
  ({ emu, c, inst } = rig);
  stopRig = () => rig.stop();
}, 30_000);
afterEach(() => stopRig());

/** A take-profit limit and its stop-loss (stop-limit) as the OMS builds them: one group, one side, one size. */
function pair(side: 'buy' | 'sell', tpPrice: string, stop: string, limit: string): [Order, Order] {
  const tp = contractOrder('bn', inst, { side, type: 'limit', qty: '0.01', tif: 'gtc', limitPrice: tpPrice });
  const group = `oco-${tp.clientOrderId}`;
  const sl = contractOrder('bn', inst, { side, type: 'stop_limit', qty: '0.01', tif: 'gtc', limitPrice: limit });
  return [
    { ...tp, ocaGroup: group, leg: 'take_profit' },
    { ...sl, stopPrice: stop, ocaGroup: group, leg: 'stop_loss' },
  ];
}

const listPosts = (): number => emu.server.count('POST', '/api/v3/orderList/oco');
const sent = (): URLSearchParams => {
  const r = emu.server.requests.filter((x) => x.path === '/api/v3/orderList/oco').at(-1)!;
  return new URLSearchParams(r.query ?? r.body);
};
const emuOrder = (cid: string) => emu.orders.find((o) => o.clientOrderId === cid);

describe('OCO exits as one Binance order list', () => {
  it('SELL: take-profit above as LIMIT_MAKER, stop-loss below; a take-profit fill expires the stop; list and legs reported', async () => {
    const [tp, sl] = pair('sell', '61000', '59000', '58900');
    const acks = await c.submitOcoOrders(tp, sl);
    expect(listPosts()).toBe(1);
    const p = sent();
    expect(Object.fromEntries([...p.entries()].filter(([k]) => k !== 'signature' && k !== 'timestamp'))).toMatchObject({
      symbol: 'BTCUSDT',
      side: 'SELL',
      quantity: '0.01',
      listClientOrderId: tp.ocaGroup,
      aboveType: 'LIMIT_MAKER',
      abovePrice: '61000',
      aboveClientOrderId: tp.clientOrderId,
      belowType: 'STOP_LOSS_LIMIT',
      belowStopPrice: '59000',
      belowPrice: '58900',
      belowTimeInForce: 'GTC',
      belowClientOrderId: sl.clientOrderId,
    });
    expect(acks.map((a) => a.status)).toEqual(['accepted', 'accepted']);
    expect(acks.map((a) => a.venueOrderId)).toEqual([String(emuOrder(tp.clientOrderId)!.orderId), String(emuOrder(sl.clientOrderId)!.orderId)]);

    const list = await c.rest.orderList(tp.ocaGroup!);
    expect(list).toMatchObject({ contingencyType: 'OCO', listOrderStatus: 'EXECUTING', listClientOrderId: tp.ocaGroup });
    expect(list.orders.map((o) => o.clientOrderId).sort()).toEqual([tp.clientOrderId, sl.clientOrderId].sort());

    emu.fillByClientId(tp.clientOrderId, '0.01', '61000');
    await until(() => listener.reports.some((r) => r.clientOrderId === sl.clientOrderId && r.status === 'expired'), { timeoutMs: 10_000, what: 'stop-loss expired' });
    expect(listener.reports.filter((r) => r.clientOrderId === tp.clientOrderId).at(-1)?.status).toBe('filled');
    expect(listener.fills.filter((f) => f.clientOrderId === tp.clientOrderId).map((f) => [f.qty, f.price])).toEqual([['0.01', '61000']]);
    expect((await c.rest.orderList(tp.ocaGroup!)).listOrderStatus).toBe('ALL_DONE');
    expect((await c.lookup(sl.clientOrderId))?.status).toBe('expired');
  });

  it('the market falls through the stop: the stop-loss leg triggers by itself and fills, the take-profit expires, the list is ALL_DONE', async () => {
    const [tp, sl] = pair('sell', '61000', '59000', '58900');
    await c.submitOcoOrders(tp, sl);
    await control(emu, 'set-book', { symbol: 'BTCUSDT', bid: '58950', ask: '58960' });
    await until(() => listener.reports.some((r) => r.clientOrderId === sl.clientOrderId && r.status === 'filled'), { timeoutMs: 10_000, what: 'stop-loss filled' });
    expect(listener.reports.filter((r) => r.clientOrderId === tp.clientOrderId).at(-1)?.status).toBe('expired');
    expect(listener.fills.filter((f) => f.clientOrderId === sl.clientOrderId).map((f) => [f.qty, f.price])).toEqual([['0.01', '58950']]);
    expect((await c.rest.orderList(tp.ocaGroup!)).listOrderStatus).toBe('ALL_DONE');
  });

  it('a stop short of the market does not trigger; a trade printed at the stop (market-trade) triggers it', async () => {
    const o = { ...contractOrder('bn', inst, { side: 'buy', type: 'stop_limit', qty: '0.01', tif: 'gtc', limitPrice: '60600' }), stopPrice: '60500' };
    await c.submit(o);
    await control(emu, 'market-trade', { symbol: 'BTCUSDT', price: '60499.99' });
    expect(emuOrder(o.clientOrderId)).toMatchObject({ status: 'NEW', isWorking: false });
    await control(emu, 'market-trade', { symbol: 'BTCUSDT', price: '60500' });
    await until(() => listener.reports.some((r) => r.clientOrderId === o.clientOrderId && r.status === 'filled'), { timeoutMs: 10_000, what: 'buy stop filled' });
    // Its limit (60600) is marketable at the ask the book still shows.
    expect(listener.fills.filter((f) => f.clientOrderId === o.clientOrderId).map((f) => f.price)).toEqual(['60000.01']);
  });

  it('BUY: stop-loss above, take-profit below as TAKE_PROFIT_LIMIT at our limit', async () => {
    const [tp, sl] = pair('buy', '59000', '61000', '61100');
    await c.submitOcoOrders(tp, sl);
    expect(Object.fromEntries(sent().entries())).toMatchObject({
      side: 'BUY',
      aboveType: 'STOP_LOSS_LIMIT',
      aboveStopPrice: '61000',
      abovePrice: '61100',
      aboveClientOrderId: sl.clientOrderId,
      belowType: 'TAKE_PROFIT_LIMIT',
      belowStopPrice: '59000',
      belowPrice: '59000',
      belowClientOrderId: tp.clientOrderId,
    });
    expect(emuOrder(tp.clientOrderId)?.type).toBe('TAKE_PROFIT_LIMIT');
  });

  it('prices on the wrong side of the market: refused by Binance with its words, nothing placed', async () => {
    const [tp, sl] = pair('sell', '59500', '59000', '58900');
    const err = await c.submitOcoOrders(tp, sl).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VenueRejectedError);
    expect((err as Error).message).toContain('The relationship of the prices for the orders is not correct.');
    expect(emuOrder(tp.clientOrderId)).toBeUndefined();
  });

  it('a take-profit below its stop is refused locally before anything is sent', async () => {
    const [tp, sl] = pair('sell', '58000', '59000', '58900');
    await expect(c.submitOcoOrders(tp, sl)).rejects.toThrow('needs the take-profit above the stop price');
    expect(listPosts()).toBe(0);
  });

  it('answer lost: an unknown outcome, resolved by looking the legs up; the list is never sent again', async () => {
    const [tp, sl] = pair('sell', '61000', '59000', '58900');
    emu.server.faults.arm({ kind: 'lose-response', method: 'POST', path: '/api/v3/orderList/oco' });
    await expect(c.submitOcoOrders(tp, sl)).rejects.toBeInstanceOf(OutcomeUnknownError);
    const found = await Promise.all([c.lookup(tp.clientOrderId), c.lookup(sl.clientOrderId)]);
    expect(found.map((r) => r?.status)).toEqual(['accepted', 'accepted']);
    expect(found.map((r) => r?.venueOrderId)).toEqual([String(emuOrder(tp.clientOrderId)!.orderId), String(emuOrder(sl.clientOrderId)!.orderId)]);
    expect(listPosts()).toBe(1);
  });

  it('cancelling a leg cancels the list (DELETE /api/v3/orderList): both legs cancelled', async () => {
    const [tp, sl] = pair('sell', '61000', '59000', '58900');
    await c.submitOcoOrders(tp, sl);
    await c.cancel(sl);
    expect(emu.server.count('DELETE', '/api/v3/orderList')).toBe(1);
    await until(() => [tp, sl].every((o) => listener.reports.some((r) => r.clientOrderId === o.clientOrderId && r.status === 'cancelled')), {
      timeoutMs: 10_000,
      what: 'both legs cancelled',
    });
    expect((await c.rest.orderList(tp.ocaGroup!)).listOrderStatus).toBe('ALL_DONE');
  });
});

it('outboundAccountPosition after every balance change feeds the venue balances', async () => {
  const o = contractOrder('bn', inst, { side: 'buy', type: 'market', qty: '0.01', tif: 'ioc' });
  await c.submit(o);
  await until(() => listener.balances.some((b) => b.asset === 'BTC' && b.total !== '10'), { timeoutMs: 10_000, what: 'BTC balance pushed' });
  const rest = await c.balances();
  const last = (asset: string) => listener.balances.filter((b) => b.asset === asset).at(-1);
  for (const asset of ['BTC', 'USDT']) expect(last(asset)).toEqual(rest.find((b) => b.asset === asset));
  // A resting order locks funds: the push shows them locked.
  await c.submit(contractOrder('bn', inst, { side: 'buy', type: 'limit', qty: '0.01', tif: 'gtc', limitPrice: '50000' }));
  await until(() => last('USDT')?.available !== last('USDT')?.total, { timeoutMs: 10_000, what: 'USDT locked' });
  expect(last('USDT')).toEqual((await c.balances()).find((b) => b.asset === 'USDT'));
});

it('cancel-all on a symbol with an OCO list (DELETE /api/v3/openOrders): both legs reported cancelled from the list-shaped answer, the list is ALL_DONE', async () => {
  const [tp, sl] = pair('sell', '61000', '59000', '58900');
  await c.submitOcoOrders(tp, sl);
  const single = contractOrder('bn', inst, { side: 'buy', type: 'limit', qty: '0.002', limitPrice: '50000', tif: 'gtc' });
  await c.submit(single);
  const done = await c.cancelSymbol('BTCUSDT');
  expect(done.map((r) => [r.clientOrderId, r.status]).sort()).toEqual([tp.clientOrderId, sl.clientOrderId, single.clientOrderId].map((id) => [id, 'cancelled']).sort());
  expect(emu.lists.lists.find((l) => l.listClientOrderId === tp.ocaGroup)).toMatchObject({ listStatusType: 'ALL_DONE', listOrderStatus: 'ALL_DONE' });
});

it('a change to one leg of an OCO list is refused before anything is sent: at Binance it would cancel the whole list (the stop-loss with it)', async () => {
  const [tp, sl] = pair('sell', '61000', '59000', '58900');
  await c.submitOcoOrders(tp, sl);
  const before = emu.server.requests.length;
  await expect(c.replace(tp, { limitPrice: '62000' })).rejects.toThrow(/one leg of an order list .* cancels the whole list/);
  expect(emu.server.requests.slice(before).filter((r) => r.method !== 'GET')).toEqual([]);
  expect([emuOrder(tp.clientOrderId)?.status, emuOrder(sl.clientOrderId)?.status]).toEqual(['NEW', 'NEW']);
});
