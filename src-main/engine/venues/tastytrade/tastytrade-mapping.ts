/**
 * Pure translation between our orders and symbols and tastytrade's: order types, time in force,
 * leg actions and price effect (from side and the position held), OCC option symbols ↔
 * `AAPL:OPT:C:150:20260320`, `/ESH6` ↔ `ES:FUT:20260320`, and tastytrade order statuses ↔ ours.
 */
import Decimal from 'decimal.js';
import type { Instrument } from '../../domain/instrument';
import type { Order, OrderStatus, OrderType, Side, TimeInForce } from '../../domain/order';
import type { TtLeg, TtOrder } from './tastytrade-parsers';

export type TtInstrumentType = 'Equity' | 'Equity Option' | 'Future' | 'Cryptocurrency';

const TYPE_OUT: Partial<Record<OrderType, string>> = { market: 'Market', limit: 'Limit', stop: 'Stop', stop_limit: 'Stop Limit' };
const TYPE_IN: Record<string, OrderType> = { Market: 'market', Limit: 'limit', Stop: 'stop', 'Stop Limit': 'stop_limit', 'Notional Market': 'market' };
const TIF_OUT: Partial<Record<TimeInForce, string>> = { day: 'Day', gtc: 'GTC', gtd: 'GTD', ioc: 'IOC', fok: 'FOK' };
const TIF_IN: Record<string, TimeInForce> = { Day: 'day', Ext: 'day', GTC: 'gtc', 'GTC Ext': 'gtc', GTD: 'gtd', IOC: 'ioc', FOK: 'fok' };

export function tastyType(t: OrderType, notional: boolean): string {
  if (notional) return 'Notional Market';
  const out = TYPE_OUT[t];
  if (!out) throw new Error(`tastytrade has no ${t} order`);
  return out;
}

export function typeFromTasty(t: string): OrderType {
  const v = TYPE_IN[t];
  if (!v) throw new Error(`unknown tastytrade order type ${t}`);
  return v;
}

/** Extended hours on a day order is tastytrade's `Ext`. */
export function tastyTif(tif: TimeInForce, extendedHours: boolean): string {
  if (tif === 'day' && extendedHours) return 'Ext';
  const out = TIF_OUT[tif];
  if (!out) throw new Error(`tastytrade has no ${tif} time in force`);
  return out;
}

export function tifFromTasty(t: string): TimeInForce {
  const v = TIF_IN[t];
  if (!v) throw new Error(`unknown tastytrade time in force ${t}`);
  return v;
}

/** Opening or closing from the signed position held: a sell against a long closes it, otherwise opens a short. */
export function legAction(side: Side, held: string, qty: string): string {
  const h = new Decimal(held);
  if (side === 'buy') return h.isNeg() && h.abs().gte(qty) ? 'Buy to Close' : 'Buy to Open';
  return h.gt(0) && h.gte(qty) ? 'Sell to Close' : 'Sell to Open';
}

/** A cryptocurrency is bought to open and sold to close (tastytrade holds crypto long only); other legs follow the position. */
export function actionFor(inst: Instrument, side: Side, held: string, qty: string): string {
  if (inst.assetClass === 'crypto_spot') return side === 'buy' ? 'Buy to Open' : 'Sell to Close';
  return legAction(side, held, qty);
}

export function sideOfAction(action: string): Side {
  return action.startsWith('Buy') ? 'buy' : 'sell';
}

export function priceEffect(side: Side): 'Debit' | 'Credit' {
  return side === 'buy' ? 'Debit' : 'Credit';
}

export function instrumentType(inst: Instrument): TtInstrumentType {
  switch (inst.assetClass) {
    case 'option':
      return 'Equity Option';
    case 'future':
      return 'Future';
    case 'crypto_spot':
      return 'Cryptocurrency';
    default:
      return 'Equity';
  }
}

/** yyyy-mm-dd (UTC) of an epoch ms, as `gtc-date` takes it. */
export function gtcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The POST /orders body for one order. `held` is the signed position in the instrument. */
export function orderBody(inst: Instrument, o: Order, held: string): Record<string, unknown> {
  const notional = o.notional !== undefined;
  const body: Record<string, unknown> = {
    'time-in-force': tastyTif(o.tif, o.extendedHours === true),
    'order-type': tastyType(o.type, notional),
    'external-identifier': o.clientOrderId,
    legs: [{ 'instrument-type': instrumentType(inst), symbol: inst.venueSymbol, ...(notional ? {} : { quantity: o.qty }), action: actionFor(inst, o.side, held, o.qty) }],
  };
  if (o.tif === 'gtd') {
    if (o.expireAt === undefined) throw new Error('a GTD order needs expireAt');
    body['gtc-date'] = gtcDate(o.expireAt);
  }
  if (notional) Object.assign(body, { value: o.notional, 'value-effect': priceEffect(o.side) });
  if (o.limitPrice !== undefined && (o.type === 'limit' || o.type === 'stop_limit')) Object.assign(body, { price: o.limitPrice, 'price-effect': priceEffect(o.side) });
  if (o.stopPrice !== undefined && (o.type === 'stop' || o.type === 'stop_limit')) body['stop-trigger'] = o.stopPrice;
  return body;
}

/** Our status for a tastytrade order (fills decide between accepted and partially filled). */
export function statusFromTasty(o: TtOrder): OrderStatus {
  const filled = filledQty(o.legs[0]!);
  switch (o.status) {
    case 'Filled':
      return 'filled';
    case 'Cancelled':
    case 'Removed':
    case 'Partially Removed':
      return 'cancelled';
    case 'Expired':
      return 'expired';
    case 'Rejected':
      return 'rejected';
    case 'Cancel Requested':
      return 'pending_cancel';
    case 'Replace Requested':
      return 'pending_replace';
    default:
      return new Decimal(filled).gt(0) ? 'partially_filled' : 'accepted';
  }
}

export function filledQty(leg: TtLeg): string {
  return leg.fills.reduce((s, f) => s.add(f.quantity), new Decimal(0)).toString();
}

export function avgFillPrice(leg: TtLeg): string {
  const q = new Decimal(filledQty(leg));
  if (q.isZero()) return '0';
  return leg.fills
    .reduce((s, f) => s.add(new Decimal(f.quantity).mul(f['fill-price'])), new Decimal(0))
    .div(q)
    .toString();
}

/** An order's total quantity: the leg's quantity (or, for a notional order, what filled). */
export function legQty(leg: TtLeg): string {
  return leg.quantity ?? filledQty(leg);
}

// ---- symbols ----

const OCC_RE = /^([A-Z0-9.]{1,6})\s*(\d{6})([CP])(\d{8})$/;

/** `AAPL  260320C00150000` → `AAPL:OPT:C:150:20260320`. */
export function occToDisplay(occ: string): string | undefined {
  const m = OCC_RE.exec(occ.trim().toUpperCase());
  if (!m) return undefined;
  const strike = new Decimal(m[4]!).div(1000).toString();
  return `${m[1]}:OPT:${m[3]}:${strike}:20${m[2]}`;
}

/** `AAPL:OPT:C:150:20260320` → `AAPL  260320C00150000`. */
export function displayToOcc(display: string): string | undefined {
  const m = /^([A-Z0-9.]{1,6}):OPT:([CP]):(\d+(?:\.\d+)?):20(\d{6})$/.exec(display.trim().toUpperCase());
  if (!m) return undefined;
  return `${m[1]!.padEnd(6, ' ')}${m[4]}${m[2]}${new Decimal(m[3]!).mul(1000).toFixed(0).padStart(8, '0')}`;
}

const MONTHS = 'FGHJKMNQUVXZ';

/** `/ESH6` with its expiration date → `ES:FUT:20260320` (the date comes from the instrument, never guessed). */
export function futureToDisplay(productCode: string, expirationDate: string): string {
  return `${productCode}:FUT:${expirationDate.replaceAll('-', '')}`;
}

/** `ES:FUT:20260320` → `/ESH6` (month code and last year digit of the expiry). */
export function displayToFuture(display: string): string | undefined {
  const m = /^([A-Z0-9]{1,5}):FUT:(\d{4})(\d{2})\d{2}$/.exec(display.trim().toUpperCase());
  if (!m) return undefined;
  const month = Number(m[3]);
  if (month < 1 || month > 12) return undefined;
  return `/${m[1]}${MONTHS[month - 1]}${m[2]!.slice(3)}`;
}
