/**
 * Alpaca settings: what `venue add alpaca --set key=value` accepts and the UI form shows.
 * `env` picks Alpaca's paper or live hosts (live also needs LIVE mode armed, like every venue);
 * the URL overrides point everything elsewhere (a proxy, a sandbox, the emulator).
 */
import { checkedSettings, urlSetting } from '../../api/venue-settings';
import type { VenueKindInfo } from '../../api/commands';
import { TradeportError } from '../../api/errors';

export type AlpacaEnv = 'paper' | 'live';
export type AlpacaFeed = 'iex' | 'sip';

export interface AlpacaSettings {
  readonly env: AlpacaEnv;
  readonly feed: AlpacaFeed;
  readonly tradingUrl: string;
  readonly dataUrl: string;
  readonly streamUrl: string;
  /** The stock stream (…/v2/iex or …/v2/sip); the crypto stream is derived from it. */
  readonly dataStreamUrl: string;
  readonly cryptoStreamUrl: string;
  /** Symbols whose quotes are streamed from the start (more are added when asked for). */
  readonly watchlist: readonly string[];
}

export const ALPACA_KIND_INFO: VenueKindInfo = {
  kind: 'alpaca',
  label: 'Alpaca (US stocks, ETFs, crypto)',
  settings: [
    {
      key: 'env',
      label: 'Environment',
      type: 'enum',
      required: false,
      default: 'paper',
      options: [
        { value: 'paper', label: 'paper (paper-api.alpaca.markets)' },
        { value: 'live', label: 'live (api.alpaca.markets)' },
      ],
      help: 'live sends real orders once LIVE mode is armed',
    },
    {
      key: 'feed',
      label: 'Stock data feed',
      type: 'enum',
      required: false,
      default: 'iex',
      options: [
        { value: 'iex', label: 'iex (free)' },
        { value: 'sip', label: 'sip (needs a market-data subscription)' },
      ],
    },
    { key: 'watchlist', label: 'Quotes to stream at start', type: 'list', required: false, default: 'SPY,AAPL,BTC/USD', help: 'Comma separated: AAPL, SPY, BTC/USD' },
    { key: 'tradingUrl', label: 'Trading REST URL', type: 'string', advanced: true, required: false, help: 'Default from env; for proxies, sandboxes and the emulator' },
    { key: 'dataUrl', label: 'Market-data REST URL', type: 'string', advanced: true, required: false, help: 'Default https://data.alpaca.markets' },
    { key: 'streamUrl', label: 'Trade-updates stream URL', type: 'string', advanced: true, required: false, help: 'Default wss://paper-api.alpaca.markets/stream (paper)' },
    { key: 'dataStreamUrl', label: 'Stock data stream URL', type: 'string', advanced: true, required: false, help: 'Default wss://stream.data.alpaca.markets/v2/<feed>' },
  ],
  secrets: [
    { field: 'keyId', label: 'API key id (APCA-API-KEY-ID)' },
    { field: 'secretKey', label: 'API secret key (APCA-API-SECRET-KEY)' },
  ],
};

const url = (settings: Readonly<Record<string, string>>, key: string, fallback: string, schemes: readonly string[]): string => urlSetting('Alpaca', settings, key, fallback, schemes);

function oneOf<T extends string>(settings: Readonly<Record<string, string>>, key: string, allowed: readonly T[], fallback: T): T {
  const raw = (settings[key] ?? '').trim().toLowerCase();
  if (raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new TradeportError('invalid_input', `Alpaca setting ${key}="${settings[key]}" must be one of ${allowed.join(', ')}.`);
  return raw as T;
}

export function readAlpacaSettings(settings: Readonly<Record<string, string>>): AlpacaSettings {
  // Types and choices from the declaration above (shared with the settings form), then Alpaca's own rules.
  checkedSettings('Alpaca', ALPACA_KIND_INFO.settings, settings);
  const env = oneOf<AlpacaEnv>(settings, 'env', ['paper', 'live'], 'paper');
  const feed = oneOf<AlpacaFeed>(settings, 'feed', ['iex', 'sip'], 'iex');
  const host = env === 'paper' ? 'paper-api.alpaca.markets' : 'api.alpaca.markets';
  const dataStreamUrl = url(settings, 'dataStreamUrl', `wss://stream.data.alpaca.markets/v2/${feed}`, ['ws:', 'wss:']);
  const watchlist = (settings['watchlist'] ?? 'SPY,AAPL,BTC/USD')
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  return {
    env,
    feed,
    tradingUrl: url(settings, 'tradingUrl', `https://${host}`, ['http:', 'https:']),
    dataUrl: url(settings, 'dataUrl', 'https://data.alpaca.markets', ['http:', 'https:']),
    streamUrl: url(settings, 'streamUrl', `wss://${host}/stream`, ['ws:', 'wss:']),
    dataStreamUrl,
    cryptoStreamUrl: dataStreamUrl.replace(/\/v2\/(iex|sip|delayed_sip)$/, '/v1beta3/crypto/us'),
    watchlist,
  };
}
