import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Instrument } from '../../../src-main/engine/domain/instrument';
import { LotLedger } from '../../../src-main/engine/portfolio/ledger-service';
import { snapshot } from '../../../src-main/engine/portfolio/lot-ledger';
import { openDatabase, type Db } from '../../../src-main/engine/store/db';
import { LedgerRepo } from '../../../src-main/engine/store/ledger-repo';

const inst = (venue: string, symbol: string, over: Partial<Instrument> = {}): Instrument => ({
  id: `${venue}:${symbol}`,
  venue,
  venueSymbol: symbol,
  symbol,
  assetClass: 'equity',
  description: symbol,
  base: symbol.split('/')[0]!,
  quote: symbol.split('/')[1] ?? 'USD',
  tickSize: '0.01',
  lotSize: '1',
  minQty: '1',
  minNotional: '0',
  multiplier: '1',
  fractional: false,
  session: 'us_equity',
  ...over,
});

interface F {
  id: string;
  venue: string;
  symbol: string;
  side: 'buy' | 'sell';
  qty: string;
  price: string;
  fee?: string;
  feeCurrency?: string;
  ts: number;
  route?: 'paper' | 'live' | 'shadow' | null;
}

function journal(db: Db, f: F): void {
  const orderId = `o-${f.id}`;
  if (f.route !== null) {
    db.prepare(
      `INSERT INTO orders (id, client_order_id, venue, instrument_id, symbol, side, type, qty, tif, status, source, route, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'market', ?, 'day', 'filled', 'user', ?, ?, ?)`,
    ).run(orderId, orderId, f.venue, `${f.venue}:${f.symbol}`, f.symbol, f.side, f.qty, f.route ?? 'live', f.ts, f.ts);
  }
  db.prepare(
    `INSERT INTO fills (id, order_id, client_order_id, venue, venue_fill_id, instrument_id, symbol, side, qty, price, fee, fee_currency, liquidity, ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'taker', ?)`,
  ).run(f.id, orderId, orderId, f.venue, f.id, `${f.venue}:${f.symbol}`, f.symbol, f.side, f.qty, f.price, f.fee ?? '0', f.feeCurrency ?? 'USD', f.ts);
}

describe('the lot ledger fed from the journal', () => {
  let db: Db;
  let repo: LedgerRepo;
  const instruments = new Map<string, Instrument>();
  const ledger = () => new LotLedger({ repo, instrument: (_v, id) => instruments.get(id) });
  beforeEach(() => {
    db = openDatabase(':memory:');
    repo = new LedgerRepo(db, () => 0);
    instruments.clear();
    for (const v of ['alpaca', 'ibkr']) for (const s of ['AAPL', 'MSFT']) instruments.set(`${v}:${s}`, inst(v, s));
  });
  afterEach(() => db.close());

  it('one ledger across venues: a multi-venue position has lots at each venue', () => {
    journal(db, { id: 'a1', venue: 'alpaca', symbol: 'AAPL', side: 'buy', qty: '10', price: '100', fee: '1', ts: 1 });
    journal(db, { id: 'i1', venue: 'ibkr', symbol: 'AAPL', side: 'buy', qty: '5', price: '110', fee: '0.5', ts: 2 });
    journal(db, { id: 'a2', venue: 'alpaca', symbol: 'AAPL', side: 'sell', qty: '4', price: '120', fee: '0.4', ts: 3 });
    const l = ledger();
    l.rebuild();
    const s = snapshot(l.view().state);
    expect(s.lots.map((x) => [x.account, x.id, x.qty, x.basis])).toEqual([
      ['alpaca', 'a1', '6', '600.6'],
      ['ibkr', 'i1', '5', '550.5'],
    ]);
    // 4 × 120 − 0.4 = 479.6 proceeds; 4/10 of 1001 = 400.4 cost.
    expect(s.closes.map((c) => [c.account, c.proceeds, c.cost, c.realized])).toEqual([['alpaca', '479.6', '400.4', '79.2']]);
  });

  it('leaves SHADOW fills out and takes adopted fills (no local order) like any other', () => {
    journal(db, { id: 's1', venue: 'alpaca', symbol: 'AAPL', side: 'buy', qty: '10', price: '100', ts: 1, route: 'shadow' });
    journal(db, { id: 'x1', venue: 'alpaca', symbol: 'AAPL', side: 'buy', qty: '3', price: '90', ts: 2, route: null });
    const l = ledger();
    l.rebuild();
    expect(l.openLots().map((x) => [x.id, x.qty.toString()])).toEqual([['x1', '3']]);
    expect(l.source('x1')).toBe('external');
    expect(l.onFill('s1')).toBe(false);
  });

  it('is idempotent on a repeated fill and prices contracts and base-asset fees', () => {
    instruments.set('ibkr:ES', inst('ibkr', 'ES', { assetClass: 'future', multiplier: '50' }));
    instruments.set('alpaca:BTC/USD', inst('alpaca', 'BTC/USD', { assetClass: 'crypto_spot', base: 'BTC', quote: 'USD', multiplier: '1' }));
    const l = ledger();
    l.rebuild();
    journal(db, { id: 'e1', venue: 'ibkr', symbol: 'ES', side: 'buy', qty: '2', price: '5000', fee: '4', ts: 1 });
    journal(db, { id: 'b1', venue: 'alpaca', symbol: 'BTC/USD', side: 'buy', qty: '0.5', price: '60000', fee: '0.001', feeCurrency: 'BTC', ts: 2 });
    journal(db, { id: 'b2', venue: 'alpaca', symbol: 'BTC/USD', side: 'buy', qty: '0.5', price: '60000', fee: '1', feeCurrency: 'BNB', ts: 3 });
    expect([l.onFill('e1'), l.onFill('e1'), l.onFill('b1'), l.onFill('b2'), l.onFill('b1')]).toEqual([true, false, true, true, false]);
    const lots = snapshot(l.view().state).lots.map((x) => [x.id, x.qty, x.basis]);
    // ES: 2 × 5000 × 50 + 4; BTC: 0.5 × 60000 + 0.001 BTC × 60000; a BNB fee cannot be priced.
    expect(lots).toEqual([
      ['b1', '0.5', '30060'],
      ['b2', '0.5', '30000'],
      ['e1', '2', '500004'],
    ]);
    expect(l.unpricedFees).toEqual([expect.stringContaining('1 BNB fee on alpaca fill b2')]);
  });

  it('incremental (fills arriving late, out of order, twice) equals a full rebuild', () => {
    const venues = ['alpaca', 'ibkr'] as const;
    const symbols = ['AAPL', 'MSFT'] as const;
    const fillArb = fc.record({
      venue: fc.constantFrom(...venues),
      symbol: fc.constantFrom(...symbols),
      side: fc.constantFrom('buy' as const, 'sell' as const),
      qty: fc.integer({ min: 1, max: 20 }),
      price: fc.integer({ min: 50, max: 150 }),
      // Days apart, so some losses have a repurchase within 30 days (wash sales) and some do not.
      fee: fc.integer({ min: 0, max: 3 }),
      ts: fc.integer({ min: 1, max: 120 }).map((d) => d * 86_400_000),
      dup: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(fillArb, { minLength: 1, maxLength: 40 }), fc.constantFrom('fifo', 'lifo', 'hifo'), (fills, method) => {
        db.exec('DELETE FROM fills; DELETE FROM orders; DELETE FROM ledger_methods;');
        repo.setMethod('ibkr', method);
        const live = ledger();
        live.rebuild();
        fills.forEach((f, i) => {
          const id = `f${String(i).padStart(3, '0')}`;
          journal(db, { id, venue: f.venue, symbol: f.symbol, side: f.side, qty: String(f.qty), price: String(f.price), fee: String(f.fee), ts: f.ts });
          live.onFill(id);
          if (f.dup) live.onFill(id);
        });
        const full = ledger();
        full.rebuild();
        expect(snapshot(live.view().state)).toEqual(snapshot(full.view().state));
        const washed = (l: LotLedger) => l.view().wash.map((w) => [w.close.closeFillId, w.close.lotId, w.replacementLotId, w.disallowed.toString()]);
        expect(washed(live)).toEqual(washed(full));
      }),
      { numRuns: 150 },
    );
  });

  it('an opening lot and a change of method are inputs of the rebuild', () => {
    repo.addOpeningLot({ id: 'ol1', account: 'alpaca', asset: 'AAPL', direction: 'long', qty: '10', cost: '500', openedAt: 0 }, 0);
    journal(db, { id: 'b1', venue: 'alpaca', symbol: 'AAPL', side: 'buy', qty: '10', price: '100', ts: 5 });
    journal(db, { id: 's1', venue: 'alpaca', symbol: 'AAPL', side: 'sell', qty: '5', price: '120', ts: 6 });
    const l = ledger();
    l.rebuild();
    expect(l.view().state.closes.map((c) => [c.lotId, c.realized.toString()])).toEqual([['ol1', '350']]);
    repo.setMethod('alpaca', 'hifo');
    l.rebuild();
    expect(l.view().state.closes.map((c) => [c.lotId, c.realized.toString()])).toEqual([['b1', '100']]);
    expect(l.viewWith('fifo').state.closes.map((c) => c.lotId)).toEqual(['ol1']);
  });
});
