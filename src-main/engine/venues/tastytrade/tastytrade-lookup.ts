/**
 * Describing a tastytrade instrument on request: what a symbol or id names (equity, option,
 * future, crypto pair), asked of the venue once and cached in the venue's instrument set (with its
 * DXLink streamer symbol). A symbol tastytrade does not list is `undefined`, never an error. Crypto
 * pairs are also searchable by their coin (`BTC` finds `BTC/USD`): the list is read once.
 */
import type { Instrument } from '../../domain/instrument';
import { HttpError } from '../../net/http-client';
import { TastytradeInstruments, cryptoInstrument, equityInstrument, futureInstrument } from './tastytrade-instruments';
import type { TastytradeRest } from './tastytrade-rest';

export async function describeInstrument(venue: string, rest: TastytradeRest, insts: TastytradeInstruments, symbolOrId: string): Promise<Instrument | undefined> {
  const raw = symbolOrId.startsWith(`${venue}:`) ? symbolOrId.slice(venue.length + 1) : symbolOrId;
  const known = insts.find(raw);
  if (known) return known;
  const k = TastytradeInstruments.kindOf(raw);
  try {
    if (k.kind === 'equity') {
      const e = await rest.equity(k.venueSymbol);
      return insts.add(equityInstrument(venue, e), e['streamer-symbol'] ?? e.symbol);
    }
    if (k.kind === 'option') return insts.addOption(await rest.option(k.venueSymbol));
    if (k.kind === 'crypto') {
      const c = await rest.crypto(k.venueSymbol);
      return insts.add(cryptoInstrument(venue, c), c['streamer-symbol']);
    }
    for (const f of await rest.futures(k.product!)) insts.add(futureInstrument(venue, f), f['streamer-symbol']);
    return insts.find(k.venueSymbol);
  } catch (e) {
    if (e instanceof HttpError && e.status === 404) return undefined;
    throw e;
  }
}

/** Cryptocurrency pairs whose symbol starts with the query (`BTC`, `BTC/`), from the venue's list read once per venue. */
export async function searchCrypto(venue: string, rest: TastytradeRest, insts: TastytradeInstruments, query: string): Promise<Instrument[]> {
  const q = query.trim().toUpperCase();
  if (!/^[A-Z0-9]+\/?[A-Z0-9]*$/.test(q)) return [];
  if (!insts.cryptoListed) {
    for (const c of await rest.cryptos()) if (c.active !== false) insts.add(cryptoInstrument(venue, c), c['streamer-symbol']);
    insts.cryptoListed = true;
  }
  return insts.all().filter((i) => i.assetClass === 'crypto_spot' && i.symbol.startsWith(q));
}
