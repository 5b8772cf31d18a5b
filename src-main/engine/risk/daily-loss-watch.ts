/**
 * Tells the trader when today's loss comes near the daily loss limit, and when it reaches it
 * (`dailyLoss` events, for the alerts and toasts). "Near" is DAILY_LOSS_NEAR_RATIO of the limit:
 * the same 90 % at which a preview already warns (risk/pre-trade.ts NEAR_LIMIT_RATIO). Each level
 * is told once per trading day per limit scope; checked on every fill, like the limit itself.
 */
import type { DailyLossAlert, EngineEvent } from '../api/events';
import { Decimal } from '../domain/money';
import { NEAR_LIMIT_RATIO } from './pre-trade';

export const DAILY_LOSS_NEAR_RATIO = NEAR_LIMIT_RATIO;

export interface DailyLossReading {
  readonly venue: string;
  /** The limit's scope in words (domain/risk-limits.ts describeScope). */
  readonly scope: string;
  /** The limit, or null when none applies. */
  readonly limit: Decimal | null;
  /** Today's P&L (realized + unrealized), in the account currency. */
  readonly pnl: Decimal;
  readonly currency: string;
  readonly dayStart: number;
}

export class DailyLossWatch {
  private readonly told = new Set<string>();
  private day: number | undefined;

  constructor(private readonly d: { readonly emit: (e: EngineEvent) => void; readonly now: () => number }) {}

  /**
   * Whether a reading could still tell something today: a limit is set and its "hit" has not been
   * told for this scope and day. Lets a caller skip working out today's P&L when nothing is left.
   */
  pending(scope: string, limit: Decimal | null, dayStart: number): boolean {
    if (limit === null || limit.lte(0)) return false;
    return this.day !== dayStart || !this.told.has(`${scope}|hit`);
  }

  /** Returns the level told now, if any. */
  check(r: DailyLossReading): DailyLossAlert['level'] | undefined {
    if (this.day !== r.dayStart) {
      this.day = r.dayStart;
      this.told.clear();
    }
    if (r.limit === null || r.limit.lte(0) || !r.pnl.isNegative()) return undefined;
    const loss = r.pnl.neg();
    const level = loss.gte(r.limit) ? 'hit' : loss.gte(r.limit.mul(DAILY_LOSS_NEAR_RATIO)) ? 'near' : undefined;
    if (!level) return undefined;
    const key = `${r.scope}|${level}`;
    if (this.told.has(key)) return undefined;
    this.told.add(key);
    // A loss that jumps straight past the limit is a hit; "near" is not told after it.
    if (level === 'hit') this.told.add(`${r.scope}|near`);
    const alert: DailyLossAlert = {
      level,
      scope: r.scope,
      venue: r.venue,
      loss: loss.toDecimalPlaces(2).toFixed(2),
      limit: r.limit.toFixed(),
      currency: r.currency,
      dayStart: r.dayStart,
      ts: this.d.now(),
    };
    this.d.emit({ type: 'dailyLoss', alert });
    return level;
  }
}
