/**
 * CANARY's SHADOW twins through the whole engine (scripted venue): an order routed LIVE gets a
 * twin simulated on the same quotes; the twin never reaches the journal's orders, fills,
 * positions, exposure or the kill switch; it follows the live order's modify and cancel; and
 * `quality.report` (and the CLI's table) puts the two side by side.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { routeFor } from '../../../src-main/engine/domain/routing';
import { formatQuality } from '../../../src-main/headless/format-quality';
import { makeHarness, type Harness } from '../oms/harness';
import { until } from '../../support/until';

const ticket = { venue: 'scripted', symbol: 'XYZ/USD', side: 'buy', type: 'limit', qty: '2', limitPrice: '99.5', tif: 'gtc' } as const;
const PCT = 50;

/** The first client ids of the form `<prefix>-<n>` that CANARY 50 % routes the given way. */
function ids(prefix: string, route: 'live' | 'shadow', n: number): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) if (routeFor('canary', PCT, `${prefix}-${i}`) === route) out.push(`${prefix}-${i}`);
  return out;
}

describe('CANARY SHADOW twins', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await makeHarness();
    h.venue().setQuote('100.00', '100.02');
    await h.ok('mode.set', { venue: 'scripted', mode: 'canary', canaryPct: PCT, arm: true });
  });
  afterEach(async () => {
    await h.close();
  });

  const twinOf = async (orderId: string) => {
    await h.engine.internals.idle();
    return h.engine.internals.twins.byOrderId(orderId);
  };

  it('a live order gets a twin that stays out of the journal, positions, exposure and the kill switch, follows modify and cancel, and quality shows the pair', async () => {
    const [a, b, c] = ids('tw', 'live', 3);
    const [s] = ids('tw', 'shadow', 1);
    const since = h.clock.now();

    const live = await h.ok('order.place', { ...ticket, clientOrderId: a });
    expect(live).toMatchObject({ route: 'live', status: 'accepted' });
    const twin = await twinOf(live.id);
    expect(twin).toMatchObject({ venue: 'scripted', twinClientId: `twin:${a}`, status: 'accepted', qty: '2', limitPrice: '99.5', createdAt: live.createdAt });
    // Sent once, and only the live order: the twin never reaches the venue.
    expect(h.venue().submitLog).toEqual([a]);

    // A SHADOW-routed CANARY order is itself the simulation: no twin.
    const shadow = await h.ok('order.place', { ...ticket, clientOrderId: s, limitPrice: '90' });
    expect(shadow.route).toBe('shadow');
    expect(await twinOf(shadow.id)).toBeUndefined();

    // Modify the live order: the venue confirms the new price, the twin follows.
    h.clock.advance(1_000);
    await h.ok('order.replace', { id: live.id, limitPrice: '99.6' });
    expect(await twinOf(live.id)).toMatchObject({ status: 'accepted', limitPrice: '99.6', qty: '2' });

    // The market comes down through 99.6: the twin fills in the simulation, at its price.
    h.clock.advance(4_000);
    h.venue().setQuote('99.40', '99.45');
    await until(async () => (await twinOf(live.id))?.status === 'filled', { what: 'twin filled' });
    expect(h.engine.internals.twins.fills(live.id)).toEqual([{ qty: '2', price: '99.6', ts: since + 5_000 }]);
    // The real venue fills the live order later and a little better.
    h.clock.advance(2_000);
    h.venue().fill(a, '2', '99.55');
    await until(() => h.engine.internals.orders.byId(live.id)!.status === 'filled', { what: 'live filled' });

    // Nothing of the twin in the journal: one live order + one shadow order, one fill (the live one).
    const orders = await h.ok('orders.list', { all: true });
    expect(orders.map((o) => o.clientOrderId).sort()).toEqual([a, s].sort());
    expect(orders.some((o) => o.clientOrderId.startsWith('twin:'))).toBe(false);
    expect((await h.ok('fills.list', {})).map((f) => [f.clientOrderId, f.qty, f.price])).toEqual([[a, '2', '99.55']]);
    // Exposure: the live 2 bought; the shadow order rests unfilled; the twin's 2 count nowhere.
    const exp = h.engine.internals.risk.exposures().find((e) => e.venue === 'scripted')!;
    expect([exp.qty.toFixed(), exp.shadowQty.toFixed()]).toEqual(['2', '0']);
    expect((await h.ok('positions.list', { venue: 'scripted' })).map((p) => p.qty)).not.toContain('4');

    // A second live order, cancelled: the twin is cancelled with it.
    const second = await h.ok('order.place', { ...ticket, clientOrderId: b, limitPrice: '90' });
    expect(await twinOf(second.id)).toMatchObject({ status: 'accepted' });
    await h.ok('order.cancel', { id: second.id });
    expect(await twinOf(second.id)).toMatchObject({ status: 'cancelled', reason: 'cancelled with the live order (cancelled)' });

    // The kill switch's cancel list is the journal's working orders (the shadow one and a third
    // live one), never a twin; the live one's twin follows its cancel.
    const third = await h.ok('order.place', { ...ticket, clientOrderId: c, limitPrice: '91' });
    expect(await twinOf(third.id)).toMatchObject({ status: 'accepted' });
    const trip = await h.ok('killSwitch.trip', { mode: 'halted', reason: 'test' });
    await h.engine.internals.idle();
    expect(JSON.stringify(trip)).not.toContain('twin:');
    expect(h.engine.internals.orders.byId(shadow.id)!.status).toBe('cancelled');
    expect(h.engine.internals.orders.byId(third.id)!.status).toBe('cancelled');
    expect(await twinOf(third.id)).toMatchObject({ status: 'cancelled', reason: 'cancelled with the live order (cancelled)' });
    expect(h.venue().submitLog).toEqual([a, b, c]);

    // Quality: the pairs side by side, newest first, and their aggregate.
    const r = await h.ok('quality.report', { sinceTs: since });
    expect(r.twins).not.toBeNull();
    const t = r.twins!;
    expect(t.pairs.map((p) => p.clientOrderId)).toEqual([c, b, a]);
    const filled = t.pairs[2]!;
    expect(filled).toMatchObject({
      venue: 'scripted',
      symbol: 'XYZ/USD',
      side: 'buy',
      qty: '2',
      live: { status: 'filled', filledQty: '2', avgFillPrice: '99.55', fillMs: 7_000 },
      twin: { status: 'filled', filledQty: '2', avgFillPrice: '99.6', fillMs: 5_000 },
      // (99.55 − 99.6) ÷ 99.6 × 10 000 = −5.02: the live buy paid less than the simulation.
      diffBps: '-5.02',
    });
    expect(t.pairs[1]).toMatchObject({ live: { status: 'cancelled', avgFillPrice: null, fillMs: null }, twin: { status: 'cancelled', fillMs: null }, diffBps: null });
    expect(t.total).toMatchObject({
      key: 'all',
      pairs: 3,
      bothFilled: 1,
      avgDiffBps: '-5.02',
      // 2 of 6 ordered filled, live and twin alike.
      liveFillRatePct: '33.33',
      twinFillRatePct: '33.33',
      liveFillMs: { n: 1, p50: 7_000 },
      twinFillMs: { n: 1, p50: 5_000 },
    });
    expect(t.rows.map((x) => x.key)).toEqual(['scripted']);

    const text = formatQuality(r);
    expect(text).toContain('CANARY: live orders beside their SHADOW twins');
    expect(text).toMatch(new RegExp(`${a}\\s+XYZ/USD\\s+buy\\s+2\\s+filled\\s+99\\.55\\s+7000\\s+filled\\s+99\\.6\\s+5000\\s+-5\\.02`));
  });

  it('no twins outside CANARY, and a working twin survives a restart and still fills on the venue quotes', async () => {
    const [a] = ids('rs', 'live', 1);
    const live = await h.ok('order.place', { ...ticket, clientOrderId: a });
    expect(await twinOf(live.id)).toMatchObject({ status: 'accepted' });

    await h.restart();
    h.clock.advance(3_000);
    h.venue().setQuote('99.40', '99.45');
    await until(async () => (await twinOf(live.id))?.status === 'filled', { what: 'restored twin filled' });
    expect(h.engine.internals.twins.fills(live.id).map((f) => [f.qty, f.price])).toEqual([['2', '99.5']]);
    // The live order is the venue's business: the twin's fill moved nothing of it.
    expect(h.engine.internals.orders.byId(live.id)).toMatchObject({ status: 'accepted', filledQty: '0' });

    // The venue rejects a live order at once: its twin is cancelled with it, and the pair stays out of the fill rates.
    const [rj] = ids('rj', 'live', 1);
    h.venue().submitScript.push('reject');
    const rejected = await h.engine.call('order.place', { ...ticket, clientOrderId: rj, limitPrice: '90' });
    expect(rejected.ok && rejected.value.status).toBe('rejected');
    const rejectedId = h.engine.internals.orders.byClientId(rj)!.id;
    expect(await twinOf(rejectedId)).toMatchObject({ status: 'cancelled', reason: 'cancelled with the live order (rejected)' });
    const q = (await h.ok('quality.report', {})).twins!;
    expect(q.total).toMatchObject({ pairs: 2, liveFillRatePct: '0.00', twinFillRatePct: '100.00' });

    // LIVE mode: every order is live, none gets a twin.
    await h.ok('mode.set', { venue: 'scripted', mode: 'live', arm: true });
    const full = await h.ok('order.place', { ...ticket, clientOrderId: 'full-live-1' });
    expect(full.route).toBe('live');
    expect(await twinOf(full.id)).toBeUndefined();
    expect((await h.ok('quality.report', {})).twins?.pairs.map((p) => p.clientOrderId)).toEqual([rj, a]);
  });
});
