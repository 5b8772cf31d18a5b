/**
 * Instruments and the normalized display-symbol scheme.
 *
 * Display symbols (one scheme for every venue; every venue's mapping must round-trip):
 *   crypto spot   BTC/USD             base/quote
 *   perpetual     BTC/USDT:PERP
 *   forex         EUR/USD             (assetClass distinguishes it from crypto spot)
 *   equity / ETF  AAPL
 *   future        ES:FUT:20260320     root:FUT:expiry(yyyymmdd)
 *   option        AAPL:OPT:C:150:20260320   underlying:OPT:right:strike:expiry
 */
import type { DecimalString } from './money';

export type AssetClass = 'equity' | 'etf' | 'crypto_spot' | 'perpetual' | 'future' | 'option' | 'forex';

/** Which calendar governs when the instrument trades (see market/sessions.ts). */
export type SessionKind = 'us_equity' | 'cme_equity_futures' | 'always' | 'forex';

export interface Instrument {
  /** Stable id: `<venue>:<venue-native symbol or conId>`, e.g. `paper:AAPL`, `ibkr:265598`. */
  readonly id: string;
  readonly venue: string;
  /** The venue's own symbol (or conId as a string for IB). */
  readonly venueSymbol: string;
  /** Normalized display symbol, see the scheme above. */
  readonly symbol: string;
  readonly assetClass: AssetClass;
  readonly description: string;
  /** Base asset for pairs; the underlying/root for equities, futures, options. */
  readonly base: string;
  /** Quote / settlement currency, e.g. USD, USDT. */
  readonly quote: string;
  readonly tickSize: DecimalString;
  readonly lotSize: DecimalString;
  readonly minQty: DecimalString;
  readonly minNotional: DecimalString;
  /** Contract multiplier (1 for spot/equities, 50 for ES, 100 for equity options). */
  readonly multiplier: DecimalString;
  readonly fractional: boolean;
  readonly session: SessionKind;
  /** yyyymmdd for futures and options. */
  readonly expiry?: string;
  readonly strike?: DecimalString;
  readonly right?: 'C' | 'P';
}

export type ParsedSymbol =
  | { kind: 'pair'; base: string; quote: string }
  | { kind: 'perp'; base: string; quote: string }
  | { kind: 'equity'; root: string }
  | { kind: 'future'; root: string; expiry: string }
  | { kind: 'option'; underlying: string; right: 'C' | 'P'; strike: string; expiry: string };

const ROOT = '[A-Z0-9][A-Z0-9.\\-]{0,15}';
const YMD = '(\\d{8})';
const PAIR_RE = new RegExp(`^(${ROOT})/(${ROOT})$`);
const PERP_RE = new RegExp(`^(${ROOT})/(${ROOT}):PERP$`);
const FUT_RE = new RegExp(`^(${ROOT}):FUT:${YMD}$`);
const OPT_RE = new RegExp(`^(${ROOT}):OPT:([CP]):(\\d+(?:\\.\\d+)?):${YMD}$`);
const EQ_RE = new RegExp(`^${ROOT}$`);

/** Parses a display symbol. Case-insensitive on input; returns undefined if it fits no form. */
export function parseSymbol(input: string): ParsedSymbol | undefined {
  const s = input.trim().toUpperCase();
  let m: RegExpExecArray | null;
  if ((m = PERP_RE.exec(s))) return { kind: 'perp', base: m[1]!, quote: m[2]! };
  if ((m = PAIR_RE.exec(s))) return { kind: 'pair', base: m[1]!, quote: m[2]! };
  if ((m = OPT_RE.exec(s)) && validYmd(m[4]!)) return { kind: 'option', underlying: m[1]!, right: m[2] as 'C' | 'P', strike: m[3]!, expiry: m[4]! };
  if ((m = FUT_RE.exec(s)) && validYmd(m[2]!)) return { kind: 'future', root: m[1]!, expiry: m[2]! };
  if (EQ_RE.test(s)) return { kind: 'equity', root: s };
  return undefined;
}

export function formatSymbol(p: ParsedSymbol): string {
  switch (p.kind) {
    case 'pair':
      return `${p.base}/${p.quote}`;
    case 'perp':
      return `${p.base}/${p.quote}:PERP`;
    case 'equity':
      return p.root;
    case 'future':
      return `${p.root}:FUT:${p.expiry}`;
    case 'option':
      return `${p.underlying}:OPT:${p.right}:${p.strike}:${p.expiry}`;
  }
}

function validYmd(ymd: string): boolean {
  const y = Number(ymd.slice(0, 4));
  const mo = Number(ymd.slice(4, 6));
  const d = Number(ymd.slice(6, 8));
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

export function instrumentId(venue: string, venueSymbol: string): string {
  return `${venue}:${venueSymbol}`;
}
