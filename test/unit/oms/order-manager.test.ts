import { describe, expect, it, beforeEach } from 'vitest';
import { openDatabase, type Db } from '../../../src-main/engine/store/db';
import { OrdersRepo } from '../../../src-main/engine/store/orders-repo';
import { OrderManager } from '../../../src-main/engine/oms/order-manager';
import { ManualClock } from '../../../src-main/engine/ports/clock';
import { SeededRandom } from '../../../src-main/engine/ports/random';
import type { EngineEvent } from '../../../src-main/engine/api/events';
import { ScriptedVenue, SCRIPTED_INSTRUMENT } from '../../support/scripted-venue';
import { canTransition } from '../../../src-main/engine/oms/lifecycle';
import { until } from '../../support/until';

const ticket = { side: 'buy' as const, type: 'limit' as const, qty: '2', limitPrice: '100', tif: 'gtc' as const };

describe('OrderManager', () => {
  let db: Db;
  let repo: OrdersRepo;
  let venue: ScriptedVenue;
  let oms: OrderManager;
  let events: EngineEvent[];
  const clock = new ManualClock();

  beforeEach(async () => {
    db = openDatabase(':memory:');
    repo = new OrdersRepo(db);
    venue = new ScriptedVenue('scripted', () => clock.now());
    events = [];
    oms = new OrderManager({ repo, clock, random: new SeededRandom(1), emit: (e) => events.push(e), connector: () => venue, unknownLookupDelays: [1, 1, 1] });
    await venue.start({
      orderReport: (r) => oms.applyReport('scripted', r, 'venue'),
      fill: (f) => oms.applyFill('scripted', f, 'venue'),
      quote: () => undefined,
      position: () => undefined,
      balance: () => undefined,
      state: () => undefined,
    });
  });

  it('commits the order before the venue sees a byte', async () => {
    let seenAtSubmit: string | undefined;
    const orig = venue.submit.bind(venue);
    venue.submit = async (o) => {
      // A second connection sees the committed row: it is durable, not just in this transaction.
      seenAtSubmit = repo.byClientId(o.clientOrderId)?.status;
      return orig(o);
    };
    const o = await oms.place({ venue: 'scripted', instrument: SCRIPTED_INSTRUMENT, ticket, route: 'paper', actor: 'user' });
    expect(seenAtSubmit).toBe('pending_submit');
    expect(o.status).toBe('accepted');
    expect(o.clientOrderId).toMatch(/^T[0-9A-Z]{17}$/);
    expect(repo.transitions(o.id).map((t) => t.to)).toEqual(['pending_submit', 'accepted']);
  });

  it('a response lost after the venue accepted becomes unknown and resolves by lookup, never by resending', async () => {
    venue.submitScript.push('lost_after_accept');
    const o = await oms.place({ venue: 'scripted', instrument: SCRIPTED_INSTRUMENT, ticket, route: 'paper', actor: 'user' });
    expect(o.status).toBe('unknown');
    await until(() => repo.byId(o.id)?.status === 'accepted', { what: 'the lookup to find the order' });
    const after = repo.byId(o.id)!;
    expect(after.status).toBe('accepted');
    expect(after.venueOrderId).toBe('V1');
    expect(venue.submitCalls).toBe(1);
    expect(venue.remote.size).toBe(1);
  });

  it('a submit that never arrived is rejected after the venue confirms it has no record', async () => {
    venue.submitScript.push('lost_before_accept');
    const o = await oms.place({ venue: 'scripted', instrument: SCRIPTED_INSTRUMENT, ticket, route: 'paper', actor: 'user' });
    expect(o.status).toBe('unknown');
    await until(() => repo.byId(o.id)?.status === 'rejected', { what: 'the lookup to find no record' });
    const after = repo.byId(o.id)!;
    expect(after.status).toBe('rejected');
    expect(after.rejectReason).toMatch(/no record/);
    expect(venue.submitCalls).toBe(1);
  });

  it('the same client order id twice makes one order; a different order under it is refused', async () => {
    const a = await oms.place({ venue: 'scripted', instrument: SCRIPTED_INSTRUMENT, ticket, clientOrderId: 'dbl-click-1', route: 'paper', actor: 'user' });
    const b = await oms.place({ venue: 'scripted', instrument: SCRIPTED_INSTRUMENT, ticket, clientOrderId: 'dbl-click-1', route: 'paper', actor: 'user' });
    expect(b.id).toBe(a.id);
    expect(venue.submitCalls).toBe(1);
    await expect(oms.place({ venue: 'scripted', instrument: SCRIPTED_INSTRUMENT, ticket: { ...ticket, qty: '3' }, clientOrderId: 'dbl-click-1', route: 'paper', actor: 'user' })).rejects.toMatchObject(
      {
        code: 'duplicate_client_order_id',
      },
    );
  });

  it('derives filled quantity from fills and ignores a replayed fill', async () => {
    const o = await oms.place({ venue: 'scripted', instrument: SCRIPTED_INSTRUMENT, ticket, route: 'paper', actor: 'user' });
    venue.fill(o.clientOrderId, '0.5', '100');
    venue.fill(o.clientOrderId, '1', '99.5');
    expect(repo.byId(o.id)).toMatchObject({ status: 'partially_filled', filledQty: '1.5' });
    // Replaying the same venue fill (as reconciliation does) must not double count.
    expect(oms.applyFill('scripted', venue.remoteFills[0]!, 'reconcile')).toBeUndefined();
    venue.fill(o.clientOrderId, '0.5', '100.25');
    const done = repo.byId(o.id)!;
    expect(done.status).toBe('filled');
    expect(done.filledQty).toBe('2');
    // VWAP (0.5×100 + 1×99.5 + 0.5×100.25) / 2 = 99.8125, exactly.
    expect(done.avgFillPrice).toBe('99.8125');
    expect(repo.fills({ orderId: o.id })).toHaveLength(3);
  });

  it('a restart between recording a fill and updating its order: the replayed fill completes the update', async () => {
    const o = await oms.place({ venue: 'scripted', instrument: SCRIPTED_INSTRUMENT, ticket, route: 'paper', actor: 'user' });
    // The fill row committed, then the process died before the order row was updated.
    const f = {
      clientOrderId: o.clientOrderId,
      venueOrderId: 'V1',
      venueFillId: 'X9',
      instrumentId: SCRIPTED_INSTRUMENT.id,
      side: 'buy' as const,
      qty: '2',
      price: '100',
      fee: '0.1',
      feeCurrency: 'USD',
      liquidity: 'maker' as const,
      ts: clock.now(),
    };
    repo.insertFill({
      id: 'Fscripted:X9',
      orderId: o.id,
      clientOrderId: o.clientOrderId,
      venue: 'scripted',
      venueFillId: 'X9',
      instrumentId: f.instrumentId,
      symbol: o.symbol,
      side: 'buy',
      qty: '2',
      price: '100',
      fee: '0.1',
      feeCurrency: 'USD',
      liquidity: 'maker',
      ts: f.ts,
    });
    expect(repo.byId(o.id)).toMatchObject({ status: 'accepted', filledQty: '0' });
    // After restart, reconciliation replays the venue's fills: the duplicate is not counted twice,
    // but the order must now reflect it (quantity, price, fees, state).
    oms.applyFill('scripted', f, 'reconcile');
    expect(repo.byId(o.id)).toMatchObject({ status: 'filled', filledQty: '2', avgFillPrice: '100', fees: '0.1' });
    expect(repo.fills({ orderId: o.id })).toHaveLength(1);
  });

  it('refuses and records an illegal transition', async () => {
    const o = await oms.place({ venue: 'scripted', instrument: SCRIPTED_INSTRUMENT, ticket, route: 'paper', actor: 'user' });
    venue.fill(o.clientOrderId, '2', '100');
    expect(repo.byId(o.id)!.status).toBe('filled');
    const applied = oms.transition(repo.byId(o.id)!, 'accepted', 'venue', 'late ack');
    expect(applied).toBe(false);
    expect(repo.byId(o.id)!.status).toBe('filled');
    const refused = repo.transitions(o.id).filter((t) => !t.accepted);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.reason).toMatch(/illegal filled → accepted/);
  });

  it('cancel: pending_cancel then cancelled from the venue report; a filled order is not cancellable', async () => {
    const o = await oms.place({ venue: 'scripted', instrument: SCRIPTED_INSTRUMENT, ticket, route: 'paper', actor: 'user' });
    const c = await oms.cancel(o.id, 'user');
    expect(c.status).toBe('cancelled');
    expect(repo.transitions(o.id).map((t) => t.to)).toEqual(['pending_submit', 'accepted', 'pending_cancel', 'cancelled']);
    await expect(oms.cancel(o.id, 'user')).rejects.toMatchObject({ code: 'order_not_cancellable' });
  });

  it('adopts an order the venue reports but we never placed', () => {
    venue.placeExternal('web-123', '1', '95');
    const adopted = oms.applyReport(
      'scripted',
      {
        clientOrderId: 'web-123',
        venueOrderId: 'V9',
        status: 'accepted',
        filledQty: '0',
        avgFillPrice: '0',
        ts: clock.now(),
        instrumentId: SCRIPTED_INSTRUMENT.id,
        side: 'buy',
        type: 'limit',
        qty: '1',
        limitPrice: '95',
      },
      'reconcile',
    );
    expect(adopted).toMatchObject({ source: 'external', status: 'accepted', clientOrderId: 'web-123' });
  });

  it('the transition table has no exit from a terminal state', () => {
    for (const t of ['filled', 'cancelled', 'rejected', 'expired'] as const) {
      for (const to of ['accepted', 'partially_filled', 'filled', 'cancelled', 'unknown'] as const) expect(canTransition(t, to)).toBe(false);
    }
    expect(canTransition('unknown', 'filled')).toBe(true);
    expect(canTransition('accepted', 'unknown')).toBe(false);
  });
});
