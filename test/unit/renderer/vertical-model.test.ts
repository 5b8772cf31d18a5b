/**
 * The ticket's vertical spread model: offered only for a multi-leg venue once an option is picked;
 * the other strikes come from the chain (same expiry and right); debit or credit follows from the
 * strikes; the ticket sends ONE order with both legs at the net price; the net market comes from
 * the legs' quotes; the Place button says what will be sent.
 */
import { describe, expect, it } from 'vitest';
import { commandSchemas } from '../../../src-main/engine/api/commands';
import { offersVertical, otherStrikes, verticalMarket, verticalOrder } from '../../../src-renderer/src/features/ticket/vertical-model';
import { toOrderTicket, validateTicket, type TicketForm } from '../../../src-renderer/src/features/ticket/validation';
import { placeLabel } from '../../../src-renderer/src/features/ticket/ticket-model';
import { xyzOptions } from '../../support/option-chain-fixture';

const { chains, instruments } = xyzOptions('demo');
const chain = chains['XYZ']!;
const inst = (symbol: string) => instruments.find((i) => i.symbol === symbol)!;
const C95 = inst('XYZ:OPT:C:95:20270115');
const C100 = inst('XYZ:OPT:C:100:20270115');
const P100 = inst('XYZ:OPT:P:100:20270115');
const P105 = inst('XYZ:OPT:P:105:20270115');
const leg = (i: typeof C95) => ({ id: i.id, symbol: i.symbol });

const form = (over: Partial<TicketForm>): TicketForm => ({ venue: 'demo', symbol: C95.symbol, side: 'buy', type: 'limit', qty: '2', limitPrice: '1.25', stopPrice: '', tif: 'day', ...over });

describe('ticket vertical model', () => {
  it('is offered only where the venue carries multi-leg orders and the ticket holds an option', () => {
    expect(offersVertical({ multiLeg: true }, C95)).toBe(true);
    expect(offersVertical({ multiLeg: false }, C95)).toBe(false);
    expect(offersVertical(undefined, C95)).toBe(false);
    expect(offersVertical({ multiLeg: true }, { ...C95, assetClass: 'equity' })).toBe(false);
    expect(offersVertical({ multiLeg: true }, undefined)).toBe(false);
  });

  it('the other strikes: the picked expiry and right, every other listed strike', () => {
    expect(otherStrikes(chain, { expiry: '20270115', strike: '95', right: 'call' })).toEqual([
      { strike: '100', id: C100.id },
      { strike: '105', id: inst('XYZ:OPT:C:105:20270115').id },
    ]);
    // February's 110 lists no put: it is not offered for a put vertical.
    expect(otherStrikes(chain, { expiry: '20270219', strike: '100', right: 'put' })).toEqual([]);
    expect(otherStrikes(chain, { expiry: '20270115', strike: '95' })).toEqual([]);
  });

  it('debit or credit from the strikes: buying the lower call is a debit, selling it a credit; buying the higher put a debit', () => {
    expect(verticalOrder('buy', C95, leg(C100))).toMatchObject({
      side: 'buy',
      net: 'Net debit',
      legs: [
        { symbol: C95.symbol, side: 'buy' },
        { symbol: C100.symbol, side: 'sell' },
      ],
    });
    expect(verticalOrder('sell', C95, leg(C100))).toMatchObject({ side: 'sell', net: 'Net credit' });
    expect(verticalOrder('buy', P105, leg(P100))).toMatchObject({ side: 'buy', net: 'Net debit' });
    expect(verticalOrder('buy', P100, leg(P105))).toMatchObject({ side: 'sell', net: 'Net credit' });
    // Not a vertical: a call with a put.
    expect(verticalOrder('buy', C95, leg(P100))).toBeUndefined();
  });

  it('sends ONE order with both legs at the net price, which the API schema accepts', () => {
    const t = toOrderTicket(form({ side: 'sell', leg2: leg(C100) }), C95, 'TPV9');
    expect(t).toMatchObject({
      venue: 'demo',
      symbol: C95.symbol,
      side: 'sell',
      type: 'limit',
      qty: '2',
      limitPrice: '1.25',
      clientOrderId: 'TPV9',
      legs: [
        { symbol: C95.symbol, side: 'sell' },
        { symbol: C100.symbol, side: 'buy' },
      ],
    });
    expect(commandSchemas['order.place'].safeParse(t).success).toBe(true);
    // A single option sends no legs.
    expect(toOrderTicket(form({}), C95).legs).toBeUndefined();
  });

  it('a vertical must be a limit order at its net price', () => {
    expect(validateTicket(form({ type: 'market', leg2: leg(C100) }), C95).map((i) => i.code)).toContain('unsupported_order');
    expect(validateTicket(form({ leg2: leg(C100) }), C95)).toEqual([]);
  });

  it('the net market from the legs’ quotes, and the Place label', () => {
    const v = verticalOrder('buy', C95, leg(C100))!;
    const quotes: Record<string, { bid: string; ask: string }> = { [C95.id]: { bid: '7.00', ask: '7.20' }, [C100.id]: { bid: '4.00', ask: '4.10' } };
    expect(verticalMarket(v, C95.id, leg(C100), (id) => quotes[id])).toEqual({ bid: '2.9', ask: '3.2' });
    expect(verticalMarket(v, C95.id, leg(C100), () => undefined)).toEqual({});
    expect(placeLabel(form({ leg2: leg(C100) }), C95)).toBe('Buy 2 XYZ:OPT:C:95:20270115 / sell 100 · net debit');
    expect(placeLabel(form({ side: 'sell', qty: 'x', leg2: leg(C100) }), C95)).toBe('Sell XYZ:OPT:C:95:20270115 / buy 100 · net credit');
  });
});
