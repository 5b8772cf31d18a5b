/**
 * The US equity session as Alpaca states it (`/v2/clock`, `/v2/calendar`). Where Alpaca's
 * calendar and our NYSE calendar (market/sessions.ts) disagree, Alpaca wins — it is the one that
 * routes the order — and each differing date is logged once.
 */
import { newYorkOffsetMinutes, usEquityCalendar, type SessionState } from '../../market/sessions';
import { addDay, newYorkDate } from '../../market/settlement';
import type { WireCalendarDay, WireClock } from './alpaca-rest';

export interface AlpacaSession {
  readonly open: boolean;
  readonly nextOpen: number;
  readonly nextClose: number;
  /** Alpaca's trading days from today on (yyyy-mm-dd → the day). */
  readonly days: ReadonlyMap<string, WireCalendarDay>;
  readonly fetchedAt: number;
}

export function sessionFrom(clock: WireClock, days: readonly WireCalendarDay[], fetchedAt: number): AlpacaSession {
  return { open: clock.is_open, nextOpen: Date.parse(clock.next_open), nextClose: Date.parse(clock.next_close), days: new Map(days.map((d) => [d.date, d])), fetchedAt };
}

/** The instant of New York wall time `hhmm` ("09:30" or "0930") on `ymd`. */
export function newYorkInstant(ymd: string, hhmm: string): number {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  const t = hhmm.replace(':', '');
  const wall = Date.UTC(y, m - 1, d, Number(t.slice(0, 2)), Number(t.slice(2, 4)));
  return wall - newYorkOffsetMinutes(wall + 5 * 3_600_000) * 60_000;
}

/** The US equity session at `now` by Alpaca's calendar; undefined when `now` is past what it covers. */
export function sessionAt(s: AlpacaSession, now: number): SessionState | undefined {
  const date = newYorkDate(now);
  const last = [...s.days.keys()].sort().at(-1);
  if (last === undefined || date > last) return undefined;
  const nextDay = [...s.days.values()].filter((d) => newYorkInstant(d.date, d.open) > now).sort((a, b) => a.date.localeCompare(b.date))[0];
  const nextOpen = nextDay ? newYorkInstant(nextDay.date, nextDay.open) : undefined;
  const day = s.days.get(date);
  const base = { kind: 'us_equity' as const, ...(nextOpen !== undefined ? { nextOpen } : {}) };
  if (!day) return { ...base, phase: 'closed', open: false, reason: `Alpaca's calendar has no session on ${date} (market holiday)` };
  const open = newYorkInstant(date, day.open);
  const close = newYorkInstant(date, day.close);
  if (now >= open && now < close) return { ...base, phase: 'regular', open: true, openedAt: open, nextClose: close, until: close };
  const pre = day.session_open ? newYorkInstant(date, day.session_open) : open;
  const post = day.session_close ? newYorkInstant(date, day.session_close) : close;
  const phase = now >= pre && now < open ? 'pre' : now >= close && now < post ? 'post' : 'closed';
  return { ...base, phase, open: false, reason: phase === 'closed' ? 'outside the session (Alpaca calendar)' : `${phase}-market (Alpaca calendar)` };
}

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

  async refresh(now = Date.now()): Promise<AlpacaSession> {
    const { clock, days } = await this.fetch();
    this.current = sessionFrom(clock, days, now);
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
