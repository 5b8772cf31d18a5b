/** Interactive Brokers through a local TWS or IB Gateway socket. */
import type { VenueFactory } from '../venue-port';
import { IBKR_KIND_INFO, readIbkrSettings } from './ibkr-config';
import { IbkrConnector } from './ibkr-connector';

export const ibkrVenueFactory: VenueFactory = {
  info: IBKR_KIND_INFO,
  checkSettings: (settings) => void readIbkrSettings(settings),
  create: (ctx) => new IbkrConnector(ctx),
};

export { IbkrConnector };
