import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../../src-main/engine/domain/instrument';
import { Decimal } from '../../../src-main/engine/domain/money';
import type { Quote } from '../../../src-main/engine/domain/order';
import { accountSummary, type AccountSummaryInput } from '../../../src-main/engine/portfolio/account-summary';

const inst = (id: string, o: Partial<Instrument>): Instrument =>
  ({
    id,
    venue: 'v',
    symbol: id,
    venueSymbol: id,
    assetClass: 'equity',
    base: id,
    quote: 'USD',
    tickSize: '0.01',
    lotSize: '1',
    minQty: '1',
    minNotional: '0',
    multiplier: '1',
    session: 'us_equity',
    description: '',
    ...o,
  }) as Instrument;
const INSTS: Record<string, Instrument> = {
  AAPL: inst('AAPL', {}),
  'BTC/USD': inst('BTC/USD', { assetClass: 'crypto_spot', base: 'BTC', session: 'always' }),
  ES: inst('ES', { assetClass: 'future', multiplier: '50' }),
  SAP: inst('SAP', { quote: 'EUR' }),
};
const QUOTES: Record<string, Quote> = {
  AAPL: { instrumentId: 'AAPL', bid: '199', ask: '201', ts: 0 },
  'BTC/USD': { instrumentId: 'BTC/USD', bid: '60000', ask: '60010', ts: 0 },
  ES: { instrumentId: 'ES', last: '6010', ts: 0 },
};
const pos = (venue: string, instrumentId: string, qty: string, avgPrice: string) => ({ venue, instrumentId, symbol: instrumentId, qty, avgPrice, realizedPnl: '0' });
const venue = (name: string, o: Partial<AccountSummaryInput['venues'][number]>): AccountSummaryInput['venues'][number] => ({
  name,
  balances: [],
  positions: [],
  instrument: (id) => INSTS[id],
  quote: (id) => QUOTES[id],
  rate: () => undefined,
  ...o,
});

describe('account summary', () => {
  it('net liquidation is cash plus positions at mark (futures: open P&L only; coins once), and names what it could not convert', () => {
    const s = accountSummary({
      currency: 'USD',
      now: 1,
      pnlToday: { realized: new Decimal('-12.5'), unrealized: new Decimal('40') },
      venues: [
        venue('paper', {
          balances: [
            { venue: 'paper', asset: 'USD', total: '10000', available: '9000' },
            { venue: 'paper', asset: 'BTC', total: '0.1', available: '0.1' },
            { venue: 'paper', asset: 'EUR', total: '500', available: '500' },
          ],
          positions: [pos('paper', 'AAPL', '10', '150'), pos('paper', 'BTC/USD', '0.1', '50000'), pos('paper', 'ES', '1', '6000'), pos('paper', 'SAP', '3', '100')],
        }),
      ],
    });
    // 10 × 200 + 0.1 × 60005 + (6010 − 6000) × 50 = 2000 + 6000.5 + 500
    expect(s.venues[0]).toMatchObject({ venue: 'paper', cash: '10000', positionsValue: '8500.5', netLiquidation: '18500.5', buyingPower: '9000', source: 'computed' });
    expect(s.unconverted).toEqual(['500 EUR on paper (no EUR/USD rate)', '3 SAP on paper (no quote to mark it)']);
    expect(s).toMatchObject({ currency: 'USD', netLiquidation: '18500.5', pnlToday: { realized: '-12.5', unrealized: '40', total: '27.5' } });
  });

  it('converts other currencies at the rate given, and believes a venue that reports its own figures', () => {
    const s = accountSummary({
      currency: 'USD',
      now: 1,
      pnlToday: { realized: new Decimal(0), unrealized: new Decimal(0) },
      venues: [
        venue('kraken', { balances: [{ venue: 'kraken', asset: 'EUR', total: '1000', available: '800' }], rate: (a) => (a === 'EUR' ? new Decimal('1.1') : undefined) }),
        venue('ib', { balances: [{ venue: 'ib', asset: 'USD', total: '5000', available: '5000' }], figures: { currency: 'USD', netLiquidation: '25000', buyingPower: '100000' } }),
      ],
    });
    expect(s.venues.map((v) => [v.venue, v.netLiquidation, v.buyingPower, v.source])).toEqual([
      ['kraken', '1100', '880', 'computed'],
      ['ib', '25000', '100000', 'venue'],
    ]);
    expect(s.netLiquidation).toBe('26100');
    expect(s.buyingPower).toBe('100880');
    expect(s.unconverted).toEqual([]);
  });
});
