/**
 * Every pre-trade risk check blocks and explains through the engine (preview lists it, place
 * refuses with it and journals nothing), the kill switch stops a strategy that keeps sending,
 * and the audit log records all of it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../src-main/engine/api/engine-api';
import { Decimal } from '../../../src-main/engine/domain/money';
import type { PaperVenue } from '../../../src-main/engine/venues/paper';
import { makeHarness, type Harness } from './harness';
import { windowCall } from '../../support/window-call';

const user: CallContext = { actor: 'user', transport: 'ipc' };
const strategy: CallContext = { actor: 'strategy', transport: 'internal', strategyId: 'loop-1' };
const limitBuy = (qty: string, px = '99.5') => ({ venue: 'scripted', symbol: 'XYZ/USD', side: 'buy', type: 'limit', qty, limitPrice: px, tif: 'gtc' }) as const;

describe('pre-trade risk through the engine', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await makeHarness();
    await h.ok('mode.set', { venue: 'scripted', mode: 'live', arm: true });
  });
  afterEach(async () => {
    await h.close();
  });

  /** Preview lists the code with a message, place refuses with it, nothing new is journaled or sent. */
  async function expectBlocked(ticket: Record<string, unknown>, code: string, message: RegExp, ctx: CallContext = user, errorCode = 'risk_violation') {
    const before = (await h.ok('orders.list', { all: true })).length;
    const sent = h.venue().submitLog.length;
    const p = await h.ok('order.preview', ticket, ctx);
    expect(p.allowed).toBe(false);
    const v = p.violations.find((x) => x.code === code);
    expect(v, `${code} in ${JSON.stringify(p.violations)}`).toBeDefined();
    expect(v!.message).toMatch(message);
    const r = await windowCall(h.engine, 'order.place', ticket, ctx);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe(errorCode);
    expect(r.error.message).toContain(v!.message);
    expect((r.error.details!.violations as Array<{ code: string }>).map((x) => x.code)).toContain(code);
    expect((await h.ok('orders.list', { all: true })).length).toBe(before);
    expect(h.venue().submitLog.length).toBe(sent);
  }

  it('max order quantity (per instrument) and max order notional (global), all violations listed at once', async () => {
    const set = await h.ok('risk.set', { key: 'max_order_qty', value: '5', venue: 'scripted', symbol: 'XYZ' }, user);
    expect(set).toMatchObject({ instrumentId: 'scripted:XYZ', value: '5', effective: { value: '5', scope: 'limit for XYZ/USD on scripted' } });
    await h.ok('risk.set', { key: 'max_order_notional', value: '1000' }, user);
    await expectBlocked(limitBuy('6'), 'risk.max_order_qty', /Order quantity 6 exceeds your max order quantity of 5 \(limit for XYZ\/USD on scripted\)/);
    const p = await h.ok('order.preview', limitBuy('20'));
    expect(p.violations.map((v) => v.code)).toEqual(expect.arrayContaining(['risk.max_order_qty', 'risk.max_order_notional']));
    expect((await h.ok('order.place', limitBuy('5'))).status).toBe('accepted');
    const shown = await h.ok('risk.get', { venue: 'scripted', symbol: 'XYZ/USD' });
    expect(shown.effective.find((l) => l.key === 'max_order_qty')).toEqual({ key: 'max_order_qty', value: '5', scope: 'limit for XYZ/USD on scripted' });
    expect(shown.effective.find((l) => l.key === 'max_order_notional')).toEqual({ key: 'max_order_notional', value: '1000', scope: 'global limit' });
  });

  it('max position quantity counts working orders; max position notional; concentration of equity', async () => {
    await h.ok('risk.set', { key: 'max_position_qty', value: '10', venue: 'scripted' });
    await h.ok('order.place', limitBuy('8'));
    await expectBlocked(limitBuy('3'), 'risk.max_position_qty', /resulting long position in XYZ\/USD 11 exceeds your max position quantity of 10/);
    await h.ok('risk.set', { key: 'max_position_qty', value: 'inherit', venue: 'scripted' });
    await h.ok('risk.set', { key: 'max_position_notional', value: '1500' });
    await expectBlocked(limitBuy('8'), 'risk.max_position_notional', /exceeds your max position notional of 1,500.00 USD/);
    await h.ok('risk.set', { key: 'max_position_notional', value: 'off' });
    // Equity is the venue's 1,000,000 USD: 0.1 % of it is 1,000.
    await h.ok('risk.set', { key: 'max_concentration_pct', value: '0.1' });
    await expectBlocked(limitBuy('8'), 'risk.concentration', /XYZ\/USD would be .* of your equity .* exceeds your max concentration of 0.10 %/);
  });

  it('price collar, stale quote and no quote', async () => {
    await expectBlocked(limitBuy('1', '110'), 'risk.price_collar', /Limit price 110 is 10.00 % above the mid price of 100, outside your price collar of 5.00 %.*Blocked: on the aggressive side/);
    // The passive side of the same distance (a deep bid) is a warning the preview shows, not a block.
    const deep = await h.ok('order.preview', limitBuy('1', '90'));
    expect(deep.allowed).toBe(true);
    expect(deep.warnings.find((w) => w.code === 'risk.price_collar_passive')?.message).toMatch(/10.00 % below the mid price of 100.*Warning only: on the passive side/);
    h.venue().quotesAlwaysFresh = false;
    h.venue().setQuote('99.99', '100.01');
    h.clock.advance(30_000);
    const mkt = { venue: 'scripted', symbol: 'XYZ/USD', side: 'buy', type: 'market', qty: '1', tif: 'ioc' };
    await expectBlocked(mkt, 'risk.stale_quote', /30.0 s old \(max quote age 10.0 s, default limit\)/);
    h.venue().noQuote = true;
    // The venue-level check speaks first for a missing quote: code no_quote.
    await expectBlocked(mkt, 'no_quote', /no quote for XYZ\/USD/, user, 'no_quote');
  });

  it('max open orders and max orders per minute per strategy (the runaway-loop guard)', async () => {
    await h.ok('risk.set', { key: 'max_open_orders', value: '2', venue: 'scripted' });
    await h.ok('order.place', limitBuy('1'));
    await h.ok('order.place', limitBuy('1'));
    await expectBlocked(limitBuy('1'), 'risk.max_open_orders', /You have 2 open orders on scripted; one more exceeds your max open orders of 2/);
    await h.ok('risk.set', { key: 'max_open_orders', value: 'off', venue: 'scripted' });
    await h.ok('risk.set', { key: 'max_orders_per_minute', value: '3' });
    for (let i = 0; i < 3; i++) await h.ok('order.place', limitBuy('1'), strategy);
    await expectBlocked(limitBuy('1'), 'risk.order_rate', /3 orders were placed by strategy loop-1 in the last minute/, strategy);
    // The user's own orders are counted apart from the strategy's.
    expect((await h.ok('order.place', limitBuy('1'), user)).status).toBe('accepted');
    h.clock.advance(61_000);
    expect((await h.ok('order.place', limitBuy('1'), strategy)).status).toBe('accepted');
  });

  it('max orders per minute counts modifies too: a loop re-pricing one order is stopped like one placing', async () => {
    await h.ok('risk.set', { key: 'max_orders_per_minute', value: '3' });
    const o = await h.ok('order.place', limitBuy('1', '99.50'), strategy); // 1 in the window
    await h.ok('order.replace', { id: o.id, limitPrice: '99.60' }, strategy); // 2
    await h.ok('order.replace', { id: o.id, limitPrice: '99.70' }, strategy); // 3
    const sent = h.venue().replaceCalls;
    const r = await h.engine.call('order.replace', { id: o.id, limitPrice: '99.80' }, strategy);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('risk_violation');
    expect(r.error.message).toMatch(
      /3 orders were placed or modified by strategy loop-1 in the last minute \(2 of them modifies\); your max orders per minute is 3 \(global limit\) and counts modifies too/,
    );
    expect((r.error.details!.violations as Array<{ code: string }>).map((x) => x.code)).toEqual(['risk.order_rate']);
    // Refused before the journal and the venue: the order works on at its last price.
    expect(h.venue().replaceCalls).toBe(sent);
    expect(h.engine.internals.orders.byId(o.id)).toMatchObject({ status: 'accepted', limitPrice: '99.7' });
    const breach = await h.ok('audit.list', { action: 'risk.breach' });
    expect(breach[0]).toMatchObject({ actor: 'strategy', detail: { clientOrderId: o.clientOrderId, replace: { limitPrice: '99.8' } } });
    // A new order from the same strategy is refused by the same count.
    await expectBlocked(limitBuy('1'), 'risk.order_rate', /3 orders were placed or modified by strategy loop-1/, strategy);

    // The user's modifies are counted apart; one the venue refuses still reached it, so it counts.
    h.venue().replaceScript.push('reject');
    const rej = await h.engine.call('order.replace', { id: o.id, limitPrice: '99.80' }, user);
    expect(!rej.ok && rej.error.code).toBe('venue_rejected');
    await h.ok('order.replace', { id: o.id, limitPrice: '99.80' }, user);
    await h.ok('order.replace', { id: o.id, limitPrice: '99.90' }, user);
    const calls = h.venue().replaceCalls;
    const fourth = await h.engine.call('order.replace', { id: o.id, limitPrice: '99.95' }, user);
    expect(!fourth.ok && fourth.error.message).toMatch(/3 orders were placed or modified by anyone on scripted in the last minute \(3 of them modifies\)/);
    expect(h.venue().replaceCalls).toBe(calls);

    // The window slides: a minute later the strategy may modify again.
    h.clock.advance(61_000);
    expect((await h.ok('order.replace', { id: o.id, limitPrice: '99.95' }, strategy)).limitPrice).toBe('99.95');
  });

  it('market session rules: a stop order on a US equity is refused outside regular hours', async () => {
    // Saturday: US equities closed.
    h.clock.set(Date.UTC(2026, 10, 21, 15, 0, 0));
    await expectBlocked(
      { venue: 'paper', symbol: 'AAPL', side: 'buy', type: 'stop', qty: '1', stopPrice: '500', tif: 'gtc' },
      'risk.session',
      /Stop orders for AAPL are refused outside regular US equity hours/,
    );
  });

  it('daily loss: a realized loss trips the kill switch to REDUCING; only reducing orders pass until reset', async () => {
    await h.ok('risk.set', { key: 'daily_loss_limit', value: '40' });
    const told: string[] = [];
    h.engine.subscribe((e) => {
      if (e.type === 'dailyLoss') told.push(`${e.alert.level} ${e.alert.loss}/${e.alert.limit} ${e.alert.currency}`);
    });
    const buy = await h.ok('order.place', limitBuy('2', '100'));
    h.venue().fill(buy.clientOrderId, '2', '100');
    const sell = await h.ok('order.place', { ...limitBuy('1', '99'), side: 'sell' });
    h.venue().fill(sell.clientOrderId, '1', '50'); // a terrible fill: realized -50
    await h.engine.internals.idle();
    const st = await h.ok('killSwitch.status', {});
    expect(st.state).toBe('reducing');
    expect(st.actor).toBe('system');
    expect(st.reason).toMatch(/Daily loss limit reached/);
    // The alerts hear of it once (the jump past the limit is a hit, not a near).
    expect(told).toEqual(['hit 50.00/40 USD']);
    await expectBlocked(limitBuy('1'), 'risk.daily_loss', /has reached your daily loss limit of 40.00 USD/, user, 'halted');
    // Selling the remaining 1 reduces the position: allowed in REDUCING.
    expect((await h.ok('order.place', { ...limitBuy('1', '99.5'), side: 'sell' })).status).toBe('accepted');
    const audit = await h.ok('audit.list', { action: 'killSwitch.trip' });
    expect(audit[0]).toMatchObject({ actor: 'system', detail: { to: 'reducing' } });
  });

  it('the audit log records risk settings and every refused order with its violations; CSV export quotes properly', async () => {
    await h.ok('risk.set', { key: 'max_order_qty', value: '1', venue: 'scripted', symbol: 'XYZ' }, { actor: 'cli', transport: 'cli' });
    await windowCall(h.engine, 'order.place', limitBuy('2'), user);
    const bad = await h.engine.call('risk.set', { key: 'max_order_qty', value: 'lots' }, user);
    expect(!bad.ok && bad.error.code).toBe('invalid_input');
    const sets = await h.ok('audit.list', { action: 'risk.set' });
    expect(sets.map((e) => [e.actor, e.ok, (e.detail.input as { value: string }).value])).toEqual([
      ['user', false, 'lots'],
      ['cli', true, '1'],
    ]);
    const breaches = await h.ok('audit.list', { action: 'risk.breach', venue: 'scripted', actor: 'user' });
    expect(breaches).toHaveLength(1);
    expect((breaches[0]!.detail.violations as Array<{ code: string }>).map((v) => v.code)).toEqual(['risk.max_order_qty']);
    const { csv, rows } = await h.ok('audit.csv', { action: 'risk.' });
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('seq,time_utc,ts,actor,transport,action,venue,ok,detail');
    expect(lines).toHaveLength(rows + 1);
    // JSON detail holds commas and quotes: it is one quoted field with doubled quotes.
    expect(lines[1]).toMatch(/^\d+,2026-11-18T15:00:00.000Z,\d+,[a-z]+,[a-z]+,risk\.[a-z.]+,[a-z]*,(true|false),"\{""/);
  });
});

describe('kill switch through the engine', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await makeHarness();
    await h.ok('mode.set', { venue: 'scripted', mode: 'live', arm: true });
  });
  afterEach(async () => {
    await h.close();
  });

  it('stops a strategy that keeps sending: every working order on every venue is cancelled, then every place is refused, across a restart', async () => {
    const paperQuote = await h.ok('quote.get', { venue: 'paper', symbol: 'ETH/USD' });
    const ethPx = new Decimal(paperQuote.bid!).mul('0.98').toDecimalPlaces(2).toFixed();
    const results: Array<{ i: number; ok: boolean; code?: string; id?: string }> = [];
    let tripped: Promise<unknown> | undefined;
    // The strategy does not listen: it keeps placing, on both venues, whatever happens.
    for (let i = 0; i < 40; i++) {
      const t = i % 2 === 0 ? limitBuy('1') : { venue: 'paper', symbol: 'ETH/USD', side: 'buy', type: 'limit', qty: '0.1', limitPrice: ethPx, tif: 'gtc' };
      const pending = h.engine.call('order.place', t, strategy);
      if (i === 15) tripped = h.engine.call('killSwitch.trip', { mode: 'halted', reason: 'strategy loop-1 is misbehaving' }, user);
      const r = await pending;
      results.push(r.ok ? { i, ok: true, id: r.value.id } : { i, ok: false, code: r.error.code });
    }
    const trip = (await tripped) as { ok: true; value: { sweep: { requested: number; failed: unknown[] }; status: { state: string } } };
    expect(trip.ok).toBe(true);
    expect(trip.value.status.state).toBe('halted');
    expect(trip.value.sweep.requested).toBeGreaterThanOrEqual(15);
    await h.engine.internals.idle();

    const firstRefused = results.findIndex((r) => !r.ok);
    expect(firstRefused).toBeGreaterThan(10);
    expect(firstRefused).toBeLessThanOrEqual(16);
    // After the trip, every single place is refused with `halted`.
    expect(results.slice(firstRefused).every((r) => !r.ok && r.code === 'halted')).toBe(true);
    // Nothing is working anywhere: locally, at the scripted venue, in the Paper venue's own book.
    expect(await h.ok('orders.list', {})).toEqual([]);
    expect([...h.venue().remote.values()].every((r) => r.status === 'cancelled')).toBe(true);
    expect(h.venue().remote.size).toBeGreaterThan(5);
    expect(await (h.engine.internals.venues.get('paper') as PaperVenue).openOrders()).toEqual([]);

    await h.restart();
    expect((await h.ok('killSwitch.status', {})).state).toBe('halted');
    const after = await windowCall(h.engine, 'order.place', limitBuy('1'), user);
    expect(!after.ok && after.error.code).toBe('halted');
    const preview = await h.ok('order.preview', limitBuy('1'));
    expect(preview.violations.map((v) => v.code)).toContain('risk.halted');

    const noConfirm = await h.engine.call('killSwitch.reset', {}, user);
    expect(!noConfirm.ok && noConfirm.error.code).toBe('invalid_input');
    const reset = await h.ok('killSwitch.reset', { confirm: true }, user);
    expect(reset.status.state).toBe('running');
    expect((await h.ok('order.place', limitBuy('1'), user)).status).toBe('accepted');

    const audit = await h.ok('audit.list', { action: 'killSwitch' });
    const actions = audit.map((e) => `${e.action}:${e.actor}:${e.ok}`).reverse();
    expect(actions).toEqual(expect.arrayContaining(['killSwitch.trip:user:true', 'killSwitch.sweep:user:true', 'killSwitch.reset:user:true', 'killSwitch.reset:user:false']));
    // The restart re-ran the sweep (nothing left to cancel).
    expect(audit.some((e) => e.action === 'killSwitch.sweep' && e.actor === 'system')).toBe(true);
  });

  it('REDUCING with flatten closes positions with marketable orders and emits the state for the UI', async () => {
    const events: unknown[] = [];
    h.engine.subscribe((e) => e.type === 'killSwitch' && events.push(e.state.state));
    const buy = await h.ok('order.place', { venue: 'paper', symbol: 'AAPL', side: 'buy', type: 'market', qty: '5', tif: 'day' });
    expect(buy.status).toBe('filled');
    const trip = await h.ok('killSwitch.trip', { mode: 'reducing', flatten: true }, user);
    expect(trip.flatten).toEqual([expect.objectContaining({ venue: 'paper', symbol: 'AAPL', side: 'sell', qty: '5', orderId: expect.any(String) })]);
    expect(trip.status).toMatchObject({ state: 'reducing', flatten: true, flattenPending: false });
    expect((await h.ok('positions.list', { venue: 'paper' })).filter((p) => p.symbol === 'AAPL')).toEqual([]);
    expect(events).toEqual(['reducing', 'reducing']);
    // A new opening order is refused in REDUCING.
    const r = await windowCall(h.engine, 'order.place', { venue: 'paper', symbol: 'AAPL', side: 'buy', type: 'market', qty: '1', tif: 'day' }, user);
    expect(!r.ok && r.error.code).toBe('halted');
  });
});
