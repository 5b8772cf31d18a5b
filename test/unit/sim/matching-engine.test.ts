import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../../src-main/engine/domain/instrument';
import { Decimal, sum } from '../../../src-main/engine/domain/money';
import { toLots, toTicks } from '../../../src-main/engine/domain/scaled';
import { PAPER_INSTRUMENTS } from '../../../src-main/engine/venues/paper/paper-instruments';
import { computeFee, type FillEvent, MatchingEngine, type MatchEvent, type SimOrderInput, type ScaledBook } from '../../../src-main/engine/sim/matching-engine';
import { PaperPriceSource } from '../../../src-main/engine/venues/paper/price-source';

// Tue 2026-01-06 15:00Z = 10:00 ET, a regular session for every calendar. Close: 21:00Z.
const NOW = Date.UTC(2026, 0, 6, 15, 0);
const CLOSE = Date.UTC(2026, 0, 6, 21, 0);
const SATURDAY = Date.UTC(2026, 0, 10, 15, 0);

const inst = (id: string): Instrument => PAPER_INSTRUMENTS.find((i) => i.id === id)!;
const AAPL = 'paper:AAPL';
const SOL = 'paper:SOL-USD';

let version = 0;
/** A book in decimal notation, converted the way the price source's would be: [[price, qty], ...]. */
function book(id: string, bids: Array<[string, string]>, asks: Array<[string, string]>): ScaledBook {
  const i = inst(id);
  const scale = { tick: new Decimal(i.tickSize), lot: new Decimal(i.lotSize) };
  const conv = (l: [string, string]) => [toTicks(new Decimal(l[0]), scale), toLots(new Decimal(l[1]), scale)] as const;
  return { bids: bids.map(conv), asks: asks.map(conv), version: ++version };
}

const AAPL_BOOK = () =>
  book(
    AAPL,
    [
      ['100.00', '100'],
      ['99.99', '200'],
      ['99.98', '300'],
    ],
    [
      ['100.01', '100'],
      ['100.02', '200'],
      ['100.03', '300'],
    ],
  );

let n = 0;
function order(o: Partial<SimOrderInput> & Pick<SimOrderInput, 'side' | 'type' | 'qty'>): SimOrderInput {
  return { id: `o${++n}`, instrumentId: AAPL, tif: 'gtc', ...o };
}

const engine = () => new MatchingEngine({ instruments: PAPER_INSTRUMENTS });
const fills = (ev: MatchEvent[]) => ev.filter((e): e is FillEvent => e.type === 'fill');
const types = (ev: MatchEvent[]) => ev.map((e) => e.type);
const reasonOf = (ev: MatchEvent[], type: string) => (ev.find((e) => e.type === type) as { reason?: string } | undefined)?.reason;

describe('market orders', () => {
  it('walk the book level by level as taker; the VWAP matches the displayed levels', () => {
    const ev = engine().submit(order({ side: 'buy', type: 'market', qty: '450' }), AAPL_BOOK(), NOW);
    expect(types(ev)).toEqual(['accepted', 'fill', 'fill', 'fill']);
    const f = fills(ev);
    expect(f.map((x) => [x.qty, x.price, x.liquidity])).toEqual([
      ['100', '100.01', 'taker'],
      ['200', '100.02', 'taker'],
      ['150', '100.03', 'taker'],
    ]);
    const notional = sum(f.map((x) => new Decimal(x.qty).mul(x.price)));
    expect(notional.toFixed()).toBe('45009.5');
    expect(notional.div(450).toDecimalPlaces(6).toFixed()).toBe('100.021111');
    expect(f[2]!.done).toBe(true);
    expect(f[2]!.filledQty).toBe('450');
    expect(f.map((x) => x.fillId)).toEqual([`o${n}:100`, `o${n}:300`, `o${n}:450`]);
  });

  it('sell walks the bids downwards', () => {
    const f = fills(engine().submit(order({ side: 'sell', type: 'market', qty: '250' }), AAPL_BOOK(), NOW));
    expect(f.map((x) => [x.qty, x.price])).toEqual([
      ['100', '100'],
      ['150', '99.99'],
    ]);
  });

  it('cancel what the displayed depth cannot fill instead of resting', () => {
    const e = engine();
    const ev = e.submit(order({ side: 'buy', type: 'market', qty: '1000', tif: 'day' }), AAPL_BOOK(), NOW);
    expect(types(ev)).toEqual(['accepted', 'fill', 'fill', 'fill', 'cancelled']);
    expect(sum(fills(ev).map((x) => new Decimal(x.qty))).toFixed()).toBe('600');
    expect(reasonOf(ev, 'cancelled')).toMatch(/filled 600 of 1000.*ran out/);
    expect(e.openOrders()).toEqual([]);
  });

  it('are rejected with a clear reason when there is no opposing liquidity', () => {
    const ev = engine().submit(order({ side: 'buy', type: 'market', qty: '1' }), book(AAPL, [['100.00', '5']], []), NOW);
    expect(types(ev)).toEqual(['rejected']);
    expect(reasonOf(ev, 'rejected')).toMatch(/No asks on the AAPL book/);
  });

  it('FOK fills completely or not at all', () => {
    const e = engine();
    const no = e.submit(order({ side: 'buy', type: 'market', qty: '601', tif: 'fok' }), AAPL_BOOK(), NOW);
    expect(types(no)).toEqual(['accepted', 'cancelled']);
    expect(reasonOf(no, 'cancelled')).toMatch(/FOK: only 600 of 601/);
    const yes = e.submit(order({ side: 'buy', type: 'market', qty: '600', tif: 'fok' }), AAPL_BOOK(), NOW);
    expect(sum(fills(yes).map((x) => new Decimal(x.qty))).toFixed()).toBe('600');
  });
});

describe('limit orders', () => {
  it('take what is marketable, rest the rest (GTC), then fill as maker at the limit across later books', () => {
    const e = engine();
    const o = order({ side: 'buy', type: 'limit', qty: '500', limitPrice: '100.02' });
    const ev = e.submit(o, AAPL_BOOK(), NOW);
    expect(types(ev)).toEqual(['accepted', 'fill', 'fill']);
    expect(fills(ev).map((x) => [x.qty, x.price, x.liquidity])).toEqual([
      ['100', '100.01', 'taker'],
      ['200', '100.02', 'taker'],
    ]);
    expect(e.get(o.id)).toMatchObject({ filledQty: '300' });

    // Asks at 100.00 and 100.02 are at or below the limit (50 + 80); 100.05 is not.
    const b2 = book(
      AAPL,
      [['99.95', '100']],
      [
        ['100.00', '50'],
        ['100.02', '80'],
        ['100.05', '1000'],
      ],
    );
    const ev2 = e.onBook(AAPL, b2, NOW + 1000);
    expect(fills(ev2).map((x) => [x.qty, x.price, x.liquidity, x.remainingQty])).toEqual([['130', '100.02', 'maker', '70']]);
    // The same book handed over again cannot fill twice.
    expect(e.onBook(AAPL, b2, NOW + 1500)).toEqual([]);

    const ev3 = e.onBook(AAPL, book(AAPL, [['99.98', '10']], [['99.99', '1000']]), NOW + 2000);
    expect(fills(ev3).map((x) => [x.qty, x.price, x.liquidity, x.done])).toEqual([['70', '100.02', 'maker', true]]);
    expect(e.openOrders()).toEqual([]);
  });

  it('does not fill while the ask stays above the limit', () => {
    const e = engine();
    const o = order({ side: 'buy', type: 'limit', qty: '10', limitPrice: '99.50', tif: 'day' });
    expect(types(e.submit(o, AAPL_BOOK(), NOW))).toEqual(['accepted']);
    expect(e.onBook(AAPL, book(AAPL, [['99.50', '10']], [['99.51', '10']]), NOW + 1)).toEqual([]);
    expect(fills(e.onBook(AAPL, book(AAPL, [['99.49', '10']], [['99.50', '4']]), NOW + 2)).map((x) => x.qty)).toEqual(['4']);
  });

  it('a resting sell fills as maker when the bid reaches its price', () => {
    const e = engine();
    const o = order({ side: 'sell', type: 'limit', qty: '50', limitPrice: '100.10' });
    expect(types(e.submit(o, AAPL_BOOK(), NOW))).toEqual(['accepted']);
    const ev = e.onBook(
      AAPL,
      book(
        AAPL,
        [
          ['100.12', '20'],
          ['100.10', '100'],
          ['100.09', '500'],
        ],
        [['100.13', '5']],
      ),
      NOW + 1,
    );
    expect(fills(ev).map((x) => [x.qty, x.price, x.liquidity])).toEqual([['50', '100.1', 'maker']]);
  });

  it('IOC fills what it can and cancels the remainder', () => {
    const e = engine();
    const ev = e.submit(order({ side: 'buy', type: 'limit', qty: '500', limitPrice: '100.02', tif: 'ioc' }), AAPL_BOOK(), NOW);
    expect(types(ev)).toEqual(['accepted', 'fill', 'fill', 'cancelled']);
    expect(reasonOf(ev, 'cancelled')).toMatch(/IOC filled 300 of 500/);
    expect(e.openOrders()).toEqual([]);
  });

  it('FOK limit: all-or-none against the depth at or better than the limit', () => {
    const e = engine();
    const no = e.submit(order({ side: 'buy', type: 'limit', qty: '301', limitPrice: '100.02', tif: 'fok' }), AAPL_BOOK(), NOW);
    expect(types(no)).toEqual(['accepted', 'cancelled']);
    expect(reasonOf(no, 'cancelled')).toMatch(/only 300 of 301 available at 100.02 or better/);
    const yes = e.submit(order({ side: 'buy', type: 'limit', qty: '300', limitPrice: '100.02', tif: 'fok' }), AAPL_BOOK(), NOW);
    expect(fills(yes).map((x) => x.qty)).toEqual(['100', '200']);
    expect(e.openOrders()).toEqual([]);
  });

  it('DAY orders expire at the session close and stop filling after it', () => {
    const e = engine();
    const o = order({ side: 'buy', type: 'limit', qty: '10', limitPrice: '99.00', tif: 'day' });
    const ev = e.submit(o, AAPL_BOOK(), NOW);
    expect(ev[0]).toMatchObject({ type: 'accepted', expiresAt: CLOSE });
    expect(e.nextExpiry()).toBe(CLOSE);
    expect(e.expireDay(CLOSE - 1)).toEqual([]);
    const crossing = book(AAPL, [['98.90', '10']], [['98.95', '100']]);
    const after = e.onBook(AAPL, crossing, CLOSE);
    expect(types(after)).toEqual(['expired']);
    expect(reasonOf(after, 'expired')).toMatch(/session close \(Tue 2026-01-06 16:00 ET\)/);
    expect(e.openOrders()).toEqual([]);
  });

  it('expireDay expires DAY orders across instruments and leaves GTC alone', () => {
    const e = engine();
    const day = order({ side: 'buy', type: 'limit', qty: '1', limitPrice: '90.00', tif: 'day' });
    const gtc = order({ side: 'buy', type: 'limit', qty: '1', limitPrice: '90.00', tif: 'gtc' });
    const sol = order({ instrumentId: SOL, side: 'buy', type: 'limit', qty: '1', limitPrice: '10.000', tif: 'day' });
    e.submit(day, AAPL_BOOK(), NOW);
    e.submit(gtc, AAPL_BOOK(), NOW);
    e.submit(sol, book(SOL, [['180.000', '10']], [['180.010', '10']]), NOW);
    const ev = e.expireDay(CLOSE);
    expect(ev.map((x) => [x.type, x.orderId])).toEqual([['expired', day.id]]);
    // Crypto days end at 00:00 UTC.
    expect(e.expireDay(Date.UTC(2026, 0, 7)).map((x) => x.orderId)).toEqual([sol.id]);
    expect(e.openOrders().map((x) => x.id)).toEqual([gtc.id]);
  });

  it('resting orders share the displayed quantity in price-time priority', () => {
    const e = engine();
    const early = order({ side: 'buy', type: 'limit', qty: '100', limitPrice: '100.05' });
    const better = order({ side: 'buy', type: 'limit', qty: '100', limitPrice: '100.08' });
    const late = order({ side: 'buy', type: 'limit', qty: '100', limitPrice: '100.05' });
    const quiet = book(AAPL, [['100.00', '1']], [['100.10', '1']]);
    for (const o of [early, better, late]) e.submit(o, quiet, NOW);
    const ev = e.onBook(
      AAPL,
      book(
        AAPL,
        [['100.00', '1']],
        [
          ['100.04', '150'],
          ['100.06', '1000'],
        ],
      ),
      NOW + 1,
    );
    expect(fills(ev).map((x) => [x.orderId, x.qty, x.price])).toEqual([
      [better.id, '100', '100.08'],
      [early.id, '50', '100.05'],
    ]);
  });
});

describe('stop orders', () => {
  it('a buy stop triggers when the ask reaches the stop, then walks the book as a market order', () => {
    const e = engine();
    const o = order({ side: 'buy', type: 'stop', qty: '150', stopPrice: '100.10' });
    expect(types(e.submit(o, AAPL_BOOK(), NOW))).toEqual(['accepted']);
    expect(e.onBook(AAPL, book(AAPL, [['100.08', '10']], [['100.09', '1000']]), NOW + 1)).toEqual([]);
    const ev = e.onBook(
      AAPL,
      book(
        AAPL,
        [['100.09', '10']],
        [
          ['100.10', '100'],
          ['100.12', '1000'],
        ],
      ),
      NOW + 2,
    );
    expect(types(ev)).toEqual(['triggered', 'fill', 'fill']);
    expect(fills(ev).map((x) => [x.qty, x.price, x.liquidity])).toEqual([
      ['100', '100.1', 'taker'],
      ['50', '100.12', 'taker'],
    ]);
  });

  it('a sell stop triggers when the bid falls to the stop', () => {
    const e = engine();
    const o = order({ side: 'sell', type: 'stop', qty: '10', stopPrice: '99.50', tif: 'day' });
    e.submit(o, AAPL_BOOK(), NOW);
    expect(e.onBook(AAPL, book(AAPL, [['99.51', '100']], [['99.52', '100']]), NOW + 1)).toEqual([]);
    const ev = e.onBook(AAPL, book(AAPL, [['99.40', '100']], [['99.45', '100']]), NOW + 2);
    expect(fills(ev).map((x) => [x.qty, x.price])).toEqual([['10', '99.4']]);
  });

  it('a stop-limit becomes a limit on trigger: takes what is within the limit, rests, fills later as maker', () => {
    const e = engine();
    const o = order({ side: 'buy', type: 'stop_limit', qty: '300', stopPrice: '100.10', limitPrice: '100.11' });
    e.submit(o, AAPL_BOOK(), NOW);
    const ev = e.onBook(
      AAPL,
      book(
        AAPL,
        [['100.09', '10']],
        [
          ['100.10', '100'],
          ['100.12', '1000'],
        ],
      ),
      NOW + 1,
    );
    expect(types(ev)).toEqual(['triggered', 'fill']);
    expect(fills(ev)[0]).toMatchObject({ qty: '100', price: '100.1', liquidity: 'taker' });
    expect(e.get(o.id)).toMatchObject({ triggered: true, filledQty: '100' });
    const ev2 = e.onBook(AAPL, book(AAPL, [['100.05', '10']], [['100.08', '500']]), NOW + 2);
    expect(fills(ev2).map((x) => [x.qty, x.price, x.liquidity, x.done])).toEqual([['200', '100.11', 'maker', true]]);
  });

  it('triggers at once when the market is already through the stop', () => {
    const ev = engine().submit(order({ side: 'buy', type: 'stop', qty: '10', stopPrice: '99.00' }), AAPL_BOOK(), NOW);
    expect(types(ev)).toEqual(['accepted', 'triggered', 'fill']);
  });
});

describe('restore', () => {
  it('reloads a partly filled resting order that then fills, with fill ids continuing', () => {
    const e1 = engine();
    const o = order({ side: 'buy', type: 'limit', qty: '500', limitPrice: '100.02', tif: 'gtc' });
    e1.submit(o, AAPL_BOOK(), NOW);
    const stop = order({ side: 'sell', type: 'stop', qty: '5', stopPrice: '90.00', tif: 'gtc' });
    e1.submit(stop, AAPL_BOOK(), NOW + 5);
    const saved = JSON.parse(JSON.stringify(e1.openOrders()));
    expect(saved[0]).toMatchObject({ id: o.id, filledQty: '300', triggered: false, createdAt: NOW });

    const e2 = engine();
    expect(e2.restore(saved)).toEqual({ restored: 2, problems: [] });
    expect(e2.hasWorking(AAPL)).toBe(true);
    const ev = e2.onBook(AAPL, book(AAPL, [['99.90', '10']], [['100.00', '1000']]), NOW + 60_000);
    expect(fills(ev).map((x) => [x.orderId, x.qty, x.price, x.filledQty, x.done, x.fillId])).toEqual([[o.id, '200', '100.02', '500', true, `${o.id}:500`]]);
    expect(fills(e2.onBook(AAPL, book(AAPL, [['89.00', '10']], [['89.10', '10']]), NOW + 61_000)).map((x) => x.orderId)).toEqual([stop.id]);
  });

  it('reports orders it cannot restore instead of throwing', () => {
    const base = { side: 'buy' as const, type: 'limit' as const, tif: 'gtc' as const, qty: '10', limitPrice: '100.00', triggered: false, createdAt: NOW };
    const r = engine().restore([
      { ...base, id: 'a', instrumentId: 'paper:NOPE', filledQty: '0' },
      { ...base, id: 'b', instrumentId: AAPL, filledQty: '10' },
      { ...base, id: 'c', instrumentId: AAPL, filledQty: '0', limitPrice: '100.001' },
      { ...base, id: 'd', instrumentId: AAPL, filledQty: '3' },
    ]);
    expect(r.restored).toBe(1);
    expect(r.problems.map((p) => p.orderId)).toEqual(['a', 'b', 'c']);
    expect(r.problems[2]!.reason).toMatch(/tick size 0.01/);
  });

  it('expires a restored DAY order whose session closed while the app was down', () => {
    const e = engine();
    e.restore([{ id: 'd1', instrumentId: AAPL, side: 'buy', type: 'limit', tif: 'day', qty: '1', limitPrice: '99.00', filledQty: '0', triggered: false, createdAt: NOW, expiresAt: CLOSE }]);
    expect(types(e.expireDay(CLOSE + 3_600_000))).toEqual(['expired']);
  });
});

describe('fees', () => {
  it('are qty × price × multiplier × rate, rounded half-even to cents', () => {
    const e = engine();
    // SOL 0.05 × 250 = 12.5; taker 0.2 % = 0.025 → 0.02 (half-even; half-up would say 0.03).
    const sol = fills(e.submit(order({ instrumentId: SOL, side: 'buy', type: 'market', qty: '0.05' }), book(SOL, [['249.990', '1']], [['250.000', '1']]), NOW));
    expect(sol[0]).toMatchObject({ qty: '0.05', price: '250', fee: '0.02', feeCurrency: 'USD', liquidity: 'taker' });
    // ES: 1 × 6700.25 × 50 × 0.002 = 670.025 → 670.02.
    const es = fills(e.submit(order({ instrumentId: 'paper:ESZ6', side: 'buy', type: 'market', qty: '1' }), book('paper:ESZ6', [['6700.00', '5']], [['6700.25', '5']]), NOW));
    expect(es[0]!.fee).toBe('670.02');
    // MES: 1 × 6700.75 × 5 × 0.002 = 67.0075 → 67.01.
    const mes = fills(e.submit(order({ instrumentId: 'paper:MESZ6', side: 'buy', type: 'market', qty: '1' }), book('paper:MESZ6', [['6700.50', '5']], [['6700.75', '5']]), NOW));
    expect(mes[0]!.fee).toBe('67.01');
    // BTC: 0.00001 × 100000 × 0.002 = 0.002 → 0.00.
    const btc = fills(e.submit(order({ instrumentId: 'paper:BTC-USD', side: 'buy', type: 'market', qty: '0.00001' }), book('paper:BTC-USD', [['99999.99', '1']], [['100000.00', '1']]), NOW));
    expect(btc[0]!.fee).toBe('0');
  });

  it('charge the maker rate on resting fills, and rates are configurable', () => {
    const e = engine();
    const o = order({ instrumentId: SOL, side: 'sell', type: 'limit', qty: '0.05', limitPrice: '250.000' });
    e.submit(o, book(SOL, [['249.000', '1']], [['249.010', '1']]), NOW);
    // Maker 0.1 % of 12.5 = 0.0125 → 0.01.
    expect(fills(e.onBook(SOL, book(SOL, [['250.000', '1']], [['250.010', '1']]), NOW + 1))[0]).toMatchObject({ liquidity: 'maker', fee: '0.01' });

    e.setFees({ taker: new Decimal('0.0005') });
    // AAPL 3 × 100.01 × 0.0005 = 0.150015 → 0.15.
    expect(fills(e.submit(order({ side: 'buy', type: 'market', qty: '3' }), AAPL_BOOK(), NOW))[0]!.fee).toBe('0.15');
    const custom = new MatchingEngine({ instruments: PAPER_INSTRUMENTS, fees: { maker: new Decimal(0) } });
    expect(custom.fees().maker.toFixed()).toBe('0');
    expect(custom.fees().taker.toFixed()).toBe('0.002');
  });

  it('computeFee rounds to 8 places for non-fiat quote currencies', () => {
    expect(computeFee(new Decimal('0.123'), new Decimal('98765.43'), new Decimal(1), new Decimal('0.001'), 'USDT').toFixed()).toBe('12.14814789');
    // 0.000000125 is a tie at 8 places: half-even keeps the 2.
    expect(computeFee(new Decimal('1'), new Decimal('0.000125'), new Decimal(1), new Decimal('0.001'), 'USDT').toFixed()).toBe('0.00000012');
    expect(computeFee(new Decimal('0.123'), new Decimal('98765.43'), new Decimal(1), new Decimal('0.001'), 'USD').toFixed()).toBe('12.15');
    expect(computeFee(new Decimal('1'), new Decimal('0.125'), new Decimal(100), new Decimal('0.001'), 'USD').toFixed()).toBe('0.01');
    expect(computeFee(new Decimal('1'), new Decimal('0.375'), new Decimal(100), new Decimal('0.001'), 'USD').toFixed()).toBe('0.04');
  });
});

describe('sessions and validation', () => {
  it('rejects a market order when the market is closed, and says when it opens', () => {
    const ev = engine().submit(order({ side: 'buy', type: 'market', qty: '1' }), AAPL_BOOK(), SATURDAY);
    expect(types(ev)).toEqual(['rejected']);
    expect(reasonOf(ev, 'rejected')).toMatch(/AAPL market is closed \(weekend; opens Mon 2026-01-12 09:30 ET\).*limit order/);
  });

  it('accepts a limit order while closed, does not fill it until the open, and sets its DAY expiry to the next session', () => {
    const e = engine();
    const o = order({ side: 'buy', type: 'limit', qty: '10', limitPrice: '101.00', tif: 'day' });
    const ev = e.submit(o, AAPL_BOOK(), SATURDAY);
    expect(types(ev)).toEqual(['accepted']);
    expect(ev[0]).toMatchObject({ expiresAt: Date.UTC(2026, 0, 12, 21, 0) });
    expect(e.onBook(AAPL, AAPL_BOOK(), SATURDAY + 60_000)).toEqual([]);
    const monday = Date.UTC(2026, 0, 12, 14, 31);
    expect(fills(e.onBook(AAPL, AAPL_BOOK(), monday)).map((x) => [x.qty, x.price, x.liquidity])).toEqual([['10', '101', 'maker']]);
  });

  it('rejects IOC and FOK while closed, but crypto trades at the weekend', () => {
    const e = engine();
    expect(types(e.submit(order({ side: 'buy', type: 'limit', qty: '1', limitPrice: '100.01', tif: 'ioc' }), AAPL_BOOK(), SATURDAY))).toEqual(['rejected']);
    const btc = e.submit(order({ instrumentId: 'paper:BTC-USD', side: 'buy', type: 'market', qty: '0.001' }), book('paper:BTC-USD', [['99999.99', '1']], [['100000.00', '1']]), SATURDAY);
    expect(types(btc)).toEqual(['accepted', 'fill']);
  });

  it('rejects malformed orders with a reason a trader can act on', () => {
    const e = engine();
    const r = (o: SimOrderInput) => reasonOf(e.submit(o, AAPL_BOOK(), NOW), 'rejected');
    expect(r(order({ side: 'buy', type: 'limit', qty: '1', limitPrice: '100.005' }))).toMatch(/not a multiple of AAPL's tick size 0.01/);
    expect(r(order({ side: 'buy', type: 'limit', qty: '1.5', limitPrice: '100.00' }))).toMatch(/not a multiple of AAPL's lot size 1/);
    expect(r(order({ side: 'buy', type: 'limit', qty: '1' }))).toMatch(/needs a limit price/);
    expect(r(order({ side: 'buy', type: 'stop_limit', qty: '1', limitPrice: '100.00' }))).toMatch(/needs a stop price/);
    expect(r(order({ side: 'buy', type: 'market', qty: '1', limitPrice: '100.00' }))).toMatch(/takes no limit price/);
    expect(r(order({ side: 'buy', type: 'market', qty: '0' }))).toMatch(/greater than zero/);
    expect(r(order({ side: 'buy', type: 'market', qty: 'abc' }))).toMatch(/greater than zero/);
    expect(r(order({ instrumentId: 'paper:NOPE', side: 'buy', type: 'market', qty: '1' }))).toMatch(/unknown Paper instrument/);
    const dup = order({ side: 'buy', type: 'limit', qty: '1', limitPrice: '90.00' });
    e.submit(dup, AAPL_BOOK(), NOW);
    expect(r(dup)).toMatch(/already working/);
  });

  it('cancels a working order once; cancelling an unknown one is a no-op', () => {
    const e = engine();
    const o = order({ side: 'buy', type: 'limit', qty: '1', limitPrice: '90.00' });
    e.submit(o, AAPL_BOOK(), NOW);
    expect(e.cancel(o.id, NOW + 1)).toEqual([{ type: 'cancelled', orderId: o.id, ts: NOW + 1, reason: 'cancelled by request' }]);
    expect(e.cancel(o.id, NOW + 2)).toEqual([]);
    expect(e.hasWorking(AAPL)).toBe(false);
  });
});

describe('with the price source', () => {
  it('a resting BTC bid fills as maker at its limit once the simulated asks come down to it', () => {
    const src = new PaperPriceSource({ seed: 1, startMs: NOW });
    const e = engine();
    const id = 'paper:BTC-USD';
    src.setMid(id, new Decimal('100000'));
    const o: SimOrderInput = { id: 'btc1', instrumentId: id, side: 'buy', type: 'limit', tif: 'gtc', qty: '0.5', limitPrice: '99000.00' };
    expect(types(e.submit(o, src.book(id), NOW))).toEqual(['accepted']);
    src.setMid(id, new Decimal('98990'));
    const ev = e.onBook(id, src.book(id)!, NOW + 1000);
    const f = fills(ev);
    expect(f.length).toBe(1);
    expect(f[0]).toMatchObject({ price: '99000', liquidity: 'maker' });
    // Only the displayed asks at or below 99000 can fill it.
    const b = src.book(id)!;
    const displayed = b.asks.filter(([t]) => t <= 9_900_000).reduce((a, [, l]) => a + l, 0);
    expect(f[0]!.lots).toBe(Math.min(50_000, displayed));
  });
});
