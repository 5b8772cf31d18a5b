/** Kraken: crypto spot over signed REST and the WebSocket v2 `executions` stream. */
import type { VenueFactory } from '../venue-port';
import { KRAKEN_KIND_INFO, readKrakenSettings } from './kraken-config';
import { KrakenConnector, type KrakenConnectorOptions } from './kraken-connector';
import { KRAKEN_MIGRATIONS } from './kraken-migrations';

export function krakenFactory(opts: KrakenConnectorOptions = {}): VenueFactory {
  return {
    info: KRAKEN_KIND_INFO,
    migrations: KRAKEN_MIGRATIONS,
    checkSettings: (s) => void readKrakenSettings(s),
    create: (ctx) => new KrakenConnector(ctx, opts),
  };
}

export const krakenVenueFactory: VenueFactory = krakenFactory();
export { KrakenConnector, KRAKEN_KIND_INFO };
