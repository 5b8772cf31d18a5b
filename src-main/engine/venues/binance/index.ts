/** Binance spot: signed REST, user data over the WebSocket API, depth with the exact snapshot + diff sync. */
import type { VenueFactory } from '../venue-port';
import { BINANCE_KIND_INFO } from './binance-config';
import { BinanceConnector, type BinanceConnectorOptions } from './binance-connector';
import { BINANCE_MIGRATIONS } from './binance-migrations';

export function binanceFactory(opts: BinanceConnectorOptions = {}): VenueFactory {
  return {
    info: BINANCE_KIND_INFO,
    migrations: BINANCE_MIGRATIONS,
    create: (ctx) => new BinanceConnector(ctx, opts),
  };
}

export const binanceVenueFactory: VenueFactory = binanceFactory();
export { BinanceConnector, BINANCE_KIND_INFO };
