/**
 * A trailing stop's current stop travels from the venue to the engine's order: Paper's ledger
 * reports it only when it moves, IB's openOrder carries it as trailStopPrice, and the OMS stores it
 * (trailing stops only, real prices only) in the journal.
 */
import type { Order as IbOrder } from '@stoqey/ib';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src-main/engine/api/events';
import type { Order } from '../../../src-main/engine/domain/order';
import { OrderManager } from '../../../src-main/engine/oms/order-manager';
import { ManualClock } from '../../../src-main/engine/ports/clock';
import { SeededRandom } from '../../../src-main/engine/ports/random';
import { openDatabase, type Db } from '../../../src-main/engine/store/db';
import { OrdersRepo } from '../../../src-main/engine/store/orders-repo';
import { pricesFromIb } from '../../../src-main/engine/venues/ibkr/ibkr-mapping';
import { applyMatchEvents, recordNewOrder } from '../../../src-main/engine/sim/ledger';
import { PaperStore } from '../../../src-main/engine/venues/paper/paper-store';
import type { VenueOrderReport } from '../../../src-main/engine/venues/venue-port';
import { ScriptedVenue, SCRIPTED_INSTRUMENT } from '../../support/scripted-venue';

const order = (p: Partial<Order> = {}): Order =>
  ({
    id: 'O1',
    clientOrderId: 'c1',
    venue: 'paper',
    instrumentId: 'paper:AAPL',
    symbol: 'AAPL',
    side: 'sell',
    type: 'trailing_stop',
    qty: '1',
    tif: 'gtc',
    trailPercent: '1',
    status: 'pending_submit',
    filledQty: '0',
    avgFillPrice: '0',
    fees: '0',
    source: 'user',
    createdAt: 0,
    updatedAt: 0,
    ...p,
  }) as Order;

describe('Paper ledger: trail events', () => {
  let db: Db;
  let store: PaperStore;
  beforeEach(() => {
    db = openDatabase(':memory:');
    store = new PaperStore(db, 'paper');
  });

  it('reports a trailing stop only when its stop moves, with the stop in the report', () => {
    const { row } = recordNewOrder(store, order(), 'P', 1);
    const id = row.venueOrderId;
    const first = applyMatchEvents(
      store,
      [
        { type: 'accepted', orderId: id, ts: 1 },
        { type: 'trail', orderId: id, ts: 1, extreme: '200', stopPrice: '198' },
      ],
      1,
    );
    expect(first.reports.map((r) => [r.status, r.trailStop])).toEqual([
      ['accepted', undefined],
      ['accepted', '198'],
    ]);
    // A new extreme whose percent stop rounds to the same tick: persisted, not reported.
    const same = applyMatchEvents(store, [{ type: 'trail', orderId: id, ts: 2, extreme: '200.01', stopPrice: '198' }], 2);
    expect(same.reports).toEqual([]);
    expect(store.orderByVenueId(id)).toMatchObject({ trailExtreme: '200.01', trailStop: '198' });
    const moved = applyMatchEvents(store, [{ type: 'trail', orderId: id, ts: 3, extreme: '201', stopPrice: '198.99' }], 3);
    expect(moved.reports).toEqual([expect.objectContaining({ clientOrderId: 'c1', status: 'accepted', trailStop: '198.99' })]);
  });
});

describe('IB mapping: trailStopPrice', () => {
  it('is the current stop of a TRAIL order (trailStop), and a TRAIL LIMIT keeps it as its stop price', () => {
    expect(pricesFromIb({ orderType: 'TRAIL', trailStopPrice: 197.5, auxPrice: 2 } as unknown as IbOrder)).toEqual({ trailStop: '197.5' });
    expect(pricesFromIb({ orderType: 'TRAIL', trailStopPrice: Number.MAX_VALUE } as unknown as IbOrder)).toEqual({});
    expect(pricesFromIb({ orderType: 'TRAIL LIMIT', trailStopPrice: 197.5, lmtPrice: 197 } as unknown as IbOrder)).toEqual({ limitPrice: '197', stopPrice: '197.5' });
    expect(pricesFromIb({ orderType: 'STP', auxPrice: 95 } as unknown as IbOrder)).toEqual({ stopPrice: '95' });
  });
});

describe('OrderManager: trailStop from venue reports', () => {
  let repo: OrdersRepo;
  let oms: OrderManager;
  let events: EngineEvent[];
  const clock = new ManualClock();
  const venue = new ScriptedVenue('scripted', () => clock.now());
  beforeEach(() => {
    repo = new OrdersRepo(openDatabase(':memory:'));
    events = [];
    oms = new OrderManager({ repo, clock, random: new SeededRandom(1), emit: (e) => events.push(e), connector: () => venue });
  });
  const report = (p: Partial<VenueOrderReport>): VenueOrderReport => ({ clientOrderId: 'c1', venueOrderId: 'V1', status: 'accepted', filledQty: '0', avgFillPrice: '0', ts: 1, ...p });

  it('stores the stop of a trailing stop, ignores 0 and other order types, and survives a reload', () => {
    repo.insert(
      { ...order({ venue: 'scripted', instrumentId: SCRIPTED_INSTRUMENT.id, status: 'accepted' }), route: 'live' },
      { orderId: 'O1', from: null, to: 'accepted', accepted: true, source: 'user', ts: 0 },
    );
    oms.applyReport('scripted', report({ trailStop: '198.50' }), 'venue');
    expect(repo.byId('O1')!.trailStop).toBe('198.5');
    expect(events.at(-1)).toMatchObject({ type: 'order', order: { id: 'O1', trailStop: '198.5' } });
    oms.applyReport('scripted', report({ trailStop: '0' }), 'venue');
    expect(repo.byId('O1')!.trailStop).toBe('198.5');
    // The trader's own stop price is not the moving stop.
    expect(repo.byId('O1')!.stopPrice).toBeUndefined();

    repo.insert(
      { ...order({ id: 'O2', clientOrderId: 'c2', type: 'stop', stopPrice: '90', venue: 'scripted', status: 'accepted' }), route: 'live' },
      { orderId: 'O2', from: null, to: 'accepted', accepted: true, source: 'user', ts: 0 },
    );
    oms.applyReport('scripted', report({ clientOrderId: 'c2', venueOrderId: 'V2', stopPrice: '90', trailStop: '91' }), 'venue');
    expect(repo.byId('O2')!.trailStop).toBeUndefined();
  });

  it('an adopted trailing stop (placed outside Tradeport) comes with its stop', () => {
    const o = oms.applyReport(
      'scripted',
      report({ clientOrderId: 'ext-1', venueOrderId: 'V9', instrumentId: SCRIPTED_INSTRUMENT.id, side: 'sell', type: 'trailing_stop', qty: '3', tif: 'gtc', trailStop: '97.25' }),
      'reconcile',
    );
    expect(o).toMatchObject({ type: 'trailing_stop', trailStop: '97.25', source: 'external' });
    expect(repo.byId(o!.id)!.trailStop).toBe('97.25');
  });
});
