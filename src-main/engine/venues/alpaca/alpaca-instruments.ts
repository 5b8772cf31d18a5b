/**
 * Alpaca assets (`GET /v2/assets`) as instruments, with the normalized display symbols:
 * us_equity `AAPL` (ETFs marked by their name, the only place Alpaca says so), crypto `BTC/USD`
 * (Alpaca's own spelling; `BTCUSD` is accepted as input). Both directions round-trip.
 */
import type { Instrument } from '../../domain/instrument';

export interface WireAsset {
  readonly id: string;
  readonly class: string;
  readonly exchange: string;
  readonly symbol: string;
  readonly name: string;
  readonly status: string;
  readonly tradable: boolean;
  readonly marginable?: boolean;
  readonly shortable: boolean;
  readonly easy_to_borrow?: boolean;
  readonly borrow_status?: string;
  readonly fractionable: boolean;
  readonly min_order_size?: string;
  readonly min_trade_increment?: string;
  readonly price_increment?: string;
}

/** What an Instrument has no field for, kept for the preview's guards. */
export interface AssetFlags {
  readonly shortable: boolean;
  readonly easyToBorrow: boolean;
  readonly marginable: boolean;
}

export function assetToInstrument(venue: string, a: WireAsset): Instrument | undefined {
  if (!a.tradable || a.status !== 'active') return undefined;
  if (a.class === 'crypto') {
    const [base, quote] = a.symbol.split('/');
    if (!base || !quote) return undefined;
    const step = a.min_trade_increment ?? '0.000000001';
    return {
      id: `${venue}:${a.symbol}`,
      venue,
      venueSymbol: a.symbol,
      symbol: `${base}/${quote}`,
      assetClass: 'crypto_spot',
      description: a.name.replace(/\s+/g, ' '),
      base,
      quote,
      tickSize: a.price_increment ?? '0.01',
      lotSize: step,
      minQty: a.min_order_size ?? step,
      minNotional: '0',
      multiplier: '1',
      fractional: true,
      session: 'always',
    };
  }
  if (a.class !== 'us_equity') return undefined;
  const etf = /\bETF\b/i.test(a.name);
  // Fractional shares go to 9 decimals with a $1 minimum notional; others trade whole shares.
  return {
    id: `${venue}:${a.symbol}`,
    venue,
    venueSymbol: a.symbol,
    symbol: a.symbol,
    assetClass: etf ? 'etf' : 'equity',
    description: a.name,
    base: a.symbol,
    quote: 'USD',
    tickSize: '0.01',
    lotSize: a.fractionable ? '0.000000001' : '1',
    minQty: a.fractionable ? '0.000000001' : '1',
    minNotional: a.fractionable ? '1' : '0',
    multiplier: '1',
    fractional: a.fractionable,
    session: 'us_equity',
  };
}

export function assetFlags(a: WireAsset): AssetFlags {
  const etb = a.borrow_status !== undefined ? a.borrow_status === 'easy_to_borrow' : a.easy_to_borrow === true;
  return { shortable: a.shortable, easyToBorrow: etb, marginable: a.marginable === true };
}

/** The instrument a display symbol, Alpaca symbol or instrument id names. */
export class AlpacaInstruments {
  private readonly byKey = new Map<string, Instrument>();
  private readonly flags = new Map<string, AssetFlags>();
  private list: Instrument[] = [];

  load(venue: string, assets: readonly WireAsset[]): void {
    this.byKey.clear();
    this.flags.clear();
    this.list = [];
    for (const a of assets) {
      const inst = assetToInstrument(venue, a);
      if (!inst) continue;
      this.list.push(inst);
      this.flags.set(inst.id, assetFlags(a));
      for (const k of [inst.id, inst.symbol, inst.venueSymbol, inst.venueSymbol.replace('/', '')]) this.byKey.set(k.toUpperCase(), inst);
    }
  }

  all(): readonly Instrument[] {
    return this.list;
  }

  find(idOrSymbol: string): Instrument | undefined {
    const k = idOrSymbol.trim().toUpperCase();
    return this.byKey.get(k) ?? this.byKey.get(k.replace(/^[^:]+:/, ''));
  }

  flagsOf(instrumentId: string): AssetFlags | undefined {
    return this.flags.get(instrumentId);
  }
}
