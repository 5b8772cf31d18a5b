/**
 * The equity curve: the account's net liquidation (cash plus positions at their marks, in the
 * reporting currency, as the header shows it) sampled every `everyMs` while the engine runs and
 * kept in SQLite (store/equity-repo.ts). Snapshots rather than a replay of fills against a price
 * history: the engine keeps no price history, and a venue's cash (deposits, interest, funding)
 * moves equity without any fill. A curve is the snapshots thinned to at most `maxPoints` (the last
 * of each time slice kept) with the present moment as its last point.
 */
import type { AccountSummaryView } from '../api/commands';
import type { EquityCurveView, EquityPointView } from '../api/portfolio';
import type { TimerHandle, Timers } from '../ports/clock';
import type { EquityRepo, EquitySnapshot } from '../store/equity-repo';

export const EQUITY_EVERY_MS = 60_000;
/** Snapshots older than this are dropped (two years: a tax year and the one before). */
export const EQUITY_KEEP_MS = 2 * 366 * 86_400_000;

/** The ledger's P&L total now, in the reporting currency. */
export interface PnlTotals {
  readonly currency: string;
  readonly realized: string;
  readonly unrealized: string;
}

export const snapshotOf = (a: AccountSummaryView, pnl?: PnlTotals): EquitySnapshot => ({
  ts: a.ts,
  currency: a.currency,
  equity: a.netLiquidation,
  cash: a.cash,
  positions: a.positionsValue,
  complete: a.unconverted.length === 0,
  // P&L is kept only in the currency the equity is in (the one the curve is drawn in).
  ...(pnl && pnl.currency === a.currency ? { realized: pnl.realized, unrealized: pnl.unrealized } : {}),
});

const pointOf = (s: EquitySnapshot): EquityPointView => ({
  ts: s.ts,
  equity: s.equity,
  cash: s.cash,
  positions: s.positions,
  complete: s.complete,
  ...(s.realized !== undefined && s.unrealized !== undefined ? { realized: s.realized, unrealized: s.unrealized } : {}),
});

/** At most `maxPoints` points, oldest first: the last snapshot of each equal time slice, the newest always kept. */
export function thin(snaps: readonly EquitySnapshot[], maxPoints: number): EquitySnapshot[] {
  if (snaps.length <= maxPoints) return [...snaps];
  const first = snaps[0]!.ts;
  const span = snaps[snaps.length - 1]!.ts - first + 1;
  const out: EquitySnapshot[] = [];
  let slice = -1;
  for (const s of snaps) {
    const k = Math.floor(((s.ts - first) * maxPoints) / span);
    if (k === slice) out[out.length - 1] = s;
    else {
      out.push(s);
      slice = k;
    }
  }
  return out;
}

export interface EquityHistoryDeps {
  readonly repo: EquityRepo;
  readonly timers: Timers;
  /** The account now (the header's `account.summary`). */
  readonly summary: () => AccountSummaryView;
  /** The lot ledger's P&L now (kept beside each snapshot for the P&L curve); absent, snapshots carry equity only. */
  readonly pnl?: () => PnlTotals;
  readonly everyMs?: number;
  /** A snapshot could not be taken or stored (the journal's health deals with disk errors). */
  readonly onError?: (err: unknown) => void;
}

export class EquityHistory {
  private timer: TimerHandle | undefined;
  private running = false;
  readonly everyMs: number;

  constructor(private readonly d: EquityHistoryDeps) {
    this.everyMs = d.everyMs ?? EQUITY_EVERY_MS;
  }

  /** Takes a snapshot now and then every `everyMs` until stop(). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.d.repo.prune(this.d.timers.now() - EQUITY_KEEP_MS);
    this.tick();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== undefined) this.d.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Records the account as it is now. */
  sample(): EquitySnapshot {
    const s = snapshotOf(this.d.summary(), this.d.pnl?.());
    this.d.repo.add(s);
    return s;
  }

  curve(sinceTs: number | undefined, maxPoints: number): EquityCurveView {
    const now = snapshotOf(this.d.summary(), this.d.pnl?.());
    const past = this.d.repo.since(sinceTs ?? 0, now.currency).filter((s) => s.ts < now.ts);
    return { currency: now.currency, everyMs: this.everyMs, points: [...thin(past, maxPoints - 1), now].map(pointOf) };
  }

  private tick(): void {
    if (!this.running) return;
    try {
      this.sample();
    } catch (err) {
      this.d.onError?.(err);
    }
    this.timer = this.d.timers.setTimeout(() => this.tick(), this.everyMs);
  }
}
