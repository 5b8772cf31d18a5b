/** The header's account figures: net liquidation, buying power and P&L today (from account.summary). */
import { useEffect } from 'react';
import { Num } from '../../components/Num';
import { useEngine } from '../../store/hooks';
import { refreshAccountSummary, useAccount } from './account-actions';
import { headerFigures, unconvertedNote } from './account-model';

/** Marks move between balance and position events: the figures are refreshed this often too. */
const REFRESH_MS = 3000;

export function AccountSummary() {
  const summary = useAccount((s) => s.summary);
  const balances = useEngine((s) => s.balances);
  const positions = useEngine((s) => s.positions);
  useEffect(() => {
    void refreshAccountSummary();
  }, [balances, positions]);
  useEffect(() => {
    const t = setInterval(() => void refreshAccountSummary(), REFRESH_MS);
    return () => clearInterval(t);
  }, []);
  const note = unconvertedNote(summary);
  return (
    <div className="summary" data-testid="account-summary">
      {headerFigures(summary).map((f) => (
        <span key={f.id} title={f.title} data-testid={`account-${f.id}`}>
          <em>{f.label}</em> <Num kind={f.kind} value={f.value} />
        </span>
      ))}
      {note && (
        <span className="warn" title={note} data-testid="account-unconverted">
          ⚠ not all converted
        </span>
      )}
    </div>
  );
}
