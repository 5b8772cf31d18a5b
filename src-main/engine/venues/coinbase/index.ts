/** Coinbase Advanced Trade: crypto spot over the v3 brokerage REST API and its user socket, CDP key (ES256 JWT) auth. */
import type { VenueFactory } from '../venue-port';
import { COINBASE_KIND_INFO, readCoinbaseSettings } from './coinbase-config';
import { CoinbaseConnector, type CoinbaseConnectorOptions } from './coinbase-connector';
import { COINBASE_MIGRATIONS } from './coinbase-migrations';

export function coinbaseFactory(opts: CoinbaseConnectorOptions = {}): VenueFactory {
  return {
    info: COINBASE_KIND_INFO,
    migrations: COINBASE_MIGRATIONS,
    checkSettings: (s) => void readCoinbaseSettings(s),
    create: (ctx) => new CoinbaseConnector(ctx, opts),
  };
}

export const coinbaseVenueFactory: VenueFactory = coinbaseFactory();
export { CoinbaseConnector, COINBASE_KIND_INFO };
