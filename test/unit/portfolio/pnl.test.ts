import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../src-main/engine/domain/money';
import { dayStart, midnightIn } from '../../../src-main/engine/portfolio/day-boundary';
import type { BookInfo } from '../../../src-main/engine/portfolio/ledger-service';
import { rebuild, type LedgerFill } from '../../../src-main/engine/portfolio/lot-ledger';
import { pnlCurve, pnlReport, type PnlInput } from '../../../src-main/engine/portfolio/pnl';

const at = (iso: string): number => Date.parse(iso);
const f = (id: string, venue: string, symbol: string, side: 'buy' | 'sell', qty: string, price: string, fee: string, iso: string): LedgerFill => ({
  id,
  venue,
  symbol,
  side,
  qty,
  price,
  fee,
  ts: at(iso),
});

const books: Record<string, BookInfo> = {
  'alpaca|AAPL': { instrumentId: 'alpaca:AAPL', assetClass: 'equity', currency: 'USD', multiplier: new Decimal(1) },
  'kraken|BTC/EUR': { instrumentId: 'kraken:BTC/EUR', assetClass: 'crypto_spot', currency: 'EUR', multiplier: new Decimal(1) },
  'ibkr|AAPL': { instrumentId: 'ibkr:AAPL', assetClass: 'equity', currency: 'USD', multiplier: new Decimal(1) },
};

describe('P&L from the lot ledger', () => {
  const now = at('2026-03-10T18:00:00Z'); // 14:00 in New York (EDT since 8 March)
  const fills = [
    f('a1', 'alpaca', 'AAPL', 'buy', '10', '100', '1', '2026-03-02T15:00:00Z'),
    f('a2', 'alpaca', 'AAPL', 'sell', '4', '110', '0', '2026-03-09T15:00:00Z'), // realized 4×110 − 400.4 = 39.6
    f('a3', 'alpaca', 'AAPL', 'sell', '2', '105', '0', '2026-03-10T13:30:00Z'), // 09:30 NY today: 210 − 200.2 = 9.8
    f('k1', 'kraken', 'BTC/EUR', 'buy', '1', '50000', '0', '2026-03-01T10:00:00Z'),
    f('k2', 'kraken', 'BTC/EUR', 'sell', '0.5', '52000', '0', '2026-03-10T00:30:00Z'), // today in UTC: 1000 EUR
    f('i1', 'ibkr', 'AAPL', 'buy', '3', '90', '0', '2026-03-03T15:00:00Z'),
  ];
  const s = rebuild(fills);
  const input = (over: Partial<PnlInput> = {}): PnlInput => ({
    currency: 'USD',
    now,
    closes: s.closes,
    lots: [...s.lots.values()].flat(),
    book: (a, asset) => books[`${a}|${asset}`],
    source: (id) => (id.startsWith('k') ? 'strategy' : 'user'),
    mark: (_v, id) => (id.endsWith('AAPL') ? new Decimal(120) : id === 'kraken:BTC/EUR' ? new Decimal(54000) : undefined),
    rate: (_v, ccy) => (ccy === 'EUR' ? new Decimal('1.1') : undefined),
    ...over,
  });

  it('adds realized, unrealized and today per venue and in total, converting at the rate shown', () => {
    const p = pnlReport(input(), 'venue');
    // alpaca: realized 49.4; open 4 AAPL: 480 − 400.4 = 79.6; today 9.8 (09:30 NY is after 00:00 NY).
    // ibkr: open 3 × 120 − 270 = 90. kraken: realized 1000 EUR = 1100 USD; open 0.5 × 54000 − 25000 = 2000 EUR = 2200 USD.
    expect(p.rows).toEqual([
      { key: 'alpaca', realized: '49.40', unrealized: '79.60', today: '9.80', total: '129.00' },
      { key: 'ibkr', realized: '0.00', unrealized: '90.00', today: '0.00', total: '90.00' },
      { key: 'kraken', realized: '1100.00', unrealized: '2200.00', today: '1100.00', total: '3300.00' },
    ]);
    expect(p.total).toEqual({ key: 'total', realized: '1149.40', unrealized: '2369.60', today: '1109.80', total: '3519.00' });
    expect(p.rates).toEqual([{ from: 'EUR', rate: '1.1' }]);
    expect(p.unconverted).toEqual([]);
  });

  it('groups by symbol, asset class and strategy, and sums to the same total', () => {
    for (const by of ['symbol', 'assetClass', 'strategy'] as const) expect(pnlReport(input(), by).total.total).toBe('3519.00');
    expect(pnlReport(input(), 'symbol').rows.map((r) => [r.key, r.total])).toEqual([
      ['AAPL', '219.00'],
      ['BTC/EUR', '3300.00'],
    ]);
    expect(pnlReport(input(), 'strategy').rows.map((r) => r.key)).toEqual(['strategy', 'user']);
  });

  it('names what it cannot convert or mark and leaves it out', () => {
    const p = pnlReport(input({ rate: () => undefined, mark: (_v, id) => (id === 'ibkr:AAPL' ? undefined : new Decimal(120)) }), 'venue');
    expect(p.rows.map((r) => r.key)).toEqual(['alpaca']);
    expect(p.unconverted).toEqual(['realized 1000 on 0.5 BTC/EUR at kraken (no EUR/USD rate)', '0.5 BTC/EUR on kraken (no EUR/USD rate)', '3 AAPL on ibkr (no quote to mark it)']);
  });

  it('draws the curve from realized P&L per day and ends at realized plus open P&L', () => {
    const c = pnlCurve(input());
    expect(c.points).toEqual([
      { time: at('2026-03-09T00:00:00Z'), realized: '39.60', cumulative: '39.60' },
      { time: at('2026-03-10T00:00:00Z'), realized: '1109.80', cumulative: '1149.40' },
    ]);
    expect(c.now).toEqual({ time: now, total: '3519.00' });
  });
});

describe('day boundary', () => {
  it('is 00:00 New York for equities across DST, 00:00 UTC or the trader’s zone for crypto', () => {
    expect(dayStart('equity', at('2026-03-10T03:00:00Z'))).toBe(at('2026-03-09T04:00:00Z')); // still 9 March in NY (EDT)
    expect(dayStart('etf', at('2026-01-10T12:00:00Z'))).toBe(at('2026-01-10T05:00:00Z')); // EST
    expect(midnightIn('America/New_York', at('2026-03-08T12:00:00Z'))).toBe(at('2026-03-08T05:00:00Z')); // the DST day began in EST
    expect(dayStart('crypto_spot', at('2026-03-10T03:00:00Z'))).toBe(at('2026-03-10T00:00:00Z'));
    expect(dayStart('crypto_spot', at('2026-03-10T03:00:00Z'), 'Asia/Tokyo')).toBe(at('2026-03-09T15:00:00Z'));
  });
});
