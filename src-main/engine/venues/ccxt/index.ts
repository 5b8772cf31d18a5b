/** Any exchange ccxt trades (Bybit, OKX, KuCoin, Hyperliquid presets), through ccxt's unified API, loaded on first use. */
import type { VenueFactory } from '../venue-port';
import { CCXT_KIND_INFO, readCcxtSettings } from './ccxt-config';
import { CcxtConnector, type CcxtConnectorOptions } from './ccxt-connector';
import { CCXT_MIGRATIONS } from './ccxt-migrations';

export function ccxtFactory(opts: CcxtConnectorOptions = {}): VenueFactory {
  return {
    info: CCXT_KIND_INFO,
    migrations: CCXT_MIGRATIONS,
    checkSettings: (s) => void readCcxtSettings(s),
    create: (ctx) => new CcxtConnector(ctx, opts),
  };
}

export const ccxtVenueFactory: VenueFactory = ccxtFactory();
export { CcxtConnector, CCXT_KIND_INFO };
