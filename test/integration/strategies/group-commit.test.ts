/**
 * The runner's group commit (runner-core.ts): the decisions of one Paper tick commit in one
 * transaction, and only then are their steps sent. Proved here against the real engine:
 * - when the venue receives any strategy order, its step row and its order row are already on
 *   disk (read through a second SQLite connection, which sees committed data only);
 * - a step a quote triggered reaches the venue before the re-placements the same tick's fills caused;
 * - a run that dies after the group's commit and before any send resumes after a restart with
 *   every journaled step sent exactly once.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineRig, type EngineRig } from '../../support/engine-rig';
import { Decimal } from '../../../src-main/engine/domain/money';
import type { Order } from '../../../src-main/engine/domain/order';
import { DB_FILE } from '../../../src-main/engine/store/db';
import { RunnerCore } from '../../../src-main/engine/strategies/runner-core';
import type { PaperVenue } from '../../../src-main/engine/venues/paper';

const BTC = 'paper:BTC-USD';

describe('strategy group commit', () => {
  let rig: EngineRig;
  const ok = async <T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> => {
    const r = await p;
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  const paper = () => rig.engine.internals.venues.get('paper') as PaperVenue;
  const tickAt = async (mid: string) => {
    paper().source.setMid(BTC, new Decimal(mid));
    await rig.clock.advanceAsync(1000);
    paper().tick();
    await rig.engine.internals.idle();
  };
  const add = (kind: string, params: Record<string, string>) => ok(rig.engine.call('strategy.add', { kind, venue: 'paper', symbol: 'BTC/USD', params })) as Promise<{ id: string }>;
  /** Two grids with buys resting at 100,000 and 99,500, and a dip watching from 100,250. */
  const setUp = async () => {
    await tickAt('100250');
    const grids = [await add('grid', { low: '99000', high: '101000', levels: '5', qty: '0.01' }), await add('grid', { low: '99000', high: '101000', levels: '5', qty: '0.02' })];
    const dip = await add('dip', { qty: '0.01', drop: '0.5', window: '10m', takeProfit: '1', stop: '1' });
    await rig.engine.internals.idle();
    await tickAt('100250');
    return { grids, dip };
  };

  beforeEach(async () => {
    rig = await engineRig({ prefix: 'tp-strat-group-' });
  });
  afterEach(() => rig.close());

  it('every strategy order is journaled (step row and order row committed) before the venue sees it, and a triggered step goes before the re-placements of the same tick', async () => {
    const { grids, dip } = await setUp();
    const reader = new Database(path.join(rig.dir, DB_FILE), { readonly: true });
    const seen: { clientOrderId: string; step: boolean; order: boolean }[] = [];
    const venue = paper();
    const submit = venue.submit.bind(venue);
    venue.submit = (o: Order) => {
      seen.push({
        clientOrderId: o.clientOrderId,
        step: reader.prepare('SELECT 1 FROM strategy_steps WHERE client_order_id = ?').get(o.clientOrderId) !== undefined,
        order: reader.prepare('SELECT 1 FROM orders WHERE client_order_id = ?').get(o.clientOrderId) !== undefined,
      });
      return submit(o);
    };
    try {
      // 99,400: the grids' buys at 100,000 and 99,500 fill (four re-placed sells) and the dip (-0.85 %) enters, all in one tick.
      await tickAt('99400');
    } finally {
      reader.close();
    }
    const ofTick = seen.filter((s) => grids.some((g) => s.clientOrderId.startsWith(`${g.id}-`)) || s.clientOrderId.startsWith(`${dip.id}-`));
    expect(ofTick.filter((s) => grids.some((g) => s.clientOrderId.startsWith(`${g.id}-`))).length).toBe(4);
    expect(ofTick.every((s) => s.step && s.order)).toBe(true);
    expect(ofTick[0]!.clientOrderId).toBe(`${dip.id}-1`);
  });

  it('a run that dies after the group commit and before any send sends each journaled step exactly once after the restart', async () => {
    const { grids, dip } = await setUp();
    // The process "dies" after the commit: what the group deferred (the sends) never runs.
    const real = Object.getOwnPropertyDescriptor(RunnerCore.prototype, 'afterCommit')!;
    let dropped = 0;
    Object.defineProperty(RunnerCore.prototype, 'afterCommit', {
      configurable: true,
      value(this: RunnerCore, fn: () => void, urgent: boolean) {
        if ((this as unknown as { group: unknown }).group) dropped++;
        else (real.value as (fn: () => void, urgent: boolean) => void).call(this, fn, urgent);
      },
    });
    try {
      await tickAt('99400');
    } finally {
      Object.defineProperty(RunnerCore.prototype, 'afterCommit', real);
    }
    expect(dropped).toBeGreaterThan(0);
    const db = () => rig.engine.internals.db;
    const ids = [...grids, dip].map((s) => s.id);
    const journaled = () => (db().prepare("SELECT client_order_id AS id FROM strategy_steps WHERE status = 'journaled'").all() as { id: string }[]).map((r) => r.id);
    const unsent = journaled().filter((id) => !db().prepare('SELECT 1 FROM orders WHERE client_order_id = ?').get(id));
    // The dip's entry and the grids' four sells were committed and not sent.
    expect(unsent.length).toBe(5);
    await rig.restart();
    await rig.engine.internals.idle();
    await tickAt('99400');
    await rig.restart();
    await rig.engine.internals.idle();
    await tickAt('99400');
    for (const id of unsent) expect(db().prepare('SELECT COUNT(*) AS n FROM paper_orders WHERE client_order_id = ?').get(id)).toEqual({ n: 1 });
    expect(db().prepare('SELECT client_order_id FROM paper_orders GROUP BY client_order_id HAVING COUNT(*) > 1').all()).toEqual([]);
    const orders = (await ok(rig.engine.call('orders.list', { all: true, limit: 5000 }))) as Order[];
    expect(new Set(orders.map((o) => o.clientOrderId)).size).toBe(orders.length);
    expect(orders.filter((o) => ids.some((id) => o.clientOrderId.startsWith(`${id}-`))).length).toBeGreaterThanOrEqual(6 + 5);
  });
});
