import { describe, expect, it } from 'vitest';
import { BASIC_CAPABILITIES, capabilitiesForMode, PAPER_CAPABILITIES, type OrderCapabilities } from '../../../src-main/engine/domain/order-capabilities';
import { fitToOffers, ticketOffers } from '../../../src-renderer/src/features/ticket/ticket-offers';
import type { TicketForm } from '../../../src-renderer/src/features/ticket/validation';
import { instrument } from './fixtures';

const IB_LIKE: OrderCapabilities = { orderTypes: ['market', 'limit', 'stop', 'stop_limit', 'trailing_stop'], tifs: ['day', 'gtc', 'ioc', 'opg'], extendedHours: true, brackets: true, oca: true };
const aapl = instrument();
const btc = instrument({ id: 'paper:BTC/USD', symbol: 'BTC/USD', assetClass: 'crypto_spot', session: 'always' });
const form = (p: Partial<TicketForm> = {}): TicketForm => ({ venue: 'paper', symbol: 'AAPL', side: 'buy', type: 'limit', qty: '1', limitPrice: '1', stopPrice: '', tif: 'day', ...p });

describe('ticket offers: only what the venue can carry', () => {
  it('Paper offers no OPG and no extended hours, but trailing stops and brackets', () => {
    const o = ticketOffers(PAPER_CAPABILITIES, 'limit', aapl);
    expect(o.tifs).toEqual(['day', 'gtc', 'ioc', 'fok']);
    expect(o.orderTypes).toContain('trailing_stop');
    expect(o.extendedHours).toBe(false);
    expect(o.brackets).toBe(true);
  });
  it('a venue that carries OPG and extended hours offers them for a stock, never for crypto', () => {
    expect(ticketOffers(IB_LIKE, 'limit', aapl)).toMatchObject({ tifs: ['day', 'gtc', 'ioc', 'opg'], extendedHours: true });
    expect(ticketOffers(IB_LIKE, 'limit', btc)).toMatchObject({ tifs: ['day', 'gtc', 'ioc'], extendedHours: false });
  });
  it('no GTC market order, no OPG stop, no extended-hours market order, no bracket on a trailing stop', () => {
    expect(ticketOffers(IB_LIKE, 'market', aapl)).toMatchObject({ tifs: ['day', 'ioc', 'opg'], extendedHours: false });
    expect(ticketOffers(IB_LIKE, 'stop', aapl).tifs).toEqual(['day', 'gtc', 'ioc']);
    expect(ticketOffers(IB_LIKE, 'trailing_stop', aapl).brackets).toBe(false);
  });
  it('a venue with the basic set offers no trailing stop and no bracket', () => {
    const o = ticketOffers(BASIC_CAPABILITIES, 'limit', aapl);
    expect(o.orderTypes).not.toContain('trailing_stop');
    expect(o.brackets).toBe(false);
  });
  it('fits the ticket back to the plain choice when one goes away', () => {
    expect(fitToOffers(form({ type: 'market', tif: 'gtc' }), ticketOffers(PAPER_CAPABILITIES, 'market', aapl))).toEqual({ tif: 'day' });
    expect(fitToOffers(form({ tif: 'opg', extendedHours: true }), ticketOffers(PAPER_CAPABILITIES, 'limit', aapl))).toEqual({ tif: 'day', extendedHours: false });
    expect(fitToOffers(form({ type: 'trailing_stop', bracket: true }), ticketOffers(BASIC_CAPABILITIES, 'trailing_stop', aapl))).toEqual({ type: 'limit', bracket: false });
    expect(fitToOffers(form(), ticketOffers(PAPER_CAPABILITIES, 'limit', aapl))).toBeUndefined();
  });
});

describe('capabilitiesForMode: the route the order takes decides', () => {
  it('SHADOW is the Paper engine, LIVE the venue, CANARY what both carry', () => {
    expect(capabilitiesForMode('shadow', IB_LIKE)).toEqual(PAPER_CAPABILITIES);
    expect(capabilitiesForMode('live', IB_LIKE)).toEqual(IB_LIKE);
    expect(capabilitiesForMode('paper', PAPER_CAPABILITIES)).toEqual(PAPER_CAPABILITIES);
    const canary = capabilitiesForMode('canary', IB_LIKE);
    expect(canary.tifs).toEqual(['day', 'gtc', 'ioc']);
    expect(canary.extendedHours).toBe(false);
    expect(canary.orderTypes).toContain('trailing_stop');
    expect(capabilitiesForMode('live', undefined)).toEqual(BASIC_CAPABILITIES);
  });
});

describe('ticket offers: GTD, CLS, post-only, reduce-only, $ amount', () => {
  const ALPACA_LIKE: OrderCapabilities = { ...IB_LIKE, tifs: ['day', 'gtc', 'ioc', 'fok', 'opg', 'cls'], notional: true, postOnly: false };
  const perp = instrument({ id: 'x:BTC-PERP', symbol: 'BTC/USD:PERP', assetClass: 'perpetual', session: 'always' });
  it('only what the venue declares, and only where the order type allows it', () => {
    const lim = ticketOffers(ALPACA_LIKE, 'limit', aapl);
    expect(lim.tifs).toContain('cls');
    expect(lim.tifs).not.toContain('gtd');
    expect([lim.postOnly, lim.notional, lim.reduceOnly]).toEqual([false, false, false]);
    expect(ticketOffers(ALPACA_LIKE, 'market', aapl).notional).toBe(true);
    expect(ticketOffers(ALPACA_LIKE, 'market', btc).tifs).not.toContain('cls');
    expect(ticketOffers({ ...IB_LIKE, tifs: ['day', 'gtd'], postOnly: true, reduceOnly: true }, 'limit', perp)).toMatchObject({ tifs: ['day', 'gtd'], postOnly: true, reduceOnly: true });
    expect(ticketOffers({ ...IB_LIKE, reduceOnly: true }, 'limit', aapl).reduceOnly).toBe(false);
    expect(ticketOffers(PAPER_CAPABILITIES, 'market', aapl)).toMatchObject({ postOnly: false, reduceOnly: false, notional: false });
  });
});
