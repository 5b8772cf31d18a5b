/**
 * What a strategy needs of its market, as pure functions: whether it may trade now (the sessions
 * it allows), when that next changes, and its planned orders as `order.place` tickets rounded to
 * the instrument (quantity down to the lot, buy prices down and sell prices up to the tick).
 */
import type { Instrument } from '../domain/instrument';
import { Decimal, roundToStep, toStr } from '../domain/money';
import { isTradable, sessionState } from '../market/sessions';
import type { PlannedOrder } from './planner';
import { choice } from './strategy-params';
import type { PlaceTicket } from './strategy-types';

export type SessionsAllowed = 'regular' | 'extended';

/** Parameters every kind takes; the rest go to the kind's planner. */
export interface CommonParams {
  /** US equities: regular hours only (default), or pre- and post-market too (limit orders only, as the venues require). */
  readonly sessions: SessionsAllowed;
}

export function splitParams(kind: string, raw: Record<string, unknown>): { common: CommonParams; own: Record<string, unknown> } {
  const { sessions, ...own } = raw;
  return { common: { sessions: choice(kind, { sessions }, 'sessions', ['regular', 'extended'] as const, 'regular') }, own };
}

export function mayTrade(inst: Pick<Instrument, 'session'>, common: CommonParams, now: number): boolean {
  return isTradable(inst.session, now, { extendedHours: common.sessions === 'extended' });
}

/** Whether `now` is the regular session (market orders are only sent then). */
export function inRegularSession(inst: Pick<Instrument, 'session'>, now: number): boolean {
  return sessionState(inst.session, now).open;
}

/** When the instrument's session phase next changes (the runner wakes then); undefined = never. */
export function nextSessionChange(inst: Pick<Instrument, 'session'>, now: number): number | undefined {
  return sessionState(inst.session, now).until;
}

/** Without the instrument (its venue not yet started) nothing is rounded: the engine then refuses what is off the tick or lot, as for any order. */
export function toTicket(o: PlannedOrder, inst: Instrument | undefined, venue: string, symbol: string, clientOrderId: string, common: CommonParams): PlaceTicket {
  const tick = new Decimal(inst?.tickSize ?? 0);
  const price = (p: string, up: boolean) => toStr(roundToStep(new Decimal(p), tick, up ? 'up' : 'down'));
  const sell = o.side === 'sell';
  const extended = common.sessions === 'extended' && inst?.session === 'us_equity' && o.type === 'limit';
  return {
    venue,
    symbol,
    side: o.side,
    type: o.type,
    qty: o.notional ? '0' : toStr(roundToStep(new Decimal(o.qty), new Decimal(inst?.lotSize ?? 0), 'down')),
    ...(o.notional ? { notional: o.notional } : {}),
    ...(o.limitPrice ? { limitPrice: price(o.limitPrice, sell) } : {}),
    // A protective sell stop rounds up (it triggers no later than planned), a buy stop down.
    ...(o.stopPrice ? { stopPrice: price(o.stopPrice, sell) } : {}),
    tif: o.tif,
    ...(extended ? { extendedHours: true } : {}),
    clientOrderId,
  };
}
