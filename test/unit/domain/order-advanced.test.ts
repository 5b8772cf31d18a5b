/**
 * Trailing stops, OPG, extended hours, OCA groups and brackets on the unified ticket: the rules
 * every venue shares (order-validation.ts) and the per-venue refusals (order-capabilities.ts).
 */
import { describe, expect, it } from 'vitest';
import { checkTicket, type NormalizedTicket, type TicketFields } from '../../../src-main/engine/domain/order-validation';
import { BASIC_CAPABILITIES, capabilityRefusal, PAPER_CAPABILITIES, type OrderCapabilities } from '../../../src-main/engine/domain/order-capabilities';
import type { Instrument } from '../../../src-main/engine/domain/instrument';

const AAPL: Instrument = {
  id: 'ib:265598',
  venue: 'ib',
  venueSymbol: 'AAPL',
  symbol: 'AAPL',
  assetClass: 'equity',
  description: 'Apple',
  base: 'AAPL',
  quote: 'USD',
  tickSize: '0.01',
  lotSize: '1',
  minQty: '1',
  minNotional: '0',
  multiplier: '1',
  fractional: false,
  session: 'us_equity',
};
const BTC: Instrument = {
  ...AAPL,
  id: 'paper:BTC-USD',
  venueSymbol: 'BTC-USD',
  symbol: 'BTC/USD',
  assetClass: 'crypto_spot',
  lotSize: '0.00001',
  minQty: '0.00001',
  fractional: true,
  session: 'always',
};

function check(f: Partial<TicketFields>, inst = AAPL) {
  return checkTicket({ side: 'buy', type: 'limit', qty: '10', tif: 'day', ...f } as TicketFields, inst);
}
function problem(f: Partial<TicketFields>, inst = AAPL) {
  const r = check(f, inst);
  return r.ok ? { code: 'ok', field: '', message: '' } : r.problem;
}
function ticket(f: Partial<TicketFields>): NormalizedTicket {
  const r = check(f);
  if (!r.ok) throw new Error(r.problem.message);
  return r.ticket;
}

describe('trailing stops', () => {
  it('need exactly one of a trail amount or a trail percent', () => {
    expect(problem({ type: 'trailing_stop', side: 'sell' })).toMatchObject({ code: 'missing_trail', field: 'trailAmount' });
    expect(problem({ type: 'trailing_stop', side: 'sell', trailAmount: '1', trailPercent: '2' })).toMatchObject({ code: 'invalid_trail', field: 'trailPercent' });
    expect(ticket({ type: 'trailing_stop', side: 'sell', trailAmount: '1.50' })).toEqual({ side: 'sell', type: 'trailing_stop', qty: '10', tif: 'day', trailAmount: '1.5' });
    expect(ticket({ type: 'trailing_stop', side: 'sell', trailPercent: 2, tif: 'gtc' })).toMatchObject({ trailPercent: '2', tif: 'gtc' });
  });
  it('check the amount on the tick and the percent in (0, 100)', () => {
    expect(problem({ type: 'trailing_stop', trailAmount: '1.005' })).toMatchObject({ code: 'price_too_precise', field: 'trailAmount' });
    expect(problem({ type: 'trailing_stop', trailAmount: '0' })).toMatchObject({ code: 'invalid_price', field: 'trailAmount' });
    expect(problem({ type: 'trailing_stop', trailPercent: '100' })).toMatchObject({ code: 'invalid_trail' });
    expect(problem({ type: 'trailing_stop', trailPercent: '-1' })).toMatchObject({ code: 'invalid_trail' });
    expect(problem({ type: 'trailing_stop', trailPercent: '1.255' }).message).toMatch(/at most 2/);
  });
  it('take no limit or stop price, and other types take no trail', () => {
    expect(problem({ type: 'trailing_stop', trailAmount: '1', limitPrice: '5' })).toMatchObject({ code: 'unexpected_price', field: 'limitPrice' });
    expect(problem({ type: 'trailing_stop', trailAmount: '1', stopPrice: '5' }).message).toMatch(/follows the market/);
    expect(problem({ type: 'limit', limitPrice: '5', trailAmount: '1' })).toMatchObject({ code: 'unexpected_price', field: 'trailAmount' });
  });
});

describe('OPG, extended hours, OCA', () => {
  it('OPG only for market and limit orders', () => {
    expect(ticket({ type: 'market', tif: 'opg' }).tif).toBe('opg');
    expect(ticket({ type: 'limit', limitPrice: '199', tif: 'opg' }).tif).toBe('opg');
    expect(problem({ type: 'stop', stopPrice: '210', tif: 'opg' })).toMatchObject({ code: 'invalid_tif', field: 'tif' });
    expect(problem({ type: 'trailing_stop', trailAmount: '1', tif: 'opg' })).toMatchObject({ code: 'invalid_tif' });
    expect(problem({ type: 'limit', limitPrice: '199', tif: 'opg', extendedHours: true })).toMatchObject({ code: 'invalid_tif', field: 'extendedHours' });
  });
  it('extended hours: not for market orders, only stocks and ETFs', () => {
    expect(ticket({ limitPrice: '201', extendedHours: true }).extendedHours).toBe(true);
    expect(ticket({ limitPrice: '201', extendedHours: false })).not.toHaveProperty('extendedHours');
    expect(problem({ type: 'market', extendedHours: true })).toMatchObject({ code: 'unsupported_order', field: 'extendedHours' });
    expect(problem({ limitPrice: '60000', qty: '0.1', extendedHours: true }, BTC).message).toMatch(/stocks and ETFs/);
  });
  it('OCA group names are short and plain', () => {
    expect(ticket({ limitPrice: '150', ocaGroup: ' g1 ' }).ocaGroup).toBe('g1');
    expect(problem({ limitPrice: '150', ocaGroup: 'a;b' })).toMatchObject({ code: 'invalid_input', field: 'ocaGroup' });
  });
});

describe('brackets', () => {
  it('a buy: take-profit above the entry, stop-loss below, each on the tick', () => {
    expect(ticket({ limitPrice: '199', takeProfit: { limitPrice: '210' }, stopLoss: { stopPrice: '190', limitPrice: '189.50' } })).toMatchObject({
      takeProfit: { limitPrice: '210' },
      stopLoss: { stopPrice: '190', limitPrice: '189.5' },
    });
    expect(problem({ limitPrice: '199', takeProfit: { limitPrice: '198' } })).toMatchObject({ code: 'bracket_price_wrong_side', field: 'takeProfit' });
    expect(problem({ limitPrice: '199', stopLoss: { stopPrice: '199.5' } })).toMatchObject({ code: 'bracket_price_wrong_side', field: 'stopLoss' });
    expect(problem({ limitPrice: '199', takeProfit: { limitPrice: '210.001' } })).toMatchObject({ code: 'price_too_precise', field: 'takeProfit' });
    expect(problem({ limitPrice: '199', stopLoss: { stopPrice: '190.005' } })).toMatchObject({ code: 'price_too_precise', field: 'stopLoss' });
    expect(problem({ limitPrice: '199', stopLoss: { stopPrice: '190', limitPrice: '190.5' } })).toMatchObject({ code: 'bracket_price_wrong_side', field: 'stopLoss' });
  });
  it('a sell: take-profit below, stop-loss above; a market entry compares the legs with each other', () => {
    expect(ticket({ side: 'sell', limitPrice: '200', takeProfit: { limitPrice: '190' }, stopLoss: { stopPrice: '205' } })).toMatchObject({ side: 'sell' });
    expect(problem({ side: 'sell', limitPrice: '200', takeProfit: { limitPrice: '201' } })).toMatchObject({ code: 'bracket_price_wrong_side' });
    expect(problem({ side: 'sell', limitPrice: '200', stopLoss: { stopPrice: '195' } }).message).toMatch(/must be above/);
    expect(ticket({ type: 'market', takeProfit: { limitPrice: '210' }, stopLoss: { stopPrice: '190' } }).type).toBe('market');
    expect(problem({ type: 'market', takeProfit: { limitPrice: '190' }, stopLoss: { stopPrice: '210' } })).toMatchObject({ code: 'bracket_price_wrong_side' });
    // a stop entry is referenced at its stop price
    expect(problem({ type: 'stop', stopPrice: '205', takeProfit: { limitPrice: '204' } })).toMatchObject({ code: 'bracket_price_wrong_side' });
  });
  it('the entry must rest (DAY/GTC), not trail, and not sit in an OCA group', () => {
    expect(problem({ limitPrice: '199', tif: 'ioc', takeProfit: { limitPrice: '210' } })).toMatchObject({ code: 'invalid_bracket', field: 'tif' });
    expect(problem({ type: 'trailing_stop', trailAmount: '1', stopLoss: { stopPrice: '190' } })).toMatchObject({ code: 'invalid_bracket', field: 'type' });
    expect(problem({ limitPrice: '199', ocaGroup: 'g', takeProfit: { limitPrice: '210' } })).toMatchObject({ code: 'invalid_bracket', field: 'ocaGroup' });
    expect(problem({ limitPrice: '199', takeProfit: { limitPrice: '' } })).toMatchObject({ code: 'invalid_bracket', field: 'takeProfit' });
  });
});

describe('OCO exit pairs', () => {
  it('a sell pair: the limit is the take-profit above the stop-loss; a buy pair (covering a short) the other way round', () => {
    expect(ticket({ side: 'sell', limitPrice: '210', oco: true, stopLoss: { stopPrice: '190', limitPrice: '189.5' } })).toMatchObject({
      side: 'sell',
      type: 'limit',
      limitPrice: '210',
      oco: true,
      stopLoss: { stopPrice: '190', limitPrice: '189.5' },
    });
    expect(ticket({ side: 'buy', limitPrice: '180', oco: true, stopLoss: { stopPrice: '200' } })).toMatchObject({ oco: true, stopLoss: { stopPrice: '200' } });
    expect(problem({ side: 'sell', limitPrice: '190', oco: true, stopLoss: { stopPrice: '195' } })).toMatchObject({
      code: 'bracket_price_wrong_side',
      field: 'stopLoss',
      message: 'Exiting with a sell, the take-profit (190) must be above the stop-loss (195): the one takes a gain, the other limits a loss.',
    });
    expect(problem({ side: 'buy', limitPrice: '200', oco: true, stopLoss: { stopPrice: '190' } })).toMatchObject({ code: 'bracket_price_wrong_side' });
    expect(problem({ side: 'sell', limitPrice: '210', oco: true, stopLoss: { stopPrice: '190', limitPrice: '191' } }).message).toMatch(/limit must be at or below its stop price 190/);
  });
  it('is a resting limit order with a stop-loss, and nothing else', () => {
    expect(problem({ side: 'sell', type: 'market', oco: true, stopLoss: { stopPrice: '190' } })).toMatchObject({ code: 'invalid_bracket', field: 'type' });
    expect(problem({ side: 'sell', limitPrice: '210', oco: true })).toMatchObject({ code: 'invalid_bracket', field: 'stopLoss' });
    expect(problem({ side: 'sell', limitPrice: '210', oco: true, takeProfit: { limitPrice: '215' }, stopLoss: { stopPrice: '190' } })).toMatchObject({ field: 'takeProfit' });
    expect(problem({ side: 'sell', limitPrice: '210', tif: 'ioc', oco: true, stopLoss: { stopPrice: '190' } })).toMatchObject({ field: 'tif' });
    expect(problem({ side: 'sell', limitPrice: '210', ocaGroup: 'g', oco: true, stopLoss: { stopPrice: '190' } })).toMatchObject({ field: 'ocaGroup' });
    expect(problem({ side: 'sell', limitPrice: '210', extendedHours: true, oco: true, stopLoss: { stopPrice: '190' } })).toMatchObject({ field: 'extendedHours' });
    expect(problem({ side: 'sell', limitPrice: '210', oco: true, stopLoss: { stopPrice: '190.001' } })).toMatchObject({ code: 'price_too_precise', field: 'stopLoss' });
  });
  it('goes where the venue links orders: as one order (ocoExits) or as an OCA group (oca); refused elsewhere, not as a bracket', () => {
    const pair = ticket({ side: 'sell', limitPrice: '210', oco: true, stopLoss: { stopPrice: '190' } });
    expect(capabilityRefusal({ ...BASIC_CAPABILITIES, brackets: true, ocoExits: true }, pair, 'Alpaca')).toBeUndefined();
    expect(capabilityRefusal(PAPER_CAPABILITIES, pair, 'Paper')).toBeUndefined();
    expect(capabilityRefusal({ ...BASIC_CAPABILITIES, brackets: true }, pair, 'X')).toMatchObject({
      feature: 'oca',
      message: 'X does not support one-cancels-other exits — place the take-profit and the stop-loss as two orders and cancel the other when one fills.',
    });
  });
});

describe('venue capabilities', () => {
  const IB: OrderCapabilities = { orderTypes: ['market', 'limit', 'stop', 'stop_limit', 'trailing_stop'], tifs: ['day', 'gtc', 'ioc', 'opg'], extendedHours: true, brackets: true, oca: true };
  it('names the venue and the alternative', () => {
    expect(capabilityRefusal(PAPER_CAPABILITIES, ticket({ limitPrice: '199', tif: 'opg' }), 'Paper')?.message).toBe('Paper does not support OPG orders — use a DAY limit order at the open.');
    expect(capabilityRefusal(BASIC_CAPABILITIES, ticket({ type: 'trailing_stop', trailPercent: '2' }), 'Alpaca')).toMatchObject({
      feature: 'type',
      message: expect.stringMatching(/trailing stops — use a stop order/),
    });
    expect(capabilityRefusal(BASIC_CAPABILITIES, ticket({ limitPrice: '199', takeProfit: { limitPrice: '210' } }), 'Alpaca')?.feature).toBe('bracket');
    expect(capabilityRefusal(PAPER_CAPABILITIES, ticket({ limitPrice: '199', extendedHours: true }), 'Paper')?.feature).toBe('extendedHours');
    // The Paper matching engine simulates trailing stops, brackets and OCA groups.
    expect(capabilityRefusal(PAPER_CAPABILITIES, ticket({ type: 'trailing_stop', trailPercent: '2' }), 'Paper')).toBeUndefined();
    expect(capabilityRefusal(PAPER_CAPABILITIES, ticket({ limitPrice: '199', takeProfit: { limitPrice: '210' }, stopLoss: { stopPrice: '190' } }), 'Paper')).toBeUndefined();
    expect(capabilityRefusal(PAPER_CAPABILITIES, ticket({ limitPrice: '199', ocaGroup: 'g' }), 'Paper')).toBeUndefined();
    expect(capabilityRefusal(BASIC_CAPABILITIES, ticket({ limitPrice: '199', ocaGroup: 'g' }), 'X', 'or arm LIVE')?.message).toMatch(/one-cancels-other.*, or arm LIVE\.$/);
    expect(capabilityRefusal(IB, ticket({ type: 'market', tif: 'fok' }), 'Interactive Brokers (ib)')?.message).toMatch(/FOK orders — use IOC/);
  });
  it('IB carries every advanced order', () => {
    for (const f of [
      { type: 'trailing_stop' as const, trailAmount: '1' },
      { limitPrice: '199', tif: 'opg' as const },
      { limitPrice: '201', extendedHours: true },
      { limitPrice: '199', takeProfit: { limitPrice: '210' }, stopLoss: { stopPrice: '190' } },
      { limitPrice: '150', ocaGroup: 'g1' },
    ]) {
      expect(capabilityRefusal(IB, ticket(f), 'IB')).toBeUndefined();
    }
  });
});
