/**
 * The US equity session as Alpaca states it (`/v2/clock`, `/v2/calendar`). Where Alpaca's
 * calendar and our NYSE calendar (market/sessions.ts) disagree, Alpaca wins — it is the one that
 * routes the order — and each differing date is logged once.
 */
import { newYorkOffsetMinutes, usEquityCalendar } from '../../market/sessions';
import type { WireCalendarDay, WireClock } from './alpaca-rest';

export interface AlpacaSession {
  readonly open: boolean;
  readonly nextOpen: number;
  readonly nextClose: number;
  /** Alpaca's trading days from today on (yyyy-mm-dd → close "HH:MM"). */
  readonly days: ReadonlyMap<string, string>;
}

export function sessionFrom(clock: WireClock, days: readonly WireCalendarDay[]): AlpacaSession {
  return { open: clock.is_open, nextOpen: Date.parse(clock.next_open), nextClose: Date.parse(clock.next_close), days: new Map(days.map((d) => [d.date, d.close])) };
}

const addDay = (ymd: string): string => new Date(Date.parse(`${ymd}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** Dates in [start, end] where Alpaca and our NYSE calendar differ, with what each says. */
export function calendarDifferences(days: readonly WireCalendarDay[], start: string, end: string): string[] {
  const alpaca = new Map(days.map((d) => [d.date, d.close]));
  const out: string[] = [];
  for (let d = start; d <= end; d = addDay(d)) {
    const wd = new Date(`${d}T12:00:00Z`).getUTCDay();
    if (wd === 0 || wd === 6) continue;
    const cal = usEquityCalendar(Number(d.slice(0, 4)));
    const ours = cal.holidays.some((h) => h.date === d) ? undefined : cal.earlyCloses.some((h) => h.date === d) ? '13:00' : '16:00';
    const theirs = alpaca.get(d);
    if (ours !== theirs) out.push(`${d}: Alpaca ${theirs ? `closes at ${theirs}` : 'is closed'}, our NYSE calendar ${ours ? `closes at ${ours}` : 'is closed'} — using Alpaca's`);
  }
  return out;
}

export class AlpacaSessions {
  private current: AlpacaSession | undefined;
  private readonly logged = new Set<string>();

  constructor(
    private readonly fetch: () => Promise<{ clock: WireClock; days: WireCalendarDay[] }>,
    private readonly log: (line: string) => void,
  ) {}

  async refresh(): Promise<AlpacaSession> {
    const { clock, days } = await this.fetch();
    this.current = sessionFrom(clock, days);
    const start = clock.timestamp.slice(0, 10);
    const end = days.at(-1)?.date ?? start;
    for (const line of calendarDifferences(days, start, end)) {
      if (this.logged.has(line)) continue;
      this.logged.add(line);
      this.log(line);
    }
    return this.current;
  }

  get(): AlpacaSession | undefined {
    return this.current;
  }
}

/** New York date of an instant. */
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
