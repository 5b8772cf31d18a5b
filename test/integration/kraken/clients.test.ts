/**
 * The Kraken emulator checked with an independent client, unchanged: ccxt.kraken over REST
 * (signing, markets, balances, orders by txid and cl_ord_id). Only its URLs point at the emulator.
 */
import ccxt from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKrakenEmulator, type KrakenEmulator } from '../../emulators/kraken';

let emu: KrakenEmulator;
let kraken: InstanceType<typeof ccxt.kraken>;

beforeAll(async () => {
  emu = await startKrakenEmulator({ counterMax: 1000 });
  kraken = new ccxt.kraken({ apiKey: emu.apiKey, secret: emu.apiSecret, enableRateLimit: false });
  kraken.urls['api'] = { ...(kraken.urls['api'] as Record<string, string>), public: emu.url, private: emu.url };
});

afterAll(async () => {
  await emu.stop();
});

describe('ccxt.kraken against the Kraken emulator', () => {
  it('loads the market with Kraken precision and reads the server time', async () => {
    const markets = await kraken.loadMarkets();
    const m = markets['BTC/USD']!;
    expect(m.id).toBe('XXBTZUSD');
    expect(m.precision.price).toBe(0.1);
    expect(m.limits.amount?.min).toBe(0.0001);
    expect(Math.abs((await kraken.fetchTime())! - Date.now())).toBeLessThan(5000);
  });

  it('signs private calls the way the emulator checks them: balances', async () => {
    const b = await kraken.fetchBalance();
    expect(b['USD']?.total).toBe(1_000_000);
    expect(b['BTC']?.total).toBe(100);
  });

  it('places a resting limit with a client id, finds it open and by id, cancels it', async () => {
    const o = await kraken.createOrder('BTC/USD', 'limit', 'buy', 0.01, 90, { cl_ord_id: 'ccxt-1' });
    expect(o.id).toMatch(/^O[0-9A-F]{5}-[0-9A-F]{5}-[0-9A-F]{6}$/);
    const open = await kraken.fetchOpenOrders('BTC/USD');
    expect(open.map((x) => x.id)).toContain(o.id);
    const one = await kraken.fetchOrder(o.id!);
    expect(one.status).toBe('open');
    expect(one.price).toBe(90);
    await kraken.cancelOrder(o.id!);
    expect((await kraken.fetchOrder(o.id!)).status).toBe('canceled');
  });

  it('fills a market order at the touch and reports the trade', async () => {
    const o = await kraken.createOrder('BTC/USD', 'market', 'buy', 0.5);
    const filled = await kraken.fetchOrder(o.id!);
    expect(filled.status).toBe('closed');
    expect(filled.filled).toBe(0.5);
    const trades = await kraken.fetchMyTrades('BTC/USD');
    expect(trades.some((t) => t.order === o.id && t.price === 100.1)).toBe(true);
  });

  it("refuses with Kraken's own words: a price off the tick, a reused nonce", async () => {
    await expect(kraken.privatePostAddOrder({ pair: 'XXBTZUSD', type: 'buy', ordertype: 'limit', volume: '0.01', price: '90.05' })).rejects.toThrow(/EOrder:Invalid price/);
    await expect(kraken.createOrder('BTC/USD', 'limit', 'buy', 0.00005, 90)).rejects.toThrow(/EOrder:Order minimum not met/);
    const nonce = kraken.nonce;
    kraken.nonce = () => 1;
    await expect(kraken.fetchBalance()).rejects.toThrow(/Invalid nonce/);
    kraken.nonce = nonce;
  });
});
