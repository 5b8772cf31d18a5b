/**
 * GTD and notional orders through the ccxt connector, over real sockets: a good-till-date limit
 * through ccxt.kraken reaches the Kraken emulator with Kraken's documented `timeinforce=GTD` and
 * `expiretm`; a notional market buy through ccxt.binance reaches the Binance emulator as
 * `quoteOrderQty`; what an exchange cannot carry is refused before anything is sent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Decimal } from '../../../src-main/engine/domain/money';
import { contractOrder, RecordingListener } from '../../support/venue-contract';
import { until } from '../../support/until';
import { VenueRejectedError } from '../../../src-main/engine/venues/venue-port';
import type { CcxtConnector } from '../../../src-main/engine/venues/ccxt/ccxt-connector';
import { startEmulator as startKraken } from '../kraken/kraken-rig';
import { KEY, SECRET, startEmulator as startBinance } from '../binance/binance-rig';
import { BINANCE_SPOT_ONLY, ccxtRig } from './ccxt-rig';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function started(c: CcxtConnector): Promise<void> {
  await c.start(new RecordingListener());
  cleanups.push(() => c.stop());
  await until(() => c.state().state === 'connected', { timeoutMs: 30_000, what: 'connected' });
}

describe('ccxt GTD on Kraken (ccxt.kraken, Kraken emulator)', () => {
  it('declares GTD and sends timeinforce=GTD with expiretm in unix seconds; the order rests until then', async () => {
    const emu = await startKraken();
    cleanups.push(() => emu.stop());
    const rig = await ccxtRig('ckg', { exchange: 'kraken', urlOverride: emu.url, pollMs: '60000' }, { apiKey: emu.apiKey, secret: emu.apiSecret });
    cleanups.push(() => rig.close());
    const c = rig.connector;
    await started(c);
    expect(c.capabilities().tifs).toContain('gtd');
    const expireAt = Date.now() + 3_600_000;
    const o = { ...contractOrder(c.name, c.instrument('BTC/USD')!, { side: 'buy', type: 'limit', qty: '0.02', limitPrice: '90.0', tif: 'gtd' }), expireAt };
    const ack = await c.submit(o);
    expect(ack.status).toBe('accepted');
    const rec = emu.orders.all().find((x) => x.cl_ord_id === o.clientOrderId)!;
    expect(rec).toMatchObject({ timeinforce: 'GTD', expiretm: Math.floor(expireAt / 1000), status: 'open' });
  }, 90_000);
});

describe('ccxt notional on Kraken (ccxt.kraken createMarketBuyOrderWithCost, Kraken emulator)', () => {
  it('a market buy by quote amount goes out as ordertype=market, volume=<cost>, oflags=viqc, and fills cost / price in base, within lot precision', async () => {
    const emu = await startKraken();
    cleanups.push(() => emu.stop());
    const rig = await ccxtRig('ckn', { exchange: 'kraken', urlOverride: emu.url, pollMs: '60000' }, { apiKey: emu.apiKey, secret: emu.apiSecret });
    cleanups.push(() => rig.close());
    const c = rig.connector;
    await started(c);
    expect(c.capabilities()).toMatchObject({ notional: true });
    const inst = c.instrument('BTC/USD')!;
    const o = { ...contractOrder(c.name, inst, { side: 'buy', type: 'market', qty: '0', tif: 'gtc' }), notional: '25.5' };
    await c.submit(o);
    const sent = emu.server.requests.filter((r) => r.method === 'POST' && r.path === '/0/private/AddOrder');
    expect(sent).toHaveLength(1);
    const p = new URLSearchParams(sent[0]!.body);
    expect([p.get('ordertype'), p.get('type'), p.get('volume'), p.get('oflags'), p.get('cl_ord_id')]).toEqual(['market', 'buy', '25.5', 'viqc', o.clientOrderId]);

    const r = await c.lookup(o.clientOrderId);
    expect(r?.status).toBe('filled');
    const qty = new Decimal(r!.filledQty);
    const price = new Decimal(r!.avgFillPrice);
    // What 25.5 USD buys at the fill price, rounded down to the lot (0.00000001 BTC): never more than the cost.
    expect(qty.toString()).toBe(new Decimal('25.5').div(price).toDecimalPlaces(8, Decimal.ROUND_DOWN).toString());
    expect(qty.mul(price).lte('25.5')).toBe(true);
    expect(new Decimal('25.5').minus(qty.mul(price)).lt(price.mul('0.00000001'))).toBe(true);
    const fills = await c.fillsSince(0);
    expect(fills.map((f) => [f.clientOrderId, f.qty])).toEqual([[o.clientOrderId, qty.toString()]]);
  }, 90_000);

  it('the emulator refuses viqc on anything but a market order', async () => {
    const emu = await startKraken();
    cleanups.push(() => emu.stop());
    const ack = emu.orders.add({ pair: 'XXBTZUSD', type: 'buy', ordertype: 'limit', price: '90.0', volume: '25', oflags: 'viqc' });
    expect(ack.body).toMatchObject({ error: ['EGeneral:Invalid arguments:viqc'] });
  });
});

describe('ccxt notional on Binance (ccxt.binance, Binance emulator)', () => {
  it('declares notional; a market buy by quote amount goes out as quoteOrderQty; a limit by amount is refused unsent', async () => {
    const emu = await startBinance();
    cleanups.push(() => emu.stop());
    const settings = { exchange: 'binance', urlOverride: emu.url, pollMs: '60000', ccxtOptions: BINANCE_SPOT_ONLY };
    const rig = await ccxtRig('cbg', settings, { apiKey: KEY, secret: SECRET });
    cleanups.push(() => rig.close());
    const c = rig.connector;
    await started(c);
    expect(c.capabilities()).toMatchObject({ notional: true });
    expect(c.capabilities().tifs).not.toContain('gtd');
    const inst = c.instrument('BTC/USDT')!;
    const o = { ...contractOrder(c.name, inst, { side: 'buy', type: 'market', qty: '0', tif: 'gtc' }), notional: '25.5' };
    await c.submit(o);
    const sent = emu.server.requests.filter((r) => r.method === 'POST' && r.path === '/api/v3/order');
    expect(sent).toHaveLength(1);
    const p = new URLSearchParams(`${sent[0]!.query ?? ''}&${sent[0]!.body}`);
    expect(p.get('quoteOrderQty')).toBe('25.5');
    expect(p.get('quantity')).toBeNull();
    expect(p.get('newClientOrderId')).toBe(o.clientOrderId);
    const limit = { ...contractOrder(c.name, inst, { side: 'buy', type: 'limit', qty: '0', limitPrice: '50000', tif: 'gtc' }), notional: '25.5' };
    await expect(c.submit(limit)).rejects.toThrow(VenueRejectedError);
    const gtd = { ...contractOrder(c.name, inst, { side: 'buy', type: 'limit', qty: '0.001', limitPrice: '50000', tif: 'gtd' }), expireAt: Date.now() + 60_000 };
    await expect(c.submit(gtd)).rejects.toThrow(/binance takes good-till-date orders on futures only; BTC\/USDT is spot/);
    expect(emu.server.requests.filter((r) => r.method === 'POST' && r.path === '/api/v3/order')).toHaveLength(1);
  }, 90_000);
});
