/**
 * Order terms ccxt does not unify, per exchange, from its documentation or ccxt's own `has`:
 * - good-till-date: each exchange names its own expiry parameter, so GTD is offered only where the
 *   parameter is documented here; elsewhere it is refused before journaling (the venue does not
 *   declare GTD). Where ccxt carries it (checked in ccxt 4.5.84's source):
 *   - Kraken AddOrder: `timeinforce=GTD` with `expiretm`, a unix time in seconds
 *     (https://docs.kraken.com/api-reference/trading/add-order);
 *   - Binance USDⓈ-M futures only: ccxt.binance's `features` set timeInForce GTD for linear swaps
 *     (false for spot), and its createOrderRequest passes `timeInForce: 'GTD'` and `goodTillDate`
 *     (UTC ms) through to POST /fapi/v1/order (Binance error -5040: goodTillDate must be more than
 *     600 s ahead, answered as the venue's refusal);
 *   - not declared: Bybit, OKX and Hyperliquid (no GTD in ccxt's features; Hyperliquid's
 *     `expiresAfter` expires the signed action, not the order), KuCoin (its GTT takes
 *     `cancelAfter`, seconds counted from when the order reaches the matching engine — a
 *     duration, not the time asked for);
 * - notional (a quote-currency amount): ccxt's `createMarketBuyOrderWithCost` /
 *   `createMarketSellOrderWithCost`, where `has` says the exchange carries them — market orders on
 *   spot markets only.
 */
import type { Order, Side } from '../../domain/order';
import { VenueRejectedError } from '../venue-port';

interface GtdRule {
  /** The request params for an order good till `expireAt` (UTC ms). */
  readonly params: (expireAt: number) => Record<string, unknown>;
  /** Only derivatives markets take it. */
  readonly contractsOnly?: boolean;
}

const GTD: Readonly<Record<string, GtdRule>> = {
  // Whole seconds, rounded down: the order never outlives the time asked for.
  kraken: { params: (t) => ({ timeInForce: 'GTD', expiretm: String(Math.floor(t / 1000)) }) },
  binance: { params: (t) => ({ timeInForce: 'GTD', goodTillDate: t }), contractsOnly: true },
};

/** True when the exchange takes GTD on the markets loaded (`contracts`: some are derivatives). */
export function gtdSupported(exchange: string, contracts = false): boolean {
  const rule = GTD[exchange];
  return rule !== undefined && (!rule.contractsOnly || contracts);
}

/** The expiry params for a GTD order on a spot (`contract` false) or derivatives market, or a refusal naming what to use instead. */
export function gtdParams(exchange: string, order: Pick<Order, 'expireAt' | 'symbol'>, contract = false): Record<string, unknown> {
  const rule = GTD[exchange];
  if (!rule) throw new VenueRejectedError(`Good-till-date orders are not available on ${exchange} through ccxt; use GTC and cancel it yourself.`, 'unsupported_order');
  if (rule.contractsOnly && !contract)
    throw new VenueRejectedError(`${exchange} takes good-till-date orders on futures only; ${order.symbol} is spot: use GTC and cancel it yourself.`, 'unsupported_order');
  if (order.expireAt === undefined) throw new VenueRejectedError('A good-till-date order needs an expiry time (expireAt).', 'invalid_order');
  return rule.params(order.expireAt);
}

/** The sides on which the exchange takes a market order sized in the quote currency. */
export function notionalSides(has: Readonly<Record<string, unknown>>): Side[] {
  const yes = (k: string) => has[k] === true || has[k] === 'emulated';
  return [...(yes('createMarketBuyOrderWithCost') ? (['buy'] as const) : []), ...(yes('createMarketSellOrderWithCost') ? (['sell'] as const) : [])];
}

/** A notional order checked against what the exchange carries; the quote amount as the decimal it is. */
export function checkNotional(order: Pick<Order, 'type' | 'side' | 'symbol' | 'notional'>, contract: boolean, sides: readonly Side[], exchange: string): string {
  const n = order.notional!;
  if (order.type !== 'market') throw new VenueRejectedError('A notional (quote-amount) order must be a market order; give a quantity for a limit or stop order.', 'unsupported_order');
  if (contract) throw new VenueRejectedError(`Notional orders are for spot markets; ${order.symbol} is a derivative, give a quantity in contracts.`, 'unsupported_order');
  if (!sides.includes(order.side)) throw new VenueRejectedError(`${exchange} takes no ${order.side} order sized in the quote currency through ccxt; give a quantity instead.`, 'unsupported_order');
  return n;
}
