/**
 * ccxt settings: what `venue add ccxt --set exchange=<ccxt id> …` accepts and the UI form shows.
 * `exchange` is any id in ccxt's `exchanges` list (checked when the library is loaded, on start);
 * the presets are the exchanges our traders asked for first. `urlOverride` points every REST host
 * of the exchange at one base URL (a proxy, a sandbox, the emulator), keeping each endpoint's path.
 */
import { checkedSettings, isTrue } from '../../api/venue-settings';
import type { VenueKindInfo } from '../../api/commands';
import { TradeportError } from '../../api/errors';

export type CcxtMarketType = 'spot' | 'swap' | 'future' | 'option';

export interface CcxtSettings {
  readonly exchange: string;
  readonly defaultType: CcxtMarketType;
  readonly sandbox: boolean;
  readonly urlOverride: string | undefined;
  /** How often orders and fills are polled (ms); streams, where the exchange has them, come on top. */
  readonly pollMs: number;
  /** How often they are reconciled through REST while the exchange's streams carry them (ms). */
  readonly reconcileMs: number;
  /** ccxt exchange options (`new ccxt.<id>({ options })`), e.g. which market types to load. */
  readonly ccxtOptions: Readonly<Record<string, unknown>>;
}

/** First-class presets: display name, defaults, documentation. */
export interface CcxtPreset {
  readonly exchange: string;
  readonly label: string;
  readonly defaultType: CcxtMarketType;
  readonly docs: string;
}

export const CCXT_PRESETS: readonly CcxtPreset[] = [
  { exchange: 'bybit', label: 'Bybit (spot, USDT perpetuals)', defaultType: 'spot', docs: 'https://bybit-exchange.github.io/docs/v5/intro' },
  { exchange: 'okx', label: 'OKX (spot, swaps; needs the API passphrase as password)', defaultType: 'spot', docs: 'https://www.okx.com/docs-v5/en/' },
  { exchange: 'kucoin', label: 'KuCoin spot (needs the API passphrase as password)', defaultType: 'spot', docs: 'https://www.kucoin.com/docs-new' },
  { exchange: 'hyperliquid', label: 'Hyperliquid (perpetuals; wallet address + private key)', defaultType: 'swap', docs: 'https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api' },
];

const ID = /^[a-z][a-z0-9]{1,39}$/;

export const CCXT_KIND_INFO: VenueKindInfo = {
  kind: 'ccxt',
  label: 'Crypto exchanges through ccxt (Bybit, OKX, KuCoin, Hyperliquid, any ccxt id)',
  settings: [
    {
      key: 'exchange',
      label: 'Exchange (ccxt id)',
      type: 'string',
      required: true,
      pattern: ID.source,
      patternHint: 'a ccxt exchange id in lower case, e.g. bybit, okx, kucoin, hyperliquid, binance',
      presets: CCXT_PRESETS.map((p) => ({ label: p.label, value: p.exchange })),
      help: 'Any id from ccxt.exchanges; the presets are documented at their exchange',
    },
    {
      key: 'defaultType',
      label: 'Default market type',
      type: 'enum',
      required: false,
      default: 'spot',
      options: [
        { value: 'spot', label: 'spot' },
        { value: 'swap', label: 'swap (perpetuals)' },
        { value: 'future', label: 'future (dated)' },
        { value: 'option', label: 'option' },
      ],
      help: 'Where the exchange needs one market type per call (balances, open orders without a symbol)',
    },
    { key: 'sandbox', label: 'Sandbox / testnet', type: 'boolean', required: false, default: 'false', help: "The exchange's own testnet, where ccxt knows one" },
    { key: 'urlOverride', label: 'REST base URL override', type: 'string', advanced: true, required: false, help: 'Every REST host replaced by this origin (paths kept): proxies, emulators' },
    {
      key: 'ccxtOptions',
      label: 'ccxt exchange options (JSON)',
      type: 'string',
      advanced: true,
      required: false,
      help: 'Passed to the ccxt exchange as its options, e.g. {"fetchMarkets":{"types":["spot"]},"fetchCurrencies":false}',
    },
    { key: 'pollMs', label: 'Order and fill polling interval (ms)', type: 'integer', advanced: true, required: false, default: '1000', min: '250', max: '60000' },
    {
      key: 'reconcileMs',
      label: 'Reconcile interval while streaming (ms)',
      type: 'integer',
      advanced: true,
      required: false,
      default: '30000',
      min: '1000',
      max: '600000',
      help: 'While the exchange streams orders and fills, REST only reconciles at this pace; polling speeds back up when the stream drops',
    },
  ],
  secrets: [
    { field: 'apiKey', label: 'API key', help: 'Needed by every exchange except Hyperliquid' },
    { field: 'secret', label: 'API secret' },
    { field: 'password', label: 'API passphrase (OKX, KuCoin: "password" in ccxt)' },
    { field: 'uid', label: 'User id (exchanges that sign with it)' },
    { field: 'walletAddress', label: 'Wallet address (Hyperliquid, DEXes)' },
    { field: 'privateKey', label: 'Private key (Hyperliquid, DEXes)' },
  ],
};

/** The secret fields, in ccxt's own credential names. */
export const CCXT_SECRET_FIELDS = ['apiKey', 'secret', 'password', 'uid', 'walletAddress', 'privateKey'] as const;
export type CcxtSecretField = (typeof CCXT_SECRET_FIELDS)[number];

export function readCcxtSettings(settings: Readonly<Record<string, string>>): CcxtSettings {
  const get = checkedSettings('ccxt', CCXT_KIND_INFO.settings, settings);
  const exchange = get('exchange');
  const raw = get('urlOverride');
  let urlOverride: string | undefined;
  if (raw !== '') {
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      throw new TradeportError('invalid_input', `ccxt setting urlOverride="${raw}" is not a URL; use e.g. https://proxy.example.com.`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new TradeportError('invalid_input', `ccxt setting urlOverride must start with http:// or https:// (got ${u.protocol}//).`);
    urlOverride = raw.replace(/\/+$/, '');
  }
  return {
    exchange,
    defaultType: get('defaultType') as CcxtMarketType,
    sandbox: isTrue(get('sandbox')),
    urlOverride,
    pollMs: Number(get('pollMs')),
    reconcileMs: Number(get('reconcileMs')),
    ccxtOptions: jsonObject(get('ccxtOptions')),
  };
}

function jsonObject(raw: string): Record<string, unknown> {
  if (raw === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    v = undefined;
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw new TradeportError('invalid_input', `ccxt setting ccxtOptions must be a JSON object, e.g. {"fetchCurrencies":false} (got ${raw.slice(0, 60)}).`);
  return v as Record<string, unknown>;
}
