/**
 * Paper's buying power now comes from running totals of what open orders hold back. After every
 * kind of change (new orders, a bracket whose entry fills, a modify, a partial fill, cancels, a
 * crypto sell) the running totals equal the totals rebuilt from the open orders in the tables.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineRig, type EngineRig } from '../../support/engine-rig';
import type { Engine } from '../../../src-main/engine/engine';
import type { OrderTicket } from '../../../src-main/engine/api/commands';
import { Decimal } from '../../../src-main/engine/domain/money';
import type { ManualClock } from '../../../src-main/engine/ports/clock';
import type { PaperVenue } from '../../../src-main/engine/venues/paper';
import type { SimAccount } from '../../../src-main/engine/sim/account';
import type { SimReservations } from '../../../src-main/engine/sim/reservations';
import type { PaperStore } from '../../../src-main/engine/venues/paper/paper-store';

describe('Paper reservations as running totals', () => {
  let rig: EngineRig;
  let clock: ManualClock;
  let engine: Engine;
  beforeEach(async () => {
    rig = await engineRig({ prefix: 'tp-faults-res-', backups: { everyMs: 0 } });
    ({ clock, engine } = rig);
  });
  afterEach(() => rig.close());

  const paper = () => engine.internals.venues.get('paper') as PaperVenue;
  const internals = () => {
    const p = paper() as unknown as { account: SimAccount; store: PaperStore };
    return { held: (p.account as unknown as { held: SimReservations }).held, store: p.store, freeCoin: (asset: string) => p.account.freeCoin(asset) };
  };
  const place = async (t: Partial<OrderTicket>) => {
    const r = await engine.call('order.place', { venue: 'paper', symbol: 'AAPL', side: 'buy', type: 'limit', qty: '10', tif: 'gtc', ...t });
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value;
  };
  const market = (symbol: string, mid: string) => {
    paper().source.setMid(paper().instrument(symbol)!.id, new Decimal(mid));
    clock.advance(1000);
    paper().tick();
  };
  /** Running totals vs the same totals rebuilt from the tables. */
  const expectConsistent = (step: string) => {
    const bp = paper().buyingPower().toFixed();
    const btc = internals().freeCoin('BTC').toFixed();
    internals().held.reset(internals().store.openOrders());
    expect(paper().buyingPower().toFixed(), step).toBe(bp);
    expect(internals().freeCoin('BTC').toFixed(), step).toBe(btc);
  };

  it('match a rebuild after every kind of change', async () => {
    market('AAPL', '230');
    const a = await place({ limitPrice: '225' });
    await place({ limitPrice: '224', qty: '3' });
    expectConsistent('two resting buys');
    const br = await place({ limitPrice: '229', takeProfit: { limitPrice: '236' }, stopLoss: { stopPrice: '222' } });
    expectConsistent('a bracket waiting for its entry');
    market('AAPL', '228.5');
    expect(engine.internals.orders.byId(br.id)?.status).toMatch(/filled/);
    expectConsistent('bracket entry filled, exits working');
    expect((await engine.call('order.replace', { id: a.id, limitPrice: '226', qty: '12' })).ok).toBe(true);
    expectConsistent('a modify');
    expect((await engine.call('order.cancel', { id: a.id })).ok).toBe(true);
    expectConsistent('a cancel');
    market('BTC/USD', '60000');
    const buy = await engine.call('order.place', { venue: 'paper', symbol: 'BTC/USD', side: 'buy', type: 'market', qty: '0.3', tif: 'ioc' });
    expect(buy.ok && buy.value.status, buy.ok ? '' : buy.error.message).toBe('filled');
    const sell = await engine.call('order.place', { venue: 'paper', symbol: 'BTC/USD', side: 'sell', type: 'limit', qty: '0.2', limitPrice: '61000', tif: 'gtc' });
    expect(sell.ok, sell.ok ? '' : sell.error.message).toBe(true);
    expect(internals().freeCoin('BTC').toFixed()).toBe('0.1');
    expectConsistent('a crypto sell holds coins');
    expect((await engine.call('killSwitch.trip', { reason: 'end' })).ok).toBe(true);
    await engine.internals.idle();
    expectConsistent('everything cancelled');
  });

  it('placing an order re-reads no open orders (neither Paper’s nor the journal’s working list)', async () => {
    market('AAPL', '230');
    for (let i = 0; i < 5; i++) await place({ limitPrice: '225' });
    const store = internals().store;
    const repo = engine.internals.orders;
    const reads = { paper: 0, working: 0 };
    const openOrders = store.openOrders.bind(store);
    const list = repo.list.bind(repo);
    store.openOrders = () => (reads.paper++, openOrders());
    repo.list = (opts) => (opts?.workingOnly && reads.working++, list(opts));
    await engine.call('order.preview', { venue: 'paper', symbol: 'AAPL', side: 'buy', type: 'limit', qty: '10', limitPrice: '225', tif: 'gtc' });
    await place({ limitPrice: '225' });
    expect(reads).toEqual({ paper: 0, working: 0 });
  });
});
