/**
 * Kraken settings: what `venue add kraken --set key=value` accepts and the UI form shows. The URL
 * overrides point everything elsewhere (a proxy, the emulator); `deadManSeconds` arms Kraken's
 * CancelAllOrdersAfter while connected (0 = off).
 */
import { checkedSettings, urlSetting } from '../../api/venue-settings';
import type { VenueKindInfo } from '../../api/commands';
import { TradeportError } from '../../api/errors';
import type { KrakenTier } from './kraken-limits';

export interface KrakenSettings {
  readonly restUrl: string;
  readonly wsUrl: string;
  readonly wsAuthUrl: string;
  /** Seconds Kraken waits before cancelling everything if we stop refreshing; 0 = the switch is off. */
  readonly deadManSeconds: number;
  readonly tier: KrakenTier;
  /** Pairs (display symbols) whose book and ticker are streamed from the start. */
  readonly watchlist: readonly string[];
}

export const KRAKEN_KIND_INFO: VenueKindInfo = {
  kind: 'kraken',
  label: 'Kraken (crypto spot)',
  settings: [
    { key: 'watchlist', label: 'Pairs to stream at start', type: 'list', required: false, default: 'BTC/USD', help: 'Comma separated: BTC/USD, ETH/USD' },
    {
      key: 'deadManSeconds',
      label: 'Dead-man switch (seconds, 0 = off)',
      type: 'integer',
      required: false,
      default: '0',
      min: '0',
      max: '86400',
      help: 'While connected, Kraken is told every few seconds to cancel all open orders if it hears nothing for this long (CancelAllOrdersAfter); 5–86400, 60 is typical',
    },
    {
      key: 'tier',
      label: 'Verification tier (rate limits)',
      type: 'enum',
      required: false,
      default: 'starter',
      options: [
        { value: 'starter', label: 'starter' },
        { value: 'intermediate', label: 'intermediate' },
        { value: 'pro', label: 'pro' },
      ],
    },
    { key: 'restUrl', label: 'REST URL', type: 'string', advanced: true, required: false, help: 'Default https://api.kraken.com' },
    { key: 'wsUrl', label: 'Public WebSocket v2 URL', type: 'string', advanced: true, required: false, help: 'Default wss://ws.kraken.com/v2' },
    { key: 'wsAuthUrl', label: 'Private WebSocket v2 URL', type: 'string', advanced: true, required: false, help: 'Default wss://ws-auth.kraken.com/v2' },
  ],
  secrets: [
    { field: 'apiKey', label: 'API key' },
    { field: 'apiSecret', label: 'Private key (base64)' },
  ],
};

const url = (settings: Readonly<Record<string, string>>, key: string, fallback: string, schemes: readonly string[]): string => urlSetting('Kraken', settings, key, fallback, schemes);

function deadMan(raw: string | undefined): number {
  const s = (raw ?? '').trim();
  if (s === '' || s === '0') return 0;
  const n = Number(s);
  if (!Number.isInteger(n) || n < 5 || n > 86_400)
    throw new TradeportError(
      'invalid_input',
      `Kraken setting deadManSeconds="${s}" must be 0 (off) or whole seconds from 5 to 86400 (Kraken's CancelAllOrdersAfter takes up to 86400); 60 is typical.`,
    );
  return n;
}

export function readKrakenSettings(settings: Readonly<Record<string, string>>): KrakenSettings {
  checkedSettings('Kraken', KRAKEN_KIND_INFO.settings, settings);
  const tier = (settings['tier'] ?? 'starter').trim().toLowerCase() || 'starter';
  if (tier !== 'starter' && tier !== 'intermediate' && tier !== 'pro') throw new TradeportError('invalid_input', `Kraken setting tier="${settings['tier']}" must be starter, intermediate or pro.`);
  return {
    restUrl: url(settings, 'restUrl', 'https://api.kraken.com', ['http:', 'https:']),
    wsUrl: url(settings, 'wsUrl', 'wss://ws.kraken.com/v2', ['ws:', 'wss:']),
    wsAuthUrl: url(settings, 'wsAuthUrl', 'wss://ws-auth.kraken.com/v2', ['ws:', 'wss:']),
    deadManSeconds: deadMan(settings['deadManSeconds']),
    tier,
    watchlist: (settings['watchlist'] ?? 'BTC/USD')
      .split(',')
      .map((s) => s.trim().toUpperCase())
      .filter(Boolean),
  };
}
