/**
 * The Paper venue's instruments and the market model each one is simulated with. Every number the
 * price source needs lives here, next to the instrument it describes.
 */
import type { AssetClass, Instrument, SessionKind } from '../../domain/instrument';
import { formatSymbol, instrumentId } from '../../domain/instrument';
import type { DecimalString } from '../../domain/money';

export const PAPER_VENUE = 'paper';

export interface PaperInstrumentSpec {
  readonly instrument: Instrument;
  /** Start mid price; must be on the instrument's tick. */
  readonly refPrice: DecimalString;
  /**
   * Standard deviation of the log return over one trading day of the instrument's session
   * (6.5 h for US equities, 23 h for CME futures, 24 h otherwise). A model parameter, not money.
   */
  readonly dailyVol: number;
  /** Typical bid/ask spread in ticks (≥ 1). */
  readonly spreadTicks: number;
  /** Price distance between displayed depth levels, in ticks (≥ 1). */
  readonly levelGapTicks: number;
  /** Typical size at the touch, in lots; deeper levels grow from it. */
  readonly topLots: number;
  /** Displayed levels per side. */
  readonly depth: number;
}

interface Common {
  readonly venueSymbol: string;
  readonly assetClass: AssetClass;
  readonly description: string;
  readonly base: string;
  readonly quote: string;
  readonly tickSize: string;
  readonly lotSize: string;
  readonly minQty?: string;
  readonly minNotional: string;
  readonly multiplier?: string;
  readonly fractional: boolean;
  readonly session: SessionKind;
  readonly expiry?: string;
  readonly symbol: string;
}

function make(c: Common, model: Omit<PaperInstrumentSpec, 'instrument'>): PaperInstrumentSpec {
  const instrument: Instrument = {
    id: instrumentId(PAPER_VENUE, c.venueSymbol),
    venue: PAPER_VENUE,
    venueSymbol: c.venueSymbol,
    symbol: c.symbol,
    assetClass: c.assetClass,
    description: c.description,
    base: c.base,
    quote: c.quote,
    tickSize: c.tickSize,
    lotSize: c.lotSize,
    minQty: c.minQty ?? c.lotSize,
    minNotional: c.minNotional,
    multiplier: c.multiplier ?? '1',
    fractional: c.fractional,
    session: c.session,
    ...(c.expiry ? { expiry: c.expiry } : {}),
  };
  return { instrument, ...model };
}

function equity(root: string, description: string, assetClass: 'equity' | 'etf', refPrice: string, dailyVol: number, topLots: number, spreadTicks = 1) {
  return make(
    {
      venueSymbol: root,
      symbol: formatSymbol({ kind: 'equity', root }),
      assetClass,
      description,
      base: root,
      quote: 'USD',
      tickSize: '0.01',
      lotSize: '1',
      minNotional: '0',
      fractional: false,
      session: 'us_equity',
    },
    { refPrice, dailyVol, spreadTicks, levelGapTicks: 1, topLots, depth: 12 },
  );
}

function crypto(base: string, description: string, tickSize: string, lotSize: string, refPrice: string, dailyVol: number, m: Pick<PaperInstrumentSpec, 'spreadTicks' | 'levelGapTicks' | 'topLots'>) {
  return make(
    {
      // A dash, not a slash, so the instrument id stays one path segment in URLs and CLI args.
      venueSymbol: `${base}-USD`,
      symbol: formatSymbol({ kind: 'pair', base, quote: 'USD' }),
      assetClass: 'crypto_spot',
      description,
      base,
      quote: 'USD',
      tickSize,
      lotSize,
      // Coinbase-style $1 minimum order value.
      minNotional: '1',
      fractional: true,
      session: 'always',
    },
    { refPrice, dailyVol, depth: 15, ...m },
  );
}

function future(root: string, venueSymbol: string, expiry: string, description: string, multiplier: string, refPrice: string, topLots: number) {
  return make(
    {
      venueSymbol,
      symbol: formatSymbol({ kind: 'future', root, expiry }),
      assetClass: 'future',
      description,
      base: root,
      quote: 'USD',
      tickSize: '0.25',
      lotSize: '1',
      minNotional: '0',
      multiplier,
      fractional: false,
      session: 'cme_equity_futures',
      expiry,
    },
    { refPrice, dailyVol: 0.011, spreadTicks: 1, levelGapTicks: 1, topLots, depth: 10 },
  );
}

export const PAPER_SPECS: readonly PaperInstrumentSpec[] = [
  equity('AAPL', 'Apple Inc.', 'equity', '230.00', 0.016, 300),
  equity('MSFT', 'Microsoft Corporation', 'equity', '420.00', 0.014, 200),
  equity('NVDA', 'NVIDIA Corporation', 'equity', '180.00', 0.028, 800),
  equity('TSLA', 'Tesla, Inc.', 'equity', '350.00', 0.035, 250, 2),
  equity('AMZN', 'Amazon.com, Inc.', 'equity', '220.00', 0.019, 300),
  equity('SPY', 'SPDR S&P 500 ETF Trust', 'etf', '660.00', 0.009, 600),
  equity('QQQ', 'Invesco QQQ Trust', 'etf', '590.00', 0.012, 400),
  equity('IWM', 'iShares Russell 2000 ETF', 'etf', '240.00', 0.014, 500),
  crypto('BTC', 'Bitcoin', '0.01', '0.00001', '100000.00', 0.03, { spreadTicks: 1, levelGapTicks: 50, topLots: 40_000 }),
  crypto('ETH', 'Ether', '0.01', '0.0001', '3500.00', 0.04, { spreadTicks: 1, levelGapTicks: 5, topLots: 50_000 }),
  crypto('SOL', 'Solana', '0.001', '0.01', '180.000', 0.05, { spreadTicks: 10, levelGapTicks: 10, topLots: 5_000 }),
  future('ES', 'ESZ6', '20261218', 'E-mini S&P 500 Dec 2026', '50', '6700.00', 40),
  future('MES', 'MESZ6', '20261218', 'Micro E-mini S&P 500 Dec 2026', '5', '6700.00', 60),
];

export const PAPER_INSTRUMENTS: readonly Instrument[] = PAPER_SPECS.map((s) => s.instrument);

export function paperSpec(instrumentIdOrSymbol: string): PaperInstrumentSpec | undefined {
  const key = instrumentIdOrSymbol.trim();
  const upper = key.toUpperCase();
  return PAPER_SPECS.find((s) => s.instrument.id === key || s.instrument.symbol === upper || s.instrument.venueSymbol === upper);
}
