import { describe, expect, it } from 'vitest';
import { formatSymbol, parseSymbol } from '../../../src-main/engine/domain/instrument';
import { Decimal, isMultipleOf } from '../../../src-main/engine/domain/money';
import { PAPER_INSTRUMENTS, PAPER_SPECS, paperSpec } from '../../../src-main/engine/venues/paper/paper-instruments';

const bySymbol = (s: string) => PAPER_INSTRUMENTS.find((i) => i.symbol === s)!;

describe('Paper instruments', () => {
  it('round-trips every display symbol through parseSymbol/formatSymbol', () => {
    for (const inst of PAPER_INSTRUMENTS) {
      const parsed = parseSymbol(inst.symbol);
      expect(parsed, inst.symbol).toBeDefined();
      expect(formatSymbol(parsed!)).toBe(inst.symbol);
      const expectedKind = { equity: 'equity', etf: 'equity', crypto_spot: 'pair', future: 'future' }[inst.assetClass as string];
      expect(parsed!.kind, inst.symbol).toBe(expectedKind);
    }
  });

  it('carries venue ids of the form paper:<venueSymbol>, unique', () => {
    const ids = PAPER_INSTRUMENTS.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const i of PAPER_INSTRUMENTS) {
      expect(i.venue).toBe('paper');
      expect(i.id).toBe(`paper:${i.venueSymbol}`);
    }
  });

  it('has the equities, ETFs, crypto pairs and futures a trader expects, with their tick and lot sizes', () => {
    expect(PAPER_INSTRUMENTS.map((i) => i.symbol)).toEqual(['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMZN', 'SPY', 'QQQ', 'IWM', 'BTC/USD', 'ETH/USD', 'SOL/USD', 'ES:FUT:20261218', 'MES:FUT:20261218']);
    for (const s of ['AAPL', 'SPY']) expect(bySymbol(s)).toMatchObject({ tickSize: '0.01', lotSize: '1', fractional: false, session: 'us_equity', quote: 'USD' });
    expect(bySymbol('SPY').assetClass).toBe('etf');
    expect(bySymbol('BTC/USD')).toMatchObject({ tickSize: '0.01', lotSize: '0.00001', session: 'always', assetClass: 'crypto_spot', base: 'BTC', quote: 'USD' });
    expect(bySymbol('ETH/USD')).toMatchObject({ tickSize: '0.01', lotSize: '0.0001' });
    expect(bySymbol('SOL/USD')).toMatchObject({ tickSize: '0.001', lotSize: '0.01' });
    expect(new Decimal(bySymbol('BTC/USD').minNotional).gt(0)).toBe(true);
    expect(bySymbol('ES:FUT:20261218')).toMatchObject({ venueSymbol: 'ESZ6', tickSize: '0.25', lotSize: '1', multiplier: '50', session: 'cme_equity_futures', expiry: '20261218' });
    expect(bySymbol('MES:FUT:20261218')).toMatchObject({ multiplier: '5', tickSize: '0.25' });
  });

  it('gives each a market model on its own tick, with at least 10 levels of depth', () => {
    for (const s of PAPER_SPECS) {
      const tick = new Decimal(s.instrument.tickSize);
      expect(isMultipleOf(new Decimal(s.refPrice), tick), s.instrument.symbol).toBe(true);
      expect(s.depth).toBeGreaterThanOrEqual(10);
      expect(s.spreadTicks).toBeGreaterThanOrEqual(1);
      expect(Number.isInteger(s.topLots) && s.topLots >= 1).toBe(true);
      expect(s.dailyVol).toBeGreaterThan(0);
      expect(s.dailyVol).toBeLessThan(0.2);
    }
  });

  it('finds a spec by id, display symbol or venue symbol', () => {
    expect(paperSpec('paper:ESZ6')?.instrument.symbol).toBe('ES:FUT:20261218');
    expect(paperSpec('es:fut:20261218')?.instrument.id).toBe('paper:ESZ6');
    expect(paperSpec('btc/usd')?.instrument.id).toBe('paper:BTC-USD');
    expect(paperSpec('NOPE')).toBeUndefined();
  });
});
