/** The audit log: every command, mode change, risk breach, kill switch and reconcile, filterable; CSV export. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AuditEntryView } from '../../../../src-main/engine/api/commands';
import { invoke } from '../../api/invoke';
import { formatDateTime } from '../../components/format';
import { useEngine } from '../../store/hooks';
import { downloadText } from './safety-actions';
import { auditCsvFilename, auditDetailLine, auditQuery, emptyAuditFilters, parseUtcDateTime, type AuditFilters } from './safety-model';

export function AuditTable() {
  const venues = useEngine((s) => s.venues);
  // Things that write audit entries: refresh when they change.
  const ks = useEngine((s) => s.killSwitch);
  const reports = useEngine((s) => s.reconcileReports.length);
  const notices = useEngine((s) => s.notices.length);
  const [filters, setFilters] = useState<AuditFilters>(emptyAuditFilters);
  const [rows, setRows] = useState<AuditEntryView[]>();
  const [error, setError] = useState<string>();
  const [exporting, setExporting] = useState(false);
  const [exported, setExported] = useState<string>();
  const seq = useRef(0);

  const load = useCallback(async () => {
    const mine = ++seq.current;
    const r = await invoke('audit.list', auditQuery(filters));
    if (mine !== seq.current) return;
    if (r.ok) {
      setRows(r.value);
      setError(undefined);
    } else setError(`${r.error.code} — ${r.error.message}`);
  }, [filters]);

  useEffect(() => {
    const t = setTimeout(() => void load(), 200);
    return () => clearTimeout(t);
  }, [load, ks, reports, notices]);

  const upd = (p: Partial<AuditFilters>) => setFilters((f) => ({ ...f, ...p }));
  const badSince = filters.since.trim() !== '' && parseUtcDateTime(filters.since) === undefined;

  const exportCsv = async () => {
    setExporting(true);
    setExported(undefined);
    const r = await invoke('audit.csv', auditQuery(filters, 100_000));
    setExporting(false);
    if (!r.ok) {
      setError(`${r.error.code} — ${r.error.message}`);
      return;
    }
    const name = auditCsvFilename(Date.now());
    downloadText(name, r.value.csv);
    setExported(`${r.value.rows} row${r.value.rows === 1 ? '' : 's'} → ${name}`);
  };

  return (
    <div className="audit" data-testid="audit-panel">
      <div className="toolbar">
        <label>
          Action
          <input data-testid="audit-filter-action" data-letters="true" value={filters.action} placeholder="prefix, e.g. killSwitch" onChange={(e) => upd({ action: e.target.value })} />
        </label>
        <label>
          Venue
          <select data-testid="audit-filter-venue" value={filters.venue} onChange={(e) => upd({ venue: e.target.value })}>
            <option value="">any</option>
            {Object.values(venues).map((v) => (
              <option key={v.name} value={v.name}>
                {v.label || v.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Actor
          <input data-testid="audit-filter-actor" data-letters="true" value={filters.actor} placeholder="any" onChange={(e) => upd({ actor: e.target.value })} />
        </label>
        <label>
          Since (UTC)
          <input
            data-testid="audit-filter-since"
            data-letters="true"
            className={badSince ? 'invalid' : ''}
            value={filters.since}
            placeholder="YYYY-MM-DD HH:MM"
            title="UTC; date alone means 00:00"
            onChange={(e) => upd({ since: e.target.value })}
          />
        </label>
        <div className="toolbar-right">
          <button type="button" className="btn mini ghost" data-testid="audit-refresh" onClick={() => void load()}>
            Refresh
          </button>
          <button type="button" className="btn mini" data-testid="audit-export" disabled={exporting} onClick={() => void exportCsv()}>
            {exporting ? 'Exporting…' : 'Export CSV'}
          </button>
        </div>
      </div>
      {(error || exported) && (
        <div className={error ? 'inline-error pad' : 'muted pad small'} role={error ? 'alert' : 'status'} data-testid={error ? 'audit-error' : 'audit-exported'}>
          {error ?? exported}
        </div>
      )}
      <table className="grid" data-testid="audit-table">
        <thead>
          <tr>
            <th>Time</th>
            <th>Actor</th>
            <th>Action</th>
            <th>Venue</th>
            <th>OK</th>
            <th>Detail</th>
          </tr>
        </thead>
        <tbody>
          {!rows && !error && (
            <tr className="empty">
              <td colSpan={6}>Loading…</td>
            </tr>
          )}
          {rows?.length === 0 && (
            <tr className="empty">
              <td colSpan={6}>No entries match</td>
            </tr>
          )}
          {rows?.map((e) => (
            <tr key={e.seq} data-testid="audit-row" data-action={e.action} data-actor={e.actor} data-venue={e.venue ?? ''} data-ok={String(e.ok)}>
              <td className="muted num">{formatDateTime(e.ts)}</td>
              <td>
                {e.actor}
                <span className="muted"> · {e.transport}</span>
              </td>
              <td className="mono">{e.action}</td>
              <td>{e.venue ?? <span className="muted">—</span>}</td>
              <td className={e.ok ? 'pos' : 'neg'}>{e.ok ? '✓' : '✕'}</td>
              <td className="ellip detail" title={JSON.stringify(e.detail, null, 1)}>
                {auditDetailLine(e)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
