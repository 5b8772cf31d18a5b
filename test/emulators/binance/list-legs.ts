/**
 * The legs of Binance order lists as their parameters name them (rest-api.md "New Order list -
 * OCO", "- OTO", "- OTOCO"): `<prefix>Type`, `<prefix>Price`, `<prefix>StopPrice`,
 * `<prefix>TimeInForce`, `<prefix>ClientOrderId`, with the prefix `above` / `below` (OCO),
 * `working` / `pending` (OTO) or `working` / `pendingAbove` / `pendingBelow` (OTOCO); and the rules
 * an OCO pair keeps wherever it appears (its types and which side its stop is on).
 */
import Decimal from 'decimal.js';
import { binanceError, type BinanceAnswer } from './errors';
import { filterFailure, type SymbolSpec } from './symbols';

export interface Leg {
  readonly prefix: string;
  readonly type: string;
  readonly price: string | null;
  readonly stopPrice: string | null;
  readonly tif: string | null;
  readonly cid: string | null;
}

export const ABOVE = new Set(['STOP_LOSS_LIMIT', 'STOP_LOSS', 'LIMIT_MAKER', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT']);
export const BELOW = new Set(['STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT']);
/** An OTO's pending order: any type (a MARKET by quoteOrderQty is not offered: there is no such parameter). */
export const PENDING = new Set(['LIMIT', 'MARKET', ...ABOVE]);
export const WORKING = new Set(['LIMIT', 'LIMIT_MAKER']);
const WITH_PRICE = new Set(['LIMIT', 'STOP_LOSS_LIMIT', 'LIMIT_MAKER', 'TAKE_PROFIT_LIMIT']);
const WITH_STOP = new Set(['STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT']);
const TIMED = new Set(['LIMIT', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT']);

export const isStop = (t: string): boolean => t.startsWith('STOP_LOSS');
export const missing = (name: string): BinanceAnswer => binanceError(400, -1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`);

export function readLeg(p: URLSearchParams, prefix: string): Leg {
  return {
    prefix,
    type: p.get(`${prefix}Type`) ?? '',
    price: p.get(`${prefix}Price`),
    stopPrice: p.get(`${prefix}StopPrice`),
    tif: p.get(`${prefix}TimeInForce`),
    cid: p.get(`${prefix}ClientOrderId`),
  };
}

/** The first problem with one leg's parameters, as Binance words it; `allowed` are the types its slot takes. */
export function legProblem(l: Leg, allowed: ReadonlySet<string>, badType: BinanceAnswer): BinanceAnswer | undefined {
  if (l.type === '') return missing(`${l.prefix}Type`);
  if (!allowed.has(l.type)) return badType;
  if (WITH_PRICE.has(l.type) && l.price === null) return missing(`${l.prefix}Price`);
  if (WITH_STOP.has(l.type) && l.stopPrice === null) return missing(`${l.prefix}StopPrice`);
  if (TIMED.has(l.type) && l.tif === null) return missing(`${l.prefix}TimeInForce`);
  if (l.tif !== null && !['GTC', 'IOC', 'FOK'].includes(l.tif)) return binanceError(400, -1115, 'Invalid timeInForce.');
  return undefined;
}

/** Where a leg takes effect: a LIMIT_MAKER's price, anything else's stop price. */
export const triggerOf = (l: Leg): Decimal => new Decimal(l.type === 'LIMIT_MAKER' ? l.price! : l.stopPrice!);

/** An OCO pair's type rules: one leg a stop-loss, the other not; the stop below on a SELL list, above on a BUY list. */
export function pairProblem(side: 'BUY' | 'SELL', above: Leg, below: Leg): BinanceAnswer | undefined {
  if (isStop(above.type) === isStop(below.type)) return binanceError(400, -1168, 'At least one OCO order must be contingent.');
  if (side === 'SELL' && isStop(above.type)) return binanceError(400, -1166, 'A limit order in a sell OCO must be above.');
  if (side === 'BUY' && isStop(below.type)) return binanceError(400, -1165, 'A limit order in a buy OCO must be below.');
  return undefined;
}

/** PRICE_FILTER / LOT_SIZE / NOTIONAL for each leg at its price (or stop price; a MARKET leg at the last price). */
export function legsFilterProblem(spec: SymbolSpec, qty: string, legs: readonly Leg[], last: string): BinanceAnswer | undefined {
  for (const l of legs) {
    const fail = filterFailure(spec, qty, l.price, l.price ?? l.stopPrice ?? last) ?? (l.stopPrice !== null ? filterFailure(spec, qty, l.stopPrice, l.stopPrice) : undefined);
    if (fail) return binanceError(400, -1013, fail);
  }
  return undefined;
}
