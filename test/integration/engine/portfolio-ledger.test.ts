/**
 * The lot ledger inside the engine: Paper fills become lots as they happen, P&L adds up against
 * the fills, the exports carry the closes, the trader's opening lot and method are kept, and a
 * restart (a full rebuild from the journal) gives the ledger the running engine had.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineRig, type EngineRig } from '../../support/engine-rig';
import type { Engine } from '../../../src-main/engine/engine';
import { Decimal } from '../../../src-main/engine/domain/money';
import type { Result } from '../../../src-main/engine/api/errors';
import type { PaperVenue } from '../../../src-main/engine/venues/paper';

describe('the lot ledger in the engine (Paper)', () => {
  let rig: EngineRig;
  let engine: Engine;
  beforeEach(async () => {
    rig = await engineRig({ prefix: 'tp-ledger-' });
    engine = rig.engine;
  });
  afterEach(() => rig.close());
  const value = async <T>(p: Promise<Result<T>>): Promise<T> => {
    const r = await p;
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value;
  };
  /** A minute passes; the Paper market moves on. */
  const later = () => {
    rig.clock.advance(60_000);
    (engine.internals.venues.get('paper') as PaperVenue).tick();
  };
  const market = (symbol: string, side: 'buy' | 'sell', qty: string) => value(engine.call('order.place', { venue: 'paper', symbol, side, type: 'market', qty, tif: 'day' }));

  it('fills open and close lots as they happen; P&L, exports and a restart agree with the fills', async () => {
    await market('AAPL', 'buy', '10');
    later();
    await market('AAPL', 'buy', '5');
    later();
    await market('AAPL', 'sell', '12');
    const fills = (await value(engine.call('fills.list', { venue: 'paper' }))).sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : 1));
    const buys = fills.filter((f) => f.side === 'buy');
    const sells = fills.filter((f) => f.side === 'sell');
    const cost = (fs: typeof fills) => fs.reduce((a, f) => a.plus(new Decimal(f.qty).mul(f.price)).plus(f.fee), new Decimal(0));

    const lots = await value(engine.call('lots.list', { symbol: 'AAPL' }));
    expect(lots.map((l) => [l.venue, l.direction, l.qty])).toEqual([['paper', 'long', '3']]);
    // FIFO: the 3 left are from the second buy.
    const closes = await value(engine.call('lots.closes', {}));
    const realized = closes.reduce((a, c) => a.plus(c.realized), new Decimal(0));
    const proceeds = sells.reduce((a, f) => a.plus(new Decimal(f.qty).mul(f.price)).minus(f.fee), new Decimal(0));
    // Everything bought, less the open lot's basis, is the cost of what was sold.
    expect(realized.toDecimalPlaces(2).toFixed(2)).toBe(proceeds.minus(cost(buys).minus(lots[0]!.basis)).toDecimalPlaces(2).toFixed(2));

    const pnl = await value(engine.call('pnl.get', { by: 'symbol' }));
    expect(pnl.rows.map((r) => r.key)).toEqual(['AAPL']);
    expect(pnl.total.realized).toBe(realized.toDecimalPlaces(2).toFixed(2));
    expect(new Decimal(pnl.total.total).eq(new Decimal(pnl.total.realized).plus(pnl.total.unrealized))).toBe(true);
    expect(pnl.total.unrealized).toBe(lots[0]!.unrealized);

    const year = new Date(rig.clock.now()).getUTCFullYear();
    const f8949 = await value(engine.call('ledger.export', { kind: 'form8949', year }));
    expect(f8949.rows).toBe(closes.length);
    expect(f8949.csv.split('\n')[0]).toContain('(h) Gain or (loss)');
    expect(f8949.disclaimer).toMatch(/not tax advice/);
    const csvLots = await value(engine.call('ledger.export', { kind: 'lots' }));
    expect(csvLots.csv.trim().split('\n')).toHaveLength(2);

    // The market after a restart is another one: lots and closes compared without marks.
    const unmarked = (ls: typeof lots) => ls.map(({ mark: _m, unrealized: _u, ...rest }) => rest);
    const before = { lots: unmarked(lots), closes };
    engine = await rig.restart();
    expect({ lots: unmarked(await value(engine.call('lots.list', { symbol: 'AAPL' }))), closes: await value(engine.call('lots.closes', {})) }).toEqual(before);
  });

  it('the equity curve: a snapshot at start and every minute (cash plus marked positions), kept across a restart, ending at the account now', async () => {
    const t0 = rig.clock.now();
    await market('AAPL', 'buy', '10');
    later();
    later();
    const curve = await value(engine.call('equity.curve', {}));
    const now = await value(engine.call('account.summary', {}));
    expect(curve.currency).toBe(now.currency);
    expect(curve.points.map((p) => p.ts - t0)).toEqual([0, 60_000, 120_000]);
    expect(curve.points[curve.points.length - 1]).toMatchObject({ equity: now.netLiquidation, cash: now.cash, positions: now.positionsValue, complete: true });
    // After the buy the positions are part of equity: cash alone is less.
    expect(new Decimal(curve.points[1]!.positions).gt(0)).toBe(true);
    // The P&L curve's samples: the ledger's realized and unrealized beside each snapshot, the last one now's.
    const pnl = await value(engine.call('pnl.get', {}));
    expect(curve.points.every((p) => p.realized !== undefined && p.unrealized !== undefined)).toBe(true);
    expect(curve.points[curve.points.length - 1]).toMatchObject({ realized: pnl.total.realized, unrealized: pnl.total.unrealized });
    engine = await rig.restart();
    const again = await value(engine.call('equity.curve', { maxPoints: 3 }));
    expect(again.points.slice(0, 2).map((p) => p.ts - t0)).toEqual([0, 60_000]);
    expect(again.points).toHaveLength(3);
  });

  it('keeps an opening lot and a relief method across a restart, and checks what the trader enters', async () => {
    const lot = await value(engine.call('ledger.openingLot.add', { venue: 'paper', symbol: 'AAPL', qty: '4', cost: '400', openedAt: '2024-05-01' }));
    expect(lot).toMatchObject({ symbol: 'AAPL', qty: '4', basis: '400.00', term: 'long', opening: true, currency: 'USD' });
    await value(engine.call('ledger.method.set', { venue: 'paper', method: 'hifo' }));
    await market('AAPL', 'buy', '1');
    later();
    await market('AAPL', 'sell', '1');
    // HIFO sells the lot just bought (it cost more than 100 a share), not the opening lot.
    const closes = await value(engine.call('lots.closes', {}));
    expect(closes.map((c) => c.lotId)).not.toContain(lot.id);
    engine = await rig.restart();
    expect((await value(engine.call('lots.list', {}))).map((l) => [l.id, l.qty])).toEqual([[lot.id, '4']]);

    const bad = await engine.call('ledger.openingLot.add', { venue: 'paper', symbol: 'AAPL', qty: '-1', cost: '1', openedAt: '2024-05-01' });
    expect(bad.ok ? '' : bad.error.code).toBe('invalid_quantity');
    const nowhere = await engine.call('ledger.method.set', { venue: 'nowhere', method: 'lifo' });
    expect(nowhere.ok ? '' : nowhere.error.message).toMatch(/No venue named "nowhere"/);
  });
});
