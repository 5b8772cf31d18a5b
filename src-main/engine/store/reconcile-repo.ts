/** Stored reconciliation reports: the trader reads them later ("while disconnected: …"). */
import type { Db } from './db';

export type ReconcileTrigger = 'start' | 'reconnect' | 'manual';

export interface ReconcileChangeRecord {
  readonly kind: 'fill' | 'order' | 'adopted' | 'position' | 'balance';
  readonly message: string;
}

export interface StoredReconcileReport {
  readonly seq: number;
  readonly venue: string;
  readonly ts: number;
  readonly trigger: ReconcileTrigger;
  readonly ok: boolean;
  readonly error: string | null;
  readonly changes: ReconcileChangeRecord[];
}

export class ReconcileRepo {
  constructor(private readonly db: Db) {}

  insert(r: Omit<StoredReconcileReport, 'seq'>): StoredReconcileReport {
    const info = this.db
      .prepare('INSERT INTO reconcile_reports (venue, ts, trigger, ok, error, changes) VALUES (?, ?, ?, ?, ?, ?)')
      .run(r.venue, r.ts, r.trigger, r.ok ? 1 : 0, r.error, JSON.stringify(r.changes));
    return { ...r, seq: Number(info.lastInsertRowid) };
  }

  list(opts: { venue?: string; limit?: number } = {}): StoredReconcileReport[] {
    const rows = (
      opts.venue
        ? this.db.prepare('SELECT * FROM reconcile_reports WHERE venue = ? ORDER BY seq DESC LIMIT ?').all(opts.venue, opts.limit ?? 50)
        : this.db.prepare('SELECT * FROM reconcile_reports ORDER BY seq DESC LIMIT ?').all(opts.limit ?? 50)
    ) as Array<{ seq: number; venue: string; ts: number; trigger: ReconcileTrigger; ok: number; error: string | null; changes: string }>;
    return rows.map((r) => ({ seq: r.seq, venue: r.venue, ts: r.ts, trigger: r.trigger, ok: r.ok === 1, error: r.error, changes: JSON.parse(r.changes) as ReconcileChangeRecord[] }));
  }
}
