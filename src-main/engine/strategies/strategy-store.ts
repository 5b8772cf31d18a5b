/** Strategy definitions, planner state, the step journal and the fills each strategy accounted. */
import { Decimal } from '../domain/money';
import type { Db } from '../store/db';
import { applyOwnedMigrations } from '../store/owned-migrations';
import type { PlaceTicket, StepRow, StrategyFill, StrategyRow, StrategyStatus } from './strategy-types';
import { STRATEGY_MIGRATIONS } from './strategy-migrations';

interface RawStrategy {
  id: string;
  kind: string;
  venue: string;
  symbol: string;
  params: string;
  state: string;
  status: string;
  reason: string | null;
  next_step: number;
  wake_at: number | null;
  created_at: number;
  updated_at: number;
}
interface RawStep {
  strategy_id: string;
  step: number;
  client_order_id: string;
  tag: string;
  ticket: string;
  status: string;
  order_id: string | null;
  error: string | null;
  created_at: number;
}

const toRow = (r: RawStrategy): StrategyRow => ({
  id: r.id,
  kind: r.kind,
  venue: r.venue,
  symbol: r.symbol,
  params: JSON.parse(r.params) as Record<string, unknown>,
  state: JSON.parse(r.state) as unknown,
  status: r.status as StrategyStatus,
  reason: r.reason,
  nextStep: r.next_step,
  wakeAt: r.wake_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
const toStep = (r: RawStep): StepRow => ({
  strategyId: r.strategy_id,
  step: r.step,
  clientOrderId: r.client_order_id,
  tag: r.tag,
  ticket: JSON.parse(r.ticket) as PlaceTicket,
  status: r.status as StepRow['status'],
  orderId: r.order_id,
  error: r.error,
  createdAt: r.created_at,
});

/** One planner decision, written in one transaction: what it heard, its new state and the steps it planned. */
export interface Commit {
  readonly id: string;
  readonly state: unknown;
  readonly nextStep: number;
  readonly wakeAt: number | null;
  /** Journaled before any is sent. */
  readonly steps: readonly StepRow[];
  /** The fill the planner heard: recorded once; a fill already accounted makes the whole commit a no-op. */
  readonly fill?: StrategyFill;
  /** The step the planner heard was refused or ended. */
  readonly stepOutcome?: { readonly clientOrderId: string; readonly status: 'refused' | 'ended'; readonly error?: string };
  /** The plan finished (or stopped) with this decision. */
  readonly status?: { readonly status: StrategyStatus; readonly reason: string | null };
  readonly now: number;
}

export class StrategyStore {
  constructor(
    private readonly db: Db,
    now: () => number,
  ) {
    applyOwnedMigrations(db, 'strategies', STRATEGY_MIGRATIONS, now);
  }

  insert(r: StrategyRow): void {
    this.db
      .prepare('INSERT INTO strategies (id, kind, venue, symbol, params, state, status, reason, next_step, wake_at, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)')
      .run(r.id, r.kind, r.venue, r.symbol, JSON.stringify(r.params), JSON.stringify(r.state), r.status, r.reason, r.nextStep, r.wakeAt, r.createdAt, r.updatedAt);
  }

  get(id: string): StrategyRow | undefined {
    const r = this.db.prepare('SELECT * FROM strategies WHERE id = ?').get(id) as RawStrategy | undefined;
    return r && toRow(r);
  }

  all(): StrategyRow[] {
    return (this.db.prepare('SELECT * FROM strategies ORDER BY created_at, rowid').all() as RawStrategy[]).map(toRow);
  }

  setStatus(id: string, status: StrategyStatus, reason: string | null, now: number): void {
    this.db.prepare('UPDATE strategies SET status = ?, reason = ?, updated_at = ? WHERE id = ?').run(status, reason, now, id);
  }

  /** Writes a planner decision atomically; false (and nothing written) when its fill was already accounted. */
  commit(c: Commit): boolean {
    return this.db.transaction(() => {
      if (c.fill) {
        const f = c.fill;
        const r = this.db
          .prepare('INSERT OR IGNORE INTO strategy_fills (fill_id, strategy_id, step, side, qty, price, fee, ts) VALUES (?,?,?,?,?,?,?,?)')
          .run(f.fillId, c.id, f.step, f.side, f.qty, f.price, f.fee, f.ts);
        if (r.changes === 0) return false;
      }
      const o = c.stepOutcome;
      if (o) this.db.prepare('UPDATE strategy_steps SET status = ?, error = ?, ended_at = ? WHERE client_order_id = ?').run(o.status, o.error ?? null, c.now, o.clientOrderId);
      this.db.prepare('UPDATE strategies SET state = ?, next_step = ?, wake_at = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(c.state), c.nextStep, c.wakeAt, c.now, c.id);
      if (c.status) this.setStatus(c.id, c.status.status, c.status.reason, c.now);
      const ins = this.db.prepare('INSERT INTO strategy_steps (strategy_id, step, client_order_id, tag, ticket, status, created_at) VALUES (?,?,?,?,?,?,?)');
      for (const s of c.steps) ins.run(s.strategyId, s.step, s.clientOrderId, s.tag, JSON.stringify(s.ticket), 'journaled', c.now);
      return true;
    })();
  }

  /** The engine took the step (only a journaled step moves to sent: an order that already ended stays ended). */
  stepSent(clientOrderId: string, orderId: string): void {
    this.db.prepare("UPDATE strategy_steps SET status = 'sent', order_id = ? WHERE client_order_id = ? AND status = 'journaled'").run(orderId, clientOrderId);
  }

  steps(id: string): StepRow[] {
    return (this.db.prepare('SELECT * FROM strategy_steps WHERE strategy_id = ? ORDER BY step').all(id) as RawStep[]).map(toStep);
  }

  stepByClientId(clientOrderId: string): StepRow | undefined {
    const r = this.db.prepare('SELECT * FROM strategy_steps WHERE client_order_id = ?').get(clientOrderId) as RawStep | undefined;
    return r && toStep(r);
  }

  /** Steps whose order may still be working or not yet sent. */
  openSteps(id: string): StepRow[] {
    return (this.db.prepare("SELECT * FROM strategy_steps WHERE strategy_id = ? AND status IN ('journaled', 'sent') ORDER BY step").all(id) as RawStep[]).map(toStep);
  }

  /** Quantity of a step already accounted from fills. */
  stepFilled(strategyId: string, step: number): string {
    const rows = this.db.prepare('SELECT qty FROM strategy_fills WHERE strategy_id = ? AND step = ?').all(strategyId, step) as { qty: string }[];
    return rows.reduce((a, r) => a.plus(r.qty), new Decimal(0)).toFixed();
  }

  fills(id: string): StrategyFill[] {
    return this.db.prepare('SELECT fill_id AS fillId, step, side, qty, price, fee, ts FROM strategy_fills WHERE strategy_id = ? ORDER BY ts, fill_id').all(id) as StrategyFill[];
  }
}
