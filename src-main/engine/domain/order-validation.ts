/**
 * Checks an order ticket against its instrument and normalizes it. Pure: the engine runs it at
 * every boundary and the renderer runs the same code for instant feedback, so both give the
 * same code and message.
 */
import type { ErrorCode } from '../api/errors';
import type { Instrument } from './instrument';
import { Decimal, isMultipleOf, parseDecimal, roundToStep, toStr } from './money';
import type { OrderType, Side, TimeInForce } from './order';

export interface TicketFields {
  readonly side: Side;
  readonly type: OrderType;
  readonly qty: unknown;
  readonly limitPrice?: unknown;
  readonly stopPrice?: unknown;
  readonly tif: TimeInForce;
}

export interface NormalizedTicket {
  readonly side: Side;
  readonly type: OrderType;
  readonly qty: string;
  readonly limitPrice?: string;
  readonly stopPrice?: string;
  readonly tif: TimeInForce;
}

export interface TicketProblem {
  readonly code: ErrorCode;
  readonly field: 'qty' | 'limitPrice' | 'stopPrice' | 'type' | 'tif';
  readonly message: string;
}

export type TicketCheck = { ok: true; ticket: NormalizedTicket } | { ok: false; problem: TicketProblem };

const needsLimit = (t: OrderType) => t === 'limit' || t === 'stop_limit';
const needsStop = (t: OrderType) => t === 'stop' || t === 'stop_limit';

function isBlank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

export function checkTicket(f: TicketFields, inst: Instrument): TicketCheck {
  const lot = new Decimal(inst.lotSize);
  const tick = new Decimal(inst.tickSize);
  const bad = (code: ErrorCode, field: TicketProblem['field'], message: string): TicketCheck => ({ ok: false, problem: { code, field, message } });

  const qty = parseDecimal(f.qty);
  if (!qty || qty.lte(0)) {
    return bad('invalid_quantity', 'qty', `Quantity must be a number greater than zero (got ${show(f.qty)}). ${inst.symbol} trades in steps of ${inst.lotSize}.`);
  }
  if (qty.decimalPlaces() > lot.decimalPlaces()) {
    return bad('quantity_too_precise', 'qty', `Quantity ${qty.toFixed()} has too many decimals: ${inst.symbol} trades in steps of ${inst.lotSize}${inst.fractional ? '' : ' (whole units only)'}.`);
  }
  if (!isMultipleOf(qty, lot)) {
    return bad('quantity_off_lot', 'qty', `Quantity ${qty.toFixed()} is not a multiple of ${inst.symbol}'s lot size ${inst.lotSize}. Try ${toStr(roundToStep(qty, lot, 'down'))}.`);
  }
  if (qty.lt(inst.minQty)) {
    return bad('quantity_below_minimum', 'qty', `Quantity ${qty.toFixed()} is below ${inst.symbol}'s minimum of ${inst.minQty}.`);
  }

  const price = (raw: unknown, field: 'limitPrice' | 'stopPrice', label: string): Decimal | TicketCheck => {
    const p = parseDecimal(raw);
    if (!p || p.lte(0)) return bad('invalid_price', field, `${label} must be a number greater than zero (got ${show(raw)}).`);
    if (p.decimalPlaces() > tick.decimalPlaces()) {
      return bad('price_too_precise', field, `${label} ${p.toFixed()} has more decimals than ${inst.symbol}'s tick of ${inst.tickSize}. Nearest valid prices: ${nearest(p, tick)}.`);
    }
    if (!isMultipleOf(p, tick)) {
      return bad('price_off_tick', field, `${label} ${p.toFixed()} is not on ${inst.symbol}'s tick of ${inst.tickSize}. Nearest valid prices: ${nearest(p, tick)}.`);
    }
    return p;
  };

  let limitPrice: string | undefined;
  let stopPrice: string | undefined;
  if (needsLimit(f.type)) {
    if (isBlank(f.limitPrice)) return bad('missing_limit_price', 'limitPrice', `A ${f.type === 'limit' ? 'limit' : 'stop-limit'} order needs a limit price.`);
    const p = price(f.limitPrice, 'limitPrice', 'Limit price');
    if (!(p instanceof Decimal)) return p;
    limitPrice = toStr(p);
  } else if (!isBlank(f.limitPrice)) {
    return bad('unexpected_price', 'limitPrice', `A ${label(f.type)} order takes no limit price. Choose a limit or stop-limit order to set one.`);
  }
  if (needsStop(f.type)) {
    if (isBlank(f.stopPrice)) return bad('missing_stop_price', 'stopPrice', `A ${label(f.type)} order needs a stop (trigger) price.`);
    const p = price(f.stopPrice, 'stopPrice', 'Stop price');
    if (!(p instanceof Decimal)) return p;
    stopPrice = toStr(p);
  } else if (!isBlank(f.stopPrice)) {
    return bad('unexpected_price', 'stopPrice', `A ${label(f.type)} order takes no stop price. Choose a stop or stop-limit order to set one.`);
  }
  if (f.type === 'market' && f.tif === 'gtc') {
    return bad('unsupported_order', 'tif', 'A market order cannot be good-till-cancelled: use DAY, IOC or FOK.');
  }

  const ticket: NormalizedTicket = {
    side: f.side,
    type: f.type,
    qty: toStr(qty),
    tif: f.tif,
    ...(limitPrice !== undefined ? { limitPrice } : {}),
    ...(stopPrice !== undefined ? { stopPrice } : {}),
  };
  return { ok: true, ticket };
}

function label(t: OrderType): string {
  return t === 'stop_limit' ? 'stop-limit' : t;
}

function nearest(p: Decimal, tick: Decimal): string {
  const down = roundToStep(p, tick, 'down');
  const up = roundToStep(p, tick, 'up');
  const dp = tick.decimalPlaces();
  return down.eq(up) ? down.toFixed(dp) : `${down.toFixed(dp)} or ${up.toFixed(dp)}`;
}

function show(v: unknown): string {
  if (v === undefined || v === null || v === '') return 'nothing';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return `"${s.length > 24 ? s.slice(0, 24) + '…' : s}"`;
}
