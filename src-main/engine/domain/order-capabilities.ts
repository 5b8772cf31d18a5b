/**
 * What each venue can do with the unified order, and the one message a trader sees when it
 * cannot. The engine checks a ticket against the capabilities of the connector its route uses
 * (Paper, a venue's SHADOW simulation, or the live venue) BEFORE journaling anything, so an
 * order a venue cannot carry is never written, never sent, and the refusal names the venue and
 * what to do instead.
 *
 * Pure (no Node): the renderer can use it to grey out what the chosen venue cannot do.
 */
import type { OrderType, TimeInForce } from './order';
import type { NormalizedTicket } from './order-validation';

export interface OrderCapabilities {
  readonly orderTypes: readonly OrderType[];
  readonly tifs: readonly TimeInForce[];
  /** Orders may work outside regular trading hours. */
  readonly extendedHours: boolean;
  /** Entry + take-profit / stop-loss children that the venue links (parent id, OCO). */
  readonly brackets: boolean;
  /** One-cancels-other groups of independent orders. */
  readonly oca: boolean;
  /**
   * An OCO exit pair (take-profit limit + stop-loss for a position held) sent as ONE venue order
   * (Alpaca `order_class: oco`). Venues with `oca` carry the pair as two orders in one OCA group.
   */
  readonly ocoExits?: boolean;
  /** Post-only limit orders (rejected rather than taking liquidity). Absent = not supported. */
  readonly postOnly?: boolean;
  /** Reduce-only orders on derivatives. Absent = not supported. */
  readonly reduceOnly?: boolean;
  /** Orders sized by a quote-currency amount (`notional`). Absent = not supported. */
  readonly notional?: boolean;
  /**
   * A bracket's take-profit and stop-loss are ONE order at the venue: cancelling one leg would
   * cancel both, so a single leg's cancel is refused (cancel the bracket, or modify the leg); a
   * sweep (cancel-all, kill switch) still cancels them. Absent = each leg is its own order.
   */
  readonly exitsAsOneOrder?: boolean;
  /** Multi-leg orders (an option vertical) sent as ONE venue order at a net price. Absent = not supported. */
  readonly multiLeg?: boolean;
}

/** What every venue adapter supports unless it says more (and what a connector without capabilities() gets). */
export const BASIC_CAPABILITIES: OrderCapabilities = {
  orderTypes: ['market', 'limit', 'stop', 'stop_limit'],
  tifs: ['day', 'gtc', 'ioc', 'fok'],
  extendedHours: false,
  brackets: false,
  oca: false,
  postOnly: false,
  reduceOnly: false,
  notional: false,
};

/**
 * The Paper matching engine (the Paper venue and every venue's SHADOW route): trailing stops,
 * brackets and OCA groups are simulated (sim/matching-engine.ts); OPG, CLS, GTD, extended hours,
 * post-only, reduce-only and notional orders are not yet, so they are refused before journaling.
 */
export const PAPER_CAPABILITIES: OrderCapabilities = {
  ...BASIC_CAPABILITIES,
  orderTypes: [...BASIC_CAPABILITIES.orderTypes, 'trailing_stop'],
  brackets: true,
  oca: true,
};

/** What both can carry: a CANARY order may take either route, so it may ask only for what both allow. */
export function intersectCapabilities(a: OrderCapabilities, b: OrderCapabilities): OrderCapabilities {
  return {
    orderTypes: a.orderTypes.filter((t) => b.orderTypes.includes(t)),
    tifs: a.tifs.filter((t) => b.tifs.includes(t)),
    extendedHours: a.extendedHours && b.extendedHours,
    brackets: a.brackets && b.brackets,
    oca: a.oca && b.oca,
    ocoExits: !!a.ocoExits && !!b.ocoExits,
    postOnly: !!a.postOnly && !!b.postOnly,
    reduceOnly: !!a.reduceOnly && !!b.reduceOnly,
    notional: !!a.notional && !!b.notional,
    // A constraint, not an ability: it holds if either route has it.
    exitsAsOneOrder: !!a.exitsAsOneOrder || !!b.exitsAsOneOrder,
    multiLeg: !!a.multiLeg && !!b.multiLeg,
  };
}

/**
 * What a venue accepts now, by its mode: the connector that carries the order decides (SHADOW is
 * the Paper engine whatever the real venue could do). `venue` is the running connector's own
 * capabilities (undefined when it declares none or is not running).
 */
export function capabilitiesForMode(mode: 'paper' | 'shadow' | 'canary' | 'live', venue: OrderCapabilities | undefined): OrderCapabilities {
  const own = venue ?? BASIC_CAPABILITIES;
  if (mode === 'shadow') return PAPER_CAPABILITIES;
  if (mode === 'canary') return intersectCapabilities(PAPER_CAPABILITIES, own);
  return own;
}

const TYPE_NAME: Record<OrderType, string> = {
  market: 'market orders',
  limit: 'limit orders',
  stop: 'stop orders',
  stop_limit: 'stop-limit orders',
  trailing_stop: 'trailing stops',
};

const TYPE_ALTERNATIVE: Record<OrderType, string> = {
  market: 'use a marketable limit order',
  limit: 'use a market order',
  stop: 'use a stop-limit order',
  stop_limit: 'use a stop order',
  trailing_stop: 'use a stop order and move its price as the market moves',
};

const TIF_ALTERNATIVE: Record<TimeInForce, string> = {
  day: 'use GTC and cancel it at the close',
  gtc: 'use a DAY order and place it again tomorrow',
  ioc: 'use a DAY limit order and cancel what does not fill',
  fok: 'use IOC: it fills what it can at once and cancels the rest',
  opg: 'use a DAY limit order at the open',
  cls: 'use a DAY limit order and place it shortly before the close',
  gtd: 'use GTC and cancel it when it should expire',
};

export interface CapabilityRefusal {
  readonly feature: 'type' | 'tif' | 'extendedHours' | 'bracket' | 'oca' | 'postOnly' | 'reduceOnly' | 'notional' | 'multiLeg';
  readonly message: string;
}

/**
 * The first thing in the ticket the venue cannot do, or undefined. `who` names the venue as the
 * trader knows it ("Paper", "ib in SHADOW mode (simulated by the Paper engine)"); `hint` is added
 * where another route could carry the order ("or arm LIVE to send it to the venue").
 */
export function capabilityRefusal(caps: OrderCapabilities, t: NormalizedTicket, who: string, hint = ''): CapabilityRefusal | undefined {
  const tail = hint ? `, ${hint}` : '';
  if (!caps.orderTypes.includes(t.type)) {
    return { feature: 'type', message: `${who} does not support ${TYPE_NAME[t.type]} — ${TYPE_ALTERNATIVE[t.type]}${tail}.` };
  }
  if (!caps.tifs.includes(t.tif)) {
    return { feature: 'tif', message: `${who} does not support ${t.tif.toUpperCase()} orders — ${TIF_ALTERNATIVE[t.tif]}${tail}.` };
  }
  if (t.extendedHours && !caps.extendedHours) {
    return { feature: 'extendedHours', message: `${who} does not support extended-hours orders — place the order for regular trading hours${tail}.` };
  }
  if (t.oco && !caps.ocoExits && !caps.oca) {
    return { feature: 'oca', message: `${who} does not support one-cancels-other exits — place the take-profit and the stop-loss as two orders and cancel the other when one fills${tail}.` };
  }
  if (!t.oco && (t.takeProfit || t.stopLoss) && !caps.brackets) {
    return { feature: 'bracket', message: `${who} does not support bracket orders — place the entry, then the take-profit and stop-loss as separate orders once it fills${tail}.` };
  }
  if (t.ocaGroup && !caps.oca) {
    return { feature: 'oca', message: `${who} does not support one-cancels-other groups — cancel the other orders yourself when one fills${tail}.` };
  }
  if (t.postOnly && !caps.postOnly) {
    return { feature: 'postOnly', message: `${who} does not support post-only orders — use a DAY limit order priced away from the opposite side of the book${tail}.` };
  }
  if (t.reduceOnly && !caps.reduceOnly) {
    return { feature: 'reduceOnly', message: `${who} does not support reduce-only orders — place an order no larger than your position on the opposite side${tail}.` };
  }
  if (t.legs !== undefined && !caps.multiLeg) return multiLegRefusal(who, tail);
  if (t.notional !== undefined && !caps.notional) {
    return { feature: 'notional', message: `${who} does not support orders sized in money (notional) — enter a quantity instead (amount ÷ price)${tail}.` };
  }
  return undefined;
}

/** A venue (or route) that cannot carry a multi-leg order, in the trader's words. `tail` as in capabilityRefusal. */
export function multiLegRefusal(who: string, tail = ''): CapabilityRefusal {
  return { feature: 'multiLeg', message: `${who} does not support multi-leg orders (spreads) — place each leg as its own order${tail}.` };
}
