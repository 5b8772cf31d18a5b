/**
 * tastytrade settings: what `venue add tastytrade --set key=value` accepts and the UI form shows.
 * `env` picks the sandbox (cert) or production hosts; the URL overrides point elsewhere (the emulator).
 */
import { checkedSettings, urlSetting } from '../../api/venue-settings';
import type { VenueKindInfo } from '../../api/commands';
import { TradeportError } from '../../api/errors';

export type TastytradeEnv = 'sandbox' | 'production';

export interface TastytradeSettings {
  readonly account: string;
  readonly env: TastytradeEnv;
  readonly restUrl: string;
  readonly streamerUrl: string;
  readonly rollAlertDays: number;
}

export const TASTYTRADE_KIND_INFO: VenueKindInfo = {
  kind: 'tastytrade',
  label: 'tastytrade (US stocks, options, futures)',
  settings: [
    { key: 'account', label: 'Account number', type: 'string', required: true, help: 'e.g. 5WT00001' },
    {
      key: 'env',
      label: 'Environment',
      type: 'enum',
      required: false,
      default: 'sandbox',
      options: [
        { value: 'sandbox', label: 'sandbox (api.cert.tastyworks.com)' },
        { value: 'production', label: 'production (api.tastyworks.com)' },
      ],
      help: 'production sends real orders once LIVE mode is armed',
    },
    { key: 'rollAlertDays', label: 'Futures roll alert (days before expiry)', type: 'integer', required: false, default: '5', min: '0', max: '365' },
    { key: 'restUrl', label: 'REST URL', type: 'string', advanced: true, required: false, help: 'Default from env; for proxies and the emulator' },
    { key: 'streamerUrl', label: 'Account streamer URL', type: 'string', advanced: true, required: false, help: 'Default wss://streamer.cert.tastyworks.com (sandbox)' },
  ],
  secrets: [
    { field: 'clientSecret', label: 'OAuth client secret' },
    { field: 'refreshToken', label: 'OAuth refresh token' },
  ],
};

const url = (settings: Readonly<Record<string, string>>, key: string, fallback: string, schemes: readonly string[]): string => urlSetting('tastytrade', settings, key, fallback, schemes);

export function readTastytradeSettings(settings: Readonly<Record<string, string>>): TastytradeSettings {
  const value = checkedSettings('tastytrade', TASTYTRADE_KIND_INFO.settings, settings);
  const account = (settings['account'] ?? '').trim().toUpperCase();
  if (!/^[0-9A-Z]{5,12}$/.test(account)) throw new TradeportError('invalid_input', `tastytrade setting account="${settings['account'] ?? ''}" is not an account number (e.g. 5WT00001).`);
  const envRaw = (settings['env'] ?? '').trim().toLowerCase() || 'sandbox';
  if (envRaw !== 'sandbox' && envRaw !== 'production') throw new TradeportError('invalid_input', `tastytrade setting env="${settings['env']}" must be sandbox or production.`);
  const env = envRaw;
  const prod = env === 'production';
  return {
    account,
    env,
    restUrl: url(settings, 'restUrl', prod ? 'https://api.tastyworks.com' : 'https://api.cert.tastyworks.com', ['http:', 'https:']),
    streamerUrl: url(settings, 'streamerUrl', prod ? 'wss://streamer.tastyworks.com' : 'wss://streamer.cert.tastyworks.com', ['ws:', 'wss:']),
    rollAlertDays: Number(value('rollAlertDays') || '5'),
  };
}
