/**
 * Portfolio: one set of tax lots across every venue. P&L per venue (realized, open, realized
 * today) with the rates used, the P&L curve, positions with their cost basis from the lots, the
 * lots of the selected position, and CSV exports (Form 8949, lots, realized) with the plain
 * statement that this is an aid, not tax advice. Refreshed on every fill and as marks move.
 */
import { useEffect, useMemo, useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { Num } from '../../components/Num';
import { useEngine } from '../../store/hooks';
import { PnlChart } from './PnlChart';
import { exportLedgerCsv, refreshPortfolio, selectPosition, usePortfolio } from './portfolio-actions';
import { curvePoints, equityPoints, EXPORTS, exportYears, lotsOf, positionsFromLots, TAX_DISCLAIMER, type ExportKind } from './portfolio-model';

/** Marks move between fills: open P&L is refreshed this often while the view is open. */
const REFRESH_MS = 3000;

export function PortfolioButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn mini" data-testid="open-portfolio" title="Portfolio: tax lots, P&L and exports across every venue" onClick={() => setOpen(true)}>
        Portfolio
      </button>
      {open && <PortfolioView onClose={() => setOpen(false)} />}
    </>
  );
}

export function PortfolioView({ onClose }: { onClose: () => void }) {
  const fills = useEngine((s) => s.fills);
  useEffect(() => {
    void refreshPortfolio();
  }, [fills]);
  useEffect(() => {
    const t = setInterval(() => void refreshPortfolio(), REFRESH_MS);
    return () => clearInterval(t);
  }, []);
  const pnl = usePortfolio((s) => s.pnl);
  const curve = usePortfolio((s) => s.curve);
  const error = usePortfolio((s) => s.error);
  const equity = usePortfolio((s) => s.equity);
  const points = useMemo(() => curvePoints(curve, equity), [curve, equity]);
  const equityPts = useMemo(() => equityPoints(equity), [equity]);
  return (
    <Dialog title="Portfolio" testId="portfolio-view" className="portfolio-modal" onCancel={onClose}>
      <div className="modal-body portfolio-body">
        {error && (
          <div className="inline-error" role="alert" data-testid="portfolio-error">
            {error}
          </div>
        )}
        <section className="portfolio-top">
          <PnlTable />
          <div className="portfolio-curve">
            <h4 title="Realized plus unrealized P&L at each equity snapshot; before snapshots kept it, realized P&L per day">P&amp;L curve ({pnl?.currency ?? 'USD'})</h4>
            <PnlChart points={points} currency={pnl?.currency ?? 'USD'} />
            <h4 title={`Cash plus positions at their marks, sampled every ${Math.round((equity?.everyMs ?? 60_000) / 1000)} s while Tradeport runs`}>
              Equity ({equity?.currency ?? 'USD'}){equity?.points.some((p) => !p.complete) ? ' · some moments left out what had no rate or mark' : ''}
            </h4>
            <PnlChart
              points={equityPts}
              currency={equity?.currency ?? 'USD'}
              baseline={equityPts[0]?.value ?? 0}
              testId="equity-chart"
              label="Equity curve"
              empty="No equity snapshots yet: one is taken every minute while Tradeport runs."
            />
          </div>
        </section>
        <Positions />
        <Lots />
        <Exports />
      </div>
    </Dialog>
  );
}

function PnlTable() {
  const pnl = usePortfolio((s) => s.pnl);
  if (!pnl) return <p className="muted">Loading P&amp;L…</p>;
  const rows = [...pnl.rows, pnl.total];
  return (
    <div className="portfolio-pnl">
      <table className="grid" data-testid="pnl-table">
        <thead>
          <tr>
            <th>Venue</th>
            <th className="r">Realized</th>
            <th className="r">Open</th>
            <th className="r">Total</th>
            <th className="r">Realized today</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-testid={`pnl-row-${r.key}`} className={r.key === 'total' ? 'total' : ''}>
              <td>{r.key}</td>
              <td className="r">
                <Num kind="pnl" value={r.realized} />
              </td>
              <td className="r">
                <Num kind="pnl" value={r.unrealized} />
              </td>
              <td className="r">
                <Num kind="pnl" value={r.total} />
              </td>
              <td className="r">
                <Num kind="pnl" value={r.today} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small" title={pnl.dayBoundary}>
        In {pnl.currency}
        {pnl.rates.length > 0 && <> at {pnl.rates.map((r) => `1 ${r.from} = ${r.rate}`).join(', ')}</>}. {pnl.dayBoundary}
      </p>
      {pnl.unconverted.length > 0 && (
        <p className="warn small" data-testid="pnl-unconverted">
          Left out: {pnl.unconverted.join('; ')}
        </p>
      )}
    </div>
  );
}

function Positions() {
  const lots = usePortfolio((s) => s.lots);
  const selected = usePortfolio((s) => s.selected);
  const rows = useMemo(() => positionsFromLots(lots), [lots]);
  return (
    <section>
      <h4>Positions from lots</h4>
      <table className="grid" data-testid="portfolio-positions">
        <thead>
          <tr>
            <th>Venue</th>
            <th>Symbol</th>
            <th>Side</th>
            <th className="r">Qty</th>
            <th className="r">Avg cost</th>
            <th className="r">Cost basis</th>
            <th className="r">Mark</th>
            <th className="r">Open P&amp;L</th>
            <th className="r">Lots</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr className="empty">
              <td colSpan={9}>No open lots.</td>
            </tr>
          )}
          {rows.map((p) => (
            <tr key={p.key} data-testid="portfolio-position" data-key={p.key} className={p.key === selected ? 'selected' : ''} onClick={() => selectPosition(p.key)} style={{ cursor: 'pointer' }}>
              <td>{p.venue}</td>
              <td className="sym">{p.symbol}</td>
              <td>{p.direction}</td>
              <td className="r">
                <Num kind="qty" value={p.qty} />
              </td>
              <td className="r">
                <Num kind="price" value={p.avgCost} />
              </td>
              <td className="r">
                <Num kind="money" value={p.basis} />
              </td>
              <td className="r">
                <Num kind="price" value={p.mark} />
              </td>
              <td className="r">
                <Num kind="pnl" value={p.unrealized} />
              </td>
              <td className="r">{p.lots}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Lots() {
  const lots = usePortfolio((s) => s.lots);
  const selected = usePortfolio((s) => s.selected);
  const rows = useMemo(() => lotsOf(lots, selected), [lots, selected]);
  if (!selected) return <p className="muted">Select a position to see its lots.</p>;
  return (
    <section>
      <h4>Lots of {selected.split('|').slice(0, 2).join(' ')}</h4>
      <table className="grid" data-testid="portfolio-lots">
        <thead>
          <tr>
            <th>Acquired</th>
            <th className="r">Qty</th>
            <th className="r">Unit cost</th>
            <th className="r">Cost basis</th>
            <th className="r">Wash adj.</th>
            <th>Term</th>
            <th className="r">Open P&amp;L</th>
            <th>Lot</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((l) => (
            <tr key={l.id} data-testid="portfolio-lot">
              <td>{new Date(l.openedAt).toISOString().slice(0, 10)}</td>
              <td className="r">
                <Num kind="qty" value={l.qty} />
              </td>
              <td className="r">
                <Num kind="price" value={l.unitCost} />
              </td>
              <td className="r">
                <Num kind="money" value={l.basis} />
              </td>
              <td className="r">{l.washAdjustment === '0.00' ? '' : <Num kind="money" value={l.washAdjustment} />}</td>
              <td>{l.term === 'long' ? 'long term' : 'short term'}</td>
              <td className="r">
                <Num kind="pnl" value={l.unrealized} />
              </td>
              <td className="ellip">{l.opening ? `${l.id} (opening)` : l.id}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Exports() {
  const years = exportYears(Date.now());
  const [year, setYear] = useState(years[0]!);
  const [busy, setBusy] = useState<ExportKind>();
  const exported = usePortfolio((s) => s.exported);
  const run = async (kind: ExportKind) => {
    setBusy(kind);
    try {
      await exportLedgerCsv(kind, year);
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <section className="portfolio-exports">
      <p className="warn small" data-testid="tax-disclaimer">
        {TAX_DISCLAIMER}
      </p>
      <div className="modal-actions">
        <label>
          Tax year{' '}
          <select value={year} data-testid="export-year" onChange={(e) => setYear(Number(e.target.value))}>
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </label>
        {EXPORTS.map((x) => (
          <button key={x.kind} type="button" className="btn mini" data-testid={`export-${x.kind}`} title={x.title} disabled={busy !== undefined} onClick={() => void run(x.kind)}>
            {busy === x.kind ? 'Exporting…' : x.label}
          </button>
        ))}
      </div>
      {exported && (
        <p className="muted small" data-testid="export-done">
          Saved {exported}
        </p>
      )}
    </section>
  );
}
