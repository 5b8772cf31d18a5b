/**
 * The tastytrade emulator's multi-leg orders over HTTP, as the venue documents them: a vertical is
 * ONE order whose legs fill together at their own quotes once the net market reaches the price
 * (Debit: pay at most; Credit: receive at least); only option orders have more than one leg, and
 * each leg has its own symbol.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TastytradeEmulator } from '../../emulators/tastytrade';

let emu: TastytradeEmulator;
let token: string;
const UA = { 'user-agent': 'tradeport-test/1.0', 'content-type': 'application/json' };
const C150 = 'AAPL  260320C00150000';
const C155 = 'AAPL  260320C00155000';

async function post(body: unknown): Promise<{ status: number; json: { data?: { order: { id: number; status: string } }; error?: { errors?: { code: string }[] } } }> {
  const res = await fetch(`${emu.url}/accounts/${emu.accountNumber}/orders`, { method: 'POST', headers: { ...UA, authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as never };
}

const spread = (ext: string, effect: 'Debit' | 'Credit', price: string, legs: Array<[string, string]>, type = 'Equity Option') => ({
  'time-in-force': 'Day',
  'order-type': 'Limit',
  price,
  'price-effect': effect,
  'external-identifier': ext,
  legs: legs.map(([symbol, action]) => ({ 'instrument-type': type, symbol, quantity: '2', action })),
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
  emu.catalogue.quotes.set(C150, { bid: '6.00', ask: '6.10' });
  emu.catalogue.quotes.set(C155, { bid: '3.00', ask: '3.10' });
});
afterEach(async () => {
  await emu.stop();
});

describe('tastytrade emulator: spreads', () => {
  it('a debit vertical rests below its net ask and fills both legs at their quotes at it', async () => {
    const legs: Array<[string, string]> = [
      [C150, 'Buy to Open'],
      [C155, 'Sell to Open'],
    ];
    const resting = await post(spread('S1', 'Debit', '3.05', legs));
    expect(resting.status).toBe(201);
    expect(resting.json.data!.order.status).toBe('Live');
    const filled = await post(spread('S2', 'Debit', '3.10', legs));
    const o = emu.account.orders.get(filled.json.data!.order.id)!;
    expect(o.status).toBe('Filled');
    expect(o.legs.map((l) => [l.symbol, l.fills.map((f) => [f.quantity, f['fill-price']])])).toEqual([
      [C150, [['2', '6.10']]],
      [C155, [['2', '3.00']]],
    ]);
    expect([emu.account.positions.get(C150)!.qty.toString(), emu.account.positions.get(C155)!.qty.toString()]).toEqual(['2', '-2']);
  });

  it('a credit vertical fills when its net bid reaches the credit asked', async () => {
    const legs: Array<[string, string]> = [
      [C150, 'Sell to Open'],
      [C155, 'Buy to Open'],
    ];
    expect((await post(spread('S3', 'Credit', '3.00', legs))).json.data!.order.status).toBe('Live');
    const r = await post(spread('S4', 'Credit', '2.90', legs));
    expect(emu.account.orders.get(r.json.data!.order.id)!.status).toBe('Filled');
  });

  it('refuses more than one leg on a non-option and a symbol used by two legs', async () => {
    const stock = await post(
      spread(
        'S5',
        'Debit',
        '1',
        [
          ['AAPL', 'Buy to Open'],
          ['SPY', 'Sell to Open'],
        ],
        'Equity',
      ),
    );
    expect(stock.status).toBe(400);
    expect(stock.json.error!.errors!.map((e) => e.code)).toContain('invalid_legs');
    const twice = await post(
      spread('S6', 'Debit', '1', [
        [C150, 'Buy to Open'],
        [C150, 'Sell to Open'],
      ]),
    );
    expect(twice.status).toBe(400);
    expect(twice.json.error!.errors!.map((e) => e.code)).toContain('duplicate_leg_symbol');
  });
});
