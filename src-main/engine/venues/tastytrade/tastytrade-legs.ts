/**
 * Multi-leg orders (an option vertical) as ONE tastytrade order: every leg is an `Equity Option`
 * leg with its OCC symbol, its contracts (spreads × ratio) and its own action (opening or closing
 * from the position held in that leg); the order's `price` is the net price per spread and
 * `price-effect` says who pays it (Debit for a buy, Credit for a sell). Back from tastytrade, each
 * leg's fills are reported under that leg's instrument, and the order's progress is counted in
 * whole spreads at the net of the legs' prices (domain/order-legs legFillSummary).
 */
import Decimal from 'decimal.js';
import type { Instrument } from '../../domain/instrument';
import type { Order } from '../../domain/order';
import { legFillSummary, type OrderLeg } from '../../domain/order-legs';
import type { VenueFillReport, VenueOrderReport } from '../venue-port';
import { instrumentType, legAction, priceEffect, sideOfAction, tastyTif } from './tastytrade-mapping';
import type { TtOrder } from './tastytrade-parsers';
import { legFills, orderReport } from './tastytrade-reports';

/** The POST /orders body for a multi-leg order. `instOf` finds a leg's instrument; `held` the signed positions by instrument id. */
export function spreadOrderBody(o: Order, instOf: (instrumentId: string) => Instrument, held: ReadonlyMap<string, string>): Record<string, unknown> {
  const legs = o.legs!;
  if (o.type !== 'limit' || o.limitPrice === undefined) throw new Error('a tastytrade spread is a limit order at a net price');
  return {
    'time-in-force': tastyTif(o.tif, false),
    'order-type': 'Limit',
    'external-identifier': o.clientOrderId,
    price: o.limitPrice,
    'price-effect': priceEffect(o.side),
    legs: legs.map((l) => {
      const inst = instOf(l.instrumentId);
      const qty = new Decimal(o.qty).mul(l.ratio).toString();
      return { 'instrument-type': instrumentType(inst), symbol: inst.venueSymbol, quantity: qty, action: legAction(l.side, held.get(inst.id) ?? '0', qty) };
    }),
  };
}

/** Each leg's instrument id, in the order's leg order; undefined when one cannot be described. */
export async function legIdsOf(o: TtOrder, ensure: (venueSymbol: string) => Promise<Instrument | undefined>): Promise<string[] | undefined> {
  const ids: string[] = [];
  for (const l of o.legs) ids.push((await ensure(l.symbol))?.id ?? '');
  return ids.every(Boolean) ? ids : undefined;
}

/** The order's legs as ours: `ids` are the legs' instrument ids in tastytrade's order; ratio = leg contracts ÷ order size. */
function legsOf(o: TtOrder, ids: readonly string[]): OrderLeg[] {
  const size = new Decimal(o.legs[0]!.quantity ?? '1');
  const unit = o.legs.reduce((m, l) => Decimal.min(m, new Decimal(l.quantity ?? size)), size);
  return o.legs.map((l, k) => ({ instrumentId: ids[k]!, symbol: l.symbol, side: sideOfAction(l.action), ratio: new Decimal(l.quantity ?? unit).div(unit).toNumber() }));
}

/** Buy (debit) or sell (credit) as the order's price effect says. */
function spreadSide(o: TtOrder): Order['side'] {
  return o['price-effect'] === 'Credit' ? 'sell' : 'buy';
}

/** Every leg's fills, each under its own instrument and side. */
export function orderFills(o: TtOrder, ids: readonly string[]): VenueFillReport[] {
  return o.legs.flatMap((leg, k) => legFills(o, leg, ids[k]!));
}

/** The order as the port reports it; a spread in whole spreads at its net price, on the side its price effect names. */
export function orderReportOf(o: TtOrder, ids: readonly string[] | undefined, now: number): VenueOrderReport {
  const base = orderReport(o, ids?.[0], now);
  if (o.legs.length === 1 || !ids) return base;
  const legs = legsOf(o, ids);
  const fills = orderFills(o, ids).map((f) => ({ instrumentId: f.instrumentId, qty: f.qty, price: f.price }));
  const done = legFillSummary(spreadSide(o), legs, fills);
  const spreads = new Decimal(o.legs[0]!.quantity ?? '0').div(legs[0]!.ratio).toString();
  return { ...base, side: spreadSide(o), qty: spreads, filledQty: done.filledQty, avgFillPrice: done.avgFillPrice, legs };
}
