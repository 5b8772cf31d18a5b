/**
 * The emulator's own NYSE calendar (holidays, early closes, extended sessions) in New York time,
 * independent of src-main's market calendar so the two can be checked against each other.
 * `/v2/clock` and `/v2/calendar` are built from it; tests add a holiday with the `holiday` command.
 */

/** NYSE full closures (holidays.nyse.com), 2025–2027. */
const HOLIDAYS = [
  '2025-01-01',
  '2025-01-20',
  '2025-02-17',
  '2025-04-18',
  '2025-05-26',
  '2025-06-19',
  '2025-07-04',
  '2025-09-01',
  '2025-11-27',
  '2025-12-25',
  '2026-01-01',
  '2026-01-19',
  '2026-02-16',
  '2026-04-03',
  '2026-05-25',
  '2026-06-19',
  '2026-07-03',
  '2026-09-07',
  '2026-11-26',
  '2026-12-25',
  '2027-01-01',
  '2027-01-18',
  '2027-02-15',
  '2027-03-26',
  '2027-05-31',
  '2027-06-18',
  '2027-07-05',
  '2027-09-06',
  '2027-11-25',
  '2027-12-24',
];
/** 13:00 closes. */
const EARLY_CLOSES = ['2025-07-03', '2025-11-28', '2025-12-24', '2026-11-27', '2026-12-24', '2027-11-26'];

export interface CalendarDay {
  readonly date: string;
  readonly open: string;
  readonly close: string;
  readonly session_open: string;
  readonly session_close: string;
  readonly settlement_date: string;
}

export type Session = 'pre' | 'regular' | 'post' | 'closed';

const fmt = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** New York wall time of an instant. */
export function nyParts(ts: number): { date: string; minutes: number; offsetMin: number } {
  const p = Object.fromEntries(fmt.formatToParts(new Date(ts)).map((x) => [x.type, x.value]));
  const date = `${p['year']}-${p['month']}-${p['day']}`;
  const asUtc = Date.UTC(Number(p['year']), Number(p['month']) - 1, Number(p['day']), Number(p['hour']), Number(p['minute']), Number(p['second']));
  return { date, minutes: Number(p['hour']) * 60 + Number(p['minute']), offsetMin: Math.round((asUtc - Math.floor(ts / 1000) * 1000) / 60_000) };
}

/** The instant of a New York wall time (`date` yyyy-mm-dd, `hhmm` "09:30"). */
export function nyInstant(date: string, hhmm: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = hhmm.split(':').map(Number) as [number, number];
  const guess = Date.UTC(y, m - 1, d, h, mi) + 5 * 3_600_000;
  return guess - (nyParts(guess).offsetMin + 300) * 60_000;
}

/** ISO 8601 with New York's offset, as Alpaca writes clock times ("2026-11-18T09:30:00-05:00"). */
export function nyIso(ts: number): string {
  const { date, offsetMin } = nyParts(ts);
  const local = new Date(ts + offsetMin * 60_000).toISOString().slice(11, 19);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${date}T${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

export class NyseCalendar {
  private readonly holidays = new Set(HOLIDAYS);
  private readonly early = new Set(EARLY_CLOSES);

  addHoliday(date: string): void {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error('date must be yyyy-mm-dd');
    this.holidays.add(date);
  }

  isTradingDay(date: string): boolean {
    const wd = new Date(`${date}T12:00:00Z`).getUTCDay();
    return wd !== 0 && wd !== 6 && !this.holidays.has(date);
  }

  day(date: string): CalendarDay | undefined {
    if (!this.isTradingDay(date)) return undefined;
    // US equities settle T+1 (trading days).
    let settle = addDays(date, 1);
    while (!this.isTradingDay(settle)) settle = addDays(settle, 1);
    return { date, open: '09:30', close: this.early.has(date) ? '13:00' : '16:00', session_open: '0400', session_close: this.early.has(date) ? '1700' : '2000', settlement_date: settle };
  }

  /** Trading days from `start` to `end` inclusive (yyyy-mm-dd). */
  range(start: string, end: string): CalendarDay[] {
    const out: CalendarDay[] = [];
    for (let d = start; d <= end && out.length < 1000; d = addDays(d, 1)) {
      const day = this.day(d);
      if (day) out.push(day);
    }
    return out;
  }

  session(ts: number): Session {
    const { date, minutes } = nyParts(ts);
    const day = this.day(date);
    if (!day) return 'closed';
    const hm = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(-2));
    if (minutes >= hm(day.open) && minutes < hm(day.close)) return 'regular';
    if (minutes >= hm(day.session_open) && minutes < hm(day.open)) return 'pre';
    if (minutes >= hm(day.close) && minutes < hm(day.session_close)) return 'post';
    return 'closed';
  }

  /** `/v2/clock`. */
  clock(ts: number): { timestamp: string; is_open: boolean; next_open: string; next_close: string } {
    const { date } = nyParts(ts);
    let nextOpen: number | undefined;
    let nextClose: number | undefined;
    for (let d = date, i = 0; i < 15 && (nextOpen === undefined || nextClose === undefined); d = addDays(d, 1), i++) {
      const day = this.day(d);
      if (!day) continue;
      const o = nyInstant(d, day.open);
      const c = nyInstant(d, day.close);
      if (nextOpen === undefined && o > ts) nextOpen = o;
      if (nextClose === undefined && c > ts) nextClose = c;
    }
    return { timestamp: nyIso(ts), is_open: this.session(ts) === 'regular', next_open: nyIso(nextOpen ?? ts), next_close: nyIso(nextClose ?? ts) };
  }
}
