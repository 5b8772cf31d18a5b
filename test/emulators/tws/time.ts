/** TWS's date/time texts, computed in the emulated TWS login time zone (default US/Eastern). */

const IANA: Record<string, string> = {
  'US/Eastern': 'America/New_York',
  'US/Central': 'America/Chicago',
  'US/Pacific': 'America/Los_Angeles',
  UTC: 'UTC',
};

export function ianaZone(twsZone: string): string {
  return IANA[twsZone] ?? twsZone;
}

interface Parts {
  y: string;
  mo: string;
  d: string;
  h: string;
  mi: string;
  s: string;
  abbr: string;
}

function parts(epochMs: number, twsZone: string): Parts {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: ianaZone(twsZone),
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  });
  const get = (type: string): string => fmt.formatToParts(new Date(epochMs)).find((p) => p.type === type)?.value ?? '';
  return { y: get('year'), mo: get('month'), d: get('day'), h: get('hour'), mi: get('minute'), s: get('second'), abbr: get('timeZoneName') };
}

/** Handshake connection time, e.g. "20260102 09:30:00 EST". */
export function connectionTime(epochMs: number, twsZone: string): string {
  const p = parts(epochMs, twsZone);
  return `${p.y}${p.mo}${p.d} ${p.h}:${p.mi}:${p.s} ${p.abbr}`;
}

/** Execution time, e.g. "20260102 09:30:00 US/Eastern". */
export function executionTime(epochMs: number, twsZone: string): string {
  const p = parts(epochMs, twsZone);
  return `${p.y}${p.mo}${p.d} ${p.h}:${p.mi}:${p.s} ${twsZone}`;
}

/** Account update time "HH:mm". */
export function hhmm(epochMs: number, twsZone: string): string {
  const p = parts(epochMs, twsZone);
  return `${p.h}:${p.mi}`;
}

/** Offset of a zone from UTC at an instant, in ms (local = utc + offset). */
function zoneOffset(epochMs: number, twsZone: string): number {
  const p = parts(epochMs, twsZone);
  const asUtc = Date.UTC(Number(p.y), Number(p.mo) - 1, Number(p.d), Number(p.h), Number(p.mi), Number(p.s));
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/**
 * Parses an execution filter time. "yyyymmdd-hh:mm:ss" is UTC; "yyyymmdd hh:mm:ss [zone]" is in
 * that zone, or the TWS zone when none is given. Returns epoch ms, or undefined when unparseable.
 */
export function parseFilterTime(text: string, twsZone: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})([- ])\s*(\d{2}):(\d{2})(?::(\d{2}))?(?:\s+(\S+))?$/.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, sep, h, mi, s, zone] = m;
  const naive = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? '0'));
  if (sep === '-' && zone === undefined) return naive;
  const z = zone ?? twsZone;
  if (z === 'UTC' || z === 'GMT') return naive;
  // Two passes settle the DST edge.
  let guess = naive - zoneOffset(naive, z);
  guess = naive - zoneOffset(guess, z);
  return guess;
}

/** Minutes since local midnight and weekday (0 = Sunday) in a zone. */
export function localClock(epochMs: number, twsZone: string): { minutes: number; weekday: number } {
  const p = parts(epochMs, twsZone);
  const weekday = new Date(Date.UTC(Number(p.y), Number(p.mo) - 1, Number(p.d))).getUTCDay();
  return { minutes: Number(p.h) * 60 + Number(p.mi), weekday };
}

/** New York trade date (yyyy-mm-dd) of an instant, and the next weekday after it (T+1; NYSE holidays are not modelled). */
export function tradeDate(epochMs: number): string {
  const p = parts(epochMs, 'US/Eastern');
  return `${p.y}-${p.mo}-${p.d}`;
}
export function nextWeekday(ymd: string): string {
  let t = Date.parse(`${ymd}T12:00:00Z`) + 86_400_000;
  while ([0, 6].includes(new Date(t).getUTCDay())) t += 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}
