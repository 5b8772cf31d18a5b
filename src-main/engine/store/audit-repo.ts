/** The append-only audit log (triggers in the schema refuse UPDATE and DELETE). */
import type { AuditEntryView } from '../api/commands';
import type { Db } from './db';

/** A row of the log is exactly what the API returns for it. */
export type AuditEntry = AuditEntryView;

export type AuditInput = Omit<AuditEntry, 'seq'>;

export class AuditRepo {
  private readonly insertStmt;
  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare('INSERT INTO audit_log (ts, actor, transport, action, venue, ok, detail) VALUES (?, ?, ?, ?, ?, ?, ?)');
  }
  append(e: AuditInput): void {
    this.insertStmt.run(e.ts, e.actor, e.transport, e.action, e.venue, e.ok ? 1 : 0, JSON.stringify(e.detail));
  }
  list(opts: { action?: string; venue?: string; actor?: string; sinceTs?: number; limit?: number } = {}): AuditEntry[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (opts.action) {
      // A prefix, ignoring ASCII case as LIKE did (`killswitch` finds `killSwitch.*`) but matched
      // exactly otherwise ('_' and '%' are characters, not wildcards), as a range the NOCASE action
      // index serves; substr settles the one string the range bound itself would admit wrongly.
      where.push('action >= ? COLLATE NOCASE AND action < ? COLLATE NOCASE AND substr(action, 1, ?) = ? COLLATE NOCASE');
      args.push(opts.action, `${opts.action}\u{10FFFF}`, [...opts.action].length, opts.action);
    }
    if (opts.venue) {
      where.push('venue = ?');
      args.push(opts.venue);
    }
    if (opts.actor) {
      where.push('actor = ?');
      args.push(opts.actor);
    }
    if (opts.sinceTs !== undefined) {
      where.push('ts >= ?');
      args.push(opts.sinceTs);
    }
    args.push(opts.limit ?? 1000);
    const rows = this.db.prepare(`SELECT * FROM audit_log ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY seq DESC LIMIT ?`).all(...args) as Array<{
      seq: number;
      ts: number;
      actor: string;
      transport: string;
      action: string;
      venue: string | null;
      ok: number;
      detail: string;
    }>;
    return rows.map((r) => ({ ...r, ok: r.ok === 1, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }
}

/**
 * RFC 4180 CSV: every field quoted when it holds a comma, quote, CR or LF; quotes doubled.
 * A leading =, +, - or @ is prefixed with an apostrophe so a spreadsheet never runs a cell as a
 * formula (an actor or venue name is user-typed text).
 */
export function auditToCsv(entries: readonly AuditEntry[]): string {
  const header = ['seq', 'time_utc', 'ts', 'actor', 'transport', 'action', 'venue', 'ok', 'detail'];
  const lines = [header.join(',')];
  for (const e of entries) {
    lines.push([String(e.seq), new Date(e.ts).toISOString(), String(e.ts), e.actor, e.transport, e.action, e.venue ?? '', e.ok ? 'true' : 'false', JSON.stringify(e.detail)].map(csvField).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

function csvField(v: string): string {
  const safe = /^[=+\-@]/.test(v) && !/^-?\d/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
