/** tastytrade: US stocks, ETFs, equity options and futures over the Open API and its account streamer. */
import type { VenueFactory } from '../venue-port';
import { TASTYTRADE_KIND_INFO, readTastytradeSettings } from './tastytrade-config';
import { TastytradeConnector, type TastytradeConnectorOptions } from './tastytrade-connector';

export function tastytradeFactory(opts: TastytradeConnectorOptions = {}): VenueFactory {
  return {
    info: TASTYTRADE_KIND_INFO,
    configuredAccount: (s) => (s['account'] ?? '').trim().toUpperCase() || undefined,
    checkSettings: (s) => void readTastytradeSettings(s),
    create: (ctx) => new TastytradeConnector(ctx, opts),
  };
}

export const tastytradeVenueFactory: VenueFactory = tastytradeFactory();
export { TastytradeConnector, TASTYTRADE_KIND_INFO };
