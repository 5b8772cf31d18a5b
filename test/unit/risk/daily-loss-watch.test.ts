/** "Daily loss limit near / hit" on a scripted P&L (risk/daily-loss-watch.ts): near at 90 %, hit at 100 %, once each per day and scope. */
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src-main/engine/api/events';
import { Decimal } from '../../../src-main/engine/domain/money';
import { DAILY_LOSS_NEAR_RATIO, DailyLossWatch } from '../../../src-main/engine/risk/daily-loss-watch';

const DAY = 86_400_000;

function rig() {
  const events: EngineEvent[] = [];
  const watch = new DailyLossWatch({ emit: (e) => events.push(e), now: () => 42 });
  const reading = (pnl: string, o: { limit?: string | null; scope?: string; dayStart?: number } = {}) =>
    watch.check({
      venue: 'paper',
      scope: o.scope ?? 'global limit',
      limit: o.limit === null ? null : new Decimal(o.limit ?? '1000'),
      pnl: new Decimal(pnl),
      currency: 'USD',
      dayStart: o.dayStart ?? 0,
    });
  return { events, reading };
}

describe('daily loss watch', () => {
  it('near is 90 % of the limit, the same threshold a preview warns at', () => {
    expect(DAILY_LOSS_NEAR_RATIO.toFixed()).toBe('0.9');
  });

  it('a P&L walking down tells near once, then hit once, with the figures', () => {
    const { events, reading } = rig();
    const levels = ['250', '-100', '-899.99', '-900', '-950', '-999.99', '-1000', '-1200', '-300'].map((p) => reading(p));
    expect(levels).toEqual([undefined, undefined, undefined, 'near', undefined, undefined, 'hit', undefined, undefined]);
    expect(events).toEqual([
      { type: 'dailyLoss', alert: { level: 'near', scope: 'global limit', venue: 'paper', loss: '900.00', limit: '1000', currency: 'USD', dayStart: 0, ts: 42 } },
      { type: 'dailyLoss', alert: { level: 'hit', scope: 'global limit', venue: 'paper', loss: '1000.00', limit: '1000', currency: 'USD', dayStart: 0, ts: 42 } },
    ]);
  });

  it('a jump past the limit is a hit only; a new day tells again; scopes are apart; no limit tells nothing', () => {
    const { events, reading } = rig();
    expect(reading('-1500')).toBe('hit');
    expect(reading('-950')).toBeUndefined();
    expect(reading('-950', { scope: 'limit for alpaca', limit: '1000' })).toBe('near');
    expect(reading('-950', { dayStart: DAY })).toBe('near');
    expect(reading('-5000', { limit: null, scope: 'default limit' })).toBeUndefined();
    expect(events.map((e) => e.type === 'dailyLoss' && `${e.alert.dayStart} ${e.alert.scope} ${e.alert.level}`)).toEqual(['0 global limit hit', '0 limit for alpaca near', `${DAY} global limit near`]);
  });
});
