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

describe('replace through order/cancelReplace', () => {
  it('the replacement carries our client id on: new price at the venue, no cancelled report for our order, its fills are ours', async () => {
    const o = contractOrder(c.name, inst, { side: 'buy', type: 'limit', qty: '0.004', limitPrice: '50000', tif: 'gtc' });
    const ack = await c.submit(o);
    emu.fillByClientId(o.clientOrderId, '0.001', '50000');
    const r = await c.replace({ ...o, venueOrderId: ack.venueOrderId }, { limitPrice: '49000' });
    expect(r.venueOrderId).not.toBe(ack.venueOrderId);
    expect(r).toMatchObject({ status: 'accepted', limitPrice: '49000', qty: '0.004' });
    // Binance holds the rest of the order (0.003) under the replacement's id.
    expect(emu.orders.find((x) => x.clientOrderId === `${o.clientOrderId}.r1`)).toMatchObject({ origQty: '0.00300000', price: '49000.00000000', status: 'NEW' });
    expect(await c.lookup(o.clientOrderId)).toMatchObject({ clientOrderId: o.clientOrderId, venueOrderId: r.venueOrderId, limitPrice: '49000', status: 'accepted' });
    emu.fillByClientId(`${o.clientOrderId}.r1`, '0.003', '49000');
    await until(() => listener.fills.filter((f) => f.clientOrderId === o.clientOrderId).length === 2, { timeoutMs: 10_000, what: 'both fills as ours' });
    expect(listener.reports.filter((x) => x.clientOrderId === o.clientOrderId).map((x) => x.status)).not.toContain('cancelled');
    expect((await c.fillsSince(0)).filter((f) => f.clientOrderId === o.clientOrderId).map((f) => f.qty)).toEqual(['0.001', '0.003']);
    // Nothing is left of the order to replace: refused here, nothing sent.
    await expect(c.replace({ ...o, filledQty: '0.004' }, { limitPrice: '48000' })).rejects.toThrow(/leaves nothing to replace/);
    expect(emu.orders.some((x) => x.clientOrderId === `${o.clientOrderId}.r2`)).toBe(false);
  });

  it("a replace whose cancel Binance refuses (the order is gone) places nothing and says why in Binance's words", async () => {
    const o = contractOrder(c.name, inst, { side: 'buy', type: 'limit', qty: '0.002', limitPrice: '50000', tif: 'gtc' });
    await c.submit(o);
    await c.cancel(o);
    await expect(c.replace(o, { limitPrice: '49000' })).rejects.toThrow('Binance -2022: Order cancel-replace failed. (cancel: Unknown order sent.)');
    expect(emu.orders.some((x) => x.clientOrderId === `${o.clientOrderId}.r1`)).toBe(false);
    expect(await c.lookup(o.clientOrderId)).toMatchObject({ clientOrderId: o.clientOrderId, status: 'cancelled' });
  });
});
