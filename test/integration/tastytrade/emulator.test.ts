/**
 * The tastytrade emulator's own promises over real sockets: token expiry enforced, documented error
 * bodies, a lost response still creates the order, search paging, and every change reaching the
 * account streamer.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TastytradeEmulator } from '../../emulators/tastytrade';
import { until } from '../../support/until';

let emu: TastytradeEmulator;
let token: string;
const UA = { 'user-agent': 'tradeport-test/1.0', 'content-type': 'application/json' };

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, any> }> {
  const res = await fetch(`${emu.url}${path}`, { method, headers: { ...UA, authorization: `Bearer ${token}` }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

const limit = (ext: string, price = '100'): unknown => ({
  'time-in-force': 'Day',
  'order-type': 'Limit',
  price,
  'price-effect': 'Debit',
  'external-identifier': ext,
  legs: [{ 'instrument-type': 'Equity', symbol: 'AAPL', quantity: '1', action: 'Buy to Open' }],
});

beforeEach(async () => {
  emu = new TastytradeEmulator();
  await emu.start();
  const res = await fetch(`${emu.url}/oauth/token`, {
    method: 'POST',
    headers: UA,
    body: JSON.stringify({ grant_type: 'refresh_token', refresh_token: emu.refreshToken, client_secret: emu.clientSecret }),
  });
  token = ((await res.json()) as { access_token: string }).access_token;
});
afterEach(async () => {
  await emu.stop();
});

describe('tastytrade emulator', () => {
  it('enforces token expiry with the documented error body', async () => {
    expect((await call('GET', '/customers/me/accounts')).status).toBe(200);
    emu.expireTokens();
    const r = await call('GET', '/customers/me/accounts');
    expect(r.status).toBe(401);
    expect(r.json['error'].code).toBe('token_expired');
  });

  it('validation and preflight errors carry the venue’s words', async () => {
    const bad = await call('POST', `/accounts/${emu.accountNumber}/orders`, { 'time-in-force': 'Day', 'order-type': 'Stop', legs: [] });
    expect(bad.status).toBe(400);
    expect(bad.json['error'].code).toBe('validation_error');
    expect(bad.json['error'].errors.map((e: { code: string }) => e.code)).toEqual(expect.arrayContaining(['stop_trigger_required', 'invalid_legs']));
    const big = await call('POST', `/accounts/${emu.accountNumber}/orders`, limit('big', '1000000'));
    expect(big.status).toBe(422);
    expect(big.json['error'].errors[0].code).toBe('insufficient_buying_power');
    const dry = await call('POST', `/accounts/${emu.accountNumber}/orders/dry-run`, limit('big', '1000000'));
    expect(dry.status).toBe(201);
    expect(dry.json['data'].errors[0].code).toBe('insufficient_buying_power');
  });

  it('a lost response still creates the order; search pages newest first', async () => {
    emu.server.faults.arm({ kind: 'lose-response', method: 'POST', path: `/accounts/${emu.accountNumber}/orders` });
    await expect(call('POST', `/accounts/${emu.accountNumber}/orders`, limit('lost-1'))).rejects.toThrow();
    expect(emu.ordersWithIdentifier('lost-1')).toBe(1);
    for (let i = 0; i < 3; i++) expect((await call('POST', `/accounts/${emu.accountNumber}/orders`, limit(`o-${i}`))).status).toBe(201);
    const p0 = await call('GET', `/accounts/${emu.accountNumber}/orders?per-page=3&page-offset=0`);
    const p1 = await call('GET', `/accounts/${emu.accountNumber}/orders?per-page=3&page-offset=1`);
    expect(p0.json['data'].items.map((o: { 'external-identifier': string }) => o['external-identifier'])).toEqual(['o-2', 'o-1', 'o-0']);
    expect(p1.json['data'].items.map((o: { 'external-identifier': string }) => o['external-identifier'])).toEqual(['lost-1']);
    expect(p0.json['pagination']['total-pages']).toBe(2);
  });

  it('publishes order, position and balance changes on the account streamer', async () => {
    const ws = new WebSocket(emu.streamerUrl);
    const seen: string[] = [];
    ws.on('message', (m) => {
      const msg = JSON.parse(String(m)) as { type?: string; status?: string };
      seen.push(msg.type ?? `status:${msg.status}`);
    });
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ action: 'connect', value: [emu.accountNumber], 'auth-token': `Bearer ${token}`, 'request-id': 1 }));
    await until(() => seen.includes('status:ok'));
    const placed = await call('POST', `/accounts/${emu.accountNumber}/orders`, { ...(limit('m-1') as object), 'order-type': 'Market', price: undefined, 'price-effect': undefined });
    expect(placed.json['data'].order.status).toBe('Filled');
    await until(() => seen.includes('Order') && seen.includes('CurrentPosition') && seen.includes('AccountBalance'));
    ws.close();
  });
});
