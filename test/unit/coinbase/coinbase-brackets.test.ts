/** A bracket exit order's states as our two children's reports (take-profit, stop-loss): which leg works, fills, and ends. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { activeLeg, CoinbaseBrackets, exitFromOrder, exitReports, legOfFill, splitFills, type BracketLink } from '../../../src-main/engine/venues/coinbase/coinbase-brackets';
import { WireOrder } from '../../../src-main/engine/venues/coinbase/coinbase-mapping';

const link: BracketLink = { entryCid: 'E1', tpCid: 'E1-tp', slCid: 'E1-sl', entryOrderId: 'cb-1', exitOrderId: 'cb-2' };

function exit(o: Partial<WireOrder>): WireOrder {
  return WireOrder.parse({
    order_id: 'cb-2',
    client_order_id: 'coinbase-own-id',
    product_id: 'BTC-USD',
    side: 'SELL',
    order_configuration: { trigger_bracket_gtc: { base_size: '0.02', limit_price: '55000', stop_trigger_price: '45000' } },
    status: 'OPEN',
    filled_size: '0',
    average_filled_price: '0',
    trigger_status: 'STOP_PENDING',
    originating_order_id: 'cb-1',
    ...o,
  });
}

const view = (o: Partial<WireOrder>) => exitReports(link, exitFromOrder(exit(o)), 'cb:BTC/USD').map((r) => [r.clientOrderId, r.status, r.filledQty, r.venueOrderId]);

describe('coinbase bracket exit → our children', () => {
  it('waiting (PENDING) and working: both children, under our ids, with the exit order id and their own prices', () => {
    expect(view({ status: 'PENDING' })).toEqual([
      ['E1-tp', 'submitted', '0', 'cb-2'],
      ['E1-sl', 'submitted', '0', 'cb-2'],
    ]);
    const [tp, sl] = exitReports(link, exitFromOrder(exit({})), 'cb:BTC/USD');
    expect(tp).toMatchObject({ status: 'accepted', limitPrice: '55000', qty: '0.02', side: 'sell' });
    expect(tp.stopPrice).toBeUndefined();
    expect(sl).toMatchObject({ status: 'accepted', stopPrice: '45000', qty: '0.02' });
    expect(sl.limitPrice).toBeUndefined();
  });

  it('the take-profit fills: partly → the stop-loss still guards the rest; fully → the stop-loss is cancelled (OCO)', () => {
    expect(view({ filled_size: '0.01', average_filled_price: '55000' })).toEqual([
      ['E1-tp', 'partially_filled', '0.01', 'cb-2'],
      ['E1-sl', 'accepted', '0', 'cb-2'],
    ]);
    const [, sl] = exitReports(link, exitFromOrder(exit({ status: 'FILLED', filled_size: '0.02', average_filled_price: '55000' })), undefined);
    expect(sl).toMatchObject({ status: 'cancelled', reason: 'one-cancels-other: the take-profit filled at Coinbase' });
  });

  it('fills go to a leg by their price, not by the trigger status: a take-profit partly filled before the stop triggered keeps its fills', () => {
    expect(legOfFill('SELL', '55000', '55000')).toBe('take_profit');
    expect(legOfFill('SELL', '55000', '55010')).toBe('take_profit');
    expect(legOfFill('SELL', '55000', '44500')).toBe('stop_loss');
    expect(legOfFill('BUY', '45000', '45000')).toBe('take_profit');
    expect(legOfFill('BUY', '45000', '44990')).toBe('take_profit');
    expect(legOfFill('BUY', '45000', '55500')).toBe('stop_loss');
    const fills = [
      { price: '55000', size: '0.008' },
      { price: '44500', size: '0.006' },
      { price: '44000', size: '0.006' },
    ];
    const legs = splitFills('SELL', '55000', fills);
    expect(legs).toEqual({ take_profit: { qty: '0.008', avgPrice: '55000' }, stop_loss: { qty: '0.012', avgPrice: '44250' } });
    const filled = exitFromOrder(exit({ trigger_status: 'STOP_TRIGGERED', status: 'FILLED', filled_size: '0.02', average_filled_price: '48700' }));
    expect(exitReports(link, filled, undefined, legs).map((r) => [r.clientOrderId, r.status, r.filledQty, r.avgFillPrice])).toEqual([
      ['E1-tp', 'cancelled', '0.008', '55000'],
      ['E1-sl', 'filled', '0.012', '44250'],
    ]);
    const triggered = exitFromOrder(exit({ trigger_status: 'STOP_TRIGGERED', filled_size: '0.008', average_filled_price: '55000' }));
    expect(exitReports(link, triggered, undefined, splitFills('SELL', '55000', fills.slice(0, 1))).map((r) => [r.clientOrderId, r.status, r.filledQty])).toEqual([
      ['E1-tp', 'cancelled', '0.008'],
      ['E1-sl', 'accepted', '0'],
    ]);
  });

  it('the stop triggered: the take-profit is cancelled, the stop-loss works, then fills', () => {
    expect(activeLeg('STOP_TRIGGERED')).toBe('stop_loss');
    expect(activeLeg('STOP_PENDING')).toBe('take_profit');
    expect(view({ trigger_status: 'STOP_TRIGGERED' })).toEqual([
      ['E1-tp', 'cancelled', '0', 'cb-2'],
      ['E1-sl', 'accepted', '0', 'cb-2'],
    ]);
    expect(view({ trigger_status: 'STOP_TRIGGERED', status: 'FILLED', filled_size: '0.02', average_filled_price: '44500' })).toEqual([
      ['E1-tp', 'cancelled', '0', 'cb-2'],
      ['E1-sl', 'filled', '0.02', 'cb-2'],
    ]);
  });

  it('cancelled or expired at Coinbase: both children end the same way', () => {
    expect(view({ status: 'CANCELLED' }).map((r) => r[1])).toEqual(['cancelled', 'cancelled']);
    expect(view({ status: 'EXPIRED' }).map((r) => r[1])).toEqual(['expired', 'expired']);
  });
});

describe('coinbase bracket links (SQLite)', () => {
  const noRest = { order: () => Promise.reject(new Error('no REST in this test')) };
  const make = (db: Database.Database) =>
    new CoinbaseBrackets(
      db,
      'cb',
      () => 1,
      noRest,
      async () => undefined,
    );

  it('journaled before sending, identified as Coinbase answers, read back by a new instance; a refused entry is forgotten', () => {
    const db = new Database(':memory:');
    const a = make(db);
    a.journal('E1', 'E1-tp', 'E1-sl');
    a.journal('E2', 'E2-tp', 'E2-sl');
    expect(a.anyUnidentified()).toBe(true);
    a.identify('E1', 'cb-1', 'cb-2');
    a.forget('E2');
    expect(a.anyUnidentified()).toBe(false);
    const b = make(db);
    expect(b.byExit('cb-2')).toEqual(link);
    expect(b.byChild('E1-sl')).toEqual({ link, leg: 'stop_loss' });
    expect(b.byChild('E2-tp')).toBeUndefined();
    db.close();
  });
});
