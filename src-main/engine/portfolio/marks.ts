/**
 * A position as the API shows it: marked at the venue's current mid (else its last price) with
 * the open P&L at that mark. Without a quote or instrument the position is shown unmarked.
 */
import { Decimal, toStr } from '../domain/money';
import type { Position, Quote } from '../domain/order';
import type { VenueManager } from '../venues/venue-manager';

export function withMark(venues: Pick<VenueManager, 'get'>, p: Position): Position {
  const conn = venues.get(p.venue);
  const inst = conn?.instrument(p.instrumentId);
  const mark = unitMark(conn?.quote(p.instrumentId));
  if (!mark || !inst) return p;
  const upnl = mark.minus(p.avgPrice).mul(p.qty).mul(inst.multiplier);
  return { ...p, mark: toStr(mark.toDecimalPlaces(new Decimal(inst.tickSize).decimalPlaces() + 1)), unrealizedPnl: toStr(upnl.toDecimalPlaces(2)) };
}

/** The mark of a quote: its mid, else its last price; undefined without either. */
export function unitMark(q: Quote | undefined): Decimal | undefined {
  return q?.bid && q?.ask ? new Decimal(q.bid).plus(q.ask).div(2) : q?.last ? new Decimal(q.last) : undefined;
}
