import { describe, expect, it } from 'vitest';
import type { AccountSummaryView, QuoteView } from '../../../src-main/engine/api/commands';
import type { Instrument } from '../../../src-main/engine/domain/instrument';
import { headerFigures, totalUnrealized, unconvertedNote } from '../../../src-renderer/src/features/account/account-model';

const inst = (id: string, venue: string, symbol: string, quote: string): Instrument =>
  ({
    id,
    venue,
    symbol,
    venueSymbol: symbol,
    assetClass: 'equity',
    base: symbol,
    quote,
    tickSize: '0.01',
    lotSize: '1',
    minQty: '1',
    minNotional: '0',
    multiplier: '1',
    session: 'us_equity',
    description: '',
  }) as Instrument;
const AAPL = inst('ib:1', 'ib', 'AAPL', 'USD');
const SAP = inst('ib:2', 'ib', 'SAP', 'EUR');
const EURUSD = inst('ib:3', 'ib', 'EUR/USD', 'USD');
const BMW = inst('kr:1', 'kraken', 'BMW', 'EUR');

describe('positions footer total', () => {
  it('adds USD P&L, converts EUR at a streamed EUR/USD mid on the same venue, and names what has no rate instead of adding it', () => {
    const instruments = { [AAPL.id]: AAPL, [SAP.id]: SAP, [EURUSD.id]: EURUSD, [BMW.id]: BMW };
    const quotes: Record<string, QuoteView> = { [EURUSD.id]: { instrumentId: EURUSD.id, venue: 'ib', symbol: 'EUR/USD', bid: '1.09', ask: '1.11', ts: 0 } };
    const t = totalUnrealized(
      [
        { venue: 'ib', instrument: AAPL, unrealized: '100' },
        { venue: 'ib', instrument: SAP, unrealized: '50' },
        { venue: 'kraken', instrument: BMW, unrealized: '-20' },
      ],
      instruments,
      quotes,
    );
    // 100 + 50 × 1.10; the kraken EUR has no EUR/USD quote there
    expect(t).toEqual({ currency: 'USD', total: '155', unconverted: [{ currency: 'EUR', amount: '-20' }] });
  });
});

describe('header figures', () => {
  const s: AccountSummaryView = {
    currency: 'USD',
    netLiquidation: '101234.5',
    cash: '90000',
    positionsValue: '11234.5',
    buyingPower: '85000',
    pnlToday: { realized: '-10', unrealized: '25', total: '15' },
    venues: [{ venue: 'paper', cash: '90000', positionsValue: '11234.5', netLiquidation: '101234.5', buyingPower: '85000', source: 'computed', unconverted: [] }],
    unconverted: ['0.0421 BTC on coinbase (no BTC/USD rate)'],
    ts: 0,
  };
  it('shows net liquidation (not cash), buying power and P&L today, and says what could not be converted', () => {
    expect(headerFigures(s).map((f) => [f.id, f.label, f.value])).toEqual([
      ['netliq', 'net liq USD', '101234.5'],
      ['bp', 'buying power', '85000'],
      ['pnl', 'P&L today', '15'],
    ]);
    expect(headerFigures(s)[2]!.title).toContain('Realized today -10');
    expect(unconvertedNote(s)).toBe('Not in the totals: 0.0421 BTC on coinbase (no BTC/USD rate)');
    expect(headerFigures(undefined).map((f) => f.value)).toEqual([null, null, null]);
  });
});
