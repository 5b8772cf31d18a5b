/**
 * A ccxt replace carried out as cancel + new order (ccxt-sync.ts replacing): our order's
 * "cancelled" is held back while the replace is out, and the new exchange id is recorded (the old
 * one marked superseded) before that hold ends — so the old order's cancel arriving just after the
 * answer is read as the old order's, never as ours ending; its late fill is still ours.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src-main/engine/store/db';
import { applyOwnedMigrations } from '../../../src-main/engine/store/owned-migrations';
import { CCXT_MIGRATIONS } from '../../../src-main/engine/venues/ccxt/ccxt-migrations';
import { CcxtOrderIds } from '../../../src-main/engine/venues/ccxt/ccxt-order-ids';
import { CcxtSync } from '../../../src-main/engine/venues/ccxt/ccxt-sync';
import type { CcxtInstruments } from '../../../src-main/engine/venues/ccxt/ccxt-instruments';
import type { CcxtOrderLike } from '../../../src-main/engine/venues/ccxt/ccxt-mapping';
import type { VenueFillReport, VenueListener, VenueOrderReport } from '../../../src-main/engine/venues/venue-port';

let db: Db | undefined;
afterEach(() => db?.close());

function rig() {
  db = openDatabase(':memory:');
  applyOwnedMigrations(db, 'ccxt', CCXT_MIGRATIONS);
  const ids = new CcxtOrderIds(db, 'v', () => 1);
  const reports: VenueOrderReport[] = [];
  const fills: VenueFillReport[] = [];
  const listener = { orderReport: (r: VenueOrderReport) => void reports.push(r), fill: (f: VenueFillReport) => void fills.push(f) } as unknown as VenueListener;
  const insts = { find: (s: string) => (s === 'BTC/USDT' ? { id: 'v:BTC/USDT' } : undefined) } as unknown as CcxtInstruments;
  const sync = new CcxtSync({ exchange: 'binance', ids, insts, now: () => 2, listener: () => listener, query: (f) => f() });
  ids.sending('c1', 'BTC/USDT');
  ids.acked('c1', 'A');
  sync.track.watch('c1', 'BTC/USDT');
  return { sync, ids, reports, fills };
}

const order = (id: string, status: string, clientOrderId: string): CcxtOrderLike => ({
  id,
  clientOrderId,
  symbol: 'BTC/USDT',
  type: 'limit',
  side: 'buy',
  status,
  amount: 0.002,
  filled: 0,
  price: 50_000,
  timestamp: 1,
});

describe('ccxt replace: hold-back and the superseded mark', () => {
  it('the old order’s cancel, during the replace or just after its answer, never ends ours; the new id is followed', async () => {
    const { sync, ids, reports, fills } = rig();
    let answer!: (id: string) => void;
    const sent = new Promise<string>((r) => (answer = r));
    const replaced = sync.replacing('c1', 'A', () => sent);
    // During the replace: held back.
    sync.emitOrders([order('A', 'canceled', 'x-c1')]);
    expect(reports).toEqual([]);
    // The first thing to run once the answer is in (a stream or poll update already queued): the old id is superseded by then.
    const after = sent.then(() => {
      expect(ids.superseded('A')).toBe(true);
      sync.emitOrders([order('A', 'canceled', 'x-c1')]);
    });
    answer('B');
    expect(await replaced).toBe('B');
    await after;
    expect(reports.map((r) => r.status)).not.toContain('cancelled');
    // The replacement (a client id ccxt made up) is ours; the old order's late fill is still ours too.
    sync.emitOrders([order('B', 'open', 'ccxt-made-up')]);
    expect(reports.map((r) => [r.clientOrderId, r.venueOrderId, r.status])).toEqual([['c1', 'B', 'accepted']]);
    sync.emitFills(sync.fillsOf([{ id: 't1', order: 'A', symbol: 'BTC/USDT', side: 'buy', amount: 0.001, price: 50_000, timestamp: 3 }]));
    expect(fills.map((f) => [f.clientOrderId, f.qty])).toEqual([['c1', '0.001']]);
    // The hold is over: our order's own cancel (under its current id) now ends it.
    sync.emitOrders([order('B', 'canceled', 'ccxt-made-up')]);
    expect(reports.at(-1)).toMatchObject({ clientOrderId: 'c1', venueOrderId: 'B', status: 'cancelled' });
  });

  it('an edit in place (same id) marks nothing; a refused replace leaves the order as it was', async () => {
    const { sync, ids } = rig();
    expect(await sync.replacing('c1', 'A', async () => 'A')).toBe('A');
    expect(ids.superseded('A')).toBe(false);
    await expect(sync.replacing('c1', 'A', async () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    expect([ids.superseded('A'), ids.of('c1')?.venueOrderId]).toEqual([false, 'A']);
  });
});
