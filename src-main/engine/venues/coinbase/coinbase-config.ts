/**
 * Coinbase settings: what `venue add coinbase --set key=value` accepts and the UI form shows. The
 * URL overrides point REST and the two sockets elsewhere (a proxy, a sandbox, the emulator).
 * Secrets: the CDP key name (`organizations/…/apiKeys/…`) and its PEM EC private key.
 */
import { checkedSettings, urlSetting } from '../../api/venue-settings';
import type { VenueKindInfo } from '../../api/commands';

export interface CoinbaseSettings {
  /** Host root; the API lives under `/api/v3/brokerage`. */
  readonly restUrl: string;
  /** Market data socket (level2, ticker, heartbeats). */
  readonly wsUrl: string;
  /** User order socket (user channel, heartbeats). */
  readonly userWsUrl: string;
  /** Products whose books are streamed from the start. */
  readonly watchlist: readonly string[];
}

export const COINBASE_DEFAULTS = {
  restUrl: 'https://api.coinbase.com',
  wsUrl: 'wss://advanced-trade-ws.coinbase.com',
  userWsUrl: 'wss://advanced-trade-ws-user.coinbase.com',
} as const;

export const COINBASE_KIND_INFO: VenueKindInfo = {
  kind: 'coinbase',
  label: 'Coinbase Advanced Trade (crypto spot)',
  settings: [
    { key: 'watchlist', label: 'Books to stream at start', type: 'list', required: false, default: 'BTC/USD', help: 'Comma separated: BTC/USD, ETH/USD' },
    { key: 'restUrl', label: 'REST URL', type: 'string', advanced: true, required: false, help: `Default ${COINBASE_DEFAULTS.restUrl}; for proxies and the emulator` },
    { key: 'wsUrl', label: 'Market-data WebSocket URL', type: 'string', advanced: true, required: false, help: `Default ${COINBASE_DEFAULTS.wsUrl}` },
    { key: 'userWsUrl', label: 'User-orders WebSocket URL', type: 'string', advanced: true, required: false, help: `Default ${COINBASE_DEFAULTS.userWsUrl}` },
  ],
  secrets: [
    { field: 'apiKeyName', label: 'CDP API key name (organizations/…/apiKeys/…)' },
    { field: 'apiPrivateKey', label: 'CDP API private key (PEM, EC P-256)', help: 'Paste the whole key, with or without \\n escapes' },
  ],
};

const url = (settings: Readonly<Record<string, string>>, key: keyof typeof COINBASE_DEFAULTS, schemes: readonly string[]): string =>
  urlSetting('Coinbase', settings, key, COINBASE_DEFAULTS[key], schemes);

export function readCoinbaseSettings(settings: Readonly<Record<string, string>>): CoinbaseSettings {
  const get = checkedSettings('Coinbase', COINBASE_KIND_INFO.settings, settings);
  return {
    restUrl: url(settings, 'restUrl', ['http:', 'https:']),
    wsUrl: url(settings, 'wsUrl', ['ws:', 'wss:']),
    userWsUrl: url(settings, 'userWsUrl', ['ws:', 'wss:']),
    watchlist: get('watchlist')
      .split(',')
      .map((s) => s.trim().toUpperCase())
      .filter(Boolean),
  };
}
