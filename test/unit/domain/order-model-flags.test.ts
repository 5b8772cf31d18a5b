/**
 * The extended order model: GTD expiry, CLS, post-only, reduce-only and notional (money-sized)
 * orders — the rules every venue shares (order-validation.ts), the per-venue refusals
 * (order-capabilities.ts) and the one remaining-quantity helper (order-remaining.ts).
 */
import { describe, expect, it } from 'vitest';
import { checkTicket, type TicketFields } from '../../../src-main/engine/domain/order-validation';
import { BASIC_CAPABILITIES, capabilityRefusal, intersectCapabilities, PAPER_CAPABILITIES, type OrderCapabilities } from '../../../src-main/engine/domain/order-capabilities';
import { fillsComplete, orderNotional, remainingNotional, remainingQty } from '../../../src-main/engine/domain/order-remaining';
import type { Instrument } from '../../../src-main/engine/domain/instrument';
import { instrument } from '../renderer/fixtures';

const AAPL: Instrument = instrument({ id: 'alpaca:AAPL', venue: 'alpaca' });
const PERP: Instrument = { ...AAPL, id: 'x:BTC-PERP', venueSymbol: 'BTC-PERP', symbol: 'BTC/USD:PERP', assetClass: 'perpetual', session: 'always' };
const NOW = Date.UTC(2026, 11, 4, 15, 0, 0);
const limit = (extra: Partial<TicketFields> = {}): TicketFields => ({ side: 'buy', type: 'limit', qty: '10', limitPrice: '190.00', tif: 'day', ...extra });

function problem(f: TicketFields, inst = AAPL) {
  const r = checkTicket(f, inst, NOW);
  if (r.ok) throw new Error(`expected a problem, got ${JSON.stringify(r.ticket)}`);
  return r.problem;
}
function ok(f: TicketFields, inst = AAPL) {
  const r = checkTicket(f, inst, NOW);
  if (!r.ok) throw new Error(r.problem.message);
  return r.ticket;
}

describe('GTD', () => {
  it('needs a future expiry, given as epoch ms or ISO', () => {
    expect(ok(limit({ tif: 'gtd', expireAt: NOW + 60_000 })).expireAt).toBe(NOW + 60_000);
    expect(ok(limit({ tif: 'gtd', expireAt: '2026-12-31T21:00:00Z' })).expireAt).toBe(Date.UTC(2026, 11, 31, 21));
    expect(problem(limit({ tif: 'gtd' }))).toMatchObject({ field: 'expireAt', code: 'invalid_tif' });
    expect(problem(limit({ tif: 'gtd', expireAt: NOW })).message).toMatch(/not in the future/);
    expect(problem(limit({ tif: 'gtd', expireAt: 'tomorrow' })).message).toMatch(/date and time/);
  });
  it('an expiry on another TIF is refused', () => {
    expect(problem(limit({ tif: 'gtc', expireAt: NOW + 1 }))).toMatchObject({ field: 'expireAt' });
    expect(ok(limit({ tif: 'gtc' })).expireAt).toBeUndefined();
  });
});

describe('CLS', () => {
  it('market or limit only, never with extended hours', () => {
    expect(ok(limit({ tif: 'cls' })).tif).toBe('cls');
    expect(ok({ side: 'sell', type: 'market', qty: '1', tif: 'cls' }).tif).toBe('cls');
    expect(problem({ side: 'buy', type: 'stop', qty: '1', stopPrice: '200.00', tif: 'cls' }).message).toMatch(/market-on-close/);
    expect(problem(limit({ tif: 'cls', extendedHours: true })).field).toBe('extendedHours');
  });
});

describe('post-only', () => {
  it('limit orders that rest only', () => {
    expect(ok(limit({ postOnly: true })).postOnly).toBe(true);
    expect(ok(limit({ postOnly: false })).postOnly).toBeUndefined();
    expect(problem({ side: 'buy', type: 'market', qty: '1', tif: 'day', postOnly: true }).field).toBe('postOnly');
    expect(problem(limit({ tif: 'ioc', postOnly: true })).message).toMatch(/cannot be IOC/);
    expect(problem(limit({ tif: 'fok', postOnly: true })).message).toMatch(/cannot be FOK/);
  });
});

describe('reduce-only', () => {
  it('derivatives only, with a clear message otherwise', () => {
    expect(ok(limit({ reduceOnly: true }), PERP).reduceOnly).toBe(true);
    const p = problem(limit({ reduceOnly: true }));
    expect(p.field).toBe('reduceOnly');
    expect(p.message).toMatch(/derivatives.*AAPL is equity/);
  });
});

describe('notional', () => {
  it('a market order sized in money: qty is "0"', () => {
    const t = ok({ side: 'buy', type: 'market', qty: '', notional: '250.5', tif: 'day' });
    expect(t).toMatchObject({ qty: '0', notional: '250.5' });
    expect(ok({ side: 'sell', type: 'market', qty: '0', notional: '100', tif: 'day' }).qty).toBe('0');
  });
  it('refuses a limit, a quantity as well, a bad amount, a bracket', () => {
    expect(problem({ ...limit(), qty: '', notional: '100' }).field).toBe('notional');
    expect(problem({ side: 'buy', type: 'market', qty: '5', notional: '100', tif: 'day' }).message).toMatch(/not both/);
    expect(problem({ side: 'buy', type: 'market', qty: '', notional: '-3', tif: 'day' }).message).toMatch(/greater than zero/);
    expect(problem({ side: 'buy', type: 'market', qty: '', notional: '100', tif: 'day', stopLoss: { stopPrice: '150.00' } }).code).toBe('invalid_bracket');
  });
  it('without an amount, a quantity is still required', () => {
    expect(problem({ side: 'buy', type: 'market', qty: '', tif: 'day' }).field).toBe('qty');
  });
});

describe('capabilities refuse what a venue cannot carry, naming the alternative', () => {
  const ALL: OrderCapabilities = { ...BASIC_CAPABILITIES, tifs: [...BASIC_CAPABILITIES.tifs, 'gtd', 'cls'], postOnly: true, reduceOnly: true, notional: true };
  it('basic venues refuse each new feature', () => {
    expect(capabilityRefusal(BASIC_CAPABILITIES, ok(limit({ tif: 'gtd', expireAt: NOW + 1000 })), 'X')?.message).toMatch(/GTD orders — use GTC and cancel/);
    expect(capabilityRefusal(BASIC_CAPABILITIES, ok(limit({ tif: 'cls' })), 'X')?.feature).toBe('tif');
    expect(capabilityRefusal(BASIC_CAPABILITIES, ok(limit({ postOnly: true })), 'X')?.message).toMatch(/post-only orders — use a DAY limit/);
    expect(capabilityRefusal(BASIC_CAPABILITIES, ok(limit({ reduceOnly: true }), PERP), 'X')?.feature).toBe('reduceOnly');
    expect(capabilityRefusal(BASIC_CAPABILITIES, ok({ side: 'buy', type: 'market', qty: '', notional: '10', tif: 'day' }), 'X', 'or arm LIVE')?.message).toBe(
      'X does not support orders sized in money (notional) — enter a quantity instead (amount ÷ price), or arm LIVE.',
    );
  });
  it('a venue that declares them accepts them', () => {
    for (const t of [
      limit({ tif: 'gtd', expireAt: NOW + 1000 }),
      limit({ tif: 'cls' }),
      limit({ postOnly: true }),
      { side: 'buy', type: 'market', qty: '', notional: '10', tif: 'day' } as TicketFields,
    ]) {
      expect(capabilityRefusal(ALL, ok(t), 'X')).toBeUndefined();
    }
    expect(capabilityRefusal(ALL, ok(limit({ reduceOnly: true }), PERP), 'X')).toBeUndefined();
  });
  it('CANARY takes only what both routes allow', () => {
    const both = intersectCapabilities(ALL, PAPER_CAPABILITIES);
    expect([both.postOnly, both.reduceOnly, both.notional]).toEqual([false, false, false]);
    expect(both.tifs).not.toContain('gtd');
  });
});

describe('remaining quantity', () => {
  const sized = { qty: '10', filledQty: '4', avgFillPrice: '2' };
  const money = { qty: '0', filledQty: '3', avgFillPrice: '20', notional: '100' };
  it('a sized order: qty minus filled, complete at qty', () => {
    expect(remainingQty(sized).toFixed()).toBe('6');
    expect(remainingNotional(sized, '5')?.toFixed()).toBe('30');
    expect(orderNotional(sized, '5')?.toFixed()).toBe('50');
    expect(orderNotional(sized)).toBeUndefined();
    expect(fillsComplete(sized)).toBe(false);
    expect(fillsComplete({ ...sized, filledQty: '10' })).toBe(true);
  });
  it('a notional order: sized in money, complete only when the venue says', () => {
    expect(remainingQty(money).toFixed()).toBe('0');
    expect(orderNotional(money)?.toFixed()).toBe('100');
    expect(remainingNotional(money)?.toFixed()).toBe('40');
    expect(fillsComplete({ ...money, filledQty: '1000' })).toBe(false);
  });
});
