/**
 * Binance symbols (GET /api/v3/exchangeInfo) as instruments: PRICE_FILTER.tickSize is the tick,
 * LOT_SIZE.stepSize / minQty the lot and minimum, NOTIONAL.minNotional (MIN_NOTIONAL on older
 * answers) the minimum value. Only TRADING spot symbols are kept.
 */
import { z } from 'zod';
import type { Instrument } from '../../domain/instrument';
import { Decimal, toStr } from '../../domain/money';

const filter = z
  .object({
    filterType: z.string(),
    tickSize: z.string().optional(),
    minPrice: z.string().optional(),
    maxPrice: z.string().optional(),
    stepSize: z.string().optional(),
    minQty: z.string().optional(),
    maxQty: z.string().optional(),
    minNotional: z.string().optional(),
    applyMinToMarket: z.boolean().optional(),
  })
  .passthrough();

export const wireSymbol = z
  .object({
    symbol: z.string(),
    status: z.string(),
    baseAsset: z.string(),
    quoteAsset: z.string(),
    orderTypes: z.array(z.string()).default([]),
    isSpotTradingAllowed: z.boolean().optional(),
    amendAllowed: z.boolean().optional(),
    filters: z.array(filter),
  })
  .passthrough();
export type WireSymbol = z.infer<typeof wireSymbol>;
export const exchangeInfo = z.object({ symbols: z.array(wireSymbol) }).passthrough();

/** The limits Binance checks on an order, from its filters (absent filter = no limit). */
export interface SymbolFilters {
  readonly tickSize?: string;
  readonly minPrice?: string;
  readonly maxPrice?: string;
  readonly stepSize?: string;
  readonly minQty?: string;
  readonly maxQty?: string;
  readonly minNotional?: string;
  readonly applyMinToMarket: boolean;
  readonly orderTypes: readonly string[];
  /** PUT /api/v3/order/amend/keepPriority is enabled on the symbol (exchangeInfo `amendAllowed`). */
  readonly amendAllowed: boolean;
}

const pos = (v: string | undefined): string | undefined => (v !== undefined && new Decimal(v).gt(0) ? toStr(new Decimal(v)) : undefined);

export function filtersOf(s: WireSymbol): SymbolFilters {
  const f = (t: string) => s.filters.find((x) => x.filterType === t);
  const price = f('PRICE_FILTER');
  const lot = f('LOT_SIZE');
  const notional = f('NOTIONAL') ?? f('MIN_NOTIONAL');
  const pick = (k: string, v: string | undefined) => (v !== undefined ? { [k]: v } : {});
  return {
    ...pick('tickSize', pos(price?.tickSize)),
    ...pick('minPrice', pos(price?.minPrice)),
    ...pick('maxPrice', pos(price?.maxPrice)),
    ...pick('stepSize', pos(lot?.stepSize)),
    ...pick('minQty', pos(lot?.minQty)),
    ...pick('maxQty', pos(lot?.maxQty)),
    ...pick('minNotional', pos(notional?.minNotional)),
    applyMinToMarket: notional?.applyMinToMarket ?? notional?.filterType === 'MIN_NOTIONAL',
    orderTypes: s.orderTypes,
    amendAllowed: s.amendAllowed === true,
  };
}

export function symbolToInstrument(venue: string, s: WireSymbol): Instrument | undefined {
  if (s.status !== 'TRADING' || s.isSpotTradingAllowed === false) return undefined;
  const f = filtersOf(s);
  return {
    id: `${venue}:${s.symbol}`,
    venue,
    venueSymbol: s.symbol,
    symbol: `${s.baseAsset}/${s.quoteAsset}`,
    assetClass: 'crypto_spot',
    description: `${s.baseAsset} / ${s.quoteAsset} (Binance spot)`,
    base: s.baseAsset,
    quote: s.quoteAsset,
    tickSize: f.tickSize ?? '0.00000001',
    lotSize: f.stepSize ?? '0.00000001',
    minQty: f.minQty ?? f.stepSize ?? '0.00000001',
    minNotional: f.minNotional ?? '0',
    multiplier: '1',
    fractional: true,
    session: 'always',
  };
}

/** The instrument a display symbol (BTC/USDT), Binance symbol (BTCUSDT) or id names, with its filters. */
export class BinanceInstruments {
  private readonly byKey = new Map<string, Instrument>();
  private readonly filters = new Map<string, SymbolFilters>();
  private list: Instrument[] = [];

  load(venue: string, symbols: readonly WireSymbol[]): void {
    this.byKey.clear();
    this.filters.clear();
    this.list = [];
    for (const s of symbols) {
      const inst = symbolToInstrument(venue, s);
      if (!inst) continue;
      this.list.push(inst);
      this.filters.set(inst.id, filtersOf(s));
      for (const k of [inst.id, inst.symbol, inst.venueSymbol]) this.byKey.set(k.toUpperCase(), inst);
    }
  }

  all(): readonly Instrument[] {
    return this.list;
  }

  find(idOrSymbol: string): Instrument | undefined {
    const k = idOrSymbol.trim().toUpperCase();
    return this.byKey.get(k) ?? this.byKey.get(k.replace(/^[^:]+:/, ''));
  }

  filtersOf(instrumentId: string): SymbolFilters | undefined {
    return this.filters.get(instrumentId);
  }
}
