/**
 * Replace (modify) through the whole engine on the Paper venue: the matching engine keeps the
 * filled quantity, a new price is where the order then fills, a smaller quantity frees buying
 * power, and a change below what has filled is refused at every layer.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineRig, type EngineRig } from '../../support/engine-rig';
import type { Engine } from '../../../src-main/engine/engine';
import type { ManualClock } from '../../../src-main/engine/ports/clock';
import { Decimal } from '../../../src-main/engine/domain/money';
import type { PaperVenue } from '../../../src-main/engine/venues/paper';
import type { CommandName, CommandOutput } from '../../../src-main/engine/api/commands';
import { windowCall } from '../../support/window-call';

const BTC = 'paper:BTC-USD';

describe('replace on the Paper venue', () => {
  let rig: EngineRig;
  let clock: ManualClock;
  let engine: Engine;
  const start = async () => (rig.engine = await rig.startEngine());
  const paper = () => engine.internals.venues.get('paper') as PaperVenue;
  async function ok<C extends CommandName>(c: C, input: unknown): Promise<CommandOutput<C>> {
    const r = await windowCall(engine, c, input, { actor: 'user', transport: 'ipc' });
    if (!r.ok) throw new Error(`${c}: ${r.error.code}: ${r.error.message}`);
    return r.value as CommandOutput<C>;
  }
  const quote = () => paper().quote(BTC)!;
  /** The default notional limits stop an order big enough to outrun the top of book. */
  const relaxRisk = async () => {
    for (const key of ['max_order_notional', 'max_position_notional', 'max_concentration_pct']) await ok('risk.set', { key, value: 'off' });
  };
  /** The market moves to `mid` and time passes: resting orders match the new book. */
  const moveTo = (mid: Decimal) => {
    paper().source.setMid(BTC, mid);
    clock.advance(1000);
    paper().tick();
  };

  beforeEach(async () => {
    rig = await engineRig({ prefix: 'tp-replace-' });
    ({ clock, engine } = rig);
  });
  afterEach(() => rig.close());

  it('a new limit price is where the order fills: the market reaches the new price, not the old one', async () => {
    const bid = new Decimal(quote().bid!);
    const l1 = bid.mul('0.99').toDecimalPlaces(2).toFixed();
    const l2 = bid.mul('0.995').toDecimalPlaces(2).toFixed();
    const placed = await ok('order.place', { venue: 'paper', symbol: 'BTC/USD', side: 'buy', type: 'limit', qty: '0.01', limitPrice: l1, tif: 'gtc' });
    expect(placed.status).toBe('accepted');

    const modified = await ok('order.replace', { id: placed.clientOrderId, limitPrice: l2 });
    expect(modified).toMatchObject({ id: placed.id, status: 'accepted', qty: '0.01', limitPrice: l2 });
    expect(modified.replaceRequest).toBeUndefined();
    // The venue holds the new price too (its own table, which reconciliation reads).
    expect(await paper().lookup(placed.clientOrderId)).toMatchObject({ status: 'accepted', qty: '0.01', limitPrice: l2 });

    // Between the two prices: only the modified order can fill, and it fills at its new limit.
    moveTo(new Decimal(l2).minus(150));
    const after = engine.internals.orders.byId(placed.id)!;
    expect(after).toMatchObject({ status: 'filled', filledQty: '0.01', avgFillPrice: l2 });
    const fills = engine.internals.orders.fills({ orderId: placed.id });
    expect(fills.map((f) => [f.qty, f.price, f.liquidity])).toEqual([['0.01', l2, 'maker']]);
    expect(engine.internals.orders.transitions(placed.id).map((t) => t.to)).toEqual(['pending_submit', 'accepted', 'pending_replace', 'accepted', 'filled']);
    const audit = engine.internals.audit.list({ action: 'order.replace', limit: 10 });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'user', transport: 'ipc', ok: true, detail: { input: { id: placed.clientOrderId, limitPrice: l2 } } });
  });

  it('quantity down keeps what filled and its queue place, frees buying power, and the rest fills to the new total', async () => {
    await relaxRisk();
    const ask = quote().ask!;
    // Marketable at the best ask only: the top level (at most 0.52 BTC) fills, the rest rests.
    const placed = await ok('order.place', { venue: 'paper', symbol: 'BTC/USD', side: 'buy', type: 'limit', qty: '0.8', limitPrice: ask, tif: 'gtc' });
    expect(placed.status).toBe('partially_filled');
    const filled = new Decimal(placed.filledQty);
    expect(filled.gt(0) && filled.lt('0.6')).toBe(true);
    const bpBefore = paper().buyingPower();

    const modified = await ok('order.replace', { id: placed.id, qty: '0.6' });
    expect(modified).toMatchObject({ status: 'partially_filled', qty: '0.6', filledQty: placed.filledQty, limitPrice: ask });
    const row = await paper().lookup(placed.clientOrderId);
    expect(row).toMatchObject({ qty: '0.6', filledQty: placed.filledQty });
    // 0.2 BTC less reserved at the limit price (plus the taker fee on it).
    expect(paper().buyingPower().minus(bpBefore).toNumber()).toBeCloseTo(new Decimal('0.2').mul(ask).mul('1.002').toNumber(), 2);

    moveTo(new Decimal(ask).minus(2000));
    const after = engine.internals.orders.byId(placed.id)!;
    expect(after).toMatchObject({ status: 'filled', filledQty: '0.6', qty: '0.6' });
    const total = engine.internals.orders.fills({ orderId: placed.id }).reduce((a, f) => a.plus(f.qty), new Decimal(0));
    expect(total.toFixed()).toBe('0.6');
  });

  it('a quantity at or below what has filled is refused by the engine and by the venue; the order works on unchanged', async () => {
    await relaxRisk();
    const ask = quote().ask!;
    const placed = await ok('order.place', { venue: 'paper', symbol: 'BTC/USD', side: 'buy', type: 'limit', qty: '0.8', limitPrice: ask, tif: 'gtc' });
    expect(placed.status).toBe('partially_filled');
    const r = await engine.call('order.replace', { id: placed.id, qty: placed.filledQty });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid_quantity');
      expect(r.error.message).toMatch(/must be more than the .* already filled.*cancel it/);
    }
    // The venue's own rule, asked directly (another client, or a stale view).
    await expect(paper().replace(engine.internals.orders.byId(placed.id)!, { qty: '0.1' })).rejects.toThrow(/not above the .* already filled/);
    expect(engine.internals.orders.byId(placed.id)).toMatchObject({ status: 'partially_filled', qty: '0.8' });
    expect(await paper().lookup(placed.clientOrderId)).toMatchObject({ qty: '0.8', status: 'partially_filled' });
    expect(engine.internals.orders.transitions(placed.id).some((t) => t.to === 'pending_replace')).toBe(false);
  });

  it('a modify is checked by pre-trade risk like a new order (price collar: a buy modified to 10 % above the market), and the terms survive a restart', async () => {
    const bid = new Decimal(quote().bid!);
    const placed = await ok('order.place', { venue: 'paper', symbol: 'BTC/USD', side: 'buy', type: 'limit', qty: '0.01', limitPrice: bid.mul('0.98').toDecimalPlaces(2).toFixed(), tif: 'gtc' });
    const far = bid.mul('1.1').toDecimalPlaces(2).toFixed();
    const r = await engine.call('order.replace', { id: placed.id, limitPrice: far });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('risk_violation');
      expect(r.error.message).toMatch(/price collar/);
    }
    expect(engine.internals.orders.byId(placed.id)!.limitPrice).toBe(placed.limitPrice);

    const near = bid.mul('0.97').toDecimalPlaces(2).toFixed();
    await ok('order.replace', { id: placed.id, limitPrice: near, qty: '0.02' });
    await engine.close();
    engine = await start();
    expect(engine.internals.orders.byId(placed.id)).toMatchObject({ status: 'accepted', qty: '0.02', limitPrice: near });
    // The restored matching engine works the new terms.
    expect(paper().matching.get((await paper().lookup(placed.clientOrderId))!.venueOrderId!)).toMatchObject({ qty: '0.02', limitPrice: near });
  });
});
