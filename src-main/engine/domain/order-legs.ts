/**
 * Multi-leg orders: one order (one journal row, one client id) whose legs are separate instruments
 * traded together at one net price. Today the one shape allowed is the option vertical: two
 * options on the same underlying and expiry, both calls or both puts, different strikes, one
 * bought and one sold in equal ratio.
 *
 * Conventions (everywhere an order carries `legs`):
 * - the order's `instrumentId` / `symbol` is its first leg (the option picked from the chain);
 * - `qty` counts spreads: leg k trades `qty × ratio_k` contracts;
 * - `limitPrice` is the net price per spread, always positive; `side` says who pays it:
 *   `buy` = a net debit (the trader pays), `sell` = a net credit (the trader receives).
 *
 * Pure (no Node): the API schema, the engine and the renderer's ticket all use it.
 */
import type { Instrument } from './instrument';
import { parseSymbol } from './instrument';
import { Decimal, toStr, ZERO } from './money';
import type { Side } from './order';

export interface OrderLeg {
  readonly instrumentId: string;
  /** Display symbol (`AAPL:OPT:C:150:20260320`). */
  readonly symbol: string;
  readonly side: Side;
  /** Contracts of this leg per unit of the order's quantity (1 in a plain vertical). */
  readonly ratio: number;
}

/** What the vertical rule needs to know of an option leg. */
export interface OptionTerms {
  readonly underlying: string;
  readonly right: 'C' | 'P';
  readonly strike: string;
  readonly expiry: string;
}

export interface VerticalLegTerms {
  readonly symbol: string;
  readonly side: Side;
  readonly ratio: number;
  /** `null`: not an option. `undefined`: not known yet (an instrument id not resolved): skipped. */
  readonly option: OptionTerms | null | undefined;
}

/** The option terms a display symbol names; undefined when the text is not a display symbol (an instrument id). */
export function optionTermsOfSymbol(symbol: string): OptionTerms | null | undefined {
  const p = parseSymbol(symbol);
  if (!p) return undefined;
  return p.kind === 'option' ? { underlying: p.underlying, right: p.right, strike: p.strike, expiry: p.expiry } : null;
}

/** An option instrument's terms: its own fields, else what its display symbol names. Null for anything else. */
export function optionTermsOf(inst: Instrument): OptionTerms | null {
  if (inst.assetClass !== 'option') return null;
  if (inst.right && inst.strike !== undefined && inst.expiry) return { underlying: inst.base, right: inst.right, strike: inst.strike, expiry: inst.expiry };
  return optionTermsOfSymbol(inst.symbol) ?? null;
}

const RIGHT = { C: 'call', P: 'put' } as const;

/**
 * Why these legs are not a vertical spread, in the trader's words; undefined when they are (or
 * when what is not known yet could still make them one).
 */
export function verticalProblem(legs: readonly VerticalLegTerms[]): string | undefined {
  if (legs.length !== 2) return `A vertical spread has exactly two legs (got ${legs.length}): pick one option to buy and one to sell.`;
  const [a, b] = legs as [VerticalLegTerms, VerticalLegTerms];
  if (a.side === b.side) return `A vertical buys one option and sells the other: both legs are ${a.side}s. Make one leg a buy and the other a sell.`;
  if (a.ratio !== b.ratio) return `A vertical trades both legs in equal ratio (got ${a.ratio} and ${b.ratio}). Use the order quantity for the number of spreads.`;
  for (const l of legs) if (l.option === null) return `${l.symbol} is not an option: a vertical is two options on the same underlying.`;
  if (!a.option || !b.option) return undefined;
  const x = a.option;
  const y = b.option;
  if (x.underlying !== y.underlying) return `Both legs of a vertical are on the same underlying (got ${x.underlying} and ${y.underlying}).`;
  if (x.expiry !== y.expiry) return `Both legs of a vertical expire on the same day (got ${x.expiry} and ${y.expiry}); a spread across expiries is a calendar, which is not supported.`;
  if (x.right !== y.right) return `A vertical's legs are both calls or both puts (got a ${RIGHT[x.right]} and a ${RIGHT[y.right]}).`;
  if (new Decimal(x.strike).eq(y.strike)) return `The two legs of a vertical have different strikes (both are ${x.strike}): pick the other strike for the second leg.`;
  return undefined;
}

/**
 * Debit (`buy`) or credit (`sell`): a vertical costs money when its long leg is the more valuable
 * one: the lower-strike call, or the higher-strike put.
 */
export function verticalSide(legs: readonly { readonly side: Side; readonly option: OptionTerms }[]): Side {
  const long = legs.find((l) => l.side === 'buy')!.option;
  const short = legs.find((l) => l.side === 'sell')!.option;
  const longLower = new Decimal(long.strike).lt(short.strike);
  return (long.right === 'C') === longLower ? 'buy' : 'sell';
}

/** The distance between the two strikes (what a vertical is worth at most, per share). */
export function verticalWidth(legs: readonly { readonly option: OptionTerms }[]): Decimal {
  return new Decimal(legs[0]!.option.strike).minus(legs[1]!.option.strike).abs();
}

/**
 * The most a vertical can lose per spread, per share (× multiplier × quantity for money): a debit
 * spread loses at most what was paid (both legs expire worthless relative to each other); a
 * credit spread loses at most the width less the credit received (the short leg's assignment
 * is covered by the long leg at the other strike). Risk checks this as the order's notional,
 * rather than the net price, so a credit spread is not judged by the small credit it brings in.
 */
export function verticalMaxLoss(side: Side, netPrice: Decimal, width: Decimal): Decimal {
  return side === 'buy' ? netPrice : width.minus(netPrice);
}

/** +1 for a leg that trades in the order's direction (what the net price buys or sells), −1 for the other. */
function sign(orderSide: Side, leg: { readonly side: Side }): number {
  return leg.side === orderSide ? 1 : -1;
}

export interface LegQuote {
  readonly bid?: string | undefined;
  readonly ask?: string | undefined;
}

/**
 * The spread's own market from its legs' quotes, as the order's side sees it: the combination
 * Σ ±ratio × leg (plus for legs on the order's side) is bought at its ask (the plus legs' asks
 * less the minus legs' bids) and sold at its bid. Undefined sides when a leg has no quote.
 */
export function legsQuote(orderSide: Side, legs: readonly OrderLeg[], quoteOf: (instrumentId: string) => LegQuote | undefined): { bid?: string; ask?: string } {
  let bid: Decimal | undefined = ZERO;
  let ask: Decimal | undefined = ZERO;
  for (const l of legs) {
    const q = quoteOf(l.instrumentId);
    const s = sign(orderSide, l);
    const forBid = s > 0 ? q?.bid : q?.ask;
    const forAsk = s > 0 ? q?.ask : q?.bid;
    bid = bid && forBid ? bid.plus(new Decimal(forBid).mul(l.ratio * s)) : undefined;
    ask = ask && forAsk ? ask.plus(new Decimal(forAsk).mul(l.ratio * s)) : undefined;
  }
  return { ...(bid ? { bid: toStr(bid) } : {}), ...(ask ? { ask: toStr(ask) } : {}) };
}

export interface LegFill {
  readonly instrumentId: string;
  readonly qty: string;
  readonly price: string;
}

/**
 * A multi-leg order's progress from its legs' fills: a spread is filled when each leg has filled
 * its ratio, so the filled quantity is the least of the legs' (filled ÷ ratio); the average price
 * is the net of the legs' averages (Σ ±ratio × average), positive as the order's limit is.
 */
export function legFillSummary(orderSide: Side, legs: readonly OrderLeg[], fills: readonly LegFill[]): { filledQty: string; avgFillPrice: string } {
  let units: Decimal | undefined;
  let net = ZERO;
  for (const l of legs) {
    let q = ZERO;
    let n = ZERO;
    for (const f of fills) {
      if (f.instrumentId !== l.instrumentId) continue;
      q = q.plus(f.qty);
      n = n.plus(new Decimal(f.qty).mul(f.price));
    }
    const u = q.div(l.ratio);
    units = units === undefined || u.lt(units) ? u : units;
    if (q.gt(0)) net = net.plus(n.div(q).mul(l.ratio * sign(orderSide, l)));
  }
  const filled = units ?? ZERO;
  return { filledQty: toStr(filled), avgFillPrice: filled.isZero() ? '0' : toStr(net.toDecimalPlaces(12)) };
}

/** Two leg lists are the same legs (idempotency: a repeated client id must repeat them). */
export function sameLegs(a: readonly OrderLeg[] | undefined, b: readonly OrderLeg[] | undefined): boolean {
  if (!a || !b) return !a && !b;
  return a.length === b.length && a.every((l, k) => l.instrumentId === b[k]!.instrumentId && l.side === b[k]!.side && l.ratio === b[k]!.ratio);
}
