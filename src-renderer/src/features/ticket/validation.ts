/**
 * Client-side ticket checks: immediate, specific messages while typing. They mirror the engine's
 * checks and use its error codes, but the engine stays the authority — whatever it refuses is
 * shown with its own code and message.
 */
import type { ErrorCode } from '../../../../src-main/engine/api/errors';
import type { OrderTicket } from '../../../../src-main/engine/api/commands';
import type { Instrument } from '../../../../src-main/engine/domain/instrument';
import type { OrderType, Side, TimeInForce } from '../../../../src-main/engine/domain/order';
import { Decimal } from '../../../../src-main/engine/domain/money';
import { ticketVertical, type SecondLeg } from './vertical-model';

export interface TicketForm {
  readonly venue: string;
  /** What is in the symbol box; may differ from the selected instrument while typing. */
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly qty: string;
  readonly limitPrice: string;
  readonly stopPrice: string;
  readonly tif: TimeInForce;
  /** Trailing stops: fill one of the two (the engine refuses both or neither). */
  readonly trailAmount?: string;
  readonly trailPercent?: string;
  readonly extendedHours?: boolean;
  /** The bracket section is open: the prices below become take-profit / stop-loss children. */
  readonly bracket?: boolean;
  /** An OCO exit pair: the limit order is the take-profit and the stop-loss below its other exit. */
  readonly oco?: boolean;
  readonly takeProfit?: string;
  readonly stopLoss?: string;
  readonly stopLossLimit?: string;
  /** GTD: the expiry as the date-time input gives it (local time, "2026-12-31T16:00"). */
  readonly expireAt?: string;
  readonly postOnly?: boolean;
  readonly reduceOnly?: boolean;
  /** "$ amount" mode (market orders where the venue allows it): `notional` is sent instead of the quantity. */
  readonly amountMode?: boolean;
  readonly notional?: string;
  /** A vertical spread: the second option (the picked one is the first leg); the limit price is then the net price. */
  readonly leg2?: SecondLeg;
}

export type TicketField = 'venue' | 'symbol' | 'qty' | 'limitPrice' | 'stopPrice' | 'trailAmount' | 'takeProfit' | 'stopLoss' | 'notional' | 'expireAt';

/** True when the ticket sends a $ amount instead of a quantity. */
export const inAmountMode = (form: Pick<TicketForm, 'amountMode' | 'type'>): boolean => form.amountMode === true && form.type === 'market';

/** The GTD expiry in UTC epoch ms from the date-time input (read in the trader's own zone), or undefined when blank or unreadable. */
export function expiryMs(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const t = new Date(v.trim()).getTime();
  return Number.isFinite(t) ? t : undefined;
}

export interface FieldIssue {
  readonly field: TicketField;
  readonly code: ErrorCode;
  readonly message: string;
}

export const needsLimit = (t: OrderType): boolean => t === 'limit' || t === 'stop_limit';
export const needsStop = (t: OrderType): boolean => t === 'stop' || t === 'stop_limit';

const PLAIN = /^[+-]?(\d+\.?\d*|\.\d+)$/;

function decimalsOf(s: string): number {
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1 - (s.slice(dot + 1).match(/0*$/)?.[0].length ?? 0);
}

function checkQty(raw: string, inst: Instrument | undefined): FieldIssue | undefined {
  const s = raw.trim();
  if (s === '') return { field: 'qty', code: 'invalid_quantity', message: 'Enter a quantity.' };
  if (!PLAIN.test(s)) return { field: 'qty', code: 'invalid_quantity', message: `Quantity “${s}” is not a number — use digits and one decimal point, like 10 or 0.5.` };
  const q = new Decimal(s);
  if (q.lte(0)) return { field: 'qty', code: 'invalid_quantity', message: 'Quantity must be greater than 0.' };
  if (!inst) return undefined;
  const lot = new Decimal(inst.lotSize);
  const lotDp = lot.decimalPlaces();
  if (decimalsOf(s) > lotDp) {
    return {
      field: 'qty',
      code: 'quantity_too_precise',
      message:
        lotDp === 0 ? `${inst.symbol} trades in whole units — remove the decimals.` : `${inst.symbol} allows at most ${lotDp} decimal${lotDp === 1 ? '' : 's'} in the quantity (lot ${inst.lotSize}).`,
    };
  }
  if (!lot.isZero() && !q.mod(lot).isZero()) {
    const down = q.div(lot).floor().mul(lot);
    return { field: 'qty', code: 'quantity_off_lot', message: `Quantity must be a multiple of the lot size ${inst.lotSize} — try ${down.gt(0) ? down.toFixed() : inst.lotSize}.` };
  }
  if (q.lt(inst.minQty)) return { field: 'qty', code: 'quantity_below_minimum', message: `${inst.symbol} minimum quantity is ${inst.minQty}.` };
  return undefined;
}

function checkPrice(raw: string, field: 'limitPrice' | 'stopPrice', inst: Instrument | undefined): FieldIssue | undefined {
  const label = field === 'limitPrice' ? 'Limit price' : 'Stop price';
  const s = raw.trim();
  if (s === '') {
    return field === 'limitPrice'
      ? { field, code: 'missing_limit_price', message: 'This order type needs a limit price.' }
      : { field, code: 'missing_stop_price', message: 'This order type needs a stop price.' };
  }
  if (!PLAIN.test(s)) return { field, code: 'invalid_price', message: `${label} “${s}” is not a number.` };
  const p = new Decimal(s);
  if (p.lte(0)) return { field, code: 'invalid_price', message: `${label} must be greater than 0.` };
  if (!inst) return undefined;
  const tick = new Decimal(inst.tickSize);
  if (!tick.isZero() && !p.mod(tick).isZero()) {
    const below = p.div(tick).floor().mul(tick);
    const above = below.plus(tick);
    const dp = tick.decimalPlaces();
    return {
      field,
      code: 'price_off_tick',
      message: `${label} ${s} is off the ${inst.tickSize} tick for ${inst.symbol} — use ${below.toFixed(dp)} or ${above.toFixed(dp)}.`,
    };
  }
  return undefined;
}

/**
 * All problems with the ticket, in field order. `inst` is the selected instrument when known;
 * without it only shape checks run and the engine checks lot and tick.
 */
export function validateTicket(form: TicketForm, inst: Instrument | undefined): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (form.venue.trim() === '') issues.push({ field: 'venue', code: 'unknown_venue', message: 'Pick a venue.' });
  if (form.symbol.trim() === '') issues.push({ field: 'symbol', code: 'unknown_instrument', message: 'Pick an instrument.' });
  if (inAmountMode(form)) {
    const n = (form.notional ?? '').trim();
    if (n === '' || !PLAIN.test(n) || new Decimal(n).lte(0))
      issues.push({ field: 'notional', code: 'invalid_quantity', message: 'Enter the amount to trade, a number greater than 0 (like 250 or 99.50).' });
  } else {
    const q = checkQty(form.qty, inst);
    if (q) issues.push(q);
  }
  if (form.leg2 && form.type !== 'limit')
    issues.push({ field: 'limitPrice', code: 'unsupported_order', message: 'A vertical is placed at a net price: choose a Limit order and enter the net debit or credit.' });
  if (form.tif === 'gtd' && expiryMs(form.expireAt) === undefined) issues.push({ field: 'expireAt', code: 'invalid_tif', message: 'A GTD order needs an expiry date and time.' });
  if (needsLimit(form.type)) {
    const p = checkPrice(form.limitPrice, 'limitPrice', inst);
    if (p) issues.push(p);
  }
  if (needsStop(form.type)) {
    const p = checkPrice(form.stopPrice, 'stopPrice', inst);
    if (p) issues.push(p);
  }
  if (form.type === 'trailing_stop') {
    const amt = (form.trailAmount ?? '').trim();
    const pct = (form.trailPercent ?? '').trim();
    if (amt === '' && pct === '') issues.push({ field: 'trailAmount', code: 'missing_trail', message: 'A trailing stop needs a trail amount or a trail percent.' });
    else if (amt !== '' && pct !== '') issues.push({ field: 'trailAmount', code: 'invalid_trail', message: 'Use a trail amount or a trail percent, not both.' });
  }
  if (isOcoForm(form) && (form.stopLoss ?? '').trim() === '') {
    issues.push({ field: 'stopLoss', code: 'invalid_bracket', message: 'An OCO exit pair needs a stop-loss price as well as the take-profit limit.' });
  }
  if (form.bracket && !isOcoForm(form)) {
    if ((form.takeProfit ?? '').trim() === '' && (form.stopLoss ?? '').trim() === '') {
      issues.push({ field: 'takeProfit', code: 'invalid_bracket', message: 'A bracket needs a take-profit price, a stop-loss price, or both.' });
    }
  }
  return issues;
}

/** The OCO exit-pair section is open on a limit order (it is nothing on any other type). */
export function isOcoForm(form: Pick<TicketForm, 'oco' | 'type'>): boolean {
  return form.oco === true && form.type === 'limit';
}

/**
 * The wire ticket. Prices the type does not use are left out (the engine refuses them with
 * `unexpected_price`), decimals go as the trader typed them (strings, never floats).
 */
export function toOrderTicket(form: TicketForm, inst: Instrument | undefined, clientOrderId?: string): OrderTicket {
  const t: { -readonly [K in keyof OrderTicket]: OrderTicket[K] } = {
    venue: form.venue.trim(),
    symbol: inst ? inst.symbol : form.symbol.trim(),
    side: form.side,
    type: form.type,
    qty: inAmountMode(form) ? '0' : form.qty.trim(),
    tif: form.tif,
  };
  if (inAmountMode(form)) t.notional = (form.notional ?? '').trim();
  const exp = form.tif === 'gtd' ? expiryMs(form.expireAt) : undefined;
  if (exp !== undefined) t.expireAt = exp;
  if (form.postOnly && form.type === 'limit') t.postOnly = true;
  if (form.reduceOnly) t.reduceOnly = true;
  if (needsLimit(form.type)) t.limitPrice = form.limitPrice.trim();
  if (needsStop(form.type)) t.stopPrice = form.stopPrice.trim();
  if (form.type === 'trailing_stop') {
    const amt = (form.trailAmount ?? '').trim();
    const pct = (form.trailPercent ?? '').trim();
    if (amt !== '') t.trailAmount = amt;
    if (pct !== '') t.trailPercent = pct;
  }
  if (form.extendedHours) t.extendedHours = true;
  if (isOcoForm(form)) {
    const sl = (form.stopLoss ?? '').trim();
    const sll = (form.stopLossLimit ?? '').trim();
    t.oco = true;
    t.stopLoss = { stopPrice: sl, ...(sll !== '' ? { limitPrice: sll } : {}) };
  } else if (form.bracket) {
    const tp = (form.takeProfit ?? '').trim();
    const sl = (form.stopLoss ?? '').trim();
    const sll = (form.stopLossLimit ?? '').trim();
    if (tp !== '') t.takeProfit = { limitPrice: tp };
    if (sl !== '') t.stopLoss = { stopPrice: sl, ...(sll !== '' ? { limitPrice: sll } : {}) };
  }
  const v = ticketVertical(form, inst);
  if (v) {
    // The picked option is the first leg; the order's own side says debit (buy) or credit (sell).
    t.side = v.side;
    t.legs = v.legs.map((l) => ({ ...l }));
  }
  if (clientOrderId) t.clientOrderId = clientOrderId;
  return t;
}

/** Identity of what would be sent; a preview is fresh only while this is unchanged. */
export function ticketKey(form: TicketForm, inst: Instrument | undefined): string {
  return JSON.stringify(toOrderTicket(form, inst));
}
