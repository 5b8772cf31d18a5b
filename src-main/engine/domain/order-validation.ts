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
  /** Trailing stops: exactly one of a price distance or a percent. */
  readonly trailAmount?: unknown;
  readonly trailPercent?: unknown;
  readonly extendedHours?: boolean;
  readonly ocaGroup?: unknown;
  /** Bracket legs: a limit exit above (buy) / below (sell) the entry, a stop exit on the other side. */
  readonly takeProfit?: { readonly limitPrice?: unknown } | undefined;
  readonly stopLoss?: { readonly stopPrice?: unknown; readonly limitPrice?: unknown } | undefined;
}

export interface NormalizedTicket {
  readonly side: Side;
  readonly type: OrderType;
  readonly qty: string;
  readonly limitPrice?: string;
  readonly stopPrice?: string;
  readonly tif: TimeInForce;
  readonly trailAmount?: string;
  readonly trailPercent?: string;
  /** Present only when true. */
  readonly extendedHours?: true;
  readonly ocaGroup?: string;
  readonly takeProfit?: { readonly limitPrice: string };
  readonly stopLoss?: { readonly stopPrice: string; readonly limitPrice?: string };
}

/** True when the ticket asks for a bracket (an entry plus take-profit and/or stop-loss children). */
export function isBracket(t: Pick<NormalizedTicket, 'takeProfit' | 'stopLoss'>): boolean {
  return t.takeProfit !== undefined || t.stopLoss !== undefined;
}

export interface TicketProblem {
  readonly code: ErrorCode;
  readonly field: 'qty' | 'limitPrice' | 'stopPrice' | 'type' | 'tif' | 'trailAmount' | 'trailPercent' | 'extendedHours' | 'ocaGroup' | 'takeProfit' | 'stopLoss';
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

  const price = (raw: unknown, field: TicketProblem['field'], label: string): Decimal | TicketCheck => {
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
    const why = f.type === 'trailing_stop' ? 'its trigger follows the market by the trail amount or percent' : 'choose a stop or stop-limit order to set one';
    return bad('unexpected_price', 'stopPrice', `A ${label(f.type)} order takes no stop price: ${why}.`);
  }
  const adv = checkAdvanced(f, inst, limitPrice, stopPrice, price, bad);
  if ('ok' in adv) return adv;
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
    ...adv,
  };
  return { ok: true, ticket };
}

type Extras = Pick<NormalizedTicket, 'trailAmount' | 'trailPercent' | 'extendedHours' | 'ocaGroup' | 'takeProfit' | 'stopLoss'>;

/**
 * Trailing stops, OPG, extended hours, OCA groups and bracket legs. Rules that hold at every
 * venue live here (so the renderer shows them as the trader types); what a particular venue
 * cannot do is its capabilities' business (order-capabilities.ts), checked by the engine.
 */
function checkAdvanced(
  f: TicketFields,
  inst: Instrument,
  limitPrice: string | undefined,
  stopPrice: string | undefined,
  price: (raw: unknown, field: TicketProblem['field'], label: string) => Decimal | TicketCheck,
  bad: (code: ErrorCode, field: TicketProblem['field'], message: string) => TicketCheck,
): Extras | TicketCheck {
  const out: { -readonly [K in keyof Extras]: Extras[K] } = {};
  // ── trailing stop: exactly one of amount / percent ──
  const hasAmt = !isBlank(f.trailAmount);
  const hasPct = !isBlank(f.trailPercent);
  if (f.type === 'trailing_stop') {
    if (!hasAmt && !hasPct) return bad('missing_trail', 'trailAmount', 'A trailing stop needs a trail: an amount in price units (e.g. 1.50) or a percent (e.g. 2) — exactly one of them.');
    if (hasAmt && hasPct) return bad('invalid_trail', 'trailPercent', 'A trailing stop takes a trail amount or a trail percent, not both: clear one of them.');
    if (hasAmt) {
      const p = price(f.trailAmount, 'trailAmount', 'Trail amount');
      if (!(p instanceof Decimal)) return p;
      out.trailAmount = toStr(p);
    } else {
      const p = parseDecimal(f.trailPercent);
      if (!p || p.lte(0) || p.gte(100)) return bad('invalid_trail', 'trailPercent', `Trail percent must be greater than 0 and less than 100 (got ${show(f.trailPercent)}).`);
      if (p.decimalPlaces() > 2) return bad('invalid_trail', 'trailPercent', `Trail percent ${p.toFixed()} has too many decimals: use at most 2 (e.g. 1.25).`);
      out.trailPercent = toStr(p);
    }
  } else if (hasAmt || hasPct) {
    return bad('unexpected_price', hasAmt ? 'trailAmount' : 'trailPercent', `A ${label(f.type)} order takes no trail. Choose a trailing stop to set one.`);
  }

  // ── time in force and session ──
  if (f.tif === 'opg' && f.type !== 'market' && f.type !== 'limit') {
    return bad('invalid_tif', 'tif', `An opening-auction (OPG) order must be a market or limit order (market-on-open / limit-on-open); a ${label(f.type)} order cannot be OPG.`);
  }
  if (f.extendedHours === true) {
    if (f.tif === 'opg') return bad('invalid_tif', 'extendedHours', 'An opening-auction (OPG) order trades only in the opening auction: it cannot also work in extended hours.');
    if (f.type === 'market') return bad('unsupported_order', 'extendedHours', 'Market orders fill only in regular trading hours. Use a limit order to trade pre- or post-market.');
    if (inst.assetClass !== 'equity' && inst.assetClass !== 'etf')
      return bad('unsupported_order', 'extendedHours', `Extended hours apply to US stocks and ETFs; ${inst.symbol} trades on its own hours.`);
    out.extendedHours = true;
  }

  // ── one-cancels-other ──
  if (!isBlank(f.ocaGroup)) {
    const g = String(f.ocaGroup).trim();
    if (!/^[A-Za-z0-9_.-]{1,40}$/.test(g)) return bad('invalid_input', 'ocaGroup', `An OCA group name is 1 to 40 letters, digits, ".", "-" or "_" (got ${show(f.ocaGroup)}).`);
    out.ocaGroup = g;
  }

  // ── bracket legs ──
  if (f.takeProfit === undefined && f.stopLoss === undefined) return out;
  if (f.type === 'trailing_stop') return bad('invalid_bracket', 'type', "A bracket's entry must be a market, limit, stop or stop-limit order; place a trailing stop on its own.");
  if (f.tif !== 'day' && f.tif !== 'gtc') return bad('invalid_bracket', 'tif', `A bracket's entry must rest until it fills: use DAY or GTC, not ${f.tif.toUpperCase()}.`);
  if (out.ocaGroup) return bad('invalid_bracket', 'ocaGroup', "A bracket's take-profit and stop-loss already cancel each other: leave the OCA group empty.");
  const buy = f.side === 'buy';
  // The price the entry is expected to fill at; a market entry has none, so only the legs are compared.
  const entryText = f.type === 'stop' ? stopPrice : limitPrice;
  const entry = entryText !== undefined ? new Decimal(entryText) : undefined;
  const above = buy ? 'above' : 'below';
  const below = buy ? 'below' : 'above';
  let tp: Decimal | undefined;
  let sl: Decimal | undefined;
  if (f.takeProfit !== undefined) {
    if (isBlank(f.takeProfit.limitPrice)) return bad('invalid_bracket', 'takeProfit', 'The take-profit needs a limit price.');
    const p = price(f.takeProfit.limitPrice, 'takeProfit', 'Take-profit price');
    if (!(p instanceof Decimal)) return p;
    if (entry && (buy ? p.lte(entry) : p.gte(entry))) {
      return bad('bracket_price_wrong_side', 'takeProfit', `For a ${f.side} entry at ${entry.toFixed()}, the take-profit must be ${above} it (got ${p.toFixed()}).`);
    }
    tp = p;
    out.takeProfit = { limitPrice: toStr(p) };
  }
  if (f.stopLoss !== undefined) {
    if (isBlank(f.stopLoss.stopPrice)) return bad('invalid_bracket', 'stopLoss', 'The stop-loss needs a stop (trigger) price.');
    const p = price(f.stopLoss.stopPrice, 'stopLoss', 'Stop-loss price');
    if (!(p instanceof Decimal)) return p;
    if (entry && (buy ? p.gte(entry) : p.lte(entry))) {
      return bad('bracket_price_wrong_side', 'stopLoss', `For a ${f.side} entry at ${entry.toFixed()}, the stop-loss must be ${below} it (got ${p.toFixed()}).`);
    }
    sl = p;
    let lim: string | undefined;
    if (!isBlank(f.stopLoss.limitPrice)) {
      const l = price(f.stopLoss.limitPrice, 'stopLoss', 'Stop-loss limit price');
      if (!(l instanceof Decimal)) return l;
      // After a buy the exit sells: its limit is the lowest price accepted once the stop triggers, so a
      // limit above the stop could leave the position unprotected on the way down. Venues accept it; traders rarely mean it.
      if (buy ? l.gt(p) : l.lt(p)) {
        return bad(
          'bracket_price_wrong_side',
          'stopLoss',
          `The stop-loss limit must be at or ${buy ? 'below' : 'above'} its stop price ${p.toFixed()} (got ${l.toFixed()}): it caps how far the exit may slip.`,
        );
      }
      lim = toStr(l);
    }
    out.stopLoss = { stopPrice: toStr(p), ...(lim !== undefined ? { limitPrice: lim } : {}) };
  }
  if (tp && sl && (buy ? tp.lte(sl) : tp.gte(sl))) {
    return bad('bracket_price_wrong_side', 'takeProfit', `The take-profit (${tp.toFixed()}) must be ${above} the stop-loss (${sl.toFixed()}) for a ${f.side} entry.`);
  }
  return out;
}

function label(t: OrderType): string {
  return t === 'stop_limit' ? 'stop-limit' : t === 'trailing_stop' ? 'trailing stop' : t;
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
