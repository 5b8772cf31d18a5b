/**
 * Trade dates and settlement for US equities: the New York date of an instant, and when a trade
 * of that date settles (T+1 since 2024-05-28: the next NYSE trading day). Crypto settles at once.
 */
import { newYorkOffsetMinutes, usEquityCalendar } from './sessions';

/** The day after a yyyy-mm-dd date. */
export const addDay = (ymd: string): string => new Date(Date.parse(`${ymd}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** New York date (yyyy-mm-dd) of an instant. */
export function newYorkDate(ts: number): string {
  return new Date(ts + newYorkOffsetMinutes(ts) * 60_000).toISOString().slice(0, 10);
}

/** When a US equity trade of New York date `ymd` settles: the next trading day (T+1). */
export function settlementDate(ymd: string): string {
  let d = addDay(ymd);
  for (let i = 0; i < 10; i++, d = addDay(d)) {
    const wd = new Date(`${d}T12:00:00Z`).getUTCDay();
    if (wd !== 0 && wd !== 6 && !usEquityCalendar(Number(d.slice(0, 4))).holidays.some((h) => h.date === d)) return d;
  }
  return d;
}
