/**
 * Honest numbers on the Paper venue: no reserved dust after a fill, a preview's buying power
 * after equals the hold the order actually takes, a fill that crossed the spread pays the taker
 * fee, and the account summary (net liquidation, buying power, P&L today) through the API.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineRig, type EngineRig } from '../../support/engine-rig';
import type { Engine } from '../../../src-main/engine/engine';
import { Decimal } from '../../../src-main/engine/domain/money';

describe('Paper: honest account numbers', () => {
  let rig: EngineRig;
  let engine: Engine;
  beforeEach(async () => {
    rig = await engineRig({ prefix: 'tp-acct-' });
    engine = rig.engine;
  });
  afterEach(() => rig.close());
  const value = async <T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>): Promise<T> => {
    const r = await p;
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value;
  };
  const balances = () => value(engine.call('balances.list', { venue: 'paper' }));

  it('a buy limit through the ask fills at once as taker, and leaves no reserved dust in any balance', async () => {
    const q = await value(engine.call('quote.get', { venue: 'paper', symbol: 'BTC/USD' }));
    const limit = new Decimal(q.ask!).plus(50).toFixed();
    const o = await value(engine.call('order.place', { venue: 'paper', symbol: 'BTC/USD', side: 'buy', type: 'limit', qty: '0.0123', limitPrice: limit, tif: 'gtc' }));
    expect(o.status).toBe('filled');
    const fills = await value(engine.call('fills.list', { venue: 'paper' }));
    expect(fills.length).toBeGreaterThan(0);
    for (const f of fills) {
      expect(f.liquidity).toBe('taker');
      expect(new Decimal(f.fee).eq(new Decimal(f.qty).mul(f.price).mul('0.002').toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN))).toBe(true);
    }
    for (const b of await balances()) expect({ asset: b.asset, reserved: new Decimal(b.total).minus(b.available).toFixed() }).toEqual({ asset: b.asset, reserved: '0' });
  });

  it("a resting buy's preview shows as buying power after exactly what placing it holds", async () => {
    const q = await value(engine.call('quote.get', { venue: 'paper', symbol: 'AAPL' }));
    const limit = new Decimal(q.bid!).minus(5).toDecimalPlaces(2).toFixed();
    const ticket = { venue: 'paper', symbol: 'AAPL', side: 'buy', type: 'limit', qty: '7', limitPrice: limit, tif: 'gtc' } as const;
    const pv = await value(engine.call('order.preview', ticket));
    expect(pv.allowed).toBe(true);
    await value(engine.call('order.place', { ...ticket, clientOrderId: pv.clientOrderId }));
    const usd = (await balances()).find((b) => b.asset === 'USD')!;
    expect(pv.buyingPowerAfter).toBe(new Decimal(usd.available).toDecimalPlaces(2, Decimal.ROUND_DOWN).toFixed());
  });

  it('account.summary: net liquidation is cash plus the coins at their mark (not cash only), with buying power and P&L today', async () => {
    const q = await value(engine.call('quote.get', { venue: 'paper', symbol: 'BTC/USD' }));
    await value(engine.call('order.place', { venue: 'paper', symbol: 'BTC/USD', side: 'buy', type: 'market', qty: '0.2', tif: 'ioc' }));
    const usd = (await balances()).find((b) => b.asset === 'USD')!;
    const mid = new Decimal(q.bid!).plus(q.ask!).div(2);
    const s = await value(engine.call('account.summary', {}));
    const paper = s.venues.find((v) => v.venue === 'paper')!;
    expect(paper.cash).toBe(new Decimal(usd.total).toDecimalPlaces(2).toFixed());
    expect(paper.positionsValue).toBe(mid.mul('0.2').toDecimalPlaces(2).toFixed());
    expect(paper.netLiquidation).toBe(new Decimal(usd.total).plus(mid.mul('0.2')).toDecimalPlaces(2).toFixed());
    expect(new Decimal(paper.netLiquidation).gt(usd.total)).toBe(true);
    expect(paper.buyingPower).toBe(new Decimal(usd.available).toDecimalPlaces(2).toFixed());
    expect(s).toMatchObject({ currency: 'USD', netLiquidation: paper.netLiquidation, unconverted: [] });
    // Today's P&L: the taker fee paid is realized, the spread is the open loss.
    expect(new Decimal(s.pnlToday.realized).lt(0)).toBe(true);
  });
});
