/** Venue kinds this build can connect to. Adding a venue = a folder with the same shape + one line here. */
import type { VenueFactory } from './venue-port';
import { paperVenueFactory } from './paper';
import { ibkrVenueFactory } from './ibkr';
import { alpacaVenueFactory } from './alpaca';

export const VENUE_FACTORIES: ReadonlyMap<string, VenueFactory> = new Map([
  [paperVenueFactory.info.kind, paperVenueFactory],
  [ibkrVenueFactory.info.kind, ibkrVenueFactory],
  [alpacaVenueFactory.info.kind, alpacaVenueFactory],
]);
