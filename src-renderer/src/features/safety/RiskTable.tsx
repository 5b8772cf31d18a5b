/**
 * Risk limits: the effective value of each limit for a scope (global, a venue, or a symbol on a
 * venue), where that value comes from, and an inline editor that sets it at the chosen scope.
 * Values: a number, "off" (no limit here, even if a broader scope sets one) or "inherit".
 */
import { useCallback, useEffect, useState } from 'react';
import type { RiskLimitKey } from '../../../../src-main/engine/domain/risk-limits';
import type { RiskView } from '../../../../src-main/engine/api/commands';
import { invoke } from '../../api/invoke';
import { formatDecimal } from '../../components/format';
import { useEngine } from '../../store/hooks';
import { riskErrorText } from './safety-model';

/** Plain labels and units; keys are the engine's (the CLI uses the same). */
const LIMIT_INFO: Record<RiskLimitKey, { label: string; unit: string }> = {
  max_order_qty: { label: 'Max order quantity', unit: 'units' },
  max_order_notional: { label: 'Max order notional', unit: 'acct ccy' },
  max_position_qty: { label: 'Max position quantity', unit: 'units' },
  max_position_notional: { label: 'Max position notional', unit: 'acct ccy' },
  max_concentration_pct: { label: 'Max concentration', unit: '% equity' },
  daily_loss_limit: { label: 'Daily loss limit (trips kill switch)', unit: 'acct ccy' },
  price_collar_pct: { label: 'Price collar', unit: '% from mid' },
  max_quote_age_ms: { label: 'Max quote age', unit: 'ms' },
  max_open_orders: { label: 'Max open orders', unit: 'orders' },
  max_orders_per_minute: { label: 'Max orders per minute', unit: 'per strategy' },
};

const LIMIT_LABEL: Record<string, string> = Object.fromEntries(Object.entries(LIMIT_INFO).map(([k, v]) => [k, v.label]));

export function RiskTable() {
  const venues = useEngine((s) => s.venues);
  const ksState = useEngine((s) => s.killSwitch?.state);
  const [venue, setVenue] = useState('');
  const [symbol, setSymbol] = useState('');
  const [appliedSymbol, setAppliedSymbol] = useState('');
  const [view, setView] = useState<RiskView>();
  const [loadError, setLoadError] = useState<string>();
  const [editing, setEditing] = useState<RiskLimitKey>();
  const [draft, setDraft] = useState('');
  const [rowError, setRowError] = useState<{ key: RiskLimitKey; message: string }>();
  const [busy, setBusy] = useState(false);

  const scopeSymbol = venue ? appliedSymbol : '';
  const load = useCallback(async () => {
    const r = await invoke('risk.get', { ...(venue ? { venue } : {}), ...(venue && scopeSymbol ? { symbol: scopeSymbol } : {}) });
    if (r.ok) {
      setView(r.value);
      setLoadError(undefined);
    } else setLoadError(`${r.error.code} — ${r.error.message}`);
  }, [venue, scopeSymbol]);

  useEffect(() => {
    void load();
  }, [load, ksState]);

  const save = async (key: RiskLimitKey, value: string) => {
    if (busy) return;
    setBusy(true);
    setRowError(undefined);
    const r = await invoke('risk.set', { key, value: value.trim(), ...(venue ? { venue } : {}), ...(venue && scopeSymbol ? { symbol: scopeSymbol } : {}) });
    setBusy(false);
    if (!r.ok) {
      setRowError({ key, message: riskErrorText(r.error.message, LIMIT_LABEL) });
      return;
    }
    setEditing(undefined);
    await load();
  };

  const scopeText = venue ? (scopeSymbol ? `${scopeSymbol.toUpperCase()} on ${venue}` : `every instrument on ${venue}`) : 'every venue (global)';

  return (
    <div className="risk" data-testid="risk-panel">
      <div className="toolbar">
        <label>
          Venue
          <select data-testid="risk-venue" value={venue} onChange={(e) => (setVenue(e.target.value), setEditing(undefined))}>
            <option value="">Global</option>
            {Object.values(venues).map((v) => (
              <option key={v.name} value={v.name}>
                {v.label || v.name}
              </option>
            ))}
          </select>
        </label>
        <form
          className="inline"
          onSubmit={(e) => {
            e.preventDefault();
            setAppliedSymbol(symbol.trim());
            setEditing(undefined);
          }}
        >
          <label>
            Symbol
            <input
              data-testid="risk-symbol"
              data-letters="true"
              value={symbol}
              disabled={!venue}
              placeholder={venue ? 'all' : 'pick a venue'}
              onChange={(e) => setSymbol(e.target.value)}
              onBlur={() => setAppliedSymbol(symbol.trim())}
            />
          </label>
        </form>
        <span className="muted scope-note">Edits apply to {scopeText}</span>
      </div>
      {loadError && (
        <div className="inline-error pad" role="alert" data-testid="risk-load-error">
          {loadError}
        </div>
      )}
      <table className="grid" data-testid="risk-table">
        <thead>
          <tr>
            <th>Limit</th>
            <th className="r">Value</th>
            <th>From</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {!view && !loadError && (
            <tr className="empty">
              <td colSpan={4}>Loading…</td>
            </tr>
          )}
          {view?.effective.map((l) => {
            const info = LIMIT_INFO[l.key] ?? { label: l.key, unit: '' };
            const isEditing = editing === l.key;
            const err = rowError?.key === l.key ? rowError.message : undefined;
            return (
              <tr key={l.key} data-testid="risk-row" data-key={l.key} data-value={l.value ?? 'off'} className={isEditing ? 'selected' : ''}>
                <td title={l.key}>
                  {info.label} <span className="muted unit">{info.unit}</span>
                  {err && (
                    <div className="inline-error" role="alert" data-testid="risk-error">
                      {err}
                    </div>
                  )}
                </td>
                <td className="r">
                  {isEditing ? (
                    <form
                      className="inline"
                      onSubmit={(e) => {
                        e.preventDefault();
                        void save(l.key, draft);
                      }}
                    >
                      <input
                        data-testid="risk-input"
                        data-letters="true"
                        className={err ? 'invalid num-input risk-input' : 'num-input risk-input'}
                        autoFocus
                        value={draft}
                        placeholder="number · off · inherit"
                        onChange={(e) => setDraft(e.target.value)}
                        onKeyDown={(e) => e.key === 'Escape' && (e.preventDefault(), setEditing(undefined), setRowError(undefined))}
                      />
                    </form>
                  ) : (
                    <span className={l.value === null ? 'muted num' : 'num'} data-testid="risk-value">
                      {l.value === null ? 'off' : formatDecimal(l.value, { maxDp: 8 })}
                    </span>
                  )}
                </td>
                <td className="muted">{l.scope}</td>
                <td className="r actions-cell">
                  {isEditing ? (
                    <>
                      <button type="button" className="btn mini" data-testid="risk-save" disabled={busy || draft.trim() === ''} onClick={() => void save(l.key, draft)}>
                        Set
                      </button>
                      <button type="button" className="btn mini ghost" data-testid="risk-inherit" disabled={busy} title="Remove the override at this scope" onClick={() => void save(l.key, 'inherit')}>
                        Inherit
                      </button>
                    </>
                  ) : (
                    <button
                      type="button"
                      className="btn mini ghost"
                      data-testid="risk-edit"
                      onClick={() => {
                        setEditing(l.key);
                        setDraft(l.value ?? 'off');
                        setRowError(undefined);
                      }}
                    >
                      Edit
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
