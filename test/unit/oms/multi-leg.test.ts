/**
 * The engine's checks on a multi-leg ticket once its legs are resolved to the venue's instruments
 * (oms/multi-leg.ts): legs named by instrument id are checked as a vertical too, the ticket's
 * symbol is its first leg, the side matches debit or credit, a net price below the strike width,
 * limit DAY/GTC only, nothing a spread cannot carry; and pre-trade risk judges a spread's
 * notional by its worst-case loss, not its net price.
 */
import { describe, expect, it } from 'vitest';
import { TradeportError } from '../../../src-main/engine/api/errors';
import type { NormalizedTicket } from '../../../src-main/engine/domain/order-validation';
import { withLegs } from '../../../src-main/engine/oms/multi-leg';
import { spreadRisk } from '../../../src-main/engine/risk/spread-risk';
import { xyzOptions } from '../../support/option-chain-fixture';

const { instruments } = xyzOptions('demo');
const bySym = (s: string) => instruments.find((i) => i.symbol === s || i.id === s)!;
const find = async (s: string) => {
  const i = bySym(s);
  if (!i) throw new TradeportError('unknown_instrument', `no ${s}`);
  return i;
};
const C95 = bySym('XYZ:OPT:C:95:20270115');
const C100 = bySym('XYZ:OPT:C:100:20270115');
const P100 = bySym('XYZ:OPT:P:100:20270115');
const ticket = (over: Partial<NormalizedTicket> = {}): NormalizedTicket => ({ side: 'buy', type: 'limit', qty: '2', limitPrice: '1.50', tif: 'day', ...over });
const legs = (a = C95.id, b = C100.id, ratio = 1) => [
  { symbol: a, side: 'buy' as const, ratio },
  { symbol: b, side: 'sell' as const, ratio },
];
const refusal = async (p: Promise<unknown>): Promise<string> => {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(TradeportError);
  expect((e as TradeportError).code).toBe('invalid_input');
  return (e as TradeportError).message;
};

describe('a vertical resolved to instruments', () => {
  it('puts the resolved legs on the ticket (ids and display symbols)', async () => {
    const t = await withLegs(ticket(), C95, legs(), find);
    expect(t.legs).toEqual([
      { instrumentId: C95.id, symbol: C95.symbol, side: 'buy', ratio: 1 },
      { instrumentId: C100.id, symbol: C100.symbol, side: 'sell', ratio: 1 },
    ]);
    expect(await withLegs(ticket(), C95, undefined, find)).toEqual(ticket());
  });

  it('refuses, in the trader’s words, what the schema could not see in instrument ids', async () => {
    expect(await refusal(withLegs(ticket(), C95, legs(C95.id, P100.id), find))).toMatch(/both calls or both puts/);
    expect(await refusal(withLegs(ticket(), C100, legs(), find))).toMatch(/symbol is its first leg: the ticket names XYZ:OPT:C:100:20270115 but the first leg is XYZ:OPT:C:95/);
    expect(await refusal(withLegs(ticket({ side: 'sell' }), C95, legs(), find))).toMatch(/debit spread .* place it as a buy — you pay the net price/);
    expect(await refusal(withLegs(ticket({ limitPrice: '5' }), C95, legs(), find))).toMatch(/worth at most 5: .*Enter a net price below 5/);
    expect(await refusal(withLegs(ticket({ type: 'market', limitPrice: undefined }), C95, legs(), find))).toMatch(/net limit price: choose a limit order/);
    expect(await refusal(withLegs(ticket({ tif: 'ioc' }), C95, legs(), find))).toMatch(/use DAY or GTC, not IOC/);
    expect(await refusal(withLegs(ticket({ ocaGroup: 'g' }), C95, legs(), find))).toMatch(/cannot carry an OCA group/);
    expect(await refusal(withLegs(ticket(), C95, legs(C95.id, C100.id, 2), find))).toMatch(/one for one/);
  });
});

describe('spread risk', () => {
  const conn = (quotes: Record<string, { bid: string; ask: string }>) => ({
    quote: (id: string) => (quotes[id] ? { instrumentId: id, ...quotes[id], ts: 1000 } : undefined),
    instrument: (id: string) => bySym(id),
  });
  const q = { [C95.id]: { bid: '7.00', ask: '7.20' }, [C100.id]: { bid: '4.00', ask: '4.10' } };

  it('a debit spread risks what it pays; a credit spread the width less the credit', async () => {
    const debit = await withLegs(ticket({ limitPrice: '3.10' }), C95, legs(), find);
    expect(spreadRisk(conn(q), debit)).toEqual({ quote: { instrumentId: C95.id, bid: '2.9', ask: '3.2', ts: 1000 }, maxLossPerUnit: '3.1' });
    const credit = await withLegs(
      ticket({ side: 'sell', limitPrice: '1.20' }),
      C95,
      [
        { symbol: C95.id, side: 'sell', ratio: 1 },
        { symbol: C100.id, side: 'buy', ratio: 1 },
      ],
      find,
    );
    expect(spreadRisk(conn(q), credit).maxLossPerUnit).toBe('3.8');
    expect(spreadRisk(conn({}), debit).quote).toBeUndefined();
  });
});
