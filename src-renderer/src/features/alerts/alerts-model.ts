/**
 * In-app toasts and the alert log: what the window shows of the notable events
 * (api/notable-events.ts). Pure: state in, state out, with the time passed in.
 *
 * - A toast stays `TOAST_MS` (urgent ones until dismissed), at most `MAX_TOASTS` on screen; the
 *   oldest non-urgent goes first.
 * - The log keeps the last `MAX_LOG` entries, newest last, with a count of unread ones.
 * - Preferences: each kind on or off (off = no toast and no desktop notification, still logged),
 *   sound, desktop notifications. Stored as JSON; anything unreadable falls back to the defaults.
 */
import { NOTABLE_KINDS, type Notable, type NotableKind } from '../../../../src-main/engine/api/notable-events';
import type { ShellNotificationPrefs } from '../../../../src-main/engine/api/transport';

export const TOAST_MS = 6_000;
export const MAX_TOASTS = 5;
export const MAX_LOG = 500;

export interface Toast extends Notable {
  readonly id: number;
  readonly ts: number;
  /** When it leaves the screen by itself; undefined = until dismissed. */
  readonly until: number | undefined;
}

export interface AlertPrefs {
  readonly kinds: Readonly<Record<NotableKind, boolean>>;
  readonly sound: boolean;
  readonly desktop: boolean;
}

export interface AlertsState {
  readonly toasts: readonly Toast[];
  readonly log: readonly Toast[];
  readonly unread: number;
  readonly prefs: AlertPrefs;
  readonly seq: number;
}

export const KIND_LABELS: Readonly<Record<NotableKind, string>> = {
  fill: 'Fills and partial fills',
  reject: 'Rejected orders',
  venueDown: 'Venue disconnected',
  venueUp: 'Venue reconnected',
  breaker: 'Circuit breaker open',
  killSwitch: 'Kill switch',
  priceAlert: 'Price alerts',
  dailyLoss: 'Daily loss limit near / hit',
  strategyPaused: 'Strategy paused',
};

export const DEFAULT_PREFS: AlertPrefs = { kinds: Object.fromEntries(NOTABLE_KINDS.map((k) => [k, true])) as Record<NotableKind, boolean>, sound: false, desktop: false };

export const emptyAlerts = (prefs: AlertPrefs = DEFAULT_PREFS): AlertsState => ({ toasts: [], log: [], unread: 0, prefs, seq: 0 });

export function parsePrefs(raw: string | null | undefined): AlertPrefs {
  if (!raw) return DEFAULT_PREFS;
  try {
    const v = JSON.parse(raw) as Partial<{ kinds: Record<string, unknown>; sound: unknown; desktop: unknown }>;
    const kinds = { ...DEFAULT_PREFS.kinds };
    for (const k of NOTABLE_KINDS) if (typeof v.kinds?.[k] === 'boolean') kinds[k] = v.kinds[k] as boolean;
    return { kinds, sound: v.sound === true, desktop: v.desktop === true };
  } catch {
    return DEFAULT_PREFS;
  }
}

export interface Received {
  readonly state: AlertsState;
  /** The toast shown, when the kind is on (then also the one to announce by sound/desktop). */
  readonly shown: Toast | undefined;
}

export function receive(s: AlertsState, n: Notable, now: number): Received {
  const seq = s.seq + 1;
  const entry: Toast = { ...n, id: seq, ts: now, until: n.urgent ? undefined : now + TOAST_MS };
  const log = s.log.length >= MAX_LOG ? [...s.log.slice(s.log.length - MAX_LOG + 1), entry] : [...s.log, entry];
  if (!s.prefs.kinds[n.kind]) return { state: { ...s, seq, log, unread: s.unread + 1 }, shown: undefined };
  let toasts = [...s.toasts, entry];
  while (toasts.length > MAX_TOASTS) {
    const drop = toasts.findIndex((t) => !t.urgent);
    toasts = toasts.filter((_, i) => i !== (drop >= 0 ? drop : 0));
  }
  return { state: { ...s, seq, log, toasts, unread: s.unread + 1 }, shown: entry };
}

export function dismiss(s: AlertsState, id: number): AlertsState {
  return { ...s, toasts: s.toasts.filter((t) => t.id !== id) };
}

/** Drops the toasts whose time is up; the same state object when nothing changed. */
export function expire(s: AlertsState, now: number): AlertsState {
  const left = s.toasts.filter((t) => t.until === undefined || t.until > now);
  return left.length === s.toasts.length ? s : { ...s, toasts: left };
}

/** The next instant a toast expires, for one timer instead of one per toast. */
export function nextExpiry(s: AlertsState): number | undefined {
  let next: number | undefined;
  for (const t of s.toasts) if (t.until !== undefined && (next === undefined || t.until < next)) next = t.until;
  return next;
}

export const markRead = (s: AlertsState): AlertsState => (s.unread === 0 ? s : { ...s, unread: 0 });

export const setPrefs = (s: AlertsState, prefs: AlertPrefs): AlertsState => ({ ...s, prefs });

/** What the desktop shell needs of the switches: the kinds off, and sound. */
export const shellPrefs = (p: AlertPrefs): ShellNotificationPrefs => ({ off: NOTABLE_KINDS.filter((k) => !p.kinds[k]), sound: p.sound });
