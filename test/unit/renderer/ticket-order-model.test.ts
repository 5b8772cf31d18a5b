import { describe, expect, it } from 'vitest';
import { expiryMs, toOrderTicket, validateTicket, type TicketForm } from '../../../src-renderer/src/features/ticket/validation';
import { fitToOffers, ticketOffers } from '../../../src-renderer/src/features/ticket/ticket-offers';
import { BASIC_CAPABILITIES, PAPER_CAPABILITIES } from '../../../src-main/engine/domain/order-capabilities';
import { instrument } from './fixtures';

const aapl = instrument();
const form = (p: Partial<TicketForm> = {}): TicketForm => ({ venue: 'alpaca', symbol: 'AAPL', side: 'buy', type: 'market', qty: '', limitPrice: '', stopPrice: '', tif: 'day', ...p });

describe('ticket model: $ amount, GTD expiry, post-only, reduce-only', () => {
  it('$ amount mode sends notional with qty "0", and checks the amount instead of the quantity', () => {
    const f = form({ amountMode: true, notional: '250' });
    expect(validateTicket(f, aapl)).toEqual([]);
    expect(toOrderTicket(f, aapl)).toMatchObject({ qty: '0', notional: '250', type: 'market' });
    expect(validateTicket(form({ amountMode: true, notional: '' }), aapl).map((i) => i.field)).toEqual(['notional']);
    // Only market orders go by amount: a limit ticket sends its quantity.
    expect(toOrderTicket(form({ amountMode: true, notional: '250', type: 'limit', qty: '2', limitPrice: '190' }), aapl)).not.toHaveProperty('notional');
  });
  it('GTD needs an expiry; it goes as epoch ms', () => {
    expect(validateTicket(form({ qty: '1', type: 'limit', limitPrice: '190', tif: 'gtd' }), aapl).map((i) => i.field)).toEqual(['expireAt']);
    const t = toOrderTicket(form({ qty: '1', type: 'limit', limitPrice: '190', tif: 'gtd', expireAt: '2026-12-31T16:00' }), aapl);
    expect(t.expireAt).toBe(expiryMs('2026-12-31T16:00'));
    expect(typeof t.expireAt).toBe('number');
    expect(toOrderTicket(form({ qty: '1', tif: 'day', expireAt: '2026-12-31T16:00' }), aapl)).not.toHaveProperty('expireAt');
  });
  it('post-only only on limits; the flags are dropped when the venue cannot carry them', () => {
    expect(toOrderTicket(form({ qty: '1', type: 'limit', limitPrice: '190', postOnly: true, reduceOnly: true }), aapl)).toMatchObject({ postOnly: true, reduceOnly: true });
    expect(toOrderTicket(form({ qty: '1', postOnly: true }), aapl)).not.toHaveProperty('postOnly');
    const f = form({ qty: '1', type: 'limit', limitPrice: '190', postOnly: true, reduceOnly: true, amountMode: true });
    expect(fitToOffers(f, ticketOffers(PAPER_CAPABILITIES, 'limit', aapl))).toMatchObject({ postOnly: false, reduceOnly: false, amountMode: false });
  });
});

describe('ticket: OCO exit pair', () => {
  const pair = (p: Partial<TicketForm> = {}): TicketForm => ({
    venue: 'alp',
    symbol: 'AAPL',
    side: 'sell',
    type: 'limit',
    qty: '10',
    limitPrice: '210',
    stopPrice: '',
    tif: 'gtc',
    oco: true,
    stopLoss: '190',
    ...p,
  });
  it('sends the limit as the take-profit with its stop-loss and oco; no separate take-profit', () => {
    expect(toOrderTicket(pair({ takeProfit: '999', stopLossLimit: '189.5' }), undefined)).toMatchObject({ oco: true, limitPrice: '210', stopLoss: { stopPrice: '190', limitPrice: '189.5' } });
    expect(toOrderTicket(pair({ takeProfit: '999' }), undefined)).not.toHaveProperty('takeProfit');
    // Only on a limit order: a market ticket with the box left ticked sends a plain market order.
    expect(toOrderTicket(pair({ type: 'market' }), undefined)).not.toHaveProperty('oco');
  });
  it('asks for the stop-loss before the engine does', () => {
    expect(validateTicket(pair({ stopLoss: '' }), undefined).map((i) => i.field)).toContain('stopLoss');
  });
  it('is offered where the venue links orders (one OCO order or an OCA group), on limit orders only', () => {
    expect(ticketOffers({ ...BASIC_CAPABILITIES, ocoExits: true }, 'limit', undefined).oco).toBe(true);
    expect(ticketOffers(PAPER_CAPABILITIES, 'limit', undefined).oco).toBe(true);
    expect(ticketOffers(PAPER_CAPABILITIES, 'stop', undefined).oco).toBe(false);
    expect(ticketOffers(BASIC_CAPABILITIES, 'limit', undefined).oco).toBe(false);
    expect(fitToOffers(pair(), ticketOffers(BASIC_CAPABILITIES, 'limit', undefined))).toEqual({ oco: false });
  });
});
