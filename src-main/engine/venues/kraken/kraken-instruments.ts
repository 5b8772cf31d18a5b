/**
 * Kraken AssetPairs as instruments. Display symbols use the common names (`BTC/USD`), which are
 * also WS v2's; REST keeps Kraken's own (`XXBTZUSD`, altname `XBTUSD`, wsname `XBT/USD`). Every
 * spelling finds the instrument, and the display symbol maps back to the REST pair.
 */
import { z } from 'zod';
import type { Instrument } from '../../domain/instrument';
import { Decimal } from '../../domain/money';
import { TradeportError } from '../../api/errors';

const pairSchema = z.object({
  altname: z.string(),
  wsname: z.string().optional(),
  base: z.string(),
  quote: z.string(),
  pair_decimals: z.number().int().min(0),
  lot_decimals: z.number().int().min(0),
  cost_decimals: z.number().int().min(0).optional(),
  ordermin: z.union([z.string(), z.number()]).optional(),
  costmin: z.union([z.string(), z.number()]).optional(),
  tick_size: z.union([z.string(), z.number()]).optional(),
  status: z.string().optional(),
  aclass_base: z.string().optional(),
  fees: z.array(z.tuple([z.number(), z.number()])).optional(),
  fees_maker: z.array(z.tuple([z.number(), z.number()])).optional(),
});
export type WirePair = z.infer<typeof pairSchema>;

export function wirePairs(v: unknown): Record<string, WirePair> {
  if (!v || typeof v !== 'object') throw new TradeportError('venue_unavailable', 'Kraken AssetPairs answered without pairs.');
  const out: Record<string, WirePair> = {};
  for (const [k, p] of Object.entries(v)) {
    const r = pairSchema.safeParse(p);
    if (r.success) out[k] = r.data;
  }
  return out;
}

/** Kraken's own asset codes → the names traders use. */
const COMMON: Readonly<Record<string, string>> = { XBT: 'BTC', XDG: 'DOGE' };
const KRAKEN: Readonly<Record<string, string>> = { BTC: 'XBT', DOGE: 'XDG' };

/** `XXBT` → `BTC`, `ZUSD` → `USD`, `XBT` → `BTC`, `ETH` → `ETH`. */
export function commonAsset(code: string): string {
  const c = code.toUpperCase();
  const legacy = c.length === 4 && (c.startsWith('X') || c.startsWith('Z')) ? c.slice(1) : c;
  return COMMON[legacy] ?? legacy;
}

/** `BTC` → `XBT`: the name Kraken's REST pair names use. */
export function krakenAsset(common: string): string {
  return KRAKEN[common.toUpperCase()] ?? common.toUpperCase();
}

function decimals(n: number): string {
  return new Decimal(1).div(new Decimal(10).pow(n)).toFixed(n);
}

export function pairToInstrument(venue: string, key: string, p: WirePair): Instrument | undefined {
  if (p.status !== undefined && p.status !== 'online') return undefined;
  const [wb, wq] = (p.wsname ?? '').split('/');
  const base = commonAsset(wb ?? p.base);
  const quote = commonAsset(wq ?? p.quote);
  const lot = decimals(p.lot_decimals);
  return {
    id: `${venue}:${key}`,
    venue,
    venueSymbol: key,
    symbol: `${base}/${quote}`,
    assetClass: 'crypto_spot',
    description: `${base}/${quote} spot (Kraken ${p.altname})`,
    base,
    quote,
    tickSize: p.tick_size !== undefined ? new Decimal(p.tick_size).toString() : decimals(p.pair_decimals),
    lotSize: lot,
    minQty: p.ordermin !== undefined ? new Decimal(p.ordermin).toString() : lot,
    minNotional: p.costmin !== undefined ? new Decimal(p.costmin).toString() : '0',
    multiplier: '1',
    fractional: true,
    session: 'always',
  };
}

export interface PairInfo {
  readonly inst: Instrument;
  readonly pair: WirePair;
  /** The WS v2 symbol (`BTC/USD`). */
  readonly wsSymbol: string;
}

export class KrakenInstruments {
  private list: Instrument[] = [];
  private readonly byName = new Map<string, PairInfo>();
  private readonly byId = new Map<string, PairInfo>();

  load(venue: string, pairs: Readonly<Record<string, WirePair>>): void {
    this.list = [];
    this.byName.clear();
    this.byId.clear();
    for (const [key, p] of Object.entries(pairs)) {
      if (key.endsWith('.d')) continue;
      const inst = pairToInstrument(venue, key, p);
      if (!inst) continue;
      const info: PairInfo = { inst, pair: p, wsSymbol: inst.symbol };
      this.list.push(inst);
      this.byId.set(inst.id, info);
      for (const n of [key, p.altname, p.wsname, inst.symbol, `${krakenAsset(inst.base)}/${krakenAsset(inst.quote)}`]) if (n) this.byName.set(n.toUpperCase(), info);
    }
  }

  all(): readonly Instrument[] {
    return this.list;
  }

  info(idOrName: string): PairInfo | undefined {
    return this.byId.get(idOrName) ?? this.byName.get(idOrName.trim().toUpperCase());
  }

  find(idOrName: string): Instrument | undefined {
    return this.info(idOrName)?.inst;
  }
}
