/**
 * The tastytrade emulator checked by the official `@tastytrade/api` REST client, unchanged: only its
 * documented config (`baseUrl`, `clientSecret`, `refreshToken`, `oauthScopes`) points it here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import TastytradeClient from '@tastytrade/api';
import { TastytradeEmulator } from '../../emulators/tastytrade';

let emu: TastytradeEmulator;
let client: TastytradeClient;

beforeAll(async () => {
  emu = new TastytradeEmulator({ clientSecret: 'sdk-secret', refreshToken: 'sdk-refresh' });
  await emu.start();
  client = new TastytradeClient({ baseUrl: emu.url, accountStreamerUrl: emu.streamerUrl, clientSecret: 'sdk-secret', refreshToken: 'sdk-refresh', oauthScopes: ['read', 'trade'] });
});
afterAll(async () => {
  await emu.stop();
});

describe('official SDK @tastytrade/api (REST) against the tastytrade emulator', () => {
  it('OAuth, accounts, balances, instruments and the nested chain', async () => {
    const accounts = (await client.accountsAndCustomersService.getCustomerAccounts()) as { account: { 'account-number': string } }[];
    expect(accounts.map((a) => a.account['account-number'])).toEqual([emu.accountNumber]);
    expect(emu.tokensIssued).toBe(1);
    const balances = (await client.balancesAndPositionsService.getAccountBalanceValues(emu.accountNumber)) as Record<string, string>;
    expect(balances['cash-balance']).toBe('100000.00');
    const aapl = (await client.instrumentsService.getSingleEquity('AAPL')) as Record<string, unknown>;
    expect(aapl['tick-sizes']).toEqual([{ value: '0.0001', threshold: '1.0' }, { value: '0.01' }]);
    const futures = (await client.instrumentsService.getFutures({ productCode: ['ES'] })) as { symbol: string; 'streamer-symbol': string }[];
    expect(futures.map((f) => f.symbol)).toEqual(['/ESH6', '/ESM6']);
    const chain = (await client.instrumentsService.getNestedOptionChain('AAPL')) as { expirations: { strikes: { call: string }[] }[] }[];
    expect(chain[0]!.expirations[0]!.strikes[2]!.call).toBe('AAPL  260320C00150000');
    const token = (await client.accountsAndCustomersService.getApiQuoteToken()) as Record<string, string>;
    expect(token['dxlink-url']).toBe(`ws://127.0.0.1:${emu.server.port}/dxlink`);
  });

  it('orders: dry-run, create (identifier not deduplicated), replace, cancel, live and search', async () => {
    const order = {
      timeInForce: 'Day',
      orderType: 'Limit',
      price: '100',
      priceEffect: 'Debit',
      externalIdentifier: 'sdk-1', // The SDK dasherizes top-level keys only (not inside arrays), so legs are written as the API spells them.
      legs: [{ 'instrument-type': 'Equity', symbol: 'AAPL', quantity: 2, action: 'Buy to Open' }],
    };
    const dry = (await client.orderService.postOrderDryRun(emu.accountNumber, order)) as { 'buying-power-effect': Record<string, string>; errors: unknown[] };
    expect(dry['buying-power-effect']['change-in-buying-power']).toBe('200.00');
    expect(dry.errors).toEqual([]);
    const a = (await client.orderService.createOrder(emu.accountNumber, order)) as { order: { id: number; status: string; 'external-identifier': string } };
    const b = (await client.orderService.createOrder(emu.accountNumber, order)) as { order: { id: number } };
    expect(a.order.status).toBe('Live');
    expect(a.order['external-identifier']).toBe('sdk-1');
    expect(b.order.id).not.toBe(a.order.id);
    expect(emu.ordersWithIdentifier('sdk-1')).toBe(2);
    const replaced = (await client.orderService.replaceOrder(emu.accountNumber, a.order.id, { timeInForce: 'GTC', orderType: 'Limit', price: '101', priceEffect: 'Debit' })) as {
      id: number;
      'replaces-order-id': number;
      price: string;
    };
    expect(replaced['replaces-order-id']).toBe(a.order.id);
    expect(replaced.price).toBe('101');
    const cancelled = (await client.orderService.cancelOrder(emu.accountNumber, b.order.id)) as { status: string };
    expect(cancelled.status).toBe('Cancelled');
    const live = (await client.orderService.getLiveOrders(emu.accountNumber)) as { id: number; status: string }[];
    expect(live.filter((o) => o.status === 'Live').map((o) => o.id)).toEqual([replaced.id]);
    const page = (await client.orderService.getOrders(emu.accountNumber, { perPage: 2, pageOffset: 1 })) as { id: number }[];
    expect(page.map((o) => o.id)).toEqual([a.order.id]);
  });

  it('refuses a client without its OAuth secret and a request without User-Agent', async () => {
    const bad = new TastytradeClient({ baseUrl: emu.url, accountStreamerUrl: emu.streamerUrl, clientSecret: 'wrong', refreshToken: 'sdk-refresh', oauthScopes: ['read'] });
    await expect(bad.accountsAndCustomersService.getCustomerAccounts()).rejects.toThrow(/401/);
    const res = await fetch(`${emu.url}/customers/me/accounts`, { headers: { 'user-agent': '' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('missing_user_agent');
  });
});
