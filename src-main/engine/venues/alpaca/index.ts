/** Alpaca: US stocks, ETFs and crypto over the Trading API v2, its trade stream and market data. */
import type { VenueFactory } from '../venue-port';
import { ALPACA_KIND_INFO } from './alpaca-config';
import { AlpacaConnector, type AlpacaConnectorOptions } from './alpaca-connector';
import { ALPACA_MIGRATIONS } from './alpaca-migrations';

export function alpacaFactory(opts: AlpacaConnectorOptions = {}): VenueFactory {
  return {
    info: ALPACA_KIND_INFO,
    migrations: ALPACA_MIGRATIONS,
    create: (ctx) => new AlpacaConnector(ctx, opts),
  };
}

export const alpacaVenueFactory: VenueFactory = alpacaFactory();
export { AlpacaConnector, ALPACA_KIND_INFO };
