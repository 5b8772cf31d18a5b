/**
 * Market session calendars. Everything outside this file is UTC milliseconds; the exchange time
 * zone (America/New_York for all kinds here) exists only inside it.
 *
 * New York DST is computed from the US rule in force since 2007 (second Sunday of March 02:00 local
 * to first Sunday of November 02:00 local) rather than Intl: it is exact for every year the app can
 * meet, costs a few integer operations per call, and does not depend on the ICU data a Node build
 * happens to ship. The unit tests cross-check it against Intl.
 *
 * Model of each kind (trading day D is a New York calendar date):
 *   us_equity           regular D 09:30–16:00 (13:00 on early-close days); pre 04:00–09:30;
 *                       post close–20:00 (17:00 after an early close); NYSE holidays closed.
 *   cme_equity_futures  trading day D (Mon–Fri) runs D-1 18:00 → D 17:00, so Sun 18:00 → Fri 17:00
 *                       with the 17:00–18:00 break Mon–Thu. CME holiday schedules are not modelled.
 *   forex               trading day D (Mon–Fri) runs D-1 17:00 → D 17:00: continuous Sun 17:00 →
 *                       Fri 17:00, with the 17:00 New York roll as the DAY-order boundary.
 *   always              24/7; the DAY-order boundary is 00:00 UTC.
 */
import type { SessionKind } from '../domain/instrument';

export type SessionPhase = 'regular' | 'pre' | 'post' | 'closed' | 'break';

export interface SessionState {
  readonly kind: SessionKind;
  readonly phase: SessionPhase;
  /** True only in the regular session. */
  readonly open: boolean;
  /** Start of the regular session now under way (only when open; back-to-back sessions are merged). */
  readonly openedAt?: number;
  /** Start of the next regular session: after the current one when open, else the first one after now. */
  readonly nextOpen?: number;
  /** End of the current regular session when open (merged), else the end of the next one. */
  readonly nextClose?: number;
  /** The instant `phase` next changes; a caller may cache this state until then. Undefined = never. */
  readonly until?: number;
  readonly reason?: string;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

// ---------------------------------------------------------------------------------------------
// New York time

/** First `dow` (0 = Sunday) on or after the given UTC date, as a day-of-month. */
function nthWeekdayOfMonth(year: number, month1: number, dow: number, n: number): number {
  const firstDow = new Date(Date.UTC(year, month1 - 1, 1)).getUTCDay();
  return 1 + ((dow - firstDow + 7) % 7) + 7 * (n - 1);
}

function lastWeekdayOfMonth(year: number, month1: number, dow: number): number {
  const daysInMonth = new Date(Date.UTC(year, month1, 0)).getUTCDate();
  const lastDow = new Date(Date.UTC(year, month1 - 1, daysInMonth)).getUTCDay();
  return daysInMonth - ((lastDow - dow + 7) % 7);
}

const dstCache = new Map<number, readonly [number, number]>();

/** [start, end) of New York daylight time in UTC ms for a year. */
function dstBounds(year: number): readonly [number, number] {
  let b = dstCache.get(year);
  if (!b) {
    // 02:00 EST = 07:00 UTC; 02:00 EDT = 06:00 UTC.
    const start = Date.UTC(year, 2, nthWeekdayOfMonth(year, 3, 0, 2), 7);
    const end = Date.UTC(year, 10, nthWeekdayOfMonth(year, 11, 0, 1), 6);
    b = [start, end] as const;
    dstCache.set(year, b);
  }
  return b;
}

/** New York's UTC offset in minutes at an instant: -240 (EDT) or -300 (EST). */
export function newYorkOffsetMinutes(utcMs: number): number {
  const year = new Date(utcMs).getUTCFullYear();
  const [start, end] = dstBounds(year);
  return utcMs >= start && utcMs < end ? -240 : -300;
}

interface LocalTime {
  /** Days since 1970-01-01 of the New York calendar date. */
  readonly day: number;
  /** Minutes since local midnight. */
  readonly minute: number;
  /** 0 = Sunday. */
  readonly dow: number;
}

function toNewYork(utcMs: number): LocalTime {
  const local = utcMs + newYorkOffsetMinutes(utcMs) * MIN;
  const day = Math.floor(local / DAY);
  return { day, minute: Math.floor((local - day * DAY) / MIN), dow: dowOf(day) };
}

function dowOf(day: number): number {
  // 1970-01-01 was a Thursday.
  return (((day + 4) % 7) + 7) % 7;
}

/**
 * UTC instant of a New York wall time. Only used for session boundaries, none of which falls in
 * the 01:00–03:00 hours a DST change makes missing or doubled.
 */
function newYorkToUtc(day: number, minute: number): number {
  const wall = day * DAY + minute * MIN;
  const asEst = wall + 5 * HOUR;
  return newYorkOffsetMinutes(asEst) === -300 ? asEst : wall + 4 * HOUR;
}

function ymd(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

function dayOf(y: number, m1: number, d: number): number {
  return Date.UTC(y, m1 - 1, d) / DAY;
}

const DOW = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** "Mon 2026-01-05 09:30 ET": for messages a trader reads. */
export function formatNewYorkTime(utcMs: number): string {
  const t = toNewYork(utcMs);
  const hh = String(Math.floor(t.minute / 60)).padStart(2, '0');
  const mm = String(t.minute % 60).padStart(2, '0');
  return `${DOW[t.dow]} ${ymd(t.day)} ${hh}:${mm} ET`;
}

// ---------------------------------------------------------------------------------------------
// NYSE calendar

export interface CalendarDay {
  /** yyyy-mm-dd, New York date. */
  readonly date: string;
  readonly name: string;
}

export interface UsEquityCalendar {
  readonly holidays: readonly CalendarDay[];
  /** 13:00 ET closes. */
  readonly earlyCloses: readonly CalendarDay[];
}

/**
 * The NYSE's published calendars (press release of 2024-11-08, confirmed 2025-12-23). Published
 * dates win over the rules below because the exchange adds one-off closures (2025-01-09).
 */
const PUBLISHED: Readonly<Record<number, UsEquityCalendar>> = {
  2025: {
    holidays: [
      { date: '2025-01-01', name: "New Year's Day" },
      { date: '2025-01-09', name: 'National Day of Mourning for President Jimmy Carter' },
      { date: '2025-01-20', name: 'Martin Luther King, Jr. Day' },
      { date: '2025-02-17', name: "Washington's Birthday" },
      { date: '2025-04-18', name: 'Good Friday' },
      { date: '2025-05-26', name: 'Memorial Day' },
      { date: '2025-06-19', name: 'Juneteenth National Independence Day' },
      { date: '2025-07-04', name: 'Independence Day' },
      { date: '2025-09-01', name: 'Labor Day' },
      { date: '2025-11-27', name: 'Thanksgiving Day' },
      { date: '2025-12-25', name: 'Christmas Day' },
    ],
    earlyCloses: [
      { date: '2025-07-03', name: 'Day before Independence Day' },
      { date: '2025-11-28', name: 'Day after Thanksgiving' },
      { date: '2025-12-24', name: 'Christmas Eve' },
    ],
  },
  2026: {
    holidays: [
      { date: '2026-01-01', name: "New Year's Day" },
      { date: '2026-01-19', name: 'Martin Luther King, Jr. Day' },
      { date: '2026-02-16', name: "Washington's Birthday" },
      { date: '2026-04-03', name: 'Good Friday' },
      { date: '2026-05-25', name: 'Memorial Day' },
      { date: '2026-06-19', name: 'Juneteenth National Independence Day' },
      { date: '2026-07-03', name: 'Independence Day (observed)' },
      { date: '2026-09-07', name: 'Labor Day' },
      { date: '2026-11-26', name: 'Thanksgiving Day' },
      { date: '2026-12-25', name: 'Christmas Day' },
    ],
    earlyCloses: [
      { date: '2026-11-27', name: 'Day after Thanksgiving' },
      { date: '2026-12-24', name: 'Christmas Eve' },
    ],
  },
  2027: {
    holidays: [
      { date: '2027-01-01', name: "New Year's Day" },
      { date: '2027-01-18', name: 'Martin Luther King, Jr. Day' },
      { date: '2027-02-15', name: "Washington's Birthday" },
      { date: '2027-03-26', name: 'Good Friday' },
      { date: '2027-05-31', name: 'Memorial Day' },
      { date: '2027-06-18', name: 'Juneteenth National Independence Day (observed)' },
      { date: '2027-07-05', name: 'Independence Day (observed)' },
      { date: '2027-09-06', name: 'Labor Day' },
      { date: '2027-11-25', name: 'Thanksgiving Day' },
      { date: '2027-12-24', name: 'Christmas Day (observed)' },
    ],
    earlyCloses: [{ date: '2027-11-26', name: 'Day after Thanksgiving' }],
  },
};

/** Western Easter Sunday (anonymous Gregorian algorithm). */
function easter(year: number): { m: number; d: number } {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { m: month, d: day };
}

/**
 * NYSE Rule 7.2 as practised: fixed-date holidays move to Friday when on Saturday and to Monday
 * when on Sunday, except New Year's Day, which is not observed on the Friday before (it would
 * fall in the previous year). Used for years the NYSE has not yet published here.
 */
export function usEquityCalendarByRule(year: number): UsEquityCalendar {
  const holidays: CalendarDay[] = [];
  const iso = (m: number, d: number) => ymd(dayOf(year, m, d));
  const observed = (m: number, d: number, name: string, allowFriday = true) => {
    const dow = new Date(Date.UTC(year, m - 1, d)).getUTCDay();
    if (dow === 6) {
      if (allowFriday) holidays.push({ date: iso(m, d - 1), name: `${name} (observed)` });
    } else if (dow === 0) holidays.push({ date: iso(m, d + 1), name: `${name} (observed)` });
    else holidays.push({ date: iso(m, d), name });
  };
  observed(1, 1, "New Year's Day", false);
  holidays.push({ date: iso(1, nthWeekdayOfMonth(year, 1, 1, 3)), name: 'Martin Luther King, Jr. Day' });
  holidays.push({ date: iso(2, nthWeekdayOfMonth(year, 2, 1, 3)), name: "Washington's Birthday" });
  const e = easter(year);
  holidays.push({ date: ymd(dayOf(year, e.m, e.d) - 2), name: 'Good Friday' });
  holidays.push({ date: iso(5, lastWeekdayOfMonth(year, 5, 1)), name: 'Memorial Day' });
  if (year >= 2022) observed(6, 19, 'Juneteenth National Independence Day');
  observed(7, 4, 'Independence Day');
  holidays.push({ date: iso(9, nthWeekdayOfMonth(year, 9, 1, 1)), name: 'Labor Day' });
  const thanksgiving = nthWeekdayOfMonth(year, 11, 4, 4);
  holidays.push({ date: iso(11, thanksgiving), name: 'Thanksgiving Day' });
  observed(12, 25, 'Christmas Day');
  holidays.sort((a, b) => (a.date < b.date ? -1 : 1));

  const earlyCloses: CalendarDay[] = [];
  // July 3 and December 24 are half days only Mon–Thu: on a Friday they are the observed holiday.
  const isMonThu = (m: number, d: number) => {
    const dow = new Date(Date.UTC(year, m - 1, d)).getUTCDay();
    return dow >= 1 && dow <= 4;
  };
  if (isMonThu(7, 3)) earlyCloses.push({ date: iso(7, 3), name: 'Day before Independence Day' });
  earlyCloses.push({ date: iso(11, thanksgiving + 1), name: 'Day after Thanksgiving' });
  if (isMonThu(12, 24)) earlyCloses.push({ date: iso(12, 24), name: 'Christmas Eve' });
  return { holidays, earlyCloses };
}

export function usEquityCalendar(year: number): UsEquityCalendar {
  return PUBLISHED[year] ?? usEquityCalendarByRule(year);
}

interface YearIndex {
  readonly holidays: Map<number, string>;
  readonly earlyCloses: Map<number, string>;
}
const yearIndexCache = new Map<number, YearIndex>();

function yearIndex(year: number): YearIndex {
  let idx = yearIndexCache.get(year);
  if (!idx) {
    const cal = usEquityCalendar(year);
    const toDay = (s: string) => dayOf(Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10)));
    idx = {
      holidays: new Map(cal.holidays.map((h) => [toDay(h.date), h.name])),
      earlyCloses: new Map(cal.earlyCloses.map((h) => [toDay(h.date), h.name])),
    };
    yearIndexCache.set(year, idx);
  }
  return idx;
}

function yearOfDay(day: number): number {
  return new Date(day * DAY).getUTCFullYear();
}

// ---------------------------------------------------------------------------------------------
// Trading days

interface TradingDay {
  readonly day: number;
  readonly open: number;
  readonly close: number;
  readonly earlyClose?: string;
}

type ClosedReason = { kind: 'weekend' } | { kind: 'holiday'; name: string };

function usEquityClosedReason(day: number): ClosedReason | undefined {
  const dow = dowOf(day);
  if (dow === 0 || dow === 6) return { kind: 'weekend' };
  const name = yearIndex(yearOfDay(day)).holidays.get(day);
  return name === undefined ? undefined : { kind: 'holiday', name };
}

function tradingDay(kind: Exclude<SessionKind, 'always'>, day: number): TradingDay | undefined {
  const dow = dowOf(day);
  switch (kind) {
    case 'us_equity': {
      if (usEquityClosedReason(day)) return undefined;
      const early = yearIndex(yearOfDay(day)).earlyCloses.get(day);
      return {
        day,
        open: newYorkToUtc(day, 9 * 60 + 30),
        close: newYorkToUtc(day, early === undefined ? 16 * 60 : 13 * 60),
        ...(early === undefined ? {} : { earlyClose: early }),
      };
    }
    case 'cme_equity_futures':
      if (dow === 0 || dow === 6) return undefined;
      return { day, open: newYorkToUtc(day - 1, 18 * 60), close: newYorkToUtc(day, 17 * 60) };
    case 'forex':
      if (dow === 0 || dow === 6) return undefined;
      return { day, open: newYorkToUtc(day - 1, 17 * 60), close: newYorkToUtc(day, 17 * 60) };
  }
}

// Far enough to cross the longest closure (a holiday next to a weekend) with room to spare.
const SCAN_DAYS = 14;

function findCurrent(kind: Exclude<SessionKind, 'always'>, t: number, today: number): TradingDay | undefined {
  // A CME or forex trading day opens the evening before its date, so look one day ahead too.
  for (let k = 0; k <= 1; k++) {
    const td = tradingDay(kind, today + k);
    if (td && td.open <= t && t < td.close) return td;
  }
  return undefined;
}

function findNext(kind: Exclude<SessionKind, 'always'>, t: number, fromDay: number): TradingDay | undefined {
  for (let k = 0; k <= SCAN_DAYS; k++) {
    const td = tradingDay(kind, fromDay + k);
    if (td && td.open > t) return td;
  }
  return undefined;
}

/** Follows back-to-back trading days (forex) to the close a trader would call "the close". */
function mergedClose(kind: Exclude<SessionKind, 'always'>, td: TradingDay): number {
  let close = td.close;
  for (let k = 1; k <= SCAN_DAYS; k++) {
    const n = tradingDay(kind, td.day + k);
    if (!n || n.open !== close) break;
    close = n.close;
  }
  return close;
}

function mergedOpen(kind: Exclude<SessionKind, 'always'>, td: TradingDay): number {
  let open = td.open;
  for (let k = 1; k <= SCAN_DAYS; k++) {
    const p = tradingDay(kind, td.day - k);
    if (!p || p.close !== open) break;
    open = p.open;
  }
  return open;
}

// ---------------------------------------------------------------------------------------------
// Public API

const ALWAYS: SessionState = { kind: 'always', phase: 'regular', open: true };

export function sessionState(kind: SessionKind, nowMs: number): SessionState {
  if (kind === 'always') return ALWAYS;
  const local = toNewYork(nowMs);
  const cur = findCurrent(kind, nowMs, local.day);
  if (cur) {
    const close = mergedClose(kind, cur);
    const after = findNext(kind, close - 1, cur.day + 1);
    return {
      kind,
      phase: 'regular',
      open: true,
      openedAt: mergedOpen(kind, cur),
      nextClose: close,
      ...(after ? { nextOpen: after.open } : {}),
      until: close,
      ...(cur.earlyClose ? { reason: `early close at 13:00 ET (${cur.earlyClose})` } : {}),
    };
  }
  const next = findNext(kind, nowMs, local.day);
  const upcoming = next ? { nextOpen: next.open, nextClose: mergedClose(kind, next) } : {};

  if (kind === 'us_equity') return usEquityOffHours(nowMs, local, next, upcoming);
  if (kind === 'cme_equity_futures' && local.dow >= 1 && local.dow <= 4 && local.minute >= 17 * 60 && local.minute < 18 * 60) {
    return { kind, phase: 'break', open: false, ...upcoming, until: next?.open, reason: 'daily maintenance break 17:00–18:00 ET' };
  }
  return { kind, phase: 'closed', open: false, ...upcoming, until: next?.open, reason: 'weekend' };
}

function usEquityOffHours(nowMs: number, local: LocalTime, next: TradingDay | undefined, upcoming: { nextOpen?: number; nextClose?: number }): SessionState {
  const kind = 'us_equity';
  const preStartOf = (td: TradingDay) => newYorkToUtc(td.day, 4 * 60);
  const today = tradingDay(kind, local.day);
  if (today) {
    const preStart = preStartOf(today);
    const postEnd = newYorkToUtc(today.day, today.earlyClose ? 17 * 60 : 20 * 60);
    if (nowMs >= preStart && nowMs < today.open) {
      return { kind, phase: 'pre', open: false, ...upcoming, until: today.open, reason: 'pre-market (extended hours)' };
    }
    if (nowMs >= today.close && nowMs < postEnd) {
      return { kind, phase: 'post', open: false, ...upcoming, until: postEnd, reason: 'after-hours (extended hours)' };
    }
    const until = nowMs < preStart ? preStart : next ? preStartOf(next) : undefined;
    return { kind, phase: 'closed', open: false, ...upcoming, until, reason: 'overnight' };
  }
  const why = usEquityClosedReason(local.day);
  const reason = why?.kind === 'holiday' ? `holiday: ${why.name}` : 'weekend';
  return { kind, phase: 'closed', open: false, ...upcoming, until: next ? preStartOf(next) : undefined, reason };
}

export interface TradableOptions {
  /** Count pre-market and after-hours as tradable (us_equity only). */
  readonly extendedHours?: boolean;
}

export function isTradable(kind: SessionKind, nowMs: number, opts: TradableOptions = {}): boolean {
  const s = sessionState(kind, nowMs);
  return s.open || (opts.extendedHours === true && (s.phase === 'pre' || s.phase === 'post'));
}

/**
 * When a DAY order placed at `nowMs` expires: the close of the regular session under way, else of
 * the next one (an order placed after the close or at the weekend is for the next session). Forex
 * days end at the 17:00 New York roll and 24/7 markets at 00:00 UTC, as their venues count days.
 */
export function sessionCloseFor(kind: SessionKind, nowMs: number): number {
  if (kind === 'always') return (Math.floor(nowMs / DAY) + 1) * DAY;
  const local = toNewYork(nowMs);
  const td = findCurrent(kind, nowMs, local.day) ?? findNext(kind, nowMs, local.day);
  if (!td) throw new Error(`no ${kind} session within ${SCAN_DAYS} days of ${new Date(nowMs).toISOString()}`);
  return td.close;
}
