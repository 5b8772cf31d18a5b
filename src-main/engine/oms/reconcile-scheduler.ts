/**
 * Runs reconciliations (oms/reconciler.ts) for the engine: at most one per venue at a time, each
 * stored as a report, audited, announced as a `reconcile` event, and summarised as a notice when
 * it failed or changed something. The triggers are the venue starting, a reconnect and
 * `reconcile.run`. A venue that cannot be reconciled yields a stored report carrying the error
 * (and an error notice) rather than a rejection: the start and reconnect triggers run in the
 * background, where nobody would see a thrown error.
 */
import { TradeportError } from '../api/errors';
import type { EngineEvent } from '../api/events';
import type { Clock } from '../ports/clock';
import type { AuditRepo } from '../store/audit-repo';
import type { OrdersRepo, StoredOrder } from '../store/orders-repo';
import type { PortfolioRepo } from '../store/portfolio-repo';
import type { ReconcileRepo, ReconcileTrigger, StoredReconcileReport } from '../store/reconcile-repo';
import type { VenueManager } from '../venues/venue-manager';
import type { VenueConnector } from '../venues/venue-port';
import type { OrderManager } from './order-manager';
import { reconcileVenue } from './reconciler';

export interface ReconcileSchedulerDeps {
  readonly venues: Pick<VenueManager, 'require'>;
  readonly oms: OrderManager;
  readonly orders: OrdersRepo;
  readonly portfolio: PortfolioRepo;
  readonly clock: Clock;
  readonly reports: ReconcileRepo;
  readonly audit: AuditRepo;
  readonly emit: (e: EngineEvent) => void;
  /** The connector an order's route talks to (oms/route-connectors.ts). */
  readonly connectorFor: (venue: string, route?: StoredOrder['route']) => VenueConnector | undefined;
}

export class ReconcileScheduler {
  /** One reconciliation per venue at a time; a second request waits for the first and runs after it. */
  private readonly reconciling = new Map<string, Promise<StoredReconcileReport>>();
  /** Start time of each venue's last successful reconciliation in this process (fills are complete up to it). */
  private readonly lastOkStart = new Map<string, number>();

  constructor(private readonly d: ReconcileSchedulerDeps) {}

  reconcile(venue: string, trigger: ReconcileTrigger): Promise<StoredReconcileReport> {
    const prev = this.reconciling.get(venue) ?? Promise.resolve(undefined);
    const next = prev.catch(() => undefined).then(() => this.reconcileOnce(venue, trigger));
    this.reconciling.set(venue, next);
    void next
      .finally(() => {
        if (this.reconciling.get(venue) === next) this.reconciling.delete(venue);
      })
      .catch(() => undefined);
    return next;
  }

  /** How many venues have a reconciliation running or queued. */
  get size(): number {
    return this.reconciling.size;
  }

  /** The latest reconciliation of each venue that has one running or queued. */
  pending(): Promise<StoredReconcileReport>[] {
    return [...this.reconciling.values()];
  }

  private async reconcileOnce(venue: string, trigger: ReconcileTrigger): Promise<StoredReconcileReport> {
    const { venues, oms, orders, portfolio, clock, audit, emit } = this.d;
    let changes: StoredReconcileReport['changes'] = [];
    let error: string | null = null;
    const started = clock.now();
    try {
      const conn = venues.require(venue);
      // Fills are complete up to the last successful reconciliation (this process's start time of
      // it, else the stored report of an earlier run); since then only the stream brought them.
      const completeUntil = this.lastOkStart.get(venue) ?? this.d.reports.list({ venue, limit: 50 }).find((r) => r.ok)?.ts;
      const report = await reconcileVenue(venue, conn, oms, orders, portfolio, clock, (o) => this.d.connectorFor(o.venue, o.route), completeUntil);
      changes = report.changes;
      this.lastOkStart.set(venue, started);
    } catch (err) {
      error = err instanceof TradeportError ? err.message : `Reconciliation of ${venue} failed: ${(err as Error).message ?? String(err)}`;
    }
    const stored = this.d.reports.insert({ venue, ts: clock.now(), trigger, ok: error === null, error, changes });
    audit.append({ ts: stored.ts, actor: 'reconcile', transport: 'internal', action: 'reconcile', venue, ok: stored.ok, detail: { trigger, changes, ...(error ? { error } : {}) } });
    emit({ type: 'reconcile', report: stored });
    if (error) emit({ type: 'notice', level: 'error', ts: stored.ts, message: error });
    else if (changes.length > 0) {
      const when = trigger === 'reconnect' ? 'while disconnected' : trigger === 'start' ? 'while Tradeport was closed' : 'found';
      emit({ type: 'notice', level: 'info', ts: stored.ts, message: `${venue} reconciled (${when}): ${changes.map((c) => c.message).join('; ')}` });
    }
    return stored;
  }
}
