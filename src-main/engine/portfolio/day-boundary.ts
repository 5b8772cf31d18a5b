/**
 * Where "today" starts, per asset class (the documented boundary of P&L today):
 * - equities, ETFs and options: the US exchange day, 00:00 America/New_York;
 * - everything else (crypto, forex, futures): 00:00 UTC, or 00:00 in the trader's time zone if set.
 */
import type { AssetClass } from '../domain/instrument';

const EXCHANGE_ZONE = 'America/New_York';
const formats = new Map<string, Intl.DateTimeFormat>();

function format(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formats.set(zone, f);
  }
  return f;
}

/** Wall-clock fields of an instant in a zone. */
function wall(ts: number, zone: string): { y: number; m: number; d: number; h: number; min: number; s: number } {
  const p = Object.fromEntries(
    format(zone)
      .formatToParts(new Date(ts))
      .map((x) => [x.type, x.value]),
  );
  return { y: Number(p.year), m: Number(p.month), d: Number(p.day), h: Number(p.hour), min: Number(p.minute), s: Number(p.second) };
}

/** The instant local midnight began, in `zone`, on the day that contains `ts`. */
export function midnightIn(zone: string, ts: number): number {
  const w = wall(ts, zone);
  // Offset of the zone at ts, then midnight of that wall date; redone once in case midnight had another offset (DST).
  let guess = Date.UTC(w.y, w.m - 1, w.d) - (Date.UTC(w.y, w.m - 1, w.d, w.h, w.min, w.s) - (ts - (ts % 1000)));
  const back = wall(guess, zone);
  guess -= Date.UTC(back.y, back.m - 1, back.d, back.h, back.min, back.s) - Date.UTC(w.y, w.m - 1, w.d);
  return guess;
}

export function isValidZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const usesExchangeDay = (c: AssetClass | undefined): boolean => c === 'equity' || c === 'etf' || c === 'option';

/** Start of "today" for an asset class at `now`. */
export function dayStart(assetClass: AssetClass | undefined, now: number, traderZone?: string): number {
  if (usesExchangeDay(assetClass)) return midnightIn(EXCHANGE_ZONE, now);
  return traderZone ? midnightIn(traderZone, now) : now - (now % 86_400_000);
}

export const DAY_BOUNDARY_NOTE = 'Today starts at 00:00 America/New_York for US equities, ETFs and options (the exchange day); at 00:00 UTC (or your time zone, if set) for everything else.';
