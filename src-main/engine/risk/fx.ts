/**
 * The rate that turns an instrument's quote currency into the account currency, for money limits
 * and P&L. Where it comes from, in order:
 * 1. the venue's own pair (USDT/USD), or its inverse (USD/USDT);
 * 2. the same pair on any other running venue (Binance lists no USDT/USD; Kraken and Coinbase do);
 * 3. a dollar stablecoin against USD (or the other way) at 1, when no venue quotes it: an
 *    approximation, named as such, rather than refusing every order on a USDT-quoted venue.
 * Pure apart from the quotes it reads.
 */
import { Decimal } from '../domain/money';
import type { Quote } from '../domain/order';

/** Dollar stablecoins valued at 1 USD when no quote says otherwise. */
export const USD_STABLECOINS: ReadonlySet<string> = new Set(['USDT', 'USDC', 'FDUSD', 'PYUSD', 'USDP', 'TUSD', 'DAI', 'USDS', 'USDG', 'BUSD']);

/** What a rate needs of a venue: its instruments by symbol and their quotes. */
export interface FxVenue {
  instrument(idOrSymbol: string): { readonly id: string } | undefined;
  quote(instrumentId: string): Quote | undefined;
}

export interface FxRate {
  readonly rate: Decimal;
  /** `BTC venue:USDT/USD`, `inverse of …`, or `peg`. */
  readonly source: string;
}

function mid(q: Quote | undefined): Decimal | undefined {
  if (!q) return undefined;
  if (q.bid && q.ask) {
    const m = new Decimal(q.bid).plus(q.ask).div(2);
    return m.gt(0) ? m : undefined;
  }
  if (q.last && new Decimal(q.last).gt(0)) return new Decimal(q.last);
  return undefined;
}

function fromVenue(name: string, v: FxVenue, from: string, to: string): FxRate | undefined {
  const direct = v.instrument(`${from}/${to}`);
  const d = direct ? mid(v.quote(direct.id)) : undefined;
  if (d) return { rate: d, source: `${name}:${from}/${to}` };
  const inverse = v.instrument(`${to}/${from}`);
  const i = inverse ? mid(v.quote(inverse.id)) : undefined;
  if (i) return { rate: new Decimal(1).div(i), source: `inverse of ${name}:${to}/${from}` };
  return undefined;
}

/** `venues`: the order's own venue first, then every other running one. */
export function fxRate(quote: string, account: string, venues: ReadonlyArray<readonly [string, FxVenue]>): FxRate | undefined {
  const from = quote.toUpperCase();
  const to = account.toUpperCase();
  if (from === to) return { rate: new Decimal(1), source: 'same currency' };
  for (const [name, v] of venues) {
    const r = fromVenue(name, v, from, to);
    if (r) return r;
  }
  if ((USD_STABLECOINS.has(from) && to === 'USD') || (from === 'USD' && USD_STABLECOINS.has(to)) || (USD_STABLECOINS.has(from) && USD_STABLECOINS.has(to))) {
    return { rate: new Decimal(1), source: 'peg' };
  }
  return undefined;
}
