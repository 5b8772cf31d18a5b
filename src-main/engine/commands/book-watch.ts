/** `book.watch` / `book.unwatch`: the DOM ladder's subscription to `book` events (market/book-watch.ts). */
import { TradeportError } from '../api/errors';
import type { CommandHandlers } from '../api/engine-api';
import type { BookWatch } from '../market/book-watch';
import { findInstrumentOnDemand } from '../venues/market-views';
import type { VenueManager } from '../venues/venue-manager';

export interface BookWatchCommandsDeps {
  readonly venues: Pick<VenueManager, 'get' | 'require'>;
  readonly watch: BookWatch;
}

export function bookWatchCommands(d: BookWatchCommandsDeps): Pick<CommandHandlers, 'book.watch' | 'book.unwatch'> {
  const { venues, watch } = d;
  return {
    'book.watch': async (i) => {
      const inst = await findInstrumentOnDemand(venues, i.venue, i.symbol);
      watch.watch(i.venue, inst.id, i.depth);
      // The first answer is the book as it is now; every quote after it brings a `book` event.
      const b = venues.require(i.venue).book(inst.id, i.depth);
      if (!b) throw new TradeportError('no_quote', `No order book for ${inst.symbol} on ${i.venue} yet; the ladder fills in when the venue streams one.`);
      return { ...b, venue: i.venue, symbol: inst.symbol };
    },
    'book.unwatch': async (i) => {
      const inst = await findInstrumentOnDemand(venues, i.venue, i.symbol);
      watch.unwatch(i.venue, inst.id);
      return { venue: i.venue, symbol: inst.symbol, watching: watch.watching(i.venue, inst.id) };
    },
  };
}
