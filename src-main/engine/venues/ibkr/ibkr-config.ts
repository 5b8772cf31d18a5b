/**
 * Interactive Brokers settings: what `venue add ibkr --set key=value` accepts. TWS / IB Gateway
 * authenticates the trader itself (login + 2FA in its own window), so this venue has no secrets:
 * the socket API is reachable only from the machines TWS trusts.
 */
import type { VenueKindInfo } from '../../api/commands';
import { TradeportError } from '../../api/errors';
import { checkedSettings, listItems } from '../../api/venue-settings';
import type { VenueLimits } from '../../net/venue-limits';
import { twsLimits } from './ibkr-limits';

export interface IbkrSettings {
  readonly host: string;
  readonly port: number;
  readonly clientId: number;
  /** Used when TWS says the primary id is held by a dead session (error 326). */
  readonly fallbackClientId: number;
  /** Empty: the first managed account TWS reports. */
  readonly account: string;
  /** Display symbols resolved (and cached) at start so they can be traded at once. */
  readonly watchlist: readonly string[];
  /** A futures position or order this many days before expiry gets a roll warning. */
  readonly rollAlertDays: number;
  /** Our own cap on messages per second to TWS (TWS answers error 100 above 50). */
  readonly maxMessagesPerSecond: number;
  readonly reconnectMinMs: number;
  readonly reconnectMaxMs: number;
  /** How long to wait for TWS to acknowledge an order before its outcome counts as unknown. */
  readonly ackTimeoutMs: number;
  /** Cash accounts get the settlement guards; `auto` reads IB's AccountType. */
  readonly accountKind: 'auto' | 'margin' | 'cash';
}

const LIVE_NOTE = 'is a live account port. New venues start in SHADOW: nothing is sent until you switch the mode.';

export const IBKR_KIND_INFO: VenueKindInfo = {
  kind: 'ibkr',
  label: 'Interactive Brokers (TWS / IB Gateway)',
  settings: [
    { key: 'host', label: 'TWS / Gateway host', type: 'host', required: false, default: '127.0.0.1' },
    {
      key: 'port',
      label: 'Socket port',
      type: 'port',
      required: false,
      default: '7497',
      help: 'TWS 7497 paper / 7496 live; IB Gateway 4002 paper / 4001 live',
      presets: [
        { label: 'TWS paper', value: '7497' },
        { label: 'TWS live', value: '7496', live: true, note: `Port 7496 ${LIVE_NOTE}` },
        { label: 'Gateway paper', value: '4002' },
        { label: 'Gateway live', value: '4001', live: true, note: `Port 4001 ${LIVE_NOTE}` },
      ],
    },
    { key: 'clientId', label: 'API client id', type: 'integer', required: false, default: '7', min: '0', max: '999999999', help: 'Unique per program connected to this TWS' },
    {
      key: 'fallbackClientId',
      label: 'Fallback client id',
      type: 'integer',
      required: false,
      min: '0',
      max: '999999999',
      help: 'Used when TWS says the client id is still held by a dead session (326). Default: client id + 100',
    },
    {
      key: 'account',
      label: 'Account (DU… / U…)',
      type: 'string',
      required: false,
      pattern: '^[A-Za-z0-9]{1,32}$',
      patternHint: 'an IB account id such as DU1234567 or U1234567',
      help: 'Empty: the first account TWS manages',
    },
    {
      key: 'watchlist',
      label: 'Symbols to load at start',
      type: 'list',
      required: false,
      default: 'SPY,QQQ,AAPL,MSFT',
      help: 'Comma separated: AAPL, ES:FUT:20261218, AAPL:OPT:C:150:20261218, EUR/USD',
    },
    {
      key: 'accountKind',
      label: 'Account kind',
      type: 'enum',
      required: false,
      default: 'auto',
      options: [
        { value: 'auto', label: 'auto (from the AccountType IB reports)' },
        { value: 'margin', label: 'margin' },
        { value: 'cash', label: 'cash (settlement guards: good-faith and free-riding)' },
      ],
      help: 'A cash account is warned before a good-faith violation and blocked from free-riding',
    },
    { key: 'rollAlertDays', label: 'Futures roll alert (days before expiry)', type: 'integer', required: false, default: '5', min: '0', max: '365' },
    // 49 is the ceiling: our window is sliding and TWS counts arrivals, so we need headroom.
    {
      key: 'maxMessagesPerSecond',
      label: 'Pacing: messages per second',
      type: 'integer',
      required: false,
      default: '40',
      min: '1',
      max: '49',
      advanced: true,
      help: 'TWS allows 50; Tradeport stays below with margin',
    },
    { key: 'reconnectMinMs', label: 'Reconnect backoff start, ms', type: 'integer', required: false, default: '1000', min: '10', max: '600000', advanced: true },
    { key: 'reconnectMaxMs', label: 'Reconnect backoff cap, ms', type: 'integer', required: false, default: '30000', min: '10', max: '3600000', advanced: true, help: 'Never below the backoff start' },
    { key: 'ackTimeoutMs', label: 'Order acknowledgement timeout, ms', type: 'integer', required: false, default: '10000', min: '100', max: '600000', advanced: true },
  ],
  secrets: [],
};

/** Checks settings against the declaration above, then the rules that join two settings. */
export function readIbkrSettings(settings: Readonly<Record<string, string>>): IbkrSettings {
  const value = checkedSettings('Interactive Brokers', IBKR_KIND_INFO.settings, settings);
  const clientId = Number(value('clientId'));
  const fallbackClientId = value('fallbackClientId') === '' ? clientId + 100 : Number(value('fallbackClientId'));
  if (fallbackClientId === clientId) throw new TradeportError('invalid_input', `The fallback client id must differ from the client id (${clientId}).`);
  const reconnectMinMs = Number(value('reconnectMinMs'));
  return {
    host: value('host'),
    port: Number(value('port')),
    clientId,
    fallbackClientId,
    account: value('account').toUpperCase(),
    watchlist: listItems(value('watchlist')),
    rollAlertDays: Number(value('rollAlertDays')),
    maxMessagesPerSecond: Number(value('maxMessagesPerSecond')),
    reconnectMinMs,
    reconnectMaxMs: Math.max(reconnectMinMs, Number(value('reconnectMaxMs'))),
    ackTimeoutMs: Number(value('ackTimeoutMs')),
    accountKind: value('accountKind') as IbkrSettings['accountKind'],
  };
}

/**
 * The pacing budget for one TWS connection, derived from the network kit's documented TWS limits.
 * TWS counts messages as they arrive; ours are counted when they leave. Messages sent in one
 * sliding second can arrive bunched with those of the next (socket buffering, a busy TWS), so
 * we cap the second below 50 AND smooth each 100 ms: then any 1 s arrival window holds at most
 * perSecond + perTenth messages (with delivery jitter under 100 ms), still below 50.
 */
export function ibkrPacing(perSecond: number): VenueLimits {
  const documented = twsLimits.budgets.find((b) => b.id === 'messages');
  const cap = documented && documented.kind === 'window' ? documented.limit : 50;
  const perTenth = Math.max(1, Math.ceil(perSecond / 8));
  const second = Math.max(1, Math.min(perSecond, cap - 1 - perTenth));
  return {
    ...twsLimits,
    budgets: [
      ...twsLimits.budgets.map((b) => (b.id === 'messages' && b.kind === 'window' ? { ...b, limit: second } : b)),
      { kind: 'window', id: 'burst', limit: perTenth, windowMs: 100, source: 'Tradeport: smoothing so arrivals at TWS stay under 50/s' },
    ],
    groups: Object.fromEntries(Object.entries(twsLimits.groups).map(([name, g]) => [name, { ...g, costs: { ...g.costs, burst: g.costs.messages ?? 1 } }])),
  };
}
