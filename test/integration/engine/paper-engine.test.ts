import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineRig, type EngineRig } from '../../support/engine-rig';
import type { Engine } from '../../../src-main/engine/engine';
import type { ManualClock } from '../../../src-main/engine/ports/clock';
import { Decimal } from '../../../src-main/engine/domain/money';
import type { PaperVenue } from '../../../src-main/engine/venues/paper';
import type { EngineEvent } from '../../../src-main/engine/api/events';

describe('engine on the Paper venue', () => {
  let rig: EngineRig;
  let clock: ManualClock;
  let engine: Engine;
  const start = async () => (rig.engine = await rig.startEngine());
  const paper = () => engine.internals.venues.get('paper') as PaperVenue;

  beforeEach(async () => {
    rig = await engineRig({ prefix: 'tp-engine-' });
    ({ clock, engine } = rig);
  });
  afterEach(() => rig.close());

  it('starts with the Paper venue, instruments and quotes', async () => {
    const venues = await engine.call('venues.list', {});
    expect(venues.ok && venues.value.map((v) => [v.name, v.state])).toEqual([['paper', 'connected']]);
    const search = await engine.call('instruments.search', { venue: 'paper', query: 'btc' });
    expect(search.ok && search.value[0]!.symbol).toBe('BTC/USD');
    const q = await engine.call('quote.get', { venue: 'paper', symbol: 'BTC/USD' });
    expect(q.ok).toBe(true);
    if (q.ok) expect(new Decimal(q.value.ask!).gt(q.value.bid!)).toBe(true);
  });

  it('a resting limit order works, fills when the market comes to it, and makes a position', async () => {
    const events: EngineEvent[] = [];
    engine.subscribe((e) => events.push(e));
    const q = await engine.call('quote.get', { venue: 'paper', symbol: 'BTC/USD' });
    if (!q.ok) throw new Error('no quote');
    // Canonical decimal strings (no trailing zeros), as the engine stores them.
    const limit = new Decimal(q.value.bid!).minus(500).toFixed();
    const preview = await engine.call('order.preview', { venue: 'paper', symbol: 'BTC/USD', side: 'buy', type: 'limit', qty: '0.01', limitPrice: limit, tif: 'gtc' });
    expect(preview.ok && preview.value.allowed).toBe(true);
    if (preview.ok) {
      expect(preview.value.route).toBe('paper');
      expect(preview.value.estNotional).toBe(new Decimal(limit).mul('0.01').toDecimalPlaces(2).toFixed());
      // Resting: maker fee 0.10 %.
      expect(preview.value.estFee).toBe(new Decimal(limit).mul('0.01').mul('0.001').toDecimalPlaces(2).toFixed());
    }
    const placed = await engine.call('order.place', { venue: 'paper', symbol: 'BTC/USD', side: 'buy', type: 'limit', qty: '0.01', limitPrice: limit, tif: 'gtc' });
    expect(placed.ok).toBe(true);
    if (!placed.ok) return;
    expect(placed.value.status).toBe('accepted');

    paper().source.setMid('paper:BTC-USD', new Decimal(limit).minus(100));
    clock.advance(1000);
    paper().tick();

    const orders = await engine.call('orders.list', { all: true });
    const o = orders.ok ? orders.value.find((x) => x.id === placed.value.id) : undefined;
    expect(o?.status).toBe('filled');
    expect(o?.avgFillPrice).toBe(limit);
    const positions = await engine.call('positions.list', {});
    expect(positions.ok && positions.value.map((p) => [p.symbol, p.qty, p.avgPrice])).toEqual([['BTC/USD', '0.01', limit]]);
    const balances = await engine.call('balances.list', {});
    const usd = balances.ok ? balances.value.find((b) => b.asset === 'USD') : undefined;
    const cost = new Decimal(limit).mul('0.01');
    const fee = cost.mul('0.001').toDecimalPlaces(2);
    expect(usd?.total).toBe(new Decimal(100000).minus(cost).minus(fee).toFixed());
    expect(events.some((e) => e.type === 'fill')).toBe(true);
    expect(events.some((e) => e.type === 'position')).toBe(true);
  });

  it('a market order walks the book and pays the taker fee', async () => {
    const placed = await engine.call('order.place', { venue: 'paper', symbol: 'AAPL', side: 'buy', type: 'market', qty: '10', tif: 'day' });
    expect(placed.ok).toBe(true);
    if (!placed.ok) return;
    expect(placed.value.status).toBe('filled');
    const fills = await engine.call('fills.list', {});
    const f = fills.ok ? fills.value.filter((x) => x.orderId === placed.value.id) : [];
    expect(f.length).toBeGreaterThan(0);
    expect(f.every((x) => x.liquidity === 'taker')).toBe(true);
  });

  it('refuses bad input with specific codes and writes nothing', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ venue: 'paper', symbol: 'BTC/USD', side: 'buy', type: 'limit', qty: '0', limitPrice: '1' }, 'invalid_quantity'],
      [{ venue: 'paper', symbol: 'BTC/USD', side: 'buy', type: 'limit', qty: 'abc', limitPrice: '1' }, 'invalid_quantity'],
      [{ venue: 'paper', symbol: 'BTC/USD', side: 'buy', type: 'limit', qty: '0.000001', limitPrice: '1' }, 'quantity_too_precise'],
      [{ venue: 'paper', symbol: 'AAPL', side: 'buy', type: 'limit', qty: '1', limitPrice: '100.001' }, 'price_too_precise'],
      [{ venue: 'paper', symbol: 'ES:FUT:20261218', side: 'buy', type: 'limit', qty: '1', limitPrice: '6000.1' }, 'price_off_tick'],
      [{ venue: 'paper', symbol: 'AAPL', side: 'buy', type: 'limit', qty: '1' }, 'missing_limit_price'],
      [{ venue: 'nowhere', symbol: 'AAPL', side: 'buy', type: 'limit', qty: '1', limitPrice: '1' }, 'unknown_venue'],
      [{ venue: 'paper', symbol: 'ZZZZ', side: 'buy', type: 'limit', qty: '1', limitPrice: '1' }, 'unknown_instrument'],
      [{ venue: 'paper', symbol: 'AAPL', side: 'hold', type: 'limit', qty: '1', limitPrice: '1' }, 'invalid_input'],
      [{ venue: 'paper', symbol: 'AAPL', side: 'buy', type: 'limit', qty: '100000', limitPrice: '200' }, 'insufficient_funds'],
      [{ venue: 'paper', symbol: 'BTC/USD', side: 'sell', type: 'limit', qty: '1', limitPrice: '200000' }, 'insufficient_position'],
    ];
    for (const [input, code] of cases) {
      const r = await engine.callRaw('order.place', input);
      expect(r.ok ? 'ok' : r.error.code, JSON.stringify(input)).toBe(code);
      if (!r.ok) expect(r.error.message.length).toBeGreaterThan(10);
    }
    const orders = await engine.call('orders.list', { all: true });
    expect(orders.ok && orders.value).toEqual([]);
    const unknown = await engine.callRaw('order.explode', {});
    expect(!unknown.ok && unknown.error.code).toBe('unknown_command');
  });

  it('a resting order survives a restart and can still fill; history is kept', async () => {
    const q = await engine.call('quote.get', { venue: 'paper', symbol: 'ETH/USD' });
    if (!q.ok) throw new Error('no quote');
    const limit = new Decimal(q.value.bid!).minus(50).toFixed(2);
    const placed = await engine.call('order.place', { venue: 'paper', symbol: 'ETH/USD', side: 'buy', type: 'limit', qty: '1', limitPrice: limit, tif: 'gtc', clientOrderId: 'restart-1' });
    expect(placed.ok && placed.value.status).toBe('accepted');
    await engine.close();

    clock.advance(60_000);
    engine = await start();
    const working = await engine.call('orders.list', {});
    expect(working.ok && working.value.map((o) => [o.clientOrderId, o.status])).toEqual([['restart-1', 'accepted']]);

    paper().source.setMid('paper:ETH-USD', new Decimal(limit).minus(10));
    clock.advance(1000);
    paper().tick();
    const all = await engine.call('orders.list', { all: true });
    expect(all.ok && all.value[0]!.status).toBe('filled');
    // Same client id again after the restart: the same order, not a second one.
    const again = await engine.call('order.place', { venue: 'paper', symbol: 'ETH/USD', side: 'buy', type: 'limit', qty: '1', limitPrice: limit, tif: 'gtc', clientOrderId: 'restart-1' });
    expect(again.ok && again.value.id).toBe(placed.ok && placed.value.id);
    const count = await engine.call('orders.list', { all: true });
    expect(count.ok && count.value.length).toBe(1);
  });

  it('cancel and cancel-all', async () => {
    const q = await engine.call('quote.get', { venue: 'paper', symbol: 'SOL/USD' });
    if (!q.ok) throw new Error('no quote');
    // 3 % below the bid: resting, and inside the default 5 % price collar (domain/risk-limits.ts) that now guards every place.
    const px = new Decimal(q.value.bid!).mul('0.97').toDecimalPlaces(3).toFixed();
    for (let i = 0; i < 3; i++) {
      const r = await engine.call('order.place', { venue: 'paper', symbol: 'SOL/USD', side: 'buy', type: 'limit', qty: '1', limitPrice: px, tif: 'gtc' });
      expect(r.ok).toBe(true);
    }
    const list = await engine.call('orders.list', {});
    const first = list.ok ? list.value[0]! : undefined;
    const c = await engine.call('order.cancel', { id: first!.clientOrderId });
    expect(c.ok && c.value.status).toBe('cancelled');
    const all = await engine.call('order.cancelAll', {});
    expect(all.ok && all.value.requested).toBe(2);
    const left = await engine.call('orders.list', {});
    expect(left.ok && left.value).toEqual([]);
    const again = await engine.call('order.cancel', { id: first!.id });
    expect(!again.ok && again.error.code).toBe('order_not_cancellable');
  });

  it('removing a venue tells every subscriber, and nothing describes it afterwards', async () => {
    const added = await engine.call('venue.add', { kind: 'paper', name: 'paper-2', settings: { tickMs: '0' } });
    expect(added.ok).toBe(true);
    const events: EngineEvent[] = [];
    engine.subscribe((e) => events.push(e));
    const removed = await engine.call('venue.remove', { name: 'paper-2' });
    expect(removed.ok).toBe(true);
    const last = events.findIndex((e) => e.type === 'venueRemoved' && e.name === 'paper-2');
    expect(last).toBeGreaterThanOrEqual(0);
    expect(events.slice(last).some((e) => e.type === 'venue' && e.venue.name === 'paper-2')).toBe(false);
    const venues = await engine.call('venues.list', {});
    expect(venues.ok && venues.value.map((v) => v.name)).toEqual(['paper']);
  });
});
