/** Commands that read market data: instrument search, quotes and order books. */
import { TradeportError } from '../api/errors';
import type { Instrument } from '../domain/instrument';
import type { CommandHandlers } from '../api/engine-api';
import { findInstrumentOnDemand, quoteView } from '../venues/market-views';
import type { VenueManager } from '../venues/venue-manager';

export interface MarketDataCommandsDeps {
  readonly venues: Pick<VenueManager, 'get' | 'require'>;
}

export function marketDataCommands(d: MarketDataCommandsDeps): Pick<CommandHandlers, 'instruments.search' | 'quote.get' | 'book.get'> {
  const { venues } = d;
  return {
    'instruments.search': async (i) => {
      const conn = venues.require(i.venue);
      const q = i.query.trim().toUpperCase();
      // Ask venues that look instruments up remotely first, so a symbol never seen before is found.
      if (q && conn.searchInstruments) await conn.searchInstruments(q).catch(() => []);
      const rank = (inst: Instrument) => {
        if (!q) return 3;
        const s = inst.symbol.toUpperCase();
        if (s === q || inst.venueSymbol.toUpperCase() === q) return 0;
        if (s.startsWith(q) || inst.base.toUpperCase().startsWith(q)) return 1;
        if (s.includes(q) || inst.description.toUpperCase().includes(q)) return 2;
        return -1;
      };
      return conn
        .instruments()
        .map((inst) => [rank(inst), inst] as const)
        .filter(([r]) => r >= 0)
        .sort((a, b) => a[0] - b[0] || a[1].symbol.localeCompare(b[1].symbol))
        .slice(0, i.limit)
        .map(([, inst]) => inst);
    },
    'quote.get': async (i) => {
      const inst = await findInstrumentOnDemand(venues, i.venue, i.symbol);
      const conn = venues.require(i.venue);
      // The first ask subscribes; a venue that can give a snapshot answers now rather than on the next try.
      if (!conn.quote(inst.id) && conn.snapshotQuote) await conn.snapshotQuote(inst.id).catch(() => undefined);
      const q = quoteView(venues, i.venue, inst);
      if (!q) throw new TradeportError('no_quote', `No quote for ${inst.symbol} on ${i.venue} yet.`);
      return q;
    },
    'book.get': async (i) => {
      const inst = await findInstrumentOnDemand(venues, i.venue, i.symbol);
      const b = venues.require(i.venue).book(inst.id, i.depth);
      if (!b) throw new TradeportError('no_quote', `No order book for ${inst.symbol} on ${i.venue} yet.`);
      return { ...b, venue: i.venue, symbol: inst.symbol };
    },
  };
}
