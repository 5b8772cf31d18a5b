/**
 * tastytrade orders, fills, positions and balances as the port reports them. Our client id rides
 * in `external-identifier`; an order placed elsewhere (no identifier) is named `tastytrade:<id>`.
 */
import Decimal from 'decimal.js';
import type { Balance, Position } from '../../domain/order';
import type { VenueFillReport, VenueOrderReport } from '../venue-port';
import { avgFillPrice, filledQty, legQty, sideOfAction, statusFromTasty, tifFromTasty, typeFromTasty } from './tastytrade-mapping';
import type { TtBalance, TtOrder, TtPosition } from './tastytrade-parsers';

export function clientIdOf(o: TtOrder): string {
  return o['external-identifier'] ?? `tastytrade:${o.id}`;
}

function ts(o: TtOrder, fallback: number): number {
  const u = o['updated-at'];
  if (typeof u === 'number') return u;
  const p = Date.parse(u ?? o['received-at'] ?? '');
  return Number.isFinite(p) ? p : fallback;
}

export function orderReport(o: TtOrder, instrumentId: string | undefined, now: number): VenueOrderReport {
  const leg = o.legs[0]!;
  return {
    clientOrderId: clientIdOf(o),
    venueOrderId: o.id,
    status: statusFromTasty(o),
    filledQty: filledQty(leg),
    avgFillPrice: avgFillPrice(leg),
    ts: ts(o, now),
    ...(o['reject-reason'] ? { reason: o['reject-reason'] } : {}),
    ...(instrumentId ? { instrumentId } : {}),
    side: sideOfAction(leg.action),
    type: typeFromTasty(o['order-type']),
    qty: legQty(leg),
    ...(o.price != null ? { limitPrice: o.price } : {}),
    ...(o['stop-trigger'] != null ? { stopPrice: o['stop-trigger'] } : {}),
    tif: tifFromTasty(o['time-in-force']),
    raw: o,
  };
}

/** One leg's fills, under that leg's instrument and side. */
export function legFills(o: TtOrder, leg: TtOrder['legs'][number], instrumentId: string): VenueFillReport[] {
  return leg.fills.map((f) => ({
    clientOrderId: clientIdOf(o),
    venueOrderId: o.id,
    venueFillId: f['fill-id'],
    instrumentId,
    side: sideOfAction(leg.action),
    qty: f.quantity,
    price: f['fill-price'],
    fee: '0',
    feeCurrency: 'USD',
    liquidity: 'taker' as const,
    ts: Date.parse(f['filled-at']),
    raw: f,
  }));
}

export function positionOf(venue: string, p: TtPosition, instrumentId: string, symbol: string): Position {
  const q = new Decimal(p.quantity).abs();
  const signed = p['quantity-direction'] === 'Short' ? q.neg() : p['quantity-direction'] === 'Zero' ? new Decimal(0) : q;
  return {
    venue,
    instrumentId,
    symbol,
    qty: signed.toString(),
    avgPrice: p['average-open-price'] ?? '0',
    ...(p['close-price'] != null ? { mark: p['close-price'] } : {}),
    realizedPnl: p['realized-day-gain'] ?? '0',
  };
}

export function balanceOf(venue: string, b: TtBalance): Balance {
  return { venue, asset: b.currency ?? 'USD', total: b['cash-balance'], available: b['equity-buying-power'] ?? b['cash-balance'] };
}
