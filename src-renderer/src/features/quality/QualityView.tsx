/**
 * Execution quality: per venue the fill and reject rates, slippage against the arrival mid and
 * latency percentiles; in CANARY, each live order beside its SHADOW twin (the same order simulated
 * on the same quotes from the same arrival) and the pairs aggregated.
 */
import { useCallback, useEffect, useState } from 'react';
import type { QualityReportView } from '../../../../src-main/engine/api/quality-view';
import { Dialog } from '../../components/Dialog';
import { useEngine } from '../../store/hooks';
import { loadQuality } from './quality-actions';
import { bpCell, diffTone, msCell, msLine, pctCell, qualityRows, QUALITY_WINDOWS, shownPairs, twinSummaryRows } from './quality-model';

export function QualityButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn mini" data-testid="open-quality" title="Execution quality: fill rate, slippage, latency; CANARY live vs SHADOW twins" onClick={() => setOpen(true)}>
        Quality
      </button>
      {open && <QualityView onClose={() => setOpen(false)} />}
    </>
  );
}

export function QualityView({ onClose }: { onClose: () => void }) {
  const [windowMs, setWindowMs] = useState<number>(QUALITY_WINDOWS[1].ms);
  const [report, setReport] = useState<QualityReportView>();
  const [error, setError] = useState<string>();
  // A fill or an order change is a reason to look again.
  const fills = useEngine((s) => s.fills);
  const refresh = useCallback(async () => {
    const r = await loadQuality(windowMs);
    setError(r.error);
    if (r.report) setReport(r.report);
  }, [windowMs]);
  useEffect(() => {
    void refresh();
  }, [refresh, fills]);
  return (
    <Dialog title="Execution quality" testId="quality-view" className="portfolio-modal quality-modal" onCancel={onClose}>
      <div className="modal-body portfolio-body quality-body">
        <div className="quality-bar">
          <span className="muted">Window</span>
          {QUALITY_WINDOWS.map((w) => (
            <button
              key={w.label}
              type="button"
              className={`btn mini${w.ms === windowMs ? ' on' : ''}`}
              aria-pressed={w.ms === windowMs}
              data-testid={`quality-window-${w.label.replace(' ', '')}`}
              onClick={() => setWindowMs(w.ms)}
            >
              {w.label}
            </button>
          ))}
          <button type="button" className="btn mini" data-testid="quality-refresh" onClick={() => void refresh()}>
            Refresh
          </button>
          {report && <span className="muted small">{report.ordersRead} order(s)</span>}
        </div>
        {error && (
          <div className="inline-error" role="alert" data-testid="quality-error">
            {error}
          </div>
        )}
        {!report ? <p className="muted">Loading…</p> : <QualityTables report={report} />}
      </div>
      <div className="modal-actions">
        <button type="button" className="btn" data-testid="quality-close" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}

function QualityTables({ report }: { report: QualityReportView }) {
  const rows = qualityRows(report);
  return (
    <>
      <h4 title="Slippage against the mid when the order was placed, weighted by fill quantity; positive is a cost. Latency from submit.">Per venue</h4>
      <table className="grid" data-testid="quality-table">
        <thead>
          <tr>
            <th>Venue</th>
            <th className="r">Orders</th>
            <th className="r">Fill rate</th>
            <th className="r">Reject rate</th>
            <th className="r" title="Against the arrival mid; positive is a cost">
              Slippage bp
            </th>
            <th className="r">Ack ms p50/90/99</th>
            <th className="r">Fill ms p50/90/99</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr className="empty">
              <td colSpan={7}>No orders in this window.</td>
            </tr>
          )}
          {rows.map((r) => (
            <tr key={r.key} data-testid={`quality-row-${r.key}`} className={r.key === 'all' ? 'total' : ''}>
              <td>{r.key}</td>
              <td className="r">{r.orders}</td>
              <td className="r">{pctCell(r.fillRatePct)}</td>
              <td className="r">{pctCell(r.rejectRatePct)}</td>
              <td className="r">{bpCell(r.slippageBps)}</td>
              <td className="r">{msLine(r.ackMs)}</td>
              <td className="r">{msLine(r.fillMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.twins ? (
        <TwinTables report={report} />
      ) : (
        <p className="muted small" data-testid="quality-no-twins">
          No CANARY orders with SHADOW twins in this window.
        </p>
      )}
    </>
  );
}

function TwinTables({ report }: { report: QualityReportView }) {
  const sums = twinSummaryRows(report);
  const pairs = shownPairs(report);
  const total = report.twins!.pairs.length;
  return (
    <section className="quality-twins" data-testid="quality-twins">
      <h4 title="Each order CANARY sent live, beside the same order simulated by SHADOW on the same quotes from the same arrival. Diff: live minus twin average fill price over the twin's, in bp; positive = the live fill cost more.">
        CANARY: live vs SHADOW twin
      </h4>
      <table className="grid" data-testid="twin-summary">
        <thead>
          <tr>
            <th>Venue</th>
            <th className="r">Pairs</th>
            <th className="r">Both filled</th>
            <th className="r">Avg diff bp</th>
            <th className="r">Fill rate live</th>
            <th className="r">Fill rate twin</th>
            <th className="r">Time to fill live ms</th>
            <th className="r">Time to fill twin ms</th>
          </tr>
        </thead>
        <tbody>
          {sums.map((s) => (
            <tr key={s.key} data-testid={`twin-summary-${s.key}`} className={s.key === 'all' ? 'total' : ''}>
              <td>{s.key}</td>
              <td className="r">{s.pairs}</td>
              <td className="r">{s.bothFilled}</td>
              <td className={`r ${diffTone(s.avgDiffBps)}`}>{bpCell(s.avgDiffBps)}</td>
              <td className="r">{pctCell(s.liveFillRatePct)}</td>
              <td className="r">{pctCell(s.twinFillRatePct)}</td>
              <td className="r">{msLine(s.liveFillMs)}</td>
              <td className="r">{msLine(s.twinFillMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="grid twin-pairs" data-testid="twin-pairs">
        <thead>
          <tr>
            <th>Order</th>
            <th>Venue</th>
            <th>Symbol</th>
            <th>Side</th>
            <th className="r">Qty</th>
            <th className="live-col">Live</th>
            <th className="r live-col">Live px</th>
            <th className="r live-col">Live ms</th>
            <th className="twin-col">Twin</th>
            <th className="r twin-col">Twin px</th>
            <th className="r twin-col">Twin ms</th>
            <th className="r">Diff bp</th>
          </tr>
        </thead>
        <tbody>
          {pairs.map((p) => (
            <tr key={p.orderId} data-testid="twin-pair" data-order-id={p.orderId} data-live-status={p.live.status} data-twin-status={p.twin.status}>
              <td className="ellip" title={p.clientOrderId}>
                {p.clientOrderId}
              </td>
              <td>{p.venue}</td>
              <td className="sym">{p.symbol}</td>
              <td className={p.side}>{p.side}</td>
              <td className="r">{p.qty}</td>
              <td className="live-col">{p.live.status}</td>
              <td className="r live-col" data-testid="twin-pair-live-px">
                {p.live.avgFillPrice ?? '–'}
              </td>
              <td className="r live-col">{msCell(p.live.fillMs)}</td>
              <td className="twin-col" title={p.twinNote ?? ''}>
                {p.twin.status}
              </td>
              <td className="r twin-col" data-testid="twin-pair-twin-px">
                {p.twin.avgFillPrice ?? '–'}
              </td>
              <td className="r twin-col">{msCell(p.twin.fillMs)}</td>
              <td className={`r ${diffTone(p.diffBps)}`}>{bpCell(p.diffBps)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {total > pairs.length && (
        <p className="muted small">
          Newest {pairs.length} of {total} pairs; `tradeport quality --json` lists them all.
        </p>
      )}
    </section>
  );
}
