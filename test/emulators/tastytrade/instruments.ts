/**
 * The tastytrade emulator's instrument catalogue, shaped as the Open API returns it (dasherized):
 * equities with `tick-sizes`, futures with `product-code` / `expiration-date` / `streamer-symbol`,
 * equity options under OCC symbols (`AAPL  260320C00150000`, streamer `.AAPL260320C150`) and the
 * nested option chain (`/option-chains/:symbol/nested`), and cryptocurrencies (`BTC/USD`, streamer
 * `BTC/USD:CXTALP`). Quotes (bid/ask) drive fills and DXLink.
 */
import Decimal from 'decimal.js';

export type TtInstrumentType = 'Equity' | 'Equity Option' | 'Future' | 'Cryptocurrency';

export interface TtInstrument {
  readonly symbol: string;
  readonly type: TtInstrumentType;
  readonly underlying: string;
  readonly streamerSymbol: string;
  /** Contract multiplier: 1 for stock, 100 for equity options, the future's notional multiplier. */
  readonly multiplier: string;
  readonly tick: string;
  readonly body: Record<string, unknown>;
}

export interface TtQuote {
  bid: string;
  ask: string;
}

const EQUITY_TICKS = [{ value: '0.0001', threshold: '1.0' }, { value: '0.01' }];
const OPTION_TICKS = [{ value: '0.01', threshold: '3.0' }, { value: '0.05' }];

function equity(symbol: string, description: string, etf: boolean): TtInstrument {
  return {
    symbol,
    type: 'Equity',
    underlying: symbol,
    streamerSymbol: symbol,
    multiplier: '1',
    tick: '0.01',
    body: {
      id: symbol.length,
      symbol,
      'instrument-type': 'Equity',
      cusip: null,
      'short-description': description,
      'is-index': false,
      'listed-market': 'XNAS',
      description,
      lendability: 'Easy To Borrow',
      'market-time-instrument-collection': 'Equity',
      'is-closing-only': false,
      'is-options-closing-only': false,
      active: true,
      'is-fractional-quantity-eligible': true,
      'is-illiquid': false,
      'is-etf': etf,
      'streamer-symbol': symbol,
      'tick-sizes': EQUITY_TICKS,
      'option-tick-sizes': OPTION_TICKS,
    },
  };
}

/** `AAPL  260320C00150000`: root padded to 6, yymmdd, C/P, strike × 1000 in 8 digits. */
export function occSymbol(root: string, expiry: string, cp: 'C' | 'P', strike: string): string {
  const ymd = expiry.replaceAll('-', '').slice(2);
  return `${root.padEnd(6, ' ')}${ymd}${cp}${new Decimal(strike).mul(1000).toFixed(0).padStart(8, '0')}`;
}

function option(root: string, expiry: string, cp: 'C' | 'P', strike: string): TtInstrument {
  const symbol = occSymbol(root, expiry, cp, strike);
  const streamerSymbol = `.${root}${expiry.replaceAll('-', '').slice(2)}${cp}${new Decimal(strike).toString()}`;
  return {
    symbol,
    type: 'Equity Option',
    underlying: root,
    streamerSymbol,
    multiplier: '100',
    tick: '0.01',
    body: {
      symbol,
      'instrument-type': 'Equity Option',
      active: true,
      'strike-price': new Decimal(strike).toFixed(1),
      'root-symbol': root,
      'underlying-symbol': root,
      'expiration-date': expiry,
      'exercise-style': 'American',
      'shares-per-contract': 100,
      'option-type': cp,
      'option-chain-type': 'Standard',
      'expiration-type': 'Regular',
      'settlement-type': 'PM',
      'stops-trading-at': `${expiry}T20:00:00.000+00:00`,
      'market-time-instrument-collection': 'Equity Option',
      'days-to-expiration': 100,
      'expires-at': `${expiry}T20:00:00.000+00:00`,
      'is-closing-only': false,
      'streamer-symbol': streamerSymbol,
    },
  };
}

/** A cryptocurrency pair (`BTC/USD`, streamer `BTC/USD:CXTALP`), traded in fractions of a coin. */
function crypto(base: string, description: string, tick: string): TtInstrument {
  const symbol = `${base}/USD`;
  return {
    symbol,
    type: 'Cryptocurrency',
    underlying: symbol,
    streamerSymbol: `${symbol}:CXTALP`,
    multiplier: '1',
    tick,
    body: {
      id: base.length,
      symbol,
      'instrument-type': 'Cryptocurrency',
      'short-description': base,
      description,
      'is-closing-only': false,
      active: true,
      'tick-size': tick,
      'streamer-symbol': `${symbol}:CXTALP`,
      'destination-venue-symbols': [{ id: base.length, symbol: `${base}USD`, 'destination-venue': 'EMULATOR_CRYPTO', 'max-quantity-precision': 8, 'max-price-precision': 2, routable: true }],
    },
  };
}

function future(symbol: string, product: string, expiry: string, streamer: string, multiplier: string, tick: string, active: boolean): TtInstrument {
  return {
    symbol,
    type: 'Future',
    underlying: product,
    streamerSymbol: streamer,
    multiplier,
    tick,
    body: {
      symbol,
      'product-code': product,
      'contract-size': '50.0',
      'tick-size': tick,
      'notional-multiplier': new Decimal(multiplier).toFixed(1),
      'main-fraction': '0.0',
      'sub-fraction': '0.0',
      'display-factor': '0.01',
      'last-trade-date': expiry,
      'expiration-date': expiry,
      'closing-only-date': expiry,
      active,
      'active-month': active,
      'next-active-month': !active,
      'is-closing-only': false,
      'stops-trading-at': `${expiry}T13:30:00.000+00:00`,
      'expires-at': `${expiry}T13:30:00.000+00:00`,
      'product-group': 'CME_ES',
      exchange: 'CME',
      'streamer-exchange-code': 'XCME',
      'streamer-symbol': streamer,
      'back-month-first-calendar-symbol': false,
      'is-tradeable': true,
      'future-product': { 'root-symbol': `/${product}`, code: product, description: 'E-Mini S&P 500', exchange: 'CME', 'product-type': 'Physical', 'listed-months': ['H', 'M', 'U', 'Z'] },
      'tick-sizes': [{ value: tick }],
    },
  };
}

const EXPIRIES = ['2026-03-20', '2026-04-17'];
const STRIKES = ['140', '145', '150', '155', '160'];

export class Catalogue {
  readonly bySymbol = new Map<string, TtInstrument>();
  readonly quotes = new Map<string, TtQuote>();

  constructor() {
    for (const i of [equity('AAPL', 'Apple Inc. - Common Stock', false), equity('SPY', 'SPDR S&P 500 ETF Trust', true)])
      this.add(i, i.symbol === 'AAPL' ? { bid: '149.99', ask: '150.01' } : { bid: '599.99', ask: '600.01' });
    for (const e of EXPIRIES) for (const k of STRIKES) for (const cp of ['C', 'P'] as const) this.add(option('AAPL', e, cp, k), { bid: '4.95', ask: '5.05' });
    this.add(future('/ESH6', 'ES', '2026-03-20', '/ESH26:XCME', '50', '0.25', true), { bid: '6000.00', ask: '6000.25' });
    this.add(future('/ESM6', 'ES', '2026-06-18', '/ESM26:XCME', '50', '0.25', false), { bid: '6050.00', ask: '6050.25' });
    this.add(crypto('BTC', 'Bitcoin', '0.01'), { bid: '60000.00', ask: '60010.00' });
    this.add(crypto('ETH', 'Ethereum', '0.01'), { bid: '3000.00', ask: '3000.50' });
  }

  private add(i: TtInstrument, q: TtQuote): void {
    this.bySymbol.set(i.symbol, i);
    this.quotes.set(i.symbol, q);
  }

  get(symbol: string): TtInstrument | undefined {
    return this.bySymbol.get(symbol);
  }

  byStreamer(streamerSymbol: string): TtInstrument | undefined {
    return [...this.bySymbol.values()].find((i) => i.streamerSymbol === streamerSymbol);
  }

  of(type: TtInstrumentType): TtInstrument[] {
    return [...this.bySymbol.values()].filter((i) => i.type === type);
  }

  /** `/option-chains/:symbol/nested`: one chain, expirations → strikes → call/put symbols. */
  nestedChain(underlying: string): Record<string, unknown> | undefined {
    const opts = this.of('Equity Option').filter((o) => o.underlying === underlying);
    if (opts.length === 0) return undefined;
    const expirations = [...new Set(opts.map((o) => String(o.body['expiration-date'])))].sort().map((exp) => {
      const at = opts.filter((o) => o.body['expiration-date'] === exp);
      const strikes = [...new Set(at.map((o) => String(o.body['strike-price'])))].sort((a, b) => Number(a) - Number(b));
      return {
        'expiration-type': 'Regular',
        'expiration-date': exp,
        'days-to-expiration': 100,
        'settlement-type': 'PM',
        strikes: strikes.map((k) => {
          const c = at.find((o) => o.body['strike-price'] === k && o.body['option-type'] === 'C')!;
          const p = at.find((o) => o.body['strike-price'] === k && o.body['option-type'] === 'P')!;
          return { 'strike-price': k, call: c.symbol, 'call-streamer-symbol': c.streamerSymbol, put: p.symbol, 'put-streamer-symbol': p.streamerSymbol };
        }),
      };
    });
    return { 'underlying-symbol': underlying, 'root-symbol': underlying, 'option-chain-type': 'Standard', 'shares-per-contract': 100, 'tick-sizes': OPTION_TICKS, deliverables: [], expirations };
  }
}
