/**
 * Replace (modify) in the OrderManager against the scripted venue: journal before send, the
 * venue's terms win, a refusal leaves the order working unchanged, a lost ack is resolved by
 * lookup and never resent, fills during pending_replace count.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src-main/engine/store/db';
import { OrdersRepo, type StoredOrder } from '../../../src-main/engine/store/orders-repo';
import { OrderManager } from '../../../src-main/engine/oms/order-manager';
import { mergeReplace } from '../../../src-main/engine/oms/replace';
import { canTransition } from '../../../src-main/engine/oms/lifecycle';
import { ManualClock } from '../../../src-main/engine/ports/clock';
import { SeededRandom } from '../../../src-main/engine/ports/random';
import type { VenueConnector } from '../../../src-main/engine/venues/venue-port';
import { ScriptedVenue, SCRIPTED_INSTRUMENT } from '../../support/scripted-venue';
import { until } from '../../support/until';

const ticket = { side: 'buy' as const, type: 'limit' as const, qty: '5', limitPrice: '100', tif: 'gtc' as const };

describe('OrderManager.replace', () => {
  let db: Db;
  let repo: OrdersRepo;
  let venue: ScriptedVenue;
  let oms: OrderManager;
  let connector: VenueConnector;
  const clock = new ManualClock();

  beforeEach(async () => {
    db = openDatabase(':memory:');
    repo = new OrdersRepo(db);
    venue = new ScriptedVenue('scripted', () => clock.now());
    connector = venue;
    oms = new OrderManager({ repo, clock, random: new SeededRandom(1), emit: () => undefined, connector: () => connector, unknownLookupDelays: [1, 1, 1] });
    await venue.start({
      orderReport: (r) => oms.applyReport('scripted', r, 'venue'),
      fill: (f) => oms.applyFill('scripted', f, 'venue'),
      quote: () => undefined,
      position: () => undefined,
      balance: () => undefined,
      state: () => undefined,
    });
  });

  const place = () => oms.place({ venue: 'scripted', instrument: SCRIPTED_INSTRUMENT, ticket, route: 'live', actor: 'user' });
  const legal = (o: StoredOrder) =>
    repo
      .transitions(o.id)
      .filter((t) => t.accepted && t.from !== null)
      .every((t) => canTransition(t.from!, t.to));

  it('journals pending_replace with the change before the venue hears of it, then takes the new terms', async () => {
    const o = await place();
    let seen: StoredOrder | undefined;
    const orig = venue.replace.bind(venue);
    venue.replace = async (order, changes) => {
      seen = repo.byId(order.id);
      return orig(order, changes);
    };
    const after = await oms.replace(o.id, { qty: '3', limitPrice: '99.5' }, 'user');
    expect(seen).toMatchObject({ status: 'pending_replace', qty: '5', limitPrice: '100', replaceRequest: { qty: '3', limitPrice: '99.5', from: 'accepted' } });
    expect(after).toMatchObject({ status: 'accepted', qty: '3', limitPrice: '99.5' });
    expect(after.replaceRequest).toBeUndefined();
    // Persisted, not just returned.
    expect(repo.byId(o.id)).toMatchObject({ qty: '3', limitPrice: '99.5' });
    const ts = repo.transitions(o.id);
    expect(ts.map((t) => [t.from, t.to, t.source])).toEqual([
      [null, 'pending_submit', 'user'],
      ['pending_submit', 'accepted', 'venue'],
      ['accepted', 'pending_replace', 'user'],
      ['pending_replace', 'accepted', 'venue'],
    ]);
    expect(ts[2]!.raw).toEqual({ replace: { qty: '3', limitPrice: '99.5' }, before: { qty: '5', limitPrice: '100' } });
    expect(venue.remote.get(o.clientOrderId)!.order).toMatchObject({ qty: '3', limitPrice: '99.5' });
    expect(legal(o)).toBe(true);
  });

  it('a venue refusal returns the order to its working state with the reason, terms unchanged', async () => {
    const o = await place();
    venue.fill(o.clientOrderId, '1', '100');
    venue.replaceScript.push('reject');
    await expect(oms.replace(o.id, { limitPrice: '101' }, 'user')).rejects.toMatchObject({
      code: 'venue_rejected',
      message: expect.stringMatching(/price outside the allowed band.*works on unchanged/),
    });
    const after = repo.byId(o.id)!;
    expect(after).toMatchObject({ status: 'partially_filled', qty: '5', limitPrice: '100', filledQty: '1' });
    expect(after.replaceRequest).toBeUndefined();
    const last = repo.transitions(o.id).at(-1)!;
    expect([last.from, last.to, last.source]).toEqual(['pending_replace', 'partially_filled', 'venue']);
    expect(last.reason).toMatch(/replace refused: price outside/);
    expect(legal(o)).toBe(true);
  });

  it('an ack lost after the venue applied the change is resolved by lookup to the venue terms, never resent', async () => {
    const o = await place();
    venue.replaceScript.push('lost_after_accept');
    const r = await oms.replace(o.id, { qty: '4', limitPrice: '99' }, 'user');
    expect(r).toMatchObject({ status: 'accepted', qty: '4', limitPrice: '99' });
    expect(r.replaceRequest).toBeUndefined();
    expect(venue.replaceCalls).toBe(1);
    expect(venue.replaceLog).toHaveLength(1);
    expect(legal(o)).toBe(true);
  });

  it('a change lost before the venue saw it resolves to the old terms by lookup, and is not sent again', async () => {
    const o = await place();
    venue.replaceScript.push('lost_before_accept');
    const r = await oms.replace(o.id, { limitPrice: '98' }, 'user');
    // The lookup found the venue still at the old terms: that is the truth, the change did not happen.
    expect(r).toMatchObject({ status: 'accepted', qty: '5', limitPrice: '100' });
    expect(venue.replaceCalls).toBe(1);
    expect(venue.replaceLog).toEqual([]);
  });

  it('an unknown outcome with the venue unreachable stays pending_replace and settles from the venue report once it answers', async () => {
    const o = await place();
    venue.replaceScript.push('lost_after_accept');
    const realLookup = venue.lookup.bind(venue);
    let lookups = 0;
    venue.lookup = async (id) => {
      lookups++;
      if (lookups <= 2) throw new Error('venue unreachable');
      return realLookup(id);
    };
    const r = await oms.replace(o.id, { qty: '2' }, 'user');
    expect(r.status).toBe('pending_replace');
    expect(r.replaceRequest).toMatchObject({ qty: '2', from: 'accepted' });
    await until(() => repo.byId(o.id)?.status === 'accepted', { what: 'the replace resolved by lookup' });
    const after = repo.byId(o.id)!;
    expect(after).toMatchObject({ status: 'accepted', qty: '2' });
    expect(after.replaceRequest).toBeUndefined();
    expect(venue.replaceCalls).toBe(1);
    expect(legal(o)).toBe(true);
  });

  it('fills during pending_replace are applied; a fill above the old quantity does not complete the order early', async () => {
    const o = await place();
    const orig = venue.replace.bind(venue);
    venue.replace = async (order, changes) => {
      // The venue fills 2 while the change to 8 is on its way.
      venue.fill(order.clientOrderId, '2', '100');
      expect(repo.byId(order.id)).toMatchObject({ status: 'pending_replace', filledQty: '2' });
      return orig(order, changes);
    };
    const r = await oms.replace(o.id, { qty: '8' }, 'user');
    expect(r).toMatchObject({ status: 'partially_filled', qty: '8', filledQty: '2' });
    venue.replace = orig;
    venue.fill(o.clientOrderId, '6', '100');
    expect(repo.byId(o.id)).toMatchObject({ status: 'filled', filledQty: '8' });
    expect(legal(o)).toBe(true);
  });

  it('refuses what cannot be modified, with a reason the trader can act on', async () => {
    const o = await place();
    await oms.replace(o.id, { qty: '4' }, 'user');
    // Nothing changes: no pending state, no venue call.
    const calls = venue.replaceCalls;
    expect((await oms.replace(o.id, {}, 'user')).status).toBe('accepted');
    expect(venue.replaceCalls).toBe(calls);
    await oms.cancel(o.id, 'user');
    await expect(oms.replace(o.id, { qty: '3' }, 'user')).rejects.toMatchObject({ code: 'order_not_modifiable', message: expect.stringMatching(/already cancelled/) });

    const o2 = await place();
    // The same venue, seen through a connector that has no replace.
    connector = Object.assign(Object.create(venue) as VenueConnector, { replace: undefined });
    await expect(oms.replace(o2.id, { qty: '3' }, 'user')).rejects.toMatchObject({ code: 'unsupported_order', message: 'scripted cannot modify orders; cancel and place a new one.' });
    expect(repo.byId(o2.id)!.status).toBe('accepted');
  });

  it('mergeReplace checks the merged ticket against the instrument and the filled quantity', async () => {
    const o = await place();
    venue.fill(o.clientOrderId, '2', '100');
    const cur = repo.byId(o.id)!;
    expect(mergeReplace(cur, { qty: '3', limitPrice: '100' }, SCRIPTED_INSTRUMENT).changes).toEqual({ qty: '3' });
    expect(() => mergeReplace(cur, { qty: '2' }, SCRIPTED_INSTRUMENT)).toThrow(/must be more than the 2 already filled/);
    expect(() => mergeReplace(cur, { limitPrice: '100.005' }, SCRIPTED_INSTRUMENT)).toThrow(/tick/);
    expect(() => mergeReplace(cur, { qty: '1.0005' }, SCRIPTED_INSTRUMENT)).toThrow(/decimals|steps/);
    expect(() => mergeReplace(cur, { stopPrice: '99' }, SCRIPTED_INSTRUMENT)).toThrow(/takes no stop price/);
    expect(() => mergeReplace(cur, {}, SCRIPTED_INSTRUMENT)).toThrow(/Say what to change/);
  });
});
