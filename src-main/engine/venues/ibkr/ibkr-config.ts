/**
 * Interactive Brokers settings: what `venue add ibkr --set key=value` accepts. TWS / IB Gateway
 * authenticates the trader itself (login + 2FA in its own window), so this venue has no secrets:
 * the socket API is reachable only from the machines TWS trusts.
 */
import type { VenueKindInfo } from '../../api/commands';
import { TradeportError } from '../../api/errors';
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
}

export const IBKR_KIND_INFO: VenueKindInfo = {
  kind: 'ibkr',
  label: 'Interactive Brokers (TWS / IB Gateway)',
  settings: [
    { key: 'host', label: 'TWS / Gateway host', required: false, default: '127.0.0.1' },
    { key: 'port', label: 'Socket port', required: false, default: '7497', help: 'TWS 7497 paper / 7496 live; IB Gateway 4002 paper / 4001 live' },
    { key: 'clientId', label: 'API client id', required: false, default: '7', help: 'Unique per program connected to this TWS' },
    { key: 'fallbackClientId', label: 'Fallback client id', required: false, help: 'Used when TWS says the client id is still held by a dead session (326). Default: client id + 100' },
    { key: 'account', label: 'Account (DU… / U…)', required: false, help: 'Empty: the first account TWS manages' },
    { key: 'watchlist', label: 'Symbols to load at start', required: false, default: 'SPY,QQQ,AAPL,MSFT', help: 'Comma separated: AAPL, ES:FUT:20261218, AAPL:OPT:C:150:20261218, EUR/USD' },
    { key: 'rollAlertDays', label: 'Futures roll alert (days before expiry)', required: false, default: '5' },
    { key: 'maxMessagesPerSecond', label: 'Pacing: messages per second (advanced)', required: false, default: '40', help: 'TWS allows 50; Tradeport stays below with margin' },
    { key: 'reconnectMinMs', label: 'Reconnect backoff start, ms (advanced)', required: false, default: '1000' },
    { key: 'reconnectMaxMs', label: 'Reconnect backoff cap, ms (advanced)', required: false, default: '30000' },
    { key: 'ackTimeoutMs', label: 'Order acknowledgement timeout, ms (advanced)', required: false, default: '10000' },
  ],
  secrets: [],
};

function int(settings: Readonly<Record<string, string>>, key: string, fallback: number, min: number, max: number): number {
  const raw = settings[key];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw.trim());
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new TradeportError('invalid_input', `Interactive Brokers setting ${key}="${raw}" must be a whole number from ${min} to ${max}.`);
  return n;
}

export function readIbkrSettings(settings: Readonly<Record<string, string>>): IbkrSettings {
  const clientId = int(settings, 'clientId', 7, 0, 999_999_999);
  const fallbackClientId = int(settings, 'fallbackClientId', clientId + 100, 0, 999_999_999);
  if (fallbackClientId === clientId) throw new TradeportError('invalid_input', `The fallback client id must differ from the client id (${clientId}).`);
  const account = (settings.account ?? '').trim();
  if (account !== '' && !/^[A-Z0-9]{1,32}$/i.test(account)) throw new TradeportError('invalid_input', `Account "${account}" does not look like an IB account id (e.g. DU1234567 or U1234567).`);
  const host = (settings.host ?? '127.0.0.1').trim() || '127.0.0.1';
  const reconnectMinMs = int(settings, 'reconnectMinMs', 1000, 10, 600_000);
  return {
    host,
    port: int(settings, 'port', 7497, 1, 65_535),
    clientId,
    fallbackClientId,
    account: account.toUpperCase(),
    watchlist: (settings.watchlist ?? 'SPY,QQQ,AAPL,MSFT')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    rollAlertDays: int(settings, 'rollAlertDays', 5, 0, 365),
    // 49 is the ceiling: our window is sliding and TWS counts arrivals, so we need headroom.
    maxMessagesPerSecond: int(settings, 'maxMessagesPerSecond', 40, 1, 49),
    reconnectMinMs,
    reconnectMaxMs: Math.max(reconnectMinMs, int(settings, 'reconnectMaxMs', 30_000, 10, 3_600_000)),
    ackTimeoutMs: int(settings, 'ackTimeoutMs', 10_000, 100, 600_000),
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
