/** Commands that read market data: instrument search, quotes and order books. */
import { TradeportError } from '../api/errors';
import type { Instrument } from '../domain/instrument';
import type { CommandHandlers } from '../api/engine-api';
import { findInstrumentOnDemand, quoteView } from '../venues/market-views';
import type { VenueManager } from '../venues/venue-manager';

export interface MarketDataCommandsDeps {
  readonly venues: Pick<VenueManager, 'get' | 'require'>;
}

/** Letters and digits only: "BTCUSD", "btc-usd" and "BTC/USD" name the same pair. */
const compact = (s: string): string => s.toUpperCase().replace(/[^A-Z0-9]/g, '');

/** 0 exact, 1 prefix, 2 contained, -1 no match; `q` is upper case. Separators are optional in the query. */
export function searchRank(inst: Instrument, q: string): number {
  if (!q) return 3;
  const s = inst.symbol.toUpperCase();
  const qc = compact(q);
  const sc = compact(s);
  if (s === q || inst.id.toUpperCase() === q || inst.venueSymbol.toUpperCase() === q || (qc !== '' && (sc === qc || compact(inst.venueSymbol) === qc))) return 0;
  if (s.startsWith(q) || inst.base.toUpperCase().startsWith(q) || (qc !== '' && sc.startsWith(qc))) return 1;
  if (s.includes(q) || inst.description.toUpperCase().includes(q) || (qc !== '' && sc.includes(qc))) return 2;
  return -1;
}

export function marketDataCommands(d: MarketDataCommandsDeps): Pick<CommandHandlers, 'instruments.search' | 'quote.get' | 'book.get'> {
  const { venues } = d;
  return {
    'instruments.search': async (i) => {
      const conn = venues.require(i.venue);
      const q = i.query.trim().toUpperCase();
      // Ask venues that look instruments up remotely first, so a symbol never seen before is found.
      if (q && conn.searchInstruments) await conn.searchInstruments(q).catch(() => []);
      return conn
        .instruments()
        .map((inst) => [searchRank(inst, q), inst] as const)
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
