/**
 * Binance spot settings: what `venue add binance --set key=value` accepts and the UI form shows.
 * `testnet=true` points every default at Binance's spot testnet; the URL overrides point each
 * part elsewhere (a proxy, the emulator). Keys: `apiKey` and `apiSecret` (HMAC).
 */
import { checkedSettings, isTrue, urlSetting } from '../../api/venue-settings';
import type { VenueKindInfo } from '../../api/commands';

export interface BinanceSettings {
  readonly testnet: boolean;
  /** REST base, e.g. https://api.binance.com. */
  readonly restUrl: string;
  /** Market streams base, e.g. wss://stream.binance.com:9443 (`/ws/<stream>` and `/stream?streams=` below it). */
  readonly wsUrl: string;
  /** WebSocket API endpoint, e.g. wss://ws-api.binance.com:443/ws-api/v3 (user data lives here). */
  readonly wsApiUrl: string;
  /** Symbols whose books are followed from the start (BTCUSDT…). */
  readonly watchlist: readonly string[];
}

const LIVE = { restUrl: 'https://api.binance.com', wsUrl: 'wss://stream.binance.com:9443', wsApiUrl: 'wss://ws-api.binance.com:443/ws-api/v3' };
const TESTNET = { restUrl: 'https://testnet.binance.vision', wsUrl: 'wss://stream.testnet.binance.vision', wsApiUrl: 'wss://ws-api.testnet.binance.vision/ws-api/v3' };

export const BINANCE_KIND_INFO: VenueKindInfo = {
  kind: 'binance',
  label: 'Binance (spot)',
  settings: [
    { key: 'testnet', label: 'Spot testnet', type: 'boolean', required: false, default: 'false', help: 'true uses testnet.binance.vision (test keys, no real money)' },
    { key: 'watchlist', label: 'Books to follow at start', type: 'list', required: false, default: 'BTCUSDT', help: 'Comma separated Binance symbols: BTCUSDT, ETHUSDT' },
    { key: 'restUrl', label: 'REST URL', type: 'string', advanced: true, required: false, help: `Default ${LIVE.restUrl} (testnet ${TESTNET.restUrl})` },
    { key: 'wsUrl', label: 'Market streams URL', type: 'string', advanced: true, required: false, help: `Default ${LIVE.wsUrl}` },
    { key: 'wsApiUrl', label: 'WebSocket API URL (user data)', type: 'string', advanced: true, required: false, help: `Default ${LIVE.wsApiUrl}` },
  ],
  secrets: [
    { field: 'apiKey', label: 'API key (X-MBX-APIKEY)' },
    { field: 'apiSecret', label: 'API secret (HMAC-SHA256)' },
  ],
};

const url = (settings: Readonly<Record<string, string>>, key: string, fallback: string, schemes: readonly string[]): string => urlSetting('Binance', settings, key, fallback, schemes);

export function readBinanceSettings(settings: Readonly<Record<string, string>>): BinanceSettings {
  const get = checkedSettings('Binance', BINANCE_KIND_INFO.settings, settings);
  const testnet = isTrue(get('testnet'));
  const d = testnet ? TESTNET : LIVE;
  return {
    testnet,
    restUrl: url(settings, 'restUrl', d.restUrl, ['http:', 'https:']),
    wsUrl: url(settings, 'wsUrl', d.wsUrl, ['ws:', 'wss:']),
    wsApiUrl: url(settings, 'wsApiUrl', d.wsApiUrl, ['ws:', 'wss:']),
    watchlist: get('watchlist')
      .split(',')
      .map((s) => s.trim().toUpperCase().replace('/', ''))
      .filter(Boolean),
  };
}
