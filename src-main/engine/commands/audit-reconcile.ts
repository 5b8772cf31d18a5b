/** Commands for the audit trail and reconciliation (running one, and the stored reports). */
import type { ReconcileReportView } from '../api/commands';
import type { CommandHandlers } from '../api/engine-api';
import type { ReconcileScheduler } from '../oms/reconcile-scheduler';
import { auditToCsv, type AuditRepo } from '../store/audit-repo';
import type { ReconcileRepo } from '../store/reconcile-repo';
import type { VenueManager } from '../venues/venue-manager';

export interface AuditReconcileCommandsDeps {
  readonly audit: AuditRepo;
  readonly reconciler: ReconcileScheduler;
  readonly reconcileReports: ReconcileRepo;
  readonly venues: Pick<VenueManager, 'get' | 'require' | 'list'>;
}

type AuditReconcileCommand = 'reconcile.run' | 'reconcile.reports' | 'audit.list' | 'audit.csv';

export function auditReconcileCommands(d: AuditReconcileCommandsDeps): Pick<CommandHandlers, AuditReconcileCommand> {
  const { audit, reconciler, reconcileReports, venues } = d;
  return {
    'reconcile.run': async (i) => {
      // Every running venue, one after another (each venue's run is already queued behind any in progress).
      const names = i.venue
        ? [venues.require(i.venue).name]
        : venues
            .list()
            .filter((v) => venues.get(v.name))
            .map((v) => v.name);
      const out: ReconcileReportView[] = [];
      for (const n of names) out.push(await reconciler.reconcile(n, 'manual'));
      return out;
    },
    'reconcile.reports': (i) => reconcileReports.list({ limit: i.limit, ...(i.venue ? { venue: i.venue } : {}) }),
    'audit.list': (i) => audit.list(auditFilters(i)),
    'audit.csv': (i) => {
      const rows = audit.list(auditFilters(i));
      return { csv: auditToCsv(rows), rows: rows.length };
    },
  };
}

function auditFilters(i: { action?: string | undefined; venue?: string | undefined; actor?: string | undefined; sinceTs?: number | undefined; limit: number }) {
  return {
    limit: i.limit,
    ...(i.action ? { action: i.action } : {}),
    ...(i.venue ? { venue: i.venue } : {}),
    ...(i.actor ? { actor: i.actor } : {}),
    ...(i.sinceTs !== undefined ? { sinceTs: i.sinceTs } : {}),
  };
}
