/** The Alpaca preview's pure guards: settlement (cash accounts), buying power, wash trades; settings and instruments. */
import { describe, expect, it } from 'vitest';
import { cashAccountIssues, type CashFill } from '../../../src-main/engine/guards/cash-settlement';
import { alpacaPreview } from '../../../src-main/engine/venues/alpaca/alpaca-preview';
import { calendarDifferences } from '../../../src-main/engine/venues/alpaca/alpaca-session';
import { settlementDate } from '../../../src-main/engine/market/settlement';
import { readAlpacaSettings } from '../../../src-main/engine/venues/alpaca/alpaca-config';
import { AlpacaInstruments, type WireAsset } from '../../../src-main/engine/venues/alpaca/alpaca-instruments';
import type { Instrument } from '../../../src-main/engine/domain/instrument';
import type { VenueOrderReport } from '../../../src-main/engine/venues/venue-port';
import type { WireAccount } from '../../../src-main/engine/venues/alpaca/alpaca-rest';

const fill = (date: string, symbol: string, side: 'buy' | 'sell', qty: string, price: string, crypto = false): CashFill => ({ date, symbol, side, qty, price, crypto });
const codes = (xs: ReadonlyArray<{ code: string }>) => xs.map((x) => x.code);

describe('cash account settlement guards', () => {
  it('US equities settle the next trading day (T+1), skipping weekends and NYSE holidays', () => {
    expect(settlementDate('2026-11-18')).toBe('2026-11-19');
    expect(settlementDate('2026-11-20')).toBe('2026-11-23');
    expect(settlementDate('2026-11-25')).toBe('2026-11-27'); // Thanksgiving
  });

  it('settled and unsettled cash: a sale today is unsettled until tomorrow', () => {
    const r = cashAccountIssues({
      cash: '2000',
      fills: [fill('2026-11-17', 'AAPL', 'buy', '5', '200'), fill('2026-11-18', 'AAPL', 'sell', '5', '200')],
      order: fill('2026-11-18', 'MSFT', 'buy', '1', '100'),
      settles: settlementDate,
    });
    expect(r.state.settled.toString()).toBe('1000');
    expect(r.state.unsettled.toString()).toBe('1000');
    expect(r.state.settlesOn).toBe('2026-11-19');
    expect(r.warnings[0]?.message).toMatch(/settled 1000 USD, unsettled 1000 USD \(settles by 2026-11-19\); 0 good-faith/);
    expect(r.violations).toEqual([]);
  });

  it('a buy with unsettled proceeds is warned; selling it before they settle is a good-faith violation (warned, counted)', () => {
    const history = [fill('2026-11-17', 'AAPL', 'buy', '5', '200'), fill('2026-11-18', 'AAPL', 'sell', '5', '200')];
    const buy = cashAccountIssues({ cash: '1200', fills: history, order: fill('2026-11-18', 'MSFT', 'buy', '3', '400'), settles: settlementDate });
    expect(codes(buy.warnings)).toContain('unsettled_funds');
    expect(buy.warnings.find((w) => w.code === 'unsettled_funds')?.message).toContain('1000 USD of this buy is paid with proceeds that settle on 2026-11-19');
    const after = [...history, fill('2026-11-18', 'MSFT', 'buy', '3', '400')];
    const sell = cashAccountIssues({ cash: '0', fills: after, order: fill('2026-11-18', 'MSFT', 'sell', '3', '410'), settles: settlementDate });
    expect(codes(sell.warnings)).toContain('good_faith_violation');
    expect(sell.violations).toEqual([]);
    // The next day the proceeds have settled: no violation.
    const later = cashAccountIssues({ cash: '0', fills: after, order: fill('2026-11-19', 'MSFT', 'sell', '3', '410'), settles: settlementDate });
    expect(codes(later.warnings)).not.toContain('good_faith_violation');
  });

  it('free-riding is blocked: a buy beyond settled and unsettled funds, and selling shares nobody paid for', () => {
    const over = cashAccountIssues({ cash: '1000', fills: [], order: fill('2026-11-18', 'AAPL', 'buy', '10', '200'), settles: settlementDate });
    expect(codes(over.violations)).toEqual(['free_riding']);
    const unpaid = cashAccountIssues({ cash: '-1000', fills: [fill('2026-11-18', 'AAPL', 'buy', '10', '200')], order: fill('2026-11-18', 'AAPL', 'sell', '10', '200'), settles: settlementDate });
    expect(codes(unpaid.violations)).toEqual(['free_riding']);
  });

  it('violations in the last 12 months are counted from the fills', () => {
    const fills = [
      fill('2026-03-02', 'AAPL', 'buy', '5', '200'),
      fill('2026-03-03', 'AAPL', 'sell', '5', '200'),
      fill('2026-03-03', 'MSFT', 'buy', '2', '400'),
      fill('2026-03-03', 'MSFT', 'sell', '2', '400'),
    ];
    const r = cashAccountIssues({ cash: '1000', fills, order: fill('2026-11-18', 'SPY', 'buy', '1', '100'), settles: settlementDate });
    expect(r.state.violations).toBe(1);
    expect(r.warnings[0]?.message).toContain('1 good-faith or free-riding violation(s) in the last 12 months');
  });

  it('crypto settles at once: no unsettled proceeds, no good-faith warning', () => {
    const r = cashAccountIssues({
      cash: '1000',
      fills: [fill('2026-11-18', 'BTC/USD', 'buy', '0.01', '90000', true), fill('2026-11-18', 'BTC/USD', 'sell', '0.01', '90000', true)],
      order: fill('2026-11-18', 'ETH/USD', 'buy', '0.2', '3000', true),
      settles: settlementDate,
    });
    expect(r.state.unsettled.toString()).toBe('0');
    expect(codes(r.warnings)).toEqual(['settlement']);
  });
});

const AAPL: Instrument = {
  id: 'alp:AAPL',
  venue: 'alp',
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
  fractional: true,
  session: 'us_equity',
};
const account = (buyingPower: string, multiplier = '4'): WireAccount => ({ status: 'ACTIVE', currency: 'USD', cash: '10000', buying_power: buyingPower, equity: '10000', multiplier });
const working = (side: 'buy' | 'sell', qty: string, limitPrice: string): VenueOrderReport => ({
  clientOrderId: `w-${side}-${limitPrice}`,
  status: 'accepted',
  filledQty: '0',
  avgFillPrice: '0',
  ts: 0,
  instrumentId: AAPL.id,
  side,
  type: 'limit',
  qty,
  limitPrice,
  tif: 'day',
});

describe('margin buying power and wash trades', () => {
  it("uses Alpaca's buying power less our working buys, and blocks an order beyond it", () => {
    const p = alpacaPreview({
      inst: AAPL,
      ticket: { side: 'buy', type: 'limit', qty: '10', limitPrice: '100', tif: 'day' },
      quote: undefined,
      account: account('1500'),
      openOrders: [working('buy', '6', '100')],
      flags: undefined,
    });
    expect(p.buyingPowerBefore).toBe('900');
    expect(codes(p.violations)).toEqual(['insufficient_buying_power']);
    const fits = alpacaPreview({
      inst: AAPL,
      ticket: { side: 'buy', type: 'limit', qty: '9', limitPrice: '100', tif: 'day' },
      quote: undefined,
      account: account('1500'),
      openOrders: [working('buy', '6', '100')],
      flags: undefined,
    });
    expect(fits).toMatchObject({ buyingPowerAfter: '0', estFee: '0', violations: [] });
  });

  it('flags an order that could execute against our own opposite order, and not one that could not', () => {
    const open = [working('sell', '1', '200')];
    const cross = alpacaPreview({
      inst: AAPL,
      ticket: { side: 'buy', type: 'limit', qty: '1', limitPrice: '200', tif: 'day' },
      quote: undefined,
      account: undefined,
      openOrders: open,
      flags: undefined,
    });
    expect(codes(cross.violations)).toEqual(['wash_trade']);
    const market = alpacaPreview({
      inst: AAPL,
      ticket: { side: 'buy', type: 'market', qty: '1', tif: 'day' },
      quote: { instrumentId: AAPL.id, bid: '190', ask: '190.1', ts: 0 },
      account: undefined,
      openOrders: open,
      flags: undefined,
    });
    expect(codes(market.violations)).toEqual(['wash_trade']);
    const below = alpacaPreview({
      inst: AAPL,
      ticket: { side: 'buy', type: 'limit', qty: '1', limitPrice: '199.99', tif: 'day' },
      quote: undefined,
      account: undefined,
      openOrders: open,
      flags: undefined,
    });
    expect(below.violations).toEqual([]);
  });

  it("crypto carries Alpaca's fee (taker 0.25 % on a market order), stocks none", () => {
    const btc: Instrument = { ...AAPL, id: 'alp:BTC/USD', venueSymbol: 'BTC/USD', symbol: 'BTC/USD', assetClass: 'crypto_spot', session: 'always' };
    const p = alpacaPreview({
      inst: btc,
      ticket: { side: 'buy', type: 'market', qty: '0.1', tif: 'gtc' },
      quote: { instrumentId: btc.id, bid: '90000', ask: '90010', ts: 0 },
      account: undefined,
      openOrders: [],
      flags: undefined,
    });
    expect(p).toMatchObject({ estPrice: '90010', estNotional: '9001', estFee: '22.5025' });
  });
});

describe('settings, instruments, calendar', () => {
  it('env picks the paper or live hosts; overrides and feed are read and checked', () => {
    expect(readAlpacaSettings({})).toMatchObject({
      env: 'paper',
      feed: 'iex',
      tradingUrl: 'https://paper-api.alpaca.markets',
      streamUrl: 'wss://paper-api.alpaca.markets/stream',
      dataStreamUrl: 'wss://stream.data.alpaca.markets/v2/iex',
      cryptoStreamUrl: 'wss://stream.data.alpaca.markets/v1beta3/crypto/us',
    });
    expect(readAlpacaSettings({ env: 'live', feed: 'sip' })).toMatchObject({
      tradingUrl: 'https://api.alpaca.markets',
      streamUrl: 'wss://api.alpaca.markets/stream',
      dataStreamUrl: 'wss://stream.data.alpaca.markets/v2/sip',
    });
    expect(() => readAlpacaSettings({ env: 'prod' })).toThrow(/env="prod" must be one of paper, live/);
    expect(() => readAlpacaSettings({ streamUrl: 'http://x' })).toThrow(/streamUrl must start with ws:\/\/ or wss:\/\//);
  });

  it('assets become instruments whose symbols round-trip (BTCUSD is read as BTC/USD)', () => {
    const asset = (x: Partial<WireAsset>): WireAsset => ({
      id: 'a',
      class: 'us_equity',
      exchange: 'NYSE',
      symbol: 'X',
      name: 'X Corp',
      status: 'active',
      tradable: true,
      shortable: true,
      fractionable: true,
      ...x,
    });
    const insts = new AlpacaInstruments();
    insts.load('alp', [
      asset({ symbol: 'AAPL', name: 'Apple Inc.' }),
      asset({ symbol: 'SPY', name: 'SPDR S&P 500 ETF Trust' }),
      asset({ symbol: 'BRK.B', name: 'Berkshire', fractionable: false }),
      asset({ symbol: 'ETH/USD', class: 'crypto', name: 'Ethereum', price_increment: '0.1', min_order_size: '0.001', min_trade_increment: '0.000000001' }),
      asset({ symbol: 'OLD', status: 'inactive' }),
    ]);
    expect(insts.all().map((i) => [i.symbol, i.assetClass])).toEqual([
      ['AAPL', 'equity'],
      ['SPY', 'etf'],
      ['BRK.B', 'equity'],
      ['ETH/USD', 'crypto_spot'],
    ]);
    expect(insts.find('ETHUSD')?.symbol).toBe('ETH/USD');
    expect(insts.find('BRK.B')).toMatchObject({ lotSize: '1', fractional: false });
    for (const i of insts.all()) expect(insts.find(i.symbol)?.venueSymbol).toBe(i.venueSymbol);
  });

  it("lists the dates where Alpaca's calendar and ours differ", () => {
    const days = [
      { date: '2026-11-23', open: '09:30', close: '16:00' },
      { date: '2026-11-25', open: '09:30', close: '16:00' },
      { date: '2026-11-27', open: '09:30', close: '16:00' },
    ];
    expect(calendarDifferences(days, '2026-11-23', '2026-11-27')).toEqual([
      "2026-11-24: Alpaca is closed, our NYSE calendar closes at 16:00 — using Alpaca's",
      "2026-11-27: Alpaca closes at 16:00, our NYSE calendar closes at 13:00 — using Alpaca's",
    ]);
  });
});
