/** ccxt balances, positions and tickers → ours, and the venue's preview from them (pure). */
import Decimal from 'decimal.js';
import type { Instrument } from '../../domain/instrument';
import { toStr } from '../../domain/money';
import type { Balance, BookLevel, BookSnapshot, Position, Quote } from '../../domain/order';
import type { NormalizedTicket } from '../../domain/order-validation';
import type { VenuePreview } from '../venue-port';
import { dayStatsFrom } from '../../market/live-quotes';
import { decOf } from './ccxt-mapping';

export interface CcxtBalanceLike {
  readonly total?: Readonly<Record<string, number | undefined>>;
  readonly free?: Readonly<Record<string, number | undefined>>;
}

export interface CcxtPositionLike {
  readonly symbol: string;
  readonly side?: string | undefined;
  readonly contracts?: number | undefined;
  readonly contractSize?: number | undefined;
  readonly entryPrice?: number | undefined;
  readonly markPrice?: number | undefined;
  readonly unrealizedPnl?: number | undefined;
  readonly realizedPnl?: number | undefined;
  readonly liquidationPrice?: number | string | undefined;
  readonly leverage?: number | string | undefined;
}

export interface CcxtTickerLike {
  readonly bid?: number | undefined;
  readonly ask?: number | undefined;
  readonly bidVolume?: number | undefined;
  readonly askVolume?: number | undefined;
  readonly last?: number | undefined;
  /** The exchange's day (most: rolling 24 h) statistics, as ccxt unifies them. */
  readonly high?: number | undefined;
  readonly low?: number | undefined;
  readonly baseVolume?: number | undefined;
  readonly previousClose?: number | undefined;
}

/** Every currency with a non-zero total. */
export function balancesFrom(venue: string, b: CcxtBalanceLike): Balance[] {
  return Object.entries(b.total ?? {})
    .filter(([, t]) => t !== undefined && t !== 0)
    .map(([asset, t]) => ({ venue, asset, total: decOf(t), available: decOf(b.free?.[asset] ?? t) }));
}

/** A figure ccxt reports only when the exchange has one; 0 or absent is "none" (a liquidation price of 0: not at risk). */
const positive = <K extends string>(k: K, v: number | string | undefined | null): Partial<Record<K, string>> => {
  const d = decOf(v ?? undefined);
  return new Decimal(d).gt(0) ? ({ [k]: d } as Partial<Record<K, string>>) : {};
};

/** Open positions (signed: short is negative) on instruments we list; liquidation price and leverage where reported. */
export function positionsFrom(venue: string, ps: readonly CcxtPositionLike[], find: (ccxtSymbol: string) => Instrument | undefined): Position[] {
  const out: Position[] = [];
  for (const p of ps) {
    const inst = find(p.symbol);
    const size = new Decimal(decOf(p.contracts));
    if (!inst || size.isZero()) continue;
    out.push({
      venue,
      instrumentId: inst.id,
      symbol: inst.symbol,
      qty: toStr(p.side === 'short' ? size.neg() : size),
      avgPrice: decOf(p.entryPrice),
      ...(p.markPrice !== undefined ? { mark: decOf(p.markPrice) } : {}),
      ...(p.unrealizedPnl !== undefined ? { unrealizedPnl: decOf(p.unrealizedPnl) } : {}),
      realizedPnl: decOf(p.realizedPnl),
      ...positive('liquidationPrice', p.liquidationPrice),
      ...positive('leverage', p.leverage),
    });
  }
  return out;
}

export function quoteFrom(instrumentId: string, t: CcxtTickerLike, ts: number): Quote {
  const opt = (k: keyof Quote, v: number | undefined) => (v !== undefined && v !== null && Number.isFinite(v) ? { [k]: decOf(v) } : {});
  return {
    instrumentId,
    ...opt('bid', t.bid),
    ...opt('bidSize', t.bidVolume),
    ...opt('ask', t.ask),
    ...opt('askSize', t.askVolume),
    ...opt('last', t.last),
    // A price of 0 is an exchange saying "none" (no trade yet), not a price.
    ...dayStatsFrom({ prevClose: t.previousClose, high: t.high, low: t.low, volume: t.baseVolume }),
    ts,
  };
}

/** The venue's estimate: the limit (or the touch for a market order) times the quantity, against the quote currency's free balance. */
export function ccxtPreview(inst: Instrument, t: NormalizedTicket, quote: Quote | undefined, balances: readonly Balance[] | undefined): VenuePreview {
  const touch = t.side === 'buy' ? quote?.ask : quote?.bid;
  const price = t.limitPrice ?? t.stopPrice ?? touch ?? quote?.last;
  const notional = price !== undefined ? new Decimal(price).mul(t.qty).mul(inst.multiplier) : undefined;
  const free = balances?.find((b) => b.asset === inst.quote)?.available;
  const spot = inst.assetClass === 'crypto_spot';
  const after = free !== undefined && notional && spot && t.side === 'buy' ? new Decimal(free).minus(notional) : undefined;
  return {
    estPrice: price ?? null,
    estNotional: notional ? toStr(notional) : null,
    estFee: null,
    estTotal: notional ? toStr(notional) : null,
    currency: inst.quote,
    buyingPowerBefore: free ?? null,
    buyingPowerAfter: after ? toStr(after) : null,
    warnings: price === undefined ? [{ code: 'no_quote', message: `No price for ${inst.symbol} yet; the estimate is missing.` }] : [],
    violations: after?.isNegative() ? [{ code: 'insufficient_funds', message: `Needs ${toStr(notional!)} ${inst.quote}; ${free} is free.` }] : [],
  };
}

/** A ccxt order book ([price, amount] rows) as ours. */
export function bookFrom(instrumentId: string, b: { readonly bids: readonly unknown[][]; readonly asks: readonly unknown[][]; readonly timestamp?: number | undefined }, now: number): BookSnapshot {
  const levels = (rows: readonly unknown[][]): BookLevel[] =>
    rows.filter((r) => typeof r[0] === 'number' && typeof r[1] === 'number').map((r) => ({ price: decOf(r[0] as number), qty: decOf(r[1] as number) }));
  return { instrumentId, bids: levels(b.bids), asks: levels(b.asks), ts: b.timestamp ?? now };
}

/** The touch of a book as a quote. */
export function quoteOfBook(b: BookSnapshot): Quote {
  const bid = b.bids[0];
  const ask = b.asks[0];
  return { instrumentId: b.instrumentId, ...(bid ? { bid: bid.price, bidSize: bid.qty } : {}), ...(ask ? { ask: ask.price, askSize: ask.qty } : {}), ts: b.ts };
}
