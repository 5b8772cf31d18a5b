/**
 * Order safety through the whole engine (commands in, scripted venue out): unknown outcomes,
 * modes and routes, reconciliation after a reconnect, and the audit trail of each.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { routeFor } from '../../../src-main/engine/domain/routing';
import { makeHarness, type Harness } from './harness';
import { until } from '../../support/until';

const ticket = { venue: 'scripted', symbol: 'XYZ/USD', side: 'buy', type: 'limit', qty: '2', limitPrice: '99.5', tif: 'gtc' } as const;

describe('order safety through the engine', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await makeHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const goLive = () => h.ok('mode.set', { venue: 'scripted', mode: 'live', arm: true });

  it('submit times out after the venue accepted → unknown → resolved by lookup with exactly one venue order', async () => {
    await goLive();
    h.venue().submitScript.push('lost_after_accept');
    const placed = await h.ok('order.place', { ...ticket, clientOrderId: 'lost-ack-1' }, { actor: 'user', transport: 'ipc' });
    expect(placed.status).toBe('unknown');
    expect(placed.route).toBe('live');
    await until(() => h.engine.internals.orders.byId(placed.id)!.status !== 'unknown');
    const after = h.engine.internals.orders.byId(placed.id)!;
    expect(after.status).toBe('accepted');
    expect(after.venueOrderId).toBe(h.venue().remote.get('lost-ack-1')!.venueOrderId);
    // The double-click / CLI retry with the same idempotency key: still one order, never a resend.
    const again = await h.ok('order.place', { ...ticket, clientOrderId: 'lost-ack-1' });
    expect(again.id).toBe(placed.id);
    expect(h.venue().submitLog).toEqual(['lost-ack-1']);
    expect(await h.ok('orders.list', { all: true })).toHaveLength(1);
    expect(h.engine.internals.orders.transitions(placed.id).map((t) => [t.from, t.to, t.source])).toEqual([
      [null, 'pending_submit', 'user'],
      ['pending_submit', 'unknown', 'system'],
      ['unknown', 'accepted', 'reconcile'],
    ]);
  });

  it('a submit the venue never saw resolves to rejected, and nothing was sent twice', async () => {
    await goLive();
    h.venue().submitScript.push('lost_before_accept');
    const placed = await h.ok('order.place', ticket);
    expect(placed.status).toBe('unknown');
    await until(() => h.engine.internals.orders.byId(placed.id)!.status === 'rejected');
    expect(h.engine.internals.orders.byId(placed.id)!.rejectReason).toMatch(/no record/);
    expect(h.venue().submitLog).toEqual([]);
    expect(h.venue().submitCalls).toBe(1);
  });

  it('SHADOW is the default: orders never reach the venue and fill on its real quotes; they survive a restart', async () => {
    const v = (await h.ok('venues.list', {})).find((x) => x.name === 'scripted')!;
    expect(v.mode).toBe('shadow');
    const { limitPrice: _, ...mktTicket } = ticket;
    const preview = await h.ok('order.preview', { ...mktTicket, type: 'market', qty: '3', tif: 'ioc' });
    expect(preview.route).toBe('shadow');
    expect(preview.mode).toBe('shadow');
    expect(preview.clientOrderId).toMatch(/^T[0-9A-Z]{17}$/);

    const mkt = await h.ok('order.place', { ...mktTicket, type: 'market', qty: '3', tif: 'ioc', clientOrderId: preview.clientOrderId });
    expect(mkt).toMatchObject({ route: 'shadow', status: 'filled', filledQty: '3', avgFillPrice: '100.01' });
    const fills = (await h.ok('fills.list', {})).filter((f) => f.orderId === mkt.id);
    expect(fills.map((f) => [f.qty, f.price, f.liquidity])).toEqual([['3', '100.01', 'taker']]);

    const resting = await h.ok('order.place', ticket);
    expect(resting).toMatchObject({ route: 'shadow', status: 'accepted' });
    expect(h.venue().submitCalls).toBe(0);

    await h.restart();
    expect((await h.ok('orders.list', {})).map((o) => [o.id, o.status])).toEqual([[resting.id, 'accepted']]);
    // The venue's market comes down through the limit: the shadow order fills as maker at its price.
    h.venue().setQuote('99.40', '99.45');
    const done = h.engine.internals.orders.byId(resting.id)!;
    expect(done).toMatchObject({ status: 'filled', filledQty: '2', avgFillPrice: '99.5' });
    expect(h.venue().submitCalls).toBe(0);
    // Risk sees shadow exposure: 3 + 2 bought.
    expect(
      h.engine.internals.risk
        .exposures()
        .find((e) => e.venue === 'scripted')!
        .qty.toFixed(),
    ).toBe('5');
  });

  it('going LIVE or CANARY needs arming; the way back does not; all of it is audited with the actor', async () => {
    const refused = await h.engine.call('mode.set', { venue: 'scripted', mode: 'live' }, { actor: 'cli', transport: 'cli' });
    expect(!refused.ok && refused.error.code).toBe('invalid_input');
    expect(!refused.ok && refused.error.message).toMatch(/--arm/);
    const typo = await h.engine.call('mode.set', { venue: 'scripted', mode: 'live', typedVenueName: 'scriptd' }, { actor: 'user', transport: 'ipc' });
    expect(!typo.ok && typo.error.message).toMatch(/type the venue name "scripted"/);
    const paper = await h.engine.call('mode.set', { venue: 'paper', mode: 'live', arm: true });
    expect(!paper.ok && paper.error.code).toBe('invalid_input');

    const live = await h.ok('mode.set', { venue: 'scripted', mode: 'live', typedVenueName: 'scripted' }, { actor: 'user', transport: 'ipc' });
    expect(live).toMatchObject({ from: 'shadow', to: 'live', armed: true, changed: true });
    const back = await h.ok('mode.set', { venue: 'scripted', mode: 'shadow' }, { actor: 'cli', transport: 'cli' });
    expect(back).toMatchObject({ from: 'live', to: 'shadow', armed: false });
    await h.restart();
    expect((await h.ok('venues.list', {})).find((x) => x.name === 'scripted')!.mode).toBe('shadow');

    const audit = await h.ok('audit.list', { action: 'mode.' });
    expect(audit.filter((e) => e.action === 'mode.arm').map((e) => [e.actor, e.detail.to, e.detail.via])).toEqual([['user', 'live', 'typed venue name']]);
    expect(audit.filter((e) => e.action === 'mode.disarm').map((e) => [e.actor, e.detail.to])).toEqual([['cli', 'shadow']]);
    // Refused attempts are in the log too (the command entry).
    expect(audit.filter((e) => e.action === 'mode.set' && !e.ok).length).toBe(3);
  });

  it('CANARY routes a deterministic share by client id; the preview names the route this very order takes', async () => {
    await h.ok('mode.set', { venue: 'scripted', mode: 'canary', canaryPct: 30, arm: true });
    let live = 0;
    for (let i = 0; i < 40; i++) {
      const p = await h.ok('order.preview', ticket);
      expect(p.mode).toBe('canary');
      expect(p.canaryPct).toBe(30);
      expect(p.route).toBe(routeFor('canary', 30, p.clientOrderId!));
      const o = await h.ok('order.place', { ...ticket, clientOrderId: p.clientOrderId });
      expect(o.route).toBe(p.route);
      if (o.route === 'live') live++;
      expect(h.venue().submitLog.includes(o.clientOrderId)).toBe(o.route === 'live');
    }
    expect(live).toBeGreaterThan(3);
    expect(live).toBeLessThan(25);
    expect(h.venue().submitLog).toHaveLength(live);
  });

  it('a reconnect triggers reconciliation; the stored report says what happened while disconnected', async () => {
    await goLive();
    const a = await h.ok('order.place', { ...ticket, clientOrderId: 'rc-a' });
    const b = await h.ok('order.place', { ...ticket, clientOrderId: 'rc-b' });
    h.venue().disconnect();
    h.clock.advance(5_000);
    h.venue().fill('rc-a', '2', '99.5'); // filled while we could not hear it
    h.venue().remote.get('rc-b')!.status = 'cancelled'; // cancelled by the venue
    h.venue().placeExternal('web-1', '1', '95'); // placed on the venue's website
    expect(h.engine.internals.orders.byId(a.id)!.status).toBe('accepted');

    h.venue().reconnect();
    await h.engine.internals.idle();
    expect(h.engine.internals.orders.byId(a.id)).toMatchObject({ status: 'filled', filledQty: '2' });
    expect(h.engine.internals.orders.byId(b.id)!.status).toBe('cancelled');
    const adopted = h.engine.internals.orders.byClientId('web-1')!;
    expect(adopted).toMatchObject({ source: 'external', status: 'accepted' });

    const [report] = await h.ok('reconcile.reports', { venue: 'scripted', limit: 1 });
    expect(report!.trigger).toBe('reconnect');
    expect(report!.ok).toBe(true);
    const kinds = report!.changes.map((c) => c.kind).sort();
    // rc-a's change is told by its fill (applied first, it completes the order); rc-b's by its status.
    expect(kinds).toEqual(['adopted', 'fill', 'order', 'position']);
    expect(report!.changes.find((c) => c.kind === 'order')!.message).toMatch(/rc-b .* accepted → cancelled/);
    expect(report!.changes.find((c) => c.kind === 'fill')!.message).toMatch(/XYZ\/USD buy 2 @ 99.5 filled \(order rc-a\)/);
    expect(report!.changes.find((c) => c.kind === 'adopted')!.message).toMatch(/web-1/);
    expect(report!.changes.find((c) => c.kind === 'position')!.message).toMatch(/0 → 2/);

    const manual = await h.ok('reconcile.run', { venue: 'scripted' }, { actor: 'cli', transport: 'cli' });
    expect(manual[0]).toMatchObject({ trigger: 'manual', ok: true, changes: [] });
    const audit = await h.ok('audit.list', { action: 'reconcile' });
    expect(audit.filter((e) => e.action === 'reconcile' && e.venue === 'scripted').map((e) => e.detail.trigger)).toEqual(['manual', 'reconnect', 'start']);
    expect(audit.some((e) => e.action === 'reconcile.run' && e.actor === 'cli')).toBe(true);
  });

  it('a reconciliation that cannot reach the venue is stored as a failed report, not swallowed', async () => {
    h.venue().connected = false;
    const [r] = await h.ok('reconcile.run', { venue: 'scripted' });
    expect(r).toMatchObject({ ok: false, trigger: 'manual' });
    expect(r!.error).toMatch(/disconnected/);
  });
});
