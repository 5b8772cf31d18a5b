/**
 * ccxt markets (from `loadMarkets`) → our instruments: the ccxt unified symbol is the venue symbol
 * (ids can repeat across market types — Bybit's spot and perpetual are both `BTCUSDT` — the
 * unified symbol cannot), our display symbol comes from ccxt-symbols.ts, tick and lot from the
 * market's precision (ccxt's TICK_SIZE or DECIMAL_PLACES mode), minimums from its limits.
 */
import Decimal from 'decimal.js';
import type { AssetClass, Instrument } from '../../domain/instrument';
import { toStr } from '../../domain/money';
import { decOf } from './ccxt-mapping';
import { toOurSymbol } from './ccxt-symbols';

/** ccxt's precision modes (base/functions/number: DECIMAL_PLACES = 2, SIGNIFICANT_DIGITS = 3, TICK_SIZE = 4). */
export const DECIMAL_PLACES = 2;
export const TICK_SIZE = 4;

/** The fields of a ccxt Market we read. */
export interface CcxtMarketLike {
  readonly id: string;
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly settle?: string | undefined;
  readonly type?: string | undefined;
  readonly spot?: boolean | undefined;
  readonly contract?: boolean | undefined;
  readonly active?: boolean | undefined;
  readonly contractSize?: number | undefined;
  readonly expiryDatetime?: string | undefined;
  readonly strike?: number | undefined;
  readonly optionType?: string | undefined;
  readonly precision?: { readonly amount?: number | undefined; readonly price?: number | undefined };
  readonly limits?: { readonly amount?: { readonly min?: number | undefined }; readonly cost?: { readonly min?: number | undefined } };
}

/** A precision value as a step: itself in TICK_SIZE mode, 10^-n in DECIMAL_PLACES mode; `fallback` when absent. */
export function stepOf(p: number | undefined, mode: number, fallback: string): string {
  if (p === undefined || p === null || !Number.isFinite(p) || p < 0) return fallback;
  if (mode === DECIMAL_PLACES) return toStr(new Decimal(10).pow(-Math.round(p)));
  if (p === 0) return fallback;
  return decOf(p);
}

function assetClassOf(m: CcxtMarketLike): AssetClass {
  switch (m.type) {
    case 'swap':
      return 'perpetual';
    case 'future':
      return 'future';
    case 'option':
      return 'option';
    default:
      return 'crypto_spot';
  }
}

export function instrumentOf(venue: string, m: CcxtMarketLike, mode: number): Instrument {
  const lot = stepOf(m.precision?.amount, mode, '0.00000001');
  const expiry = m.expiryDatetime ? m.expiryDatetime.slice(0, 10).replace(/-/g, '') : undefined;
  const right = m.optionType === 'call' ? 'C' : m.optionType === 'put' ? 'P' : undefined;
  return {
    id: `${venue}:${m.symbol}`,
    venue,
    venueSymbol: m.symbol,
    symbol: toOurSymbol(m.symbol),
    assetClass: assetClassOf(m),
    description: `${m.base}/${m.quote} ${m.type ?? 'spot'}${m.settle && m.settle !== m.quote ? ` settled in ${m.settle}` : ''}`,
    base: m.base,
    quote: m.settle ?? m.quote,
    tickSize: stepOf(m.precision?.price, mode, '0.00000001'),
    lotSize: lot,
    minQty: m.limits?.amount?.min !== undefined ? decOf(m.limits.amount.min) : lot,
    minNotional: decOf(m.limits?.cost?.min),
    multiplier: m.contract && m.contractSize !== undefined ? decOf(m.contractSize) : '1',
    fractional: true,
    session: 'always',
    ...(expiry ? { expiry } : {}),
    ...(m.strike !== undefined ? { strike: decOf(m.strike) } : {}),
    ...(right ? { right } : {}),
  };
}

/** The exchange's markets by our id, display symbol and ccxt symbol; markets with symbols outside our scheme are skipped. */
export class CcxtInstruments {
  private readonly byKey = new Map<string, Instrument>();
  private list: Instrument[] = [];
  private readonly contracts = new Set<string>();

  load(venue: string, markets: readonly CcxtMarketLike[], mode: number): void {
    this.byKey.clear();
    this.contracts.clear();
    this.list = [];
    for (const m of markets) {
      if (m.active === false) continue;
      let inst: Instrument;
      try {
        inst = instrumentOf(venue, m, mode);
      } catch {
        continue;
      }
      this.list.push(inst);
      if (m.contract) this.contracts.add(inst.id);
      for (const k of [inst.id, inst.symbol, inst.venueSymbol]) if (!this.byKey.has(k)) this.byKey.set(k, inst);
    }
  }

  all(): readonly Instrument[] {
    return this.list;
  }

  find(idOrSymbol: string): Instrument | undefined {
    return this.byKey.get(idOrSymbol) ?? this.byKey.get(idOrSymbol.toUpperCase());
  }

  isContract(id: string): boolean {
    return this.contracts.has(id);
  }

  /** True when any market loaded is a derivative (where positions can be). */
  anyContract(): boolean {
    return this.contracts.size > 0;
  }
}
