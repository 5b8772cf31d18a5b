/**
 * A user-channel update whose fill read fails is tried again in its order's place (bounded, with
 * backoff), its fill reported once; past the bound the connector is asked to reconcile, once.
 */
import { expect, it } from 'vitest';
import { CoinbaseFills } from '../../../src-main/engine/venues/coinbase/coinbase-fills';
import type { CoinbaseInstruments } from '../../../src-main/engine/venues/coinbase/coinbase-instruments';
import type { CoinbaseOrders } from '../../../src-main/engine/venues/coinbase/coinbase-orders';
import type { CoinbaseBrackets } from '../../../src-main/engine/venues/coinbase/coinbase-brackets';
import type { CoinbaseRest } from '../../../src-main/engine/venues/coinbase/coinbase-rest';
import type { WireFill, WireUserOrder } from '../../../src-main/engine/venues/coinbase/coinbase-mapping';
import { RecordingListener } from '../../support/venue-contract';
import { HttpError } from '../../../src-main/engine/net/http-client';

const insts = { find: () => ({ id: 'cb:BTC/USD', quote: 'USD' }) } as unknown as CoinbaseInstruments;
const orders = { remember: () => undefined } as unknown as CoinbaseOrders;
const brackets = { isRetired: () => false, exitOf: async () => undefined } as unknown as CoinbaseBrackets;
const update: WireUserOrder = { order_id: 'o1', client_order_id: 'C1', status: 'FILLED', product_id: 'BTC-USD', order_side: 'BUY', cumulative_quantity: '0.5', leaves_quantity: '0', avg_price: '100' };
const fill: WireFill = {
  entry_id: 'e1',
  trade_id: 't1',
  order_id: 'o1',
  product_id: 'BTC-USD',
  price: '100',
  size: '0.5',
  commission: '0.1',
  side: 'BUY',
  trade_time: '2026-12-05T00:00:00Z',
  liquidity_indicator: 'MAKER',
} as WireFill;

/** A fills read failing `failures` times (429), then answering. */
function rest(failures: number) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    fills: async () => {
      calls++;
      if (calls <= failures) throw new HttpError('rate_limited', 'Coinbase is rate limiting Tradeport', 'rate_limited', 429);
      return [fill];
    },
    order: async () => {
      throw new Error('not used');
    },
  };
}

it('a failed read is tried again: the fill and the report arrive once', async () => {
  const r = rest(2);
  const l = new RecordingListener();
  const reported = new Promise<void>((resolve) => (l.orderReport = (rep) => (l.reports.push(rep), resolve())));
  const f = new CoinbaseFills(
    r as unknown as CoinbaseRest,
    insts,
    orders,
    brackets,
    () => l,
    () => expect.fail('no reconcile needed'),
    undefined,
    [1, 1, 1],
  );
  f.update(update, 0);
  await reported;
  expect(r.calls).toBe(3);
  expect(l.fills.map((x) => [x.venueFillId, x.qty])).toEqual([['e1', '0.5']]);
  expect(l.reports.map((x) => [x.clientOrderId, x.status])).toEqual([['C1', 'filled']]);
  // The same update again (a repeat frame): no second fill.
  f.update(update, 0);
  await new Promise<void>((resolve) => (l.orderReport = () => resolve()));
  expect(l.fills).toHaveLength(1);
});

it('past the bound: the venue is marked degraded and asked to reconcile once; nothing is reported half', async () => {
  const r = rest(100);
  const l = new RecordingListener();
  const why = await new Promise<string>((resolve) => {
    const f = new CoinbaseFills(r as unknown as CoinbaseRest, insts, orders, brackets, () => l, resolve, undefined, [1, 1]);
    f.update(update, 0);
  });
  expect(r.calls).toBe(3);
  expect(why).toContain('C1');
  expect(l.states.map((s) => s.state)).toEqual(['degraded']);
  expect(l.fills).toEqual([]);
  expect(l.reports).toEqual([]);
});
