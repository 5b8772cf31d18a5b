/**
 * Describing a tastytrade instrument on request: what a symbol or id names (equity, option,
 * future), asked of the venue once and cached in the venue's instrument set (with its DXLink
 * streamer symbol). A symbol tastytrade does not list is `undefined`, never an error.
 */
import type { Instrument } from '../../domain/instrument';
import { HttpError } from '../../net/http-client';
import { TastytradeInstruments, equityInstrument, futureInstrument } from './tastytrade-instruments';
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
    for (const f of await rest.futures(k.product!)) insts.add(futureInstrument(venue, f), f['streamer-symbol']);
    return insts.find(k.venueSymbol);
  } catch (e) {
    if (e instanceof HttpError && e.status === 404) return undefined;
    throw e;
  }
}
