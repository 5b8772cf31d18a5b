/**
 * Binance's symbol filters (filters.md) checked on our side before anything is journaled or
 * sent, each refusal naming the filter Binance would quote (-1013 "Filter failure: …") and the
 * value that would pass.
 */
import { Decimal, toStr } from '../../domain/money';
import type { SymbolFilters } from './binance-instruments';

export interface FilterTerms {
  readonly symbol: string;
  readonly type: string;
  readonly qty: string;
  readonly price?: string | undefined;
  readonly stopPrice?: string | undefined;
  /** quoteOrderQty of a MARKET order sized in the quote asset. */
  readonly quoteQty?: string | undefined;
  /** The price a market order is expected to trade at (for NOTIONAL), when known. */
  readonly refPrice?: string | undefined;
}

const mult = (v: Decimal, step: string): boolean => v.mod(step).isZero();
const down = (v: Decimal, step: string): string => toStr(v.div(step).floor().mul(step));

/** The first filter `t` fails, in words a trader can act on, or undefined. */
export function filterProblem(f: SymbolFilters, t: FilterTerms): string | undefined {
  for (const [name, raw] of [
    ['price', t.price],
    ['stop price', t.stopPrice],
  ] as const) {
    if (raw === undefined) continue;
    const p = new Decimal(raw);
    if (f.minPrice && p.lt(f.minPrice)) return `PRICE_FILTER: the ${name} ${raw} is below ${t.symbol}'s minimum price ${f.minPrice}.`;
    if (f.maxPrice && p.gt(f.maxPrice)) return `PRICE_FILTER: the ${name} ${raw} is above ${t.symbol}'s maximum price ${f.maxPrice}.`;
    if (f.tickSize && !mult(p, f.tickSize)) return `PRICE_FILTER: the ${name} ${raw} is not a multiple of ${t.symbol}'s tick size ${f.tickSize}; use ${down(p, f.tickSize)}.`;
  }
  if (t.quoteQty === undefined) {
    const q = new Decimal(t.qty);
    if (f.minQty && q.lt(f.minQty)) return `LOT_SIZE: the quantity ${t.qty} is below ${t.symbol}'s minimum ${f.minQty}.`;
    if (f.maxQty && q.gt(f.maxQty)) return `LOT_SIZE: the quantity ${t.qty} is above ${t.symbol}'s maximum ${f.maxQty}.`;
    if (f.stepSize && !mult(q, f.stepSize)) return `LOT_SIZE: the quantity ${t.qty} is not a multiple of ${t.symbol}'s step size ${f.stepSize}; use ${down(q, f.stepSize)}.`;
  }
  const market = t.type === 'MARKET';
  if (f.minNotional && (!market || f.applyMinToMarket)) {
    const px = t.price ?? t.refPrice;
    const value = t.quoteQty !== undefined ? new Decimal(t.quoteQty) : px !== undefined ? new Decimal(t.qty).mul(px) : undefined;
    if (value?.lt(f.minNotional)) return `NOTIONAL: the order is worth ${toStr(value)} ${t.symbol}'s quote asset, below the minimum ${f.minNotional}.`;
  }
  return undefined;
}
