/** The Paper venue: a simulated exchange with seeded prices and a real matching engine. */
import type { VenueFactory } from '../venue-port';
import { PAPER_KIND_INFO, readPaperSettings } from './paper-config';
import { PaperVenue } from './paper-connector';
import { PAPER_MIGRATIONS } from './paper-migrations';

export const paperVenueFactory: VenueFactory = {
  info: PAPER_KIND_INFO,
  checkSettings: (settings) => void readPaperSettings(settings),
  migrations: PAPER_MIGRATIONS,
  create: (ctx) => new PaperVenue(ctx),
};

export { PaperVenue };
/** The SHADOW route keeps its simulated orders in Paper's tables, under its own venue key. */
export { PaperStore } from './paper-store';
