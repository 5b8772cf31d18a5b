/**
 * Checks an order ticket against its instrument and normalizes it. Pure: the engine runs it at
 * every boundary and the renderer runs the same code for instant feedback, so both give the
 * same code and message.
 */
import type { ErrorCode } from '../api/errors';
import type { Instrument } from './instrument';
import { Decimal, isMultipleOf, parseDecimal, roundToStep, toStr } from './money';
import type { OrderLeg } from './order-legs';
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
  /**
   * Exits only, one-cancels-other: this limit order is the take-profit and `stopLoss` its stop, both
   * on `side` for a position already held; the first to fill cancels the other. No entry.
   */
  readonly oco?: boolean;
  /** GTD: when the order expires (UTC epoch ms, or an ISO date-time string). */
  readonly expireAt?: unknown;
  readonly postOnly?: boolean;
  readonly reduceOnly?: boolean;
  /** A quote-currency amount instead of a quantity (market orders); qty is then blank or "0". */
  readonly notional?: unknown;
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
  /** Present only when true: the limit order and `stopLoss` are an OCO exit pair (no entry). */
  readonly oco?: true;
  /** GTD only: UTC epoch ms. */
  readonly expireAt?: number;
  /** Present only when true. */
  readonly postOnly?: true;
  readonly reduceOnly?: true;
  /** Notional orders: the amount in quote currency; `qty` is then "0". */
  readonly notional?: string;
  /** A multi-leg order (a vertical), resolved to instruments by the engine (oms/multi-leg.ts). */
  readonly legs?: readonly OrderLeg[];
}

/** True when the ticket asks for a bracket (an entry plus take-profit and/or stop-loss children). */
export function isBracket(t: Pick<NormalizedTicket, 'takeProfit' | 'stopLoss' | 'oco'>): boolean {
  return !t.oco && (t.takeProfit !== undefined || t.stopLoss !== undefined);
}

/** True when the ticket is an OCO exit pair: a take-profit limit and a stop-loss on one side, no entry. */
export function isOco(t: Pick<NormalizedTicket, 'oco'>): boolean {
  return t.oco === true;
}

export interface TicketProblem {
  readonly code: ErrorCode;
  readonly field:
    | 'qty'
    | 'limitPrice'
    | 'stopPrice'
    | 'type'
    | 'tif'
    | 'trailAmount'
    | 'trailPercent'
    | 'extendedHours'
    | 'ocaGroup'
    | 'takeProfit'
    | 'stopLoss'
    | 'expireAt'
    | 'postOnly'
    | 'reduceOnly'
    | 'notional'
    | 'oco'
    | 'legs';
  readonly message: string;
}

export type TicketCheck = { ok: true; ticket: NormalizedTicket } | { ok: false; problem: TicketProblem };

const needsLimit = (t: OrderType) => t === 'limit' || t === 'stop_limit';
const needsStop = (t: OrderType) => t === 'stop' || t === 'stop_limit';

function isBlank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

/**
 * `now` (UTC epoch ms, from the injected clock) lets a GTD expiry be checked to lie in the future;
 * without it only its form is checked.
 */
export function checkTicket(f: TicketFields, inst: Instrument, now?: number): TicketCheck {
  const lot = new Decimal(inst.lotSize);
  const tick = new Decimal(inst.tickSize);
  const bad = (code: ErrorCode, field: TicketProblem['field'], message: string): TicketCheck => ({ ok: false, problem: { code, field, message } });

  const flags = checkOrderFlags(f, inst, now, bad);
  if ('ok' in flags) return flags;
  if (flags.notional !== undefined) return finishTicket(f, inst, '0', flags, tick, bad);
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
  return finishTicket(f, inst, toStr(qty), flags, tick, bad);
}

function finishTicket(f: TicketFields, inst: Instrument, qty: string, flags: Flags, tick: Decimal, bad: Bad): TicketCheck {
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
    qty,
    tif: f.tif,
    ...(limitPrice !== undefined ? { limitPrice } : {}),
    ...(stopPrice !== undefined ? { stopPrice } : {}),
    ...adv,
    ...flags,
  };
  return { ok: true, ticket };
}

type Bad = (code: ErrorCode, field: TicketProblem['field'], message: string) => TicketCheck;
type Flags = Pick<NormalizedTicket, 'expireAt' | 'postOnly' | 'reduceOnly' | 'notional'>;

const DERIVATIVES: ReadonlySet<Instrument['assetClass']> = new Set(['perpetual', 'future', 'option']);

/** GTD expiry, CLS, post-only, reduce-only and notional sizing: rules that hold at every venue. */
function checkOrderFlags(f: TicketFields, inst: Instrument, now: number | undefined, bad: Bad): Flags | TicketCheck {
  const out: { -readonly [K in keyof Flags]: Flags[K] } = {};
  if (f.tif === 'gtd') {
    if (isBlank(f.expireAt)) return bad('invalid_tif', 'expireAt', 'A good-till-date (GTD) order needs an expiry date and time.');
    const at = typeof f.expireAt === 'number' ? f.expireAt : typeof f.expireAt === 'string' ? Date.parse(f.expireAt) : NaN;
    if (!Number.isFinite(at) || !Number.isInteger(at)) return bad('invalid_tif', 'expireAt', `The GTD expiry must be a date and time such as 2026-12-31T21:00:00Z (got ${show(f.expireAt)}).`);
    if (now !== undefined && at <= now) return bad('invalid_tif', 'expireAt', `The GTD expiry ${new Date(at).toISOString()} is not in the future: choose a later date and time.`);
    out.expireAt = at;
  } else if (!isBlank(f.expireAt)) {
    return bad('invalid_tif', 'expireAt', `Only a good-till-date (GTD) order takes an expiry; this one is ${f.tif.toUpperCase()}. Choose GTD or clear the expiry.`);
  }
  if (f.tif === 'cls') {
    if (f.type !== 'market' && f.type !== 'limit') {
      return bad('invalid_tif', 'tif', `A closing-auction (CLS) order must be a market or limit order (market-on-close / limit-on-close); a ${label(f.type)} order cannot be CLS.`);
    }
    if (f.extendedHours === true) return bad('invalid_tif', 'extendedHours', 'A closing-auction (CLS) order trades only in the closing auction: it cannot also work in extended hours.');
  }
  if (f.postOnly === true) {
    if (f.type !== 'limit') return bad('unsupported_order', 'postOnly', `Only a limit order can be post-only (it rests on the book instead of taking liquidity); a ${label(f.type)} order cannot.`);
    if (f.tif === 'ioc' || f.tif === 'fok') return bad('unsupported_order', 'postOnly', `A post-only order must rest on the book: it cannot be ${f.tif.toUpperCase()}. Use DAY, GTC or GTD.`);
    out.postOnly = true;
  }
  if (f.reduceOnly === true) {
    if (!DERIVATIVES.has(inst.assetClass)) {
      return bad('unsupported_order', 'reduceOnly', `Reduce-only applies to derivatives (perpetuals, futures, options); ${inst.symbol} is ${inst.assetClass}: sell no more than you hold instead.`);
    }
    out.reduceOnly = true;
  }
  if (!isBlank(f.notional)) {
    if (f.type !== 'market') return bad('unsupported_order', 'notional', `Only a market order can be sized in money (a $ amount); for a ${label(f.type)} order enter a quantity.`);
    const q = parseDecimal(f.qty);
    if (!isBlank(f.qty) && !(q && q.isZero())) return bad('invalid_quantity', 'notional', 'Give either a quantity or a $ amount (notional), not both: clear the quantity.');
    const n = parseDecimal(f.notional);
    if (!n || n.lte(0)) return bad('invalid_quantity', 'notional', `The amount must be a number greater than zero (got ${show(f.notional)}).`);
    if (n.decimalPlaces() > 8) return bad('invalid_quantity', 'notional', `The amount ${n.toFixed()} has too many decimals: use at most 8.`);
    if (f.takeProfit !== undefined || f.stopLoss !== undefined)
      return bad('invalid_bracket', 'notional', 'A bracket entry needs a quantity (its exits must match it): enter a quantity instead of an amount.');
    out.notional = toStr(n);
  }
  return out;
}

type Extras = Pick<NormalizedTicket, 'trailAmount' | 'trailPercent' | 'extendedHours' | 'ocaGroup' | 'takeProfit' | 'stopLoss' | 'oco'>;

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

  if (f.oco === true) return checkOco(f, out, limitPrice, price, bad);

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
    // After a buy entry the exit sells.
    const lim = stopLossLimit(f.stopLoss.limitPrice, p, buy, price, bad);
    if (lim !== undefined && typeof lim !== 'string') return lim;
    out.stopLoss = { stopPrice: toStr(p), ...(lim !== undefined ? { limitPrice: lim } : {}) };
  }
  if (tp && sl && (buy ? tp.lte(sl) : tp.gte(sl))) {
    return bad('bracket_price_wrong_side', 'takeProfit', `The take-profit (${tp.toFixed()}) must be ${above} the stop-loss (${sl.toFixed()}) for a ${f.side} entry.`);
  }
  return out;
}

/**
 * An OCO exit pair for a position already held: the ticket's limit order is the take-profit, its
 * stop-loss the other exit, both on the ticket's side. Selling (out of a long) the take-profit sits
 * above the stop; buying (covering a short) below it.
 */
function checkOco(
  f: TicketFields,
  out: { -readonly [K in keyof Extras]: Extras[K] },
  limitPrice: string | undefined,
  price: (raw: unknown, field: TicketProblem['field'], label: string) => Decimal | TicketCheck,
  bad: (code: ErrorCode, field: TicketProblem['field'], message: string) => TicketCheck,
): Extras | TicketCheck {
  if (f.type !== 'limit' || limitPrice === undefined)
    return bad('invalid_bracket', 'type', `An OCO exit pair is a limit order (the take-profit) plus a stop-loss: choose a limit order (not ${label(f.type)}) and set its limit price.`);
  if (f.takeProfit !== undefined) return bad('invalid_bracket', 'takeProfit', "In an OCO exit pair the order's own limit price is the take-profit: leave the separate take-profit empty.");
  if (f.stopLoss === undefined || isBlank(f.stopLoss.stopPrice)) return bad('invalid_bracket', 'stopLoss', 'An OCO exit pair needs a stop-loss (trigger) price as well as the take-profit limit.');
  if (f.tif !== 'day' && f.tif !== 'gtc') return bad('invalid_bracket', 'tif', `An OCO exit pair rests until one side fills: use DAY or GTC, not ${f.tif.toUpperCase()}.`);
  if (out.ocaGroup) return bad('invalid_bracket', 'ocaGroup', 'The two exits of an OCO pair are linked for you: leave the OCA group empty.');
  if (out.extendedHours) return bad('invalid_bracket', 'extendedHours', 'A stop-loss triggers only in regular trading hours, so an OCO exit pair cannot work in extended hours.');
  const sell = f.side === 'sell';
  const tp = new Decimal(limitPrice);
  const sl = price(f.stopLoss.stopPrice, 'stopLoss', 'Stop-loss price');
  if (!(sl instanceof Decimal)) return sl;
  if (sell ? tp.lte(sl) : tp.gte(sl)) {
    return bad(
      'bracket_price_wrong_side',
      'stopLoss',
      `Exiting with a ${f.side}, the take-profit (${tp.toFixed()}) must be ${sell ? 'above' : 'below'} the stop-loss (${sl.toFixed()}): the one takes a gain, the other limits a loss.`,
    );
  }
  const lim = stopLossLimit(f.stopLoss.limitPrice, sl, sell, price, bad);
  if (lim !== undefined && typeof lim !== 'string') return lim;
  out.stopLoss = { stopPrice: toStr(sl), ...(lim !== undefined ? { limitPrice: lim } : {}) };
  out.oco = true;
  return out;
}

/**
 * A stop-loss's optional limit, as a canonical string. An exit that sells takes its limit as the
 * lowest price accepted once the stop triggers, so a limit above the stop could leave the position
 * unprotected on the way down (and the mirror for an exit that buys). Venues accept it; traders rarely mean it.
 */
function stopLossLimit(
  raw: unknown,
  stop: Decimal,
  exitSells: boolean,
  price: (raw: unknown, field: TicketProblem['field'], label: string) => Decimal | TicketCheck,
  bad: (code: ErrorCode, field: TicketProblem['field'], message: string) => TicketCheck,
): string | TicketCheck | undefined {
  if (isBlank(raw)) return undefined;
  const l = price(raw, 'stopLoss', 'Stop-loss limit price');
  if (!(l instanceof Decimal)) return l;
  if (exitSells ? l.gt(stop) : l.lt(stop)) {
    return bad(
      'bracket_price_wrong_side',
      'stopLoss',
      `The stop-loss limit must be at or ${exitSells ? 'below' : 'above'} its stop price ${stop.toFixed()} (got ${l.toFixed()}): it caps how far the exit may slip.`,
    );
  }
  return toStr(l);
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
