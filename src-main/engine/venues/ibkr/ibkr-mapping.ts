/**
 * Our orders ↔ IB orders, IB statuses → our lifecycle, IB time texts → UTC.
 *
 * IB can do more than the unified ticket (trailing stops, opening orders, outside-RTH, brackets,
 * OCA groups), so the mapping takes an `IbOrderIntent`: the unified order plus those extras.
 * What IB cannot do, or does differently than a trader would expect, is refused here with a
 * message that says what to do instead, before anything is sent.
 */
import { OrderAction, OrderType as IbOrderType, type Order as IbOrder, type OrderState } from '@stoqey/ib';
import type { Instrument } from '../../domain/instrument';
import { Decimal, parseDecimal, toStr } from '../../domain/money';
import type { Order, OrderStatus, OrderType, Side, TimeInForce } from '../../domain/order';
import type { OrderCapabilities } from '../../domain/order-capabilities';

export type IbTif = TimeInForce;
/** The unified `trailing_stop` is IB's TRAIL; intents built by hand may still say 'trailing'. */
export type IbType = Exclude<OrderType, 'trailing_stop'> | 'trailing';

export interface IbOrderIntent {
  readonly clientOrderId: string;
  readonly side: Side;
  readonly type: IbType;
  readonly qty: string;
  readonly limitPrice?: string;
  readonly stopPrice?: string;
  /** Trailing stops: exactly one of an amount (price units) or a percent. */
  readonly trailingAmount?: string;
  readonly trailingPercent?: string;
  readonly tif: IbTif;
  /** GTD: expiry, UTC epoch ms (sent as goodTillDate). */
  readonly expireAt?: number;
  /** Let the order work (and a stop trigger) in pre- and post-market sessions. */
  readonly outsideRth?: boolean;
  readonly ocaGroup?: string;
  /** 1 = cancel the others on a fill (IB default for our groups), 2/3 = reduce them. */
  readonly ocaType?: 1 | 2 | 3;
  /** Bracket legs: the parent's IB order id; the last leg transmits the whole group. */
  readonly parentId?: number;
  readonly transmit?: boolean;
}

export class IbMappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IbMappingError';
  }
}

export function intentFromOrder(
  o: Pick<Order, 'clientOrderId' | 'side' | 'type' | 'qty' | 'tif' | 'limitPrice' | 'stopPrice' | 'trailAmount' | 'trailPercent' | 'extendedHours' | 'ocaGroup' | 'expireAt'>,
): IbOrderIntent {
  return {
    clientOrderId: o.clientOrderId,
    side: o.side,
    type: o.type === 'trailing_stop' ? 'trailing' : o.type,
    qty: o.qty,
    tif: o.tif,
    ...(o.expireAt !== undefined ? { expireAt: o.expireAt } : {}),
    ...(o.limitPrice !== undefined ? { limitPrice: o.limitPrice } : {}),
    ...(o.stopPrice !== undefined ? { stopPrice: o.stopPrice } : {}),
    ...(o.trailAmount !== undefined ? { trailingAmount: o.trailAmount } : {}),
    ...(o.trailPercent !== undefined ? { trailingPercent: o.trailPercent } : {}),
    ...(o.extendedHours ? { outsideRth: true } : {}),
    ...(o.ocaGroup !== undefined ? { ocaGroup: o.ocaGroup } : {}),
  };
}

/** IB sends prices and sizes as doubles; orders carry exact decimals that fit one. */
function num(s: string, what: string): number {
  const d = parseDecimal(s);
  if (!d || d.lte(0)) throw new IbMappingError(`${what} "${s}" must be a number greater than zero.`);
  return d.toNumber();
}

/** Maps a validated intent to IB's order fields. Throws IbMappingError for what IB cannot do. */
export function toIbOrder(intent: IbOrderIntent, inst: Instrument, account: string): IbOrder {
  const t = intent;
  const base: IbOrder = {
    action: t.side === 'buy' ? OrderAction.BUY : OrderAction.SELL,
    totalQuantity: num(t.qty, 'Quantity'),
    orderType: IbOrderType.MKT,
    orderRef: t.clientOrderId,
    transmit: t.transmit ?? true,
    ...(account ? { account } : {}),
  };
  let order: IbOrder;
  switch (t.type) {
    case 'market':
      order = { ...base, orderType: IbOrderType.MKT };
      break;
    case 'limit':
      if (!t.limitPrice) throw new IbMappingError('A limit order needs a limit price.');
      order = { ...base, orderType: IbOrderType.LMT, lmtPrice: num(t.limitPrice, 'Limit price') };
      break;
    case 'stop':
      if (!t.stopPrice) throw new IbMappingError('A stop order needs a stop price.');
      order = { ...base, orderType: IbOrderType.STP, auxPrice: num(t.stopPrice, 'Stop price') };
      break;
    case 'stop_limit':
      if (!t.stopPrice || !t.limitPrice) throw new IbMappingError('A stop-limit order needs a stop price and a limit price.');
      order = { ...base, orderType: IbOrderType.STP_LMT, lmtPrice: num(t.limitPrice, 'Limit price'), auxPrice: num(t.stopPrice, 'Stop price') };
      break;
    case 'trailing': {
      const hasAmt = t.trailingAmount !== undefined;
      const hasPct = t.trailingPercent !== undefined;
      if (hasAmt === hasPct) throw new IbMappingError('A trailing stop needs either a trailing amount or a trailing percent (not both).');
      if (hasPct) {
        const p = parseDecimal(t.trailingPercent);
        if (!p || p.lte(0) || p.gte(100)) throw new IbMappingError(`Trailing percent "${t.trailingPercent}" must be between 0 and 100.`);
      }
      order = {
        ...base,
        orderType: IbOrderType.TRAIL,
        ...(hasAmt ? { auxPrice: num(t.trailingAmount!, 'Trailing amount') } : { trailingPercent: num(t.trailingPercent!, 'Trailing percent') }),
        // An initial stop price is optional; without it TWS computes one from the market.
        ...(t.stopPrice ? { trailStopPrice: num(t.stopPrice, 'Initial trailing stop price') } : {}),
      };
      break;
    }
  }
  order.tif = tifToIb(t, inst);
  // IB's goodTillDate in its UTC form "yyyymmdd-hh:mm:ss" (no zone name to resolve).
  if (t.tif === 'gtd') order.goodTillDate = ibFilterTime(t.expireAt!);
  if (t.outsideRth) {
    if (t.type === 'market') throw new IbMappingError('IB fills market orders only in regular trading hours. Use a limit order with "outside regular hours" to trade pre- or post-market.');
    if (inst.assetClass !== 'equity' && inst.assetClass !== 'etf') throw new IbMappingError(`"Outside regular hours" applies to US stocks and ETFs; ${inst.symbol} trades on its own exchange hours.`);
    order.outsideRth = true;
  }
  if (t.ocaGroup) {
    if (t.parentId) throw new IbMappingError('A bracket leg already cancels its siblings; do not put it in an OCA group as well.');
    order.ocaGroup = t.ocaGroup;
    order.ocaType = t.ocaType ?? 1;
  }
  if (t.parentId) order.parentId = t.parentId;
  return order;
}

function tifToIb(t: IbOrderIntent, inst: Instrument): IbOrder['tif'] {
  switch (t.tif) {
    case 'day':
      return 'DAY';
    case 'gtc':
      if (t.type === 'market') throw new IbMappingError('A market order cannot be good-till-cancelled: use DAY or IOC.');
      return 'GTC';
    case 'ioc':
      return 'IOC';
    case 'opg':
      if (t.type !== 'market' && t.type !== 'limit')
        throw new IbMappingError('An opening (OPG) order must be a market or limit order: IB sends it to the opening auction as market-on-open or limit-on-open.');
      if (inst.assetClass !== 'equity' && inst.assetClass !== 'etf') throw new IbMappingError(`Opening-auction (OPG) orders exist for US stocks and ETFs, not for ${inst.symbol}.`);
      return 'OPG';
    case 'gtd':
      if (t.expireAt === undefined) throw new IbMappingError('A good-till-date (GTD) order needs its expiry date and time.');
      return 'GTD';
    case 'cls':
      // MOC / LOC are not mapped yet: refused here rather than sent as something else.
      throw new IbMappingError('Tradeport does not send closing-auction (CLS) orders to Interactive Brokers yet. Use a DAY limit order placed shortly before the close.');
    case 'fok':
      // IB offers fill-or-kill only for some products and routes; refusing here beats a late reject.
      throw new IbMappingError('Tradeport does not send fill-or-kill orders to Interactive Brokers. Use IOC: it fills what it can at once and cancels the rest.');
  }
}

/** IB order status text → our lifecycle. `filled` is the cumulative quantity IB reports. */
export function statusFromIb(status: string, filled: Decimal, remaining: Decimal | undefined): OrderStatus {
  switch (status) {
    case 'PendingSubmit':
    case 'ApiPending':
      return 'submitted';
    case 'PreSubmitted':
    case 'Submitted':
      return filled.gt(0) && (remaining === undefined || remaining.gt(0)) ? 'partially_filled' : 'accepted';
    case 'Filled':
      return 'filled';
    case 'PendingCancel':
      return 'pending_cancel';
    case 'Cancelled':
    case 'ApiCancelled':
      return 'cancelled';
    case 'Inactive':
      // TWS parks rejected orders (and ones it cannot route) as Inactive; they will not work.
      return 'rejected';
    default:
      return 'unknown';
  }
}

/** IB's order type text → the unified type, for orders we adopt. */
export function typeFromIb(o: IbOrder): OrderType {
  switch (String(o.orderType).toUpperCase()) {
    case 'MKT':
      return 'market';
    case 'LMT':
      return 'limit';
    case 'STP':
      return 'stop';
    case 'TRAIL':
      return 'trailing_stop';
    case 'STP LMT':
    case 'TRAIL LIMIT':
      return 'stop_limit';
    default:
      // REL, MIT, algos…: priced ones read as limit orders, the rest as market orders.
      return o.lmtPrice !== undefined ? 'limit' : 'market';
  }
}

export function tifFromIb(tif: string | undefined): TimeInForce {
  switch (String(tif ?? '').toUpperCase()) {
    case 'GTC':
      return 'gtc';
    case 'GTD':
      return 'gtd';
    case 'IOC':
      return 'ioc';
    case 'FOK':
      return 'fok';
    case 'OPG':
      return 'opg';
    default:
      // DAY, DTC.
      return 'day';
  }
}

/**
 * Prices of an IB order as our decimal strings (adoption reports). A TRAIL order's
 * trailStopPrice is where its stop is now (TWS moves it with the market): `trailStop`.
 */
export function pricesFromIb(o: IbOrder): { limitPrice?: string; stopPrice?: string; trailStop?: string } {
  const type = typeFromIb(o);
  const lmt = o.lmtPrice !== undefined && Number.isFinite(o.lmtPrice) && o.lmtPrice !== Number.MAX_VALUE ? toStr(new Decimal(String(o.lmtPrice))) : undefined;
  const rawStop = String(o.orderType).toUpperCase().startsWith('TRAIL') ? o.trailStopPrice : o.auxPrice;
  const stop = rawStop !== undefined && Number.isFinite(rawStop) && rawStop !== Number.MAX_VALUE && rawStop > 0 ? toStr(new Decimal(String(rawStop))) : undefined;
  return {
    ...(lmt && (type === 'limit' || type === 'stop_limit') ? { limitPrice: lmt } : {}),
    ...(stop && (type === 'stop' || type === 'stop_limit') ? { stopPrice: stop } : {}),
    ...(stop && type === 'trailing_stop' ? { trailStop: stop } : {}),
  };
}

/** Margin preview of a whatIf answer, as decimals (undefined where TWS left a field unset). */
export interface WhatIfNumbers {
  readonly commission?: Decimal;
  readonly commissionCurrency?: string;
  readonly initMarginBefore?: Decimal;
  readonly initMarginAfter?: Decimal;
  readonly maintMarginBefore?: Decimal;
  readonly maintMarginAfter?: Decimal;
  readonly equityWithLoanBefore?: Decimal;
  readonly equityWithLoanAfter?: Decimal;
  readonly warningText?: string;
}

function stateNum(v: unknown): Decimal | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n) || n === Number.MAX_VALUE) return undefined;
  return new Decimal(String(n));
}

export function whatIfFromState(s: OrderState): WhatIfNumbers {
  const raw = s as unknown as Record<string, unknown>;
  const pick = (k: string) => stateNum(raw[k]);
  const out: Record<string, unknown> = {
    commission: pick('commission'),
    initMarginBefore: pick('initMarginBefore'),
    initMarginAfter: pick('initMarginAfter'),
    maintMarginBefore: pick('maintMarginBefore'),
    maintMarginAfter: pick('maintMarginAfter'),
    equityWithLoanBefore: pick('equityWithLoanBefore'),
    equityWithLoanAfter: pick('equityWithLoanAfter'),
    commissionCurrency: typeof raw['commissionCurrency'] === 'string' && raw['commissionCurrency'] ? raw['commissionCurrency'] : undefined,
    warningText: typeof raw['warningText'] === 'string' && raw['warningText'] ? raw['warningText'] : undefined,
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out as WhatIfNumbers;
}

// ── time ────────────────────────────────────────────────────────────────────────────────────

const ZONE_ALIASES: Record<string, string> = {
  'US/Eastern': 'America/New_York',
  'US/Central': 'America/Chicago',
  'US/Mountain': 'America/Denver',
  'US/Pacific': 'America/Los_Angeles',
  EST: 'America/New_York',
  EDT: 'America/New_York',
  CST: 'America/Chicago',
  CDT: 'America/Chicago',
  MET: 'Europe/Berlin',
  GMT: 'UTC',
};

/** Offset (local − UTC, ms) of an IANA zone at an instant. */
function offsetAt(utcMs: number, zone: string): number {
  const f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const p = Object.fromEntries(f.formatToParts(new Date(utcMs)).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/**
 * Parses IB time texts to UTC ms: "20260102 09:30:00 US/Eastern", "20260102-14:30:00" (UTC),
 * "20260102  09:30:00" (TWS local zone, given as `defaultZone`), or epoch seconds.
 */
export function parseIbTime(text: string | undefined, defaultZone = 'America/New_York'): number | undefined {
  const s = (text ?? '').trim();
  if (/^\d{9,11}$/.test(s)) return Number(s) * 1000;
  const m = /^(\d{4})(\d{2})(\d{2})([- ])\s*(\d{2}):(\d{2}):(\d{2})(?:\s+(\S+))?$/.exec(s);
  if (!m) return undefined;
  const naive = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[5]), Number(m[6]), Number(m[7]));
  if (m[4] === '-' && !m[8]) return naive;
  const zone = m[8] ? (ZONE_ALIASES[m[8]] ?? m[8]) : defaultZone;
  if (zone === 'UTC') return naive;
  try {
    let guess = naive - offsetAt(naive, zone);
    guess = naive - offsetAt(guess, zone); // a second pass settles the DST edge
    return guess;
  } catch {
    return naive;
  }
}

/** An execution-filter time: "yyyymmdd-hh:mm:ss" in UTC, which TWS reads as UTC. */
export function ibFilterTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** What IB carries of the unified ticket: everything except fill-or-kill (see tifToIb). */
export const IBKR_CAPABILITIES: OrderCapabilities = {
  orderTypes: ['market', 'limit', 'stop', 'stop_limit', 'trailing_stop'],
  // GTD via goodTillDate; no CLS yet (MOC/LOC not mapped); IB has no post-only, and stocks take no reduce-only or notional here.
  tifs: ['day', 'gtc', 'ioc', 'opg', 'gtd'],
  extendedHours: true,
  brackets: true,
  oca: true,
  postOnly: false,
  reduceOnly: false,
  notional: false,
};
