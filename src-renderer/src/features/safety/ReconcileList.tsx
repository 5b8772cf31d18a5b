/** Reconciliation reports: what changed at each venue while we were away, newest first. */
import { useEffect, useState } from 'react';
import { formatDateTime } from '../../components/format';
import { useEngine } from '../../store/hooks';
import { loadReconcileReports, runReconcile } from './safety-actions';
import { changeLabel } from './safety-model';

export function ReconcileToolbar() {
  const venues = useEngine((s) => s.venues);
  const [venue, setVenue] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  return (
    <div className="toolbar">
      <span className="muted small">Venue vs local: open orders, fills, positions, balances. Runs on start, after every reconnect, and on demand.</span>
      <div className="toolbar-right">
        <select className="mini-select" data-testid="reconcile-venue" value={venue} onChange={(e) => setVenue(e.target.value)} aria-label="Venue to reconcile">
          <option value="">All venues</option>
          {Object.values(venues).map((v) => (
            <option key={v.name} value={v.name}>
              {v.label || v.name}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="btn mini"
          data-testid="reconcile-run"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            setError(undefined);
            const err = await runReconcile(venue || undefined);
            setBusy(false);
            if (err) setError(`${err.code} — ${err.message}`);
          }}
        >
          {busy ? 'Reconciling…' : 'Reconcile now'}
        </button>
      </div>
      {error && (
        <div className="inline-error" role="alert" data-testid="reconcile-error">
          {error}
        </div>
      )}
    </div>
  );
}

export function ReconcileList() {
  const reports = useEngine((s) => s.reconcileReports);
  useEffect(() => {
    void loadReconcileReports();
  }, []);
  return (
    <div className="reconcile" data-testid="reconcile-panel">
      <ReconcileToolbar />
      <table className="grid" data-testid="reconcile-table">
        <thead>
          <tr>
            <th>Time</th>
            <th>Venue</th>
            <th>Trigger</th>
            <th>Result</th>
          </tr>
        </thead>
        <tbody>
          {reports.length === 0 && (
            <tr className="empty">
              <td colSpan={4}>No reconciliation yet.</td>
            </tr>
          )}
          {reports.map((r) => (
            <tr key={`${r.venue}|${r.seq}`} className="top" data-testid="reconcile-report" data-venue={r.venue} data-trigger={r.trigger} data-ok={String(r.ok)} data-changes={r.changes.length}>
              <td className="muted num">{formatDateTime(r.ts)}</td>
              <td className="sym">{r.venue}</td>
              <td>
                <span className={`trigger trigger-${r.trigger}`}>{r.trigger}</span>
              </td>
              <td className="wrap">
                {!r.ok && <div className="neg">Failed: {r.error ?? 'unknown error'}</div>}
                {r.ok && r.changes.length === 0 && <span className="muted">in sync — no differences</span>}
                {r.changes.map((c, i) => (
                  <div key={i} className="change" data-testid="reconcile-change" data-kind={c.kind}>
                    <span className={`chg chg-${c.kind}`}>{changeLabel(c.kind)}</span> {c.message}
                  </div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
