/**
 * Paper's reservations with OCA groups: orders of one group of which only one can fill hold, per
 * asset, the largest of their needs and not the sum. A property test drives the real matching
 * engine, simulator and account (in memory) through random places (OCA and not, buys and sells,
 * two coins), cancels and market moves that fill and partly fill them, and checks after every
 * step that nothing available goes negative, that the running totals equal both a rebuild and an
 * independent count from the open orders, and that once everything is cancelled nothing is held.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../../src-main/engine/domain/instrument';
import { Decimal, ZERO } from '../../../src-main/engine/domain/money';
import type { Order } from '../../../src-main/engine/domain/order';
import type { NormalizedTicket } from '../../../src-main/engine/domain/order-validation';
import { toLots, toTicks } from '../../../src-main/engine/domain/scaled';
import { SimAccount } from '../../../src-main/engine/sim/account';
import { MatchingEngine, type ScaledBook } from '../../../src-main/engine/sim/matching-engine';
import type { SimReservations } from '../../../src-main/engine/sim/reservations';
import { Simulator, type OnFill } from '../../../src-main/engine/sim/simulator';
import { PAPER_INSTRUMENTS } from '../../../src-main/engine/venues/paper/paper-instruments';
import { MemorySimStore } from './memory-store';

const NOW = Date.UTC(2026, 0, 6, 15, 0);
const coin = (base: string): Instrument => PAPER_INSTRUMENTS.find((i) => i.assetClass === 'crypto_spot' && i.base === base)!;
const BTC = coin('BTC');
const ETH = coin('ETH');
const INSTS = [BTC, ETH];

function rig() {
  const store = new MemorySimStore();
  const engine = new MatchingEngine({ instruments: INSTS });
  const mids = new Map<string, Decimal>([
    [BTC.id, new Decimal('100')],
    [ETH.id, new Decimal('10')],
  ]);
  let version = 0;
  // One level a side, 0.3 deep: a marketable order or a crossed resting one fills in parts.
  const book = (inst: Instrument): ScaledBook => {
    const scale = { tick: new Decimal(inst.tickSize), lot: new Decimal(inst.lotSize) };
    const m = mids.get(inst.id)!;
    const lvl = (p: Decimal) => [toTicks(p, scale), toLots(new Decimal('0.3'), scale)] as const;
    return { bids: [lvl(m.minus('0.01'))], asks: [lvl(m.plus('0.01'))], version: ++version };
  };
  const account = new SimAccount({
    venue: 'paper',
    label: 'Paper',
    cash: 'USD',
    store,
    market: {
      mid: (id) => mids.get(id),
      quote: (id) => ({ instrumentId: id, bid: mids.get(id)!.minus('0.01').toFixed(), ask: mids.get(id)!.plus('0.01').toFixed(), ts: NOW }) as never,
      book: (id) => book(INSTS.find((i) => i.id === id)!),
    },
    instrument: (id) => INSTS.find((i) => i.id === id),
    instruments: () => INSTS,
    fees: () => engine.fees(),
  });
  account.open(new Decimal('600'));
  account.settleFill(BTC.id, 'buy', new Decimal('2'), new Decimal('100'), ZERO);
  account.settleFill(ETH.id, 'buy', new Decimal('5'), new Decimal('10'), ZERO);
  const sim = new Simulator({ store, engine, orderIdPrefix: 'P' });
  const onFill: OnFill = (row, f) => account.settleFill(row.instrumentId, row.side, new Decimal(f.qty), new Decimal(f.price), new Decimal(f.fee));
  const held = (account as unknown as { held: SimReservations }).held;
  let seq = 0;
  /** As the Paper venue places an order: refused when the account cannot carry it, else matched. */
  const place = (inst: Instrument, t: NormalizedTicket): string | undefined => {
    const a = account.affordability(inst, t);
    if (a.violation) return a.violation.code;
    const id = `c${++seq}`;
    const order = {
      id,
      clientOrderId: id,
      venue: 'paper',
      instrumentId: inst.id,
      symbol: inst.symbol,
      status: 'pending_submit',
      filledQty: '0',
      avgFillPrice: '0',
      fees: '0',
      source: 'user',
      createdAt: NOW,
      updatedAt: NOW,
      ...t,
    } as Order;
    const { row } = sim.submit(order, book(inst), NOW, onFill);
    return row.status === 'rejected' ? `rejected: ${row.reason}` : undefined;
  };
  const move = (inst: Instrument, mid: Decimal) => {
    mids.set(inst.id, mid);
    sim.apply(sim.matchBook(inst.id, book(inst), NOW), NOW, onFill);
  };
  const cancel = (venueOrderId: string) => sim.cancel(store.orderByVenueId(venueOrderId)!, NOW, onFill);
  const balance = (asset: string) => new Decimal(store.balances().get(asset) ?? '0');
  return { store, account, held, place, move, cancel, balance, engine, mids };
}

type Rig = ReturnType<typeof rig>;

/** What open orders should hold, counted from the rows: solo orders add up, an OCA group holds its largest per asset. */
function expected(r: Rig): { cash: Decimal; coin: Map<string, Decimal> } {
  const taker = r.engine.fees().taker;
  let cash = ZERO;
  const coins = new Map<string, Decimal>();
  const groups = new Map<string, { cash: Decimal; coin: Map<string, Decimal> }>();
  for (const o of r.store.openOrders()) {
    const inst = INSTS.find((i) => i.id === o.instrumentId)!;
    const rest = new Decimal(o.qty).minus(o.filledQty);
    const c = o.side === 'buy' ? rest.mul(o.limitPrice ?? o.stopPrice!).mul(taker.plus(1)) : ZERO;
    const q = o.side === 'sell' ? rest : ZERO;
    if (!o.ocaGroup) {
      cash = cash.plus(c);
      coins.set(inst.base, (coins.get(inst.base) ?? ZERO).plus(q));
      continue;
    }
    const g = groups.get(o.ocaGroup) ?? { cash: ZERO, coin: new Map<string, Decimal>() };
    groups.set(o.ocaGroup, { cash: Decimal.max(g.cash, c), coin: g.coin.set(inst.base, Decimal.max(g.coin.get(inst.base) ?? ZERO, q)) });
  }
  for (const g of groups.values()) {
    cash = cash.plus(g.cash);
    for (const [a, q] of g.coin) coins.set(a, (coins.get(a) ?? ZERO).plus(q));
  }
  return { cash, coin: coins };
}

function check(r: Rig, step: string): void {
  const bp = r.account.buyingPower();
  const free = INSTS.map((i) => r.account.freeCoin(i.base));
  expect(bp.gte(0), `${step}: buying power ${bp.toFixed()}`).toBe(true);
  for (const f of free) expect(f.gte(0), `${step}: free coin ${f.toFixed()}`).toBe(true);
  const want = expected(r);
  expect(r.balance('USD').minus(bp).toFixed(), `${step}: cash held`).toBe(want.cash.toFixed());
  INSTS.forEach((i, k) => expect(r.balance(i.base).minus(free[k]!).toFixed(), `${step}: ${i.base} held`).toBe((want.coin.get(i.base) ?? ZERO).toFixed()));
  r.held.reset(r.store.openOrders());
  expect(r.account.buyingPower().toFixed(), `${step}: rebuilt buying power`).toBe(bp.toFixed());
  INSTS.forEach((i, k) => expect(r.account.freeCoin(i.base).toFixed(), `${step}: rebuilt ${i.base}`).toBe(free[k]!.toFixed()));
}

describe('Paper reservations: OCA groups hold once', () => {
  it('a sell and its protective stop in one OCA group sell the same coins: both rest, a third sell of them is refused', () => {
    const r = rig();
    expect(r.place(BTC, { side: 'sell', type: 'limit', qty: '2', limitPrice: '105', tif: 'gtc', ocaGroup: 'L1' })).toBeUndefined();
    expect(r.place(BTC, { side: 'sell', type: 'stop', qty: '2', stopPrice: '95', tif: 'gtc', ocaGroup: 'L1' })).toBeUndefined();
    expect(r.account.freeCoin('BTC').toFixed()).toBe('0');
    // Outside the group, the coins are taken; inside it, a member may not sell more than the group's coins plus what is free.
    expect(r.place(BTC, { side: 'sell', type: 'limit', qty: '0.1', limitPrice: '106', tif: 'gtc' })).toBe('insufficient_position');
    expect(r.place(BTC, { side: 'sell', type: 'limit', qty: '2.1', limitPrice: '106', tif: 'gtc', ocaGroup: 'L1' })).toBe('insufficient_position');
    check(r, 'pair resting');
    // The stop triggers and sells what the book shows (0.3; a market remainder is cancelled): its fill cancels the sell.
    r.move(BTC, new Decimal('94'));
    expect(r.store.openOrders()).toEqual([]);
    expect([r.store.orderByClientId('c1'), r.store.orderByClientId('c2')].map((o) => [o!.status, o!.filledQty])).toEqual([
      ['cancelled', '0'],
      ['cancelled', '0.3'],
    ]);
    expect(r.store.orderByClientId('c1')!.reason).toMatch(/^OCA: /);
    expect([r.balance('BTC').toFixed(), r.account.freeCoin('BTC').toFixed()]).toEqual(['1.7', '1.7']);
    check(r, 'stop filled');
  });

  it('two buys in one OCA group hold the larger cost, and a member needs only what it adds to it', () => {
    const r = rig();
    const cash = r.balance('USD');
    const cost = (qty: string, px: string) => new Decimal(qty).mul(px).mul(r.engine.fees().taker.plus(1));
    expect(r.place(BTC, { side: 'buy', type: 'limit', qty: '3', limitPrice: '90', tif: 'gtc', ocaGroup: 'g' })).toBeUndefined();
    expect(r.place(ETH, { side: 'buy', type: 'limit', qty: '20', limitPrice: '9', tif: 'gtc', ocaGroup: 'g' })).toBeUndefined();
    expect(r.account.buyingPower().toFixed()).toBe(cash.minus(cost('3', '90')).toFixed());
    // bp is 350 - 270.54 = 79.46; a third member of 3.5 BTC at 90 (315.63) adds 45.09 to the group's hold: it fits.
    const a = r.account.affordability(BTC, { side: 'buy', type: 'limit', qty: '3.5', limitPrice: '90', tif: 'gtc', ocaGroup: 'g' });
    expect(a.violation).toBeUndefined();
    expect(a.bpAfter!.toFixed()).toBe(cash.minus(cost('3.5', '90')).toFixed());
    // Alone it would not; nor would a member adding more than the 79.46 free.
    expect(r.place(BTC, { side: 'buy', type: 'limit', qty: '3.5', limitPrice: '90', tif: 'gtc' })).toBe('insufficient_funds');
    expect(r.place(BTC, { side: 'buy', type: 'limit', qty: '4', limitPrice: '90', tif: 'gtc', ocaGroup: 'g' })).toBe('insufficient_funds');
    check(r, 'two buys');
  });

  it('random places, cancels and fills of OCA and solo orders never overdraw and never leak a reservation', () => {
    const price = (base: Decimal, steps: number) => base.plus(new Decimal(steps).mul(base.div(40))).toDecimalPlaces(2);
    const act = fc.oneof(
      fc.record({
        kind: fc.constant('place' as const),
        inst: fc.constantFrom(0, 1),
        side: fc.constantFrom('buy' as const, 'sell' as const),
        stop: fc.boolean(),
        qty: fc.constantFrom('0.1', '0.5', '1', '2', '3'),
        steps: fc.integer({ min: -4, max: 4 }),
        group: fc.constantFrom(undefined, 'a', 'a', 'b'),
      }),
      fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('move' as const), inst: fc.constantFrom(0, 1), steps: fc.integer({ min: -5, max: 5 }) }),
    );
    let shared = 0;
    const outs = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(act, { minLength: 15, maxLength: 50 }), (acts) => {
        const r = rig();
        const start = new Map(INSTS.map((i) => [i.id, r.mids.get(i.id)!]));
        acts.forEach((a, n) => {
          const step = `#${n} ${JSON.stringify(a)}`;
          if (a.kind === 'place') {
            const inst = INSTS[a.inst]!;
            const mid = r.mids.get(inst.id)!;
            // Buys rest at a limit (a buy stop may fill above its hold); sells may be limits or stops below the market.
            const t: NormalizedTicket =
              a.side === 'sell' && a.stop
                ? { side: 'sell', type: 'stop', qty: a.qty, stopPrice: price(mid, -Math.abs(a.steps) - 1).toFixed(), tif: 'gtc' }
                : { side: a.side, type: 'limit', qty: a.qty, limitPrice: price(mid, a.steps).toFixed(), tif: 'gtc' };
            const out = r.place(inst, a.group ? { ...t, ocaGroup: a.group } : t);
            outs.set(String(out), (outs.get(String(out)) ?? 0) + 1);
            expect(out === undefined || out === 'insufficient_funds' || out === 'insufficient_position', `${step}: ${out}`).toBe(true);
          } else if (a.kind === 'cancel') {
            const open = r.store.openOrders();
            if (open.length) r.cancel(open[a.pick % open.length]!.venueOrderId);
          } else r.move(INSTS[a.inst]!, price(start.get(INSTS[a.inst]!.id)!, a.steps));
          const open = r.store.openOrders();
          if (open.some((o) => o.ocaGroup && open.some((p) => p !== o && p.ocaGroup === o.ocaGroup))) shared++;
          check(r, step);
        });
        for (const o of r.store.openOrders()) r.cancel(o.venueOrderId);
        expect([r.held.cash().toFixed(), ...INSTS.map((i) => r.held.coin(i.base).toFixed())]).toEqual(['0', '0', '0']);
        INSTS.forEach((i) => expect(r.account.freeCoin(i.base).toFixed()).toBe(r.balance(i.base).toFixed()));
        expect(r.account.buyingPower().toFixed()).toBe(r.balance('USD').toFixed());
      }),
      { numRuns: 60 },
    );
    // The runs did exercise groups with several open members at once, and both refusals.
    expect(shared).toBeGreaterThan(50);
    expect([...outs.keys()].sort()).toEqual(['insufficient_funds', 'insufficient_position', 'undefined']);
  });
});
