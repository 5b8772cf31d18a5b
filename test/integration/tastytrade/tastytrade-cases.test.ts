/**
 * tastytrade's own cases against its emulator over real sockets: equity, option and future round
 * trips (fills arriving over the account streamer), the option chain, an access token expiring in
 * the middle of a session, replace (a new order id), cancel-all as a loop, and dry-run errors
 * shown as preview violations.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Instrument } from '../../../src-main/engine/domain/instrument';
import type { NormalizedTicket } from '../../../src-main/engine/domain/order-validation';
import { RecordingListener, contractOrder, type ContractTerms } from '../../support/venue-contract';
import { until } from '../../support/until';
import type { TastytradeEmulator } from '../../emulators/tastytrade';
import type { TastytradeConnector } from '../../../src-main/engine/venues/tastytrade/tastytrade-connector';
import { connectedRig, fillNow } from './tastytrade-rig';

let emu: TastytradeEmulator;
let c: TastytradeConnector;
let l: RecordingListener;
let stop: () => Promise<void>;

beforeEach(async () => {
  l = new RecordingListener();
  ({ emu, connector: c, stop } = await connectedRig(l));
});
afterEach(() => stop());

async function roundTrip(inst: Instrument, terms: ContractTerms, price: string): Promise<void> {
  const o = contractOrder(c.name, inst, terms);
  const ack = await c.submit(o);
  expect(ack.status).toBe('accepted');
  fillNow(emu, o.clientOrderId, terms.qty, price);
  const fill = await until(() => l.fills.find((f) => f.clientOrderId === o.clientOrderId), { timeoutMs: 10_000, what: 'the fill over the streamer' });
  expect(fill).toMatchObject({ instrumentId: inst.id, side: terms.side, qty: terms.qty, price });
  const done = await until(async () => {
    const r = await c.lookup(o.clientOrderId);
    return r?.status === 'filled' && r;
  });
  expect(done.filledQty).toBe(terms.qty);
}

describe('tastytrade connector cases', () => {
  it('equity: buy to open, filled over the streamer; the position follows', async () => {
    const aapl = (await c.lookupInstrument('AAPL'))!;
    expect(aapl).toMatchObject({ symbol: 'AAPL', assetClass: 'equity', tickSize: '0.01', multiplier: '1' });
    await roundTrip(aapl, { side: 'buy', type: 'limit', qty: '3', limitPrice: '120', tif: 'day' }, '119.5');
    const pos = (await c.positions()).find((p) => p.instrumentId === aapl.id);
    expect(pos?.qty).toBe('3');
    // Selling what is held closes it.
    const sell = contractOrder(c.name, aapl, { side: 'sell', type: 'limit', qty: '3', limitPrice: '500', tif: 'gtc' });
    await c.submit(sell);
    expect(emu.account.orders.get(Number((await c.lookup(sell.clientOrderId))!.venueOrderId))!.legs[0]!.action).toBe('Sell to Close');
  });

  it('option: the chain lists OCC symbols as AAPL:OPT:…, a pick trades at once', async () => {
    const chain = await c.optionChain('AAPL');
    expect(chain.expiries.map((e) => e.expiry)).toEqual(['20260320', '20260417']);
    const k150 = chain.expiries[0]!.strikes.find((k) => k.strike === '150')!;
    expect(k150.call).toBe('tt:AAPL  260320C00150000');
    const call = c.instrument(k150.call!)!;
    expect(call).toMatchObject({ symbol: 'AAPL:OPT:C:150:20260320', assetClass: 'option', multiplier: '100', strike: '150', right: 'C', expiry: '20260320' });
    await roundTrip(call, { side: 'buy', type: 'limit', qty: '2', limitPrice: '4.00', tif: 'day' }, '3.95');
    expect((await c.lookupInstrument('AAPL:OPT:P:145:20260417'))?.venueSymbol).toBe('AAPL  260417P00145000');
  });

  it('future: /ESH6 as ES:FUT:20260320, with the roll alert in the preview', async () => {
    const es = (await c.lookupInstrument('ES:FUT:20260320'))!;
    expect(es).toMatchObject({ venueSymbol: '/ESH6', assetClass: 'future', tickSize: '0.25', multiplier: '50', expiry: '20260320' });
    expect(c.instrument('ES:FUT:20260618')?.venueSymbol).toBe('/ESM6');
    await roundTrip(es, { side: 'sell', type: 'limit', qty: '1', limitPrice: '6100', tif: 'gtc' }, '6100');
    // The connector's clock is the emulator's (tastytrade-rig): three days before the March expiry.
    await fetch(`${emu.url}/__control/set-time`, { method: 'POST', body: JSON.stringify({ epochMs: Date.UTC(2026, 2, 17, 15) }) });
    const ticket: NormalizedTicket = { side: 'buy', type: 'limit', qty: '1', limitPrice: '6000', tif: 'day' };
    const p = await c.preview(es, ticket);
    expect(p.warnings.map((w) => w.message)).toContain('ES:FUT:20260320 expires in 3 days: roll to ES:FUT:20260618.');
  });

  it('an access token expiring mid-session is refreshed; nothing is lost', async () => {
    const aapl = (await c.lookupInstrument('AAPL'))!;
    const before = emu.tokensIssued;
    const a = contractOrder(c.name, aapl, { side: 'buy', type: 'limit', qty: '1', limitPrice: '100', tif: 'gtc' });
    await c.submit(a);
    emu.expireTokens();
    const b = contractOrder(c.name, aapl, { side: 'buy', type: 'limit', qty: '1', limitPrice: '101', tif: 'gtc' });
    await c.submit(b);
    expect(emu.tokensIssued).toBe(before + 1);
    expect((await c.openOrders()).map((r) => r.clientOrderId)).toEqual(expect.arrayContaining([a.clientOrderId, b.clientOrderId]));
    expect(emu.ordersWithIdentifier(a.clientOrderId) + emu.ordersWithIdentifier(b.clientOrderId)).toBe(2);
  });

  it('dry-run errors are preview violations; fees and buying power come from the venue', async () => {
    const aapl = (await c.lookupInstrument('AAPL'))!;
    const big = await c.preview(aapl, { side: 'buy', type: 'limit', qty: '10000', limitPrice: '150', tif: 'day' });
    expect(big.violations.map((v) => v.code)).toContain('insufficient_buying_power');
    expect(big.violations[0]!.message).toMatch(/exceeds your buying power/);
    const ok = await c.preview(aapl, { side: 'buy', type: 'limit', qty: '10', limitPrice: '150', tif: 'day' });
    expect(ok.violations).toEqual([]);
    expect(ok).toMatchObject({ estNotional: '1500', buyingPowerBefore: '100000', buyingPowerAfter: '98500', estFee: '0' });
    await c.optionChain('AAPL');
    const call = c.instrument('AAPL:OPT:C:150:20260320')!;
    const opt = await c.preview(call, { side: 'buy', type: 'limit', qty: '2', limitPrice: '5', tif: 'day' });
    expect(opt).toMatchObject({ estNotional: '1000', estFee: '2.24', estTotal: '1002.24' });
  });

  it('replace gets a new order id carrying our client id; cancel-all loops over live orders', async () => {
    const aapl = (await c.lookupInstrument('AAPL'))!;
    const o = contractOrder(c.name, aapl, { side: 'buy', type: 'limit', qty: '2', limitPrice: '100', tif: 'gtc' });
    const ack = await c.submit(o);
    const r = await c.replace({ ...o, venueOrderId: ack.venueOrderId }, { limitPrice: '101' });
    expect(r.venueOrderId).not.toBe(ack.venueOrderId);
    expect(r.limitPrice).toBe('101');
    expect((await c.lookup(o.clientOrderId))?.venueOrderId).toBe(r.venueOrderId);
    await c.submit(contractOrder(c.name, aapl, { side: 'buy', type: 'limit', qty: '1', limitPrice: '90', tif: 'day' }));
    const res = await c.cancelAll();
    expect(res.cancelled).toHaveLength(2);
    expect(await c.openOrders()).toEqual([]);
  });
});
