/**
 * Coinbase products (`GET /products`) as instruments: `BTC-USD` ↔ `BTC/USD`, tick from
 * `price_increment`, lot from `base_increment`, minimums from `base_min_size` / `quote_min_size`.
 * Spot only (FUTURE products are left out). A product that is trading-disabled, cancel-only,
 * limit-only or post-only keeps its flags so the preview and submit can say so.
 */
import { z } from 'zod';
import type { Instrument } from '../../domain/instrument';

export const WireProduct = z.object({
  product_id: z.string(),
  base_currency_id: z.string().optional(),
  quote_currency_id: z.string().optional(),
  base_increment: z.string(),
  quote_increment: z.string().optional(),
  price_increment: z.string(),
  base_min_size: z.string(),
  base_max_size: z.string().optional(),
  quote_min_size: z.string().optional(),
  quote_max_size: z.string().optional(),
  price: z.string().optional(),
  product_type: z.string().optional(),
  status: z.string().optional(),
  trading_disabled: z.boolean().optional(),
  cancel_only: z.boolean().optional(),
  limit_only: z.boolean().optional(),
  post_only: z.boolean().optional(),
  is_disabled: z.boolean().optional(),
});
export type WireProduct = z.infer<typeof WireProduct>;

/** What an Instrument has no field for, enforced at submit and shown by the preview. */
export interface ProductFlags {
  readonly tradingDisabled: boolean;
  readonly cancelOnly: boolean;
  readonly limitOnly: boolean;
  readonly postOnly: boolean;
  readonly quoteMinSize: string;
  readonly baseMaxSize?: string;
}

/** `BTC-USD` → `BTC/USD`. */
export function displaySymbol(productId: string): string {
  return productId.replace('-', '/');
}

/** `BTC/USD` (or `BTC-USD`) → `BTC-USD`. */
export function productId(symbol: string): string {
  return symbol.trim().toUpperCase().replace('/', '-');
}

export function productToInstrument(venue: string, p: WireProduct): Instrument | undefined {
  if ((p.product_type ?? 'SPOT') !== 'SPOT') return undefined;
  const [base, quote] = p.product_id.split('-');
  if (!base || !quote) return undefined;
  return {
    id: `${venue}:${p.product_id}`,
    venue,
    venueSymbol: p.product_id,
    symbol: displaySymbol(p.product_id),
    assetClass: 'crypto_spot',
    description: `${p.base_currency_id || base} / ${p.quote_currency_id || quote} spot`,
    base,
    quote,
    tickSize: p.price_increment,
    lotSize: p.base_increment,
    minQty: p.base_min_size,
    minNotional: p.quote_min_size ?? '0',
    multiplier: '1',
    fractional: true,
    session: 'always',
  };
}

export function productFlags(p: WireProduct): ProductFlags {
  return {
    tradingDisabled: p.trading_disabled === true || p.is_disabled === true || (p.status !== undefined && p.status !== 'online'),
    cancelOnly: p.cancel_only === true,
    limitOnly: p.limit_only === true,
    postOnly: p.post_only === true,
    quoteMinSize: p.quote_min_size ?? '0',
    ...(p.base_max_size ? { baseMaxSize: p.base_max_size } : {}),
  };
}

/** Trading state of a product in words, or undefined when it trades normally. */
export function tradingBlock(f: ProductFlags, symbol: string): string | undefined {
  if (f.tradingDisabled) return `Coinbase has disabled trading in ${symbol}.`;
  if (f.cancelOnly) return `${symbol} is cancel-only at Coinbase: new orders are refused, working orders can be cancelled.`;
  return undefined;
}

export class CoinbaseInstruments {
  private readonly byKey = new Map<string, Instrument>();
  private readonly flags = new Map<string, ProductFlags>();
  private list: Instrument[] = [];

  load(venue: string, products: readonly WireProduct[]): void {
    this.byKey.clear();
    this.flags.clear();
    this.list = [];
    for (const p of products) {
      const inst = productToInstrument(venue, p);
      if (!inst) continue;
      this.list.push(inst);
      this.flags.set(inst.id, productFlags(p));
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

  flagsOf(instrumentId: string): ProductFlags | undefined {
    return this.flags.get(instrumentId);
  }
}
