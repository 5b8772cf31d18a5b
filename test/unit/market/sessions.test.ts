import { describe, expect, it } from 'vitest';
import { formatNewYorkTime, isTradable, newYorkOffsetMinutes, sessionCloseFor, sessionState, usEquityCalendar, usEquityCalendarByRule } from '../../../src-main/engine/market/sessions';

const utc = (s: string) => Date.parse(s);
const H = 3_600_000;

describe('New York time', () => {
  it('agrees with Intl on the UTC offset, hour by hour across 2025–2028', () => {
    const fmt = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', timeZoneName: 'shortOffset' });
    let mismatches = 0;
    for (let t = utc('2025-01-01T00:00:00Z'); t < utc('2029-01-01T00:00:00Z'); t += H) {
      const name = fmt.formatToParts(new Date(t)).find((p) => p.type === 'timeZoneName')!.value; // "GMT-5"
      const intl = Number(name.replace('GMT', '')) * 60;
      if (intl !== newYorkOffsetMinutes(t)) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it('switches exactly at 02:00 local on the DST change days', () => {
    expect(newYorkOffsetMinutes(utc('2026-03-08T06:59:59.999Z'))).toBe(-300);
    expect(newYorkOffsetMinutes(utc('2026-03-08T07:00:00Z'))).toBe(-240);
    expect(newYorkOffsetMinutes(utc('2026-11-01T05:59:59.999Z'))).toBe(-240);
    expect(newYorkOffsetMinutes(utc('2026-11-01T06:00:00Z'))).toBe(-300);
  });

  it('formats instants for traders in ET', () => {
    expect(formatNewYorkTime(utc('2026-01-05T14:30:00Z'))).toBe('Mon 2026-01-05 09:30 ET');
    expect(formatNewYorkTime(utc('2026-07-06T13:30:00Z'))).toBe('Mon 2026-07-06 09:30 ET');
  });
});

describe('us_equity', () => {
  it('opens at 09:30 ET in UTC terms on both sides of the March DST change', () => {
    // Fri 2026-03-06 is EST (14:30Z), Mon 2026-03-09 is EDT (13:30Z).
    expect(sessionState('us_equity', utc('2026-03-06T14:29:59Z')).phase).toBe('pre');
    expect(sessionState('us_equity', utc('2026-03-06T14:30:00Z')).phase).toBe('regular');
    const fri = sessionState('us_equity', utc('2026-03-06T20:59:00Z'));
    expect(fri.nextClose).toBe(utc('2026-03-06T21:00:00Z'));
    expect(fri.nextOpen).toBe(utc('2026-03-09T13:30:00Z'));
    expect(sessionState('us_equity', utc('2026-03-09T13:29:59Z')).phase).toBe('pre');
    const mon = sessionState('us_equity', utc('2026-03-09T13:30:00Z'));
    expect(mon).toMatchObject({ phase: 'regular', open: true, openedAt: utc('2026-03-09T13:30:00Z'), nextClose: utc('2026-03-09T20:00:00Z') });
  });

  it('follows the November DST change back to EST', () => {
    expect(sessionState('us_equity', utc('2026-10-30T19:59:00Z')).phase).toBe('regular'); // 15:59 EDT
    expect(sessionState('us_equity', utc('2026-10-30T20:00:00Z')).phase).toBe('post');
    const weekend = sessionState('us_equity', utc('2026-10-31T12:00:00Z'));
    expect(weekend).toMatchObject({ phase: 'closed', open: false, reason: 'weekend', nextOpen: utc('2026-11-02T14:30:00Z') });
    expect(sessionState('us_equity', utc('2026-11-02T14:29:00Z')).phase).toBe('pre');
    expect(sessionState('us_equity', utc('2026-11-02T20:59:00Z')).phase).toBe('regular'); // 15:59 EST
  });

  it('is closed on a holiday and names it', () => {
    const goodFriday = sessionState('us_equity', utc('2026-04-03T15:00:00Z'));
    expect(goodFriday.open).toBe(false);
    expect(goodFriday.phase).toBe('closed');
    expect(goodFriday.reason).toBe('holiday: Good Friday');
    expect(goodFriday.nextOpen).toBe(utc('2026-04-06T13:30:00Z'));
    expect(isTradable('us_equity', utc('2026-04-03T15:00:00Z'), { extendedHours: true })).toBe(false);
    // The one-off closure of 2025-01-09 is in the calendar too.
    expect(sessionState('us_equity', utc('2025-01-09T16:00:00Z')).reason).toMatch(/Carter/);
    // July 4th 2026 falls on a Saturday: observed Friday July 3.
    expect(sessionState('us_equity', utc('2026-07-03T15:00:00Z')).reason).toBe('holiday: Independence Day (observed)');
  });

  it('closes at 13:00 ET on an early-close day, with after-hours to 17:00', () => {
    // Fri 2026-11-27, day after Thanksgiving (EST).
    const s = sessionState('us_equity', utc('2026-11-27T17:59:00Z'));
    expect(s.phase).toBe('regular');
    expect(s.nextClose).toBe(utc('2026-11-27T18:00:00Z'));
    expect(s.reason).toMatch(/early close/);
    expect(sessionState('us_equity', utc('2026-11-27T18:00:00Z')).phase).toBe('post');
    expect(sessionState('us_equity', utc('2026-11-27T21:59:00Z')).phase).toBe('post');
    expect(sessionState('us_equity', utc('2026-11-27T22:00:00Z')).phase).toBe('closed');
    expect(sessionCloseFor('us_equity', utc('2026-11-27T15:00:00Z'))).toBe(utc('2026-11-27T18:00:00Z'));
    // Christmas Eve 2025 (Wednesday) is also a half day.
    expect(sessionCloseFor('us_equity', utc('2025-12-24T15:00:00Z'))).toBe(utc('2025-12-24T18:00:00Z'));
  });

  it('is closed at the weekend and reports the next open', () => {
    const s = sessionState('us_equity', utc('2026-01-10T15:00:00Z'));
    expect(s).toMatchObject({ phase: 'closed', open: false, reason: 'weekend', nextOpen: utc('2026-01-12T14:30:00Z'), nextClose: utc('2026-01-12T21:00:00Z') });
    expect(s.until).toBe(utc('2026-01-12T09:00:00Z')); // Monday 04:00 pre-market
    expect(isTradable('us_equity', utc('2026-01-10T15:00:00Z'))).toBe(false);
  });

  it('flags pre-market and after-hours separately from the regular session', () => {
    expect(sessionState('us_equity', utc('2026-01-06T08:59:00Z'))).toMatchObject({ phase: 'closed', reason: 'overnight', until: utc('2026-01-06T09:00:00Z') });
    expect(sessionState('us_equity', utc('2026-01-06T09:00:00Z'))).toMatchObject({ phase: 'pre', open: false, until: utc('2026-01-06T14:30:00Z') });
    expect(sessionState('us_equity', utc('2026-01-06T21:00:00Z'))).toMatchObject({ phase: 'post', open: false, until: utc('2026-01-07T01:00:00Z') });
    expect(sessionState('us_equity', utc('2026-01-07T01:00:00Z')).phase).toBe('closed');
    expect(isTradable('us_equity', utc('2026-01-06T09:00:00Z'))).toBe(false);
    expect(isTradable('us_equity', utc('2026-01-06T09:00:00Z'), { extendedHours: true })).toBe(true);
    expect(isTradable('us_equity', utc('2026-01-06T15:00:00Z'))).toBe(true);
  });

  it('gives DAY orders the close of the current or next regular session', () => {
    expect(sessionCloseFor('us_equity', utc('2026-01-06T15:00:00Z'))).toBe(utc('2026-01-06T21:00:00Z'));
    expect(sessionCloseFor('us_equity', utc('2026-01-06T10:00:00Z'))).toBe(utc('2026-01-06T21:00:00Z')); // pre-market
    expect(sessionCloseFor('us_equity', utc('2026-01-06T21:00:00Z'))).toBe(utc('2026-01-07T21:00:00Z')); // at the bell
    expect(sessionCloseFor('us_equity', utc('2026-01-09T22:00:00Z'))).toBe(utc('2026-01-12T21:00:00Z')); // Friday evening
    expect(sessionCloseFor('us_equity', utc('2026-04-03T15:00:00Z'))).toBe(utc('2026-04-06T20:00:00Z')); // holiday, EDT
  });

  it('does not observe New Year 2028 (a Saturday) on Friday 2027-12-31', () => {
    expect(sessionState('us_equity', utc('2027-12-31T15:00:00Z')).phase).toBe('regular');
  });
});

describe('NYSE calendar', () => {
  it('lists the published 2025–2027 holidays and early closes', () => {
    expect(usEquityCalendar(2026).holidays.map((h) => h.date)).toEqual([
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
    ]);
    expect(usEquityCalendar(2025).earlyCloses.map((h) => h.date)).toEqual(['2025-07-03', '2025-11-28', '2025-12-24']);
    expect(usEquityCalendar(2027).earlyCloses.map((h) => h.date)).toEqual(['2027-11-26']);
  });

  it('reproduces the published calendars from the rules (apart from the one-off 2025 closure)', () => {
    for (const year of [2025, 2026, 2027]) {
      const pub = usEquityCalendar(year);
      const rule = usEquityCalendarByRule(year);
      expect(rule.holidays.map((h) => h.date)).toEqual(pub.holidays.map((h) => h.date).filter((d) => d !== '2025-01-09'));
      expect(rule.earlyCloses.map((h) => h.date)).toEqual(pub.earlyCloses.map((h) => h.date));
    }
  });

  it('extends by rule past the published years (2028 per NYSE: no New Year holiday, July 3 half day)', () => {
    const c = usEquityCalendar(2028);
    expect(c.holidays.map((h) => h.date)).toEqual(['2028-01-17', '2028-02-21', '2028-04-14', '2028-05-29', '2028-06-19', '2028-07-04', '2028-09-04', '2028-11-23', '2028-12-25']);
    expect(c.earlyCloses.map((h) => h.date)).toContain('2028-07-03');
  });
});

describe('cme_equity_futures', () => {
  it('opens Sunday 18:00 ET and closes Friday 17:00 ET', () => {
    expect(sessionState('cme_equity_futures', utc('2026-01-11T22:59:00Z'))).toMatchObject({ phase: 'closed', reason: 'weekend', nextOpen: utc('2026-01-11T23:00:00Z') });
    expect(sessionState('cme_equity_futures', utc('2026-01-11T23:00:00Z'))).toMatchObject({ phase: 'regular', open: true, nextClose: utc('2026-01-12T22:00:00Z') });
    expect(sessionState('cme_equity_futures', utc('2026-01-16T21:59:00Z')).open).toBe(true);
    const fri = sessionState('cme_equity_futures', utc('2026-01-16T22:00:00Z'));
    expect(fri).toMatchObject({ phase: 'closed', open: false, nextOpen: utc('2026-01-18T23:00:00Z') });
    expect(sessionState('cme_equity_futures', utc('2026-01-17T12:00:00Z')).phase).toBe('closed');
  });

  it('pauses 17:00–18:00 ET Monday to Thursday, in EST and in EDT', () => {
    expect(sessionState('cme_equity_futures', utc('2026-01-13T21:59:00Z')).phase).toBe('regular');
    expect(sessionState('cme_equity_futures', utc('2026-01-13T22:00:00Z'))).toMatchObject({ phase: 'break', open: false, nextOpen: utc('2026-01-13T23:00:00Z') });
    expect(sessionState('cme_equity_futures', utc('2026-01-13T23:00:00Z')).phase).toBe('regular');
    // July: EDT, the break is 21:00–22:00Z.
    expect(sessionState('cme_equity_futures', utc('2026-07-08T21:30:00Z')).phase).toBe('break');
    expect(sessionState('cme_equity_futures', utc('2026-07-08T22:00:00Z')).phase).toBe('regular');
    expect(sessionCloseFor('cme_equity_futures', utc('2026-07-08T21:30:00Z'))).toBe(utc('2026-07-09T21:00:00Z'));
    expect(sessionCloseFor('cme_equity_futures', utc('2026-07-08T15:00:00Z'))).toBe(utc('2026-07-08T21:00:00Z'));
  });
});

describe('forex and always', () => {
  it('forex trades continuously Sunday 17:00 to Friday 17:00 ET, with DAY orders ending at the 17:00 roll', () => {
    expect(sessionState('forex', utc('2026-01-11T21:59:00Z')).open).toBe(false);
    expect(sessionState('forex', utc('2026-01-11T22:00:00Z')).open).toBe(true);
    const wed = sessionState('forex', utc('2026-01-14T22:30:00Z'));
    expect(wed).toMatchObject({ phase: 'regular', open: true, nextClose: utc('2026-01-16T22:00:00Z'), openedAt: utc('2026-01-11T22:00:00Z') });
    expect(sessionState('forex', utc('2026-01-16T22:00:00Z')).open).toBe(false);
    expect(sessionCloseFor('forex', utc('2026-01-14T21:00:00Z'))).toBe(utc('2026-01-14T22:00:00Z'));
    expect(sessionCloseFor('forex', utc('2026-01-14T22:30:00Z'))).toBe(utc('2026-01-15T22:00:00Z'));
  });

  it('always is open, with DAY orders ending at 00:00 UTC', () => {
    expect(sessionState('always', utc('2026-01-10T03:00:00Z'))).toMatchObject({ phase: 'regular', open: true });
    expect(isTradable('always', utc('2026-12-25T12:00:00Z'))).toBe(true);
    expect(sessionCloseFor('always', utc('2026-01-10T03:00:00Z'))).toBe(utc('2026-01-11T00:00:00Z'));
  });
});
