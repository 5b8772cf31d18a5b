/**
 * Issue 5's order types through the ONE engine API (order.preview / order.place / order.cancel)
 * against the TWS emulator over a real socket, with the IB venue armed LIVE: trailing stops, OPG,
 * outside-RTH, brackets (parent + children, each journaled with its own client id) and OCA
 * groups. In SHADOW mode SHADOW fills come from the Paper engine: trailing stops, brackets and OCA
 * are simulated there, while OPG and extended hours are refused before anything is journaled.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src-main/engine/engine';
import type { OrderTicket } from '../../../src-main/engine/api/commands';
import type { TwsEmulator } from '../../emulators/tws';
import type { IbkrConnector } from '../../../src-main/engine/venues/ibkr';
import { engineRig, marketClock, type EngineRig } from './ibkr-harness';
import { until } from '../../support/until';
import { ibFilterTime } from '../../../src-main/engine/venues/ibkr/ibkr-mapping';

describe('engine + IB venue: advanced orders through the unified ticket', () => {
  const clock = marketClock();
  let r: EngineRig;
  let engine: Engine;
  let emu: TwsEmulator;

  beforeEach(async () => {
    r = await engineRig(clock, 'tp-ibkr-adv-');
    ({ engine, emu } = r);
    expect(r.added.ok).toBe(true);
    const mode = await engine.call('mode.set', { venue: 'ib', mode: 'live', arm: true });
    expect(mode.ok).toBe(true);
    await until(() => ib().instrument('AAPL'));
    await until(() => ib().quote('ib:265598')?.ask);
  });
  afterEach(async () => {
    await r.close();
  });

  const ib = () => engine.internals.venues.get('ib') as IbkrConnector;
  const place = async (t: Omit<OrderTicket, 'venue' | 'symbol'>) => {
    const r = await engine.call('order.place', { venue: 'ib', symbol: 'AAPL', ...t });
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value;
  };
  const all = async () => {
    const r = await engine.call('orders.list', { all: true });
    return r.ok ? r.value : [];
  };
  const byId = async (id: string) => (await all()).find((o) => o.id === id);
  const emuOrder = (venueOrderId: string | undefined) => emu.order({ clientId: 7, orderId: Number(venueOrderId) });

  it('trailing stop: previewed through whatIf, placed as TRAIL with the trail percent, triggers and fills', async () => {
    const bought = await place({ side: 'buy', type: 'market', qty: '5', tif: 'day' });
    await until(async () => (await byId(bought.id))?.status === 'filled');

    const pv = await engine.call('order.preview', { venue: 'ib', symbol: 'AAPL', side: 'sell', type: 'trailing_stop', qty: '5', trailPercent: '2', tif: 'gtc' });
    expect(pv.ok && pv.value).toMatchObject({ allowed: true, route: 'live', type: 'trailing_stop' });
    expect(pv.ok && pv.value.warnings.map((w) => w.code)).toContain('ib.margin');

    const o = await place({ side: 'sell', type: 'trailing_stop', qty: '5', trailPercent: '2', tif: 'gtc' });
    expect(o).toMatchObject({ status: 'accepted', type: 'trailing_stop', trailPercent: '2' });
    const e = emuOrder(o.venueOrderId);
    expect(e.orderType).toBe('TRAIL');
    expect(e.trailingPercent?.toFixed()).toBe('2');
    expect(e.orderRef).toBe(o.clientOrderId);
    // the market falls 3 %: the stop trails no further, triggers, and fills
    emu.setQuote('AAPL', { last: '194', bid: '193.99', ask: '194.01' });
    await until(async () => (await byId(o.id))?.status === 'filled', { timeoutMs: 5000, what: 'trailing stop filled' });
    const after = await byId(o.id);
    expect(after).toMatchObject({ type: 'trailing_stop', trailPercent: '2', filledQty: '5' });

    // a trail amount, cancelled through the engine
    emu.setQuote('AAPL', { last: '200', bid: '199.99', ask: '200.01' });
    const amt = await place({ side: 'buy', type: 'trailing_stop', qty: '1', trailAmount: '1.5', tif: 'day' });
    expect(emuOrder(amt.venueOrderId).auxPrice?.toFixed()).toBe('1.5');
    const c = await engine.call('order.cancel', { id: amt.id });
    expect(c.ok).toBe(true);
    await until(async () => (await byId(amt.id))?.status === 'cancelled');
  });

  it('OPG waits for the opening auction; outside-RTH limit works in the extended session', async () => {
    const opg = await place({ side: 'buy', type: 'market', qty: '2', tif: 'opg' });
    expect(opg).toMatchObject({ status: 'accepted', tif: 'opg' });
    expect(emuOrder(opg.venueOrderId).tif).toBe('OPG');
    emu.openingAuction();
    await until(async () => (await byId(opg.id))?.status === 'filled', { timeoutMs: 5000, what: 'OPG filled at the open' });

    emu.setAutoFill(false);
    emu.setSession('extended');
    const ext = await place({ side: 'buy', type: 'limit', qty: '1', limitPrice: '199', tif: 'day', extendedHours: true });
    expect(ext).toMatchObject({ status: 'accepted', extendedHours: true });
    expect(emuOrder(ext.venueOrderId).outsideRth).toBe(true);
    emu.setSession('regular');
  });

  it('GTD goes as tif GTD with goodTillDate in UTC, and the journal keeps the expiry', async () => {
    const expireAt = clock.now() + 86_400_000;
    const gtd = await place({ side: 'buy', type: 'limit', qty: '1', limitPrice: '150', tif: 'gtd', expireAt });
    expect(gtd).toMatchObject({ tif: 'gtd', expireAt });
    expect(emuOrder(gtd.venueOrderId)).toMatchObject({ tif: 'GTD', goodTillDate: ibFilterTime(expireAt) });
    expect(await byId(gtd.id)).toMatchObject({ tif: 'gtd', expireAt });
  });

  it('bracket: parent + 2 children journaled together with their own client ids; a fill of one child cancels the other', async () => {
    emu.setAutoFill(false);
    const pv = await engine.call('order.preview', {
      venue: 'ib',
      symbol: 'AAPL',
      side: 'buy',
      type: 'limit',
      qty: '10',
      limitPrice: '199',
      tif: 'day',
      takeProfit: { limitPrice: '210' },
      stopLoss: { stopPrice: '190' },
    });
    expect(pv.ok && pv.value.allowed).toBe(true);
    expect(pv.ok && pv.value.legs?.map((l) => [l.role, l.side, l.type, l.limitPrice ?? l.stopPrice])).toEqual([
      ['entry', 'buy', 'limit', '199'],
      ['take_profit', 'sell', 'limit', '210'],
      ['stop_loss', 'sell', 'stop', '190'],
    ]);

    const parent = await place({ side: 'buy', type: 'limit', qty: '10', limitPrice: '199', tif: 'day', takeProfit: { limitPrice: '210' }, stopLoss: { stopPrice: '190' } });
    expect(parent.status).toBe('accepted');
    const kids = (await all()).filter((o) => o.parentOrderId === parent.id);
    const tp = kids.find((k) => k.leg === 'take_profit')!;
    const sl = kids.find((k) => k.leg === 'stop_loss')!;
    expect([tp.side, tp.type, tp.limitPrice, sl.type, sl.stopPrice]).toEqual(['sell', 'limit', '210', 'stop', '190']);
    expect(new Set([parent.clientOrderId, tp.clientOrderId, sl.clientOrderId]).size).toBe(3);
    // one journal transaction: every leg's first transition is pending_submit at the same instant
    const firsts = [parent, tp, sl].map((o) => engine.internals.orders.transitions(o.id)[0]!);
    expect(firsts.map((t) => t.to)).toEqual(['pending_submit', 'pending_submit', 'pending_submit']);
    expect(new Set(firsts.map((t) => t.ts)).size).toBe(1);
    // at IB: the children carry the parent's id and our client ids in orderRef
    const [ep, etp, esl] = [parent, tp, sl].map((o) => emuOrder(o.venueOrderId));
    expect([etp!.parentId, esl!.parentId]).toEqual([ep!.orderId, ep!.orderId]);
    expect([ep!.orderRef, etp!.orderRef, esl!.orderRef]).toEqual([parent.clientOrderId, tp.clientOrderId, sl.clientOrderId]);
    // each leg is looked up by its own client id
    for (const o of [parent, tp, sl]) expect((await ib().lookup(o.clientOrderId))?.venueOrderId).toBe(o.venueOrderId);

    emu.fillOrder({ clientId: 7, orderId: ep!.orderId }, { price: '199' });
    await until(async () => (await byId(parent.id))?.status === 'filled', { timeoutMs: 5000, what: 'entry filled' });
    emu.fillOrder({ clientId: 7, orderId: etp!.orderId }, { price: '210' });
    await until(async () => (await byId(sl.id))?.status === 'cancelled', { timeoutMs: 5000, what: 'stop-loss cancelled by the take-profit fill' });
    expect((await byId(tp.id))?.status).toBe('filled');
  });

  it('bracket: cancelling the entry cancels its children', async () => {
    emu.setAutoFill(false);
    const parent = await place({ side: 'buy', type: 'limit', qty: '3', limitPrice: '198', tif: 'gtc', takeProfit: { limitPrice: '215' }, stopLoss: { stopPrice: '185', limitPrice: '184.5' } });
    const kids = (await all()).filter((o) => o.parentOrderId === parent.id);
    expect(kids.map((k) => k.type).sort()).toEqual(['limit', 'stop_limit']);
    const c = await engine.call('order.cancel', { id: parent.id });
    expect(c.ok).toBe(true);
    await until(
      async () => {
        const rows = await all();
        return [parent.id, ...kids.map((k) => k.id)].every((id) => rows.find((o) => o.id === id)?.status === 'cancelled');
      },
      { timeoutMs: 5000, what: 'entry and children cancelled' },
    );
    expect(emu.openOrders()).toEqual([]);
  });

  it('OCA group: two orders in one group; a fill of one cancels the other', async () => {
    emu.setAutoFill(false);
    const a = await place({ side: 'buy', type: 'limit', qty: '1', limitPrice: '195', tif: 'day', ocaGroup: 'g1' });
    const b = await place({ side: 'buy', type: 'limit', qty: '1', limitPrice: '196', tif: 'day', ocaGroup: 'g1' });
    expect(emuOrder(a.venueOrderId).ocaGroup).toBe('g1');
    expect(b.ocaGroup).toBe('g1');
    emu.fillOrder({ clientId: 7, orderId: Number(b.venueOrderId) });
    await until(async () => (await byId(a.id))?.status === 'cancelled', { timeoutMs: 5000, what: 'OCA sibling cancelled' });
    expect((await byId(b.id))?.status).toBe('filled');
  });

  it('refuses FOK on IB, and every advanced order in SHADOW mode, before journaling', async () => {
    const count = async () => (await all()).length;
    const before = await count();
    const fok = await engine.call('order.place', { venue: 'ib', symbol: 'AAPL', side: 'buy', type: 'limit', qty: '1', limitPrice: '150', tif: 'fok' });
    expect(!fok.ok && fok.error).toMatchObject({ code: 'unsupported_order', message: expect.stringMatching(/^Interactive Brokers \(ib\) does not support FOK orders — use IOC/) });

    expect((await engine.call('mode.set', { venue: 'ib', mode: 'shadow' })).ok).toBe(true);
    // What the Paper engine cannot simulate (OPG, extended hours) is refused in SHADOW, naming LIVE as the way to it.
    const opg = await engine.call('order.place', { venue: 'ib', symbol: 'AAPL', side: 'buy', type: 'limit', qty: '1', limitPrice: '196', tif: 'opg' });
    expect(!opg.ok && opg.error.code).toBe('unsupported_order');
    expect(!opg.ok && opg.error.message).toMatch(/SHADOW mode \(simulated by the Paper engine\) does not support OPG orders — .*, or arm LIVE to send it to Interactive Brokers\./);
    const ext = await engine.call('order.preview', { venue: 'ib', symbol: 'AAPL', side: 'buy', type: 'limit', qty: '1', limitPrice: '199', tif: 'day', extendedHours: true });
    expect(!ext.ok && ext.error.code).toBe('unsupported_order');
    // trailing stops (and brackets, OCA) are simulated in SHADOW by the Paper engine; a plain order works too
    const trail = await engine.call('order.place', { venue: 'ib', symbol: 'AAPL', side: 'sell', type: 'trailing_stop', qty: '1', trailAmount: '1', tif: 'day' });
    expect(trail.ok && trail.value.route).toBe('shadow');
    const plain = await engine.call('order.place', { venue: 'ib', symbol: 'AAPL', side: 'buy', type: 'limit', qty: '1', limitPrice: '196', tif: 'day' });
    expect(plain.ok && plain.value.route).toBe('shadow');
    expect(await count()).toBe(before + 2);
    // nothing reached TWS: FOK refused before journaling, the SHADOW orders never leave the engine
    expect(emu.orders()).toEqual([]);
  });
});
