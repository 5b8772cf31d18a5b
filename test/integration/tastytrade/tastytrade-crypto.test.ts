/**
 * tastytrade cryptocurrencies against the emulator over real sockets: `BTC/USD` is listed and
 * searchable by its coin, a fractional limit buy and a sell round-trip with the fills arriving over
 * the account streamer, a notional (dollar amount) market buy, quotes over DXLink on the crypto
 * streamer symbol, and the venue's crypto rules (GTC or IOC) shown as preview violations.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Order } from '../../../src-main/engine/domain/order';
import { RecordingListener, contractOrder } from '../../support/venue-contract';
import { until } from '../../support/until';
import type { TastytradeEmulator } from '../../emulators/tastytrade';
import type { TastytradeConnector } from '../../../src-main/engine/venues/tastytrade/tastytrade-connector';
import { connectedRig, control, fillNow, orderOf } from './tastytrade-rig';

let emu: TastytradeEmulator;
let c: TastytradeConnector;
let l: RecordingListener;
let stop: () => Promise<void>;

beforeEach(async () => {
  l = new RecordingListener();
  ({ emu, connector: c, stop } = await connectedRig(l));
});
afterEach(() => stop());

const filled = (coid: string) =>
  until(async () => {
    const r = await c.lookup(coid);
    return r?.status === 'filled' && r;
  });

describe('tastytrade cryptocurrencies', () => {
  it('BTC/USD is listed as our crypto pair and found from its coin', async () => {
    const found = await c.searchInstruments('BTC');
    expect(found.map((i) => i.id)).toEqual(['tt:BTC/USD']);
    expect(found[0]).toMatchObject({
      venueSymbol: 'BTC/USD',
      symbol: 'BTC/USD',
      assetClass: 'crypto_spot',
      base: 'BTC',
      quote: 'USD',
      tickSize: '0.01',
      lotSize: '0.00000001',
      minQty: '0.00000001',
      multiplier: '1',
      fractional: true,
      session: 'always',
    });
    expect(await c.lookupInstrument('ETH/USD')).toMatchObject({ id: 'tt:ETH/USD', assetClass: 'crypto_spot' });
    expect(await c.lookupInstrument('DOGE/USD')).toBeUndefined();
  });

  it('a fractional limit buy and a sell round-trip: Cryptocurrency legs, Buy to Open / Sell to Close, fills over the streamer', async () => {
    const btc = (await c.lookupInstrument('BTC/USD'))!;
    const buy = contractOrder(c.name, btc, { side: 'buy', type: 'limit', qty: '0.25', limitPrice: '59000', tif: 'gtc' });
    expect((await c.submit(buy)).status).toBe('accepted');
    const sent = orderOf(emu, buy.clientOrderId)!;
    expect([sent['order-type'], sent['time-in-force'], sent.price, sent['price-effect']]).toEqual(['Limit', 'GTC', '59000', 'Debit']);
    expect(sent.legs.map((x) => [x['instrument-type'], x.symbol, x.quantity, x.action])).toEqual([['Cryptocurrency', 'BTC/USD', '0.25', 'Buy to Open']]);
    fillNow(emu, buy.clientOrderId, '0.25', '58990.5');
    const fill = await until(() => l.fills.find((f) => f.clientOrderId === buy.clientOrderId), { timeoutMs: 10_000, what: 'the crypto fill over the streamer' });
    expect(fill).toMatchObject({ instrumentId: btc.id, side: 'buy', qty: '0.25', price: '58990.5' });
    expect((await filled(buy.clientOrderId)).filledQty).toBe('0.25');
    expect((await c.positions()).find((p) => p.instrumentId === btc.id)?.qty).toBe('0.25');

    const sell = contractOrder(c.name, btc, { side: 'sell', type: 'limit', qty: '0.25', limitPrice: '61000', tif: 'gtc' });
    await c.submit(sell);
    expect(orderOf(emu, sell.clientOrderId)!.legs[0]!.action).toBe('Sell to Close');
    fillNow(emu, sell.clientOrderId, '0.25', '61000');
    await filled(sell.clientOrderId);
    expect((await c.positions()).find((p) => p.instrumentId === btc.id)).toBeUndefined();
    expect(l.fills.filter((f) => f.instrumentId === btc.id)).toHaveLength(2);
  });

  it('a dollar-amount (notional) market buy: Notional Market with value, filled at the ask in fractions', async () => {
    const btc = (await c.lookupInstrument('BTC/USD'))!;
    const o: Order = { ...contractOrder(c.name, btc, { side: 'buy', type: 'market', qty: '0', tif: 'ioc' }), notional: '1000' };
    const p = await c.preview(btc, { side: 'buy', type: 'market', qty: '0', notional: '1000', tif: 'ioc' });
    expect(p.violations).toEqual([]);
    // tastytrade's crypto commission: 1 % of the notional, at most 10.00.
    expect(p.estFee).toBe('10');
    await c.submit(o);
    const sent = orderOf(emu, o.clientOrderId)!;
    expect([sent['order-type'], sent.value, sent['value-effect']]).toEqual(['Notional Market', '1000', 'Debit']);
    // 1000 / 60010 (the ask) = 0.016663889…, rounded down to 8 decimals.
    const done = await filled(o.clientOrderId);
    expect(done.filledQty).toBe('0.01666388');
    expect(done.avgFillPrice).toBe('60010');
    // A dollar amount is for stocks and crypto: on an option the venue's dry-run refuses it.
    await c.optionChain('AAPL');
    const call = c.instrument('AAPL:OPT:C:150:20260320')!;
    const opt = await c.preview(call, { side: 'buy', type: 'market', qty: '0', notional: '1000', tif: 'day' });
    expect(opt.violations.map((v) => v.code)).toEqual(['dry_run_refused']);
    expect(opt.violations[0]!.message).toContain('Notional Market (a dollar amount) is for Equity and Cryptocurrency only');
  });

  it('streams BTC/USD quotes over DXLink on its crypto streamer symbol', async () => {
    const btc = (await c.searchInstruments('BTC/USD'))[0]!;
    await until(() => emu.dxlink.state().subscriptions.includes('Quote:BTC/USD:CXTALP'), { timeoutMs: 10_000, what: 'BTC/USD:CXTALP subscribed' });
    await control(emu, 'set-quote', { symbol: 'BTC/USD', bid: '61234.5', ask: '61240' });
    const q = await until(() => (c.quote(btc.id)?.bid === '61234.5' ? c.quote(btc.id) : undefined), { timeoutMs: 10_000, what: 'the BTC/USD quote' });
    expect(q).toMatchObject({ instrumentId: 'tt:BTC/USD', ask: '61240' });
  });

  it("the venue's crypto rules are preview violations in its words: a Day order is refused, GTC previews with the fee", async () => {
    const btc = (await c.lookupInstrument('BTC/USD'))!;
    const day = await c.preview(btc, { side: 'buy', type: 'limit', qty: '0.001', limitPrice: '59000', tif: 'day' });
    expect(day.violations.map((v) => v.code)).toEqual(['dry_run_refused']);
    expect(day.violations[0]!.message).toContain('Cryptocurrency orders must be GTC or IOC');
    const gtc = await c.preview(btc, { side: 'buy', type: 'limit', qty: '0.001', limitPrice: '59000', tif: 'gtc' });
    expect(gtc.violations).toEqual([]);
    expect(gtc).toMatchObject({ estNotional: '59', estFee: '0.59' });
  });
});
