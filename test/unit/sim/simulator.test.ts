/**
 * The simulator's public surface (sim/): what the Paper venue and the SHADOW route both call.
 * It runs here on an in-memory store, so nothing in it depends on Paper's SQLite tables.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Instrument } from '../../../src-main/engine/domain/instrument';
import { Decimal } from '../../../src-main/engine/domain/money';
import type { Order } from '../../../src-main/engine/domain/order';
import { toLots, toTicks } from '../../../src-main/engine/domain/scaled';
import { SimAccount } from '../../../src-main/engine/sim/account';
import { MatchingEngine, type ScaledBook } from '../../../src-main/engine/sim/matching-engine';
import { scaledBookOf } from '../../../src-main/engine/sim/scaled-book';
import { Simulator } from '../../../src-main/engine/sim/simulator';
import { PAPER_INSTRUMENTS } from '../../../src-main/engine/venues/paper/paper-instruments';
import { MemorySimStore } from './memory-store';

const NOW = Date.UTC(2026, 0, 6, 15, 0); // a Tuesday, 10:00 New York: the equity session is open
const AAPL: Instrument = { ...PAPER_INSTRUMENTS.find((i) => i.id === 'paper:AAPL')!, session: 'always' };
let version = 0;
function book(bid: string, ask: string, size = '100'): ScaledBook {
  const scale = { tick: new Decimal(AAPL.tickSize), lot: new Decimal(AAPL.lotSize) };
  const lvl = (p: string) => [toTicks(new Decimal(p), scale), toLots(new Decimal(size), scale)] as const;
  return { bids: [lvl(bid)], asks: [lvl(ask)], version: ++version };
}
const order = (p: Partial<Order>): Order =>
  ({
    id: 'O',
    clientOrderId: 'c1',
    venue: 'sim',
    instrumentId: AAPL.id,
    symbol: 'AAPL',
    side: 'buy',
    type: 'limit',
    qty: '10',
    limitPrice: '100.00',
    tif: 'gtc',
    status: 'pending_submit',
    filledQty: '0',
    avgFillPrice: '0',
    fees: '0',
    source: 'user',
    createdAt: 0,
    updatedAt: 0,
    ...p,
  }) as Order;

describe('Simulator', () => {
  let store: MemorySimStore;
  let sim: Simulator;
  beforeEach(() => {
    store = new MemorySimStore();
    sim = new Simulator({ store, engine: new MatchingEngine({ instruments: [AAPL] }), orderIdPrefix: 'X', fillIdPrefix: 'x:', raw: { tag: 1 } });
  });

  it('records an order under the next venue id, rests it, and fills it against a later book with prefixed fill ids', () => {
    const { row, result } = sim.submit(order({}), book('99.90', '100.10'), NOW);
    expect(row).toMatchObject({ venueOrderId: 'X1', status: 'accepted' });
    expect(result.reports.map((r) => [r.status, r.raw])).toEqual([['accepted', { tag: 1 }]]);
    const fills: string[] = [];
    const later = sim.apply(sim.matchBook(AAPL.id, book('99.80', '99.95'), NOW + 1), NOW + 1, (_row, f) => fills.push(f.fillId));
    expect(later.fills.map((f) => [f.venueFillId, f.qty, f.price, f.liquidity])).toEqual([['x:' + fills[0]!.slice(2), '10', '100', 'maker']]);
    expect(fills[0]).toMatch(/^x:/);
    expect(store.orderByVenueId('X1')).toMatchObject({ status: 'filled', filledQty: '10' });
    expect(sim.isWorking('X1')).toBe(false);
  });

  it('returns a refused order as rejected, with the reason, and keeps no working order', () => {
    const { row } = sim.submit(order({ type: 'market', tif: 'ioc', limitPrice: undefined }), { bids: [], asks: [], version: ++version }, NOW);
    expect(row.status).not.toBe('accepted');
    expect(sim.isWorking(row.venueOrderId)).toBe(false);
  });

  it('holds a bracket’s children until the entry fills, then works them', () => {
    const { rows } = sim.submitBracket(
      order({ qty: '5' }),
      [order({ clientOrderId: 'tp', side: 'sell', limitPrice: '110.00', qty: '5' }), order({ clientOrderId: 'sl', side: 'sell', type: 'stop', limitPrice: undefined, stopPrice: '95.00', qty: '5' })],
      book('99.90', '100.10'),
      NOW,
    );
    expect(rows.map((r) => [r.venueOrderId, r.parentId, r.status])).toEqual([
      ['X1', null, 'accepted'],
      ['X2', 'X1', 'accepted'],
      ['X3', 'X1', 'accepted'],
    ]);
    sim.apply(sim.matchBook(AAPL.id, book('99.80', '99.95'), NOW + 1), NOW + 1);
    expect(store.orderByVenueId('X2')).toMatchObject({ releasedQty: '5', exitedQty: '0' });
    // The take-profit fills: the stop-loss is cancelled as its OCA sibling, named by client id.
    sim.apply(sim.matchBook(AAPL.id, book('110.00', '110.05'), NOW + 2), NOW + 2);
    expect(store.orderByVenueId('X2')!.status).toBe('filled');
    expect(store.orderByVenueId('X3')).toMatchObject({ status: 'cancelled', reason: 'OCA: tp filled' });
  });

  it('replaces a working order and says why when the engine refuses', () => {
    sim.submit(order({}), book('99.90', '100.10'), NOW);
    const out = sim.replace(store.orderByVenueId('X1')!, { limitPrice: '99.50' }, book('99.90', '100.10'), NOW + 1);
    expect(typeof out).not.toBe('string');
    expect(store.orderByVenueId('X1')!.limitPrice).toBe('99.50');
    const refused = sim.replace(store.orderByVenueId('X1')!, { limitPrice: '99.503' }, book('99.90', '100.10'), NOW + 2);
    expect(typeof refused).toBe('string');
  });

  it('cancels a working order, and closes one the engine does not work instead of leaving it open', () => {
    sim.submit(order({}), book('99.90', '100.10'), NOW);
    expect(sim.cancel(store.orderByVenueId('X1')!, NOW + 1).reports.map((r) => r.status)).toEqual(['cancelled']);
    const orphan = { ...store.orderByVenueId('X1')!, venueOrderId: 'X9', clientOrderId: 'lost', status: 'accepted' as const };
    store.saveOrder(orphan);
    sim.cancel(orphan, NOW + 2);
    expect(store.orderByVenueId('X9')!.status).toBe('cancelled');
  });

  it('restores stored working orders into a fresh engine and reports those it cannot restore', () => {
    sim.submit(order({}), book('99.90', '100.10'), NOW);
    const fresh = new Simulator({ store, engine: new MatchingEngine({ instruments: [AAPL] }), orderIdPrefix: 'X' });
    expect(fresh.restore(store.openOrders())).toEqual([]);
    expect(fresh.isWorking('X1')).toBe(true);
    const other = new Simulator({ store, engine: new MatchingEngine({ instruments: [] }), orderIdPrefix: 'X' });
    const problems = other.restore(store.openOrders());
    expect(problems.map((p) => p.row.venueOrderId)).toEqual(['X1']);
    expect(other.close(problems[0]!.row, 'gone', NOW + 1)).toMatchObject({ status: 'cancelled', reason: 'gone' });
  });
});

describe('SimAccount', () => {
  const mk = () => {
    const store = new MemorySimStore();
    const engine = new MatchingEngine({ instruments: [AAPL] });
    const account = new SimAccount({
      venue: 'sim',
      label: 'Sim',
      cash: 'USD',
      store,
      market: { mid: () => new Decimal('100'), quote: () => ({ instrumentId: AAPL.id, bid: '99.90', ask: '100.10', ts: NOW }) as never, book: () => book('99.90', '100.10') },
      instrument: (id) => (id === AAPL.id ? AAPL : undefined),
      instruments: () => [AAPL],
      fees: () => engine.fees(),
    });
    account.open(new Decimal('10000'));
    return { store, engine, account, sim: new Simulator({ store, engine, orderIdPrefix: 'A' }) };
  };

  it('a resting buy holds its cost plus the taker fee out of buying power, and releases it when cancelled', () => {
    const { account, sim, store } = mk();
    sim.submit(order({ qty: '10', limitPrice: '90.00' }), book('99.90', '100.10'), NOW);
    expect(account.buyingPower().toFixed()).toBe(new Decimal('10000').minus(new Decimal('900').mul(1.002)).toFixed());
    sim.cancel(store.orderByVenueId('A1')!, NOW + 1);
    expect(account.buyingPower().toFixed()).toBe('10000');
  });

  it('settles a fill into cash and a position, and refuses an order it cannot carry with a message that says how much is missing', () => {
    const { account } = mk();
    account.settleFill(AAPL.id, 'buy', new Decimal('10'), new Decimal('100'), new Decimal('1'));
    expect(account.balances()).toEqual([{ venue: 'sim', asset: 'USD', total: '8999', available: '8999' }]);
    expect(account.positions()).toEqual([{ venue: 'sim', instrumentId: AAPL.id, symbol: 'AAPL', qty: '10', avgPrice: '100', realizedPnl: '0' }]);
    const a = account.affordability(AAPL, { side: 'buy', type: 'limit', qty: '100', limitPrice: '100.00', tif: 'gtc' });
    expect(a.violation).toMatchObject({ code: 'insufficient_funds' });
    expect(a.violation!.message).toMatch(/needs .* USD of buying power; you have 8999(\.00)? USD/);
  });
});

describe('scaledBookOf', () => {
  it('rounds a price between ticks away from the touch and leaves out a side with no size', () => {
    const b = scaledBookOf(AAPL, undefined, { instrumentId: AAPL.id, bid: '99.905', bidSize: '3', ask: '100.10', ts: NOW } as never, 7);
    expect(b).toEqual({ bids: [[9990, 3]], asks: [], version: 7 });
    expect(scaledBookOf(AAPL, undefined, undefined, 8)).toBeUndefined();
  });
});
