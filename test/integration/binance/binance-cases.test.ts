/**
 * Binance's own cases against the emulator over real sockets: the depth book exact through a
 * lost update and a dropped stream, the weight rules (429 waited out, never a 418; a 418 stops
 * everything), a clock Binance says is off (-1021) recovered, filters refused before sending,
 * cancel-all per symbol, and the order/test preview.
 */
import Decimal from 'decimal.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BinanceEmulator } from '../../emulators/binance';
import type { BinanceConnector } from '../../../src-main/engine/venues/binance/binance-connector';
import type { Instrument } from '../../../src-main/engine/domain/instrument';
import { VenueRejectedError } from '../../../src-main/engine/venues/venue-port';
import { contractOrder, RecordingListener } from '../../support/venue-contract';
import { until } from '../../support/until';
import { connectedRig, control, submitsSeen } from './binance-rig';

let emu: BinanceEmulator;
let c: BinanceConnector;
let inst: Instrument;
let listener: RecordingListener;
let stopRig: () => Promise<void>;

beforeEach(async () => {
  listener = new RecordingListener();
  const rig = await connectedRig(listener);
  ({ emu, c, inst } = rig);
  stopRig = () => rig.stop();
}, 30_000);
afterEach(() => stopRig());

const d = (v: string): string => new Decimal(v).toString();
/** Both books' top levels as exact decimal strings. */
function books(): { ours: unknown; venue: unknown } {
  const ours = c.book(inst.id, 20);
  const v = emu.books.get('BTCUSDT')!.depth(20);
  return {
    ours: ours && { bids: ours.bids.map((l) => [d(l.price), d(l.qty)]), asks: ours.asks.map((l) => [d(l.price), d(l.qty)]) },
    venue: { bids: v.bids.map(([p, q]) => [d(p!), d(q!)]), asks: v.asks.map(([p, q]) => [d(p!), d(q!)]) },
  };
}
const same = (): boolean => {
  const b = books();
  return JSON.stringify(b.ours) === JSON.stringify(b.venue);
};

describe('depth: snapshot + diffs stay equal to the venue book', () => {
  it('follows diffs; a lost update (gap in U) resyncs once from a snapshot to an equal book', async () => {
    await until(same, { timeoutMs: 10_000, what: 'first sync equal' });
    const before = c.books.resyncs(inst.id);
    await control(emu, 'depth-update', { symbol: 'BTCUSDT', bids: [['59999.50', '3']], asks: [] });
    await until(() => c.book(inst.id, 20)?.bids.some((l) => d(l.price) === '59999.5'), { timeoutMs: 10_000, what: 'diff applied' });
    expect(c.books.resyncs(inst.id)).toBe(before);
    // This one is applied at the venue but never sent: the next diff's U shows the gap.
    await control(emu, 'depth-update', {
      symbol: 'BTCUSDT',
      bids: [
        ['59999.50', '0'],
        ['59998.00', '7'],
      ],
      asks: [['60000.01', '0']],
      lose: true,
    });
    await control(emu, 'depth-update', { symbol: 'BTCUSDT', bids: [], asks: [['60001.00', '2.5']] });
    await until(() => c.books.resyncs(inst.id) === before + 1 && c.books.isLive(inst.id) && same(), { timeoutMs: 10_000, what: 'resynced and equal' });
    expect(c.quote(inst.id)).toMatchObject({ bid: '60000', ask: '60000.02' });
  });

  it('a dropped stream reconnects and rebuilds from a fresh snapshot, missing nothing sent meanwhile', async () => {
    await until(same, { timeoutMs: 10_000, what: 'first sync equal' });
    const before = c.books.resyncs(inst.id);
    emu.server.dropSockets();
    await control(emu, 'set-book', { symbol: 'BTCUSDT', bid: '61000', ask: '61000.50' });
    await until(() => c.books.resyncs(inst.id) > before && c.books.isLive(inst.id) && same(), { timeoutMs: 15_000, what: 'rebuilt and equal' });
  });
});

describe('request weight', () => {
  it('429 with Retry-After: later calls wait it out, so Binance never escalates to a 418', async () => {
    await control(emu, 'weight', { windowMs: 2000, limit: 100 });
    const used = (await control(emu, 'weight', {})) as { used: number };
    // Another program on the same IP takes the rest of the window.
    await control(emu, 'weight', { use: 100 - used.used });
    const first = await c.submit(contractOrder(c.name, inst, { side: 'buy', type: 'limit', qty: '0.002', limitPrice: '50000', tif: 'gtc' })).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(VenueRejectedError);
    expect((first as Error).message).toContain('Too much request weight used');
    expect(c.health().usage?.blockedUntil).toBeGreaterThan(Date.now());
    const o = contractOrder(c.name, inst, { side: 'buy', type: 'limit', qty: '0.002', limitPrice: '50000', tif: 'gtc' });
    await c.submit(o);
    expect(await c.lookup(o.clientOrderId)).toMatchObject({ status: 'accepted' });
    expect(emu.weight.bans).toBe(0);
  });

  it('a 418 ban stops every call until Retry-After, says so, and sends nothing meanwhile', async () => {
    await control(emu, 'ban', { ms: 60_000 });
    const o1 = contractOrder(c.name, inst, { side: 'buy', type: 'limit', qty: '0.002', limitPrice: '50000', tif: 'gtc' });
    const e1 = await c.submit(o1).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(VenueRejectedError);
    expect((e1 as Error).message).toMatch(/banned/i);
    expect(c.health().usage?.bannedUntil).toBeGreaterThan(Date.now() + 50_000);
    const seen = emu.server.requests.length;
    const o2 = contractOrder(c.name, inst, { side: 'buy', type: 'limit', qty: '0.002', limitPrice: '50000', tif: 'gtc' });
    const e2 = await c.submit(o2).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(VenueRejectedError);
    expect((e2 as Error).message).toMatch(/stopped all calls/);
    expect(emu.server.requests.length).toBe(seen);
    expect(submitsSeen(emu, o2.clientOrderId)).toBe(0);
  });
});

it("Binance's clock moves 20 s ahead: the -1021 re-measures the offset and the order goes through, once", async () => {
  await control(emu, 'clock-skew', { ms: 20_000 });
  const o = contractOrder(c.name, inst, { side: 'buy', type: 'limit', qty: '0.002', limitPrice: '50000', tif: 'gtc' });
  const ack = await c.submit(o);
  expect(ack.status).toBe('accepted');
  expect(c.rest.clockOffsetMs).toBeGreaterThan(19_000);
  expect(emu.orders.filter((x) => x.clientOrderId === o.clientOrderId)).toHaveLength(1);
  expect(emu.server.requests.filter((r) => r.path === '/api/v3/order' && r.method === 'POST' && r.outcome === 400)).toHaveLength(1);
});

it("filters are checked before sending: an off-tick price is refused with Binance's rule and never sent", async () => {
  const o = contractOrder(c.name, inst, { side: 'buy', type: 'limit', qty: '0.002', limitPrice: '50000.005', tif: 'gtc' });
  const err = await c.submit(o).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(VenueRejectedError);
  expect((err as Error).message).toContain("PRICE_FILTER: the price 50000.005 is not a multiple of BTCUSDT's tick size 0.01; use 50000.");
  const tiny = contractOrder(c.name, inst, { side: 'buy', type: 'limit', qty: '0.0001', limitPrice: '100', tif: 'gtc' });
  await expect(c.submit(tiny)).rejects.toThrow(/NOTIONAL/);
  expect(submitsSeen(emu, o.clientOrderId) + submitsSeen(emu, tiny.clientOrderId)).toBe(0);
});

it('cancel-all for a symbol cancels every working order there and reports each', async () => {
  const a = contractOrder(c.name, inst, { side: 'buy', type: 'limit', qty: '0.002', limitPrice: '50000', tif: 'gtc' });
  const b = contractOrder(c.name, inst, { side: 'buy', type: 'limit', qty: '0.003', limitPrice: '49000', tif: 'gtc' });
  await c.submit(a);
  await c.submit(b);
  const done = await c.cancelSymbol('BTCUSDT');
  expect(done.map((r) => [r.clientOrderId, r.status]).sort()).toEqual([
    [a.clientOrderId, 'cancelled'],
    [b.clientOrderId, 'cancelled'],
  ]);
  expect(await c.openOrders()).toEqual([]);
});

it('preview asks order/test for the commission rates and prices the fee with them', async () => {
  const p = await c.preview(inst, { side: 'buy', type: 'limit', qty: '0.01', limitPrice: '50000', tif: 'gtc' });
  expect(p).toMatchObject({ estPrice: '50000', estNotional: '500', estFee: '0.5', currency: 'USDT', buyingPowerBefore: '1000000' });
  expect(p.violations).toEqual([]);
  expect(emu.server.requests.some((r) => r.path === '/api/v3/order/test' && (r.query ?? '').includes('computeCommissionRates=true'))).toBe(true);
  const bad = await c.preview(inst, { side: 'buy', type: 'limit', qty: '0.01', limitPrice: '50000.001', tif: 'gtc' });
  expect(bad.violations[0]?.message).toContain('PRICE_FILTER');
});

/** Everything Binance could ever fill for our order: executed on finished orders of its chain, plus the full size of the one working. */
function exposure(cid: string): string {
  return emu.orders
    .filter((x) => x.clientOrderId === cid || x.clientOrderId.startsWith(`${cid}.r`))
    .reduce((t, x) => t.plus(x.status === 'NEW' || x.status === 'PARTIALLY_FILLED' ? x.origQty : x.executedQty), new Decimal(0))
    .toString();
}
const sentReplaces = (): URLSearchParams[] => emu.server.requests.filter((r) => r.path === '/api/v3/order/cancelReplace').map((r) => new URLSearchParams(r.query ?? ''));

describe('replace without overfill', () => {
  it('after a partial fill: cancel, then the new order carries only what is left; reports and lookups give the totals; fills are ours', async () => {
    const o = contractOrder(c.name, inst, { side: 'buy', type: 'limit', qty: '0.004', limitPrice: '50000', tif: 'gtc' });
    const ack = await c.submit(o);
    emu.fillByClientId(o.clientOrderId, '0.001', '50000');
    const r = await c.replace({ ...o, venueOrderId: ack.venueOrderId }, { limitPrice: '49000' });
    expect(r.venueOrderId).not.toBe(ack.venueOrderId);
    expect(r).toMatchObject({ status: 'accepted', limitPrice: '49000', qty: '0.004' });
    // Binance holds the rest of the order (0.003) under the replacement's id; a partially filled order is cancelled first, not cancelReplaced.
    expect(emu.orders.find((x) => x.clientOrderId === `${o.clientOrderId}.r1`)).toMatchObject({ origQty: '0.00300000', price: '49000.00000000', status: 'NEW' });
    expect(sentReplaces()).toEqual([]);
    expect(await c.lookup(o.clientOrderId)).toMatchObject({ clientOrderId: o.clientOrderId, venueOrderId: r.venueOrderId, limitPrice: '49000', status: 'accepted', qty: '0.004', filledQty: '0.001' });
    emu.fillByClientId(`${o.clientOrderId}.r1`, '0.001', '49000');
    await until(() => listener.reports.some((x) => x.clientOrderId === o.clientOrderId && x.filledQty === '0.002'), { timeoutMs: 10_000, what: 'the stream report with the chain total' });
    expect(listener.reports.find((x) => x.clientOrderId === o.clientOrderId && x.filledQty === '0.002')).toMatchObject({ qty: '0.004', avgFillPrice: '49500' });
    // A new total of 0.005 with 0.002 filled: the next order is 0.003, never 0.005 or 0.004.
    const r2 = await c.replace({ ...o, qty: '0.004' }, { qty: '0.005' });
    expect(r2).toMatchObject({ qty: '0.005' });
    expect(emu.orders.find((x) => x.clientOrderId === `${o.clientOrderId}.r2`)).toMatchObject({ origQty: '0.00300000', status: 'NEW' });
    emu.fillByClientId(`${o.clientOrderId}.r2`, '0.003', '49000');
    expect(exposure(o.clientOrderId)).toBe('0.005');
    await until(() => listener.fills.filter((f) => f.clientOrderId === o.clientOrderId).length === 3, { timeoutMs: 10_000, what: 'every fill as ours' });
    expect(listener.reports.filter((x) => x.clientOrderId === o.clientOrderId).map((x) => x.status)).not.toContain('cancelled');
    expect((await c.fillsSince(0)).filter((f) => f.clientOrderId === o.clientOrderId).map((f) => f.qty)).toEqual(['0.001', '0.001', '0.003']);
    // Nothing is left of the order to replace: refused here, nothing sent.
    await expect(c.replace({ ...o, qty: '0.005', filledQty: '0.005' }, { limitPrice: '48000' })).rejects.toThrow(/the order is FILLED at Binance \(0.005 filled\)/);
    expect(emu.orders.some((x) => x.clientOrderId === `${o.clientOrderId}.r3`)).toBe(false);
  });

  it('an unfilled order goes through one cancelReplace that Binance may only carry out while the order is still NEW', async () => {
    const o = contractOrder(c.name, inst, { side: 'buy', type: 'limit', qty: '0.004', limitPrice: '50000', tif: 'gtc' });
    await c.submit(o);
    const r = await c.replace(o, { limitPrice: '49000', qty: '0.006' });
    expect(r).toMatchObject({ status: 'accepted', limitPrice: '49000', qty: '0.006' });
    expect(sentReplaces().map((p) => [p.get('cancelRestrictions'), p.get('cancelReplaceMode'), p.get('quantity')])).toEqual([['ONLY_NEW', 'STOP_ON_FAILURE', '0.006']]);
    expect(exposure(o.clientOrderId)).toBe('0.006');
  });

  it('a fill racing the replace of a NEW order: Binance refuses the restricted cancel, nothing is placed, and the rest is placed from the real fill', async () => {
    const o = contractOrder(c.name, inst, { side: 'buy', type: 'limit', qty: '0.004', limitPrice: '50000', tif: 'gtc' });
    await c.submit(o);
    // 0.001 fills in the matching engine just before Binance handles the cancel.
    await control(emu, 'fill-at-next-cancel', { clientOrderId: o.clientOrderId, qty: '0.001', price: '50000' });
    const r = await c.replace(o, { limitPrice: '49000' });
    expect(r).toMatchObject({ qty: '0.004', limitPrice: '49000' });
    expect(sentReplaces()).toHaveLength(1);
    expect(emu.orders.filter((x) => x.clientOrderId.startsWith(`${o.clientOrderId}.r`)).map((x) => [x.clientOrderId, x.origQty])).toEqual([[`${o.clientOrderId}.r1`, '0.00300000']]);
    expect(exposure(o.clientOrderId)).toBe('0.004');
  });

  it('a fill racing the replace of a partially filled order: the new order is sized from the executed quantity in the cancel answer', async () => {
    const o = contractOrder(c.name, inst, { side: 'buy', type: 'limit', qty: '0.004', limitPrice: '50000', tif: 'gtc' });
    await c.submit(o);
    emu.fillByClientId(o.clientOrderId, '0.001', '50000');
    await control(emu, 'fill-at-next-cancel', { clientOrderId: o.clientOrderId, qty: '0.002', price: '50000' });
    const r = await c.replace(o, { limitPrice: '49000' });
    expect(r).toMatchObject({ qty: '0.004' });
    expect(emu.orders.find((x) => x.clientOrderId === `${o.clientOrderId}.r1`)).toMatchObject({ origQty: '0.00100000' });
    expect(exposure(o.clientOrderId)).toBe('0.004');
    expect(await c.lookup(o.clientOrderId)).toMatchObject({ qty: '0.004', filledQty: '0.003' });
  });

  it('a racing fill that completes the new total: nothing is placed and the engine hears the order is cancelled', async () => {
    const o = contractOrder(c.name, inst, { side: 'buy', type: 'limit', qty: '0.004', limitPrice: '50000', tif: 'gtc' });
    await c.submit(o);
    emu.fillByClientId(o.clientOrderId, '0.001', '50000');
    await control(emu, 'fill-at-next-cancel', { clientOrderId: o.clientOrderId, qty: '0.002', price: '50000' });
    await expect(c.replace(o, { qty: '0.003', limitPrice: '49000' })).rejects.toThrow(/0.003 had filled by the time Binance cancelled the order, which meets the new total of 0.003/);
    expect(emu.orders.some((x) => x.clientOrderId === `${o.clientOrderId}.r1`)).toBe(false);
    expect(listener.reports.find((x) => x.clientOrderId === o.clientOrderId && x.status === 'cancelled')).toMatchObject({ filledQty: '0.003' });
    expect(exposure(o.clientOrderId)).toBe('0.003');
  });

  it("a fill that completes the order while its replace is on the way: refused in Binance's words, nothing placed", async () => {
    const o = contractOrder(c.name, inst, { side: 'buy', type: 'limit', qty: '0.002', limitPrice: '50000', tif: 'gtc' });
    await c.submit(o);
    await control(emu, 'fill-at-next-cancel', { clientOrderId: o.clientOrderId, qty: '0.002', price: '50000' });
    await expect(c.replace(o, { limitPrice: '49000' })).rejects.toThrow('Binance -2022: Order cancel-replace failed. (cancel: Unknown order sent.)');
    expect(emu.orders.some((x) => x.clientOrderId === `${o.clientOrderId}.r1`)).toBe(false);
    expect(exposure(o.clientOrderId)).toBe('0.002');
  });

  it('a lower quantity alone is amended in place (keepPriority): same Binance order, what executed counts inside the new quantity', async () => {
    const o = contractOrder(c.name, inst, { side: 'buy', type: 'limit', qty: '0.004', limitPrice: '50000', tif: 'gtc' });
    const ack = await c.submit(o);
    emu.fillByClientId(o.clientOrderId, '0.001', '50000');
    const r = await c.replace(o, { qty: '0.002' });
    expect(r).toMatchObject({ venueOrderId: ack.venueOrderId, qty: '0.002', status: 'partially_filled' });
    expect(emu.orders.find((x) => x.orderId === Number(ack.venueOrderId))).toMatchObject({ clientOrderId: o.clientOrderId, origQty: '0.00200000', executedQty: '0.00100000' });
    expect(emu.server.requests.filter((x) => x.path === '/api/v3/order/amend/keepPriority')).toHaveLength(1);
    expect(() => emu.fillByClientId(o.clientOrderId, '0.002', '50000')).toThrow(/exceeds what is left/);
    expect(exposure(o.clientOrderId)).toBe('0.002');
  });

  it("a replace whose cancel Binance refuses (the order is gone) places nothing and says why in Binance's words", async () => {
    const o = contractOrder(c.name, inst, { side: 'buy', type: 'limit', qty: '0.002', limitPrice: '50000', tif: 'gtc' });
    await c.submit(o);
    await c.cancel(o);
    await expect(c.replace(o, { limitPrice: '49000' })).rejects.toThrow(/the order is CANCELED at Binance/);
    expect(emu.orders.some((x) => x.clientOrderId === `${o.clientOrderId}.r1`)).toBe(false);
    expect(await c.lookup(o.clientOrderId)).toMatchObject({ clientOrderId: o.clientOrderId, status: 'cancelled' });
  });
});
