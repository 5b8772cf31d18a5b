/**
 * Resolving what a user typed (venue + symbol) to an instrument, and a venue's quote as the API
 * shows it (with the venue and the human symbol, not only the instrument id).
 */
import type { QuoteView } from '../api/commands';
import { TradeportError } from '../api/errors';
import type { Instrument } from '../domain/instrument';
import type { VenueManager } from './venue-manager';

export type RunningVenues = Pick<VenueManager, 'get' | 'require'>;

/** The instrument `symbol` names on a running venue; the error says how to search for the right one. */
export function findInstrument(venues: RunningVenues, venue: string, symbol: string): Instrument {
  const conn = venues.require(venue);
  const inst = conn.instrument(symbol);
  if (!inst) throw new TradeportError('unknown_instrument', `${venue} has no instrument "${symbol}". Search with: tradeport instruments ${venue} ${symbol.slice(0, 3)}`);
  return inst;
}

/**
 * Like findInstrument, but a venue that describes instruments on request is asked first when the
 * symbol is not cached (preview, place and quote work the first time, in every transport).
 */
export async function findInstrumentOnDemand(venues: RunningVenues, venue: string, symbol: string): Promise<Instrument> {
  const conn = venues.require(venue);
  const cached = conn.instrument(symbol);
  if (cached) return cached;
  const found = conn.lookupInstrument ? await conn.lookupInstrument(symbol).catch(() => undefined) : undefined;
  return found ?? findInstrument(venues, venue, symbol);
}

export function quoteView(venues: RunningVenues, venue: string, inst: Instrument): QuoteView | undefined {
  const q = venues.get(venue)?.quote(inst.id);
  return q ? { ...q, venue, symbol: inst.symbol } : undefined;
}
