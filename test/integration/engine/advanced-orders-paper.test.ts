/**
 * Advanced orders on the Paper venue through the engine (`order.place`), with restarts between
 * steps: trailing stops, brackets and OCA groups are simulated by the Paper matching engine. OPG
 * and extended hours stay refused with `unsupported_order`, naming Paper and the alternative,
 * before anything is journaled (no order row, no client id used).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineRig, type EngineRig } from '../../support/engine-rig';
import type { Engine } from '../../../src-main/engine/engine';
import type { OrderTicket } from '../../../src-main/engine/api/commands';
import { Decimal } from '../../../src-main/engine/domain/money';
import type { ManualClock } from '../../../src-main/engine/ports/clock';
import type { PaperVenue } from '../../../src-main/engine/venues/paper';

const AAPL = 'paper:AAPL';

describe('Paper: advanced orders', () => {
  let rig: EngineRig;
  let clock: ManualClock;
  let engine: Engine;
  const start = async () => (rig.engine = await rig.startEngine());
  const paper = () => engine.internals.venues.get('paper') as PaperVenue;
  const restart = async () => {
    await engine.close();
    clock.advance(1000);
    engine = await start();
  };
  /** Moves AAPL's mid and lets Paper match (the price walk moves it a few cents more). */
  const market = (mid: string) => {
    paper().source.setMid(AAPL, new Decimal(mid));
    clock.advance(1000);
    paper().tick();
  };
  const byCid = (cid: string) => engine.internals.orders.byClientId(cid);
  const place = async (t: Partial<OrderTicket>) => {
    const r = await engine.call('order.place', { venue: 'paper', symbol: 'AAPL', side: 'buy', type: 'limit', qty: '10', tif: 'gtc', ...t });
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value;
  };

  beforeEach(async () => {
    rig = await engineRig({ prefix: 'tp-adv-paper-' });
    ({ clock, engine } = rig);
    market('230');
  });
  afterEach(() => rig.close());

  const refused: Array<[string, Partial<OrderTicket>, RegExp]> = [
    ['OPG', { type: 'limit', limitPrice: '200', tif: 'opg' }, /^Paper does not support OPG orders — use a DAY limit order at the open\.$/],
    ['extended hours', { type: 'limit', limitPrice: '200', extendedHours: true }, /^Paper does not support extended-hours orders/],
  ];
  for (const [what, t, msg] of refused) {
    it(`${what}: still unsupported_order on preview and place, nothing journaled`, async () => {
      const ticket = { venue: 'paper', symbol: 'AAPL', side: 'buy' as const, type: 'limit' as const, qty: '1', tif: 'day' as const, ...t, clientOrderId: 'adv-paper-1' };
      const pv = await engine.call('order.preview', ticket);
      expect(!pv.ok && pv.error).toMatchObject({ code: 'unsupported_order', message: expect.stringMatching(msg) });
      const r = await engine.call('order.place', ticket);
      expect(!r.ok && r.error).toMatchObject({ code: 'unsupported_order', message: expect.stringMatching(msg) });
      expect(engine.internals.orders.byClientId('adv-paper-1')).toBeUndefined();
    });
  }

  it('a ticket-level mistake is named before the venue is asked (trail amount and percent both)', async () => {
    const r = await engine.call('order.place', { venue: 'paper', symbol: 'AAPL', side: 'sell', type: 'trailing_stop', qty: '1', trailAmount: '1', trailPercent: '2', tif: 'day' });
    expect(!r.ok && r.error.code).toBe('invalid_trail');
  });

  it('trailing stop: previewed, placed, trails the market up, survives a restart at its stop, then triggers', async () => {
    await place({ type: 'market', tif: 'day', clientOrderId: 'long-1' });
    expect(byCid('long-1')?.status).toBe('filled');
    const pv = await engine.call('order.preview', { venue: 'paper', symbol: 'AAPL', side: 'sell', type: 'trailing_stop', qty: '10', trailAmount: '2', tif: 'gtc' });
    expect(pv.ok && pv.value.allowed).toBe(true);
    const ts = await place({ side: 'sell', type: 'trailing_stop', trailAmount: '2', clientOrderId: 'trail-1' });
    expect(ts).toMatchObject({ status: 'accepted', type: 'trailing_stop', trailAmount: '2' });
    const stop0 = new Decimal(paper().matching.get(ts.venueOrderId!)!.trailStop!);
    expect(stop0.gt(226) && stop0.lt(230)).toBe(true);

    market('240');
    const row = paper().matching.get(ts.venueOrderId!)!;
    expect(new Decimal(row.trailStop!).eq(new Decimal(row.trailExtreme!).minus(2))).toBe(true);
    expect(new Decimal(row.trailStop!).gt(236)).toBe(true);

    await restart();
    // The restarted engine resumes from the persisted extreme, not from today's bid.
    expect(paper().matching.get(ts.venueOrderId!)).toMatchObject({ trailExtreme: row.trailExtreme, trailStop: row.trailStop });
    market('239'); // above the stop: still working
    expect(byCid('trail-1')?.status).toBe('accepted');
    market('234'); // through the stop: sells at market
    const done = byCid('trail-1')!;
    expect(done).toMatchObject({ status: 'filled', filledQty: '10' });
    expect(new Decimal(done.avgFillPrice).lte(row.trailStop!)).toBe(true);
    const pos = await engine.call('positions.list', {});
    expect(pos.ok && pos.value.filter((p) => p.symbol === 'AAPL')).toEqual([]);
  });

  it("trailing stop: the engine's order carries the live stop (trailStop), one event per move of the stop, kept across a restart", async () => {
    await place({ type: 'market', tif: 'day', clientOrderId: 'long-2' });
    const ts = await place({ side: 'sell', type: 'trailing_stop', trailAmount: '2', clientOrderId: 'trail-2' });
    const live = () => paper().matching.get(ts.venueOrderId!)!;
    // Set as soon as Paper accepted it and saw the book.
    expect(byCid('trail-2')!.trailStop).toBe(live().trailStop);
    expect(byCid('trail-2')!.stopPrice).toBeUndefined();

    const events: Array<{ trailStop?: string; status: string }> = [];
    const off = engine.subscribe((e) => {
      if (e.type === 'order' && e.order.clientOrderId === 'trail-2') events.push({ status: e.order.status, ...(e.order.trailStop ? { trailStop: e.order.trailStop } : {}) });
    });
    const stop0 = byCid('trail-2')!.trailStop!;
    market('240'); // up: a new extreme moves the stop
    const stop1 = live().trailStop!;
    expect(new Decimal(stop1).gt(new Decimal(stop0).plus(5))).toBe(true);
    expect(byCid('trail-2')).toMatchObject({ status: 'accepted', trailStop: stop1 });
    expect(events.length).toBeGreaterThan(0);
    expect(events.at(-1)).toEqual({ status: 'accepted', trailStop: stop1 });
    // Every event says something new: no two in a row with the same stop.
    for (let i = 1; i < events.length; i++) expect(events[i]!.trailStop).not.toBe(events[i - 1]!.trailStop);
    const listed = await engine.call('orders.list', {});
    expect(listed.ok && listed.value.find((o) => o.clientOrderId === 'trail-2')?.trailStop).toBe(stop1);

    // Down but above the stop: no new extreme, the stop stays, and nothing floods the event stream.
    events.length = 0;
    market('239.5');
    expect(live().trailStop).toBe(stop1);
    expect(events).toEqual([]);
    off();

    await restart();
    expect(byCid('trail-2')).toMatchObject({ status: 'accepted', trailStop: stop1 });
    market('234'); // through the stop
    expect(byCid('trail-2')).toMatchObject({ status: 'filled', trailStop: stop1 });
  });

  it('bracket: children held through a restart, activated by the entry fill, take-profit fill cancels the stop-loss', async () => {
    const entry = await place({ limitPrice: '228', takeProfit: { limitPrice: '236' }, stopLoss: { stopPrice: '222' }, clientOrderId: 'br-1' });
    expect(entry.status).toBe('accepted');
    const kids = engine.internals.orders.children(entry.id);
    expect(kids.map((k) => [k.leg, k.side, k.type, k.qty, k.status])).toEqual([
      ['take_profit', 'sell', 'limit', '10', 'accepted'],
      ['stop_loss', 'sell', 'stop', '10', 'accepted'],
    ]);
    const [tp, sl] = kids;

    await restart();
    // Held: a market through the take-profit does nothing to it while the entry has not filled.
    market('238');
    expect(byCid(tp!.clientOrderId)?.status).toBe('accepted');
    expect(byCid('br-1')?.status).toBe('accepted');

    market('226'); // entry fills
    expect(byCid('br-1')).toMatchObject({ status: 'filled', filledQty: '10' });
    await restart();
    market('238'); // take-profit fills, stop-loss cancelled
    expect(byCid(tp!.clientOrderId)).toMatchObject({ status: 'filled', filledQty: '10' });
    expect(byCid(sl!.clientOrderId)).toMatchObject({ status: 'cancelled', rejectReason: `OCA: ${tp!.clientOrderId} filled` });
    const pos = await engine.call('positions.list', {});
    expect(pos.ok && pos.value.filter((p) => p.symbol === 'AAPL')).toEqual([]);
  });

  it('bracket: cancelling the entry cancels its held children', async () => {
    const entry = await place({ limitPrice: '225', takeProfit: { limitPrice: '235' }, stopLoss: { stopPrice: '220' } });
    const r = await engine.call('order.cancel', { id: entry.id });
    expect(r.ok && r.value.status).toBe('cancelled');
    expect(engine.internals.orders.children(entry.id).map((c) => c.status)).toEqual(['cancelled', 'cancelled']);
    expect(await paper().openOrders()).toEqual([]);
  });

  it('bracket on crypto: held exits reserve no coins; active exits reserve the coins the entry bought, once', async () => {
    const sol = 'paper:SOL-USD';
    const q = paper().quote(sol)!;
    const bid = new Decimal(q.bid!);
    const free = async () => {
      const b = await engine.call('balances.list', {});
      return b.ok ? b.value.find((x) => x.asset === 'SOL')?.available : undefined;
    };
    const entry = await engine.call('order.place', {
      venue: 'paper',
      symbol: 'SOL/USD',
      side: 'buy',
      type: 'market',
      qty: '2',
      tif: 'day',
      takeProfit: { limitPrice: bid.mul('1.04').toDecimalPlaces(3).toFixed() },
      stopLoss: { stopPrice: bid.mul('0.96').toDecimalPlaces(3).toFixed() },
    });
    if (!entry.ok) throw new Error(entry.error.message);
    expect(entry.value.status).toBe('filled');
    // 2 SOL held, both exits protect the same 2: none free (not −2).
    expect(await free()).toBe('0');
    const extra = await engine.call('order.place', { venue: 'paper', symbol: 'SOL/USD', side: 'sell', type: 'limit', qty: '1', limitPrice: bid.mul('1.03').toDecimalPlaces(3).toFixed(), tif: 'gtc' });
    expect(!extra.ok && extra.error.message).toMatch(/free to sell/);
  });

  it('OCA pair: survives a restart; the first fill cancels the other', async () => {
    const a = await place({ limitPrice: '226', ocaGroup: 'dip', clientOrderId: 'oca-a' });
    const b = await place({ limitPrice: '222', ocaGroup: 'dip', clientOrderId: 'oca-b' });
    expect([a.status, b.status, a.ocaGroup]).toEqual(['accepted', 'accepted', 'dip']);
    await restart();
    market('225');
    expect(byCid('oca-a')).toMatchObject({ status: 'filled', filledQty: '10' });
    expect(byCid('oca-b')).toMatchObject({ status: 'cancelled', rejectReason: 'OCA: oca-a filled' });
    market('220'); // the cancelled one stays cancelled
    expect(byCid('oca-b')?.filledQty).toBe('0');
  });

  it('OCO exit pair: two orders journaled together in one group, sent as an OCA pair; it survives a restart and the stop filling cancels the take-profit', async () => {
    await place({ type: 'market', tif: 'day', qty: '10', clientOrderId: 'oco-own' });
    expect(byCid('oco-own')?.status).toBe('filled');
    const pv = await engine.call('order.preview', { venue: 'paper', symbol: 'AAPL', side: 'sell', type: 'limit', qty: '10', tif: 'gtc', limitPrice: '240', oco: true, stopLoss: { stopPrice: '221' } });
    expect(pv.ok && pv.value.legs).toEqual([
      { role: 'take_profit', side: 'sell', type: 'limit', qty: '10', tif: 'gtc', limitPrice: '240' },
      { role: 'stop_loss', side: 'sell', type: 'stop', qty: '10', tif: 'gtc', stopPrice: '221' },
    ]);
    const tp = await place({ side: 'sell', limitPrice: '240', oco: true, stopLoss: { stopPrice: '221' }, clientOrderId: 'oco-tp' });
    expect(tp).toMatchObject({ status: 'accepted', leg: 'take_profit', ocaGroup: 'oco-oco-tp', type: 'limit', limitPrice: '240' });
    const sl = engine.internals.orders.list({ venue: 'paper', workingOnly: true, limit: 100 }).find((o) => o.leg === 'stop_loss')!;
    expect(sl).toMatchObject({ status: 'accepted', side: 'sell', type: 'stop', stopPrice: '221', qty: '10', ocaGroup: 'oco-oco-tp' });
    expect(sl.limitPrice).toBeUndefined();
    // A double-click repeats the same ticket and client id: the same order, nothing new.
    expect((await place({ side: 'sell', limitPrice: '240', oco: true, stopLoss: { stopPrice: '221' }, clientOrderId: 'oco-tp' })).id).toBe(tp.id);
    expect(engine.internals.orders.list({ venue: 'paper', workingOnly: true, limit: 100 })).toHaveLength(2);
    // The same client id with another stop-loss is another pair, not a repeat: refused, nothing sent.
    const moved = await engine.call('order.place', {
      venue: 'paper',
      symbol: 'AAPL',
      side: 'sell',
      type: 'limit',
      qty: '10',
      tif: 'gtc',
      limitPrice: '240',
      oco: true,
      stopLoss: { stopPrice: '220' },
      clientOrderId: 'oco-tp',
    });
    expect(!moved.ok && moved.error.code).toBe('duplicate_client_order_id');
    expect(engine.internals.orders.list({ venue: 'paper', workingOnly: true, limit: 100 })).toHaveLength(2);
    await restart();
    market('219');
    expect(engine.internals.orders.byId(sl.id)).toMatchObject({ status: 'filled', filledQty: '10' });
    expect(byCid('oco-tp')).toMatchObject({ status: 'cancelled', filledQty: '0' });
  });
});
