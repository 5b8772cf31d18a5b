/**
 * tastytrade instruments as ours: equities and ETFs (tick from `tick-sizes`), equity options (OCC
 * symbols as `AAPL:OPT:C:150:20260320`, multiplier 100) and futures (`/ESH6` as `ES:FUT:20260320`,
 * tick and multiplier from the contract) and cryptocurrencies (`BTC/USD` as is, fractional to the
 * routing venue's quantity precision, trading around the clock). Described on request and cached;
 * the streamer symbol of each is kept for DXLink.
 */
import Decimal from 'decimal.js';
import type { Instrument } from '../../domain/instrument';
import type { OptionChain } from '../../domain/option-chain';
import { displayToFuture, displayToOcc, futureToDisplay, occToDisplay } from './tastytrade-mapping';
import type { TtChain, TtCrypto, TtEquity, TtFuture, TtOption } from './tastytrade-parsers';

/** Quantity steps when tastytrade does not say (its crypto routes take 8 decimals). */
const CRYPTO_PRECISION = 8;

export function cryptoInstrument(venue: string, c: TtCrypto): Instrument {
  const [base, quote] = c.symbol.split('/') as [string, string];
  const precision = c['destination-venue-symbols']?.find((d) => d['max-quantity-precision'] != null)?.['max-quantity-precision'] ?? CRYPTO_PRECISION;
  const lot = new Decimal(10).pow(-precision).toFixed();
  return {
    id: `${venue}:${c.symbol}`,
    venue,
    venueSymbol: c.symbol,
    symbol: c.symbol,
    assetClass: 'crypto_spot',
    description: c.description ?? c.symbol,
    base,
    quote,
    tickSize: c['tick-size'],
    lotSize: lot,
    minQty: lot,
    minNotional: '0',
    multiplier: '1',
    fractional: true,
    session: 'always',
  };
}

export function equityInstrument(venue: string, e: TtEquity): Instrument {
  const ticks = e['tick-sizes'] ?? [];
  // The tick above the last threshold applies to prices of $1 and more.
  const tick = ticks.find((t) => t.threshold == null)?.value ?? ticks.at(-1)?.value ?? '0.01';
  return {
    id: `${venue}:${e.symbol}`,
    venue,
    venueSymbol: e.symbol,
    symbol: e.symbol,
    assetClass: e['is-etf'] ? 'etf' : 'equity',
    description: e.description ?? e.symbol,
    base: e.symbol,
    quote: 'USD',
    tickSize: tick,
    lotSize: '1',
    minQty: '1',
    minNotional: '0',
    multiplier: '1',
    fractional: false,
    session: 'us_equity',
  };
}

export function futureInstrument(venue: string, f: TtFuture): Instrument {
  const symbol = futureToDisplay(f['product-code'], f['expiration-date']);
  return {
    id: `${venue}:${f.symbol}`,
    venue,
    venueSymbol: f.symbol,
    symbol,
    assetClass: 'future',
    description: `${f['future-product']?.description ?? f['product-code']} ${f['expiration-date']}`,
    base: f['product-code'],
    quote: 'USD',
    tickSize: f['tick-size'],
    lotSize: '1',
    minQty: '1',
    minNotional: '0',
    multiplier: new Decimal(f['notional-multiplier']).toString(),
    fractional: false,
    session: 'cme_equity_futures',
    expiry: f['expiration-date'].replaceAll('-', ''),
  };
}

export function optionInstrument(venue: string, occ: string, underlying: string, multiplier = '100'): Instrument | undefined {
  const symbol = occToDisplay(occ);
  if (!symbol) return undefined;
  const [, , right, strike, expiry] = symbol.split(':') as [string, string, 'C' | 'P', string, string];
  return {
    id: `${venue}:${occ}`,
    venue,
    venueSymbol: occ,
    symbol,
    assetClass: 'option',
    description: `${underlying} ${expiry} ${strike} ${right === 'C' ? 'call' : 'put'}`,
    base: underlying,
    quote: 'USD',
    tickSize: '0.01',
    lotSize: '1',
    minQty: '1',
    minNotional: '0',
    multiplier,
    fractional: false,
    session: 'us_equity',
    expiry,
    strike,
    right,
  };
}

export class TastytradeInstruments {
  private readonly byId = new Map<string, Instrument>();
  private readonly bySymbol = new Map<string, Instrument>();
  private readonly byVenueSymbol = new Map<string, Instrument>();
  readonly streamer = new Map<string, string>();
  /** The venue's cryptocurrency list has been read (searchCrypto). */
  cryptoListed = false;

  constructor(private readonly venue: string) {}

  add(inst: Instrument, streamerSymbol?: string | null): Instrument {
    this.byId.set(inst.id, inst);
    this.bySymbol.set(inst.symbol, inst);
    this.byVenueSymbol.set(inst.venueSymbol, inst);
    if (streamerSymbol) this.streamer.set(inst.id, streamerSymbol);
    return inst;
  }

  all(): Instrument[] {
    return [...this.byId.values()];
  }

  find(idOrSymbol: string): Instrument | undefined {
    const s = idOrSymbol.trim();
    return this.byId.get(s) ?? this.byVenueSymbol.get(s) ?? this.bySymbol.get(s.toUpperCase());
  }

  /** What to ask tastytrade for a display or venue symbol: equity, option (OCC), future or crypto pair. */
  static kindOf(symbol: string): { kind: 'equity' | 'option' | 'future' | 'crypto'; venueSymbol: string; product?: string } {
    const s = symbol.trim().toUpperCase();
    if (/^[A-Z0-9]+\/[A-Z0-9]+$/.test(s)) return { kind: 'crypto', venueSymbol: s };
    const occ = displayToOcc(s);
    if (occ) return { kind: 'option', venueSymbol: occ };
    if (occToDisplay(s)) return { kind: 'option', venueSymbol: symbol };
    const fut = displayToFuture(s);
    if (fut) return { kind: 'future', venueSymbol: fut, product: s.split(':')[0]! };
    const m = /^\/([A-Z0-9]{1,5}?)[FGHJKMNQUVXZ]\d{1,2}$/.exec(s);
    if (m) return { kind: 'future', venueSymbol: s, product: m[1]! };
    return { kind: 'equity', venueSymbol: s };
  }

  /** The chain as the port shows it; its options become known instruments. */
  chain(underlying: string, chains: readonly TtChain[]): OptionChain {
    const c = chains.find((x) => x['underlying-symbol'] === underlying) ?? chains[0];
    const multiplier = String(c?.['shares-per-contract'] ?? 100);
    const expiries = (c?.expirations ?? [])
      .map((e) => ({
        expiry: e['expiration-date'].replaceAll('-', ''),
        ...(e['days-to-expiration'] != null ? { daysToExpiry: e['days-to-expiration'] } : {}),
        strikes: e.strikes
          .map((k) => {
            const call = k.call ? optionInstrument(this.venue, k.call, underlying, multiplier) : undefined;
            const put = k.put ? optionInstrument(this.venue, k.put, underlying, multiplier) : undefined;
            if (call) this.add(call, k['call-streamer-symbol']);
            if (put) this.add(put, k['put-streamer-symbol']);
            return { strike: new Decimal(k['strike-price']).toString(), ...(call ? { call: call.id } : {}), ...(put ? { put: put.id } : {}) };
          })
          .sort((a, b) => new Decimal(a.strike).cmp(b.strike)),
      }))
      .sort((a, b) => a.expiry.localeCompare(b.expiry));
    return { venue: this.venue, underlying, multiplier, expiries };
  }

  addOption(o: TtOption): Instrument | undefined {
    const inst = optionInstrument(this.venue, o.symbol, o['underlying-symbol'], String(o['shares-per-contract'] ?? 100));
    return inst ? this.add(inst, o['streamer-symbol']) : undefined;
  }
}
