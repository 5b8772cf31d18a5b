/**
 * Which engine events a trader wants to be told about, and in what words: fills and partial
 * fills, rejects, a venue lost and back, a circuit breaker opening, the kill switch, the daily loss
 * limit near or hit, a strategy paused (breaker, market closed, kill switch, trader). Pure and
 * shared: the desktop shell turns these into OS notifications, the window into toasts.
 *
 * Stateful only where an event alone cannot tell a change from a repeat (a venue's state, a
 * breaker's state, an order already reported rejected): `NotableEvents` remembers the last one.
 */
import type { EngineEvent, StrategyPauseCause } from './events';
import type { VenueState } from './commands';
import { describeAlert } from '../domain/price-alert';

export type NotableKind = 'fill' | 'reject' | 'venueDown' | 'venueUp' | 'breaker' | 'killSwitch' | 'priceAlert' | 'dailyLoss' | 'strategyPaused';

export const NOTABLE_KINDS: readonly NotableKind[] = ['fill', 'reject', 'venueDown', 'venueUp', 'breaker', 'killSwitch', 'priceAlert', 'dailyLoss', 'strategyPaused'];

const PAUSE_WORDS: Readonly<Record<StrategyPauseCause, string>> = {
  breaker: 'circuit breaker open',
  market_closed: 'market closed',
  kill_switch: 'kill switch',
  trader: 'paused by you',
};

export interface Notable {
  readonly kind: NotableKind;
  readonly title: string;
  readonly body: string;
  /** Loud ones (a reject, a venue lost, the kill switch) ask for attention; a fill does not. */
  readonly urgent: boolean;
  /** De-duplication key: the same key is never notified twice. */
  readonly key: string;
}

const DOWN: ReadonlySet<VenueState> = new Set(['disconnected', 'error']);

export class NotableEvents {
  private readonly venueStates = new Map<string, VenueState>();
  private readonly breakers = new Map<string, string>();
  private readonly seen = new Set<string>();
  private readonly seenOrder: string[] = [];
  private killState: string | undefined;

  constructor(private readonly maxRemembered = 5_000) {}

  next(e: EngineEvent): Notable | undefined {
    const n = this.classify(e);
    if (!n || this.seen.has(n.key)) return undefined;
    this.seen.add(n.key);
    this.seenOrder.push(n.key);
    if (this.seenOrder.length > this.maxRemembered) this.seen.delete(this.seenOrder.shift()!);
    return n;
  }

  private classify(e: EngineEvent): Notable | undefined {
    switch (e.type) {
      case 'fill': {
        const f = e.fill;
        return {
          kind: 'fill',
          title: `${f.side === 'buy' ? 'Bought' : 'Sold'} ${f.qty} ${f.symbol} @ ${f.price}`,
          body: `${f.venue}${f.fee !== '0' ? ` · fee ${f.fee} ${f.feeCurrency}` : ''}`,
          urgent: false,
          key: `fill|${f.venue}|${f.id}`,
        };
      }
      case 'order': {
        const o = e.order;
        if (o.status !== 'rejected') return undefined;
        return {
          kind: 'reject',
          title: `Order rejected: ${o.side} ${o.qty === '0' ? '' : `${o.qty} `}${o.symbol}`,
          body: `${o.venue}: ${o.rejectReason ?? 'no reason given'}`,
          urgent: true,
          key: `reject|${o.id}`,
        };
      }
      case 'venue': {
        const v = e.venue;
        const before = this.venueStates.get(v.name);
        this.venueStates.set(v.name, v.state);
        if (before === undefined || before === v.state) return undefined;
        if (DOWN.has(v.state) && !DOWN.has(before)) {
          return {
            kind: 'venueDown',
            title: `${v.name} ${v.state}`,
            body: v.detail || 'The connection was lost; Tradeport reconnects and reconciles.',
            urgent: true,
            key: `venue|${v.name}|${v.since}`,
          };
        }
        if (v.state === 'connected' && DOWN.has(before)) {
          return { kind: 'venueUp', title: `${v.name} connected again`, body: v.detail || 'Orders and fills are being reconciled.', urgent: false, key: `venue|${v.name}|${v.since}` };
        }
        return undefined;
      }
      case 'venueHealth': {
        const state = e.breaker?.state;
        if (!state) return undefined;
        const before = this.breakers.get(e.venue);
        this.breakers.set(e.venue, state);
        if (state !== 'open' || before === 'open') return undefined;
        return {
          kind: 'breaker',
          title: `${e.venue}: circuit breaker open`,
          body: `${e.breaker!.reason ?? 'Too many failures'}. Orders to ${e.venue} wait; its strategies are paused.`,
          urgent: true,
          key: `breaker|${e.venue}|${e.breaker!.since}`,
        };
      }
      case 'killSwitch': {
        const s = e.state;
        const before = this.killState;
        this.killState = s.state;
        if (s.state === 'running' || before === s.state) return undefined;
        return {
          kind: 'killSwitch',
          title: `Kill switch ${s.state.toUpperCase()}`,
          body: `${s.reason ?? 'Tripped'}${s.actor ? ` (by ${s.actor})` : ''}. ${s.workingOrders} working order${s.workingOrders === 1 ? '' : 's'}.`,
          urgent: true,
          key: `ks|${s.trippedAt ?? 0}|${s.state}`,
        };
      }
      case 'priceAlert': {
        const a = e.alert;
        return { kind: 'priceAlert', title: `Price alert: ${describeAlert(a, a.firedPrice)}`, body: `${a.venue}${a.note ? ` · ${a.note}` : ''}`, urgent: false, key: `palert|${a.id}` };
      }
      case 'dailyLoss': {
        const a = e.alert;
        const hit = a.level === 'hit';
        return {
          kind: 'dailyLoss',
          title: hit ? `Daily loss limit hit: −${a.loss} ${a.currency}` : `Daily loss limit near: −${a.loss} ${a.currency}`,
          body: hit
            ? `Today's loss has reached the ${a.scope} of ${a.limit} ${a.currency}: the kill switch reduces only.`
            : `Today's loss is near the ${a.scope} of ${a.limit} ${a.currency}; reaching it halts new orders.`,
          urgent: true,
          key: `dloss|${a.dayStart}|${a.scope}|${a.level}`,
        };
      }
      case 'strategyPaused':
        return {
          kind: 'strategyPaused',
          title: `Strategy paused: ${e.kind} ${e.symbol} (${PAUSE_WORDS[e.cause]})`,
          body: `${e.venue} · ${e.strategyId}: ${e.reason}`,
          // The trader paused it themselves: worth a line in the log, not a shout.
          urgent: e.cause !== 'trader',
          key: `spause|${e.strategyId}|${e.cause}|${e.ts}`,
        };
      default:
        return undefined;
    }
  }
}
