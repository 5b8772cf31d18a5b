/**
 * Strategies: create a DCA, grid, TWAP or buy-the-dip from a form generated per kind, with a
 * preview of what it will send and what that costs; then a list with each one's state (running,
 * paused by you, by the venue's breaker, by its closed market, stopped by the kill switch),
 * progress, fills and P&L, and pause / resume / stop. Simulate shows the orders the plan would
 * place over a simulated day, placing nothing.
 */
import { useEffect, useMemo, useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { useEngine } from '../../store/hooks';
import { addStrategy, pauseStrategy, refreshStrategies, resumeStrategy, simulatePlan, stopStrategy, useStrategies } from './strategies-actions';
import { formParams, KIND_FORMS, previewPlan, progressText, rowActions, simulationRefusals, simulationRows, simulationSummary, stateText, type StrategyKind } from './strategies-model';
import type { StrategySimulation } from '../../../../src-main/engine/api/strategy-simulation';

const REFRESH_MS = 2000;

/** The header entry: how many run. */
export function StrategiesButton() {
  const [open, setOpen] = useState(false);
  const list = useStrategies((s) => s.list);
  useEffect(() => {
    void refreshStrategies();
  }, []);
  const running = list.filter((s) => s.state === 'running').length;
  return (
    <>
      <button type="button" className="btn mini" data-testid="open-strategies" title="Strategies: DCA, grid, TWAP, buy-the-dip" onClick={() => setOpen(true)}>
        Strategies <span className="count num">{running}</span>
      </button>
      {open && <StrategiesPanel onClose={() => setOpen(false)} />}
    </>
  );
}

export function StrategiesPanel({ onClose }: { onClose: () => void }) {
  const list = useStrategies((s) => s.list);
  const listError = useStrategies((s) => s.error);
  const fills = useEngine((s) => s.fills);
  useEffect(() => {
    void refreshStrategies();
    const t = setInterval(() => void refreshStrategies(), REFRESH_MS);
    return () => clearInterval(t);
  }, [fills]);
  return (
    <Dialog title="Strategies" testId="strategies-panel" className="venues-modal" onCancel={onClose}>
      {/* One scrolling body: on a laptop the form, a simulation and the list are taller than the dialog. */}
      <div className="modal-body venues-body">
        <NewStrategy />
        {listError && <div className="banner warn">{listError}</div>}
        <table className="grid" data-testid="strategies-list">
          <thead>
            <tr>
              <th>Id</th>
              <th>Kind</th>
              <th>Venue</th>
              <th>Symbol</th>
              <th>State</th>
              <th>Progress</th>
              <th>P&amp;L</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((s) => {
              const can = rowActions(s);
              return (
                <tr key={s.id} data-testid="strategy-row" data-id={s.id} data-state={s.state}>
                  <td className="num">{s.id}</td>
                  <td>{s.kind}</td>
                  <td>{s.venue}</td>
                  <td>{s.symbol}</td>
                  <td title={s.reason ?? ''}>{stateText(s)}</td>
                  <td>{progressText(s)}</td>
                  <td className="num">{s.pnl ?? '—'}</td>
                  <td>
                    {can.pause && (
                      <button type="button" className="btn mini" onClick={() => void pauseStrategy(s.id)}>
                        Pause
                      </button>
                    )}
                    {can.resume && (
                      <button type="button" className="btn mini" onClick={() => void resumeStrategy(s.id)}>
                        Resume
                      </button>
                    )}
                    {can.stop && (
                      <button type="button" className="btn mini" onClick={() => void stopStrategy(s.id, true)} title="Stop and cancel its working orders">
                        Stop
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </Dialog>
  );
}

function NewStrategy() {
  const venues = useEngine((s) => s.venues);
  const quotes = useEngine((s) => s.quotes);
  const [kind, setKind] = useState<StrategyKind>('dca');
  const [venue, setVenue] = useState('paper');
  const [symbol, setSymbol] = useState('BTC/USD');
  const [values, setValues] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ tone: 'ok' | 'bad'; text: string }>();
  const quote = Object.values(quotes).find((q) => q.venue === venue && q.symbol === symbol);
  const mid = quote?.bid && quote.ask ? String((Number(quote.bid) + Number(quote.ask)) / 2) : quote?.last;
  const preview = useMemo(() => previewPlan(kind, values, mid), [kind, values, mid]);
  const submit = async () => {
    const r = await addStrategy(kind, venue, symbol.trim(), formParams(kind, values));
    setMessage(r.ok ? { tone: 'ok', text: `Started ${r.value.id}.` } : { tone: 'bad', text: r.error.message });
    if (r.ok) setValues({});
  };
  const [sim, setSim] = useState<StrategySimulation>();
  const refusals = sim && simulationRefusals(sim);
  const simulate = async () => {
    const r = await simulatePlan(kind, venue, symbol.trim(), formParams(kind, values));
    setSim(r.ok ? r.value : undefined);
    if (!r.ok) setMessage({ tone: 'bad', text: r.error.message });
    else setMessage(undefined);
  };
  return (
    <form
      className="venue-form"
      data-testid="strategy-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label>
        Kind
        <select value={kind} data-testid="strategy-kind" onChange={(e) => setKind(e.target.value as StrategyKind)}>
          {(Object.keys(KIND_FORMS) as StrategyKind[]).map((k) => (
            <option key={k} value={k}>
              {KIND_FORMS[k].label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Venue
        <select value={venue} onChange={(e) => setVenue(e.target.value)}>
          {Object.keys(venues).map((v) => (
            <option key={v}>{v}</option>
          ))}
        </select>
      </label>
      <label>
        Symbol
        <input value={symbol} data-testid="strategy-symbol" onChange={(e) => setSymbol(e.target.value)} />
      </label>
      {KIND_FORMS[kind].fields.map((f) => (
        <label key={`${kind}-${f.key}`}>
          {f.label}
          {f.required ? ' *' : ''}
          {f.options ? (
            <select value={values[f.key] ?? ''} data-testid={`param-${f.key}`} onChange={(e) => setValues({ ...values, [f.key]: e.target.value })}>
              <option value="">{f.placeholder} (default)</option>
              {f.options.map((o) => (
                <option key={o}>{o}</option>
              ))}
            </select>
          ) : (
            <input value={values[f.key] ?? ''} placeholder={f.placeholder} data-testid={`param-${f.key}`} onChange={(e) => setValues({ ...values, [f.key]: e.target.value })} />
          )}
        </label>
      ))}
      <ul className="preview" data-testid="strategy-preview">
        {preview.map((l) => (
          <li key={l}>{l}</li>
        ))}
      </ul>
      {message && (
        <div className={`banner ${message.tone === 'ok' ? 'info' : 'warn'}`} data-testid="strategy-message">
          {message.text}
        </div>
      )}
      <button type="button" className="btn" data-testid="strategy-simulate" onClick={() => void simulate()}>
        Simulate
      </button>
      <button type="submit" className="btn" data-testid="strategy-start">
        Start
      </button>
      {sim && (
        <div className="strategy-simulation" data-testid="strategy-simulation">
          <div className="banner info">{simulationSummary(sim)}</div>
          {refusals && (
            <div className="strategy-refusals" data-testid="simulation-refused">
              <div className="banner warn" data-testid="simulation-refused-count">
                {refusals.heading}
              </div>
              <table className="grid">
                <thead>
                  <tr>
                    <th>Time (UTC)</th>
                    <th>Side</th>
                    <th>Qty</th>
                    <th>Price</th>
                    <th>Reason</th>
                  </tr>
                </thead>
                <tbody>
                  {refusals.rows.map((r) => (
                    <tr key={r.key} data-testid="refused-order">
                      <td>{r.time}</td>
                      <td>{r.side}</td>
                      <td className="num">{r.qty}</td>
                      <td className="num">{r.price}</td>
                      <td className="reason">{r.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <table className="grid">
            <thead>
              <tr>
                <th>Time (UTC)</th>
                <th>Side</th>
                <th>Qty</th>
                <th>Price</th>
                <th>Step</th>
              </tr>
            </thead>
            <tbody>
              {simulationRows(sim).map((o) => (
                <tr key={o.key} data-testid="simulated-order">
                  <td>{o.time}</td>
                  <td>{o.side}</td>
                  <td className="num">{o.qty}</td>
                  <td className="num">{o.price}</td>
                  <td>{o.tag}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </form>
  );
}
