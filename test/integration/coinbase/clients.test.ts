/**
 * The Coinbase emulator checked by a client we did not write, unchanged: `coinbase-api`'s
 * CBAdvancedTradeClient, pointed at the emulator with its documented `baseUrl` option. It signs
 * an ES256 JWT per request; the emulator verifies each one. (The SDK wants client ids prefixed
 * `cbnode`, so the tests use such ids.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { CBAdvancedTradeClient } from 'coinbase-api';
import ccxt from 'ccxt';
import { CoinbaseEmulator } from '../../emulators/coinbase';

const KEY_NAME = 'organizations/org-test/apiKeys/key-test';
const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const privatePem = pair.privateKey.export({ type: 'sec1', format: 'pem' }).toString();

let emu: CoinbaseEmulator;
let client: CBAdvancedTradeClient;

beforeAll(async () => {
  emu = new CoinbaseEmulator({ keyName: KEY_NAME, publicKey: pair.publicKey });
  await emu.start();
  client = new CBAdvancedTradeClient({ apiKey: KEY_NAME, apiSecret: privatePem, baseUrl: emu.url });
});
afterAll(async () => {
  await emu.stop();
});

describe('coinbase-api CBAdvancedTradeClient against the Coinbase emulator', () => {
  it('signed reads: accounts (paginated), products with increments, fee tier', async () => {
    const first = await client.getAccounts({ limit: 2 });
    expect(first.accounts.map((a) => a.currency)).toEqual(['USD', 'BTC']);
    expect(first.has_next).toBe(true);
    const rest = await client.getAccounts({ limit: 2, cursor: first.cursor });
    expect(rest.accounts.map((a) => a.currency)).toEqual(['ETH']);
    const products = await client.getProducts();
    const btc = products.products.find((p) => p.product_id === 'BTC-USD');
    expect(btc?.price_increment).toBe('0.01');
    const futures = await client.getProducts({ product_type: 'FUTURE' });
    expect(futures.products.map((p) => p.product_id)).toEqual(['BIP-20DEC30-CDE']);
    const fees = await client.getTransactionSummary();
    expect(fees.fee_tier.maker_fee_rate).toBe('0.004');
  });

  it('orders: limit rests, a repeated client_order_id returns the first order, fill, fills, batch cancel', async () => {
    const body = { client_order_id: 'cbnode-sdk-1', product_id: 'BTC-USD', side: 'BUY' as const, order_configuration: { limit_limit_gtc: { base_size: '0.5', limit_price: '59000' } } };
    const placed = await client.submitOrder(body);
    expect(placed.success).toBe(true);
    const again = await client.submitOrder(body);
    expect(again.success_response?.order_id).toBe(placed.success_response?.order_id);
    expect(emu.orders.size).toBe(1);
    const id = placed.success_response!.order_id;
    const open = await client.getOrders({ order_status: ['OPEN'] });
    expect(open.orders.map((o) => o.order_id)).toEqual([id]);
    emu.fill('cbnode-sdk-1', '0.2', '59000');
    const one = await client.getOrder({ order_id: id });
    expect(one.order.filled_size).toBe('0.2');
    const fills = await client.getFills({ order_ids: [id] });
    expect(fills.fills.map((f) => f.size)).toEqual(['0.2']);
    const cancelled = await client.cancelOrders({ order_ids: [id, 'nope'] });
    expect(cancelled.results.map((r) => r.success)).toEqual([true, false]);
    expect(emu.orders.get(id)?.status).toBe('CANCELLED');
  });

  it('market by quote size fills at once', async () => {
    const r = await client.submitOrder({ client_order_id: 'cbnode-sdk-2', product_id: 'ETH-USD', side: 'BUY', order_configuration: { market_market_ioc: { quote_size: '300' } } });
    const o = await client.getOrder({ order_id: r.success_response!.order_id });
    expect(o.order.status).toBe('FILLED');
    expect(o.order.filled_size).toBe('0.1');
  });

  it('a request signed with another key, or unsigned, is refused with 401', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    const forger = new CBAdvancedTradeClient({ apiKey: KEY_NAME, apiSecret: other, baseUrl: emu.url });
    await expect(forger.getAccounts()).rejects.toMatchObject({ code: 401 });
    const plain = await fetch(`${emu.url}/api/v3/brokerage/accounts`);
    expect(plain.status).toBe(401);
  });
});

// Currencies come from Coinbase's v2 (app) API, which is not Advanced Trade: turned off through `has`.
describe('ccxt.coinbase against the Coinbase emulator (urls.api.rest swapped, v3 endpoints)', () => {
  it('markets, balance, limit order placed, fetched, listed open and cancelled', async () => {
    const ex = new ccxt.coinbase({
      apiKey: KEY_NAME,
      secret: privatePem,
      urls: { api: { rest: emu.url } },
      has: { fetchCurrencies: false },
      options: { fetchBalance: 'v3PrivateGetBrokerageAccounts' },
    });
    const markets = await ex.loadMarkets();
    expect(markets['BTC/USD']?.precision.price).toBe(0.01);
    const balance = await ex.fetchBalance();
    expect(balance['USD']?.free).toBe(100000);
    // ccxt makes its own client id (`ccxt-<uuid>`); the emulator keeps what it was sent.
    const placed = await ex.createOrder('BTC/USD', 'limit', 'buy', 0.25, 58000);
    const placedId = String(placed.id);
    const fetched = await ex.fetchOrder(placedId, 'BTC/USD');
    expect(fetched.status).toBe('open');
    expect(fetched.clientOrderId).toMatch(/^ccxt-/);
    expect(fetched.clientOrderId).toBe(emu.orders.get(placedId)?.client_order_id);
    expect(fetched.amount).toBe(0.25);
    const open = await ex.fetchOpenOrders('BTC/USD');
    expect(open.map((o) => o.id)).toEqual([placedId]);
    await ex.cancelOrder(placedId, 'BTC/USD');
    expect(emu.orders.get(placedId)?.status).toBe('CANCELLED');
  });
});
